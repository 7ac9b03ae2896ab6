"""Import of the published history: the national lists the ministry already announced.

Each published row becomes what the ledger's own commands would have written — the enterprise
registered (region + name; the lists carry no credit code), a listing nominated in its batch and
listed by the batch's publication — effective on the announcement's date, with the list and the
notice as basis, by the actor `importer`, under the rulebook of that date (ADR 0040). It is a
record of decisions already taken, so no nomination rule is checked: the findings are empty.

For speed the batch and every aggregate touched stay in memory and are saved in chunks, each chunk
one atomic `save()`; the publication of a batch (Batch.Published and every Listing.Listed) is one
atomic save of its own, so the list as of any day changes by exactly one whole batch. Identities
are uuid5, so a second import finds everything recorded and writes nothing; an import that was
interrupted between chunks resumes where it stopped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.batch import Batch, batch_id_for
from domain.enterprise import Enterprise, EnterpriseKey, key_id, name_key
from domain.errors import ConcurrentWriteError, LedgerError
from domain.ledger import Ledger
from domain.listing import Listing, listing_id_for
from domain.published_lists import (
    LIST_FORMATS,
    Announcement,
    DuplicateRow,
    PublishedLists,
    PublishedRow,
)
from domain.rules import rulebook_for
from domain.values import (
    Category,
    Level,
    ListingStatus,
    Provenance,
    Reference,
    batch_label,
    batch_label_en,
)

IMPORTER = "importer"
#: Rows per atomic save of nominations: a few hundred rows, about a thousand events.
CHUNK_ROWS = 250
LEVEL = Level.NATIONAL

_NOTE = (
    "依据已公布的国家绿色制造名单导入：推荐与列入均按公告日期记录，未重新检查推荐规则 "
    "(imported from the published national list: nomination and listing recorded on the "
    "announcement date, nomination rules not re-checked)"
)


@dataclass(frozen=True)
class ImportProgress:
    """How far an import is: rows handled of all rows, and what it is doing now."""

    done: int
    total: int
    stage: str


@dataclass(frozen=True)
class ImportCount:
    """The rows of one file and batch, and what became of them."""

    file: str
    batch_year: int | None
    category: Category | None
    rows: int = 0
    imported: int = 0
    already_present: int = 0
    duplicates: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class RowRefusal:
    """A row the ledger's state refused (e.g. its listing is nominated in another batch)."""

    file: str
    line: int
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts per file and batch, the rows not imported, the ledger position."""

    counts: tuple[ImportCount, ...]
    rejected: tuple[RowRefusal, ...]
    duplicates: tuple[DuplicateRow, ...]
    enterprises_registered: int
    events_written: int
    #: The number of events of each atomic save, in order.
    saves: tuple[int, ...]
    #: The ledger's position after the import (the notification id of its last event).
    position: int
    #: Listings listed by this import, per batch year.
    listed: dict[int, tuple[UUID, ...]] = field(default_factory=dict)

    @property
    def imported(self) -> int:
        return sum(c.imported for c in self.counts)

    @property
    def already_present(self) -> int:
        return sum(c.already_present for c in self.counts)

    @property
    def written(self) -> bool:
        return self.events_written > 0

    def count(self, file: str, batch_year: int | None) -> ImportCount:
        for count in self.counts:
            if count.file == file and count.batch_year == batch_year:
                return count
        return ImportCount(file, batch_year, None)


Progress = Callable[[ImportProgress], None]


def import_published_lists(
    ledger: Ledger,
    lists: PublishedLists,
    *,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Record the published lists in the ledger; see the module docstring."""
    return _Import(ledger, lists, progress, chunk_rows).run()


@dataclass
class _Publication:
    """The rows of one batch announced on one day."""

    batch_year: int
    announced_on: date
    rows: list[PublishedRow]
    announcements: list[Announcement]


