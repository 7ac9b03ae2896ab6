"""The event store on PostgreSQL: the library's recorder, with large saves sent without pipelining.

The library sends a save's statements (the table lock, the notification, one `INSERT … unnest()`
of all the events) in psycopg's pipeline mode. With a save of a few thousand events — a yearly
batch published in one atomic act — the pipeline never completes: the client waits in `sync()`
while the server waits for the rest of the query (measured: 3,000 listings published, psycopg
3.3.9 with its C implementation, PostgreSQL 15; 2,000 still pass). Saves above `PIPELINE_LIMIT`
events therefore run the same statements in the same order, in one transaction, one round trip
each. Small saves keep the library's own path unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry


class LedgerPostgresApplicationRecorder(PostgresApplicationRecorder):
    #: Events per save up to which the library's pipelined insert is used.
    PIPELINE_LIMIT = 500

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
