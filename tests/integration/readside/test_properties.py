"""Laws of the read side, for random valid histories told through the ledger's commands:

(a) the read models maintained event by event equal a full rebuild, row for row, and each row of
    `listings` has the status, dates and flags of its aggregate as the ledger holds it now;
(b) the list on a date D as known at an instant T, and each listing's status and flags then, are
    those of the aggregates (design.md, One lifecycle: checked against the aggregates, not against
    a third fold): each listing as the library rebuilds it from its events recorded by T up to its
    last one effective on or before D — a removal whose rescission was recorded by T left out, as
    the correction voids it — and its enterprise's name likewise. The log commits in position
    order, so an event counts as recorded by T when it and every event before it were (a command
    may create its events in another order than it saves them: a publication's `Published` last,
    saved first).

Each story counts the commands the ledger recorded, by kind; a refused command writes nothing. A
story that recorded nothing would make both laws hold vacuously, so each test asserts what its
story recorded.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.errors import LedgerError, ListingNotFoundError
from domain.ledger import Ledger, RemovalRequest
from domain.listing import Listing
from domain.values import ListingStatus, Provenance, Reference, RemovalReason
from readside.decisions.explanations import get_explanation
from readside.engine.database import Views
from readside.engine.projector import Projector
from readside.listings.queries import ListQuery, get_listing, list_listings
from readside.statistics.queries import get_statistics
from readside.timeline.queries import list_listing_history
from tests.builders import ANNOUNCEMENT, PARK_EVIDENCE, energy
from tests.conftest import empty_postgres
from tests.integration.readside.conftest import dump

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
    """Turns abstract steps into commands, counting by kind those the ledger recorded; a command
    the ledger refuses must write nothing."""

    ledger: Ledger
    day: date = START
    enterprises: list[UUID] = field(default_factory=list)
    listings: list[UUID] = field(default_factory=list)
    batches: list[int] = field(default_factory=list)
    names: Iterator[int] = field(default_factory=itertools.count)
    recorded: Counter[str] = field(default_factory=Counter)

    def tell(self, step: tuple[str, int, int, int], after_each: Any = None) -> None:
        kind, first, second, days = step
        self.day += timedelta(days=days)
        try:
            if kind == "nominate" and not self.batches:
                self.run("open_batch", first, second)  # a nomination needs an open round
            self.run(kind, first, second)
        finally:
            if after_each is not None:
                after_each()

    def run(self, kind: str, first: int, second: int) -> None:
        """One command: counted when the ledger recorded it; a refusal must write nothing."""
        before = self.ledger.position
        try:
            getattr(self, kind)(first, second)
        except LedgerError:
            assert self.ledger.position == before, f"a refused {kind} wrote events"
        else:
            if self.ledger.position != before:
                self.recorded[kind] += 1

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
            raise LedgerError("no batch yet")
        category = CATEGORIES[second % len(CATEGORIES)]
        receipt = self.ledger.nominate_listing(
            enterprise_id=self.enterprise(first),
            category=category,
            level="national",
            batch_year=self.batches[-1],
            provenance=self.province(),
            **(PARK_EVIDENCE if category == "green_park" else {}),
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


# -- the aggregates on a date, as known at an instant ----------------------------------------


def known_by(events: Sequence[Any], known_at: datetime | None) -> list[Any]:
    """The events recorded by `known_at`: the log's prefix whose every event was (None: all)."""
    if known_at is None:
        return list(events)
    known = []
    latest = None
    for event in events:
        latest = event.timestamp if latest is None else max(latest, event.timestamp)
        if latest > known_at:
            break
        known.append(event)
    return known


def rebuilt(events: Sequence[Any]) -> Any:
    """The aggregate as the library rebuilds it: each event mutates the one before."""
    aggregate = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def effective_by(events: list[Any], as_of: date) -> list[Any]:
    """An aggregate's events up to its last one effective on or before `as_of` (a prefix: an
    aggregate refuses a fact dated before its last one)."""
    effective = [e for e in events if e.effective_on <= as_of]
    assert effective == events[: len(effective)]
    return effective


def listings_on(known: list[Any], as_of: date) -> dict[UUID, tuple[Listing, str]]:
    """Each listing nominated by `as_of`, as its aggregate stood then, with its enterprise's name
    then; from `known`, the events recorded by some instant."""
    histories: dict[UUID, list[Any]] = {}
    for event in known:
        histories.setdefault(event.originator_id, []).append(event)
    found: dict[UUID, tuple[Listing, str]] = {}
    for listing_id, events in histories.items():
        if not isinstance(events[0], Listing.Nominated):
            continue
        effective = effective_by(events, as_of)
        if not effective:
            continue
        count = len(effective)
        if (
            isinstance(effective[-1], Listing.Removed)
            and count < len(events)
            and isinstance(events[count], Listing.RemovalRescinded)
        ):
            count -= 1  # the rescission voids its removal: as if it had not been
        enterprise_events = histories[events[0].enterprise_id]
        named = effective_by(enterprise_events, as_of) or enterprise_events[:1]
        found[listing_id] = (rebuilt(events[:count]), rebuilt(named).name)
    return found


def as_listed(listing: Listing, name: str) -> tuple[Any, ...]:
    """What the list shows of a listing."""
    return (
        listing.id,
        listing.enterprise_id,
        name,
        listing.region.code,
        listing.category.value,
        listing.level.value,
        listing.batch_year,
        listing.status.value,
        listing.listed_on,
        listing.removed_on,
    )


def flags_of(listing: Listing) -> tuple[Any, ...]:
    return (listing.barred_until, listing.filing_overdue, listing.rectification_pending)


