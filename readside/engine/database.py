"""Where the read models live: the events' own database, reached through SQLAlchemy.

`Views.open(database_url)` takes the ledger's URL (`GREENLEDGER_DATABASE_URL`); the read side needs
a SQL store, so `memory://` is refused. Two ways in:

- `writer`: the projector's transactions. On SQLite they start with `BEGIN IMMEDIATE`, taking the
  database's write lock at once, so two projectors never interleave (ADR 0020); on PostgreSQL the
  projector locks its tracking row instead.
- `reader`: the queries. A read transaction sees one snapshot (SQLite: a deferred `BEGIN` in WAL
  mode; PostgreSQL: `REPEATABLE READ`), so a page of the list, its total and the position it
  reflects agree with each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from domain.errors import InvalidInputError, LedgerError
from domain.persistence.storage import Storage, parse_database_url
from readside.engine import tables
from readside.engine.quarantine import QuarantinedEvent, read_quarantined

#: The name of the projector's row in `projection_tracking`.
DEFAULT_PROJECTION = "read_models"
_BEGIN_OPTION = "greenledger_sqlite_begin"
_SQLITE_BUSY_TIMEOUT_SECONDS = 30
#: Seconds to wait for a PostgreSQL connection (an unreachable server fails fast, ADR 0106).
_POSTGRES_CONNECT_TIMEOUT_SECONDS = 5


class ViewsOutdatedError(LedgerError):
    """Raised when the read models were built by another version of their tables."""

    def __init__(self, found: int, expected: int) -> None:
        super().__init__(
            f"the read models have table version {found}, this program needs {expected}: "
            "run `greenledger rebuild`"
        )
        self.found = found
        self.expected = expected


class Views:
    """The read models' database: engines for the projector and for queries."""

    def __init__(
        self, storage: Storage, *, busy_timeout_seconds: float = _SQLITE_BUSY_TIMEOUT_SECONDS
    ) -> None:
        if storage.kind not in ("sqlite", "postgres"):
            raise InvalidInputError(
                "GREENLEDGER_DATABASE_URL",
                f"the read models need a SQL store (sqlite or postgresql), not {storage.url!r}",
            )
        self.storage = storage
        if storage.kind == "sqlite":
            engine = sa.create_engine(
                storage.sqlalchemy_url,
                connect_args={"timeout": busy_timeout_seconds},
                pool_size=5,
                max_overflow=10,
            )
            _take_over_sqlite_transactions(engine, busy_timeout_seconds)
            self.writer: Engine = engine.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})
            self.reader: Engine = engine.execution_options(**{_BEGIN_OPTION: "BEGIN"})
        else:
            connect_args: dict[str, Any] = {"connect_timeout": _POSTGRES_CONNECT_TIMEOUT_SECONDS}
            if storage.schema:
                connect_args["options"] = f"-csearch_path={storage.schema}"
            engine = sa.create_engine(
                storage.sqlalchemy_url,
                connect_args=connect_args,
                pool_size=5,
                max_overflow=10,
                pool_pre_ping=True,
            )
            self.writer = engine
            self.reader = engine.execution_options(isolation_level="REPEATABLE READ")
        self._engine = engine
        #: The primary's own reads (the projector's position), whatever `reader` points at.
        self.primary_reader: Engine = self.reader
        self._replica: Engine | None = None

    def read_from_replica(self, replica: Storage) -> None:
        """Send the queries to a PostgreSQL streaming replica of this database (ADR 0132): the
        read models replicate with the events, and `position()` is then the replica's."""
        if self.storage.kind != "postgres" or replica.kind != "postgres":
            raise InvalidInputError(
                "GREENLEDGER_READ_DATABASE_URL",
                "a read replica needs PostgreSQL on both sides, not "
                f"{self.storage.kind} and {replica.kind}",
            )
        connect_args = {"options": f"-csearch_path={replica.schema}"} if replica.schema else {}
        self._replica = sa.create_engine(
            replica.sqlalchemy_url,
            connect_args=connect_args,
            pool_size=5,
            max_overflow=10,
            pool_pre_ping=True,
        )
        self.reader = self._replica.execution_options(isolation_level="REPEATABLE READ")

    @property
    def has_replica(self) -> bool:
        return self._replica is not None

    @classmethod
    def open(
        cls, database_url: str, *, busy_timeout_seconds: float = _SQLITE_BUSY_TIMEOUT_SECONDS
    ) -> Views:
        """The read models of the ledger at `database_url`, their tables created if missing;
        on SQLite a statement waits at most `busy_timeout_seconds` for a lock."""
        views = cls(parse_database_url(database_url), busy_timeout_seconds=busy_timeout_seconds)
        try:
            views.create()
        except BaseException:
            views.close()
            raise
        return views

    @property
    def is_sqlite(self) -> bool:
        return self.storage.kind == "sqlite"

    def create(self, projection: str = DEFAULT_PROJECTION, *, indexes: bool = True) -> None:
        """Create the tables (and, unless told not to, the indexes) that are missing, and the
        projection's tracking row.

        Refuses (`ViewsOutdatedError`) views built by another version of the tables. A rebuild
        creates the indexes after it has filled the tables (`create_indexes`): building an index
        once is cheaper than keeping it up to date row by row.
        """
        with self.writer.begin() as connection:
            self._serialise_schema_changes(connection)
            if self.storage.schema:
                connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{self.storage.schema}"'))
            for table in tables.metadata.sorted_tables:
                connection.execute(sa.schema.CreateTable(table, if_not_exists=True))
            if indexes:
                _create_indexes(connection)
            found = connection.execute(
                sa.select(tables.tracking.c.schema_version).where(
                    tables.tracking.c.name == projection
                )
            ).scalar_one_or_none()
            if found is None:
                connection.execute(
                    tables.tracking.insert().values(
                        name=projection, position=0, schema_version=tables.SCHEMA_VERSION
                    )
                )
            elif found != tables.SCHEMA_VERSION:
                raise ViewsOutdatedError(found, tables.SCHEMA_VERSION)

    def create_indexes(self) -> None:
        with self.writer.begin() as connection:
            self._serialise_schema_changes(connection)
            _create_indexes(connection)

    def settle(self) -> None:
        """After a rebuild, on PostgreSQL: `VACUUM ANALYZE` the read models, so that the planner
        knows their sizes and the list's count is an index-only scan (the visibility map of rows
        just written is empty until a vacuum; autovacuum would come, later). SQLite plans without
        statistics and has no visibility map: nothing to do there."""
        if self.is_sqlite:
            return
        with self._engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in tables.metadata.sorted_tables:
                connection.execute(sa.text(f"VACUUM (ANALYZE) {self._qualified(table.name)}"))

    def _qualified(self, name: str) -> str:
        schema = self.storage.schema
        return f'"{schema}"."{name}"' if schema else f'"{name}"'

    def drop(self) -> None:
        """Drop every read model and the tracking table (the events stay)."""
        with self.writer.begin() as connection:
            self._serialise_schema_changes(connection)
            tables.metadata.drop_all(connection)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read transaction: every query in it sees the same snapshot."""
        with self.reader.connect() as connection, connection.begin():
            yield connection

    def position(self, projection: str = DEFAULT_PROJECTION) -> int:
        """The notification id of the last event the read models reflect (those the queries
        read: on a replica, the replica's)."""
        with self.reading() as connection:
            return read_position(connection, projection)

    def primary_position(self, projection: str = DEFAULT_PROJECTION) -> int:
        """The position the projector wrote on the primary."""
        with self.primary_reader.connect() as connection, connection.begin():
            return read_position(connection, projection)

    def quarantined(self) -> list[QuarantinedEvent]:
        """The events the projector set aside (ADR 0105), in position order."""
        with self.reading() as connection:
            return read_quarantined(connection)

    def close(self) -> None:
        self._engine.dispose()
        if self._replica is not None:
            self._replica.dispose()

    def _serialise_schema_changes(self, connection: Connection) -> None:
        """Two processes starting at once must not both create (or drop) the tables."""
        if not self.is_sqlite:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('greenledger'))"))


