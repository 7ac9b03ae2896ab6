"""Bulk filing of the yearly dynamic management tables (动态管理表, 工信厅节函〔2022〕235号 二 and
附件6–9): a province collects its units' tables in one workbook and files them at once.

Each row is one unit's table for one report year, and becomes exactly what the filing command
writes (`Ledger.submit_filing`, IndicatorFilingSubmitted, DYN-1) with the province as actor; the
same checks refuse it (the unit on the list, the year not before its first, the indicators'
units, the order of effective dates), plus the import's own: the unit exists, belongs to the
province's region and to the sheet's category, and appears once per year in the file.

A row whose indicators equal the unit's latest filing for that year is `unchanged`: a second
upload of the same file writes nothing. A dry run runs every row's command in a bulk block that is
then discarded: the preview is what the commit would do, row by row, and nothing is written.
Rows are saved a chunk at a time (each chunk one atomic save); a refused row writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from domain.errors import InvalidInputError, LedgerError
from domain.ledger import Ledger
from domain.values import Category, Indicator, Provenance, Region

Outcome = Literal["written", "would_write", "unchanged", "refused"]
#: Rows per atomic save when committing.
CHUNK_ROWS = 200


class ListingOutsideRegionError(InvalidInputError):
    """Raised when a row names a unit of another region than the importing province's."""

    def __init__(self, listing_id: UUID, region: str, expected: str) -> None:
        super().__init__(
            "listing_id",
            f"listing {listing_id} belongs to region {region}, not to {expected}",
        )
        self.region = region
        self.expected = expected


class ListingCategoryMismatchError(InvalidInputError):
    """Raised when a row names a unit of another category than its sheet's (附件6–9 differ)."""

    def __init__(self, listing_id: UUID, category: Category, sheet: Category) -> None:
        super().__init__(
            "listing_id",
            f"listing {listing_id} is a {category.value}, not a {sheet.value}: "
            "it belongs on the other sheet",
        )
        self.category = category
        self.sheet = sheet


class DuplicateFilingRowError(InvalidInputError):
    """Raised when a file holds the same unit's table for the same year twice."""

    def __init__(self, first_sheet: str, first_row: int) -> None:
        super().__init__(
            "listing_id",
            f"the same unit and report year are already in sheet {first_sheet!r}, row {first_row}",
        )
        self.first_sheet = first_sheet
        self.first_row = first_row


@dataclass(frozen=True)
class FilingRow:
    """One row of the workbook: where it is, and the table it holds."""

    sheet: str
    row: int
    category: Category
    listing_id: UUID
    report_year: int
    indicators: dict[str, Indicator]


@dataclass(frozen=True)
class RowOutcome:
    row: FilingRow
    outcome: Outcome
    name: str | None = None
    error: LedgerError | None = None


@dataclass
class FilingImportReport:
    dry_run: bool
    outcomes: list[RowOutcome] = field(default_factory=list)
    position: int | None = None

    def count(self, outcome: Outcome) -> int:
        return sum(1 for item in self.outcomes if item.outcome == outcome)

    @property
    def refused(self) -> list[RowOutcome]:
        return [item for item in self.outcomes if item.outcome == "refused"]

    @property
    def written(self) -> bool:
        return self.count("written") > 0


class _DiscardDryRunError(Exception):
    """Leaves a dry run's bulk block, so that nothing it did is saved."""


def import_filings(
    ledger: Ledger,
    rows: Sequence[FilingRow],
    *,
    region: Region | None,
    provenance: Provenance,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> FilingImportReport:
    """File every row's table (or, in a dry run, say what filing it would do)."""
    report = FilingImportReport(dry_run=dry_run)
    try:
        with ledger.bulk(commands_per_save=len(rows) + 1 if dry_run else CHUNK_ROWS) as bulk:
            _file_rows(ledger, rows, region, provenance, report, progress)
            if dry_run:
                raise _DiscardDryRunError
    except _DiscardDryRunError:
        return report
    report.position = bulk.position
    return report


def _file_rows(
    ledger: Ledger,
    rows: Sequence[FilingRow],
    region: Region | None,
    provenance: Provenance,
    report: FilingImportReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    seen: dict[tuple[UUID, int], FilingRow] = {}
    for done, row in enumerate(rows, start=1):
        first = seen.setdefault((row.listing_id, row.report_year), row)
        try:
            if first is not row:
                raise DuplicateFilingRowError(first.sheet, first.row)
            report.outcomes.append(_file_row(ledger, row, region, provenance, report.dry_run))
        except LedgerError as error:
            report.outcomes.append(RowOutcome(row, "refused", _name(ledger, row), error))
        if progress is not None:
            progress(done, len(rows))


def _file_row(
    ledger: Ledger, row: FilingRow, region: Region | None, provenance: Provenance, dry_run: bool
) -> RowOutcome:
    listing = ledger.get_listing(row.listing_id)
    name = _name(ledger, row)
    if region is not None and listing.region.code != region.code:
        raise ListingOutsideRegionError(listing.id, listing.region.code, region.code)
    if listing.category is not row.category:
        raise ListingCategoryMismatchError(listing.id, listing.category, row.category)
    recorded = listing.filings.get(row.report_year)
    if recorded is not None and recorded.indicators == row.indicators:
        return RowOutcome(row, "unchanged", name)
    ledger.submit_filing(
        row.listing_id,
        report_year=row.report_year,
        indicators=row.indicators,
        provenance=provenance,
    )
    return RowOutcome(row, "would_write" if dry_run else "written", name)


def _name(ledger: Ledger, row: FilingRow) -> str | None:
    """The unit's name as the ledger knows it now (None for an unknown unit)."""
    try:
        listing = ledger.get_listing(row.listing_id)
        return ledger.get_enterprise(listing.enterprise_id).name
    except LedgerError:
        return None
