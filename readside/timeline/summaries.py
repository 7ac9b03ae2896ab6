"""One line per event, in Chinese and in English, for the timeline and the explanations.

Every event class of the domain has its own line: `summarise` matches on the event's type and
ends in `assert_never`, so mypy refuses a class of `domain.events.LedgerEvent` it has no line for.
A summary says what the event itself records, plus what `About` tells of its subject (the list a
listing belongs to, a batch's level and year), never anything read from elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import assert_never, cast

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise, EnterpriseKey
from domain.events import LISTING_EVENTS, LedgerEvent, ListingEvent, NationalEvent
from domain.facts import Decision
from domain.listing import Listing
from domain.loading.importing import IMPORTED_AS_ANNOUNCED, IMPORTER
from domain.national.green_codes import GreenCodeRound
from domain.national.rebenchmark import RebenchmarkCampaign
from domain.tiers.stars import stars_en, stars_zh
from domain.values import (
    Category,
    Coded,
    Level,
    Reference,
    Region,
    batch_label,
    batch_label_en,
)


@dataclass(frozen=True)
class About:
    """What a summary may say of the event's subject besides the event itself."""

    category: str | None = None
    level: str | None = None
    batch_year: int | None = None
    product: str | None = None


Summary = tuple[str, str]


#: How a decision recorded from an announcement says so (issue 13): not jargon, not silence.
IMPORTED_ZH = IMPORTED_AS_ANNOUNCED
IMPORTED_EN = "imported as the ministry announced it, not re-decided under the rules"


def summarise(event: LedgerEvent, about: About = About()) -> Summary:
    """The (Chinese, English) one-line summary of `event`; a decision the importer recorded from
    an announcement says so."""
    summary_zh, summary_en = _summary(event, about)
    if event.actor == IMPORTER and isinstance(event, Decision | Listing.Nominated):
        return f"{summary_zh}——{IMPORTED_ZH}", f"{summary_en} — {IMPORTED_EN}"
    return summary_zh, summary_en


def _summary(event: LedgerEvent, about: About) -> Summary:
    if isinstance(event, LISTING_EVENTS):  # most events: one test, not the whole match below
        return _summarise_listing_event(cast(ListingEvent, event), about)
    match event:
        case Enterprise.Registered():
            return _registered(event, about)
        case Enterprise.Renamed():
            return _renamed(event, about)
        case Enterprise.AliasRecorded():
            return _alias_recorded(event, about)
        case Enterprise.CreditCodeAssigned():
            return _credit_code_assigned(event, about)
        case Enterprise.Nominated():
            return _enterprise_nominated(event, about)
        case Enterprise.CreditIncidentRecorded():
            return _incident_recorded(event, about)
        case Enterprise.CreditIncidentRetracted():
            return _incident_retracted(event, about)
        case Enterprise.RectificationCompleted():
            return _rectification_completed(event, about)
        case Enterprise.CreditIncidentEnded():
            return _incident_ended(event, about)
        case EnterpriseKey.Claimed():
            return _key_claimed(event, about)
        case Assessor.Registered():
            return _assessor_registered(event, about)
        case Assessor.EvaluationReported():
            return _evaluation_reported(event, about)
        case Assessor.EvaluationCited():
            return _evaluation_cited(event, about)
        case Assessor.EvaluationConfirmed():
            return _evaluation_confirmed(event, about)
        case Assessor.WorkReportSubmitted():
            return _work_report_submitted(event, about)
        case Assessor.Blacklisted():
            return _blacklisted(event, about)
        case Assessor.BlacklistLifted():
            return _blacklist_lifted(event, about)
        case Batch.Opened():
            return _batch_opened(event, about)
        case Batch.NominationReceived():
            return _nomination_received(event, about)
        case Batch.EvaluationCounted():
            return _evaluation_counted(event, about)
        case Batch.ParkQuotaExceptionGranted():
            return _park_quota_exception_granted(event, about)
        case Batch.Published():
            return _published(event, about)
        case Batch.Publicised():
            return _publicised(event, about)
        case Batch.ObjectionRecorded():
            return _objection_recorded(event, about)
        case _:
            return _summarise_programme_event(event, about)