class _Import:
    def __init__(
        self, ledger: Ledger, lists: PublishedLists, progress: Progress | None, chunk_rows: int
    ) -> None:
        self.ledger = ledger
        self.lists = lists
        self.progress = progress
        self.chunk_rows = max(chunk_rows, 1)
        self.recorded, self.enterprise_keys = _recorded_ids(ledger)
        #: Enterprise id by the id of its region + name key.
        self.enterprise_ids: dict[UUID, UUID] = {}
        #: The enterprises this import touched, by id.
        self.enterprises: dict[UUID, Enterprise] = {}
        #: The listings this import loaded or nominated, by id.
        self.listings: dict[UUID, Listing] = {}
        #: The first row of this import that led to each listing.
        self.first_rows: dict[UUID, PublishedRow] = {}
        #: Rows found to repeat a listing only once their enterprise was known (a former name).
        self.duplicates: list[DuplicateRow] = []
        self.outcomes: dict[tuple[str, int], str] = {}
        self.refusals: list[RowRefusal] = []
        self.listed: dict[int, tuple[UUID, ...]] = {}
        self.saves: list[int] = []
        self.registered = 0
        self.done = 0

    def run(self) -> ImportReport:
        for publication in _publications(self.lists):
            self._import(publication)
        return ImportReport(
            counts=_counts(self.lists, self.outcomes),
            rejected=tuple(
                [RowRefusal(r.file, r.line, r.reason) for r in self.lists.rejected] + self.refusals
            ),
            duplicates=(*self.lists.duplicates, *self.duplicates),
            enterprises_registered=self.registered,
            events_written=sum(self.saves),
            saves=tuple(self.saves),
            position=self.ledger.position,
            listed=self.listed,
        )

    # -- one batch's publication -----------------------------------------------------------------

    def _import(self, publication: _Publication) -> None:
        notice = publication.announcements[0].notice
        stage = f"{batch_label(publication.batch_year)} ({batch_label_en(publication.batch_year)})"
        batch = self._batch(publication, notice)
        published = {i for record in batch.publications for i in record.listed}
        not_listed = {i for record in batch.publications for i in record.rejected}
        to_list: list[Listing] = []
        chunk: dict[UUID, Aggregate] = {}
        rows_in_chunk = 0
        for row in publication.rows:
            listing = self._nominate(row, batch, published, not_listed, chunk)
            if listing is not None:
                to_list.append(listing)
            self.done += 1
            rows_in_chunk += 1
            if rows_in_chunk == self.chunk_rows:
                self._save(batch, *chunk.values())
                chunk.clear()
                rows_in_chunk = 0
                self._report(f"{stage} 推荐 (nominations)")
        self._save(batch, *chunk.values())
        self._publish(publication, batch, notice, to_list)
        self._report(f"{stage} 公布 (publication)")

    def _batch(self, publication: _Publication, notice: Reference) -> Batch:
        batch_id = batch_id_for(LEVEL, publication.batch_year)
        if batch_id in self.recorded:
            return self.ledger.get_batch(LEVEL, publication.batch_year)
        self.recorded.add(batch_id)
        rulebook = rulebook_for(publication.announced_on)
        return Batch.open(
            level=LEVEL,
            batch_year=publication.batch_year,
            rulebook=rulebook.version,
            deadlines=rulebook.deadlines,
            quotas=rulebook.quotas,
            provenance=Provenance(IMPORTER, publication.announced_on, (notice,), _NOTE),
        )

    def _nominate(
        self,
        row: PublishedRow,
        batch: Batch,
        published: set[UUID],
        not_listed: set[UUID],
        chunk: dict[UUID, Aggregate],
    ) -> Listing | None:
        """Nominate the row's listing in its batch: the listing to list, or None."""
        basis = self._announcement(row).basis
        enterprise_id = self._enterprise_id(row)
        if enterprise_id is None:
            registered = self._register(row, Provenance(IMPORTER, row.announced_on, basis, _NOTE))
            chunk[registered.id] = registered
            enterprise_id = registered.id
        listing_id = listing_id_for(enterprise_id, row.category, LEVEL, row.product)
        first = self.first_rows.setdefault(listing_id, row)
        if first is not row:
            self._duplicate(row, first)
            return None
        if listing_id in published:
            self.outcomes[(row.file, row.line)] = "already_present"
            return None
        if listing_id in not_listed:
            self._refused(row, "该批公告未列入此项 (the batch's publication did not list it)")
            return None
        if listing_id in batch.nominations:
            # Nominated by an import that stopped before the publication: list it now.
            return self._pending(row, self._listing(listing_id))
        enterprise = self._enterprise(enterprise_id)
        provenance = Provenance(IMPORTER, row.announced_on, basis, _note(row))
        rulebook = rulebook_for(row.announced_on).version
        try:
            listing = self._nominated_listing(row, listing_id, enterprise, rulebook, provenance)
        except LedgerError as error:
            self._refused(row, f"未推荐：{error.message} (not nominated)")
            return None
        enterprise.record_nomination(
            listing_id=listing_id,
            category=row.category,
            level=LEVEL,
            batch_year=row.batch_year,
            provenance=provenance,
        )
        batch.receive_nomination(
            listing_id=listing_id,
            region_code=enterprise.region.code,
            category=row.category,
            provenance=provenance,
        )
        chunk[enterprise.id] = enterprise
        chunk[listing_id] = listing
        self.outcomes[(row.file, row.line)] = "imported"
        return listing

    def _nominated_listing(
        self,
        row: PublishedRow,
        listing_id: UUID,
        enterprise: Enterprise,
        rulebook: str,
        provenance: Provenance,
    ) -> Listing:
        """A new listing nominated; or a removed or rejected one nominated again."""
        if listing_id not in self.recorded:
            self.recorded.add(listing_id)
            self.listings[listing_id] = Listing.nominate(
                listing_id=listing_id,
                enterprise_id=enterprise.id,
                region=enterprise.region,
                category=row.category,
                level=LEVEL,
                batch_year=row.batch_year,
                product=row.product,
                park_level=None,
                self_evaluation=None,
                third_party_evaluation=None,
                indicators={},
                rulebook=rulebook,
                rule_findings=(),
                provenance=provenance,
            )
            return self.listings[listing_id]
        listing = self._listing(listing_id)
        listing.renominate(  # refused unless the listing was removed or not listed
            batch_year=row.batch_year,
            self_evaluation=None,
            third_party_evaluation=None,
            indicators={},
            rulebook=rulebook,
            rule_findings=(),
            provenance=provenance,
        )
        return listing

    def _pending(self, row: PublishedRow, listing: Listing) -> Listing | None:
        if listing.status is not ListingStatus.NOMINATED:
            self._refused(
                row,
                f"该项在本批的状态为「{listing.status.label_zh}」 "
                f"(listing is {listing.status.value} in this batch, not nominated)",
            )
            return None
        self.outcomes[(row.file, row.line)] = "imported"
        return listing

    def _enterprise_id(self, row: PublishedRow) -> UUID | None:
        """The id of the enterprise registered in the row's region under its name, if any.

        Known without loading it unless the name leads to it through an `EnterpriseKey`
        (an enterprise registered by credit code, or renamed).
        """
        name_id = key_id(name_key(row.region, row.name))
        known = self.enterprise_ids.get(name_id)
        if known is not None:
            return known
        if name_id in self.enterprise_keys:
            found = self.ledger.find_enterprise(region=row.region, name=row.name)
            if found is None:
                return None
            self.enterprises[found.id] = found
            known = found.id
        elif name_id in self.recorded:
            known = name_id
        else:
            return None
        self.enterprise_ids[name_id] = known
        return known

    def _listing(self, listing_id: UUID) -> Listing:
        listing = self.listings.get(listing_id)
        if listing is None:
            listing = self.ledger.get_listing(listing_id)
            self.listings[listing_id] = listing
        return listing

    def _enterprise(self, enterprise_id: UUID) -> Enterprise:
        enterprise = self.enterprises.get(enterprise_id)
        if enterprise is None:
            enterprise = self.ledger.get_enterprise(enterprise_id)
            self.enterprises[enterprise_id] = enterprise
        return enterprise

    def _register(self, row: PublishedRow, provenance: Provenance) -> Enterprise:
        """Enterprise.Registered under the row's region and name (no credit code)."""
        enterprise = Enterprise.register(
            enterprise_id=key_id(name_key(row.region, row.name)),
            name=row.name,
            region=row.region,
            uscc=None,
            industry=row.industry,
            provenance=provenance,
        )
        self.recorded.add(enterprise.id)
        self.enterprise_ids[enterprise.id] = enterprise.id
        self.enterprises[enterprise.id] = enterprise
        self.registered += 1
        return enterprise

    def _publish(
        self,
        publication: _Publication,
        batch: Batch,
        notice: Reference,
        to_list: Sequence[Listing],
    ) -> None:
        """Batch.Published with Listed for every listing, in one atomic save."""
        if not to_list:
            return
        rulebook = rulebook_for(publication.announced_on).version
        by_category = {a.category: a for a in publication.announcements}
        for listing in to_list:
            announcement = by_category[listing.category]
            listing.put_on_list(
                batch_year=publication.batch_year,
                announcement=announcement.list_document,
                rulebook=rulebook,
                rule_findings=(),
                provenance=Provenance(
                    IMPORTER, publication.announced_on, announcement.basis, _NOTE
                ),
            )
        listed = tuple(listing.id for listing in to_list)
        batch.publish(
            announcement=notice,
            listed=listed,
            rejected=(),
            removed=(),
            provenance=Provenance(
                IMPORTER,
                publication.announced_on,
                (notice, *(a.list_document for a in publication.announcements)),
                _NOTE,
            ),
        )
        self._save(batch, *to_list)
        self.listed[publication.batch_year] = self.listed.get(publication.batch_year, ()) + listed

    # -- bookkeeping -----------------------------------------------------------------------------

    def _announcement(self, row: PublishedRow) -> Announcement:
        announcement = self.lists.announcement(row.batch_year, row.category)
        if announcement is None:  # parse_list only yields rows of announced lists
            raise ValueError(f"{row.file}:{row.line} has no announcement")
        return announcement

    def _save(self, *aggregates: Aggregate) -> None:
        pending = [a for a in aggregates if a.pending_events]
        if not pending:
            return
        try:
            recordings = self.ledger.save(*pending)
        except IntegrityError as error:
            raise ConcurrentWriteError(
                "another writer recorded some of these units meanwhile; run the import again"
            ) from error
        self.saves.append(len(recordings))

    def _duplicate(self, row: PublishedRow, first: PublishedRow) -> None:
        self.duplicates.append(
            DuplicateRow(
                file=row.file,
                line=row.line,
                batch_year=row.batch_year,
                category=row.category,
                first_file=first.file,
                first_line=first.line,
                first_batch_year=first.batch_year,
            )
        )
        self.outcomes[(row.file, row.line)] = "duplicates"

    def _refused(self, row: PublishedRow, reason: str) -> None:
        """Record that the ledger's state refuses the row; no listing to list."""
        self.refusals.append(RowRefusal(row.file, row.line, reason))
        self.outcomes[(row.file, row.line)] = "rejected"

    def _report(self, stage: str) -> None:
        if self.progress is not None:
            self.progress(ImportProgress(self.done, len(self.lists.rows), stage))


