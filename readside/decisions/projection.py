"""The decisions read model: the source of "why was X delisted" (工信厅节函〔2022〕235号 二).

One row per decision about a listing or an assessor: nomination, listing or rejection, filing
review, overdue notice, flag, on-site assessment order and conclusion, adjustment proposal,
removal, rescission, blacklisting — with the rulebook version it was taken under and the rule
findings it recorded (each naming the events it rests on). A rescinded removal keeps its row and
points at the rescission. What every event has (actor, basis, both times, summaries) is on the
event's line of the timeline, at the same position.
"""

from __future__ import annotations

from typing import Any, TypeAlias
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.assessor import Assessor
from domain.enterprise import EnterpriseKey
from domain.events import (
    BatchEvent,
    EnterpriseEvent,
    LedgerEvent,
    NationalEvent,
    check_ignored,
    classes_of,
)
from domain.facts import Decision
from domain.listing import Listing
from readside.engine import tables
from readside.engine.writing import findings_json, insert_rows, reference_json, update_rows
from readside.listings.projection import ListingRow

#: The events this view leaves alone: mypy checks that it handles every other one.
Ignored: TypeAlias = (
    Listing.IndicatorFilingSubmitted
    | Listing.StarsRated
    | EnterpriseEvent
    | EnterpriseKey.Claimed
    | Assessor.Registered
    | Assessor.EvaluationReported
    | Assessor.EvaluationCited
    | Assessor.EvaluationConfirmed
    | Assessor.WorkReportSubmitted
    | BatchEvent
    | NationalEvent
)
_IGNORED = classes_of(Ignored)


def _ignore(event: Ignored) -> None:
    check_ignored("the decisions view", event, _IGNORED)


class DecisionsProjection:
    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self._rescissions: list[dict[str, Any]] = []
        #: The position of each listing's latest removal, for its rescission.
        self._removals: dict[UUID, int] = {}

    def load(self, connection: Connection, rescinded: set[UUID]) -> None:
        """The latest removal of each listing whose removal the page rescinds."""
        if not rescinded:
            return
        d = tables.decisions
        query = (
            sa.select(d.c.subject_id, sa.func.max(d.c.position))
            .where(d.c.kind == "removal", d.c.subject_id.in_(sorted(rescinded, key=str)))
            .group_by(d.c.subject_id)
        )
        for subject_id, position in connection.execute(query):
            self._removals.setdefault(subject_id, position)

    def process_event(self, position: int, event: LedgerEvent, listing: ListingRow | None) -> None:
        """Record `event` if it is a decision; `listing` is the listing row it concerns (after
        the event), whose status is the outcome of a decision that names none of its own."""
        status = listing.status if listing is not None else None
        match event:
            case Listing.Nominated() | Listing.Renominated():
                self._add(position, event, listing, "nomination", status, [])
            case Listing.Listed():
                self._add(position, event, listing, "listing", status, [])
            case Listing.Rejected():
                self._add(position, event, listing, "rejection", status, [])
            case Listing.FilingReviewed():
                reasons = list(event.findings)
                self._add(position, event, listing, "filing_review", event.outcome.value, reasons)
            case Listing.FilingOverdue():
                self._add(position, event, listing, "filing_overdue", status, [])
            case Listing.Flagged():
                self._add(position, event, listing, "flag", status, list(event.reasons))
            case Listing.OnSiteAssessmentOrdered():
                self._add(position, event, listing, "assessment_order", status, _one(event.reason))
            case Listing.OnSiteAssessmentConcluded():
                outcome, reasons = event.outcome.value, list(event.findings)
                self._add(position, event, listing, "assessment_conclusion", outcome, reasons)
            case Listing.AdjustmentProposed():
                outcome, reasons = event.action.value, list(event.reasons)
                self._add(position, event, listing, "adjustment_proposal", outcome, reasons)
            case Listing.Removed():
                reasons = [reason.value for reason in event.reasons]
                self._add(position, event, listing, "removal", status, reasons)
                self._removals[event.originator_id] = position
            case Listing.RemovalRescinded():
                removal = self._removals.pop(event.originator_id, None)
                if removal is not None:
                    self._rescind(removal, position)
                self._add(position, event, listing, "rescission", status, _one(event.reason))
            case Assessor.Blacklisted():
                self._add(position, event, None, "blacklisting", None, _one(event.reason))
            case Assessor.BlacklistLifted():
                self._add(position, event, None, "blacklist_lift", None, _one(event.reason))
            case _:
                _ignore(event)

    def _add(
        self,
        position: int,
        event: LedgerEvent,
        listing: ListingRow | None,
        kind: str,
        outcome: str | None,
        reasons: list[str],
    ) -> None:
        rulebook, findings = None, findings_json(())
        if isinstance(event, Decision | Listing.Nominated):
            rulebook, findings = event.rulebook, findings_json(tuple(event.rule_findings))
        self.rows[position] = {
            "position": position,
            "kind": kind,
            "subject_id": event.originator_id,
            "category": listing.category if listing is not None else None,
            "effective_on": event.effective_on,
            "rulebook": rulebook,
            "outcome": outcome,
            "reasons": reasons,
            "findings": findings,
            "announcement": reference_json(
                event.announcement
                if isinstance(event, Listing.Listed | Listing.Rejected | Listing.Removed)
                else None
            ),
            "barred_until": event.barred_until if isinstance(event, Listing.Removed) else None,
            "rescinded_position": None,
        }

    def _rescind(self, removal_position: int, rescission_position: int) -> None:
        pending = self.rows.get(removal_position)
        if pending is not None:
            pending["rescinded_position"] = rescission_position
        else:
            self._rescissions.append(
                {"position": removal_position, "rescinded_position": rescission_position}
            )

    def flush(self, connection: Connection) -> None:
        insert_rows(connection, tables.decisions, list(self.rows.values()))
        update_rows(connection, tables.decisions, ("position",), self._rescissions)


def _one(reason: str) -> list[str]:
    return [reason] if reason else []
