"""Issue 16, findings 1 and 7, at the HTTP door (ADR 0100): a text the ledger cannot store or
that would make one name look like another — NUL, control, invisible and direction characters, a
name of only invisible characters, an over-long text — is refused 422 naming the field and the
rule, Chinese first, and nothing is written; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from domain.ledger import Ledger
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import BASIS, JIANGSU, expect, register_enterprise

pytestmark = pytest.mark.e2e

BARRED = "江苏上骐集团有限公司"


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        served.client.get("/health")  # started: its tables are made
        yield served


def position(api: LiveApi) -> int:
    with Ledger.open(api.database_url) as ledger:
        return ledger.position


def refused(response: Any, field: str, rule: str) -> dict[str, Any]:
    problem: dict[str, Any] = expect(response, 422)
    errors = {error["field"]: error for error in problem["errors"]}
    assert field in errors, problem
    assert rule in errors[field]["message"], errors[field]
    assert rule in errors[field]["message_zh"], errors[field]
    assert any("\u4e00" <= c <= "\u9fff" for c in errors[field]["message_zh"])
    found: dict[str, Any] = errors[field]
    return found


NAMES = [
    ("江苏上骐\u200b集团有限公司", "text.invisible"),  # finding 7: zero-width space
    ("江苏上骐\u200c集团有限公司", "text.invisible"),
    ("江苏上骐\u200d集团有限公司", "text.invisible"),
    ("江苏上骐\u2060集团有限公司", "text.invisible"),
    ("\ufeff江苏上骐集团有限公司", "text.invisible"),
    ("江苏上骐\u202e集团有限公司", "text.invisible"),
    ("江苏上骐\u2066集团有限公司\u2069", "text.invisible"),
    ("\u200b\u200b\u200b", "text.invisible"),  # only zero-width spaces
    ("江苏\x00上骐集团有限公司", "text.control"),  # finding 1: NUL
    ("江苏\x1b[31m上骐集团", "text.control"),
    ("\t=1+1", "text.control"),
    ("江苏\x85上骐集团", "text.control"),  # C1
    ("江苏\u2028上骐集团", "text.control"),
    ("江苏\ue000上骐集团", "text.unassigned"),
    ("   ", "text.empty"),
    ("江" * 201, "string_too_long"),
]


@pytest.mark.parametrize(("name", "rule"), NAMES)
def test_a_name_that_cannot_be_stored_is_refused_and_nothing_is_written(
    api: LiveApi, name: str, rule: str
) -> None:
    jiangsu = api.province(JIANGSU)
    before = position(api)

    response = jiangsu.post(
        "/v1/enterprises",
        {"name": name, "region": JIANGSU, "effective_on": "2022-09-20", "basis": BASIS},
    )

    if rule == "string_too_long":
        assert expect(response, 422)["errors"][0]["field"] == "name"
    else:
        refused(response, "name", rule)
    assert position(api) == before


def test_the_barred_name_with_a_zero_width_space_does_not_become_a_new_enterprise(
    api: LiveApi,
) -> None:
    jiangsu = api.province(JIANGSU)
    barred = register_enterprise(jiangsu, BARRED)
    before = position(api)

    refused(
        jiangsu.post(
            "/v1/enterprises",
            {"name": "江苏上骐\u200b集团有限公司", "region": JIANGSU, "effective_on": "2023-01-05"},
        ),
        "name",
        "text.invisible",
    )

    assert position(api) == before
    # The same name with a space is the same enterprise, not a new one.
    again = expect(
        jiangsu.post(
            "/v1/enterprises",
            {"name": "江苏上骐 集团有限公司", "region": JIANGSU, "effective_on": "2023-01-05"},
        ),
        200,
    )
    assert again["id"] == str(barred)
    assert again["written"] is False


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"note": "备注\x00"}, "note", "text.control"),
        ({"note": "备注\u202e"}, "note", "text.invisible"),
        ({"basis": [{"title": "通知\u200b"}]}, "basis[0].title", "text.invisible"),
        ({"basis": [{"doc_no": "工信厅节函\x07"}]}, "basis[0].doc_no", "text.control"),
        ({"industry": "钢铁\x00"}, "industry", "text.control"),
    ],
)
def test_every_text_of_a_body_is_held_to_the_rule(
    api: LiveApi, body: dict[str, Any], field: str, rule: str
) -> None:
    jiangsu = api.province(JIANGSU)
    before = position(api)

    response = jiangsu.post(
        "/v1/enterprises",
        {"name": "江苏示例钢铁有限公司", "region": JIANGSU, "effective_on": "2022-09-20", **body},
    )

    refused(response, field, rule)
    assert position(api) == before


def test_a_note_may_hold_several_lines(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)

    response = jiangsu.post(
        "/v1/enterprises",
        {
            "name": "江苏示例钢铁有限公司",
            "region": JIANGSU,
            "effective_on": "2022-09-20",
            "note": "第一行\n第二行\r\n\t第三行",
        },
    )

    expect(response, 201)