def _publications(lists: PublishedLists) -> list[_Publication]:
    """The rows grouped by batch and announcement day, in the order of announcement."""
    publications = []
    in_order = sorted(lists.rows, key=lambda r: (r.announced_on, r.batch_year))
    for (day, batch_year), rows in groupby(in_order, key=lambda r: (r.announced_on, r.batch_year)):
        announcements = [
            a for a in lists.announcements if a.batch_year == batch_year and a.announced_on == day
        ]
        publications.append(_Publication(batch_year, day, list(rows), announcements))
    return publications


def _note(row: PublishedRow) -> str:
    details = []
    if row.evaluator_name:
        details.append(f"第三方评价机构：{row.evaluator_name}")
    if row.recommender:
        details.append(f"推荐单位：{row.recommender}")
    if row.region_from_other_rows:
        details.append(
            f"名单所列地区「{row.region_label}」不是地区名，按该单位在已公布名单其他各行的地区"
            f"（{row.region.name_zh}）登记"
        )
    elif row.region_label != row.region.label:
        details.append(f"名单所列地区：{row.region_label}")
    return "；".join([_NOTE, *details])


_KEY_CLAIMED = get_topic(EnterpriseKey.Claimed)
_FOUNDING_FACTS = tuple(
    get_topic(fact)
    for fact in (Enterprise.Registered, EnterpriseKey.Claimed, Listing.Nominated, Batch.Opened)
)


