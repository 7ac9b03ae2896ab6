"""The demo ledger: the real record as published, and a fictitious story told about fictitious
units only — marked synthetic as a fact, lawful under the rules, and the same every time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise, EnterpriseKey
from domain.ledger import Ledger
from domain.listing import Listing
from domain.loading.announcements import read_announcements
from domain.loading.demo import (
    ANNOUNCEMENTS,
    FICTITIOUS,
    LISTS,
    PUBLISHED_LISTS,
    DemoReport,
    fictitious_uscc,
    load_demo,
)
from domain.loading.published_lists import read_published_lists
from domain.national.commands import get_green_codes
from domain.replay import replay
from domain.values import (
    Category,
    Level,
    ListingStatus,
    Reference,
    Region,
    Uscc,
    normalise_name,
)
from readside.decisions.explanations import get_explanation
from readside.engine import tables
from readside.engine.database import Views
from readside.engine.projector import Projector

BATCH_3 = date(2018, 10, 29)
BATCH_4 = date(2019, 9, 2)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("demo") / "ledger.db"
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def demo(demo_url: str) -> Iterator[tuple[Ledger, DemoReport]]:
    ledger = Ledger.open(demo_url)
    report = load_demo(ledger)
    yield ledger, report
    ledger.close()


@dataclass(frozen=True)
class Stored:
    position: int
    aggregate_id: UUID
    event: Any


@pytest.fixture(scope="module")
def log(demo: tuple[Ledger, DemoReport]) -> list[Stored]:
    """Every stored event of the demo, in order."""
    ledger, _ = demo
    events: list[Stored] = []
    position = 0
    while page := ledger.recorder.select_notifications(
        start=position, limit=1000, inclusive_of_start=False
    ):
        for notification in page:
            event = ledger.mapper.to_domain_event(notification)
            events.append(Stored(notification.id, UUID(str(notification.originator_id)), event))
        position = page[-1].id
    return events


@pytest.fixture(scope="module")
def published_names() -> frozenset[str]:
    """Every name the real documents shipped give a unit, compared normalised."""
    lists = read_published_lists(PUBLISHED_LISTS)
    names: set[str | None] = {row.name for row in lists.rows}
    for notice in read_announcements(ANNOUNCEMENTS).notices:
        names.update(row.name for row in notice.listed)
        names.update(name for row in notice.removals for name in (row.name, row.listed_name))
        names.update(name for row in notice.renames for name in (row.old_name, row.new_name))
    return frozenset(normalise_name(name) for name in names if name)


def enterprise_of(stored: Stored, listings: dict[UUID, UUID]) -> UUID | None:
    """The enterprise an event is about: itself, its listing's, or its key's."""
    event = stored.event
    if type(event).__qualname__.startswith("Enterprise."):
        return stored.aggregate_id
    if isinstance(event, EnterpriseKey.Claimed):
        return UUID(str(event.enterprise_id))
    if isinstance(event, Listing.Nominated):
        listings[stored.aggregate_id] = UUID(str(event.enterprise_id))
    if type(event).__qualname__.startswith("Listing."):
        return listings[stored.aggregate_id]
    listing_id = getattr(event, "listing_id", None)
    return listings.get(UUID(str(listing_id))) if listing_id is not None else None


def fictitious(reference: Reference) -> bool:
    return any((text or "").startswith(FICTITIOUS) for text in (reference.doc_no, reference.title))


def from_a_real_document(event: Any) -> bool:
    """Recorded by the importer of the ministry's announcements, on real documents only."""
    basis = tuple(event.basis)
    return event.actor == "importer" and bool(basis) and not any(map(fictitious, basis))


def test_no_fact_but_a_real_document_s_is_attached_to_a_unit_of_the_published_lists(
    demo: tuple[Ledger, DemoReport], log: list[Stored], published_names: frozenset[str]
) -> None:
    ledger, _ = demo
    listings: dict[UUID, UUID] = {}
    names: dict[UUID, set[str]] = {}
    attached: list[tuple[UUID, Stored]] = []
    for stored in log:
        enterprise_id = enterprise_of(stored, listings)
        if enterprise_id is not None:
            attached.append((enterprise_id, stored))
    for enterprise_id in {enterprise_id for enterprise_id, _ in attached}:
        enterprise = ledger.get_enterprise(enterprise_id)
        known = {record.name for record in enterprise.names} | set(enterprise.aliases)
        names[enterprise_id] = {normalise_name(name) for name in known}

    real = {e for e, known in names.items() if known & published_names}
    invented = [
        (stored.position, type(stored.event).__qualname__)
        for enterprise_id, stored in attached
        if enterprise_id in real and not from_a_real_document(stored.event)
    ]

    assert len(real) == 3919
    assert invented == []


