"""Bodies of the assessor commands (第三方评价机构): register, blacklist, lift, report."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from api.http.chinese import BilingualValueError
from api.http.schemas.common import (
    STORABLE,
    CommandBody,
    Day,
    LongNote,
    Name,
    Reason,
    ReferenceIn,
    ReportYear,
    ShortText,
    UsccCode,
)
from domain.values import EvaluationConclusion

StaffCount = Annotated[int, Field(ge=0, le=100000)]


class AssessorCreate(CommandBody):
    """Assessor.Registered; the same credit code again writes nothing (200)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "中环绿色评价技术有限公司",
                    "uscc": "91350200MA31E12PXF",
                    "group": "中环集团",
                    "senior_staff": 6,
                    "intermediate_staff": 9,
                    "legal_representative": "王某某",
                }
            ]
        }
    )

    name: Name
    uscc: UsccCode
    group: ShortText | None = Field(
        default=None, description="The group of affiliates its evaluations count with (EVAL-4)."
    )
    senior_staff: StaffCount
    intermediate_staff: StaffCount
    legal_representative: ShortText | None = Field(
        default=None,
        description="Its legal representative (法定代表人): from 13号 on, the bodies with the same "
        "one count together against the cap (EVAL-4, 第二十条). Unknown, the assessor's own "
        "evaluations count alone.",
    )


class Blacklisting(CommandBody):
    """Assessor.Blacklisted (EVAL-2): its results are not accepted through `until`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"reason": "评价报告数据造假", "effective_on": "2024-03-01"}]
        }
    )

    reason: Reason
    until: Day | None = Field(
        default=None, description="Last day of the blacklist (default: effective_on + 3 years)."
    )


class BlacklistLifting(CommandBody):
    """Assessor.BlacklistLifted: a correction, or an early end of the blacklist."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "经复核，处理决定撤销"}]})

    reason: Reason


class EvaluationReport(CommandBody):
    """Assessor.EvaluationReported: the assessor reports its own evaluation of a nomination,
    counted against its group's cap in the nomination's batch (EVAL-4)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "listing_id": "0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d",
                    "conclusion": "pass",
                    "report": {"doc_no": "中环评〔2023〕118号", "title": "绿色工厂评价报告"},
                }
            ]
        }
    )

    listing_id: UUID
    conclusion: EvaluationConclusion
    report: ReferenceIn


class WorkReportCreate(CommandBody):
    """Assessor.WorkReportSubmitted: the yearly work report (EVAL-5, 工信厅节函〔2022〕235号
    附件10) — the report itself, and the evaluations and passes the assessor declares for the
    year. A later report of the same year corrects the earlier one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report_year": 2023,
                    "report": {
                        "title": "2023年度第三方评价工作报告",
                        "doc_no": "中环评〔2024〕3号",
                    },
                    "evaluations": 12,
                    "passed": 11,
                    "summary": "评价绿色工厂9家、绿色供应链管理企业3家",
                }
            ]
        }
    )

    report_year: ReportYear
    report: ReferenceIn
    evaluations: StaffCount = Field(description="Evaluations carried out in the year.")
    passed: StaffCount = Field(description="Of which passed.")
    summary: Annotated[str, StringConstraints(max_length=4000), LongNote, STORABLE] = Field(
        default="", description="What the report says, in brief."
    )

    @field_validator("passed")
    @classmethod
    def _no_more_passed_than_evaluated(cls, passed: int, info: ValidationInfo) -> int:
        evaluations = info.data.get("evaluations")
        if isinstance(evaluations, int) and passed > evaluations:
            raise BilingualValueError(
                f"{passed} is more than the {evaluations} evaluations",
                f"通过数 {passed} 超过评价数 {evaluations}",
            )
        return passed
