"""What the projector remembers between pages, so that it need not read back what it just wrote.

The rows here are exactly the rows of the read models at `position` (they are a function of the
events up to it). They are valid for the next page only if the tracked position is still
`position` when the projector holds the lock; otherwise another projector (or a rebuild) moved
it, and the projector forgets everything and reads what it needs from the database, as it does
for whatever it does not remember. A page that fails also forgets: its rows were changed in
memory but not committed.
"""

from __future__ import annotations

from uuid import UUID

from readside.assessors.projection import AssessorRow, BatchRow
from readside.enterprises.projection import EnterpriseRow
from readside.listings.periods import PeriodRow
from readside.listings.projection import ListingRow

#: Listings remembered at most; beyond that the projector starts afresh (about 2 kB a listing).
DEFAULT_CAPACITY = 50_000


class Memory:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self.position: int | None = None
        self.listings: dict[UUID, ListingRow] = {}
        self.periods: dict[UUID, list[PeriodRow]] = {}
        self.enterprises: dict[UUID, EnterpriseRow] = {}
        self.assessors: dict[UUID, AssessorRow] = {}
        self.batches: dict[UUID, BatchRow] = {}

    def recall(self, position: int) -> None:
        """Be ready for a page applied after `position`: forget rows written by someone else."""
        if self.position != position:
            self.forget()
        self.position = position

    def settle(self, position: int) -> None:
        """The page was committed: the rows are those at `position`."""
        self.position = position
        if len(self.listings) > self.capacity or len(self.enterprises) > self.capacity:
            self.forget()
            self.position = position

    def forget(self) -> None:
        self.position = None
        self.listings.clear()
        self.periods.clear()
        self.enterprises.clear()
        self.assessors.clear()
        self.batches.clear()
