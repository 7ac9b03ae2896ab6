"""The list's change feed (api.md v1 additions, `GET /v1/feed`): the events that change the
published list, after a position, oldest first.

Which events change the list is declared once, in `FEED_EVENTS`; the feed, the webhooks and the
certificates all read it from here. An entry is read from the timeline, the decisions and the
bitemporal listing periods *as known at the entry's own position*, so it never changes once the
event is recorded: a later rename or a rescinded removal is a later entry. Positions are the
cursors. Only published facts are in the feed (listings, removals, their rescission, renames of
an enterprise with a published unit); nominations and nominations not listed never are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from domain.enterprise import Enterprise
from domain.listing import Listing
from domain.national.green_codes import GreenCodeRound
from domain.values import Reference
from readside.engine import tables
from readside.engine.database import Views, read_position
from readside.engine.writing import select_where_in
from readside.timeline.queries import reference, references

#: The events that change the published list, and the `kind` their entries carry. An event of a
#: listing gets a unit entry (its name, status and place on the list as its event left them, and
#: the decision's reasons and announcement); `Enterprise.Renamed` an enterprise entry naming its
#: published units. A new list-changing event (a listing's stars, its green code) is one line here.
FEED_EVENTS: dict[type, str] = {
    Listing.Listed: "listed",
    Listing.Removed: "removed",
    Listing.RemovalRescinded: "removal_rescinded",
    Enterprise.Renamed: "renamed",
    Listing.StarsRated: "stars_rated",  # ADR 0142
    GreenCodeRound.GreenCodeAssigned: "green_code_assigned",  # ADR 0151
    GreenCodeRound.GreenCodeWithheld: "green_code_withheld",  # ADR 0151
}
#: The timeline names (`Listing.Listed` …) of the feed's events, with their kinds.
FEED_EVENT_NAMES: dict[str, str] = {event.__qualname__: kind for event, kind in FEED_EVENTS.items()}
_RENAMED = Enterprise.Renamed.__qualname__
_LISTED = Listing.Listed.__qualname__
_STARS = Listing.StarsRated.__qualname__
_GREEN_CODE = GreenCodeRound.GreenCodeAssigned.__qualname__
_WITHHELD = GreenCodeRound.GreenCodeWithheld.__qualname__
#: Changes when the set of feed events does: an ETag of another set never matches.
FEED_VERSION = hashlib.sha256("|".join(sorted(FEED_EVENT_NAMES)).encode()).hexdigest()[:12]

MAX_FEED_LIMIT = 1000


@dataclass(frozen=True)
class FeedUnit:
    """One of the published units a rename concerns."""

    listing_id: UUID
    region: str
    category: str
    level: str


@dataclass(frozen=True)
class FeedEntry:
    """One list-changing event, as the ledger knew it when it was recorded.

    For a unit's event: `listing_id`, its place (`region`, `category`, `level`, `batch_year`),
    its `name` and `status` on `effective_on` once the event was recorded. For a rename:
    `enterprise_id`, `name` (new), `previous_name` and the enterprise's published `units`.
    """

    position: int
    kind: str
    event: str
    effective_on: date
    recorded_at: datetime
    enterprise_id: UUID
    name: str
    region: str
    listing_id: UUID | None = None
    category: str | None = None
    level: str | None = None
    product: str | None = None
    batch_year: int | None = None
    status: str | None = None
    previous_name: str | None = None
    reasons: tuple[str, ...] = ()
    announcement: Reference | None = None
    basis: tuple[Reference, ...] = ()
    units: tuple[FeedUnit, ...] = ()
    #: A `stars_rated` entry's stars (3, 4, 5), ADR 0142.
    stars: int | None = None
    #: A `green_code_assigned` entry's code (A+, A, B) and the report year it is for, ADR 0151;
    #: a `green_code_withheld` entry's report year and why the unit got no code (Chinese first).
    green_code: str | None = None
    report_year: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class FeedPage:
    """Entries after `after`, oldest first; `next` is the cursor to ask after next time."""

    after: int
    limit: int
    entries: tuple[FeedEntry, ...]
    next: int
    position: int

    @property
    def complete(self) -> bool:
        """A full page: later events cannot change it."""
        return len(self.entries) == self.limit

    def etag(self, representation: str = "json") -> str:
        """The same for the same answer: (after, limit, next) fix the entries (they never
        change once recorded)."""
        return f'"feed-{FEED_VERSION}-{representation}-{self.after}-{self.limit}-{self.next}"'


def _published(t: Any) -> sa.ColumnElement[bool]:
    """A feed event: a unit's, or a rename of an enterprise that had a published unit by then."""
    listed_before = sa.exists().where(
        tables.timeline.c.enterprise_id == t.c.originator_id,
        tables.timeline.c.event == _LISTED,
        tables.timeline.c.position < t.c.position,
    )
    unit_events = [name for name in FEED_EVENT_NAMES if name != _RENAMED]
    return sa.or_(t.c.event.in_(unit_events), sa.and_(t.c.event == _RENAMED, listed_before))


