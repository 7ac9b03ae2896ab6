"""Issue 16: the hostile-input corpus (tests/e2e/hostile/corpus.py) over every command and query
of the served OpenAPI document — a route added later is covered without a word here — on SQLite
and PostgreSQL: every case is answered 4xx (never 5xx, never 2xx), and the ledger's position is
the same afterwards (nothing written)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.http.auth import Role
from domain.ledger import Ledger
from tests.e2e.hostile.corpus import Case, corpus
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import JIANGSU, register_enterprise

pytestmark = pytest.mark.e2e


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        served.client.get("/health")
        yield served


def position(api: LiveApi) -> int:
    with Ledger.open(api.database_url) as ledger:
        return ledger.position


def tokens(api: LiveApi) -> list[str]:
    return [
        api.tokens.create(Role.MINISTRY, name="部").token,
        api.tokens.create(Role.PROVINCE, region=JIANGSU, name="省").token,
        api.tokens.create(Role.ASSESSOR, assessor_id=uuid.UUID(int=3), name="机构").token,
        api.tokens.create(Role.AUDITOR, name="审计").token,
    ]


def send(client: httpx.Client, token: str, case: Case) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if case.method == "GET":
        return client.get(case.path, params=list(case.query), headers=headers)
    return client.post(
        case.path,
        params=list(case.query),
        content=case.body if case.body is not None else b"{}",
        headers={**headers, "Content-Type": "application/json"},
    )


def allowed_token(client: httpx.Client, every: list[str], case: Case) -> str:
    """The first token whose role the route does not refuse outright (403), so that the case
    reaches the route's validation."""
    for token in every:
        if send(client, token, case).status_code != 403:
            return token
    return every[0]


def test_the_corpus_is_large_and_covers_every_operation(api: LiveApi) -> None:
    document: dict[str, Any] = api.app.openapi()
    cases = corpus(document)
    operations = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}

    assert len(cases) >= 200
    assert len({c for c in cases if c.body is not None}) >= 200
    assert len({c for c in cases if c.query}) >= 200
    assert len({(c.method, c.path) for c in cases}) == len(operations)


def test_every_hostile_request_is_refused_4xx_and_nothing_is_written(api: LiveApi) -> None:
    register_enterprise(api.province(JIANGSU), "江苏示例对照有限公司")  # a ledger not empty
    before = position(api)
    every = tokens(api)
    chosen: dict[tuple[str, str], str] = {}
    wrong: list[str] = []
    statuses: Counter[int] = Counter()

    for case in corpus(api.app.openapi()):
        key = (case.method, case.path)
        if key not in chosen:
            chosen[key] = allowed_token(api.client, every, case)
        response = send(api.client, chosen[key], case)
        statuses[response.status_code] += 1
        if not 400 <= response.status_code < 500:
            wrong.append(
                f"{case.method} {case.path} {case.why}: {response.status_code} "
                f"{response.text[:200]}"
            )

    assert wrong == [], "\n".join(wrong[:40])
    assert position(api) == before
    assert statuses[422] > statuses[403]  # the cases reach the routes' validation