def _summarise_programme_event(event: NationalEvent | ListingEvent, about: About) -> Summary:
    """The green-code rounds and the re-benchmark campaign; a listing's events otherwise."""
    match event:
        case GreenCodeRound.Opened():
            return (f"{event.report_year}年度企业绿码", f"Green codes of {event.report_year}")
        case GreenCodeRound.ApplicationRecorded():
            return ("申请企业绿码", "Applied for a green code")
        case GreenCodeRound.GreenCodeAssigned():
            return _green_code_assigned(event, about)
        case GreenCodeRound.GreenCodeWithheld():
            return (f"未获企业绿码：{event.reason}", f"No green code: {event.reason}")
        case RebenchmarkCampaign.Launched():
            due, units = event.due_on.isoformat(), len(event.units)
            return (
                f"{event.year}年对标复核启动：{units}家，{due}前完成自评价",
                f"Re-benchmark {event.year}: {units} units, due {due}",
            )
        case RebenchmarkCampaign.ResultRecorded():
            met, report = event.outcome == "meets", _doc(event.self_evaluation)
            return (
                f"对标复核自评价：{'符合' if met else '不符合'}新要求（{report}）",
                f"Re-benchmark self-evaluation: {'meets' if met else 'does not meet'}",
            )
        case RebenchmarkCampaign.NotRebenchmarked():
            return ("逾期未完成对标复核", "Not re-benchmarked by the due date")
        case _:
            return _summarise_listing_event(event, about)


def _summarise_listing_event(event: ListingEvent, about: About) -> Summary:
    match event:
        case Listing.Nominated():
            return _listing_nominated(event, about)
        case Listing.Renominated():
            return _listing_renominated(event, about)
        case Listing.Listed():
            return _listing_listed(event, about)
        case Listing.Rejected():
            return _listing_rejected(event, about)
        case Listing.IndicatorFilingSubmitted():
            return _filing_submitted(event, about)
        case Listing.FilingReviewed():
            return _filing_reviewed(event, about)
        case Listing.FilingOverdue():
            return _filing_overdue(event, about)
        case Listing.Flagged():
            return _flagged(event, about)
        case Listing.OnSiteAssessmentOrdered():
            return _assessment_ordered(event, about)
        case Listing.OnSiteAssessmentConcluded():
            return _assessment_concluded(event, about)
        case Listing.AdjustmentProposed():
            return _adjustment_proposed(event, about)
        case Listing.Removed():
            return _removed(event, about)
        case Listing.RemovalRescinded():
            return _removal_rescinded(event, about)
        case Listing.StarsRated():
            return _stars_rated(event, about)
        case _:
            assert_never(event)


def event_name(event: object) -> str:
    """`Listing.Removed`, `Enterprise.Renamed` ... (the class's qualified name)."""
    return type(event).__qualname__


# -- labels ----------------------------------------------------------------------------------


def zh(value: Coded | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Coded):
        return value.label_zh
    return value


def en(value: Coded | str | None) -> str:
    if value is None:
        return ""
    code = value.value if isinstance(value, Coded) else value
    return str(code).replace("_", " ")


def _category_zh(about: About) -> str:
    level = Level(about.level).label_zh if about.level else ""
    category = Category(about.category).label_zh if about.category else "名单"
    return f"{level}{category}"


def _category_en(about: About) -> str:
    parts = [en(about.level), en(about.category) or "list"]
    return " ".join(p for p in parts if p)


def _batch_zh(batch_year: int | None) -> str:
    return batch_label(batch_year) if batch_year else ""


def _batch_en(batch_year: int | None) -> str:
    return batch_label_en(batch_year) if batch_year else ""


