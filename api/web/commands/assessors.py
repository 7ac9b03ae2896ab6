"""An assessor's forms on its own page: the report of an evaluation it carried out (EVAL-1,
counted against EVAL-4), the confirmation of an evaluation a province cited (only confirmed ones
count toward the cap, ADR 0110) and its yearly work report (EVAL-5, 工信厅节函〔2022〕235号
附件10)."""

from __future__ import annotations

from uuid import UUID

from api.http.auth import Role
from api.http.schemas.assessors import EvaluationReport, WorkReportCreate
from api.http.schemas.common import CommandBody
from api.web.commands.form import (
    Choice,
    CommandForm,
    Draft,
    FormField,
    Raw,
    Subject,
    coded_choices,
    put,
    reference,
    text,
)
from domain.assessor import CitedEvaluation
from domain.values import EvaluationConclusion
from readside.listings.queue import default_report_year

ASSESSOR = frozenset({Role.ASSESSOR})
REPORT_FIELDS = (
    FormField("report.doc_no", "报告文号", "Report number"),
    FormField("report.title", "报告标题", "Report title"),
    FormField("report.url", "报告网址", "Report URL"),
)


def _report(raw: Raw, draft: Draft) -> None:
    found = reference(raw, "report")
    if found:
        draft.body["report"] = found


def _evaluation_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    put(draft, raw, "listing_id")
    put(draft, raw, "conclusion")
    _report(raw, draft)


EVALUATION = CommandForm(
    name="evaluation",
    zh="报告评价结果",
    en="Report an evaluation",
    roles=ASSESSOR,
    schema=EvaluationReport,
    offered=lambda s: s.assessor is not None,
    fields=lambda s: [
        FormField("listing_id", "名单编号（推荐单位）", "Listing id", required=True),
        FormField(
            "conclusion",
            "评价结论",
            "Conclusion",
            "select",
            True,
            coded_choices(EvaluationConclusion),
        ),
        *REPORT_FIELDS,
    ],
    to_body=_evaluation_body,
    run=lambda ledger, s, body, draft, p: ledger.report_evaluation(
        s.assessor_id,
        listing_id=body.listing_id,
        conclusion=body.conclusion,
        report=body.report.to_domain(),
        provenance=p,
    ),
    creates=True,
)


def cited_choice(cited: CitedEvaluation) -> Choice:
    """How a pending citation reads in the confirmation form's list."""
    report = cited.report.doc_no or cited.report.title or "—"
    conclusion = cited.conclusion
    return Choice(
        str(cited.evaluation_id),
        f"{cited.batch_year}年度 · {report} · {conclusion.label_zh} · 名单编号{cited.listing_id}"
        f" · {cited.cited_by}于{cited.cited_on.isoformat()}引用",
        f"{cited.batch_year} · {report} · {conclusion.value} · listing {cited.listing_id}"
        f" · cited by {cited.cited_by} on {cited.cited_on.isoformat()}",
    )


def pending_citations(subject: Subject) -> list[CitedEvaluation]:
    """The evaluations provinces cited that the assessor has not confirmed, oldest first."""
    if subject.assessor is None:
        return []
    return sorted(subject.assessor.cited.values(), key=lambda c: (c.cited_on, c.version))


def _confirmation_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    value = text(raw, "evaluation_id")
    try:
        draft.path["evaluation_id"] = UUID(value)
    except ValueError:
        draft.errors["evaluation_id"] = (
            "请选择要确认的评价",
            "choose the evaluation to confirm",
        )


CONFIRMATION = CommandForm(
    name="confirmation",
    zh="确认被引用的评价",
    en="Confirm an evaluation a province cited",
    roles=ASSESSOR,
    schema=CommandBody,
    offered=lambda s: bool(pending_citations(s)),
    fields=lambda s: [
        FormField(
            "evaluation_id",
            "待确认的评价（推荐时被引用）",
            "Evaluation awaiting confirmation",
            "select",
            True,
            tuple(cited_choice(c) for c in pending_citations(s)),
            hint_zh="确认后计入本机构评价数量上限",
        ),
    ],
    to_body=_confirmation_body,
    run=lambda ledger, s, body, draft, p: ledger.confirm_evaluation(
        s.assessor_id, draft.path["evaluation_id"], provenance=p
    ),
)


def _work_report_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    for name in ("report_year", "evaluations", "passed", "summary"):
        put(draft, raw, name)
    _report(raw, draft)


WORK_REPORT = CommandForm(
    name="work-report",
    zh="报送年度工作报告（附件10）",
    en="File the yearly work report",
    roles=ASSESSOR,
    schema=WorkReportCreate,
    offered=lambda s: s.assessor is not None,
    fields=lambda s: [
        FormField(
            "report_year",
            "报告年度",
            "Report year",
            "number",
            True,
            default=str(default_report_year()),
        ),
        FormField("evaluations", "评价项目数", "Evaluations", "number", True),
        FormField("passed", "其中通过数", "Of which passed", "number", True),
        FormField("summary", "工作概述", "Summary", "textarea"),
        *REPORT_FIELDS,
    ],
    to_body=_work_report_body,
    run=lambda ledger, s, body, draft, p: ledger.submit_work_report(
        s.assessor_id,
        report_year=body.report_year,
        report=body.report.to_domain(),
        evaluations=body.evaluations,
        passed=body.passed,
        summary=body.summary,
        provenance=p,
    ),
    creates=True,
)

ASSESSOR_FORMS = (CONFIRMATION, EVALUATION, WORK_REPORT)
