"""What the auditor's report says of each decision replay meets (ADR 0015, ADR 0016).

Replay (`domain/replay.py`, ADR 0011) re-derives every recorded decision from the facts known when
it was taken. For a stored report it hands each decision to an observer as a `ReplayedDecision`:
its kind, where and when it was taken, its recorded and re-derived findings side by side, where
the events they rest on stand in the log, and its outcome:

- `matches`: under the rules in force on its date, the re-derived findings and rulebook version
  are the recorded ones exactly; under another rulebook (a what-if, ADR 0016), the same rules
  apply to it as applied when it was taken;
- `differs`: otherwise, with the rules that make the difference;
- `imported`: recorded by the import of the published lists (actor `importer`, ADR 0040) — what
  the ministry announced before the ledger existed — folded into the state, never re-derived.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise
from domain.listing import Listing
from domain.values import EventRef, Finding, Reference


class Outcome(enum.StrEnum):
    MATCHES = "matches"
    DIFFERS = "differs"
    IMPORTED = "imported"


#: The kind of decision each event records: the codes of the decisions read model.
DECISION_KINDS: dict[type[Any], str] = {
    Listing.Nominated: "nomination",
    Listing.Renominated: "nomination",
    Listing.Listed: "listing",
    Listing.Rejected: "rejection",
    Listing.FilingReviewed: "filing_review",
    Listing.FilingOverdue: "filing_overdue",
    Listing.Flagged: "flag",
    Listing.OnSiteAssessmentConcluded: "assessment_conclusion",
    Listing.AdjustmentProposed: "adjustment_proposal",
    Listing.Removed: "removal",
    Assessor.Blacklisted: "blacklisting",
}

#: Each kind's label, Chinese first.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "nomination": ("推荐申报", "Nomination"),
    "listing": ("列入名单", "Listing"),
    "rejection": ("未入选", "Not listed"),
    "filing_review": ("动态管理表审核", "Filing review"),
    "filing_overdue": ("动态管理表逾期", "Filing overdue"),
    "flag": ("标记待核查", "Flag"),
    "assessment_conclusion": ("现场评估结论", "On-site assessment conclusion"),
    "adjustment_proposal": ("调整建议", "Adjustment proposal"),
    "removal": ("移出名单", "Removal"),
    "blacklisting": ("评价机构列入黑名单", "Evaluator blacklisted"),
}

#: The aggregate kind of each aggregate class (never subclassed), for links to the facts.
_AGGREGATE_KINDS: dict[type[Any], str] = {
    Listing: "listing",
    Enterprise: "enterprise",
    Assessor: "assessor",
    Batch: "batch",
}


@dataclass(frozen=True)
class Verdict:
    """Whether a decision follows from its facts; if not, the rules that make the difference."""

    outcome: Outcome
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cited:
    """An event a finding rests on, and where it stands in the log (None: not found before)."""

    originator_id: UUID
    version: int
    position: int | None
    aggregate: str


@dataclass(frozen=True)
class ReplayedDecision:
    """One recorded decision as the auditor's report shows it."""

    position: int
    originator_id: UUID
    version: int
    #: The event's topic (`domain.listing:Listing.Removed`).
    topic: str
    kind: str
    effective_on: date
    recorded_at: datetime
    actor: str
    basis: tuple[Reference, ...]
    region: str | None
    listing_id: UUID | None
    enterprise_id: UUID | None
    outcome: Outcome
    differing_rules: tuple[str, ...]
    recorded_rulebook: str
    recorded: tuple[Finding, ...]
    #: None for an imported decision, which is not re-derived.
    rederived_rulebook: str | None
    rederived: tuple[Finding, ...] | None
    note: str
    cited: tuple[Cited, ...]


