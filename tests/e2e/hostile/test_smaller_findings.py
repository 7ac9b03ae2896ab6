"""Issue 16, finding 9: a CSV field over 131,072 characters is a clear 422; a query parameter with
NUL or another control or invisible character is 422 (on PostgreSQL too); a date-time or a number
where a date is expected is 422; a JSON object naming a key twice is 422; a body that is not JSON
is 400; registering under another region's credit code is 409; `token list` shows control
characters escaped; an over-long token name is refused; the pages' language link is relative (not
built from the Host header). Each refusal writes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from api.http.auth import Role
from api.http.database import api_tokens
from domain.ledger import Ledger
from tests.e2e.cli.test_token_cli import greenledger
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import JIANGSU, ZHEJIANG, credit_code, expect, register_enterprise
from tests.paths import PUBLISHED_LISTS

pytestmark = pytest.mark.e2e

PROBLEM = "application/problem+json"


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        served.client.get("/health")
        yield served


def position(api: LiveApi) -> int:
    with Ledger.open(api.database_url) as ledger:
        return ledger.position


def field_refused(response: Any, field: str, location: str) -> dict[str, Any]:
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = expect(response, 422)
    errors = {error["field"]: error for error in problem["errors"]}
    assert field in errors, problem
    assert errors[field]["location"] == location
    assert any("\u4e00" <= c <= "\u9fff" for c in errors[field]["message_zh"])
    return problem


def test_a_csv_field_over_the_csv_readers_limit_is_a_clear_422(api: LiveApi) -> None:
    ministry = api.ministry()
    parks = (PUBLISHED_LISTS / "green_parks.csv").read_text(encoding="utf-8").splitlines()
    huge = f'1,江苏,"{"园" * 131_073}",某评价机构,1'
    files = [
        ("files", ("announcements.csv", (PUBLISHED_LISTS / "announcements.csv").read_bytes())),
        ("files", ("green_parks.csv", "\n".join([parks[0], huge]).encode())),
    ]
    before = position(api)

    response = api.client.post(
        "/v1/imports/published-lists", files=files, headers=ministry.headers()
    )

    problem = field_refused(response, "green_parks.csv", "body")
    assert "131072" in problem["errors"][0]["message"]
    assert position(api) == before


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/v1/list", "q", "\x00"),
        ("/v1/list", "q", "江苏\x00"),
        ("/v1/list", "q", "\u200b"),
        ("/v1/list", "q", "\x1b[2J"),
        ("/v1/list", "as_of", "2023-06-30\x00"),
        ("/v1/feed", "after", "\x00"),
        ("/v1/changes", "from", "2023\u202e-01-01"),
        ("/v1/exports/list.csv", "q", "\x00"),
    ],
)
def test_a_query_parameter_with_nul_control_or_invisible_characters_is_422(
    api: LiveApi, path: str, name: str, value: str
) -> None:
    response = api.ministry().get(path, **{name: value})

    field_refused(response, name, "query")


def test_a_query_parameter_that_is_not_utf8_is_422(api: LiveApi) -> None:
    response = api.client.get("/v1/list?q=%FF%FE", headers=api.ministry().headers())

    field_refused(response, "q", "query")


@pytest.mark.parametrize(
    "day",
    ["2023-01-01T00:00:00", "2023-01-01T00:00:00Z", "2023-01-01 00:00", 1672531200, "20230101"],
)
def test_a_date_time_or_a_number_where_a_date_is_expected_is_refused(
    api: LiveApi, day: object
) -> None:
    before = position(api)

    response = api.province(JIANGSU).post(
        "/v1/enterprises", {"name": "江苏示例日期有限公司", "region": JIANGSU, "effective_on": day}
    )

    field_refused(response, "effective_on", "body")
    assert position(api) == before


def test_a_date_time_in_a_date_query_parameter_is_refused(api: LiveApi) -> None:
    response = api.ministry().get("/v1/list", as_of="2023-06-30T00:00:00")

    field_refused(response, "as_of", "query")


def test_a_json_object_with_a_key_twice_is_refused(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    before = position(api)
    body = (
        '{"name": "江苏示例甲有限公司", "region": "320000", "name": "江苏示例乙有限公司",'
        ' "effective_on": "2022-09-20"}'
    ).encode()

    response = api.client.post(
        "/v1/enterprises",
        content=body,
        headers={**jiangsu.headers(), "Content-Type": "application/json"},
    )

    field_refused(response, "name", "body")
    assert position(api) == before


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": ',
        b"\xff\xfe{}",
        b"{'name': 'x'}",
        b'{"name": "a"} trailing',
        b'{"batch_year": ' + b"9" * 5000 + b"}",
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_a_body_that_is_not_json_is_400(api: LiveApi, body: bytes) -> None:
    jiangsu = api.province(JIANGSU)
    before = position(api)

    response = api.client.post(
        "/v1/enterprises",
        content=body,
        headers={**jiangsu.headers(), "Content-Type": "application/json"},
    )

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["zh"]["detail"].startswith("请求体不是有效的 JSON")
    assert "position" not in problem["detail"]  # no byte offset
    assert position(api) == before


def test_registering_under_another_regions_credit_code_is_a_conflict(api: LiveApi) -> None:
    zhejiang = api.province(ZHEJIANG)
    code = credit_code(77, prefix="91330000MA")
    theirs = register_enterprise(zhejiang, "浙江示例有限公司", region=ZHEJIANG, uscc=code)
    jiangsu = api.province(JIANGSU)
    mine = register_enterprise(jiangsu, "江苏示例有限公司")
    before = position(api)

    registering = jiangsu.post(
        "/v1/enterprises",
        {
            "name": "江苏示例另一有限公司",
            "region": JIANGSU,
            "uscc": code,
            "effective_on": "2023-01-05",
        },
    )
    assigning = jiangsu.post(f"/v1/enterprises/{mine}/credit-code", {"uscc": code})

    for response in (registering, assigning):
        problem = expect(response, 409)
        assert response.headers["content-type"] == PROBLEM
        assert "id" not in problem  # not the other region's enterprise as a receipt
        assert problem["zh"]["detail"] == "该统一社会信用代码或名称已属于另一家企业"
    assert str(theirs) in registering.json()["en"]["detail"]
    assert position(api) == before


def test_token_list_shows_control_characters_escaped(sqlite_url: str) -> None:
    # A token named before the rule held names to it: stored as it came.
    with live_api(sqlite_url) as api:
        record = api.tokens.create(Role.MINISTRY, name="部").record
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(
            sa.update(api_tokens)
            .where(api_tokens.c.id == record.id)
            .values(name="部\x1b[2J\x1b]0;owned\x07\u202e")
        )
    engine.dispose()

    code, out, err = greenledger(sqlite_url, "token", "list")

    assert code == 0, err
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u202e" not in out
    assert "部\\x1b[2J\\x1b]0;owned\\x07\\u202e" in out.replace("\n", "")


@pytest.mark.parametrize(
    "name", ["江" * 201, "江苏\x00", "江苏\x1b[2J", "\u200b\u200b", "江苏\u202e省"]
)
def test_a_token_name_that_cannot_be_stored_is_refused(sqlite_url: str, name: str) -> None:
    code, _, err = greenledger(sqlite_url, "token", "create", "--role", "ministry", "--name", name)

    assert code == 2
    assert "--name" in err
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(api_tokens)).scalar() == 0
    engine.dispose()


def test_the_language_link_is_relative_whatever_the_host_header(api: LiveApi) -> None:
    response = api.client.get("/?q=示例", headers={"Host": "evil.example"})

    assert response.status_code == 200, response.text
    links = re.findall(r'<a class="lang" href="([^"]*)"', response.text)
    assert links, response.text[:500]
    for link in links:
        assert link.startswith("/"), link
        assert "evil.example" not in link
        assert "lang=" in link
