"""What the queries answer (api.md, Queries). Every answer carries `position`: the notification id
of the last event the read models reflect, so a client that wrote at position P reads its own
write when `position >= P`.

The models are filled from the read side's answers (`readside/*/queries.py`, frozen dataclasses)
and the ledger's (eligibility, replay), attribute by attribute.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.http.schemas.problems import FindingPublic


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ReferencePublic(ReadModel):
    doc_no: str | None = None
    title: str | None = None
    url: str | None = None
    sha256: str | None = None


# -- the list --------------------------------------------------------------------------------------


class ListItemPublic(ReadModel):
    listing_id: UUID
    enterprise_id: UUID
    name: str = Field(description="The name as it stood on `as_of`.")
    region: str
    category: str
    level: str
    batch_year: int
    status: str
    listed_on: date | None
    removed_on: date | None
    synthetic: bool = Field(
        description="示例数据：a fictitious unit of the demo, not a real organisation (ADR 0042)."
    )
    uscc: str | None = Field(default=None, description="统一社会信用代码, when known.")
    product_name: str | None = Field(
        default=None, description="A green design product's name (null for other categories)."
    )
    product_model: str | None = Field(
        default=None, description="Its model, as the list published it (null when none)."
    )
    product_standard: str | None = Field(
        default=None, description="The evaluation standard it was listed under, when published."
    )
    city: str | None = Field(default=None, description="A municipal unit's prefecture code.")
    stars: int | None = Field(
        default=None, description="星级 on `as_of`: 3, 4 or 5 (provincial and municipal lists)."
    )
    green_code: str | None = Field(
        default=None,
        description="企业绿码 on `as_of` (A+, A, B): the unit's code of the latest report year "
        "assigned by then, as known at `known_at` (ADR 0151).",
    )
    green_code_year: int | None = Field(
        default=None, description="The report year `green_code` is for."
    )


class ListPagePublic(ReadModel):
    """A page of the list on `as_of` (an effective date), as known at `known_at` (a recorded
    instant; null: as known now)."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "listing_id": "0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d",
                            "enterprise_id": "1b77b0fa-524f-5226-b26c-b5183638cafb",
                            "name": "江苏绿源钢铁有限公司",
                            "region": "320000",
                            "category": "green_factory",
                            "level": "national",
                            "batch_year": 2022,
                            "status": "listed",
                            "listed_on": "2023-03-23",
                            "removed_on": None,
                            "synthetic": False,
                        }
                    ],
                    "total": 1,
                    "page": 1,
                    "page_size": 50,
                    "as_of": "2023-06-30",
                    "known_at": "2023-07-01T00:00:00Z",
                    "position": 1042,
                }
            ]
        },
    )

    items: list[ListItemPublic]
    total: int
    page: int
    page_size: int
    as_of: date
    known_at: datetime | None
    position: int


# -- one listing -----------------------------------------------------------------------------------


class ListingFlagsPublic(ReadModel):
    barred_until: date | None = Field(description="End of the NEG-3 bar of a standing removal.")
    filing_overdue: bool
    rectification_pending: bool
    renamed: bool


class FilingPublic(ReadModel):
    report_year: int
    submitted_on: date
    recorded_at: datetime
    indicators: dict[str, dict[str, str]]
    outcome: str | None
    findings: list[str]
    reviewed_on: date | None
    position: int


class StarRatingPublic(ReadModel):
    stars: int
    effective_on: date
    doc_no: str | None
    position: int


class ListingPublic(ReadModel):
    """One listing's state on `as_of` as known at `known_at`, its flags and latest filing."""

    listing_id: UUID
    enterprise_id: UUID
    name: str
    region: str
    category: str
    level: str
    product_name: str | None
    product_model: str | None
    product_standard: str | None = None
    uscc: str | None = Field(default=None, description="统一社会信用代码, when known.")
    park_level: str | None
    batch_year: int
    status: str
    listed_on: date | None
    removed_on: date | None
    flags: ListingFlagsPublic
    latest_filing: FilingPublic | None
    synthetic: bool = Field(
        description="示例数据：a fictitious unit of the demo, not a real organisation (ADR 0042)."
    )
    since: date = Field(description="Since when the listing has stood as it stands on `as_of`.")
    as_of: date
    known_at: datetime | None
    position: int
    city: str | None = Field(default=None, description="A municipal unit's prefecture code.")
    stars: int | None = Field(default=None, description="星级 on `as_of` (3, 4, 5), if rated.")
    star_history: list[StarRatingPublic] = Field(
        default_factory=list,
        description="Every rating as known at `known_at`, in effective order: upgrades and "
        "downgrades.",
    )


# -- timelines -------------------------------------------------------------------------------------


