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
    """Enterprise.CreditIncidentRecorded. By the rulebook in force: from 13号 on a 重大 or graver
    accident removes the enterprise's listings at once (DYN-4); any other incident flags them —
    an accident or tax evasion as a ground for removal the ministry must act on (DYN-3)."""

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


class IncidentEnd(CommandBody):
    """Enterprise.CreditIncidentEnded: a continuing condition (`dishonest_debtor`,
    `not_operating`, `energy_rectification_overdue`) stopped on `ended_on`; the negative list
    bars three years from then (NEG-1, NEG-5, NEG-6)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ended_on": "2021-06-30",
                    "effective_on": "2021-07-05",
                    "basis": [{"title": "失信被执行人信息移除公告"}],
                }
            ]
        }
    )

    ended_on: Day = Field(description="The day the condition ended (not after effective_on).")


class RectificationCompletion(CommandBody):
    """Enterprise.RectificationCompleted: the rectification an incident required is done; it ends
    NEG-5's state on the effective date, which bars three years more."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"effective_on": "2024-02-01", "basis": [{"doc_no": "苏工信节能〔2024〕3号"}]}
            ]
        }
    )
