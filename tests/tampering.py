"""Tampering done straight in a store, past the ledger: what `greenledger verify` must catch.

SQLite keeps the events in `stored_events` (rowid = notification id), PostgreSQL in
`ledger_events` (column `notification_id`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import psycopg
from eventsourcing.domain import Aggregate

from domain.errors import ConcurrentWriteError
from domain.ledger import Ledger
from domain.persistence.storage import parse_database_url
from domain.values import Provenance


@contextmanager
def _store(database_url: str) -> Iterator[tuple[Any, str, str]]:
    """(connection, events table, notification id column), committed on exit."""
    storage = parse_database_url(database_url)
    if storage.kind == "sqlite":
        connection: Any = sqlite3.connect(str(storage.sqlite_path))
        table, column = "stored_events", "rowid"
    elif storage.kind == "postgres":
        connection = psycopg.connect(database_url)
        table, column = "ledger_events", "notification_id"
    else:
        raise ValueError(f"no raw access to {database_url}")
    try:
        yield connection, table, column
        connection.commit()
    finally:
        connection.close()


def _placeholder(connection: Any) -> str:
    return "?" if isinstance(connection, sqlite3.Connection) else "%s"


def _read(connection: Any, table: str, column: str, position: int) -> tuple[str, bytes]:
    p = _placeholder(connection)
    row = connection.execute(
        f"SELECT topic, state FROM {table} WHERE {column} = {p}", (position,)
    ).fetchone()
    return row[0], bytes(row[1])


def _write(
    connection: Any, table: str, column: str, position: int, topic: str, state: bytes
) -> None:
    p = _placeholder(connection)
    connection.execute(
        f"UPDATE {table} SET topic = {p}, state = {p} WHERE {column} = {p}",
        (topic, state, position),
    )


def alter_one_byte(database_url: str, position: int) -> None:
    """Change one letter of the actor recorded in the event's state ('ministry' → 'linistry')."""
    with _store(database_url) as (connection, table, column):
        topic, state = _read(connection, table, column, position)
        at = state.index(b'"actor":"') + len(b'"actor":"')
        altered = state[:at] + bytes([state[at] ^ 0x01]) + state[at + 1 :]
        _write(connection, table, column, position, topic, altered)


def delete_event(database_url: str, position: int) -> None:
    with _store(database_url) as (connection, table, column):
        p = _placeholder(connection)
        connection.execute(f"DELETE FROM {table} WHERE {column} = {p}", (position,))


def swap_events(database_url: str, first: int, second: int) -> None:
    """Exchange the topic and state of two stored events (reordering them)."""
    with _store(database_url) as (connection, table, column):
        one = _read(connection, table, column, first)
        other = _read(connection, table, column, second)
        _write(connection, table, column, first, *other)
        _write(connection, table, column, second, *one)


def execute(database_url: str, statement: str, parameters: tuple[object, ...] = ()) -> None:
    """Run one statement straight on the store (`?` placeholders are adapted)."""
    with _store(database_url) as (connection, _, _):
        if not isinstance(connection, sqlite3.Connection):
            statement = statement.replace("?", "%s")
        connection.execute(statement, parameters)


class InterruptedLedger(Ledger):
    """The ledger, letting a rival command through between loading and saving, once."""

    rival: Callable[[], object] | None = None

    def _save(self, *aggregates: Aggregate) -> int | None:
        rival, self.rival = self.rival, None
        if rival is not None:
            rival()
        return super()._save(*aggregates)


def leave_a_gap(database_url: str) -> None:
    """Two commands race to rename one enterprise; the loser gets `ConcurrentWriteError`.

    On PostgreSQL the loser's rejected insert has spent a sequence value: the notification ids
    then have a gap.
    """
    with InterruptedLedger.open(database_url) as ledger:
        day = date(2022, 9, 20)
        enterprise_id = ledger.register_enterprise(
            name="江苏竞速材料有限公司",
            region="320000",
            provenance=Provenance(actor="province:320000", effective_on=day),
        ).id
        assert enterprise_id is not None
        ledger.rival = lambda: ledger.rename_enterprise(
            enterprise_id,
            name="江苏竞速新材料有限公司",
            provenance=Provenance(actor="province:320000", effective_on=date(2023, 1, 5)),
        )
        try:
            ledger.rename_enterprise(
                enterprise_id,
                name="江苏竞速特钢有限公司",
                provenance=Provenance(actor="province:320000", effective_on=date(2023, 1, 6)),
            )
        except ConcurrentWriteError:
            return
    raise AssertionError("the rename lost no race: no gap was left")
