"""The unit's forms: the province's dynamic management (工信厅节函〔2022〕235号 二 — the yearly
filing with the category's indicators, its review, the on-site assessment and its conclusion, the
adjustment proposal) and the ministry's decisions (removal, its rescission, the publication of a
nominated unit in its batch)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.http.auth import Role
from api.http.schemas.batches import BatchPublication
from api.http.schemas.listings import (
    AssessmentConclusion,
    AssessmentOrder,
    FilingCreate,
    FilingReview,
    ProposalCreate,
    RemovalCreate,
    RemovalRescission,
    StarsCreate,
)
from api.web.commands.form import (
    Choice,
    CommandForm,
    Draft,
    FormField,
    Raw,
    Subject,
    coded_choices,
    lines,
    number,
    put,
    reference,
    text,
    texts,
)
from domain.ledger import Ledger, Receipt
from domain.tiers.stars import STARS, stars_en, stars_zh
from domain.values import (
    AssessmentOutcome,
    Category,
    FilingOutcome,
    Level,
    ListingStatus,
    ProposalAction,
    Provenance,
    RemovalReason,
    indicator_definitions,
)
from readside.listings.queue import default_report_year

PROVINCE = frozenset({Role.PROVINCE})
MINISTRY = frozenset({Role.MINISTRY})
CLASSES = (
    Choice("benchmark", "标杆", "benchmark"),
    Choice("advanced", "先进", "advanced"),
    Choice("baseline", "基准", "baseline"),
    Choice("below", "低于基准", "below the baseline"),
)


def _on_list(subject: Subject) -> bool:
    return subject.listing is not None and subject.listing.is_on_list


def _indicators(category: Category) -> list[Any]:
    return [d for d in indicator_definitions().values() if category in d.categories]


# -- the yearly filing (DYN-1) ---------------------------------------------------------------------


def _filing_fields(subject: Subject) -> list[FormField]:
    assert subject.listing is not None
    fields = [
        FormField(
            "report_year",
            "报告年度",
            "Report year",
            "number",
            required=True,
            default=str(default_report_year()),
        )
    ]
    for definition in _indicators(subject.listing.category):
        name = f"indicators.{definition.code}"
        if definition.unit == "class":
            fields.append(
                FormField(name, definition.name_zh, definition.code, "select", choices=CLASSES)
            )
        else:
            fields.append(
                FormField(name, definition.name_zh, definition.code, "number", unit=definition.unit)
            )
    return fields


def _filing_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    assert subject.listing is not None
    put(draft, raw, "report_year")
    indicators: dict[str, dict[str, Any]] = {}
    for definition in _indicators(subject.listing.category):
        name = f"indicators.{definition.code}"
        if definition.unit == "class":
            value: Any = text(raw, name) or None
        else:
            value = number(draft, raw, name)
        if value is not None:
            indicators[definition.code] = {"value": str(value), "unit": definition.unit}
    if indicators:
        draft.body["indicators"] = indicators
    elif not draft.errors:
        draft.errors["indicators"] = ("至少填写一项指标", "fill in at least one indicator")


def _file(ledger: Ledger, s: Subject, body: Any, draft: Draft, p: Provenance) -> Receipt:
    return ledger.submit_filing(
        s.listing_id,
        report_year=body.report_year,
        indicators={code: i.to_domain() for code, i in body.indicators.items()},
        provenance=p,
    )


FILING = CommandForm(
    name="filing",
    zh="填报年度动态管理表",
    en="File the yearly table",
    roles=PROVINCE,
    schema=FilingCreate,
    offered=_on_list,
    fields=_filing_fields,
    to_body=_filing_body,
    run=_file,
    creates=True,
)


# -- its review --------------------------------------------------------------------------------


def _filed_years(subject: Subject) -> list[int]:
    assert subject.listing is not None
    filings = subject.listing.filings
    unreviewed = sorted((y for y, f in filings.items() if f.outcome is None), reverse=True)
    reviewed = sorted((y for y, f in filings.items() if f.outcome is not None), reverse=True)
    return unreviewed + reviewed


def _review_fields(subject: Subject) -> list[FormField]:
    filed = _filed_years(subject)
    years = tuple(Choice(str(y), f"{y}年度", str(y)) for y in filed)
    first = str(filed[0]) if filed else ""
    return [
        FormField("report_year", "报告年度", "Report year", "select", True, years, default=first),
        FormField("outcome", "审核结论", "Outcome", "select", True, coded_choices(FilingOutcome)),
        FormField("findings", "审核意见（每行一条）", "Findings (one a line)", "lines"),
    ]


def _year_in_path(raw: Raw, draft: Draft) -> None:
    value = text(raw, "report_year")
    if not value.isdigit():
        draft.errors["report_year"] = ("请选择报告年度", "choose the report year")
    else:
        draft.path["report_year"] = int(value)


def _review_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    _year_in_path(raw, draft)
    put(draft, raw, "outcome")
    draft.body["findings"] = lines(raw, "findings")


def _review(ledger: Ledger, s: Subject, body: Any, draft: Draft, p: Provenance) -> Receipt:
    return ledger.review_filing(
        s.listing_id,
        report_year=draft.path["report_year"],
        outcome=body.outcome,
        findings=body.findings,
        provenance=p,
    )


REVIEW = CommandForm(
    name="review",
    zh="审核年度填报",
    en="Review a filing",
    roles=PROVINCE,
    schema=FilingReview,
    offered=lambda s: _on_list(s) and bool(_filed_years(s)),
    fields=_review_fields,
    to_body=_review_body,
    run=_review,
)


# -- the on-site assessment (DYN-2) --------------------------------------------------------------


def _no_open_assessment(subject: Subject) -> bool:
    return (
        _on_list(subject)
        and subject.listing is not None
        and (subject.listing.open_assessment is None)
    )


def _open_assessment(subject: Subject) -> UUID | None:
    if subject.listing is None or subject.listing.open_assessment is None:
        return None
    return subject.listing.open_assessment.assessment_id


ORDER = CommandForm(
    name="assessment",
    zh="组织现场评估",
    en="Order an on-site assessment",
    roles=PROVINCE,
    schema=AssessmentOrder,
    offered=_no_open_assessment,
    fields=lambda s: [FormField("reason", "评估事由", "Reason", "textarea", required=True)],
    to_body=lambda raw, s, draft: put(draft, raw, "reason"),
    run=lambda ledger, s, body, draft, p: ledger.order_assessment(
        s.listing_id, reason=body.reason, provenance=p
    ),
    creates=True,
)


def _conclusion_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    draft.path["assessment_id"] = _open_assessment(subject)
    put(draft, raw, "outcome")
    draft.body["findings"] = lines(raw, "findings")


CONCLUSION = CommandForm(
    name="conclusion",
    zh="现场评估结论",
    en="Conclude the on-site assessment",
    roles=PROVINCE,
    schema=AssessmentConclusion,
    offered=lambda s: _open_assessment(s) is not None,
    fields=lambda s: [
        FormField(
            "outcome", "评估结论", "Outcome", "select", True, coded_choices(AssessmentOutcome)
        ),
        FormField("findings", "评估意见（每行一条）", "Findings (one a line)", "lines"),
    ],
    to_body=_conclusion_body,
    run=lambda ledger, s, body, draft, p: ledger.conclude_assessment(
        s.listing_id,
        draft.path["assessment_id"],
        outcome=body.outcome,
        findings=body.findings,
        provenance=p,
    ),
)


# -- the adjustment proposal ---------------------------------------------------------------------


def _proposal_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    put(draft, raw, "action")
    draft.body["reasons"] = lines(raw, "reasons")
    put(draft, raw, "new_name")


PROPOSAL = CommandForm(
    name="proposal",
    zh="提出调整意见",
    en="Propose an adjustment",
    roles=PROVINCE,
    schema=ProposalCreate,
    offered=_on_list,
    fields=lambda s: [
        FormField("action", "调整意见", "Action", "select", True, coded_choices(ProposalAction)),
        FormField("reasons", "理由（每行一条）", "Reasons (one a line)", "lines"),
        FormField("new_name", "新名称（更名时填写）", "New name (rename only)"),
    ],
    to_body=_proposal_body,
    run=lambda ledger, s, body, draft, p: ledger.propose_adjustment(
        s.listing_id,
        action=body.action,
        reasons=body.reasons,
        new_name=body.new_name,
        provenance=p,
    ),
    creates=True,
)


# -- the ministry's decisions --------------------------------------------------------------------


def _removal_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    draft.body["reasons"] = texts(raw, "reasons")
    announcement = reference(raw, "announcement")
    if announcement:
        draft.body["announcement"] = announcement


REMOVAL = CommandForm(
    name="removal",
    zh="移出名单",
    en="Remove from the list",
    roles=MINISTRY,
    schema=RemovalCreate,
    offered=_on_list,
    fields=lambda s: [
        FormField(
            "reasons", "移出理由", "Reasons", "checkboxes", True, coded_choices(RemovalReason)
        ),
        FormField("announcement.doc_no", "公告文号", "Announcement number"),
        FormField("announcement.url", "公告网址", "Announcement URL"),
    ],
    to_body=_removal_body,
    run=lambda ledger, s, body, draft, p: ledger.remove_listing(
        s.listing_id,
        reasons=body.reasons,
        announcement=body.announcement.to_domain() if body.announcement else None,
        provenance=p,
    ),
)

RESCISSION = CommandForm(
    name="rescission",
    zh="撤销移出决定",
    en="Rescind the removal",
    roles=MINISTRY,
    schema=RemovalRescission,
    offered=lambda s: s.listing is not None and s.listing.status is ListingStatus.REMOVED,
    fields=lambda s: [FormField("reason", "撤销理由", "Reason", "textarea", required=True)],
    to_body=lambda raw, s, draft: put(draft, raw, "reason"),
    run=lambda ledger, s, body, draft, p: ledger.rescind_removal(
        s.listing_id, reason=body.reason, provenance=p
    ),
)

OUTCOMES = (Choice("listed", "列入名单", "listed"), Choice("rejected", "未入选", "not listed"))


def _publication_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    assert subject.listing is not None
    draft.body["level"] = subject.listing.level.value
    if subject.listing.level is not Level.NATIONAL:  # a province's own round (ADR 0141)
        draft.body["region"] = subject.listing.region.code
        if subject.listing.city:
            draft.body["city"] = subject.listing.city
    outcome = text(raw, "outcome")
    if outcome not in ("listed", "rejected"):
        draft.errors["outcome"] = ("请选择公布结果", "choose the outcome")
    else:
        draft.body[outcome] = [str(subject.listing_id)]
    announcement = reference(raw, "announcement") or {}
    if text(raw, "announcement.date"):
        announcement["date"] = text(raw, "announcement.date")
    draft.body["announcement"] = announcement


def _publishes(subject: Subject) -> bool:
    """A nominated unit, published by the keeper of its list: the ministry the national list, a
    province its own provincial and municipal lists (ADR 0141)."""
    listing = subject.listing
    if listing is None or listing.status is not ListingStatus.NOMINATED:
        return False
    national = listing.level is Level.NATIONAL
    return national if subject.principal.role is Role.MINISTRY else not national


PUBLICATION = CommandForm(
    name="publication",
    zh="公布（本批次）",
    en="Publish in its batch",
    roles=MINISTRY | PROVINCE,
    schema=BatchPublication,
    offered=_publishes,
    fields=lambda s: [
        FormField("outcome", "公布结果", "Outcome", "select", True, OUTCOMES),
        FormField("announcement.doc_no", "公告文号", "Announcement number", required=True),
        FormField("announcement.date", "公告日期", "Announcement date", "date", required=True),
        FormField("announcement.url", "公告网址", "Announcement URL"),
    ],
    to_body=_publication_body,
    run=lambda ledger, s, body, draft, p: ledger.publish_batch(
        level=body.level,
        batch_year=s.listing.batch_year if s.listing is not None else 0,
        announcement=body.announcement.to_domain(),
        listed=body.listed,
        rejected=body.rejected,
        region=body.region,
        city=body.city,
        provenance=p,
    ),
    effective_on=lambda body: body.announcement.date,
)

STAR_CHOICES = tuple(Choice(str(n), stars_zh(n), stars_en(n)) for n in STARS)


def _stars_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    chosen = text(raw, "stars")
    if chosen not in ("3", "4", "5"):
        draft.errors["stars"] = ("请选择星级（三星、四星或五星）", "choose 3, 4 or 5 stars")
    else:
        draft.body["stars"] = int(chosen)
    announcement = reference(raw, "announcement") or {}
    if text(raw, "announcement.date"):
        announcement["date"] = text(raw, "announcement.date")
    draft.body["announcement"] = announcement


STARS_FORM = CommandForm(
    name="stars",
    zh="评定星级",
    en="Rate with stars",
    roles=PROVINCE,
    schema=StarsCreate,
    offered=lambda s: (
        _on_list(s) and s.listing is not None and s.listing.level is not Level.NATIONAL
    ),
    fields=lambda s: [
        FormField("stars", "星级", "Stars", "select", True, STAR_CHOICES),
        FormField("announcement.doc_no", "公告文号", "Announcement number", required=True),
        FormField("announcement.date", "公告日期", "Announcement date", "date", required=True),
    ],
    to_body=_stars_body,
    run=lambda ledger, s, body, draft, p: ledger.rate_stars(
        s.listing_id, stars=body.stars, announcement=body.announcement.to_domain(), provenance=p
    ),
    effective_on=lambda body: body.announcement.date,
    creates=True,
)

LISTING_FORMS = (
    *(FILING, REVIEW, ORDER, CONCLUSION, PROPOSAL, REMOVAL, RESCISSION, PUBLICATION),
    STARS_FORM,
)
