"""Bitemporal stretches of a listing's standing: valid time × recorded time (ADR 0022).

A listing's *standing* (status, batch, membership dates, name, flags) is a step function of the
effective date. As currently known it is a list of stretches `[valid_from, valid_to)` that cover
valid time from the nomination on, each with one standing; adjacent stretches always differ.

When an event is recorded at instant T, the projector restates the function ("from day D on, the
status is X") and compares the stretches before and after: a stretch that no longer holds is
closed in recorded time (`recorded_to = T`), a stretch that is new is opened (`recorded_from = T`);
stretches that did not change keep their rows. Nothing is ever rewritten otherwise, so the
stretches known at any earlier instant are still there: the standing on day D as known at T is
the one row with `valid_from <= D < valid_to` and `recorded_from <= T < recorded_to`.

Every source of change moves forward in effective time (a listing refuses facts dated before its
last one; an enterprise refuses a rename dated before its last one), so "from D on" is always the
right restatement; a rescinded removal restates from the removal's date, as if it had not been.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID


class Standing(NamedTuple):
    """What the list says of a listing over a stretch of valid time."""

    status: str
    batch_year: int
    listed_on: date | None
    removed_on: date | None
    name: str
    barred_until: date | None
    filing_overdue: bool
    rectification_pending: bool
    renamed: bool
    #: The event that set the status (its deciding event): an explanation on a day, as known at
    #: an instant, starts from it.
    status_position: int


#: [valid_from, valid_to) with its standing; valid_to None means "from then on".
Stretch = tuple[date, date | None, Standing]


@dataclass(slots=True)
class PeriodRow:
    """One row of `listing_periods`: a stretch, and when the ledger held it to be true."""

    listing_id: UUID
    valid_from: date
    valid_to: date | None
    standing: Standing
    recorded_from: datetime
    recorded_from_position: int
    recorded_to: datetime | None = None
    recorded_to_position: int | None = None
    stored: bool = False

    @property
    def stretch(self) -> Stretch:
        return (self.valid_from, self.valid_to, self.standing)


def restate(stretches: Sequence[Stretch], day: date, changes: Mapping[str, Any]) -> list[Stretch]:
    """The stretches once `changes` hold from `day` on (and before it, nothing changed)."""
    if stretches and stretches[-1][1] is None and stretches[-1][0] <= day:
        return _restate_last(stretches, day, changes)
    result: list[Stretch] = []
    for valid_from, valid_to, standing in stretches:
        if valid_to is not None and valid_to <= day:
            result.append((valid_from, valid_to, standing))
            continue
        changed = standing._replace(**changes)
        if changed == standing:
            result.append((valid_from, valid_to, standing))
        elif valid_from < day:
            result.append((valid_from, day, standing))
            result.append((day, valid_to, changed))
        else:
            result.append((valid_from, valid_to, changed))
    return merged(result)


def _restate_last(
    stretches: Sequence[Stretch], day: date, changes: Mapping[str, Any]
) -> list[Stretch]:
    """`restate` when `day` falls in the last, open stretch (the usual case: facts come in
    order of their effective dates)."""
    valid_from, _, standing = stretches[-1]
    changed = standing._replace(**changes)
    if changed == standing:
        return list(stretches)
    earlier = list(stretches[:-1])
    if valid_from < day:
        return [*earlier, (valid_from, day, standing), (day, None, changed)]
    if earlier and earlier[-1][2] == changed and earlier[-1][1] == day:
        return [*earlier[:-1], (earlier[-1][0], None, changed)]
    return [*earlier, (day, None, changed)]


def merged(stretches: Sequence[Stretch]) -> list[Stretch]:
    """Adjacent stretches with the same standing, joined into one."""
    result: list[Stretch] = []
    for stretch in stretches:
        if result and result[-1][2] == stretch[2] and result[-1][1] == stretch[0]:
            result[-1] = (result[-1][0], stretch[1], stretch[2])
        else:
            result.append(stretch)
    return result


def name_changes(names: Sequence[tuple[date, str]], start: date) -> list[tuple[date, str, bool]]:
    """(day, name, renamed) at `start` and at each rename after it.

    `names` is the enterprise's names as recorded: the registered one first, then each rename
    with the day it took effect. Before its first rename an enterprise bears its registered name
    (whatever the day), as `Enterprise.name_on` says.
    """
    name, renamed = names[0][1], False
    for since, later in names[1:]:
        if since <= start:
            name, renamed = later, True
    changes = [(start, name, renamed)]
    changes.extend((since, later, True) for since, later in names[1:] if since > start)
    return changes


class PeriodBook:
    """The stretches of the listings a page touches: as loaded, and the rows to write."""

    def __init__(self, current: dict[UUID, list[PeriodRow]]) -> None:
        self.current = current
        self.opened: list[PeriodRow] = []
        self.closed: list[PeriodRow] = []

    def settle(self) -> None:
        for row in self.opened:
            row.stored = True

    def load(self, row: PeriodRow) -> None:
        row.stored = True
        self.current.setdefault(row.listing_id, []).append(row)

    def last_start(self, listing_id: UUID) -> date:
        """Where the last stretch of the listing begins (the earliest day if it has none)."""
        rows = self.current.get(listing_id)
        return rows[-1].valid_from if rows else date.min

    def stretches(self, listing_id: UUID) -> list[Stretch]:
        return [row.stretch for row in self.current.get(listing_id, ())]

    def restate(
        self,
        listing_id: UUID,
        stretches: Sequence[Stretch],
        recorded_at: datetime,
        position: int,
    ) -> tuple[list[PeriodRow], list[PeriodRow]]:
        """Make `stretches` the current knowledge; the rows (closed, opened) by this change."""
        rows = self.current.get(listing_id, [])
        # Stretches are in valid-time order: the unchanged ones are a head and a tail.
        head = 0
        while head < min(len(rows), len(stretches)) and rows[head].stretch == stretches[head]:
            head += 1
        tail = 0
        while (
            tail < min(len(rows), len(stretches)) - head
            and rows[-1 - tail].stretch == stretches[-1 - tail]
        ):
            tail += 1
        closed = rows[head : len(rows) - tail]
        for row in closed:
            row.recorded_to = recorded_at
            row.recorded_to_position = position
            if row.stored:
                self.closed.append(row)
        opened = [
            PeriodRow(listing_id, valid_from, valid_to, standing, recorded_at, position)
            for valid_from, valid_to, standing in stretches[head : len(stretches) - tail]
        ]
        self.opened.extend(opened)
        self.current[listing_id] = [*rows[:head], *opened, *rows[len(rows) - tail :]]
        return closed, opened
