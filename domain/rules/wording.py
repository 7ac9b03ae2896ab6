"""How a finding's detail reads: Chinese first, English beside (style.md)."""

from __future__ import annotations

from datetime import date

from domain.values import IncidentKind

INCIDENT_EN = {
    IncidentKind.SAFETY: "safety accident",
    IncidentKind.CYBERSECURITY: "network security incident",
    IncidentKind.DATA_SECURITY: "data security incident",
    IncidentKind.QUALITY: "quality accident",
    IncidentKind.ENVIRONMENT: "environmental pollution event",
    IncidentKind.TAX_EVASION: "tax evasion",
    IncidentKind.DISHONEST_DEBTOR: "dishonest judgment debtor",
    IncidentKind.INSPECTION_PROBLEM: "serious problem found in an inspection",
    IncidentKind.ENERGY_RECTIFICATION_OVERDUE: "energy-saving rectification order",
    IncidentKind.NOT_OPERATING: "not in normal operation",
}

ENERGY_CLASS_ZH = {
    "benchmark": "标杆水平",
    "advanced": "先进水平",
    "baseline": "基准水平",
    "below": "低于基准水平",
}

_NUMERALS_ZH = "一二三四五六七八九十"


def bilingual(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def years_zh(count: int) -> str:
    """三 for 3: the notice's 近三年."""
    return _NUMERALS_ZH[count - 1] if 1 <= count <= len(_NUMERALS_ZH) else str(count)


def energy_class_zh(value: str) -> str:
    return ENERGY_CLASS_ZH.get(value, value)
