"""Queries the ledger answers itself, over real HTTP on SQLite and PostgreSQL: whether an
enterprise may apply, a batch, the auditor's replay (from a stored report)."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import JIANGSU, expect, listed_factories


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def test_the_auditor_replays_every_decision_and_finds_that_each_follows_from_its_facts(
    api: LiveApi,
) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    (listing,) = listed_factories(ministry, jiangsu, ["江苏绿源钢铁有限公司"])
    removed = expect(
        ministry.post(
            f"/v1/listings/{listing}/removal",
            {"reasons": ["refused_filing"], "effective_on": "2024-01-05"},
        ),
        200,
    )

    auditor = api.auditor()
    report = expect(auditor.post("/v1/audit/reports", {}), 202)
    assert api.app is not None
    api.app.state.audit_desk.wait(UUID(report["report_id"]))
    replay = expect(auditor.get("/v1/audit/replay"), 200)

    assert replay["report_id"] == report["report_id"]
    assert replay["mismatches"] == []
    assert replay["decisions_checked"] >= 2
    assert replay["position"] == removed["position"]


def test_eligibility_lists_every_negative_list_rule_with_what_it_found(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    (listing,) = listed_factories(ministry, jiangsu, ["江苏绿源钢铁有限公司"])
    enterprise = expect(
        jiangsu.post("/v1/enterprises", {"name": "江苏绿源钢铁有限公司", "region": JIANGSU}), 200
    )["id"]
    expect(
        ministry.post(
            f"/v1/listings/{listing}/removal",
            {"reasons": ["refused_filing"], "effective_on": "2024-01-05"},
        ),
        200,
    )

    barred = expect(jiangsu.get(f"/v1/enterprises/{enterprise}/eligibility", on="2025-01-05"), 200)
    free = expect(jiangsu.get(f"/v1/enterprises/{enterprise}/eligibility", on="2027-01-05"), 200)

    assert barred["eligible"] is False
    assert [(f["rule_id"], f["barred_until"]) for f in barred["findings"] if f["applies"]] == [
        ("NEG-3", "2027-01-04")
    ]
    assert {f["rule_id"] for f in barred["findings"]} >= {"NEG-1", "NEG-2", "NEG-3"}
    assert free["eligible"] is True


def test_a_batch_shows_its_rulebook_nominations_and_publications(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    listed_factories(ministry, jiangsu, ["江苏绿源钢铁有限公司", "江苏蓝天纺织有限公司"])

    batch = expect(jiangsu.get("/v1/batches/2022", level="national"), 200)

    assert batch["label"] == "2022年度"
    assert batch["rulebook"] == "2022"
    assert batch["nominations"] == 2
    assert batch["nominations_by_region"] == {JIANGSU: 2}
    assert [p["listed"] for p in batch["publications"]] == [2]
    assert batch["publications"][0]["published_on"] == "2023-03-23"
    assert jiangsu.get("/v1/batches/2023").status_code == 404
