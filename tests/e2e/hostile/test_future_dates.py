"""Issue 16, finding 8 (ADR 0102): a fact's `effective_on` and an incident's `occurred_on` are no
later than today in China, or than the horizon `GREENLEDGER_EFFECTIVE_HORIZON_DAYS` allows for
announced dates; a later one is refused 422 naming the field, and nothing is written. On SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from api.settings import Settings
from domain.errors import FutureDateError
from domain.ledger import Ledger
from domain.values import Provenance
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import BASIS, JIANGSU, expect, register_enterprise

pytestmark = pytest.mark.e2e


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        served.client.get("/health")
        yield served


def position(api: LiveApi) -> int:
    with Ledger.open(api.database_url) as ledger:
        return ledger.position


def refused_naming(response: Any, field: str) -> None:
    problem = expect(response, 422)
    errors = {error["field"]: error for error in problem["errors"]}
    assert field in errors, problem
    assert "GREENLEDGER_EFFECTIVE_HORIZON_DAYS" in errors[field]["message_zh"]


def later(days: int) -> str:
    # Two days more than asked: today in China is at most one day after today here.
    return (date.today() + timedelta(days=days + 2)).isoformat()


@pytest.mark.parametrize("day", ["2099-12-31", later(0), later(400)])
def test_a_registration_effective_after_today_is_refused(api: LiveApi, day: str) -> None:
    jiangsu = api.province(JIANGSU)
    before = position(api)

    response = jiangsu.post(
        "/v1/enterprises",
        {"name": "江苏示例未来有限公司", "region": JIANGSU, "effective_on": day, "basis": BASIS},
    )

    refused_naming(response, "effective_on")
    assert position(api) == before


def test_an_incident_that_occurs_after_today_is_refused(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    enterprise = register_enterprise(jiangsu, "江苏示例事故有限公司")
    before = position(api)

    response = jiangsu.post(
        f"/v1/enterprises/{enterprise}/incidents",
        {
            "kind": "safety",
            "grade": "minor",
            "occurred_on": "2099-01-01",
            "source": "inspection",
            "reference": {"title": "安全生产事故通报"},
            "effective_on": "2024-01-02",
        },
    )

    refused_naming(response, "occurred_on")
    assert position(api) == before


def test_today_is_accepted(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    today = Ledger.today().isoformat()

    response = jiangsu.post(
        "/v1/enterprises",
        {"name": "江苏示例今日有限公司", "region": JIANGSU, "effective_on": today},
    )

    expect(response, 201)


def test_the_horizon_lets_an_announced_date_in_and_no_later_one(sqlite_url: str) -> None:
    with live_api(sqlite_url, effective_horizon_days=30) as api:
        jiangsu = api.province(JIANGSU)
        inside = (Ledger.today() + timedelta(days=30)).isoformat()
        body = {"name": "江苏示例公告有限公司", "region": JIANGSU, "effective_on": inside}

        expect(jiangsu.post("/v1/enterprises", body), 201)
        refused_naming(
            jiangsu.post(
                "/v1/enterprises",
                {**body, "name": "江苏示例之后有限公司", "effective_on": later(31)},
            ),
            "effective_on",
        )


def test_the_horizon_is_a_setting_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GREENLEDGER_EFFECTIVE_HORIZON_DAYS", "7")
    assert Settings().effective_horizon_days == 7
    with Ledger.open("memory://") as ledger:
        assert ledger.horizon_days == 7
        ledger.register_enterprise(
            name="江苏示例七日有限公司",
            region=JIANGSU,
            provenance=Provenance("province:320000", Ledger.today() + timedelta(days=7)),
        )
        with pytest.raises(FutureDateError) as refused:
            ledger.register_enterprise(
                name="江苏示例八日有限公司",
                region=JIANGSU,
                provenance=Provenance("province:320000", Ledger.today() + timedelta(days=8)),
            )
    assert refused.value.field == "effective_on"
