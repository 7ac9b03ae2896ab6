"""The auditor's stored reports over HTTP (api.md, "Audit"; ADR 0015, ADR 0016)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.http.schemas.common import Day, Instant, RegionCode
from api.http.schemas.ledger import ConsistencyProofPublic, TreeHeadPublic
from api.http.schemas.reads import ReferencePublic
from audit.evidence import Evidence
from audit.reports import DecisionPage, DecisionRow, ReportParameters, StoredReport
from domain.auditing import KIND_LABELS
from domain.rules.catalogue import RULES, rule


class ReportCreate(BaseModel):
    """What a report replays. Every field is optional: the default replays every decision under
    the rules in force when it was taken, on everything recorded."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    known_at: Instant | None = Field(
        default=None, description="Replay the facts recorded up to this instant (default: all)."
    )
    from_day: Day | None = Field(
        default=None, alias="from", description="Only decisions effective on or after this date."
    )
    to: Day | None = Field(
        default=None, description="Only decisions effective on or before this date."
    )
    region: RegionCode | None = Field(default=None, description="Only this region's decisions.")
    rulebook: str | None = Field(
        default=None,
        max_length=16,
        description="A what-if: re-derive every decision under this rulebook version (e.g. "
        "2024 for 工信部节〔2024〕13号) instead of the one in force on its date.",
        examples=["2024"],
    )

    def to_parameters(self) -> ReportParameters:
        return ReportParameters(
            known_at=self.known_at,
            from_day=self.from_day,
            to_day=self.to,
            region=self.region,
            rulebook=self.rulebook,
        )


class ParametersPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    known_at: datetime | None
    from_day: date | None = Field(alias="from")
    to: date | None
    region: str | None
    rulebook: str | None = Field(description="The what-if version; null: the rules in force.")


class ProgressPublic(BaseModel):
    position: int = Field(description="The last position replayed so far.")
    last: int = Field(description="The ledger's position when the replay started.")
    fraction: float = Field(ge=0, le=1)


class CountsPublic(BaseModel):
    decisions: int = Field(description="Every decision the report covers.")
    rederived: int = Field(description="Re-derived under the rules: matching + differing.")
    imported: int = Field(description="Imported from published announcements: not re-derived.")
    matching: int
    differing: int


class CitedEventPublic(BaseModel):
    originator_id: UUID
    version: int
    position: int | None = Field(description="Where the event stands in the log.")
    aggregate: str = Field(description="listing, enterprise, assessor or batch.")
    history: str | None = Field(description="The timeline of the record it belongs to.")


class AuditFindingPublic(BaseModel):
    rule_id: str
    citation: str | None
    applies: bool
    because: list[CitedEventPublic]
    barred_until: date | None
    detail: str


class DecisionLinks(BaseModel):
    unit: str | None = Field(description="The unit's page, with its history and explanation.")
    history: str | None = Field(description="The timeline of the record the decision is about.")
    event: str = Field(description="The decision's event and its inclusion in the report's head.")


class AuditDecisionPublic(BaseModel):
    """One decision: recorded and re-derived findings side by side."""

    seq: int
    position: int
    decision: str = Field(description="nomination, listing, rejection, filing_review, …")
    decision_zh: str
    decision_en: str
    topic: str
    originator_id: UUID
    version: int
    effective_on: date
    recorded_at: datetime
    actor: str
    basis: list[ReferencePublic]
    region: str | None
    listing_id: UUID | None
    enterprise_id: UUID | None
    outcome: str = Field(description="matches, differs or imported")
    differing_rules: list[str] = Field(description="The rules that make the difference.")
    recorded_rulebook: str
    recorded: list[AuditFindingPublic]
    rederived_rulebook: str | None
    rederived: list[AuditFindingPublic] | None = Field(description="null when imported.")
    note: str
    why_not_rederived_zh: str | None
    why_not_rederived_en: str | None
    links: DecisionLinks


class DecisionPagePublic(BaseModel):
    items: list[AuditDecisionPublic]
    total: int
    page: int
    page_size: int


class ReportLinks(BaseModel):
    report: str
    workbook: str
    evidence: str


class AuditReportPublic(BaseModel):
    """A stored report: its state; when done, its head, counts and a page of its decisions."""

    report_id: UUID
    status: str = Field(description="running, done or failed")
    requested_by: str
    requested_at: datetime
    finished_at: datetime | None
    parameters: ParametersPublic
    progress: ProgressPublic
    first_position: int | None = Field(description="The range of the log the report read.")
    last_position: int | None
    events_read: int
    head: TreeHeadPublic | None = Field(description="The tree head of that range.")
    head_signed: bool
    counts: CountsPublic
    digest: str | None = Field(description="SHA-256 of the report's content (ADR 0015).")
    error: str | None
    links: ReportLinks
    decisions: DecisionPagePublic | None = None


