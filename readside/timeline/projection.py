"""The timeline read model: every event of the ledger, in order, in one line of each language.

Each row names the event's own aggregate and the enterprise it concerns (an enterprise's own
events, its listings', the evaluations and key claims naming it), so the history of a listing, or
of an enterprise with all its listings, is one indexed query. Both times are kept: the day the
fact took effect and the instant it was recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection

from readside.engine import tables
from readside.engine.writing import basis_json, insert_rows
from readside.timeline.summaries import About, event_name, summarise


class TimelineProjection:
    def __init__(self, recorded_until: datetime | None) -> None:
        self.rows: list[dict[str, Any]] = []
        #: The latest recorded instant so far, in position order.
        self.recorded_until = recorded_until

    def add(
        self,
        position: int,
        event: Any,
        enterprise_id: UUID | None,
        about: About,
    ) -> tuple[str, str]:
        summary_zh, summary_en = summarise(event, about)
        recorded_at: datetime = event.timestamp
        if self.recorded_until is None or recorded_at > self.recorded_until:
            self.recorded_until = recorded_at
        self.rows.append(
            {
                "position": position,
                "originator_id": event.originator_id,
                "originator_version": event.originator_version,
                "event": event_name(event),
                "enterprise_id": enterprise_id,
                "effective_on": getattr(event, "effective_on", None)
                or recorded_at.astimezone(UTC).date(),
                "recorded_at": recorded_at,
                "known_from": self.recorded_until,
                "actor": getattr(event, "actor", "") or "",
                "basis": basis_json(tuple(getattr(event, "basis", ()))),
                "note": getattr(event, "note", None),
                "summary_zh": summary_zh,
                "summary_en": summary_en,
            }
        )
        return summary_zh, summary_en

    def flush(self, connection: Connection) -> None:
        insert_rows(connection, tables.timeline, self.rows)
