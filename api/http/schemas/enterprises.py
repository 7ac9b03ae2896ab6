"""Bodies of the enterprise commands (申报主体): register, rename, credit code, credit incidents."""

from __future__ import annotations

from pydantic import ConfigDict, Field, JsonValue

from api.http.schemas.common import (
    CommandBody,
    Day,
    Name,
    Reason,
    ReferenceIn,
    RegionCode,
    ShortText,
    UsccCode,
)
from domain.values import IncidentGrade, IncidentKind, IncidentSource

_BASIS: JsonValue = [{"doc_no": "苏工信节能〔2023〕12号", "title": "省级审核意见"}]


class EnterpriseCreate(CommandBody):
    """Enterprise.Registered; registering the same credit code (or region + name) again finds
    the enterprise already recorded and writes nothing (200)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "江苏绿源钢铁有限公司",
                    "region": "320000",
                    "uscc": "91350200776049653A",
                    "industry": "黑色金属冶炼和压延加工业",
                    "effective_on": "2023-09-20",
                    "basis": _BASIS,
                }
            ]
        }
    )

    name: Name
    region: RegionCode
    uscc: UsccCode | None = None
    industry: ShortText | None = Field(default=None, description="行业 (as the lists name it).")


class EnterpriseRename(CommandBody):
    """Enterprise.Renamed (the former name still leads to the enterprise)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "江苏绿源新材料有限公司", "effective_on": "2024-01-15"}]
        }
    )

    name: Name


class CreditCodeAssignment(CommandBody):
    """Enterprise.CreditCodeAssigned: the credit code of an enterprise registered without one."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"uscc": "91350200776049653A", "basis": _BASIS}]}
    )

    uscc: UsccCode


class IncidentCreate(CommandBody):
    """Enterprise.CreditIncidentRecorded. By the rulebook, a grave enough accident removes the
    enterprise's listings at once (DYN-4); a lesser one flags them (DYN-3)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "safety",
                    "grade": "major",
                    "occurred_on": "2023-04-02",
                    "source": "credit_china",
                    "reference": {
                        "title": "信用中国行政处罚公示",
                        "url": "https://www.creditchina.gov.cn/example",
                    },
                    "effective_on": "2023-05-04",
                }
            ]
        }
    )

    kind: IncidentKind
    grade: IncidentGrade | None = Field(
        default=None,
        description="minor 一般, serious 较大, major 重大, grave 特别重大 (accidents only).",
    )
    occurred_on: Day
    source: IncidentSource
    reference: ReferenceIn


class IncidentRetraction(CommandBody):
    """Enterprise.CreditIncidentRetracted: a correction; the incident no longer counts."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "信用中国已撤销该处罚信息"}]}
    )

    reason: Reason


class RectificationCompletion(CommandBody):
    """Enterprise.RectificationCompleted: the rectification an incident required is done
    (lifts NEG-5)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"effective_on": "2024-02-01", "basis": [{"doc_no": "苏工信节能〔2024〕3号"}]}
            ]
        }
    )
