"""One event the projector cannot apply never stops the read side (issue 16, finding 1; ADR 0105).

The bad events are written straight through the library's recorder, past every door: a name with
a NUL byte (PostgreSQL's text refuses it), a payload that does not decode, a listing event whose
listing has no row (a read-model handler raises). Each is quarantined — recorded with its error
in the transaction that moves the position past it — and every later event is applied, in order:
the read models equal a clean projection of the good events alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from domain.ledger import Ledger
from domain.persistence.storage import parse_database_url
from readside.engine.comparison import fresh_views
from readside.engine.database import Views
from readside.engine.page import PositionedEvent
from readside.engine.projector import Projector
from tests.builders import by_province, listed_factory, register
from tests.integration.readside.conftest import ReadSide, dump
from tests.integration.readside.scenarios import file_and_review
from tests.poison import (
    record_nul_named_enterprise,
    record_orphan_listing_event,
    record_undecodable,
)


class ProjectorSkipping(Projector):
    """A projector that never reads the events at `skipped`: the good events alone, in order."""

    def __init__(self, *args: Any, skipped: frozenset[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skipped = skipped

    def _read_page(self, position: int, size: int) -> list[PositionedEvent]:
        return [(p, e) for p, e in super()._read_page(position, size) if p not in self.skipped]


@pytest.fixture
def clean_views(sql_database_url: str) -> Iterator[Views]:
    with fresh_views(parse_database_url(sql_database_url)) as views:
        yield views


def poison_between_good_events(ledger: Ledger) -> dict[str, int]:
    """Good events, then three bad ones among more good ones; the bad events' positions."""
    unit = listed_factory(ledger)
    listed_at = ledger.position
    bad = {"nul": record_nul_named_enterprise(ledger)}
    register(ledger, "江苏后来登记有限公司")
    bad["undecodable"] = record_undecodable(ledger)
    file_and_review(ledger, unit, 2023)
    bad["orphan"] = record_orphan_listing_event(ledger, listed_at)
    ledger.rename_enterprise(
        unit.enterprise_id, name="江苏绿源特钢有限公司", provenance=by_province(date(2024, 5, 6))
    )
    listed_factory(ledger, "江苏最后一家有限公司")
    return bad


def expected_quarantine(bad: dict[str, int], database_url: str) -> set[int]:
    """PostgreSQL refuses the NUL byte; SQLite stores it (and the exports must cope)."""
    expected = {bad["undecodable"], bad["orphan"]}
    if database_url.startswith("postgresql"):
        expected.add(bad["nul"])
    return expected


def test_the_projector_quarantines_what_it_cannot_apply_and_applies_every_later_event(
    read_side: ReadSide, clean_views: Views, sql_database_url: str
) -> None:
    ledger = read_side.ledger
    listed_factory(ledger, "江苏先行一家有限公司")
    read_side.catch_up()  # the API's way: caught up after each command
    bad = poison_between_good_events(ledger)

    reached = read_side.catch_up()

    quarantined = read_side.projector.quarantined()
    expected = expected_quarantine(bad, sql_database_url)
    assert reached == ledger.position
    assert {event.position for event in quarantined} == expected
    assert all(event.error for event in quarantined)
    undecodable = next(e for e in quarantined if e.position == bad["undecodable"])
    assert "cannot be decoded" in undecodable.error
    ProjectorSkipping(ledger, clean_views, skipped=frozenset(expected)).catch_up()
    assert dump(read_side.views) == dump(clean_views)


def test_a_rebuild_quarantines_the_same_events_and_yields_the_same_rows(
    read_side: ReadSide, clean_views: Views, sql_database_url: str
) -> None:
    ledger = read_side.ledger
    bad = poison_between_good_events(ledger)

    reached = read_side.projector.rebuild()

    expected = expected_quarantine(bad, sql_database_url)
    assert reached == ledger.position
    assert {event.position for event in read_side.projector.quarantined()} == expected
    ProjectorSkipping(ledger, clean_views, skipped=frozenset(expected)).rebuild()
    assert dump(read_side.views) == dump(clean_views)
    assert read_side.views.position() == clean_views.position() == ledger.position


def test_a_page_of_one_event_at_a_time_quarantines_the_same_events(
    read_side: ReadSide, sql_database_url: str
) -> None:
    ledger = read_side.ledger
    bad = poison_between_good_events(ledger)

    Projector(ledger, read_side.views, page_size=1).catch_up()

    expected = expected_quarantine(bad, sql_database_url)
    assert {event.position for event in read_side.views.quarantined()} == expected