def _create_indexes(connection: Connection) -> None:
    for name in tables.RETIRED_INDEXES:
        connection.execute(sa.text(f'DROP INDEX IF EXISTS "{name}"'))
    for table in tables.metadata.sorted_tables:
        for index in sorted(table.indexes, key=lambda index: str(index.name)):
            index.create(connection, checkfirst=True)


def read_position(connection: Connection, projection: str = DEFAULT_PROJECTION) -> int:
    position = connection.execute(
        sa.select(tables.tracking.c.position).where(tables.tracking.c.name == projection)
    ).scalar_one_or_none()
    return int(position or 0)


def _take_over_sqlite_transactions(engine: Engine, busy_timeout_seconds: float) -> None:
    """Let SQLAlchemy, not the sqlite3 module, say how each transaction begins.

    The sqlite3 module (Python 3.11) starts transactions only before writes and always deferred;
    the projector needs `BEGIN IMMEDIATE` and readers need a snapshot across statements.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_seconds * 1000)}")
        # The library keeps the file in WAL mode; in WAL mode NORMAL still commits atomically
        # and survives a crash of the program, and may lose the last commits on a power cut:
        # for read models that the projector replays from the events, that is enough (ADR 0020).
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")
        # Room for the indexes a page of events updates (the default cache is 2 MB).
        dbapi_connection.execute("PRAGMA cache_size = -32000")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        begin = connection.get_execution_options().get(_BEGIN_OPTION, "BEGIN")
        connection.exec_driver_sql(begin)