def _region_zh(region: Region | str) -> str:
    return Region.of(region).name_zh


def _region_en(region: Region | str) -> str:
    return Region.of(region).name_en


def _doc(reference: Reference | None) -> str:
    return reference.describe() if reference is not None else ""


def _list_zh(items: Iterable[object]) -> str:
    return "；".join(zh(i) if isinstance(i, Coded) else str(i) for i in items)


def _list_en(items: Iterable[object]) -> str:
    return "; ".join(en(i) if isinstance(i, Coded) else str(i) for i in items)


def _paren_zh(text: str) -> str:
    return f"（{text}）" if text else ""


def _paren_en(text: str) -> str:
    return f" ({text})" if text else ""


# -- listings --------------------------------------------------------------------------------


def _listing_nominated(e: Listing.Nominated, about: About) -> Summary:
    product = e.product.name if e.product is not None else ""
    what_zh = f"{e.level.label_zh}{e.category.label_zh}"
    what_en = f"{en(e.level)} {en(e.category)}"
    return (
        f"{_region_zh(e.region)}推荐申报{_batch_zh(e.batch_year)}{what_zh}{_paren_zh(product)}",
        (
            f"Nominated by {_region_en(e.region)} for the {what_en} list, "
            f"{_batch_en(e.batch_year)}{_paren_en(product)}"
        ),
    )


def _listing_renominated(e: Listing.Renominated, about: About) -> Summary:
    return (
        f"再次推荐申报{_batch_zh(e.batch_year)}{_category_zh(about)}",
        f"Nominated again for the {_category_en(about)} list, {_batch_en(e.batch_year)}",
    )


def _listing_listed(e: Listing.Listed, about: About) -> Summary:
    doc = _doc(e.announcement)
    return (
        f"列入{_batch_zh(e.batch_year)}{_category_zh(about)}名单{_paren_zh(doc)}",
        f"Listed in the {_category_en(about)} list, {_batch_en(e.batch_year)}{_paren_en(doc)}",
    )


def _listing_rejected(e: Listing.Rejected, about: About) -> Summary:
    doc = _doc(e.announcement)
    return (
        f"未列入{_batch_zh(e.batch_year)}{_category_zh(about)}名单{_paren_zh(doc)}",
        (
            f"Not listed in the {_category_en(about)} list, {_batch_en(e.batch_year)}"
            f"{_paren_en(doc)}"
        ),
    )


def _filing_submitted(e: Listing.IndicatorFilingSubmitted, about: About) -> Summary:
    count = len(e.indicators)
    return (
        f"提交{e.report_year}年度动态管理表（{count}项关键指标）",
        f"Filed the {e.report_year} dynamic management table ({count} key indicators)",
    )


def _filing_reviewed(e: Listing.FilingReviewed, about: About) -> Summary:
    findings = tuple(e.findings)
    return (
        f"{e.report_year}年度动态管理表审核：{zh(e.outcome)}{_paren_zh(_list_zh(findings))}",
        f"Review of the {e.report_year} filing: {en(e.outcome)}{_paren_en(_list_en(findings))}",
    )


def _filing_overdue(e: Listing.FilingOverdue, about: About) -> Summary:
    deadline = e.deadline.isoformat()
    return (
        f"{e.report_year}年度动态管理表逾期未报（截止{deadline}）",
        f"The {e.report_year} filing is overdue (due {deadline})",
    )


def _flagged(e: Listing.Flagged, about: About) -> Summary:
    reasons = tuple(e.reasons)
    return (
        f"标记待核查{_paren_zh(_list_zh(reasons))}",
        f"Flagged for review{_paren_en(_list_en(reasons))}",
    )


def _assessment_ordered(e: Listing.OnSiteAssessmentOrdered, about: About) -> Summary:
    return f"组织现场评估：{e.reason}", f"On-site assessment ordered: {e.reason}"