class TimelineEntryPublic(ReadModel):
    position: int
    event: str
    originator_id: UUID
    originator_version: int
    effective_on: date
    recorded_at: datetime
    actor: str
    basis: list[ReferencePublic]
    note: str | None
    summary_zh: str
    summary_en: str


class HistoryPublic(ReadModel):
    """Every event of the subject, in the order recorded."""

    subject_id: UUID
    entries: list[TimelineEntryPublic]
    position: int


# -- explanations ----------------------------------------------------------------------------------


class EventLinePublic(ReadModel):
    position: int
    event: str
    originator_id: UUID
    version: int
    effective_on: date
    recorded_at: datetime
    actor: str
    summary_zh: str
    summary_en: str


class RuleFindingPublic(ReadModel):
    rule_id: str
    citation: str
    statement_zh: str
    statement_en: str
    applies: bool
    detail: str
    barred_until: date | None
    facts: list[EventLinePublic] = Field(description="The events the finding rests on.")


class DecisionPublic(ReadModel):
    position: int
    event: str
    kind: str
    effective_on: date
    recorded_at: datetime
    actor: str
    actor_zh: str
    actor_en: str
    basis: list[ReferencePublic]
    note: str | None
    rulebook: str | None
    outcome: str | None
    reasons: list[str]
    announcement: ReferencePublic | None
    barred_until: date | None
    rescinded_by: int | None
    summary_zh: str
    summary_en: str
    findings: list[RuleFindingPublic]


class GroundPublic(ReadModel):
    code: str
    text_zh: str
    text_en: str
    fact: EventLinePublic | None


class ExplanationPublic(ReadModel):
    """Why the listing has its status: the deciding event, the rules with their citations and
    texts, the facts each rests on, who decided and when; for a listed unit, why it is still
    listed (`grounds`)."""

    listing_id: UUID
    enterprise_id: UUID
    name: str
    status: str
    status_zh: str
    on_list: bool
    deciding: DecisionPublic | None
    findings: list[RuleFindingPublic]
    findings_note_zh: str | None
    findings_note_en: str | None
    grounds: list[GroundPublic]
    record: list[DecisionPublic]
    summary_zh: str
    summary_en: str
    position: int
    barred_until: date | None = Field(
        description="NEG-3 on `barred_on`: the last day a removal bars the enterprise from "
        "applying, as its eligibility on that day says; null when none bars it."
    )
    barred_on: date | None = Field(description="The day `barred_until` is given for.")
    as_of: date | None = Field(description="The effective date the status is explained for.")
    known_at: datetime | None = Field(description="The instant it is explained as known at.")
    known_position: int | None = Field(
        description="The position `known_at` resolves to (null: as known now)."
    )


# -- eligibility -----------------------------------------------------------------------------------


class EligibilityPublic(ReadModel):
    """Whether the enterprise may be nominated on `on`: every negative-list finding in force, with
    its rule, the events it rests on and `barred_until`."""

    enterprise_id: UUID
    on: date
    eligible: bool
    rulebook: str
    known_at: datetime | None
    findings: list[FindingPublic]
    position: int = Field(description="The ledger position the answer was derived at.")


# -- statistics ------------------------------------------------------------------------------------


class StatisticsCountPublic(ReadModel):
    region: str | None
    category: str | None
    level: str | None
    status: str | None
    count: int


class StatisticsPublic(ReadModel):
    """How many units the list holds on `as_of` as known at `known_at`, for the same filters as
    `GET /v1/list` (by default the units on the list), grouped as asked: `total` is the list's
    `total` for the same query."""

    as_of: date
    known_at: datetime | None
    group_by: list[str]
    counts: list[StatisticsCountPublic]
    total: int
    position: int


class YearStatisticsPublic(ReadModel):
    year: int
    category: str
    on_list: int = Field(description="Units on the list at the year's end.")
    listed: int = Field(description="Units listed in the year.")
    removed: int = Field(description="Units removed in the year (rescinded removals excluded).")


class StatisticsTimelinePublic(ReadModel):
    from_year: int
    to_year: int
    region: str | None = Field(description="The region counted (null: every region).")
    interval: str = "year"
    years: list[YearStatisticsPublic]
    position: int


# -- assessors -------------------------------------------------------------------------------------


class BatchWorkloadPublic(ReadModel):
    level: str
    batch_year: int
    evaluations: int
    passed: int
    pass_rate: float | None
    group_evaluations: int = Field(
        description="Evaluations counted together against the cap: the assessor's whole group, "
        "or from 13号 every body of its legal representative in the year's national round."
    )
    cap: int | None = Field(
        description="EVAL-4: evaluations per group per batch, or from 13号 per legal "
        "representative per year; none where the round is not capped (from 13号, below national)."
    )
    remaining: int | None
    counted_by: str = Field(
        description="group, legal_representative or not_capped (ADR 0155). An extension of api.md."
    )
    legal_representative: str | None = Field(
        description="Whose bodies are counted together, when counted_by is legal_representative "
        "(none: the assessor's own evaluations, its legal representative not being recorded)."
    )


