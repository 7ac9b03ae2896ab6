"""The ledger's 企业绿码 commands (ADR 0151): record an application, assign a year's codes by the
documented method, record a grade the ministry assigned elsewhere. Functions of the ledger, beside
it, so that `domain/ledger.py` stays the list's commands; each loads, decides and saves in one
atomic `save()` as the ledger's own do."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.enterprise import Enterprise
from domain.errors import InvalidInputError, ListingNotFoundError, TransitionRefusedError
from domain.ledger import Ledger, Receipt
from domain.listing import Listing
from domain.national.green_codes import GreenCodeRound, green_code_round_id
from domain.national.scoring import (
    DEFAULT_METHOD,
    METHODS,
    GreenCode,
    ImplausibleDataError,
    ScoringMethod,
    grade,
    score,
)
from domain.values import Category, Level, Provenance, Reference

#: Why an applicant got no code, in words (Chinese first).
NOT_FILED = "未填报当年动态管理表，不予赋码 / the year's table was not filed: no code"
IMPLAUSIBLE = "数据异常，不予赋码 / the data fail the plausibility checks: no code"
NOT_ON_LIST = "不在国家级绿色工厂名单上，不予赋码 / not a national green factory on the list"


class GreenCodesAlreadyAssignedError(TransitionRefusedError):
    """The year's codes were computed already: a correction is recorded grade by grade."""


def _national_factory(ledger: Ledger, listing_id: UUID) -> Listing:
    listing = ledger._maybe_get(Listing, listing_id)
    if listing is None:
        raise ListingNotFoundError(str(listing_id))
    if listing.level is not Level.NATIONAL or listing.category is not Category.GREEN_FACTORY:
        raise InvalidInputError("listing_id", "企业绿码 is for national green factories only")
    return listing


def _green_code_round(ledger: Ledger, report_year: int, p: Provenance) -> GreenCodeRound:
    if not 2023 <= report_year <= 2099:
        raise InvalidInputError("report_year", f"{report_year}: 企业绿码 exists from 2023")
    found = ledger._maybe_get(GreenCodeRound, green_code_round_id(report_year))
    return found if found is not None else GreenCodeRound.open(report_year, p)


def get_green_codes(ledger: Ledger, report_year: int) -> GreenCodeRound | None:
    return ledger._maybe_get(GreenCodeRound, green_code_round_id(report_year))


def record_green_code_application(
    ledger: Ledger, listing_id: UUID, *, report_year: int, provenance: Provenance
) -> Receipt:
    """GreenCodeRound.ApplicationRecorded for a national green factory on the list;
    idempotent."""
    p = ledger._resolve(provenance)
    listing = _national_factory(ledger, listing_id)
    if not listing.is_on_list:
        raise InvalidInputError("listing_id", NOT_ON_LIST)
    year = _green_code_round(ledger, report_year, p)
    year.record_application(listing.id, p)
    return Receipt(year.id, ledger._save(year), (year.id, listing.id))


def assign_green_codes(
    ledger: Ledger,
    *,
    report_year: int,
    announcement: Reference | None = None,
    method: str = DEFAULT_METHOD,
    provenance: Provenance,
) -> Receipt:
    """GreenCodeAssigned for every applicant that filed plausible data, ranked by the
    method's score; GreenCodeWithheld, with why, for the others. Once per year."""
    if method not in METHODS:
        raise InvalidInputError("method", f"{method!r} is not a scoring method")
    the_method = METHODS[method]
    p = ledger._resolve(provenance)
    year = _green_code_round(ledger, report_year, p)
    if year.assigned_on is not None:
        raise GreenCodesAlreadyAssignedError(
            f"the {report_year} codes were assigned on {year.assigned_on}"
        )
    scores: list[tuple[UUID, Decimal]] = []
    withheld: list[tuple[UUID, str]] = []
    for listing_id in year.applications:
        why, value = _scored(ledger, the_method, listing_id, report_year)
        if why is not None:
            withheld.append((listing_id, why))
        elif value is None:  # _scored gives a reason or a score
            raise InvalidInputError("score", f"no score and no reason for {listing_id}")
        else:
            scores.append((listing_id, value))
    for listing_id, why in withheld:
        year.withhold(listing_id, why, p)
    for graded in grade(the_method, scores):
        year.assign(
            listing_id=graded.listing_id,
            grade=graded.grade.value,
            score=graded.score,
            rank=graded.rank,
            graded=len(scores),
            method=the_method.version,
            announcement=announcement,
            provenance=p,
        )
    return Receipt(year.id, ledger._save(year), (year.id,))


def _scored(
    ledger: Ledger, method: ScoringMethod, listing_id: UUID, report_year: int
) -> tuple[str | None, Decimal | None]:
    """Why the applicant gets no code (None: it gets one), and its score."""
    listing = _national_factory(ledger, listing_id)
    if not listing.is_on_list:
        return NOT_ON_LIST, None
    filing = listing.filings.get(report_year)
    if filing is None:
        return NOT_FILED, None
    enterprise = ledger._maybe_get(Enterprise, listing.enterprise_id)
    industry = enterprise.industry if enterprise is not None else None
    try:
        return None, score(method, industry, filing.indicators)
    except ImplausibleDataError as error:
        return f"{IMPLAUSIBLE}（{error}）", None


def record_green_code(
    ledger: Ledger,
    listing_id: UUID,
    *,
    report_year: int,
    grade: str,
    announcement: Reference | None = None,
    provenance: Provenance,
) -> Receipt:
    """GreenCodeAssigned as a fact: the grade the ministry assigned elsewhere (no score)."""
    code = GreenCode.parse(grade)
    p = ledger._resolve(provenance)
    listing = _national_factory(ledger, listing_id)
    year = _green_code_round(ledger, report_year, p)
    year.assign(
        listing_id=listing.id,
        grade=code.value,
        score=None,
        rank=None,
        graded=None,
        method=None,
        announcement=announcement,
        provenance=p,
    )
    return Receipt(year.id, ledger._save(year), (year.id, listing.id))


def latest_green_code_year(ledger: Ledger, first: int, last: int) -> int | None:
    """The latest report year in `first`…`last` with grades recorded, if any."""
    for year in range(min(last, 2099), max(first, 2023) - 1, -1):
        found = get_green_codes(ledger, year)
        if found is not None and found.grades:
            return year
    return None


def green_code_distribution(ledger: Ledger, report_year: int) -> dict[str, dict[str, int]]:
    """The year's grades per region: region code → {"A+": n, "A": n, "B": n}."""
    found = get_green_codes(ledger, report_year)
    table: dict[str, dict[str, int]] = {}
    for record in found.grades.values() if found is not None else ():
        region = _national_factory(ledger, record.listing_id).region.code
        row = table.setdefault(region, {code.value: 0 for code in GreenCode})
        row[record.grade] += 1
    return dict(sorted(table.items()))