def read_feed(views: Views, *, after: int | None = 0, limit: int = 100) -> FeedPage:
    """The feed's entries after position `after`, oldest first (at most `limit`).

    `after=None` answers the latest `limit` entries instead (for feed readers), still oldest
    first. `next` is the last entry's position when the page is full, else the position the read
    models have reached: every feed event up to it is in this page or before it.
    """
    if not 1 <= limit <= MAX_FEED_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_FEED_LIMIT}")
    t = tables.timeline.alias("feed_event")
    query = sa.select(t).where(_published(t))
    with views.reading() as connection:
        position = read_position(connection)
        if after is None:
            rows = list(
                reversed(connection.execute(query.order_by(t.c.position.desc()).limit(limit)).all())
            )
            start = rows[0].position - 1 if rows else 0
        else:
            rows = list(
                connection.execute(
                    query.where(t.c.position > after).order_by(t.c.position).limit(limit)
                ).all()
            )
            start = after
        entries = tuple(_entries(connection, rows))
    full = len(entries) == limit and after is not None
    cursor = entries[-1].position if full else max(position, start)
    return FeedPage(start, limit, entries, cursor, position)


# -- the entries -----------------------------------------------------------------------------------


def _entries(connection: Connection, rows: Sequence[Row[Any]]) -> list[FeedEntry]:
    unit_rows = [row for row in rows if row.event != _RENAMED]
    rename_rows = [row for row in rows if row.event == _RENAMED]
    codes = _at(connection, tables.listing_green_codes, unit_rows, _GREEN_CODE)
    withheld = _at(connection, tables.green_codes_withheld, unit_rows, _WITHHELD)
    # A unit's own event concerns it; a green code or its withholding, of the year's round,
    # names the unit.
    named = {**codes, **withheld}
    subject = {
        row.position: named[row.position].listing_id if row.position in named else row.originator_id
        for row in unit_rows
    }
    listings = _by(
        select_where_in(
            connection, tables.listings, tables.listings.c.listing_id, set(subject.values())
        ),
        "listing_id",
    )
    decisions = _by(
        select_where_in(
            connection,
            tables.decisions,
            tables.decisions.c.position,
            {row.position for row in unit_rows},
        ),
        "position",
    )
    periods = _periods(connection, set(subject.values()))
    ratings = _at(connection, tables.listing_stars, unit_rows, _STARS)
    found: dict[int, FeedEntry] = {}
    for row in unit_rows:
        unit = subject[row.position]
        entry = _unit_entry(
            row,
            listings[unit],
            decisions.get(row.position),
            _standing(periods.get(unit, ()), row.effective_on, row.position),
        )
        found[row.position] = _tier_details(
            entry, ratings.get(row.position), codes.get(row.position), withheld.get(row.position)
        )
    for row in rename_rows:
        found[row.position] = _rename_entry(connection, row)
    return [found[row.position] for row in rows]


def _tier_details(
    entry: FeedEntry, rating: Row[Any] | None, code: Row[Any] | None, withheld: Row[Any] | None
) -> FeedEntry:
    """A unit entry with its stars, its green code or why it got none, where it is about them."""
    if rating is not None:
        entry = replace(entry, stars=rating.stars, announcement=reference(rating.announcement))
    if code is not None:
        entry = replace(entry, green_code=code.grade, report_year=code.report_year)
    if withheld is not None:
        entry = replace(entry, report_year=withheld.report_year, reason=withheld.reason)
    return entry