def test_every_fictitious_unit_is_registered_synthetic_under_a_name_no_published_list_holds(
    demo: tuple[Ledger, DemoReport], log: list[Stored], published_names: frozenset[str]
) -> None:
    ledger, report = demo
    registrations = [s for s in log if isinstance(s.event, Enterprise.Registered)]
    synthetic = [s for s in registrations if s.event.synthetic]
    real = [s for s in registrations if not s.event.synthetic]

    assert len(synthetic) == report.fictitious_enterprises > 400
    assert len(real) == report.real_enterprises == 3919
    assert all(s.event.actor == "importer" for s in real)
    for stored in synthetic:
        enterprise = ledger.get_enterprise(stored.aggregate_id)
        for name in (record.name for record in enterprise.names):
            assert name.startswith(FICTITIOUS)
            assert normalise_name(name) not in published_names
    assessors = [s.event for s in log if isinstance(s.event, Assessor.Registered)]
    assert assessors
    assert all(a.synthetic and a.name.startswith(FICTITIOUS) for a in assessors)


def test_fictitious_units_are_spread_over_every_region_and_category(
    log: list[Stored],
) -> None:
    synthetic = {
        s.aggregate_id
        for s in log
        if isinstance(s.event, Enterprise.Registered) and s.event.synthetic
    }
    spread = Counter(
        (Region.of(s.event.region).code, Category(s.event.category))
        for s in log
        if isinstance(s.event, Listing.Nominated) and UUID(str(s.event.enterprise_id)) in synthetic
    )

    assert {region for region, _ in spread} == {region.code for region in Region.all()}
    assert {category for _, category in spread} == set(Category)
    assert len(Region.all()) == 37


def test_the_fictitious_story_holds_every_kind_of_fact_of_dynamic_management(
    demo: tuple[Ledger, DemoReport], log: list[Stored]
) -> None:
    ledger, report = demo
    kinds = Counter(type(s.event).__qualname__ for s in log if s.event.actor != "importer")
    proposals = Counter(
        s.event.action.value for s in log if isinstance(s.event, Listing.AdjustmentProposed)
    )
    grades = Counter(
        s.event.grade.value if s.event.grade else None
        for s in log
        if isinstance(s.event, Enterprise.CreditIncidentRecorded)
    )

    for kind in (
        "Listing.Nominated",
        "Listing.Listed",
        "Listing.Rejected",
        "Listing.IndicatorFilingSubmitted",
        "Listing.FilingReviewed",
        "Listing.FilingOverdue",
        "Listing.Flagged",
        "Listing.OnSiteAssessmentOrdered",
        "Listing.OnSiteAssessmentConcluded",
        "Listing.AdjustmentProposed",
        "Listing.Removed",
        "Enterprise.Renamed",
        "Enterprise.CreditIncidentRecorded",
        "Batch.Published",
    ):
        assert kinds[kind] > 0, kind
    assert set(proposals) == {"remove", "retain", "rename"}
    assert grades["grave"] == report.grave_accidents == 1
    pending = [
        listing
        for s in log
        if isinstance(s.event, Listing.Nominated)
        and (listing := ledger.get_listing(s.aggregate_id)).status is ListingStatus.REMOVAL_PROPOSED
    ]
    assert pending, "the last year's proposals await the ministry's decision"


def test_fictitious_units_are_removed_by_fictitious_announcements_only(
    log: list[Stored],
) -> None:
    removals = [
        s.event for s in log if isinstance(s.event, Listing.Removed) and s.event.actor != "importer"
    ]
    announcements = Counter(
        e.announcement.doc_no if e.announcement is not None else None for e in removals
    )

    assert set(announcements) == {
        *(annual_list.announcement.doc_no for annual_list in LISTS[1:]),
        None,  # the grave accident: removed at once
    }
    enterprise_of = {
        s.aggregate_id: s.event.enterprise_id for s in log if isinstance(s.event, Listing.Nominated)
    }
    # The grave accident removes every active listing of the factory at once: its national one
    # and, chosen from its provincial list (13号, REC-2), that one too.
    at_once = {enterprise_of[e.originator_id] for e in removals if e.announcement is None}
    assert len(at_once) == 1
    assert 1 <= announcements[None] <= 2
    assert all(
        any(map(fictitious, (*e.basis, *([e.announcement] if e.announcement else []))))
        for e in removals
    )


