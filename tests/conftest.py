"""Fixtures shared by every test: the three stores and a ledger on each.

PostgreSQL: each test session creates its own database (so concurrent runs never meet) from the
server named by `GREENLEDGER_TEST_POSTGRES_URL` (default: the local server, trust auth) and drops
it at the end; each test gets an emptied schema. Under `CI=true` an unreachable server fails the
PostgreSQL tests instead of skipping them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from domain.ledger import Ledger

ADMIN_URL = os.environ.get(
    "GREENLEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
DB_PREFIX = os.environ.get("GREENLEDGER_TEST_DB_PREFIX", "greenledger_test")
BACKENDS = ("memory", "sqlite", "postgres")

# The publisher's background rounds (ADR 0031) would act at moments no test chose: tests drive
# its rounds themselves, and the one test of the loop turns it on.
os.environ.setdefault("GREENLEDGER_PUBLISH_INTERVAL_SECONDS", "0")
SQL_BACKENDS = ("sqlite", "postgres")


def _with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", parts.query, ""))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of its own for this test session, dropped at the end."""
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is unreachable at {ADMIN_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"{DB_PREFIX}_{os.getpid()}_{secrets.token_hex(3)}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield _with_database(ADMIN_URL, name)
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def empty_postgres(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    """The session's database with an empty public schema."""
    empty_postgres(postgres_database)
    return postgres_database


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def _database_url(backend: str, request: pytest.FixtureRequest) -> str:
    if backend == "memory":
        return "memory://"
    if backend == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty store of each kind: in memory, a SQLite file, PostgreSQL."""
    return _database_url(str(request.param), request)


@pytest.fixture(params=SQL_BACKENDS)
def sql_database_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty SQL store: a SQLite file, PostgreSQL."""
    return _database_url(str(request.param), request)


@pytest.fixture
def ledger(database_url: str) -> Iterator[Ledger]:
    """A ledger on an empty store, for each store."""
    the_ledger = Ledger.open(database_url)
    yield the_ledger
    the_ledger.close()


@pytest.fixture
def memory_ledger() -> Iterator[Ledger]:
    the_ledger = Ledger.open("memory://")
    yield the_ledger
    the_ledger.close()


#: The kind of test each folder holds (style.md: tests by kind, in folders).
KINDS = {"unit": pytest.mark.unit, "integration": pytest.mark.integration, "e2e": pytest.mark.e2e}
#: The fixtures that open a store on disk or a server.
SQL_STORES = frozenset({"sqlite_url", "postgres_url", "postgres_database", "sql_database_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by its folder (`tests/unit`, `tests/integration`, `tests/e2e`), and by
    the stores it opens — never by its name.

    A unit test module may run a test on every store (the `database_url` fixture): its runs on
    SQLite and PostgreSQL are integration tests, so `-m unit` (`make test-fast`) stays in memory.
    A test that opens PostgreSQL is also marked `postgres`.
    """
    tests = Path(__file__).resolve().parent
    for item in items:
        folder = item.path.resolve().relative_to(tests).parts[0]
        kind = KINDS.get(folder)
        if kind is None:
            raise pytest.UsageError(
                f"{item.nodeid}: a test lives in tests/unit, integration or e2e"
            )
        store = _store_of(item)
        if kind is KINDS["unit"] and store != "memory":
            kind = KINDS["integration"]
        item.add_marker(kind)
        if store == "postgres":
            item.add_marker(pytest.mark.postgres)


def _store_of(item: pytest.Item) -> str:
    """`memory`, `sqlite` or `postgres`: the store the test opens, by its fixtures."""
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec is not None else {}
    fixtures = set(getattr(item, "fixturenames", ()))
    chosen = {value for value in params.values() if isinstance(value, str)}
    if "postgres" in chosen or fixtures & {"postgres_url", "postgres_database"}:
        return "postgres"
    if "sqlite" in chosen or fixtures & SQL_STORES:
        return "sqlite"
    return "memory"