def _at(
    connection: Connection, table: sa.Table, rows: Sequence[Row[Any]], event: str
) -> dict[int, Row[Any]]:
    """The rows of a read model kept by position for the feed rows of `event`."""
    positions = {row.position for row in rows if row.event == event}
    return _by(select_where_in(connection, table, table.c.position, positions), "position")


def _by(rows: Sequence[Row[Any]], key: str) -> dict[Any, Row[Any]]:
    return {getattr(row, key): row for row in rows}


def _periods(connection: Connection, listing_ids: set[UUID]) -> dict[UUID, list[Row[Any]]]:
    p = tables.listing_periods
    found: dict[UUID, list[Row[Any]]] = {}
    for row in select_where_in(connection, p, p.c.listing_id, listing_ids):
        found.setdefault(row.listing_id, []).append(row)
    return found


def _standing(periods: Sequence[Row[Any]], day: date, position: int) -> Row[Any]:
    """The listing's stretch on `day` as known at `position` (the event's own)."""
    for row in periods:
        known = row.recorded_from_position <= position and (
            row.recorded_to_position is None or row.recorded_to_position > position
        )
        if known and row.valid_from <= day and (row.valid_to is None or row.valid_to > day):
            return row
    raise LookupError(f"no stretch of the listing on {day} as known at {position}")


def _unit_entry(
    row: Row[Any], listing: Row[Any], decision: Row[Any] | None, standing: Row[Any]
) -> FeedEntry:
    product = listing.product_name
    if product and listing.product_model:
        product = f"{product} {listing.product_model}"
    return FeedEntry(
        position=row.position,
        kind=FEED_EVENT_NAMES[row.event],
        event=row.event,
        effective_on=row.effective_on,
        recorded_at=row.recorded_at,
        enterprise_id=listing.enterprise_id,
        name=standing.name,
        region=listing.region,
        listing_id=listing.listing_id,
        category=listing.category,
        level=listing.level,
        product=product,
        batch_year=standing.batch_year,
        status=standing.status,
        reasons=tuple(decision.reasons) if decision is not None else (),
        announcement=reference(decision.announcement) if decision is not None else None,
        basis=references(row.basis),
    )


def _rename_entry(connection: Connection, row: Row[Any]) -> FeedEntry:
    t, e = tables.timeline, tables.enterprises
    enterprise = connection.execute(
        sa.select(e).where(e.c.enterprise_id == row.originator_id)
    ).one()
    renames_before = connection.execute(
        sa.select(sa.func.count()).where(
            t.c.originator_id == row.originator_id,
            t.c.event == _RENAMED,
            t.c.position < row.position,
        )
    ).scalar_one()
    previous, new = enterprise.names[renames_before], enterprise.names[renames_before + 1]
    published = (
        sa.select(t.c.originator_id)
        .where(
            t.c.enterprise_id == row.originator_id,
            t.c.event == _LISTED,
            t.c.position < row.position,
        )
        .distinct()
    )
    listing = tables.listings
    units = connection.execute(
        sa.select(listing.c.listing_id, listing.c.region, listing.c.category, listing.c.level)
        .where(listing.c.listing_id.in_(published))
        .order_by(listing.c.category, listing.c.level, listing.c.listing_id)
    ).all()
    return FeedEntry(
        position=row.position,
        kind=FEED_EVENT_NAMES[row.event],
        event=row.event,
        effective_on=row.effective_on,
        recorded_at=row.recorded_at,
        enterprise_id=row.originator_id,
        name=new[1],
        previous_name=previous[1],
        region=enterprise.region,
        basis=references(row.basis),
        units=tuple(FeedUnit(u.listing_id, u.region, u.category, u.level) for u in units),
    )


def list_event_positions(
    views: Views, originator_ids: Sequence[UUID], events: Sequence[type]
) -> list[int]:
    """The positions of these aggregates' events of these kinds, in order (what a certificate
    of a unit rests on: its list-changing events and its enterprise's name)."""
    t = tables.timeline
    names = [event.__qualname__ for event in events]
    with views.reading() as connection:
        return [
            int(position)
            for position in connection.execute(
                sa.select(t.c.position)
                .where(t.c.originator_id.in_(list(originator_ids)), t.c.event.in_(names))
                .order_by(t.c.position)
            ).scalars()
        ]
