"""The store watch (ADR 0106): what a probe of a real SQLite file finds, and when the store counts
as down — after two failed probes in a row, up again at the first that answers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from api.http.outage import FAILURES_BEFORE_DOWN, StoreWatch
from domain.persistence.storage import parse_database_url


def watch_of(path: Path) -> StoreWatch:
    return StoreWatch(parse_database_url(f"sqlite:///{path}"))


def is_down(watch: StoreWatch) -> bool:
    return watch.down


def test_a_file_that_answers_probes_as_up(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    sqlite3.connect(path).close()

    assert watch_of(path).probe()


def test_a_file_that_is_gone_probes_as_down_naming_it(tmp_path: Path) -> None:
    watch = watch_of(tmp_path / "gone.db")

    assert not watch.probe()
    assert "gone.db" in watch.reason


def test_a_file_locked_by_another_writer_is_not_an_outage(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # rollback journal: even a read of the schema waits
    try:
        blocked = sqlite3.connect(path, timeout=0.05)
        try:
            blocked.execute("SELECT count(*) FROM sqlite_master").fetchone()
            read_was_blocked = False
        except sqlite3.OperationalError:
            read_was_blocked = True
        finally:
            blocked.close()
        answered = watch_of(path).probe()
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert read_was_blocked  # the lock is real: a plain read fails on it
    assert answered


def test_one_failed_probe_is_not_an_outage_two_in_a_row_are(tmp_path: Path) -> None:
    watch = watch_of(tmp_path / "ledger.db")

    watch.record(answered=False)
    assert not is_down(watch)
    watch.record(answered=True)
    watch.record(answered=False)
    assert not is_down(watch)
    for _ in range(FAILURES_BEFORE_DOWN - 1):
        watch.record(answered=False)
    assert is_down(watch)

    watch.record(answered=True)
    assert not is_down(watch)


def test_a_store_marked_down_by_a_request_stays_down_until_a_probe_answers(
    tmp_path: Path,
) -> None:
    watch = watch_of(tmp_path / "ledger.db")
    watch.mark_down(sqlite3.OperationalError("unable to open database file"))

    watch.record(answered=False)
    assert is_down(watch)
    watch.record(answered=True)
    assert not is_down(watch)
