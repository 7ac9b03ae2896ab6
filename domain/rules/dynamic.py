"""DYN-3 / DYN-4: what a credit-record incident does to the enterprise's active listings.

工信厅节函〔2022〕235号 二: accidents and violations are reported at once and the unit removed;
工信部节〔2024〕13号: removal is immediate for a major (重大) or graver accident, and
otherwise takes effect with the next annual list. The grade and kinds that remove at once are
rulebook data.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.enterprise import Enterprise
from domain.rules.rulebook import Rulebook
from domain.values import EventRef, Finding


@dataclass(frozen=True)
class IncidentConsequence:
    removes: bool
    flags: bool
    findings: tuple[Finding, ...]
    summary: str


def incident_consequence(
    rulebook: Rulebook, enterprise: Enterprise, incident_id: UUID
) -> IncidentConsequence:
    record = enterprise.incidents[incident_id]
    because = (EventRef(enterprise.id, record.version),)
    grade = record.grade.value if record.grade else "ungraded"
    if rulebook.removes_at_once(record.kind, record.grade):
        finding = Finding(
            rule_id="DYN-4",
            applies=True,
            because=because,
            detail=f"{record.kind.value} incident of grade {grade}: removed at once",
        )
        return IncidentConsequence(True, False, (finding,), finding.detail)
    finding = Finding(
        rule_id="DYN-3",
        applies=True,
        because=because,
        detail=f"{record.kind.value} incident of grade {grade}: flagged for proposal and decision",
    )
    return IncidentConsequence(False, True, (finding,), finding.detail)
