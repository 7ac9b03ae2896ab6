"""Bodies of the listing commands: nominate, file, review, assess, propose, remove, rescind."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.http.schemas.batches import Announcement
from api.http.schemas.common import (
    STORABLE,
    BatchYear,
    CityCode,
    CommandBody,
    Indicators,
    Name,
    Reason,
    ReferenceIn,
    ReportYear,
    ShortText,
    Storable,
)
from domain.values import (
    AssessmentOutcome,
    Category,
    EvaluationConclusion,
    FilingOutcome,
    Level,
    ParkLevel,
    Product,
    ProposalAction,
    RemovalReason,
    ThirdPartyEvaluation,
)

Finding = Annotated[str, StringConstraints(min_length=1, max_length=2000), Storable, STORABLE]
Findings = Annotated[list[Finding], Field(default_factory=list, max_length=100)]


class ProductIn(BaseModel):
    """A green design product: its name, model and the evaluation standard."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    model: ShortText | None = None
    standard: ShortText | None = Field(default=None, examples=["T/CISA 104-2018"])

    def to_domain(self) -> Product:
        return Product(name=self.name, model=self.model, standard=self.standard)


class ThirdPartyEvaluationIn(BaseModel):
    """The third-party evaluation report attached to a nomination (FAC-1, EVAL-1)."""

    model_config = ConfigDict(extra="forbid")

    assessor_id: UUID
    report: ReferenceIn
    conclusion: EvaluationConclusion

    def to_domain(self) -> ThirdPartyEvaluation:
        return ThirdPartyEvaluation(self.assessor_id, self.report.to_domain(), self.conclusion)


class ListingCreate(CommandBody):
    """Listing.Nominated (or Renominated after a bar has run), after the nomination rules:
    refused with 409 and every finding when a rule forbids it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "enterprise_id": "0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d",
                    "category": "green_factory",
                    "level": "national",
                    "batch_year": 2023,
                    "self_evaluation": {"title": "绿色工厂自评价报告"},
                    "third_party_evaluation": {
                        "assessor_id": "8a0d2f0e-6b3c-5f4a-9e21-7c5d4b3a2f10",
                        "report": {"doc_no": "中环评〔2023〕118号"},
                        "conclusion": "pass",
                    },
                    "indicators": {"energy_per_unit_product": {"value": 512.3, "unit": "kgce/t"}},
                    "effective_on": "2023-10-20",
                }
            ]
        }
    )

    enterprise_id: UUID
    category: Category
    level: Level
    batch_year: BatchYear
    product: ProductIn | None = Field(default=None, description="Green design products only.")
    park_level: ParkLevel | None = Field(default=None, description="Green parks only.")
    self_evaluation: ReferenceIn | None = None
    third_party_evaluation: ThirdPartyEvaluationIn | None = None
    indicators: Indicators | None = None
    city: CityCode | None = Field(
        default=None, description="A municipal nomination's prefecture, inside the region."
    )


class StarsCreate(CommandBody):
    """Listing.StarsRated: the province rates a unit on its own list 三星, 四星 or 五星 by its
    announcement, effective on `effective_on` (default: the announcement's date)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "stars": 5,
                    "announcement": {"doc_no": "沪经信节〔2024〕1号", "date": "2024-09-26"},
                }
            ]
        }
    )

    stars: Literal[3, 4, 5]
    announcement: Announcement


class FilingCreate(CommandBody):
    """Listing.IndicatorFilingSubmitted: the yearly dynamic management table (DYN-1)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report_year": 2023,
                    "indicators": {"energy_per_unit_product": {"value": 498.7, "unit": "kgce/t"}},
                    "effective_on": "2024-03-30",
                }
            ]
        }
    )

    report_year: ReportYear
    indicators: Indicators


class FilingReview(CommandBody):
    """Listing.FilingReviewed by the province; non-compliant flags the listing."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"outcome": "non_compliant", "findings": ["单位产品综合能耗高于标杆值"]}]
        }
    )

    outcome: FilingOutcome
    findings: Findings


class AssessmentOrder(CommandBody):
    """Listing.OnSiteAssessmentOrdered (DYN-2); the receipt's `id` is the assessment's id."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "年度填报指标不达标，组织现场核查"}]}
    )

    reason: Reason


class AssessmentConclusion(CommandBody):
    """Listing.OnSiteAssessmentConcluded: meets, does not meet, or rectification required."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"outcome": "does_not_meet", "findings": ["能耗指标不达标"]}]
        }
    )

    outcome: AssessmentOutcome
    findings: Findings


class ProposalCreate(CommandBody):
    """Listing.AdjustmentProposed by the province: retain, remove or rename."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"action": "remove", "reasons": ["现场评估不符合要求"]}]}
    )

    action: ProposalAction
    reasons: Findings
    new_name: Name | None = Field(default=None, description="The new name (rename only).")


class RemovalCreate(CommandBody):
    """Listing.Removed by the ministry's decision, with the rule findings it rests on."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reasons": ["refused_filing"],
                    "announcement": {"doc_no": "工信厅节函〔2024〕1号"},
                    "effective_on": "2024-01-05",
                }
            ]
        }
    )

    reasons: list[RemovalReason] = Field(min_length=1, max_length=7)
    announcement: ReferenceIn | None = None


class RemovalRescission(CommandBody):
    """Listing.RemovalRescinded: a correction; the removal is void."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "移出决定所依据的事故信息已撤销"}]}
    )

    reason: Reason
