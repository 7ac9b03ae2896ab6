"""Laws of the read side, for random valid histories told through the ledger's commands:

(a) the read models maintained event by event equal a full rebuild, row for row;
(b) the list on a date D as known at an instant T equals a plain fold, written here, over the
    events effective on or before D and recorded at or before T (a rescission recorded by T voids
    its removal, as the correction it is). The log commits in position order, so an event counts
    as recorded by T when it and every event before it were (a command may create its events in
    another order than it saves them: a publication's `Published` last, saved first).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.enterprise import Enterprise
from domain.errors import LedgerError
from domain.ledger import Ledger, RemovalRequest
from domain.listing import Listing
from domain.values import ListingStatus, Provenance, Reference, RemovalReason
from readside.engine.database import Views
from readside.engine.projector import Projector
from readside.queries import list_listings
from tests.builders import ANNOUNCEMENT, energy
from tests.conftest import empty_postgres
from tests.projections.conftest import dump

START = date(2022, 9, 1)
ONE_DAY = timedelta(days=1)
REGIONS = ("320000", "330000", "330200")
CATEGORIES = ("green_factory", "green_supply_chain", "green_park")
EVERY_STATUS = [status.value for status in ListingStatus]

KINDS = (
    "register",
    "nominate",
    "publish",
    "open_batch",
    "file",
    "file",
    "review",
    "review",
    "overdue",
    "flag_by_incident",
    "grave_incident",
    "order",
    "order",
    "conclude",
    "conclude",
    "propose",
    "remove",
    "remove",
    "rescind",
    "rescind",
    "rescind",
    "rename",
)
step = st.tuples(
    st.sampled_from(KINDS),
    st.integers(min_value=0, max_value=7),  # which enterprise / listing
    st.integers(min_value=0, max_value=7),  # a second choice (outcome, action, region ...)
    st.integers(min_value=0, max_value=45),  # days after the last date
)
#: Every story opens with enterprises nominated and a list published, so that what follows has
#: units to file for, flag, assess, remove and rescind.
opening = st.tuples(
    *(
        st.tuples(st.just(kind), st.integers(0, 7), st.integers(0, 7), st.integers(0, 20))
        for kind in (
            "register",
            "register",
            "register",
            "nominate",
            "nominate",
            "nominate",
            "nominate",
            "publish",
        )
    )
)
steps = st.builds(
    lambda first, rest: [*first, *rest], opening, st.lists(step, min_size=5, max_size=25)
)


@dataclass
class Story:
    """Turns abstract steps into commands; a command the ledger refuses simply writes nothing."""

    ledger: Ledger
    day: date = START
    enterprises: list[UUID] = field(default_factory=list)
    listings: list[UUID] = field(default_factory=list)
    batches: list[int] = field(default_factory=list)
    names: Iterator[int] = field(default_factory=itertools.count)

    def tell(self, step: tuple[str, int, int, int], after_each: Any = None) -> None:
        kind, first, second, days = step
        self.day += timedelta(days=days)
        try:
            getattr(self, kind)(first, second)
        except LedgerError:
            pass
        finally:
            if after_each is not None:
                after_each()

    def province(self, region: str = REGIONS[0]) -> Provenance:
        return Provenance(actor=f"province:{region}", effective_on=self.day)

    def ministry(self) -> Provenance:
        return Provenance(
            actor="ministry", effective_on=self.day, basis=(Reference(doc_no="工信部文"),)
        )

    def enterprise(self, index: int) -> UUID:
        if not self.enterprises:
            raise LedgerError("no enterprise yet")
        return self.enterprises[index % len(self.enterprises)]

    def listing(self, index: int) -> UUID:
        if not self.listings:
            raise LedgerError("no listing yet")
        return self.listings[index % len(self.listings)]

    def register(self, first: int, second: int) -> None:
        region = REGIONS[second % len(REGIONS)]
        receipt = self.ledger.register_enterprise(
            name=f"企业{next(self.names)}有限公司", region=region, provenance=self.province(region)
        )
        assert receipt.id is not None
        self.enterprises.append(receipt.id)

    def open_batch(self, first: int, second: int) -> None:
        year = 2022 + len(self.batches)
        self.ledger.open_batch(level="national", batch_year=year, provenance=self.ministry())
        self.batches.append(year)

    def nominate(self, first: int, second: int) -> None:
        if not self.batches:
            self.open_batch(first, second)
        receipt = self.ledger.nominate_listing(
            enterprise_id=self.enterprise(first),
            category=CATEGORIES[second % len(CATEGORIES)],
            level="national",
            batch_year=self.batches[-1],
            provenance=self.province(),
        )
        assert receipt.id is not None
        if receipt.id not in self.listings:
            self.listings.append(receipt.id)

    def publish(self, first: int, second: int) -> None:
        if not self.batches:
            raise LedgerError("no batch yet")
        year = self.batches[-1]
        pending = [
            listing_id
            for listing_id in self.listings
            if (found := self.ledger.get_listing(listing_id)).status is ListingStatus.NOMINATED
            and found.batch_year == year
        ]
        listed = [x for i, x in enumerate(pending) if (i + first) % 3]
        rejected = [x for x in pending if x not in listed]
        removed = []
        if second % 4 == 0 and self.listings:
            candidate = self.listing(second)
            if self.ledger.get_listing(candidate).is_on_list:
                removed.append(RemovalRequest(candidate, (RemovalReason(_reason(second)),)))
        self.ledger.publish_batch(
            level="national",
            batch_year=year,
            announcement=ANNOUNCEMENT,
            listed=listed,
            rejected=rejected,
            removed=removed,
            provenance=self.ministry(),
        )

    def file(self, first: int, second: int) -> None:
        self.ledger.submit_filing(
            self.listing(first),
            report_year=self.day.year - 1 + second % 2,
            indicators=energy(),
            provenance=self.province(),
        )

    def review(self, first: int, second: int) -> None:
        listing = self.ledger.get_listing(self.listing(first))
        if not listing.filings:
            raise LedgerError("nothing filed")
        self.ledger.review_filing(
            listing.id,
            report_year=max(listing.filings),
            outcome="non_compliant" if second % 3 == 0 else "compliant",
            provenance=self.province(),
        )

    def overdue(self, first: int, second: int) -> None:
        self.ledger.record_filing_overdue(
            self.listing(first), report_year=self.day.year - 1, provenance=self.province()
        )

    def flag_by_incident(self, first: int, second: int) -> None:
        self.ledger.record_incident(
            self.enterprise(first),
            kind="quality",
            grade="minor",
            occurred_on=self.day,
            source="province_report",
            provenance=self.province(),
        )

    def grave_incident(self, first: int, second: int) -> None:
        self.ledger.record_incident(
            self.enterprise(first),
            kind="safety",
            grade="grave",
            occurred_on=self.day,
            source="credit_china",
            provenance=self.province(),
        )

    def order(self, first: int, second: int) -> None:
        self.ledger.order_assessment(
            self.listing(first), reason="关键指标不达标", provenance=self.province()
        )

    def conclude(self, first: int, second: int) -> None:
        listing = self.ledger.get_listing(self.listing(first))
        if listing.open_assessment is None:
            raise LedgerError("no assessment open")
        outcome = ("meets", "does_not_meet", "rectification_required")[second % 3]
        self.ledger.conclude_assessment(
            listing.id,
            listing.open_assessment.assessment_id,
            outcome=outcome,
            provenance=self.province(),
        )

    def propose(self, first: int, second: int) -> None:
        action = ("retain", "remove", "rename")[second % 3]
        self.ledger.propose_adjustment(
            self.listing(first),
            action=action,
            reasons=["依据现场评估"],
            new_name="新名有限公司" if action == "rename" else None,
            provenance=self.province(),
        )

    def remove(self, first: int, second: int) -> None:
        self.ledger.remove_listing(
            self.listing(first), reasons=[_reason(second)], provenance=self.ministry()
        )

    def rescind(self, first: int, second: int) -> None:
        self.ledger.rescind_removal(self.listing(first), reason="更正", provenance=self.ministry())

    def rename(self, first: int, second: int) -> None:
        self.ledger.rename_enterprise(
            self.enterprise(first),
            name=f"更名{next(self.names)}有限公司",
            provenance=self.province(),
        )


def _reason(choice: int) -> str:
    return ("indicators", "withdrawn", "falsified_data")[choice % 3]


# -- the plain fold ------------------------------------------------------------------------------


def expected_list(
    events: list[Any], as_of: date, known_at: datetime | None
) -> set[tuple[Any, ...]]:
    """The list on `as_of` as known at `known_at`, folded from the events alone."""
    known = []
    latest = None
    for e in events:
        latest = e.timestamp if latest is None else max(latest, e.timestamp)
        if known_at is None or latest <= known_at:
            known.append(e)
    voided: set[tuple[UUID, int]] = set()
    last_removal: dict[UUID, int] = {}
    for e in known:
        if isinstance(e, Listing.Removed):
            last_removal[e.originator_id] = e.originator_version
        elif isinstance(e, Listing.RemovalRescinded):
            voided.add((e.originator_id, last_removal.pop(e.originator_id)))
    names: dict[UUID, str] = {}
    listings: dict[UUID, dict[str, Any]] = {}
    for e in known:
        if isinstance(e, Enterprise.Registered):
            names[e.originator_id] = e.name
        if e.effective_on > as_of:
            continue
        if isinstance(e, Enterprise.Renamed):
            names[e.originator_id] = e.name
        if isinstance(e, Listing.RemovalRescinded):
            continue
        if isinstance(e, Listing.Removed) and (e.originator_id, e.originator_version) in voided:
            continue
        _fold(listings, e)
    return {
        (
            listing_id,
            unit["enterprise_id"],
            names[unit["enterprise_id"]],
            unit["region"],
            unit["category"],
            "national",
            unit["batch_year"],
            unit["status"],
            unit["listed_on"],
            unit["removed_on"],
        )
        for listing_id, unit in listings.items()
    }


def _fold(listings: dict[UUID, dict[str, Any]], e: Any) -> None:
    if isinstance(e, Listing.Nominated):
        listings[e.originator_id] = {
            "enterprise_id": e.enterprise_id,
            "region": e.region.code,
            "category": e.category.value,
            "batch_year": e.batch_year,
            "status": "nominated",
            "listed_on": None,
            "removed_on": None,
        }
        return
    unit = listings.get(e.originator_id)
    if unit is None:
        return
    status = unit["status"]
    if isinstance(e, Listing.Renominated):
        unit.update(batch_year=e.batch_year, status="nominated", listed_on=None, removed_on=None)
    elif isinstance(e, Listing.Listed):
        unit.update(status="listed", listed_on=e.effective_on, removed_on=None)
    elif isinstance(e, Listing.Rejected):
        unit["status"] = "rejected"
    elif isinstance(e, Listing.Flagged) or (
        isinstance(e, Listing.FilingReviewed) and e.outcome.value == "non_compliant"
    ):
        unit["status"] = "flagged" if status == "listed" else status
    elif isinstance(e, Listing.OnSiteAssessmentOrdered):
        unit["status"] = "under_assessment"
    elif isinstance(e, Listing.OnSiteAssessmentConcluded):
        unit["status"] = "listed" if e.outcome.value == "meets" else "flagged"
    elif isinstance(e, Listing.AdjustmentProposed) and e.action.value != "rename":
        unit["status"] = "removal_proposed" if e.action.value == "remove" else "listed"
    elif isinstance(e, Listing.Removed):
        unit.update(status="removed", removed_on=e.effective_on)


# -- the laws --------------------------------------------------------------------------------------


@contextmanager
def fresh_ledger(url: str, example: int) -> Iterator[tuple[Ledger, Views]]:
    """An empty store for each example (the fixture's store is made once per test)."""
    if url.startswith("sqlite"):
        url = url.replace(".db", f"-{example}.db")
    else:
        empty_postgres(url)
    ledger, views = Ledger.open(url), Views.open(url)
    try:
        yield ledger, views
    finally:
        views.close()
        ledger.close()


examples = itertools.count()

#: A story that surely has them all: a removal rescinded a month later, a rename, a flag, an
#: assessment asking for rectification, and a grave accident's immediate removal.
TOLD_IN_FULL = [
    ("register", 0, 0, 0),
    ("register", 1, 1, 0),
    ("register", 2, 2, 0),
    ("nominate", 0, 0, 10),
    ("nominate", 1, 1, 1),
    ("nominate", 2, 2, 1),
    ("nominate", 0, 1, 1),
    ("publish", 1, 1, 30),
    ("remove", 0, 2, 40),
    ("rename", 0, 0, 5),
    ("rescind", 0, 0, 30),
    ("file", 1, 0, 60),
    ("review", 1, 0, 10),
    ("order", 1, 0, 5),
    ("conclude", 1, 2, 20),
    ("grave_incident", 1, 0, 10),
]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(story=steps, page_size=st.integers(min_value=1, max_value=4))
@example(story=TOLD_IN_FULL, page_size=2)
def test_read_models_kept_event_by_event_equal_a_full_rebuild(
    sql_database_url: str, story: list[tuple[str, int, int, int]], page_size: int
) -> None:
    with fresh_ledger(sql_database_url, next(examples)) as (ledger, views):
        projector = Projector(ledger, views, page_size=page_size)
        told = Story(ledger)
        for step in story:
            told.tell(step, after_each=projector.catch_up)
        kept = dump(views)

        Projector(ledger, views).rebuild()

        assert dump(views) == kept


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(story=steps, choices=st.lists(st.integers(min_value=0), min_size=3, max_size=3))
@example(story=TOLD_IN_FULL, choices=[9, 11, 14])
def test_the_list_on_a_date_as_known_at_an_instant_equals_a_plain_fold_of_the_events(
    sql_database_url: str, story: list[tuple[str, int, int, int]], choices: list[int]
) -> None:
    with fresh_ledger(sql_database_url, next(examples)) as (ledger, views):
        told = Story(ledger)
        for step in story:
            told.tell(step)
        Projector(ledger, views).catch_up()
        events: list[Any] = [
            ledger.mapper.to_domain_event(n)
            for n in ledger.recorder.select_notifications(start=None, limit=100_000)
        ]
        if not events:
            return
        # Every day something took effect, and the day before it: where the answers change.
        days = sorted({d for e in events for d in (e.effective_on, e.effective_on - ONE_DAY)})
        instants: list[datetime | None] = [None]
        instants += [events[c % len(events)].timestamp for c in choices]

        for as_of, known_at in itertools.product(days, instants):
            page = list_listings(
                views, as_of=as_of, known_at=known_at, status=EVERY_STATUS, page_size=500
            )
            shown = {
                (
                    i.listing_id,
                    i.enterprise_id,
                    i.name,
                    i.region,
                    i.category,
                    i.level,
                    i.batch_year,
                    i.status,
                    i.listed_on,
                    i.removed_on,
                )
                for i in page.items
            }

            assert shown == expected_list(events, as_of, known_at), (as_of, known_at)
            assert page.total == len(shown)
