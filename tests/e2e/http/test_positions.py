"""Commands answer when their events are stored; reads wait on `min_position` (ADR 0130).

With the background projector off (`GREENLEDGER_BACKGROUND_PROJECTOR=false`, as when only
`greenledger project --follow` projects), a command still answers at once — it does not bring the
read models up itself — and a read at its position waits, then answers 503 with `Retry-After`;
once a projector has caught up, the same read answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from domain.ledger import Ledger
from readside.engine.database import Views
from readside.engine.projector import Projector
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import credit_code, register_assessor


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url, background_projector=False, read_wait_seconds=0.3) as served:
        yield served


def project(database_url: str) -> int:
    """What `greenledger project` does: one catch-up, in a projector of its own."""
    with Ledger.open(database_url) as ledger:
        views = Views.open(database_url)
        try:
            return Projector(ledger, views).catch_up()
        finally:
            views.close()


def read(api: LiveApi, path: str, token: str | None, **params: str | int) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return api.client.get(path, params=params, headers=headers)


def test_a_command_answers_stored_and_a_read_waits_for_its_position(api: LiveApi) -> None:
    ministry = api.ministry()
    written = ministry.post(
        "/v1/assessors",
        {
            "name": "第三方评价机构位置",
            "uscc": credit_code(77, prefix="91110000MA"),
            "senior_staff": 6,
            "intermediate_staff": 8,
            "effective_on": "2022-09-01",
        },
    )
    assert written.status_code == 201, written.text
    position = int(written.headers["X-Ledger-Position"])
    path = f"/v1/assessors/{written.json()['id']}/workload"

    not_yet = read(api, path, ministry.token)
    behind = read(api, path, ministry.token, min_position=position)
    reached = project(api.database_url)
    after = read(api, path, ministry.token, min_position=position)

    assert written.json()["position"] == position
    assert not_yet.status_code == 404  # the command did not bring the read models up
    assert behind.status_code == 503
    assert behind.headers["Retry-After"] == "1"
    assert behind.headers["content-type"] == "application/problem+json"
    assert behind.json()["zh"]["title"] == "读模型尚未更新"
    assert behind.json()["type"] == "urn:greenledger:problem:read-side-behind"
    assert reached >= position
    assert after.status_code == 200


def test_an_idempotent_replay_carries_the_position_header(api: LiveApi) -> None:
    ministry = api.ministry()
    body = {"level": "national", "year": 2022, "effective_on": "2022-09-16"}
    first = ministry.post("/v1/batches", body, idempotency_key="position-1")
    again = ministry.post("/v1/batches", body, idempotency_key="position-1")

    assert first.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["X-Ledger-Position"] == first.headers["X-Ledger-Position"]


@pytest.mark.parametrize("bad", ["-1", "next", "1.5"])
def test_a_min_position_that_is_no_position_is_refused_naming_it(api: LiveApi, bad: str) -> None:
    assessor = register_assessor(api.ministry())
    refused = read(
        api, f"/v1/assessors/{assessor}/workload", api.ministry().token, min_position=bad
    )

    assert refused.status_code == 422
    assert "min_position" in refused.text