def _assessment_concluded(e: Listing.OnSiteAssessmentConcluded, about: About) -> Summary:
    findings = tuple(e.findings)
    return (
        f"现场评估结论：{zh(e.outcome)}{_paren_zh(_list_zh(findings))}",
        f"On-site assessment concluded: {en(e.outcome)}{_paren_en(_list_en(findings))}",
    )


def _adjustment_proposed(e: Listing.AdjustmentProposed, about: About) -> Summary:
    reasons = tuple(e.reasons)
    new_name_zh = f"，拟更名为{e.new_name}" if e.new_name else ""
    new_name_en = f", new name {e.new_name}" if e.new_name else ""
    return (
        f"提出调整意见：{zh(e.action)}{new_name_zh}{_paren_zh(_list_zh(reasons))}",
        f"Adjustment proposed: {en(e.action)}{new_name_en}{_paren_en(_list_en(reasons))}",
    )


def _removed(e: Listing.Removed, about: About) -> Summary:
    reasons = tuple(e.reasons)
    doc = _doc(e.announcement)
    bar_zh = f"，至{e.barred_until.isoformat()}（含）不得申报" if e.barred_until else ""
    bar_en = f"; barred through {e.barred_until.isoformat()}" if e.barred_until else ""
    return (
        f"移出{_category_zh(about)}名单：{_list_zh(reasons)}{bar_zh}{_paren_zh(doc)}",
        (
            f"Removed from the {_category_en(about)} list: {_list_en(reasons)}{bar_en}"
            f"{_paren_en(doc)}"
        ),
    )


def _removal_rescinded(e: Listing.RemovalRescinded, about: About) -> Summary:
    return (
        f"撤销移出决定（更正），恢复在名单状态：{e.reason}",
        f"Removal rescinded (a correction); back on the list: {e.reason}",
    )


def _stars_rated(e: Listing.StarsRated, about: About) -> Summary:
    doc = _doc(e.announcement)
    return (
        f"评定为{stars_zh(e.stars)}级{_category_zh(about)}{_paren_zh(doc)}",
        f"Rated {stars_en(e.stars)}{_paren_en(doc)}",
    )


# -- enterprises -----------------------------------------------------------------------------


def _registered(e: Enterprise.Registered, about: About) -> Summary:
    code = f"，统一社会信用代码{e.uscc}" if e.uscc else ""
    code_en = f", credit code {e.uscc}" if e.uscc else ""
    fictitious_zh = "示例数据：虚构单位，" if e.synthetic else ""
    fictitious_en = "fictitious demo unit, " if e.synthetic else ""
    return (
        f"登记申报主体：{e.name}（{fictitious_zh}{_region_zh(e.region)}{code}）",
        f"Applicant registered: {e.name} ({fictitious_en}{_region_en(e.region)}{code_en})",
    )


def _alias_recorded(e: Enterprise.AliasRecorded, about: About) -> Summary:
    return (
        f"记录别名：{e.alias}（同一单位，非更名）",
        f"Alias recorded: {e.alias} (the same body, not a change of name)",
    )


def _renamed(e: Enterprise.Renamed, about: About) -> Summary:
    return (
        f"更名：{e.previous_name} → {e.name}",
        f"Renamed: {e.previous_name} → {e.name}",
    )


def _credit_code_assigned(e: Enterprise.CreditCodeAssigned, about: About) -> Summary:
    return f"补录统一社会信用代码：{e.uscc}", f"Credit code recorded: {e.uscc}"


def _enterprise_nominated(e: Enterprise.Nominated, about: About) -> Summary:
    what = About(category=e.category.value, level=e.level.value)
    return (
        f"被推荐申报{_batch_zh(e.batch_year)}{_category_zh(what)}",
        f"Nominated for the {_category_en(what)} list, {_batch_en(e.batch_year)}",
    )


