"""Where the events are stored, chosen by one setting: `GREENLEDGER_DATABASE_URL`.

- `sqlite:///var/greenledger.db` (the default; relative to the working directory, the directory is
  created on demand) or `sqlite:////absolute/path.db`: the library's `eventsourcing.sqlite`;
- `postgresql://user:password@host:port/dbname` (also `postgresql+psycopg://`): the library's
  `eventsourcing.postgres`, with a lock timeout so that a stuck writer cannot hold the table lock
  forever (ADR 0001);
- `memory://`: the library's in-memory store, for unit tests.

The mapping yields the library's environment; nothing else in the domain knows about storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from domain.errors import InvalidInputError

DEFAULT_DATABASE_URL = "sqlite:///var/greenledger.db"


@dataclass(frozen=True)
class Storage:
    """A parsed database URL."""

    kind: str  # "sqlite", "postgres" or "memory"
    url: str
    sqlite_path: Path | None = None
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = ""

    @property
    def libpq_url(self) -> str:
        """The same PostgreSQL database for psycopg (`postgresql://`)."""
        return self.sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)

    @property
    def sqlalchemy_url(self) -> str:
        """The same database for SQLAlchemy (the read side)."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        if self.kind == "postgres":
            credentials = quote(self.user, safe="") + (
                f":{quote(self.password, safe='')}" if self.password else ""
            )
            return f"postgresql+psycopg://{credentials}@{self.host}:{self.port}/{self.dbname}"
        return "sqlite://"


def parse_database_url(url: str) -> Storage:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "memory":
        return Storage(kind="memory", url=url)
    if scheme == "sqlite":
        raw = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not raw:
            raise InvalidInputError("GREENLEDGER_DATABASE_URL", f"{url!r} names no SQLite file")
        return Storage(kind="sqlite", url=url, sqlite_path=Path(unquote(raw)))
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname or not parts.hostname:
            raise InvalidInputError(
                "GREENLEDGER_DATABASE_URL", f"{url!r} must name a host and a database"
            )
        query = parse_qs(parts.query)
        return Storage(
            kind="postgres",
            url=url,
            host=parts.hostname,
            port=parts.port or 5432,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            dbname=dbname,
            schema=query.get("schema", [""])[0],
        )
    raise InvalidInputError(
        "GREENLEDGER_DATABASE_URL",
        f"{url!r}: use sqlite:///path, postgresql://user@host:port/db or memory://",
    )


def library_environment(
    storage: Storage,
    *,
    lock_timeout_seconds: int = 5,
    pool_size: int = 5,
    connect_timeout_seconds: int = 10,
    create_tables: bool = True,
) -> dict[str, str]:
    """The `eventsourcing` environment for this storage.

    `create_tables=False` for a process that joins a store another process has set up: the
    library's table creation is not safe to run from two processes at the same moment.
    """
    if storage.kind == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if storage.kind == "sqlite":
        path = storage.sqlite_path or Path("var/greenledger.db")
        path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": str(max(lock_timeout_seconds, 1)),
            "CREATE_TABLE": "y" if create_tables else "n",
            # The library's recorder, running a caller's statement in a save (recorders.py).
            "APPLICATION_RECORDER_TOPIC": (
                "domain.persistence.recorders:LedgerSQLiteApplicationRecorder"
            ),
        }
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": storage.dbname,
        "POSTGRES_HOST": storage.host,
        "POSTGRES_PORT": str(storage.port),
        "POSTGRES_USER": storage.user,
        "POSTGRES_PASSWORD": storage.password,
        "POSTGRES_LOCK_TIMEOUT": str(lock_timeout_seconds),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_CONNECT_TIMEOUT": str(connect_timeout_seconds),
        "CREATE_TABLE": "y" if create_tables else "n",
        # The library's recorder, with large saves sent without pipelining (recorders.py).
        "APPLICATION_RECORDER_TOPIC": (
            "domain.persistence.recorders:LedgerPostgresApplicationRecorder"
        ),
    }
    if storage.schema:
        env["POSTGRES_SCHEMA"] = storage.schema
    return env
