"""The database taken away and given back (issue 16, finding 4; ADR 0106).

PostgreSQL is reached through a real TCP proxy that the test stops (every connection cut, new
ones refused) and starts again on the same port. While it is stopped, `/health` answers 503 and
every other route a 503 problem, Chinese first, with `Retry-After` — each within the client's
two-second timeout, never a bare 500; when it is back, the same server answers again, without a
restart. A SQLite file locked by another connection answers 503 the same way.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from domain.persistence.storage import parse_database_url
from tests.e2e.http.live import Caller, LiveApi, live_api
from tests.tcp_proxy import TcpProxy

#: Each request while the store is away must be answered within this (the client gives up).
ANSWER_WITHIN = httpx.Timeout(2.0)
ENTERPRISE = {"name": "江苏断线测试有限公司", "region": "320000", "effective_on": "2022-09-20"}


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[TcpProxy]:
    parts = urlsplit(postgres_url)
    relay = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    relay.start()
    yield relay
    relay.stop()


def through(proxy: TcpProxy, postgres_url: str) -> str:
    parts = urlsplit(postgres_url)
    netloc = (
        f"{parts.username}@127.0.0.1:{proxy.port}" if parts.username else f"127.0.0.1:{proxy.port}"
    )
    return urlunsplit(parts._replace(netloc=netloc))


def answered_quickly(caller: Caller, method: str, path: str, body: object = None) -> httpx.Response:
    headers = caller.headers()
    return caller.client.request(method, path, json=body, headers=headers, timeout=ANSWER_WITHIN)


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["Retry-After"]) > 0
    problem = response.json()
    assert problem["title"].startswith("数据库暂不可用")
    assert problem["zh"]["title"] == "数据库暂不可用"
    assert "Traceback" not in response.text


#: What Chromium sends for a page.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def assert_unavailable_page(response: httpx.Response) -> None:
    """A browser asking for a page gets a page, not JSON (issue 16's leftover)."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert int(response.headers["Retry-After"]) > 0
    assert response.text.index("数据库暂不可用") < response.text.index("Database unavailable")
    assert "Traceback" not in response.text


def until_answered(api: LiveApi, within_seconds: float = 15) -> httpx.Response:
    deadline = time.monotonic() + within_seconds
    while True:
        response = api.client.get("/health", timeout=ANSWER_WITHIN)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def test_postgres_taken_away_answers_503_fast_and_comes_back_without_a_restart(
    proxy: TcpProxy, postgres_url: str
) -> None:
    with live_api(through(proxy, postgres_url)) as api:
        province = api.province()
        assert api.client.get("/health").status_code == 200
        assert province.get("/v1/list").status_code == 200

        proxy.stop()
        health = api.client.get("/health", timeout=ANSWER_WITHIN)
        listing = answered_quickly(province, "GET", "/v1/list")
        command = answered_quickly(province, "POST", "/v1/enterprises", ENTERPRISE)
        page = answered_quickly(api.anonymous, "GET", "/v1/list")
        browser = api.client.get("/", headers={"Accept": BROWSER_ACCEPT}, timeout=ANSWER_WITHIN)

        assert_unavailable_page(browser)
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        for response in (listing, command, page):
            assert_unavailable(response)

        proxy.start()
        assert until_answered(api).status_code == 200
        assert province.get("/v1/list").status_code == 200
        created = province.post("/v1/enterprises", ENTERPRISE)
        assert created.status_code == 201, created.text


def test_a_locked_sqlite_file_answers_503_with_retry_after(sqlite_url: str) -> None:
    with live_api(sqlite_url, postgres_lock_timeout=1) as api:
        province = api.province()
        assert province.get("/v1/list").status_code == 200
        path = parse_database_url(sqlite_url).sqlite_path
        holder = sqlite3.connect(str(path), isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the file's write lock
        try:
            command = answered_quickly(province, "POST", "/v1/enterprises", ENTERPRISE)
            listing = answered_quickly(province, "GET", "/v1/list")
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        assert_unavailable(command)
        assert listing.status_code == 200  # readers are not held up by a writer (WAL)
        assert province.post("/v1/enterprises", ENTERPRISE).status_code == 201