def _incident_recorded(e: Enterprise.CreditIncidentRecorded, about: About) -> Summary:
    grade_zh = f"（{zh(e.grade)}）" if e.grade else ""
    grade_en = f" ({en(e.grade)})" if e.grade else ""
    doc = _doc(e.reference)
    return (
        (
            f"记录信用事件：{zh(e.kind)}{grade_zh}，发生于{e.occurred_on.isoformat()}，"
            f"来源：{zh(e.source)}{_paren_zh(doc)}"
        ),
        (
            f"Credit incident recorded: {en(e.kind)}{grade_en} on {e.occurred_on.isoformat()}, "
            f"source: {en(e.source)}{_paren_en(doc)}"
        ),
    )


def _incident_retracted(e: Enterprise.CreditIncidentRetracted, about: About) -> Summary:
    return (
        f"撤回信用事件记录（更正）：{e.reason}",
        f"Credit incident retracted (a correction): {e.reason}",
    )


def _rectification_completed(e: Enterprise.RectificationCompleted, about: About) -> Summary:
    return "完成节能监察整改", "Energy-saving rectification completed"


def _incident_ended(e: Enterprise.CreditIncidentEnded, about: About) -> Summary:
    ended = e.ended_on.isoformat()
    return (
        f"信用事件所述状态于{ended}结束（此后三年内仍不得申报）",
        f"The condition the credit incident records ended on {ended} (barred three years more)",
    )


def _key_claimed(e: EnterpriseKey.Claimed, about: About) -> Summary:
    return f"关联识别标识：{e.key}", f"Identifying key linked: {e.key}"


# -- assessors -------------------------------------------------------------------------------


def _assessor_registered(e: Assessor.Registered, about: About) -> Summary:
    group_zh = f"，所属集团：{e.group}" if e.group else ""
    group_en = f", group {e.group}" if e.group else ""
    if e.legal_representative:
        group_zh += f"，法定代表人：{e.legal_representative}"
        group_en += f", legal representative {e.legal_representative}"
    return (
        (
            f"登记第三方评价机构：{e.name}（高级职称{e.senior_staff}人，中级{e.intermediate_staff}人"
            f"{group_zh}）"
        ),
        (
            f"Assessor registered: {e.name} ({e.senior_staff} senior, {e.intermediate_staff} "
            f"intermediate staff{group_en})"
        ),
    )


def _evaluation_reported(e: Assessor.EvaluationReported, about: About) -> Summary:
    doc = _doc(e.report)
    return (
        f"报送{_batch_zh(e.batch_year)}第三方评价结论：{zh(e.conclusion)}{_paren_zh(doc)}",
        (f"Evaluation reported, {_batch_en(e.batch_year)}: {en(e.conclusion)}{_paren_en(doc)}"),
    )


def _evaluation_cited(e: Assessor.EvaluationCited, about: About) -> Summary:
    doc = _doc(e.report)
    return (
        (
            f"推荐单位引用{_batch_zh(e.batch_year)}第三方评价结论：{zh(e.conclusion)}"
            f"{_paren_zh(doc)}，待评价机构确认"
        ),
        (
            f"Evaluation cited by the nomination, {_batch_en(e.batch_year)}: {en(e.conclusion)}"
            f"{_paren_en(doc)}, awaiting the assessor's confirmation"
        ),
    )


def _evaluation_confirmed(e: Assessor.EvaluationConfirmed, about: About) -> Summary:
    doc = _doc(e.report)
    return (
        f"评价机构确认{_batch_zh(e.batch_year)}第三方评价结论：{zh(e.conclusion)}{_paren_zh(doc)}",
        (
            f"Evaluation confirmed by the assessor, {_batch_en(e.batch_year)}: "
            f"{en(e.conclusion)}{_paren_en(doc)}"
        ),
    )


def _work_report_submitted(e: Assessor.WorkReportSubmitted, about: About) -> Summary:
    doc = _doc(e.report)
    return (
        f"报送{e.report_year}年度工作报告：评价{e.evaluations}项，通过{e.passed}项{_paren_zh(doc)}",
        (
            f"Work report for {e.report_year}: {e.evaluations} evaluations, {e.passed} passed"
            f"{_paren_en(doc)}"
        ),
    )


