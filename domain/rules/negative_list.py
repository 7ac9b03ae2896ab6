"""The negative list (负面清单), 工信厅节函〔2022〕235号 一 第二段: who may not be nominated.

An applicant with any of the following within the last three years ("近三年") may not be
nominated: NEG-1 not in normal operation; NEG-2 a safety (incl. network and data security),
quality or environmental accident, or tax evasion, on its credit record; NEG-3 removed from the
list by dynamic adjustment; NEG-4 serious problems found in State Council or ministry inspections;
NEG-5 on the energy-saving supervision rectification list and not rectified; NEG-6 a dishonest
judgment debtor.

Each rule is a pure function of (rulebook, enterprise, the enterprise's listings, day) to a
`Finding`, under the rulebook in force on `day`:
- NEG-2 and NEG-4 are events: one that occurred on D bars through `rulebook.bar_end(D)`, the last
  day of the three years, and is free the day after.
- NEG-1, NEG-5 and NEG-6 are states (regulation.md, "Continuing conditions"): they bar from their
  start while they last and through `rulebook.bar_end(E)` after they end on E (a rectification
  ends NEG-5's state). A debtor listed on 2019-01-01 and never cleared is barred on 2023-01-02;
  cleared on 2021-06-30, it is barred through 2024-06-29.
- NEG-3: a removal on D (other than a withdrawal) bars through `rulebook.bar_end(D)` under a
  rulebook that has NEG-3 (`removal_bar_end`): the explanation of a removal says the same.
A retracted incident (a correction) and a rescinded removal never bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.enterprise import Enterprise, IncidentRecord
from domain.listing import Listing, RemovalRecord
from domain.rules.rulebook import Rulebook
from domain.rules.wording import INCIDENT_EN, bilingual, years_zh
from domain.values import EventRef, Finding, IncidentKind, RemovalReason

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
    """NEG-1: not in normal operation, now or within three years of resuming."""
    return _condition_within_lookback("NEG-1", rulebook, enterprise, day)


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
    """NEG-6: a dishonest judgment debtor, now or within three years of being cleared."""
    return _condition_within_lookback("NEG-6", rulebook, enterprise, day)


def rectification_outstanding(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> Finding:
    """NEG-5: on the rectification list and not rectified, or rectified within three years."""
    return _condition_within_lookback("NEG-5", rulebook, enterprise, day)


def removal_bar_end(
    rulebook: Rulebook, removed_on: date, reasons: Iterable[RemovalReason]
) -> date | None:
    """NEG-3: the last day a removal on `removed_on` bars its enterprise under `rulebook`; None
    when it does not (the rulebook has no NEG-3, or the unit withdrew of its own accord)."""
    if not rulebook.enforces("NEG-3"):
        return None
    if all(reason is RemovalReason.WITHDRAWN for reason in reasons):
        return None
    return rulebook.bar_end(removed_on)


def removed_from_list(
    rulebook: Rulebook, enterprise: Enterprise, listings: Sequence[Listing], day: date
) -> Finding:
    """NEG-3: a listing of the enterprise removed by dynamic adjustment, its bar still running."""
    barring: list[tuple[Listing, RemovalRecord, date]] = []
    for listing in listings:
        for removal in listing.removals:
            end = removal_bar_end(rulebook, removal.removed_on, removal.reasons)
            if removal.rescinded_version is None and end and removal.removed_on <= day <= end:
                barring.append((listing, removal, end))
    if not barring:
        years = rulebook.bar_years
        return Finding(
            "NEG-3",
            False,
            detail=bilingual(f"近{years_zh(years)}年内未被移出名单", _none_en(years)),
        )
    until = max(end for _, _, end in barring)
    days = [removal.removed_on.isoformat() for _, removal, _ in barring]
    return Finding(
        "NEG-3",
        True,
        because=tuple(EventRef(listing.id, removal.version) for listing, removal, _ in barring),
        barred_until=until,
        detail=bilingual(
            "于" + "、".join(days) + f"被移出名单，{until.isoformat()}前不得推荐",
            "removed from the list on " + ", ".join(days) + f": barred through {until.isoformat()}",
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
    it rests on and `barred_until` (None while a continuing condition lasts: its end is not known).
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
        return Finding(rule_id, False, detail=_not_barring(rulebook, standing, years))
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


def _condition_within_lookback(
    rule_id: str, rulebook: Rulebook, enterprise: Enterprise, day: date
) -> Finding:
    """A continuing condition bars from its start, while it lasts and through the bar after its
    end; `barred_until` is None while one still lasts (its end is not known yet)."""
    standing = [r for r in _standing(enterprise, INCIDENT_KINDS[rule_id]) if r.occurred_on <= day]
    barring = [r for r in standing if r.end is None or day <= rulebook.bar_end(r.end)]
    if not barring:
        return Finding(rule_id, False, detail=_not_barring(rulebook, standing, rulebook.bar_years))
    lasting = [r for r in barring if r.end is None or r.end > day]
    ends = [rulebook.bar_end(r.end) for r in barring if r.end is not None]
    until = None if any(r.end is None for r in barring) else max(ends)
    parts = [_condition_words(rulebook, r, day) for r in barring]
    because = [EventRef(enterprise.id, r.version) for r in barring]
    because.extend(
        EventRef(enterprise.id, r.end_version)
        for r in barring
        if r.end_version is not None and r.end is not None and r.end <= day
    )
    tail_zh = "，其状态结束后三年内仍不得推荐" if lasting else ""
    tail_en = "; barred for three years after it ends" if lasting else ""
    return Finding(
        rule_id,
        True,
        because=tuple(because),
        barred_until=until,
        detail=bilingual(
            "；".join(zh for zh, _ in parts) + tail_zh, "; ".join(en for _, en in parts) + tail_en
        ),
    )


def _condition_words(rulebook: Rulebook, record: IncidentRecord, day: date) -> tuple[str, str]:
    since = record.occurred_on.isoformat()
    what_zh, what_en = record.kind.label_zh, INCIDENT_EN[record.kind]
    if record.end is None or record.end > day:
        return f"自{since}起{what_zh}，至今未结束", f"{what_en} since {since}, not ended"
    until = rulebook.bar_end(record.end).isoformat()
    ended = record.end.isoformat()
    return (
        f"自{since}起{what_zh}，{ended}结束，{until}前不得推荐",
        f"{what_en} from {since}, ended on {ended}: barred through {until}",
    )


def _not_barring(rulebook: Rulebook, standing: list[IncidentRecord], years: int) -> str:
    if not standing:
        return bilingual(f"近{years_zh(years)}年内无此类记录", _none_en(years))
    ended = max(
        rulebook.bar_end(r.end if r.kind.is_continuing and r.end else r.occurred_on)
        for r in standing
    ).isoformat()
    return bilingual(f"此前记录的限制已于{ended}期满", f"the last bar ended on {ended}")
