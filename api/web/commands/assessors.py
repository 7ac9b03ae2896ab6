"""An assessor's forms on its own page: the report of an evaluation it carried out (EVAL-1,
counted against EVAL-4) and its yearly work report (EVAL-5, 工信厅节函〔2022〕235号 附件10)."""

from __future__ import annotations

from api.http.auth import Role
from api.http.schemas.assessors import EvaluationReport, WorkReportCreate
from api.web.commands.form import (
    CommandForm,
    Draft,
    FormField,
    Raw,
    Subject,
    coded_choices,
    put,
    reference,
)
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

ASSESSOR_FORMS = (EVALUATION, WORK_REPORT)
