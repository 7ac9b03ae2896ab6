"""The decisions read model: the source of "why was X delisted" (工信厅节函〔2022〕235号 二).

One row per decision about a listing or an assessor: nomination, listing or rejection, filing
review, overdue notice, flag, on-site assessment order and conclusion, adjustment proposal,
removal, rescission, blacklisting — with the rulebook version it was taken under and the rule
findings it recorded (each naming the events it rests on). A rescinded removal keeps its row and
points at the rescission. What every event has (actor, basis, both times, summaries) is on the
event's line of the timeline, at the same position.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from domain.assessor import Assessor
from domain.listing import Listing
from readside.engine import tables
from readside.engine.writing import findings_json, insert_rows, reference_json, update_rows

#: The kind of decision each event records.
DECISION_KINDS: dict[type, str] = {
    Listing.Nominated: "nomination",
    Listing.Renominated: "nomination",
    Listing.Listed: "listing",
    Listing.Rejected: "rejection",
    Listing.FilingReviewed: "filing_review",
    Listing.FilingOverdue: "filing_overdue",
    Listing.Flagged: "flag",
    Listing.OnSiteAssessmentOrdered: "assessment_order",
    Listing.OnSiteAssessmentConcluded: "assessment_conclusion",
    Listing.AdjustmentProposed: "adjustment_proposal",
    Listing.Removed: "removal",
    Listing.RemovalRescinded: "rescission",
    Assessor.Blacklisted: "blacklisting",
    Assessor.BlacklistLifted: "blacklist_lift",
}


def _outcome(event: Any, status: str | None) -> str | None:
    for name in ("outcome", "action"):
        value = getattr(event, name, None)
        if value is not None:
            return str(value.value)
    return status


def _reasons(event: Any) -> list[str]:
    for name in ("reasons", "findings"):
        values = getattr(event, name, None)
        if values is not None:
            return [getattr(v, "value", v) for v in values]
    reason = getattr(event, "reason", None)
    return [reason] if reason else []


class DecisionsProjection:
    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self._rescissions: list[dict[str, Any]] = []

    def add(
        self,
        position: int,
        event: Any,
        *,
        listing: Any | None,
        status: str | None,
    ) -> None:
        """Record `event` if it is a decision; `listing` is the listing row it concerns."""
        kind = DECISION_KINDS.get(type(event))
        if kind is None:
            return
        self.rows[position] = {
            "position": position,
            "kind": kind,
            "subject_id": event.originator_id,
            "category": listing.category if listing is not None else None,
            "effective_on": event.effective_on,
            "rulebook": getattr(event, "rulebook", None),
            "outcome": _outcome(event, status),
            "reasons": _reasons(event),
            "findings": findings_json(tuple(getattr(event, "rule_findings", ()) or ())),
            "announcement": reference_json(getattr(event, "announcement", None)),
            "barred_until": getattr(event, "barred_until", None),
            "rescinded_position": None,
        }

    def rescind(self, removal_position: int, rescission_position: int) -> None:
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
