"""kill -9 during a burst of keyed commands (issue 16, finding 3; ADR 0107).

A real server process (`greenledger serve`) takes a burst of keyed commands from several clients
— each records a new credit incident, a fact written anew every time — and is killed with
SIGKILL while a claim is open. After a restart every key resolves: each retry of the same
request answers (never 409 for ever), a second retry answers the same, and each key's incident
is recorded exactly once.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.http.auth import Role, TokenStore
from api.http.database import api_engine, create_api_tables, idempotency_keys
from domain.ledger import Ledger
from domain.persistence.storage import parse_database_url
from tests.builders import by_province
from tests.e2e.test_deployment import free_port

SERVE = (sys.executable, "-c", "from api.cli.main import main; main()", "serve")
READY_WITHIN_SECONDS = 90
CLIENTS = 6
#: Attempts at killing the server while a claim is open.
KILLS = 5


def incident(number: int) -> dict[str, Any]:
    return {
        "kind": "quality",
        "grade": "minor",
        "occurred_on": "2023-04-02",
        "source": "credit_china",
        "reference": {"title": f"信用中国行政处罚公示第{number}号"},
        "effective_on": "2023-05-04",
    }


@contextmanager
def server(database_url: str, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
        "GREENLEDGER_DATABASE_URL": database_url,
        "GREENLEDGER_IDEMPOTENCY_STALE_SECONDS": "1",
        "GREENLEDGER_PUBLISH_INTERVAL_SECONDS": "0",
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*SERVE, "--port", str(port)],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_WITHIN_SECONDS
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=5, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the server did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def open_claims(database_url: str) -> int:
    engine = api_engine(parse_database_url(database_url), pool_size=1)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count()).where(idempotency_keys.c.state.in_(("pending", "written")))
                ).scalar_one()
            )
    finally:
        engine.dispose()


class Burst:
    """Clients sending keyed commands, each a new key, until stopped."""

    def __init__(self, base: str, token: str, enterprise_id: str, numbers: Any) -> None:
        self.base, self.token, self.path = base, token, f"/v1/enterprises/{enterprise_id}/incidents"
        self.numbers = numbers
        self.sent: list[int] = []
        self.answered = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30, trust_env=False) as client:
            while not self.stop.is_set():
                with self.lock:
                    number = next(self.numbers)
                    self.sent.append(number)
                try:
                    response = client.post(
                        self.path, json=incident(number), headers=self.headers(number)
                    )
                except httpx.TransportError:
                    return
                with self.lock:
                    self.answered += response.status_code == 201

    def headers(self, number: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Idempotency-Key": f"crash-{number}"}


def kill_during_a_burst(database_url: str, log: Path, burst_of: Any) -> list[int]:
    """Serve, send a burst, SIGKILL the server while a claim is open; the numbers sent."""
    sent: list[int] = []
    for _ in range(KILLS):
        with server(database_url, log) as (process, base):
            burst = burst_of(base)
            clients = [threading.Thread(target=burst.run) for _ in range(CLIENTS)]
            for client in clients:
                client.start()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if burst.answered >= 5 and open_claims(database_url) > 0:
                    process.send_signal(signal.SIGKILL)
                    break
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            burst.stop.set()
            for client in clients:
                client.join(timeout=60)
            sent += burst.sent
        if open_claims(database_url) > 0:
            return sent
    pytest.fail(f"no claim was open when the server was killed, {KILLS} times")


def test_after_a_kill_9_every_key_resolves_and_no_command_is_written_twice(
    sql_database_url: str, tmp_path: Path
) -> None:
    with Ledger.open(sql_database_url) as ledger:
        enterprise_id = ledger.register_enterprise(
            name="江苏崩溃重启测试有限公司",
            region="320000",
            provenance=by_province(date(2022, 9, 20)),
        ).id
    engine = api_engine(parse_database_url(sql_database_url), pool_size=1)
    create_api_tables(engine)
    token = TokenStore(engine).create(Role.PROVINCE, region="320000", name="test").token
    engine.dispose()
    numbers = itertools.count()
    log = tmp_path / "server.log"

    sent = kill_during_a_burst(
        sql_database_url, log, lambda base: Burst(base, token, str(enterprise_id), numbers)
    )

    with server(sql_database_url, log) as (_, base):
        burst = Burst(base, token, str(enterprise_id), numbers)
        with httpx.Client(base_url=base, timeout=30, trust_env=False) as client:
            for number in sent:
                first = retried(client, burst, number)
                again = client.post(
                    burst.path, json=incident(number), headers=burst.headers(number)
                )
                assert first.status_code in (200, 201), first.text
                assert (again.status_code, again.json()) == (first.status_code, first.json())
                assert again.headers["Idempotent-Replayed"] == "true"
    with Ledger.open(sql_database_url) as ledger:
        notifications = ledger.recorder.select_notifications(start=1, limit=1_000_000)
        incidents = [n for n in notifications if n.topic.endswith("CreditIncidentRecorded")]
    assert len(incidents) == len(set(sent))
    assert open_claims(sql_database_url) == 0


def retried(client: httpx.Client, burst: Burst, number: int) -> httpx.Response:
    """The request again, waiting as `Retry-After` says while it is in progress (bounded)."""
    for _ in range(20):
        response = client.post(burst.path, json=incident(number), headers=burst.headers(number))
        if response.status_code != 409:
            return response
        assert response.json()["conflict"]["retry"] is True
        time.sleep(float(response.headers.get("Retry-After", "1")))
    pytest.fail(f"the key crash-{number} still answers 409 after 20 retries")
