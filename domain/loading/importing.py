"""Import of what the ministry announced: the published lists, and the later announcements.

Each announced row becomes what the ledger's own commands would have written — the enterprise
registered (region + name; the lists carry no credit code), a listing nominated in its round and
listed by the round's publication; a unit of a 移出名单 removed, an enterprise of a 更名名单
renamed — effective on the announcement's date, with the announcement as basis, by the actor
`importer`, under the rulebook of that date (ADR 0040, ADR 0041). It is a record of decisions
already taken, so no rule is checked: the findings are empty, and every such event says so in
words ("依据公告导入，未按规则重新认定").

The round and every aggregate touched stay in memory. Nominations (which change no list) are saved
in chunks of `chunk_rows`, each chunk one atomic `save()`; what an announcement publishes —
Batch.Published with every Listing.Listed, Listing.Removed and Enterprise.Renamed it announces —
is one atomic save of its own, so the list as of any day changes by one whole announcement. Each
save passes `gate` (a lock the caller shares with its other writers, ADR 0053) and releases it
after: other commands run between the chunks (ADR 0041). Identities are uuid5, so a second import
finds everything recorded and writes nothing; an import that was interrupted between chunks
resumes where it stopped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.batch import Batch, batch_id_for
from domain.enterprise import Enterprise, EnterpriseKey, key_id, name_key
from domain.errors import ImportOvertakenError, LedgerError
from domain.ledger import Ledger
from domain.listing import Listing, listing_id_for
from domain.loading.announcements import Announcements, NoticeContents, RemovalRow, RenameRow
from domain.loading.published_lists import (
    LIST_FORMATS,
    DuplicateRow,
    PublishedLists,
    PublishedRow,
    RejectedRow,
)
from domain.rules import rulebook_for
from domain.rules.negative_list import removal_bar_end
from domain.values import (
    Category,
    Level,
    ListingStatus,
    Provenance,
    Reference,
    Region,
    batch_label,
    batch_label_en,
    normalise_name,
)

IMPORTER = "importer"
#: Rows per atomic save of nominations: a few hundred rows, about a thousand events.
CHUNK_ROWS = 250
LEVEL = Level.NATIONAL

#: What every imported fact says, in words (issue 13): recorded as announced, not re-decided.
IMPORTED_AS_ANNOUNCED = "依据公告导入，未按规则重新认定"
_NOTE = (
    f"{IMPORTED_AS_ANNOUNCED}：推荐与列入均按公告日期记录 "
    "(imported from the ministry's announcement, not re-decided under the rules: nomination "
    "and listing recorded on the announcement date)"
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
#: Entered around each save; the caller's lock for its writers (ADR 0053), or none.
Gate = AbstractContextManager[object]


def import_published_lists(
    ledger: Ledger,
    lists: PublishedLists,
    *,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    gate: Gate | None = None,
) -> ImportReport:
    """Record the published lists (batches 1–5, 2021年度) in the ledger; see the docstring."""
    run = _Import(ledger, progress, chunk_rows, gate, total=len(lists.rows))
    run.record(_publications(lists))
    rows = [(r.file, r.line, r.batch_year, r.category) for r in lists.rows]
    return run.report(rows, lists.rejected, lists.duplicates, _list_file_order)


def import_announcements(
    ledger: Ledger,
    announcements: Announcements,
    *,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    gate: Gate | None = None,
) -> ImportReport:
    """Record the later announcements (new lists, 移出名单, 更名名单), one atomic publication
    per notice; see the module docstring and `domain/announcements.py`."""
    notices = announcements.notices
    total = sum(len(n.listed) + len(n.removals) + len(n.renames) for n in notices)
    run = _Import(ledger, progress, chunk_rows, gate, total=total)
    run.record([_notice_publication(contents) for contents in notices])
    rows: list[tuple[str, int, int | None, Category | None]] = []
    for contents in notices:
        year = contents.notice.batch_year
        rows.extend((r.file, r.line, year, r.category) for r in contents.listed)
        rows.extend((r.file, r.line, year, r.category) for r in contents.removals)
        rows.extend((r.file, r.line, year, None) for r in contents.renames)
    duplicates = [d for contents in notices for d in contents.duplicates]
    return run.report(rows, announcements.rejected, duplicates, _file_order(announcements))


@dataclass(frozen=True)
class Document:
    """The document an announced row rests on: its list (a Listed's announcement) and basis."""

    reference: Reference
    basis: tuple[Reference, ...]


@dataclass
class Publication:
    """What one announcement publishes: new listings of a round, removals and renames."""

    batch_year: int
    announced_on: date
    notice: Reference
    rows: list[PublishedRow]
    #: By file: the document each file's rows rest on.
    documents: dict[str, Document]
    removals: tuple[RemovalRow, ...] = ()
    renames: tuple[RenameRow, ...] = ()

    @property
    def basis(self) -> tuple[Reference, ...]:
        documents = [d.reference for d in self.documents.values() if d.reference != self.notice]
        return (self.notice, *dict.fromkeys(documents))

    @property
    def size(self) -> int:
        return len(self.rows) + len(self.removals) + len(self.renames)


class _Import:
    def __init__(
        self,
        ledger: Ledger,
        progress: Progress | None,
        chunk_rows: int,
        gate: Gate | None,
        *,
        total: int,
    ) -> None:
        self.ledger = ledger
        self.progress = progress
        self.chunk_rows = max(chunk_rows, 1)
        self.gate: Gate = gate if gate is not None else nullcontext()
        self.total = total
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

    def record(self, publications: Iterable[Publication]) -> None:
        for publication in publications:
            self._import(publication)

    def report(
        self,
        rows: Sequence[tuple[str, int, int | None, Category | None]],
        rejected: Sequence[RejectedRow],
        duplicates: Sequence[DuplicateRow],
        order: Callable[[str], int],
    ) -> ImportReport:
        return ImportReport(
            counts=_counts(rows, rejected, duplicates, self.outcomes, order),
            rejected=tuple([RowRefusal(r.file, r.line, r.reason) for r in rejected])
            + tuple(self.refusals),
            duplicates=(*duplicates, *self.duplicates),
            enterprises_registered=self.registered,
            events_written=sum(self.saves),
            saves=tuple(self.saves),
            position=self.ledger.position,
            listed=self.listed,
        )

    # -- one announcement ------------------------------------------------------------------------

    def _import(self, publication: Publication) -> None:
        year = publication.batch_year
        stage = f"{batch_label(year)} ({batch_label_en(year)})"
        batch = self._batch(publication)
        published = {i for record in batch.publications for i in record.listed}
        not_listed = {i for record in batch.publications for i in record.rejected}
        to_list: list[Listing] = []
        chunk: dict[UUID, Aggregate] = {}
        rows_in_chunk = 0
        for row in publication.rows:
            listing = self._nominate(row, publication, batch, published, not_listed, chunk)
            if listing is not None:
                to_list.append(listing)
            self.done += 1
            rows_in_chunk += 1
            if rows_in_chunk == self.chunk_rows:
                self._save(batch, *chunk.values())
                chunk.clear()
                rows_in_chunk = 0
                self._report(f"{stage} 推荐 (nominations)")
        if chunk:
            self._save(batch, *chunk.values())
        self._publish(publication, batch, to_list)
        self._report(f"{stage} 公布 (publication)")

    def _batch(self, publication: Publication) -> Batch:
        """The round's batch: as recorded, or opened now (saved with its first nominations or
        its publication; dropped when the announcement brings nothing to record)."""
        batch_id = batch_id_for(LEVEL, publication.batch_year)
        if batch_id in self.recorded:
            return self.ledger.get_batch(LEVEL, publication.batch_year)
        rulebook = rulebook_for(publication.announced_on)
        return Batch.open(
            level=LEVEL,
            batch_year=publication.batch_year,
            rulebook=rulebook.version,
            deadlines=rulebook.deadlines,
            quotas=rulebook.quotas,
            provenance=Provenance(IMPORTER, publication.announced_on, (publication.notice,), _NOTE),
        )

    def _nominate(
        self,
        row: PublishedRow,
        publication: Publication,
        batch: Batch,
        published: set[UUID],
        not_listed: set[UUID],
        chunk: dict[UUID, Aggregate],
    ) -> Listing | None:
        """Nominate the row's listing in its batch: the listing to list, or None."""
        basis = publication.documents[row.file].basis
        enterprise_id = self._enterprise_id(row.region, row.name)
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

    def _enterprise_id(self, region: Region, name: str) -> UUID | None:
        """The id of the enterprise registered in the region under this name, if any.

        Known without loading it unless the name leads to it through an `EnterpriseKey`
        (an enterprise registered by credit code, renamed, or with an alias).
        """
        name_id = key_id(name_key(region, name))
        known = self.enterprise_ids.get(name_id)
        if known is not None:
            return known
        if name_id in self.enterprise_keys:
            found = self.ledger.find_enterprise(region=region, name=name)
            if found is None:
                return None
            self.enterprises.setdefault(found.id, found)
            known = found.id
        elif name_id in self.recorded:
            known = name_id
        else:
            return None
        self.enterprise_ids[name_id] = known
        return known

    def _find(self, region: Region, name: str) -> Enterprise | None:
        enterprise_id = self._enterprise_id(region, name)
        return self._enterprise(enterprise_id) if enterprise_id is not None else None

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

    # -- the publication -------------------------------------------------------------------------

    def _publish(self, publication: Publication, batch: Batch, to_list: Sequence[Listing]) -> None:
        """Batch.Published with every Listed, Renamed and Removed it announces, in one save."""
        day = publication.announced_on
        rulebook = rulebook_for(day).version
        touched: dict[UUID, Aggregate] = {}
        for rename in publication.renames:
            self._rename(rename, publication, touched)
        removed = self._removals(publication, batch, touched)
        for listing in to_list:
            document = publication.documents[self.first_rows[listing.id].file]
            listing.put_on_list(
                batch_year=publication.batch_year,
                announcement=document.reference,
                rulebook=rulebook,
                rule_findings=(),
                provenance=Provenance(IMPORTER, day, document.basis, _NOTE),
            )
        if not (to_list or removed or touched):
            return
        listed = tuple(listing.id for listing in to_list)
        batch.publish(
            announcement=publication.notice,
            listed=listed,
            rejected=(),
            removed=tuple(removed),
            provenance=Provenance(IMPORTER, day, publication.basis, _NOTE),
        )
        self._save(batch, *to_list, *touched.values())
        if listed:
            self.listed[publication.batch_year] = (
                self.listed.get(publication.batch_year, ()) + listed
            )

    def _removals(
        self, publication: Publication, batch: Batch, touched: dict[UUID, Aggregate]
    ) -> list[UUID]:
        """Listing.Removed for each unit of the 移出名单 on the list; the ids removed."""
        announced_before = {
            listing_id
            for record in batch.publications
            if record.announcement.doc_no is not None
            and record.announcement.doc_no == publication.notice.doc_no
            for listing_id in record.removed
        }
        removed: list[UUID] = []
        for row in publication.removals:
            removed.extend(self._remove(row, publication, announced_before | set(removed), touched))
            touched.update((i, self._listing(i)) for i in removed)
            self.done += 1
        return removed

    def _remove(
        self,
        row: RemovalRow,
        publication: Publication,
        announced: set[UUID],
        touched: dict[UUID, Aggregate],
    ) -> list[UUID]:
        """Remove the listings a 移出名单 row names; the ids removed (none when refused)."""
        enterprise = self._find(row.region, row.name)
        if enterprise is None and row.listed_name is not None:
            enterprise = self._find(row.region, row.listed_name)
        if enterprise is None:
            self._refused(row, _not_registered(row.region, row.listed_name or row.name))
            return []
        matching = [
            listing
            for listing in (self._listing(i) for i in enterprise.listing_ids)
            if listing.category is row.category and listing.level is LEVEL
            if row.matches(listing.product)
        ]
        if matching and all(listing.id in announced for listing in matching):
            self.outcomes[(row.file, row.line)] = "already_present"
            return []
        on_list = [listing for listing in matching if listing.is_on_list]
        if not on_list:
            self._refused(row, _not_on_list(row, matching))
            return []
        day = publication.announced_on
        rulebook = rulebook_for(day)
        note = f"{IMPORTED_AS_ANNOUNCED}；移出原因：{row.reason_text}"
        provenance = Provenance(IMPORTER, day, publication.documents[row.file].basis, note)
        try:
            for listing in on_list:
                listing.remove(
                    reasons=row.reasons,
                    announcement=publication.notice,
                    # NEG-3's: none under a rulebook without it (泰兴, 2018), nor on withdrawal.
                    barred_until=removal_bar_end(rulebook, day, row.reasons),
                    rulebook=rulebook.version,
                    rule_findings=(),
                    provenance=provenance,
                )
        except LedgerError as error:
            self._refused(row, f"未移出：{error.message} (not removed)")
            return []
        self._alias(enterprise, row, provenance, touched)
        self.outcomes[(row.file, row.line)] = "imported"
        return [listing.id for listing in on_list]

    def _alias(
        self,
        enterprise: Enterprise,
        row: RemovalRow,
        provenance: Provenance,
        touched: dict[UUID, Aggregate],
    ) -> None:
        """The notice's name of a unit listed under another name, recorded as its alias."""
        if row.listed_name is None or enterprise.is_known_as(row.name):
            return
        alias_provenance = Provenance(
            provenance.actor,
            provenance.effective_on,
            provenance.basis,
            f"{IMPORTED_AS_ANNOUNCED}；公告所称「{row.name}」即名单所列「{row.listed_name}」",
        )
        enterprise.record_alias(alias=row.name, provenance=alias_provenance)
        touched[enterprise.id] = enterprise
        if self._enterprise_id(row.region, row.name) is None:
            claim = EnterpriseKey.claim(
                key=name_key(row.region, row.name),
                enterprise_id=enterprise.id,
                provenance=alias_provenance,
            )
            touched[claim.id] = claim
            self.enterprise_ids[claim.id] = enterprise.id

    def _rename(
        self, row: RenameRow, publication: Publication, touched: dict[UUID, Aggregate]
    ) -> None:
        """Enterprise.Renamed (and the new name's key) for a 更名名单 row."""
        self.done += 1
        enterprise = self._find(row.region, row.old_name) or self._find(row.region, row.new_name)
        if enterprise is None:
            self._refused(row, _not_registered(row.region, row.old_name))
            return
        if normalise_name(enterprise.name) == normalise_name(row.new_name):
            self.outcomes[(row.file, row.line)] = "already_present"
            return
        holder = self._enterprise_id(row.region, row.new_name)
        if holder is not None and holder != enterprise.id:
            self._refused(row, f"现名称「{row.new_name}」已是另一单位的名称 (name of another unit)")
            return
        note = f"{IMPORTED_AS_ANNOUNCED}；更名：{row.old_name} → {row.new_name}"
        provenance = Provenance(
            IMPORTER, publication.announced_on, publication.documents[row.file].basis, note
        )
        try:
            enterprise.rename(name=row.new_name, provenance=provenance)
        except LedgerError as error:
            self._refused(row, f"未更名：{error.message} (not renamed)")
            return
        touched[enterprise.id] = enterprise
        key = name_key(row.region, row.new_name)
        if holder is None:
            claim = EnterpriseKey.claim(key=key, enterprise_id=enterprise.id, provenance=provenance)
            touched[claim.id] = claim
            self.enterprise_ids[claim.id] = enterprise.id
        self.outcomes[(row.file, row.line)] = "imported"

    # -- bookkeeping -----------------------------------------------------------------------------

    def _save(self, *aggregates: Aggregate) -> None:
        pending = [a for a in aggregates if a.pending_events]
        if not pending:
            return
        try:
            with self.gate:
                recordings = self.ledger.save(*pending)
        except IntegrityError as error:
            # not "nothing was written": this run's earlier chunks, or an earlier run's, stay
            raise ImportOvertakenError from error
        self.recorded.update(aggregate.id for aggregate in pending)
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

    def _refused(self, row: PublishedRow | RemovalRow | RenameRow, reason: str) -> None:
        """Record that the ledger's state refuses the row."""
        self.refusals.append(RowRefusal(row.file, row.line, reason))
        self.outcomes[(row.file, row.line)] = "rejected"

    def _report(self, stage: str) -> None:
        if self.progress is not None:
            self.progress(ImportProgress(self.done, self.total, stage))


def _not_registered(region: Region, name: str) -> str:
    return (
        f"台账中没有{region.name_zh}「{name}」(no enterprise of that name in region "
        f"{region.code}: import its list first, or record the name as an alias)"
    )


def _not_on_list(row: RemovalRow, matching: Sequence[Listing]) -> str:
    what = row.category.label_zh + (f"「{row.product_name}」" if row.product_name else "")
    if not matching:
        return f"该单位没有国家级{what}名单记录 (no national {row.category.value} listing)"
    statuses = "、".join(sorted({listing.status.label_zh for listing in matching}))
    return f"该单位的{what}当前为「{statuses}」，不在名单上 (not on the list)"


def _publications(lists: PublishedLists) -> list[Publication]:
    """The rows grouped by batch and announcement day, in the order of announcement."""
    publications = []
    in_order = sorted(lists.rows, key=lambda r: (r.announced_on, r.batch_year))
    for (day, batch_year), rows in groupby(in_order, key=lambda r: (r.announced_on, r.batch_year)):
        announcements = [
            a for a in lists.announcements if a.batch_year == batch_year and a.announced_on == day
        ]
        by_category = {a.category: a for a in announcements}
        documents = {
            f.file: Document(by_category[f.category].list_document, by_category[f.category].basis)
            for f in LIST_FORMATS
            if f.category in by_category
        }
        notice = announcements[0].notice
        publications.append(Publication(batch_year, day, notice, list(rows), documents))
    return publications


def _notice_publication(contents: NoticeContents) -> Publication:
    notice = contents.notice
    return Publication(
        batch_year=notice.batch_year,
        announced_on=notice.announced_on,
        notice=notice.reference,
        rows=list(contents.listed),
        documents={a.file: Document(a.reference, a.basis) for a in contents.annexes},
        removals=contents.removals,
        renames=contents.renames,
    )


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


def _list_file_order(file: str) -> int:
    """Factories, parks, supply chain, design products, then any other file."""
    order = [f.file for f in LIST_FORMATS]
    return order.index(file) if file in order else len(order)


def _file_order(announcements: Announcements) -> Callable[[str], int]:
    """The annexes in the order the manifest names them, then any other file."""
    order = [a.file for contents in announcements.notices for a in contents.annexes]
    return lambda file: order.index(file) if file in order else len(order)


CountedRow = tuple[str, int, int | None, Category | None]


def _counts(
    rows: Sequence[CountedRow],
    rejected: Sequence[RejectedRow],
    duplicates: Sequence[DuplicateRow],
    outcomes: dict[tuple[str, int], str],
    order: Callable[[str], int],
) -> tuple[ImportCount, ...]:
    tally: dict[tuple[str, int | None], Counter[str]] = defaultdict(Counter)
    categories: dict[tuple[str, int | None], Category | None] = {}
    key: tuple[str, int | None]
    for file, line, batch_year, category in rows:
        tally[(file, batch_year)]["rows"] += 1
        tally[(file, batch_year)][outcomes.get((file, line), "rejected")] += 1
        categories.setdefault((file, batch_year), category)
    for duplicate in duplicates:
        key = (duplicate.file, duplicate.batch_year)
        tally[key]["rows"] += 1
        tally[key]["duplicates"] += 1
        categories.setdefault(key, duplicate.category)
    for refused in rejected:
        key = (refused.file, refused.batch_year)
        tally[key]["rows"] += refused.rows
        tally[key]["rejected"] += refused.rows
        categories.setdefault(key, refused.category)
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
        for (file, batch_year), counter in sorted(
            tally.items(), key=lambda item: (order(item[0][0]), item[0][0], item[0][1] or 0)
        )
    )
