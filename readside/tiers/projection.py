"""The three lists' read model: the stars each unit of a provincial or municipal list was rated
with, from when (ADR 0142), and the prefecture of each unit of a municipal list (ADR 0140).

Rows are inserted, never changed: a later rating is a new row, so the stars on any date, as known
at any instant, are one indexed lookup (`readside.tiers.queries`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from domain.events import LedgerEvent
from domain.listing import Listing
from readside.engine import tables
from readside.engine.writing import insert_rows


class TiersProjection:
    def __init__(self) -> None:
        self.stars: list[dict[str, Any]] = []
        self.cities: list[dict[str, Any]] = []

    def process_event(self, position: int, event: LedgerEvent) -> None:
        """Only two events concern the tiers; every other one passes by."""
        if isinstance(event, Listing.StarsRated):
            self.stars.append(
                {
                    "position": position,
                    "listing_id": event.originator_id,
                    "stars": event.stars,
                    "effective_on": event.effective_on,
                    "announcement": {
                        "doc_no": event.announcement.doc_no,
                        "title": event.announcement.title,
                        "url": event.announcement.url,
                    },
                }
            )
        elif isinstance(event, Listing.Nominated) and event.city is not None:
            self.cities.append({"listing_id": event.originator_id, "city": event.city})

    def flush(self, connection: Connection) -> None:
        insert_rows(connection, tables.listing_stars, self.stars)
        insert_rows(connection, tables.listing_cities, self.cities)
