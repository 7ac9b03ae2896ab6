"""`GET /health`: whether the event store answers, which kind it is, and the ledger's position."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from api.http.app import create_app
from api.settings import Settings
from domain.ledger import Ledger
from tests.builders import listed_factory


def client_on(database_url: str, *, background_projector: bool = True) -> TestClient:
    settings = Settings(database_url=database_url, background_projector=background_projector)
    return TestClient(create_app(settings))


def ledger_of(client: TestClient) -> Ledger:
    ledger: Ledger = client.app.state.ledger  # type: ignore[attr-defined]
    return ledger


KIND_OF_SCHEME = {"memory": "memory", "sqlite": "sqlite", "postgresql": "postgres"}


def test_a_new_ledger_reports_ok_its_kind_of_database_and_position_zero(database_url: str) -> None:
    with client_on(database_url) as client:
        response = client.get("/health")

    assert response.status_code == 200
    with_read_models = not database_url.startswith("memory:")
    assert response.json() == {
        "status": "ok",
        "database": KIND_OF_SCHEME[urlsplit(database_url).scheme],
        "position": 0,
        "projections_position": 0 if with_read_models else None,
        "projections_lag": 0 if with_read_models else None,
        "quarantined": 0 if with_read_models else None,
        "quarantined_positions": [] if with_read_models else None,
    }


def test_health_reports_the_position_of_the_last_event_written(database_url: str) -> None:
    with client_on(database_url) as client:
        listed_factory(ledger_of(client))
        last = ledger_of(client).position

        response = client.get("/health")

    assert last > 0
    assert response.json()["position"] == last


def test_health_shows_how_far_the_read_models_lag_behind_events_written_elsewhere(
    sql_database_url: str,
) -> None:
    # No projector in this process (GREENLEDGER_BACKGROUND_PROJECTOR=false): the lag stays.
    with client_on(sql_database_url, background_projector=False) as client:
        with Ledger.open(sql_database_url) as elsewhere:  # another process, e.g. the CLI
            listed_factory(elsewhere)
            last = elsewhere.position

        response = client.get("/health")

    assert response.json()["position"] == last
    assert response.json()["projections_position"] == 0
    assert response.json()["projections_lag"] == last


def test_a_restarted_server_catches_its_read_models_up_on_start(sql_database_url: str) -> None:
    with Ledger.open(sql_database_url) as elsewhere:
        listed_factory(elsewhere)
        last = elsewhere.position

    with client_on(sql_database_url) as client:
        response = client.get("/health")

    assert response.json()["projections_position"] == last
    assert response.json()["projections_lag"] == 0


def test_a_sqlite_ledger_is_created_on_start_and_kept_after_stop(sqlite_url: str) -> None:
    with client_on(sqlite_url) as client:
        listed_factory(ledger_of(client))
        written = ledger_of(client).position

    with client_on(sqlite_url) as client:
        response = client.get("/health")

    assert response.json()["position"] == written


@pytest.fixture
def doomed_postgres_url(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database of its own that the test may drop while the app runs on it.

    The library retries a failed read ten times, each waiting up to the connection pool's timeout
    (10 s from domain/persistence/storage.py); its `LEDGER_`-prefixed variables override, so 1 s
    here.
    """
    monkeypatch.setenv("LEDGER_POSTGRES_CONNECT_TIMEOUT", "1")
    parts = urlsplit(postgres_url)
    name = f"{parts.path.lstrip('/')}_doomed"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(drop)


def test_health_answers_503_unavailable_when_the_postgres_database_is_gone(
    doomed_postgres_url: str, postgres_url: str
) -> None:
    with client_on(doomed_postgres_url) as client:
        assert client.get("/health").status_code == 200
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
                    sql.Identifier(urlsplit(doomed_postgres_url).path.lstrip("/"))
                )
            )

        response = client.get("/health")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "postgres",
        "position": None,
        "projections_position": None,
        "projections_lag": None,
        "quarantined": None,
        "quarantined_positions": None,
    }


def test_the_background_projector_catches_up_events_written_elsewhere(
    sql_database_url: str,
) -> None:
    with client_on(sql_database_url) as client:  # the projector in the background (ADR 0130)
        with Ledger.open(sql_database_url) as elsewhere:
            listed_factory(elsewhere)
            last = elsewhere.position
        deadline = time.monotonic() + 30
        health = client.get("/health").json()
        while health["projections_lag"] != 0 and time.monotonic() < deadline:
            time.sleep(0.05)
            health = client.get("/health").json()

    assert health["projections_position"] == last
    assert health["projections_lag"] == 0
