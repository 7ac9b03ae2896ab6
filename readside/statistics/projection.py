"""The statistics read model: how many units, by day × category × level × region × status.

The table holds net changes: each row says by how much the number of units in one status changed
on one day, as now known. The count on a date is the sum of the changes up to it, so a late fact
(a removal recorded in July, effective in March) changes one row of March, not every day since.
The changes are read off the listing periods: a stretch that stops being true takes its unit out
of its status over its days, a stretch that starts being true puts it in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.engine import Connection

from readside.engine import tables
from readside.engine.writing import upsert_adding
from readside.listings.periods import PeriodRow

StatisticsKey = tuple[date, str, str, str, str]


class StatisticsChanges:
    """The changes of counts a page of events makes, added to the table in one statement."""

    def __init__(self) -> None:
        self.changes: dict[StatisticsKey, int] = {}

    def record(
        self,
        category: str,
        level: str,
        region: str,
        closed: Iterable[PeriodRow],
        opened: Iterable[PeriodRow],
    ) -> None:
        """Count what one event did to one listing's current stretches."""
        net: dict[tuple[date, str], int] = {}
        for rows, sign in ((closed, -1), (opened, 1)):
            for row in rows:
                status = row.standing.status
                net[(row.valid_from, status)] = net.get((row.valid_from, status), 0) + sign
                if row.valid_to is not None:
                    net[(row.valid_to, status)] = net.get((row.valid_to, status), 0) - sign
        for (day, status), change in net.items():
            if change:
                key = (day, category, level, region, status)
                self.changes[key] = self.changes.get(key, 0) + change

    def flush(self, connection: Connection) -> None:
        # Keys whose changes cancel out within the page are written too (as 0): the rows must
        # not depend on where the pages of a catch-up happened to begin and end.
        rows = [
            {
                "day": day,
                "category": category,
                "level": level,
                "region": region,
                "status": status,
                "change": change,
            }
            for (day, category, level, region, status), change in sorted(self.changes.items())
        ]
        upsert_adding(connection, tables.statistics, rows, ("change",))