def _blacklisted(e: Assessor.Blacklisted, about: About) -> Summary:
    until = e.until.isoformat()
    return (
        f"列入黑名单至{until}：{e.reason}",
        f"Blacklisted through {until}: {e.reason}",
    )


def _blacklist_lifted(e: Assessor.BlacklistLifted, about: About) -> Summary:
    return f"移出黑名单：{e.reason}", f"Blacklisting lifted: {e.reason}"


# -- batches ---------------------------------------------------------------------------------


def _batch_opened(e: Batch.Opened, about: About) -> Summary:
    return (
        f"启动{_batch_zh(e.batch_year)}{zh(e.level)}推荐工作（规则版本{e.rulebook}）",
        f"The {en(e.level)} {_batch_en(e.batch_year)} opened (rulebook {e.rulebook})",
    )


def _nomination_received(e: Batch.NominationReceived, about: About) -> Summary:
    return (
        f"收到{_region_zh(e.region_code)}推荐的{zh(e.category)}",
        f"Nomination received from {_region_en(e.region_code)}: {en(e.category)}",
    )


def _evaluation_counted(e: Batch.EvaluationCounted, about: About) -> Summary:
    return (
        f"计入评价机构（{e.evaluator_group}）本批次评价数量",
        f"Evaluation counted against {e.evaluator_group} in this round",
    )


def _park_quota_exception_granted(e: Batch.ParkQuotaExceptionGranted, about: About) -> Summary:
    return (
        (
            f"同意{_region_zh(e.region_code)}本批次多推荐{e.parks}家绿色工业园区"
            f"（原则上不超过3家）：{e.reason}"
        ),
        (
            f"{_region_en(e.region_code)} may nominate {e.parks} more green park(s) in this "
            f"round (in principle at most 3): {e.reason}"
        ),
    )


def _publicised(e: Batch.Publicised, about: About) -> Summary:
    starts, ends = e.starts_on.isoformat(), e.ends_on.isoformat()
    return (
        f"拟入选名单公示（{_doc(e.announcement)}）：{len(e.nominees)}家，公示期{starts}至{ends}",
        f"Nominees publicised: {len(e.nominees)}, {starts} to {ends}",
    )


def _objection_recorded(e: Batch.ObjectionRecorded, about: About) -> Summary:
    who = f"（{e.objector}）" if e.objector else ""
    return (
        f"公示期间收到异议{who}：{e.objection}",
        f"Objection during the publicity: {e.objection}",
    )


def _green_code_assigned(e: GreenCodeRound.GreenCodeAssigned, about: About) -> Summary:
    if e.method is None:
        doc = f"（{_doc(e.announcement)}）" if e.announcement is not None else ""
        return (f"企业绿码：{e.grade}{doc}", f"Green code {e.grade} (as assigned)")
    return (
        f"企业绿码：{e.grade}（得分{e.score}，第{e.rank}名/共{e.graded}家，方法{e.method}）",
        f"Green code {e.grade}: score {e.score}, rank {e.rank} of {e.graded} ({e.method})",
    )


def _published(e: Batch.Published, about: About) -> Summary:
    doc = _doc(e.announcement)
    listed, rejected, removed = len(e.listed), len(e.rejected), len(e.removed)
    level_zh = Level(about.level).label_zh if about.level else ""
    return (
        (
            f"发布{_batch_zh(about.batch_year)}{level_zh}名单{_paren_zh(doc)}："
            f"列入{listed}个，未入选{rejected}个，移出{removed}个"
        ),
        (
            f"The {en(about.level)} {_batch_en(about.batch_year)} list published{_paren_en(doc)}: "
            f"{listed} listed, {rejected} not listed, {removed} removed"
        ),
    )
