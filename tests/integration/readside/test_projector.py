"""The projector applies every event exactly once: a failure mid-page leaves nothing behind, two
projectors at once never apply a page twice, and a rebuild yields the very same rows."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.ledger import Ledger
from readside.engine import tables
from readside.engine.database import Views, ViewsOutdatedError
from readside.engine.page import PositionedEvent
from readside.engine.projector import Projector
from tests.builders import stored_event_count
from tests.integration.readside.conftest import ReadSide, dump
from tests.integration.readside.scenarios import every_kind_of_fact

BARRIER_SECONDS = 60


class ProjectorStoppingBeforeItsPosition(Projector):
    """Writes the rows of its `failing_page`-th page, then fails before moving its position."""

    def __init__(self, *args: Any, failing_page: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failing_page = failing_page
        self.pages = 0

    def _advance(
        self, connection: Connection, old: int, new: int, recorded_until: datetime | None
    ) -> None:
        self.pages += 1
        if self.pages == self.failing_page:
            # The database went away (an event's own failure would be quarantined instead).
            raise ConnectionError("the projector stopped between its rows and its position")
        super()._advance(connection, old, new, recorded_until)


class ProjectorStoppingAt(Projector):
    """Reads nothing after `last` (to compare with a projector that stopped there)."""

    def __init__(self, *args: Any, last: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last = last

    def _read_page(self, position: int, size: int) -> list[PositionedEvent]:
        return [(p, e) for p, e in super()._read_page(position, size) if p <= self.last]


class RacingProjector(Projector):
    """Waits, after reading its first page, until the other projector has read it too."""

    def __init__(self, *args: Any, barrier: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.barrier = barrier
        self.waited = False

    def _read_page(self, position: int, size: int) -> list[PositionedEvent]:
        events = super()._read_page(position, size)
        if not self.waited:
            self.waited = True
            self.barrier.wait(BARRIER_SECONDS)
        return events


class SharedRacingProjector(Projector):
    """One projector for two threads (as the API's request threads share one): each thread waits,
    after reading its first page, until the other has read it too."""

    def __init__(self, *args: Any, barrier: threading.Barrier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.barrier = barrier
        self.threads = threading.local()

    def _read_page(self, position: int, size: int) -> list[PositionedEvent]:
        events = super()._read_page(position, size)
        if not getattr(self.threads, "waited", False):
            self.threads.waited = True
            self.barrier.wait(BARRIER_SECONDS)
        return events


def race_in_a_process(url: str, barrier: Any, results: Any) -> None:
    # The parent made the tables: two processes creating them at once can make PostgreSQL
    # refuse one ("tuple concurrently updated"), which is not what this test is about.
    ledger, views = Ledger.open(url, create_tables=False), Views.open(url)
    try:
        projector = RacingProjector(ledger, views, page_size=5, barrier=barrier)
        results.put((projector.catch_up(), projector.pages_yielded))
    finally:
        views.close()
        ledger.close()


def event_positions(views: Views) -> list[int]:
    with views.reading() as connection:
        timeline = tables.timeline
        return list(
            connection.execute(sa.select(timeline.c.position).order_by("position")).scalars()
        )


def test_a_projector_failing_between_its_rows_and_its_position_leaves_no_rows_and_resumes(
    read_side: ReadSide,
) -> None:
    every_kind_of_fact(read_side.ledger)
    failing = ProjectorStoppingBeforeItsPosition(
        read_side.ledger, read_side.views, page_size=7, failing_page=2
    )

    with pytest.raises(ConnectionError, match="between its rows and its position"):
        failing.catch_up()

    reached = read_side.views.position()
    positions = event_positions(read_side.views)
    assert len(positions) == 7
    assert positions[-1] == reached
    after_the_failure = dump(read_side.views)
    ProjectorStoppingAt(read_side.ledger, read_side.views, last=reached).rebuild()
    assert dump(read_side.views) == after_the_failure

    resumed = Projector(read_side.ledger, read_side.views, page_size=7).catch_up()
    resumed_rows = dump(read_side.views)
    Projector(read_side.ledger, read_side.views).rebuild()

    assert resumed == read_side.ledger.position
    assert len(event_positions(read_side.views)) == stored_event_count(read_side.ledger)
    assert resumed_rows == dump(read_side.views)


def test_two_projectors_in_threads_apply_each_event_once(read_side: ReadSide) -> None:
    every_kind_of_fact(read_side.ledger)
    barrier = threading.Barrier(2)
    racers = [
        RacingProjector(read_side.ledger, read_side.views, page_size=5, barrier=barrier)
        for _ in range(2)
    ]
    reached: list[int] = []
    failures: list[BaseException] = []

    def run(projector: Projector) -> None:
        try:
            reached.append(projector.catch_up())
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    raced = dump(read_side.views)
    Projector(read_side.ledger, read_side.views).rebuild()

    assert failures == []
    assert reached == [read_side.ledger.position] * 2
    assert sum(racer.pages_yielded for racer in racers) >= 1
    assert len(event_positions(read_side.views)) == stored_event_count(read_side.ledger)
    assert raced == dump(read_side.views)


def test_one_projector_shared_by_two_threads_applies_each_event_once(
    read_side: ReadSide,
) -> None:
    every_kind_of_fact(read_side.ledger)
    shared = SharedRacingProjector(
        read_side.ledger, read_side.views, page_size=5, barrier=threading.Barrier(2)
    )
    reached: list[int] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            reached.append(shared.catch_up())
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
            shared.barrier.abort()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    raced = dump(read_side.views)
    Projector(read_side.ledger, read_side.views).rebuild()

    assert failures == []
    assert reached == [read_side.ledger.position] * 2
    assert shared.pages_yielded >= 1
    assert raced == dump(read_side.views)


def test_two_projectors_in_processes_apply_each_event_once(
    read_side: ReadSide, sql_database_url: str
) -> None:
    every_kind_of_fact(read_side.ledger)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    processes = [
        context.Process(target=race_in_a_process, args=(sql_database_url, barrier, results))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=300) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.terminate()
    raced = dump(read_side.views)
    Projector(read_side.ledger, read_side.views).rebuild()

    assert [position for position, _ in outcomes] == [read_side.ledger.position] * 2
    assert sum(yielded for _, yielded in outcomes) >= 1
    assert [process.exitcode for process in processes] == [0, 0]
    assert raced == dump(read_side.views)


def test_a_rebuild_yields_the_rows_a_catch_up_after_every_command_made(
    read_side: ReadSide,
) -> None:
    class CatchingUpAfterEachCommand(Ledger):
        def _save(self, *aggregates: Any) -> int | None:
            position = super()._save(*aggregates)
            read_side.projector.catch_up()
            return position

    ledger = CatchingUpAfterEachCommand(read_side.ledger.env)
    every_kind_of_fact(ledger)
    incremental = dump(read_side.views)

    reached = read_side.projector.rebuild()

    assert reached == ledger.position
    assert sum(len(rows) for rows in incremental.values()) > 100
    assert dump(read_side.views) == incremental
    ledger.close()


def test_catching_up_again_writes_nothing_and_returns_the_position(read_side: ReadSide) -> None:
    every_kind_of_fact(read_side.ledger)
    first = read_side.catch_up()
    rows = dump(read_side.views)

    again = read_side.catch_up()

    assert again == first == read_side.ledger.position
    assert dump(read_side.views) == rows


def test_read_models_of_another_table_version_ask_for_a_rebuild(
    read_side: ReadSide, sql_database_url: str
) -> None:
    with read_side.views.writer.begin() as connection:
        connection.execute(tables.tracking.update().values(schema_version=0))

    with pytest.raises(ViewsOutdatedError, match="greenledger rebuild"):
        Views.open(sql_database_url)
    read_side.projector.rebuild()
    Views.open(sql_database_url).close()


def test_a_rebuild_on_postgresql_leaves_every_read_model_vacuumed_and_analysed(
    postgres_url: str,
) -> None:
    """So that the planner knows the tables' sizes and the list's count reads its index alone."""
    ledger, views = Ledger.open(postgres_url), Views.open(postgres_url)
    every_kind_of_fact(ledger)

    Projector(ledger, views).rebuild()

    with views.reading() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
                " FROM pg_stat_user_tables"
            )
        ).all()
    settled: dict[str, bool] = {str(name): bool(done) for name, done in rows}
    assert {table.name for table in tables.metadata.sorted_tables} <= set(settled)
    assert all(settled[table.name] for table in tables.metadata.sorted_tables)
    views.close()
    ledger.close()