class BlacklistingPublic(ReadModel):
    since: date
    until: date
    reason: str
    lifted_on: date | None


class WorkloadPublic(ReadModel):
    assessor_id: UUID
    name: str
    group: str | None
    synthetic: bool = Field(
        description="示例数据：a fictitious evaluator of the demo, not a real one (ADR 0042)."
    )
    batches: list[BatchWorkloadPublic]
    evaluations: int
    passed: int
    pass_rate: float | None
    blacklisted: bool
    blacklistings: list[BlacklistingPublic]
    on: date
    position: int


class CitationPublic(ReadModel):
    """An evaluation a province cited, awaiting the assessor's confirmation (ADR 0110)."""

    evaluation_id: UUID
    listing_id: UUID
    batch_year: int
    conclusion: str = Field(description="`pass` or `fail`, as the province cited it.")
    report: ReferencePublic
    cited_on: date
    cited_by: str = Field(description="The province whose nomination cited it.")


class CitationsPublic(ReadModel):
    assessor_id: UUID
    items: list[CitationPublic]
    position: int = Field(description="The ledger's position the answer reflects.")


# -- audit -----------------------------------------------------------------------------------------


class MismatchPublic(ReadModel):
    position: int
    originator_id: UUID
    version: int
    topic: str
    recorded: list[FindingPublic]
    rederived: list[FindingPublic]
    recorded_rulebook: str
    rederived_rulebook: str
    note: str


class ReplayPublic(ReadModel):
    """Every recorded decision re-derived from the facts known when it was taken, under the
    rulebook then in force; the ones that do not follow. Answered from the latest stored
    audit report (ADR 0015)."""

    decisions_checked: int
    mismatches: list[MismatchPublic]
    events_read: int
    known_at: datetime | None
    position: int = Field(description="The last position replayed.")
    report_id: UUID | None = Field(default=None, description="The stored report answering.")
    imported: int = Field(default=0, description="Imported decisions, not re-derived.")
    computed_at: datetime | None = Field(default=None, description="When the report finished.")
    ledger_position: int | None = Field(
        default=None,
        description="The ledger's position now (later events are not in the report).",
    )


# -- batches ---------------------------------------------------------------------------------------


class PublicationPublic(BaseModel):
    published_on: date
    announcement: ReferencePublic
    listed: int
    rejected: int
    removed: int


class BatchPublic(BaseModel):
    """A recommendation round: its rulebook, deadlines and quotas, nominations and publications."""

    batch_id: UUID
    level: str
    region: str | None = Field(default=None, description="A province's own round's region.")
    city: str | None = Field(default=None, description="A municipal round's prefecture.")
    batch_year: int
    label: str = Field(description="第一批 … 第五批, 2021年度 …")
    rulebook: str
    opened_on: date
    deadlines: dict[str, date]
    quotas: dict[str, int]
    nominations: int
    nominations_by_region: dict[str, int]
    evaluations: int
    publications: list[PublicationPublic]
    publicity: PublicityPublic | None = Field(
        default=None, description="The latest publicity (公示, PUB-1). An extension of api.md."
    )
    park_quota_exceptions: list[ParkQuotaExceptionPublic] = Field(
        default_factory=list,
        description="The ministry's exceptions to PARK-2's three parks per region (原则上), in "
        "the order granted. An extension of api.md.",
    )
    position: int = Field(description="The ledger position the answer was read at.")


class ParkQuotaExceptionPublic(BaseModel):
    region: str
    parks: int = Field(description="Parks the region may nominate beyond the quota.")
    reason: str


class ObjectionPublic(BaseModel):
    listing_id: UUID
    received_on: date
    objection: str
    objector: str | None


class PublicityPublic(BaseModel):
    """The publicity (公示) of a national round: its window, nominees and objections."""

    starts_on: date
    ends_on: date
    announcement: ReferencePublic
    nominees: list[UUID]
    objections: list[ObjectionPublic]


class PassRatePublic(ReadModel):
    assessor_id: UUID
    name: str
    group: str | None
    synthetic: bool = Field(
        description="示例数据：a fictitious evaluator of the demo, not a real one (ADR 0042)."
    )
    evaluations: int
    passed: int
    pass_rate: float | None = Field(description="passed / evaluations; null without any.")
    blacklisted: bool
    work_report_year: int | None = Field(description="The year of its latest work report.")
    work_report_on: date | None


class PassRatesPublic(ReadModel):
    """Every evaluator's pass rate, most evaluations first (EVAL-4)."""

    batch_year: int | None
    on: date
    items: list[PassRatePublic]
    position: int