class ReportListPublic(BaseModel):
    items: list[AuditReportPublic]


class EvidencePublic(BaseModel):
    """The report's head, the latest head, and the consistency proof between them."""

    report_head: TreeHeadPublic
    latest_head: TreeHeadPublic
    consistency_proof: ConsistencyProofPublic | None
    consistent: bool
    detail: str


# -- from the store --------------------------------------------------------------------------------


def report_public(report: StoredReport, page: DecisionPage | None = None) -> AuditReportPublic:
    base = f"/v1/audit/reports/{report.report_id}"
    last = max(report.progress_last, report.progress_position, 1)
    return AuditReportPublic(
        report_id=report.report_id,
        status=report.status,
        requested_by=report.requested_by,
        requested_at=report.requested_at,
        finished_at=report.finished_at,
        parameters=ParametersPublic.model_validate(report.parameters.to_document()),
        progress=ProgressPublic(
            position=report.progress_position,
            last=report.progress_last,
            fraction=1.0 if report.done else min(report.progress_position / last, 1.0),
        ),
        first_position=report.first_position,
        last_position=report.last_position,
        events_read=report.events_read,
        head=TreeHeadPublic.model_validate(report.head) if report.head else None,
        head_signed=bool(report.head and report.head.get("signature")),
        counts=CountsPublic.model_validate(report.counts.__dict__),
        digest=report.digest,
        error=report.error,
        links=ReportLinks(report=base, workbook=f"{base}.xlsx", evidence=f"{base}/evidence"),
        decisions=decision_page_public(report, page) if page is not None else None,
    )


def decision_page_public(report: StoredReport, page: DecisionPage) -> DecisionPagePublic:
    return DecisionPagePublic(
        items=[decision_public(report, row) for row in page.items],
        total=page.total,
        page=page.page,
        page_size=page.page_size,
    )


def decision_public(report: StoredReport, row: DecisionRow) -> AuditDecisionPublic:
    zh, en = KIND_LABELS[row.kind]
    why = row.why_not_rederived
    size = f"&tree_size={report.tree_size}" if report.tree_size else ""
    return AuditDecisionPublic(
        seq=row.seq,
        position=row.position,
        decision=row.kind,
        decision_zh=zh,
        decision_en=en,
        topic=row.topic,
        originator_id=row.originator_id,
        version=row.version,
        effective_on=row.effective_on,
        recorded_at=row.recorded_at,
        actor=row.actor,
        basis=[ReferencePublic.model_validate(b) for b in row.basis],
        region=row.region,
        listing_id=row.listing_id,
        enterprise_id=row.enterprise_id,
        outcome=row.outcome,
        differing_rules=list(row.differing_rules),
        recorded_rulebook=row.recorded_rulebook,
        recorded=findings_public(row.recorded, row.recorded_rulebook),
        rederived_rulebook=row.rederived_rulebook,
        rederived=(
            findings_public(row.rederived, row.rederived_rulebook)
            if row.rederived is not None
            else None
        ),
        note=row.note,
        why_not_rederived_zh=why[0] if why else None,
        why_not_rederived_en=why[1] if why else None,
        links=DecisionLinks(
            unit=f"/units/{row.listing_id}" if row.listing_id else None,
            history=history_link("listing" if row.listing_id else "", row.originator_id),
            event=f"/v1/ledger/proofs/inclusion?position={row.position}{size}",
        ),
    )


def history_link(aggregate: str, originator_id: UUID | str) -> str | None:
    if aggregate == "listing":
        return f"/v1/listings/{originator_id}/history"
    if aggregate == "enterprise":
        return f"/v1/enterprises/{originator_id}/history"
    return None


def findings_public(
    findings: list[dict[str, Any]], version: str | None
) -> list[AuditFindingPublic]:
    """The findings, each rule cited as the rulebook `version` reads it."""
    return [
        AuditFindingPublic(
            rule_id=f["rule_id"],
            citation=citation_of(f["rule_id"], version),
            applies=f["applies"],
            because=[
                CitedEventPublic(
                    originator_id=ref["originator_id"],
                    version=ref["version"],
                    position=ref["position"],
                    aggregate=ref["aggregate"],
                    history=history_link(ref["aggregate"], ref["originator_id"]),
                )
                for ref in f["because"]
            ],
            barred_until=f["barred_until"],
            detail=f["detail"],
        )
        for f in findings
    ]


def citation_of(rule_id: str, version: str | None) -> str | None:
    return rule(rule_id, version).citation if rule_id in RULES else None


def evidence_public(evidence: Evidence) -> EvidencePublic:
    return EvidencePublic.model_validate(evidence.to_document())