def _recorded_ids(ledger: Ledger, page: int = 1000) -> tuple[set[UUID], set[UUID]]:
    """The ids of every enterprise, enterprise key, listing and batch the ledger holds, and
    which of them are enterprise keys.

    One pass over the founding events (filtered in the database) instead of a lookup per row.
    """
    ids: set[UUID] = set()
    keys: set[UUID] = set()
    start: int | None = None
    while True:
        notifications = ledger.recorder.select_notifications(
            start=start, limit=page, topics=_FOUNDING_FACTS, inclusive_of_start=False
        )
        if not notifications:
            return ids, keys
        for notification in notifications:
            if isinstance(notification.originator_id, UUID):
                ids.add(notification.originator_id)
                if notification.topic == _KEY_CLAIMED:
                    keys.add(notification.originator_id)
        start = notifications[-1].id


def _file_and_batch_order(item: tuple[tuple[str, int | None], object]) -> tuple[int, str, int]:
    """Factories, parks, supply chain, design products (then any other file); batches in order."""
    (file, batch_year), _ = item
    order = [f.file for f in LIST_FORMATS]
    position = order.index(file) if file in order else len(order)
    return (position, file, batch_year or 0)


def _counts(lists: PublishedLists, outcomes: dict[tuple[str, int], str]) -> tuple[ImportCount, ...]:
    tally: dict[tuple[str, int | None], Counter[str]] = defaultdict(Counter)
    categories: dict[tuple[str, int | None], Category | None] = {}
    key: tuple[str, int | None]
    for row in lists.rows:
        key = (row.file, row.batch_year)
        tally[key]["rows"] += 1
        tally[key][outcomes.get((row.file, row.line), "rejected")] += 1
        categories[key] = row.category
    for duplicate in lists.duplicates:
        key = (duplicate.file, duplicate.batch_year)
        tally[key]["rows"] += 1
        tally[key]["duplicates"] += 1
        categories[key] = duplicate.category
    for rejected in lists.rejected:
        key = (rejected.file, rejected.batch_year)
        tally[key]["rows"] += rejected.rows
        tally[key]["rejected"] += rejected.rows
        categories.setdefault(key, rejected.category)
    return tuple(
        ImportCount(
            file=file,
            batch_year=batch_year,
            category=categories.get((file, batch_year)),
            rows=counter["rows"],
            imported=counter["imported"],
            already_present=counter["already_present"],
            duplicates=counter["duplicates"],
            rejected=counter["rejected"],
        )
        for (file, batch_year), counter in sorted(tally.items(), key=_file_and_batch_order)
    )
