"""The negative list (负面清单), 工信厅节函〔2022〕235号 一、推荐工作要求: who may not be nominated.

An applicant with any of the following within the last three years may not be nominated: NEG-1 not
in normal operation; NEG-2 a safety (incl. network and data security), quality or environmental
accident, or tax evasion, on its credit record; NEG-3 removed from the list by dynamic adjustment;
NEG-4 serious problems found in State Council or ministry inspections; NEG-6 a dishonest judgment
debtor. NEG-5 — on the energy-saving supervision rectification list and not rectified — lifts on
rectification, not by time.

Each rule is a pure function of (rulebook, enterprise, the enterprise's listings, day) to a
`Finding`. The look-back is the rulebook's: an incident that occurred on D bars through
`rulebook.bar_end(D)`, the last day of the three years, and is free the day after; a removal bars
through the `barred_until` its decision recorded. A retracted incident (a correction) and a
rescinded removal never bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.enterprise import Enterprise, IncidentRecord
from domain.listing import Listing
from domain.rules.rulebook import Rulebook
from domain.rules.wording import INCIDENT_EN, bilingual, years_zh
from domain.values import EventRef, Finding, IncidentKind

#: The incident kinds each look-back rule of the list counts.
INCIDENT_KINDS: dict[str, frozenset[IncidentKind]] = {
    "NEG-1": frozenset({IncidentKind.NOT_OPERATING}),
    "NEG-2": frozenset(
        {
            IncidentKind.SAFETY,
            IncidentKind.CYBERSECURITY,
            IncidentKind.DATA_SECURITY,
            IncidentKind.QUALITY,
            IncidentKind.ENVIRONMENT,
            IncidentKind.TAX_EVASION,
        }
    ),
    "NEG-4": frozenset({IncidentKind.INSPECTION_PROBLEM}),
    "NEG-5": frozenset({IncidentKind.ENERGY_RECTIFICATION_OVERDUE}),
    "NEG-6": frozenset({IncidentKind.DISHONEST_DEBTOR}),
}

NegativeListRule = Callable[[Rulebook, Enterprise, Sequence[Listing], date], Finding]


def not_operating(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> Finding:
    """NEG-1: not in normal operation within the look-back."""
    return _incident_within_lookback("NEG-1", rulebook, enterprise, day)


def accident_or_violation(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> Finding:
    """NEG-2: an accident or tax evasion on the credit record within the look-back."""
    return _incident_within_lookback("NEG-2", rulebook, enterprise, day)


def inspection_problem(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> Finding:
    """NEG-4: serious problems found in an inspection within the look-back."""
    return _incident_within_lookback("NEG-4", rulebook, enterprise, day)


def dishonest_debtor(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> Finding:
    """NEG-6: a dishonest judgment debtor within the look-back (the notice's 近三年 covers it)."""
    return _incident_within_lookback("NEG-6", rulebook, enterprise, day)


def removed_from_list(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> Finding:
    """NEG-3: a listing of the enterprise removed by dynamic adjustment, its bar still running."""
    barring = [
        (listing, removal)
        for listing in listings
        for removal in listing.removals
        if removal.rescinded_version is None
        and removal.barred_until is not None
        and removal.removed_on <= day <= removal.barred_until
    ]
    if not barring:
        years = rulebook.bar_years
        return Finding(
            "NEG-3",
            False,
            detail=bilingual(f"近{years_zh(years)}年内未被移出名单", _none_en(years)),
        )
    until = max(removal.barred_until for _, removal in barring if removal.barred_until)
    return Finding(
        "NEG-3",
        True,
        because=tuple(EventRef(listing.id, removal.version) for listing, removal in barring),
        barred_until=until,
        detail=bilingual(
            "于"
            + "、".join(removal.removed_on.isoformat() for _, removal in barring)
            + f"被移出名单，{until.isoformat()}前不得推荐",
            "removed from the list on "
            + ", ".join(removal.removed_on.isoformat() for _, removal in barring)
            + f": barred through {until.isoformat()}",
        ),
    )


def rectification_outstanding(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> Finding:
    """NEG-5: on the energy-saving rectification list and not rectified by `day` (no time limit)."""
    outstanding = [
        record
        for record in _standing(enterprise, INCIDENT_KINDS["NEG-5"])
        if record.occurred_on <= day and (record.rectified_on is None or record.rectified_on > day)
    ]
    if not outstanding:
        rectified = [
            record.rectified_on
            for record in _standing(enterprise, INCIDENT_KINDS["NEG-5"])
            if record.rectified_on is not None and record.rectified_on <= day
        ]
        if rectified:
            last = max(rectified).isoformat()
            detail = bilingual(f"已于{last}完成整改", f"rectification completed on {last}")
        else:
            detail = bilingual("未列入工业节能监察整改名单", "not on the rectification list")
        return Finding("NEG-5", False, detail=detail)
    since = ", ".join(record.occurred_on.isoformat() for record in outstanding)
    return Finding(
        "NEG-5",
        True,
        because=tuple(EventRef(enterprise.id, record.version) for record in outstanding),
        detail=bilingual(
            f"自{since}列入工业节能监察整改名单，尚未完成整改（完成整改前不得推荐）",
            f"on the rectification list since {since} and not rectified: barred until "
            "rectification",
        ),
    )


#: The negative list in the order of the notice.
NEGATIVE_LIST: tuple[tuple[str, NegativeListRule], ...] = (
    ("NEG-1", not_operating),
    ("NEG-2", accident_or_violation),
    ("NEG-3", removed_from_list),
    ("NEG-4", inspection_problem),
    ("NEG-5", rectification_outstanding),
    ("NEG-6", dishonest_debtor),
)


def negative_list_findings(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> tuple[Finding, ...]:
    """Every negative-list rule in force under `rulebook`, applying or not, on `day`."""
    return tuple(
        check(rulebook, enterprise, listings, day)
        for rule_id, check in NEGATIVE_LIST
        if rulebook.enforces(rule_id)
    )


@dataclass(frozen=True)
class Eligibility:
    """Whether an enterprise may be nominated on `on`, as the ledger knew it at `known_at`.

    `findings` holds every negative-list rule in force on `on`, applying or not, with the events
    it rests on and `barred_until` (None for NEG-5, which lifts on rectification).
    """

    enterprise_id: UUID
    on: date
    eligible: bool
    findings: tuple[Finding, ...]
    rulebook: str
    known_at: datetime | None = None

    @property
    def bars(self) -> tuple[Finding, ...]:
        """The findings that bar the enterprise."""
        return tuple(finding for finding in self.findings if finding.applies)


def eligibility(
    rulebook: Rulebook,
    enterprise: Enterprise,
    listings: Sequence[Listing],
    on: date,
    known_at: datetime | None = None,
) -> Eligibility:
    findings = negative_list_findings(rulebook, enterprise, listings, on)
    return Eligibility(
        enterprise_id=enterprise.id,
        on=on,
        eligible=not any(finding.applies for finding in findings),
        findings=findings,
        rulebook=rulebook.version,
        known_at=known_at,
    )


def _none_en(years: int) -> str:
    return f"nothing of the kind within the last {years} years"


def _standing(enterprise: Enterprise, kinds: frozenset[IncidentKind]) -> list[IncidentRecord]:
    return sorted(
        (r for r in enterprise.incidents.values() if r.standing and r.kind in kinds),
        key=lambda record: record.version,
    )


def _incident_within_lookback(
    rule_id: str, rulebook: Rulebook, enterprise: Enterprise, day: date
) -> Finding:
    standing = [r for r in _standing(enterprise, INCIDENT_KINDS[rule_id]) if r.occurred_on <= day]
    barring = [r for r in standing if day <= rulebook.bar_end(r.occurred_on)]
    years = rulebook.lookback_years
    if not barring:
        if standing:
            ended = max(rulebook.bar_end(r.occurred_on) for r in standing).isoformat()
            detail = bilingual(f"此前记录的限制已于{ended}期满", f"the last bar ended on {ended}")
        else:
            detail = bilingual(f"近{years_zh(years)}年内无此类记录", _none_en(years))
        return Finding(rule_id, False, detail=detail)
    until = max(rulebook.bar_end(r.occurred_on) for r in barring)
    zh = "、".join(f"{r.kind.label_zh}（{r.occurred_on.isoformat()}）" for r in barring)
    en = ", ".join(f"{INCIDENT_EN[r.kind]} on {r.occurred_on.isoformat()}" for r in barring)
    return Finding(
        rule_id,
        True,
        because=tuple(EventRef(enterprise.id, r.version) for r in barring),
        barred_until=until,
        detail=bilingual(
            f"近{years_zh(years)}年内有{zh}，{until.isoformat()}前不得推荐",
            f"{en} within the last {years} years: barred through {until.isoformat()}",
        ),
    )
