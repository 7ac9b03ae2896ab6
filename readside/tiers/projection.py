"""The three lists' read model: the stars each unit of a provincial or municipal list was rated
with, from when (ADR 0142), the prefecture of each unit of a municipal list (ADR 0140), and the
企业绿码 each national green factory got for a report year, or was withheld, with why (ADR 0151).

Rows are inserted, never changed: a later rating is a new row, so the stars on any date, as known
at any instant, are one indexed lookup (`readside.tiers.queries`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from domain.events import LedgerEvent
from domain.listing import Listing
from domain.national.green_codes import GreenCodeRound, green_code_round_id
from readside.engine import tables
from readside.engine.writing import insert_rows

#: A round's report year from its id (the id is derived from the year and its events do not
#: repeat it): every year a round can be opened for.
_ROUND_YEARS = {green_code_round_id(year): year for year in range(1990, 2200)}


class TiersProjection:
    def __init__(self) -> None:
        self.stars: list[dict[str, Any]] = []
        self.cities: list[dict[str, Any]] = []
        self.green_codes: list[dict[str, Any]] = []
        self.withheld: list[dict[str, Any]] = []

    def process_event(self, position: int, event: LedgerEvent) -> None:
        """Only four events concern the tiers; every other one passes by."""
        match event:
            case Listing.StarsRated():
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
            case Listing.Nominated() if event.city is not None:
                self.cities.append({"listing_id": event.originator_id, "city": event.city})
            case GreenCodeRound.GreenCodeAssigned():
                self.green_codes.append(
                    {
                        "position": position,
                        "listing_id": event.listing_id,
                        "report_year": _ROUND_YEARS[event.originator_id],
                        "grade": event.grade,
                        "effective_on": event.effective_on,
                    }
                )
            case GreenCodeRound.GreenCodeWithheld():
                self.withheld.append(
                    {
                        "position": position,
                        "listing_id": event.listing_id,
                        "report_year": _ROUND_YEARS[event.originator_id],
                        "reason": event.reason,
                        "effective_on": event.effective_on,
                    }
                )

    def flush(self, connection: Connection) -> None:
        insert_rows(connection, tables.listing_stars, self.stars)
        insert_rows(connection, tables.listing_cities, self.cities)
        insert_rows(connection, tables.listing_green_codes, self.green_codes)
        insert_rows(connection, tables.green_codes_withheld, self.withheld)