def assert_recorded(told: Story, story: list[tuple[str, int, int, int]]) -> None:
    """The ledger recorded every registration (nothing refuses one) and a nomination at least:
    the laws were tested on a history, not on an empty ledger."""
    assert told.recorded["register"] == sum(1 for kind, *_ in story if kind == "register")
    assert told.recorded["nominate"] >= 1
    assert told.ledger.position is not None
    assert sum(told.recorded.values()) >= 4


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

        assert_recorded(told, story)
        assert dump(views) == kept
        for listing_id in told.listings:
            now = get_listing(views, listing_id, as_of=date.max)
            aggregate = ledger.get_listing(listing_id)
            shown = (now.status, now.batch_year, now.listed_on, now.removed_on)
            held = (aggregate.status.value, aggregate.batch_year, aggregate.listed_on)
            assert shown == (*held, aggregate.removed_on)
            flags = (now.flags.barred_until, now.flags.filing_overdue)
            assert (*flags, now.flags.rectification_pending) == flags_of(aggregate)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(story=steps, choices=st.lists(st.integers(min_value=0), min_size=3, max_size=3))
@example(story=TOLD_IN_FULL, choices=[9, 11, 14])
def test_the_list_on_a_date_as_known_at_an_instant_shows_the_aggregates_as_they_then_stood(
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
        assert_recorded(told, story)
        # Every day something took effect, and the day before it: where the answers change.
        days = sorted({d for e in events for d in (e.effective_on, e.effective_on - ONE_DAY)})
        instants: list[datetime | None] = [None]
        instants += [events[c % len(events)].timestamp for c in choices]

        for as_of, known_at in itertools.product(days, instants):
            page = list_listings(
                views,
                ListQuery.of(as_of=as_of, known_at=known_at, status=EVERY_STATUS, page_size=500),
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
            held = listings_on(known_by(events, known_at), as_of)

            assert shown == {as_listed(*found) for found in held.values()}, (as_of, known_at)
            assert page.total == len(shown)
            for listing_id, (listing, _) in held.items():
                state = get_listing(views, listing_id, as_of=as_of, known_at=known_at)
                flags = (state.flags.barred_until, state.flags.filing_overdue)
                assert (*flags, state.flags.rectification_pending) == flags_of(listing)


def test_the_full_story_records_every_command_it_tells() -> None:
    """The example every law is also tested on records every command it tells."""
    ledger = Ledger.open("memory://")
    told = Story(ledger)
    for step in TOLD_IN_FULL:
        told.tell(step)

    assert told.recorded == Counter(
        register=3,
        open_batch=1,
        nominate=4,
        publish=1,
        remove=1,
        rename=1,
        rescind=1,
        file=1,
        review=1,
        order=1,
        conclude=1,
        grave_incident=1,
    )
    ledger.close()


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    story=steps,
    days=st.lists(st.integers(min_value=0), min_size=4, max_size=4),
    instants=st.lists(st.integers(min_value=0), min_size=2, max_size=2),
)
@example(story=TOLD_IN_FULL, days=[9, 17, 20, 26], instants=[9, 14])
def test_every_read_of_a_listing_on_a_date_as_known_at_an_instant_tells_the_aggregates_story(
    sql_database_url: str,
    story: list[tuple[str, int, int, int]],
    days: list[int],
    instants: list[int],
) -> None:
    """The listing's state, its explanation's status, the list's membership and the statistics'
    counts, for the same (as_of, known_at), are the aggregates' folded to that point; a listing
    the ledger did not yet know is found by none of them."""
    with fresh_ledger(sql_database_url, next(examples)) as (ledger, views):
        told = Story(ledger)
        for step in story:
            told.tell(step)
        Projector(ledger, views).catch_up()
        events: list[Any] = [
            ledger.mapper.to_domain_event(n)
            for n in ledger.recorder.select_notifications(start=None, limit=100_000)
        ]
        assert_recorded(told, story)
        changing = sorted({d for e in events for d in (e.effective_on, e.effective_on - ONE_DAY)})
        moments: list[datetime | None] = [None]
        moments += [events[c % len(events)].timestamp for c in instants]

        for as_of, known_at in itertools.product(
            [changing[c % len(changing)] for c in days], moments
        ):
            held = listings_on(known_by(events, known_at), as_of)
            on_list = {i: found for i, (found, _) in held.items() if found.status.is_on_list}
            page = list_listings(views, ListQuery.of(as_of=as_of, known_at=known_at, page_size=500))
            counted = get_statistics(views, ListQuery.of(as_of=as_of, known_at=known_at))

            assert {item.listing_id for item in page.items} == set(on_list), (as_of, known_at)
            assert Counter(
                {(c.region, c.category, c.level, c.status): c.count for c in counted.counts}
            ) == Counter(
                (found.region.code, found.category.value, found.level.value, found.status.value)
                for found in on_list.values()
            )
            assert counted.total == page.total == len(on_list)
            for listing_id in told.listings:
                if listing_id not in held:
                    with pytest.raises(ListingNotFoundError):
                        get_explanation(views, listing_id, as_of=as_of, known_at=known_at)
                    continue
                status = held[listing_id][0].status.value
                state = get_listing(views, listing_id, as_of=as_of, known_at=known_at)
                why = get_explanation(views, listing_id, as_of=as_of, known_at=known_at)
                history = list_listing_history(views, listing_id, as_of=as_of, known_at=known_at)
                assert (state.status, why.status) == (status, status), (as_of, known_at)
                assert why.deciding is not None
                if why.deciding.kind != "rescission":  # a rescission voids an earlier removal
                    assert why.deciding.effective_on <= as_of
                assert history.entries[0].event == "Listing.Nominated"
                assert all(entry.effective_on <= as_of for entry in history.entries)
