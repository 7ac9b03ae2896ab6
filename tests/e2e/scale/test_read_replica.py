"""Reads on a real PostgreSQL streaming replica (ADR 0132): `GREENLEDGER_READ_DATABASE_URL`.

A replica of the test server is made on this machine (`tests/e2e/scale/replica.py`). The API
writes to the primary and reads the replica; `min_position` waits on the replica's position: with
the replica's replay paused, a read of a write the primary's projector has already applied waits
and answers 503 with `Retry-After`; once replay resumes, the same read answers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest

from readside.engine.database import DEFAULT_PROJECTION
from tests.conftest import ADMIN_URL
from tests.e2e.http.live import live_api
from tests.e2e.http.world import JIANGSU, created_id, expect, register_assessor
from tests.e2e.scale.replica import ReplicaUnavailableError, streaming_replica


@pytest.fixture(scope="module")
def replica_port(postgres_database: str) -> Iterator[int]:
    try:
        with streaming_replica(ADMIN_URL) as port:
            yield port
    except ReplicaUnavailableError as error:
        pytest.skip(f"no streaming replica can be made here: {error}")


def on_port(url: str, port: int) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    return f"postgresql://{info.get('user', 'postgres')}@127.0.0.1:{port}/{info['dbname']}"


def projected_on(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT position FROM projection_tracking WHERE name = %s", (DEFAULT_PROJECTION,)
        ).fetchone()
    return int(row[0]) if row else 0


def replay(replica_url: str, action: str) -> None:
    with psycopg.connect(replica_url, autocommit=True) as connection:
        connection.execute(f"SELECT pg_wal_replay_{action}()")


def test_reads_go_to_the_replica_and_wait_on_its_position(
    postgres_url: str, replica_port: int
) -> None:
    replica_url = on_port(postgres_url, replica_port)
    with live_api(postgres_url, read_database_url=replica_url, read_wait_seconds=1) as api:
        ministry, jiangsu = api.ministry(), api.province(JIANGSU)
        assessor = register_assessor(ministry)
        seen = expect(ministry.get(f"/v1/assessors/{assessor}/workload"), 200)  # min_position
        replay(replica_url, "pause")
        try:
            body = {"name": "江苏副本测试有限公司", "region": JIANGSU, "effective_on": "2022-09-20"}
            written = jiangsu.post("/v1/enterprises", body)
            enterprise = created_id(written)
            position = int(written.headers["X-Ledger-Position"])
            deadline = time.monotonic() + 30
            while projected_on(postgres_url) < position and time.monotonic() < deadline:
                time.sleep(0.05)
            behind = jiangsu.get(f"/v1/enterprises/{enterprise}/history")
            replica_then = projected_on(replica_url)
        finally:
            replay(replica_url, "resume")
        caught_up = jiangsu.get(f"/v1/enterprises/{enterprise}/history")

    assert seen["assessor_id"] == str(assessor)
    assert projected_on(postgres_url) >= position  # the primary's read models had it …
    assert replica_then < position  # … the replica's had not
    assert behind.status_code == 503
    assert behind.headers["Retry-After"] == "1"
    assert behind.json()["zh"]["title"] == "读模型尚未更新"
    assert caught_up.status_code == 200