def test_fictitious_nominations_and_listings_meet_every_rule_checked(
    log: list[Stored],
) -> None:
    falling_short = [
        (type(s.event).__qualname__, finding.rule_id, finding.detail)
        for s in log
        if isinstance(s.event, Listing.Nominated | Listing.Listed) and s.event.actor != "importer"
        for finding in s.event.rule_findings
        if finding.applies
    ]

    assert falling_short == []


def test_the_demo_is_the_same_history_every_time(log: list[Stored]) -> None:
    again = Ledger.open("memory://")

    load_demo(again)

    repeated = again.recorder.select_notifications(start=None, limit=len(log) + 1)
    assert [(n.originator_id, n.originator_version, n.topic) for n in repeated] == [
        (s.aggregate_id, s.event.originator_version, _topic(s.event)) for s in log
    ]
    again.close()


def _topic(event: Any) -> str:
    return f"{type(event).__module__}:{type(event).__qualname__}"


def test_every_decision_of_the_demo_replays_without_a_mismatch(
    demo: tuple[Ledger, DemoReport],
) -> None:
    ledger, report = demo

    outcome = replay(ledger)

    assert outcome.mismatches == ()
    assert outcome.decisions_checked > report.reviews


def test_taixing_is_removed_by_the_batch_3_notice_and_no_day_before_batch_4_has_80_parks(
    demo: tuple[Ledger, DemoReport],
) -> None:
    ledger, _ = demo
    taixing = ledger.find_enterprise(region="320000", name="泰兴经济技术开发区")
    assert taixing is not None
    (listing_id,) = taixing.listing_ids
    parks = [
        listing
        for year in (1, 2, 3, 4, 5, 2021, 2022, 2023, 2024)
        for i in ledger.get_batch(Level.NATIONAL, year).nominations
        if (listing := ledger.get_listing(i)).category is Category.GREEN_PARK
    ]
    start = date(2017, 8, 23)
    days = [start + timedelta(days=n) for n in range((BATCH_4 - start).days)]

    assert ledger.get_listing(listing_id).removed_on == BATCH_3
    assert sum(park.listed_on_day(BATCH_3) for park in parks) == 79
    assert max(sum(park.listed_on_day(day) for park in parks) for day in days) == 79


def test_the_grave_accident_removed_a_fictitious_factory_at_once(log: list[Stored]) -> None:
    (grave,) = [
        s
        for s in log
        if isinstance(s.event, Enterprise.CreditIncidentRecorded)
        and s.event.grade is not None
        and s.event.grade.value == "grave"
    ]
    removed = [
        s.event
        for s in log
        if isinstance(s.event, Listing.Removed)
        and s.position > grave.position
        and s.event.effective_on == grave.event.effective_on
        and s.event.announcement is None
    ]

    # Its national listing, and its provincial one when it was chosen from it (13号, REC-2).
    assert 1 <= len(removed) <= 2
    assert all(e.barred_until is not None for e in removed)
    assert {e.originator_id for e in removed} >= {
        s.aggregate_id
        for s in log
        if isinstance(s.event, Listing.Nominated)
        and s.event.enterprise_id == grave.aggregate_id
        and s.event.level.value == "national"
    }


def test_the_batches_of_the_real_record_hold_only_the_importer_s_facts(
    log: list[Stored],
) -> None:
    real_batches = {
        stored.aggregate_id
        for stored in log
        if isinstance(stored.event, Batch.Opened) and stored.event.batch_year <= 2021
    }

    actors = {s.event.actor for s in log if s.aggregate_id in real_batches}

    assert len(real_batches) == 6
    assert actors == {"importer"}


def test_every_removed_unit_s_explanation_gives_the_bar_its_eligibility_finds(
    demo: tuple[Ledger, DemoReport], demo_url: str
) -> None:
    ledger, _ = demo
    views = Views.open(demo_url)
    try:
        Projector(ledger, views).catch_up()
        removed = [
            ledger.get_listing(listing_id)
            for listing_id in views_listing_ids(views, status="removed")
        ]
        assert len(removed) > 50
        for listing in removed:
            (removal,) = listing.removals
            days = {removal.removed_on, date(2022, 9, 16), date(2024, 1, 19)}
            if removal.barred_until is not None:
                days |= {removal.barred_until, removal.barred_until + timedelta(days=1)}
            for day in sorted(days):
                eligibility = ledger.eligibility(listing.enterprise_id, day)
                bars = [f.barred_until for f in eligibility.findings if f.rule_id == "NEG-3"]
                explained = get_explanation(views, listing.id, on=day)

                assert explained.barred_until == (bars[0] if bars else None), (listing.id, day)
    finally:
        views.close()


def views_listing_ids(views: Views, *, status: str) -> list[UUID]:
    listings = tables.listings
    with views.reading() as connection:
        found = connection.execute(
            sa.select(listings.c.listing_id).where(listings.c.status == status)
        ).scalars()
        return sorted(found, key=str)


def gb_11714_check(code: str) -> str:
    """The check character of an organisation code's first eight characters (GB 11714)."""
    total = sum(int(c, 36) * w for c, w in zip(code, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@pytest.mark.parametrize("region", ["110000", "320000", "330200", "660000"])
def test_a_fictitious_evaluator_s_code_passes_gb_32100_but_no_organisation_can_hold_it(
    region: str,
) -> None:
    code = Uscc(fictitious_uscc(Region.of(region), 7)).value
    organisation = code[8:17]

    assert code[2:8] == region
    assert organisation[8] != gb_11714_check(organisation[:8])


def test_every_evaluation_a_province_cited_in_the_demo_is_confirmed_by_its_evaluator(
    log: list[Stored],
) -> None:
    """Only confirmed evaluations count toward an evaluator's cap (ADR 0110): the demo's
    fictitious evaluators confirm each one their province cited, themselves, and nothing else."""
    cited = {
        s.event.evaluation_id: s.event for s in log if isinstance(s.event, Assessor.EvaluationCited)
    }
    confirmed = [s.event for s in log if isinstance(s.event, Assessor.EvaluationConfirmed)]

    assert cited
    assert {e.evaluation_id for e in confirmed} == set(cited)
    assert all(e.actor == f"assessor:{e.originator_id}" for e in confirmed)
    assert all(cited[e.evaluation_id].originator_id == e.originator_id for e in confirmed)


def test_the_demo_has_a_publicity_round_and_a_year_of_green_codes(
    demo: tuple[Ledger, DemoReport],
) -> None:
    """Issue 17 (ADR 0150, 0151): the 2024 round is publicised, objections make a few fall out
    with their reason; the 2024 green codes keep the shares; only fictitious units carry them."""
    ledger, report = demo
    batch = ledger.get_batch(Level.NATIONAL, 2024)
    assert batch.publicity is not None
    assert report.publicised == len(batch.publicity.nominees) > 0
    assert report.provincial_listings > 0
    fallen = set(batch.publicity.nominees) - set(batch.publications[-1].listed)
    assert len(fallen) == report.objections == len(batch.publications[-1].rejected)

    codes = get_green_codes(ledger, 2024)
    assert codes is not None
    graded = len(codes.grades)
    tally = Counter(g.grade for g in codes.grades.values())
    assert (tally["A+"], tally["A+"] + tally["A"]) == (graded * 5 // 100, graded * 40 // 100)
    assert graded + len(codes.withheld) == report.green_code_applications
    assert all(
        ledger.get_enterprise(ledger.get_listing(i).enterprise_id).name.startswith("示例")
        for i in (*codes.grades, *codes.withheld)
    )


def test_the_provinces_own_lists_and_their_stars_are_about_fictitious_units_only(
    demo: tuple[Ledger, DemoReport], log: list[Stored]
) -> None:
    """ADR 0144: provincial and municipal lists with stars, raised and lowered, by fictitious
    announcements, about units registered `synthetic` only."""
    ledger, report = demo
    ratings = [s for s in log if isinstance(s.event, Listing.StarsRated)]
    assert len(ratings) == report.star_ratings == 19
    assert report.provincial_units == 17
    for stored in ratings:
        listing = ledger.get_listing(stored.aggregate_id)
        assert listing.level.value in ("provincial", "municipal")
        assert ledger.get_enterprise(listing.enterprise_id).synthetic
        assert fictitious(stored.event.announcement)
    histories: dict[UUID, list[int]] = {}
    for stored in ratings:
        histories.setdefault(stored.aggregate_id, []).append(stored.event.stars)
    assert any(h[-1] > h[0] for h in histories.values())  # an upgrade
    assert any(h[-1] < h[0] for h in histories.values())  # a downgrade
    municipal = [
        s.event.city
        for s in log
        if isinstance(s.event, Listing.Nominated) and s.event.city is not None
    ]
    assert sorted(set(municipal)) == ["320500", "330200"]
