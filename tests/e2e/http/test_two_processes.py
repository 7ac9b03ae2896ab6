"""Two API processes on one PostgreSQL database, clients racing on one batch (issue 16, ADR 0111).

Each process runs one command at a time (ADR 0053), but the two processes race: two nominations
into one batch (and citing one assessor) load the same versions and the store refuses the
second save. That client did nothing wrong, so the loser is decided again on the newer state
before anything is answered: no 409 where no rule or state conflicts, no 5xx, and every
acknowledged nomination is in the batch afterwards.

Real processes: `greenledger serve` twice (uvicorn), each with its own ledger, cache and gate.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from api.http.auth import Role, TokenStore
from api.http.database import api_engine, create_api_tables
from domain.ledger import Ledger
from domain.persistence.storage import parse_database_url
from domain.values import Level
from tests.e2e.http.live import Caller
from tests.e2e.http.world import JIANGSU, open_batch, register_assessor, register_enterprise

pytestmark = pytest.mark.e2e

CLIENTS = 12
NOMINATIONS_PER_CLIENT = 8
READY_WITHIN_SECONDS = 120


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(database_url: str, log: Path) -> Iterator[str]:
    """`greenledger serve` in a process of its own; its base URL once it answers."""
    executable = shutil.which("greenledger", path=str(Path(sys.executable).parent))
    assert executable is not None
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GREENLEDGER_")}
    environment.update(
        GREENLEDGER_DATABASE_URL=database_url,
        GREENLEDGER_PUBLISH_INTERVAL_SECONDS="0",
        GREENLEDGER_LOG_LEVEL="info",
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            [executable, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(process, base, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def wait_until_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    with httpx.Client(trust_env=False, timeout=10) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(f"{base}/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                pytest.fail(f"the server exited: {log.read_text(errors='replace')}")
            time.sleep(0.2)
    pytest.fail(f"{base} did not answer within {READY_WITHIN_SECONDS} s")


def nomination(enterprise_id: UUID, assessor_id: UUID) -> dict[str, object]:
    return {
        "enterprise_id": str(enterprise_id),
        "category": "green_factory",
        "level": "national",
        "batch_year": 2022,
        "self_evaluation": {"title": "绿色工厂自评价报告"},
        "third_party_evaluation": {
            "assessor_id": str(assessor_id),
            "report": {"doc_no": f"评价报告-{enterprise_id.hex[:8]}"},
            "conclusion": "pass",
        },
        "effective_on": "2022-10-20",
    }


def test_clients_racing_on_one_batch_through_two_processes_are_all_answered_and_recorded(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = api_engine(parse_database_url(postgres_url), pool_size=1)
    create_api_tables(engine)
    tokens = TokenStore(engine)
    ministry_token = tokens.create(Role.MINISTRY, name="ministry").token
    province_token = tokens.create(Role.PROVINCE, region=JIANGSU, name="jiangsu").token
    engine.dispose()
    with ExitStack() as stack:
        bases = [
            stack.enter_context(serving(postgres_url, tmp_path / f"api-{n}.log")) for n in (1, 2)
        ]
        setup = stack.enter_context(httpx.Client(base_url=bases[0], timeout=60))
        ministry, jiangsu = Caller(setup, ministry_token), Caller(setup, province_token)
        assessor_id = register_assessor(ministry, 77)
        open_batch(ministry, 2022, "2022-09-16")
        enterprises = [
            [
                register_enterprise(jiangsu, f"江苏并发{c}号{n}号有限公司")
                for n in range(NOMINATIONS_PER_CLIENT)
            ]
            for c in range(CLIENTS)
        ]
        start = threading.Barrier(CLIENTS)
        answers: list[tuple[int, str, UUID | None]] = []

        def client(number: int) -> None:
            with ExitStack() as own:
                callers = [
                    Caller(own.enter_context(httpx.Client(base_url=b, timeout=120)), province_token)
                    for b in bases
                ]
                start.wait()
                for n, enterprise_id in enumerate(enterprises[number]):
                    caller = callers[(number + n) % 2]  # every client uses both processes
                    answer = caller.post("/v1/listings", nomination(enterprise_id, assessor_id))
                    listing = UUID(answer.json()["id"]) if answer.status_code == 201 else None
                    answers.append((answer.status_code, answer.text[:300], listing))

        threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)

    statuses = Counter(status for status, _, _ in answers)
    assert len(answers) == CLIENTS * NOMINATIONS_PER_CLIENT
    assert statuses == {201: CLIENTS * NOMINATIONS_PER_CLIENT}, [
        text for status, text, _ in answers if status != 201
    ]
    acknowledged = {listing for _, _, listing in answers if listing is not None}
    with Ledger.open(postgres_url) as ledger:
        batch = ledger.get_batch(Level.NATIONAL, 2022)
        assert acknowledged <= set(batch.nominations)
        assert len(batch.nominations) == CLIENTS * NOMINATIONS_PER_CLIENT
        assert len(ledger.get_assessor(assessor_id).cited) == CLIENTS * NOMINATIONS_PER_CLIENT
    lost = [
        line for n in (1, 2) for line in access_lines(tmp_path / f"api-{n}.log") if "reruns" in line
    ]
    print(
        f"\n{len(answers)} nominations through two processes: {len(lost)} lost a race and were "
        f"decided again ({sum(line['reruns'] for line in lost)} lost attempts in all)"
    )


def access_lines(log: Path) -> list[dict[str, Any]]:
    """The access log's JSON lines of a server's output."""
    lines = []
    for text in log.read_text(errors="replace").splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines
