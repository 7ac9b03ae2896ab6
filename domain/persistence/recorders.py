"""The event store on PostgreSQL: the library's recorder, with large saves sent without pipelining.

The library sends a save's statements (the table lock, the notification, one `INSERT … unnest()`
of all the events) in psycopg's pipeline mode. With a save of a few thousand events — a yearly
batch published in one atomic act — the pipeline never completes: the client waits in `sync()`
while the server waits for the rest of the query (measured: 3,000 listings published, psycopg
3.3.9 with its C implementation, PostgreSQL 15; 2,000 still pass). Saves above `PIPELINE_LIMIT`
events therefore run the same statements in the same order, in one transaction, one round trip
each. Small saves keep the library's own path unchanged.

Both recorders (PostgreSQL and SQLite) run, in the transaction that records a save's events, the
statement a caller put in `IN_THE_SAVE` for the current context, if any: the API marks its
Idempotency-Key claim "written" there, so that after a crash between the save and the answer it
knows whether the command wrote (ADR 0107).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import retry

#: What runs in a save's transaction: given the DB-API cursor and the events being recorded.
InTheSave = Callable[[Any, Sequence[StoredEvent]], None]
IN_THE_SAVE: ContextVar[InTheSave | None] = ContextVar("greenledger_in_the_save", default=None)


@contextmanager
def in_the_save(statement: InTheSave) -> Iterator[None]:
    """Run `statement` in the transaction of every save made in this context."""
    token = IN_THE_SAVE.set(statement)
    try:
        yield
    finally:
        IN_THE_SAVE.reset(token)


def _run_in_the_save(cursor: Any, stored_events: Sequence[StoredEvent]) -> None:
    statement = IN_THE_SAVE.get()
    if statement is not None and stored_events:
        statement(cursor, stored_events)


class LedgerSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def _insert_events(
        self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        _run_in_the_save(c, stored_events)
        return ids


class LedgerPostgresApplicationRecorder(PostgresApplicationRecorder):
    #: Events per save up to which the library's pipelined insert is used.
    PIPELINE_LIMIT = 500

    def _insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        # Called first in the save's transaction (pipelined with the rest).
        super()._insert_events(curs, stored_events, **kwargs)
        _run_in_the_save(curs, stored_events)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if len(stored_events) <= self.PIPELINE_LIMIT or self.datastore.enable_db_functions:
            ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
        else:
            ids = self._insert_without_pipeline(stored_events, **kwargs)
        return ids

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert_without_pipeline(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with (
            self.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor() as cursor,
        ):
            self._insert_events(cursor, stored_events, **kwargs)
            self._insert_stored_events(cursor, stored_events, **kwargs)
            ids: Sequence[int] | None = self._fetch_ids_after_insert_events(
                cursor, stored_events, **kwargs
            )
            return ids
