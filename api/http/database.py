"""The HTTP side's own tables, in the ledger's database: access tokens and idempotency keys.

Neither holds a fact of the green list — they are how the API knows who calls and what it
already answered — so they live beside the events (SQLAlchemy Core, the same database as
`GREENLEDGER_DATABASE_URL`) but outside the event store. Every statement on them is a single
statement in autocommit mode: an insert, an update or a select. A single statement is atomic on
its own, and on SQLite it never holds a read snapshot that would have to be upgraded to a write
lock (which SQLite refuses at once, whatever the busy timeout).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    create_engine,
    event,
)
from sqlalchemy.pool import StaticPool

from domain.persistence.storage import Storage

metadata = MetaData()

#: Seconds to wait for a PostgreSQL connection (an unreachable server fails fast, ADR 0106).
_CONNECT_TIMEOUT_SECONDS = 5

#: Bearer tokens (ADR 0050): only the SHA-256 of a token is kept; revocation is a timestamp.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("region", String(6)),
    Column("assessor_id", Uuid),
    Column("name", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

#: Idempotency keys (ADR 0051): claimed before a command runs, then completed with its answer.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("principal", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("state", String(10), nullable=False),
    Column("status_code", Integer),
    Column("response", Text),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
)
Index("idempotency_keys_claimed_at", idempotency_keys.c.claimed_at)


def api_engine(storage: Storage, *, lock_timeout_seconds: int = 5, pool_size: int = 5) -> Engine:
    """An engine on the ledger's database for the API's tables, in autocommit mode."""
    url = storage.sqlalchemy_url
    if storage.kind == "memory":
        # One in-memory database shared by every thread of the process.
        return create_engine(
            url,
            isolation_level="AUTOCOMMIT",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    if storage.kind == "sqlite":
        engine = create_engine(
            url,
            isolation_level="AUTOCOMMIT",
            pool_size=pool_size,
            max_overflow=2 * pool_size,
            connect_args={"check_same_thread": False, "timeout": max(lock_timeout_seconds, 1)},
        )
        event.listen(engine, "connect", _sqlite_normal_sync)
        return engine
    return create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": _CONNECT_TIMEOUT_SECONDS},
    )


def _sqlite_normal_sync(dbapi_connection: Any, _record: Any) -> None:
    # The library keeps the file in WAL mode, where NORMAL commits atomically and survives a
    # crash of the program; a power cut may lose the last keys' rows (ADR 0051), not the events.
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")


def create_api_tables(engine: Engine) -> None:
    """Create the API's tables if they are missing (idempotent)."""
    metadata.create_all(engine, checkfirst=True)


def utc(moment: datetime | None) -> datetime | None:
    """A stored instant as an aware UTC datetime (SQLite hands them back naive)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)