def judge(
    recorded: tuple[Finding, ...],
    recorded_rulebook: str,
    rederived: tuple[Finding, ...],
    rederived_rulebook: str,
    *,
    what_if: bool,
    note: str = "",
) -> Verdict:
    """The outcome of a re-derived decision (ADR 0016).

    Under the rules in force on its date, a decision follows when its findings and rulebook
    version are re-derived exactly: any other difference is an alteration or a changed rule.
    Under another rulebook the findings' wording and the rules checked change with the version,
    so a decision would have gone the same way when the same rules apply to it.
    """
    if note:
        return Verdict(Outcome.DIFFERS)
    if what_if:
        rules = sorted(_applying(recorded) ^ _applying(rederived))
        return Verdict(Outcome.DIFFERS if rules else Outcome.MATCHES, tuple(rules))
    if recorded == rederived and recorded_rulebook == rederived_rulebook:
        return Verdict(Outcome.MATCHES)
    return Verdict(Outcome.DIFFERS, _changed(recorded, rederived))


def _applying(findings: Iterable[Finding]) -> set[str]:
    return {finding.rule_id for finding in findings if finding.applies}


def _changed(recorded: tuple[Finding, ...], rederived: tuple[Finding, ...]) -> tuple[str, ...]:
    """The rules whose findings are not the same in both (a rule found in one only counts)."""

    def by_rule(findings: tuple[Finding, ...]) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in findings:
            grouped.setdefault(finding.rule_id, []).append(finding)
        return grouped

    before, after = by_rule(recorded), by_rule(rederived)
    return tuple(sorted(r for r in before.keys() | after.keys() if before.get(r) != after.get(r)))


def describe(
    position: int,
    event: Any,
    verdict: Verdict,
    rederived: tuple[Finding, ...] | None,
    rederived_rulebook: str | None,
    *,
    lookup: Callable[[UUID], object],
    position_of: Callable[[EventRef], int | None],
    recorded: tuple[Finding, ...] | None = None,
    note: str = "",
) -> ReplayedDecision:
    """The decision `event` at `position` for the report; `lookup` gives an aggregate as it stood
    before the decision's command, `position_of` where an event stands in the log; `recorded`
    its findings normalised (when the caller has them already)."""
    if recorded is None:
        recorded = tuple(Finding.normalised(f) for f in event.rule_findings)
    listing_id, enterprise_id, region = _whose(event, lookup)
    checked = recorded if rederived is None or rederived == recorded else (*recorded, *rederived)
    refs = {ref: None for f in checked for ref in f.because}
    return ReplayedDecision(
        position=position,
        originator_id=event.originator_id,
        version=event.originator_version,
        topic=f"{type(event).__module__}:{type(event).__qualname__}",
        kind=DECISION_KINDS[type(event)],
        effective_on=event.effective_on,
        recorded_at=event.timestamp,
        actor=event.actor,
        basis=tuple(event.basis),
        region=region,
        listing_id=listing_id,
        enterprise_id=enterprise_id,
        outcome=verdict.outcome,
        differing_rules=verdict.rules,
        recorded_rulebook=event.rulebook,
        recorded=recorded,
        rederived_rulebook=rederived_rulebook,
        rederived=rederived,
        note=note,
        cited=tuple(
            Cited(
                ref.originator_id, ref.version, position_of(ref), _kind(lookup(ref.originator_id))
            )
            for ref in refs
        ),
    )


def _whose(
    event: Any, lookup: Callable[[UUID], object]
) -> tuple[UUID | None, UUID | None, str | None]:
    """(listing, enterprise, region code) a decision concerns; none for an assessor's."""
    if isinstance(event, Assessor.Blacklisted):
        return None, None, None
    if isinstance(event, Listing.Nominated):
        return event.originator_id, event.enterprise_id, event.region.code
    listing = lookup(event.originator_id)
    if not isinstance(listing, Listing):
        return event.originator_id, None, None
    return event.originator_id, listing.enterprise_id, listing.region.code


def _kind(aggregate: object) -> str:
    return _AGGREGATE_KINDS.get(type(aggregate), "")
