"""The auditor's stored reports over real HTTP, on SQLite and PostgreSQL: started in the
background (202 and Location), read with their head, counts and decisions, filtered, a what-if,
one at a time, the audit file and the proof that ties the report's head to the latest."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from openpyxl import load_workbook

from audit.reports import ReportParameters
from audit.store import ReportStore
from audit.workbook import DECISION_HEADERS, OUTCOME_LABELS, findings_cell
from seal.proofs import ConsistencyProof
from seal.signing import TreeHead
from tests.e2e.http.live import Caller, LiveApi, live_api
from tests.e2e.http.world import JIANGSU, expect, listed_factories


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def a_flag_for_a_major_accident(api: LiveApi) -> UUID:
    """Two Jiangsu factories listed in 2023; one flagged for removal (DYN-3, 235号) for a major
    accident in May — which 13号 would have removed at once (DYN-4)."""
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    listing, _ = listed_factories(ministry, jiangsu, ["江苏甲钢铁有限公司", "江苏乙钢铁有限公司"])
    enterprise = expect(jiangsu.get(f"/v1/listings/{listing}"), 200)["enterprise_id"]
    incident = {
        "kind": "safety",
        "grade": "major",
        "occurred_on": "2023-05-01",
        "source": "credit_china",
        "reference": {"title": "信用中国行政处罚公示"},
        "effective_on": "2023-05-03",
    }
    expect(jiangsu.post(f"/v1/enterprises/{enterprise}/incidents", incident), 201)
    return listing


def started(auditor: Caller, body: dict[str, Any]) -> dict[str, Any]:
    response = auditor.post("/v1/audit/reports", body)
    report: dict[str, Any] = expect(response, 202)
    assert response.headers["Location"] == f"/v1/audit/reports/{report['report_id']}"
    return report


def finished(api: LiveApi, report_id: str, **filters: Any) -> dict[str, Any]:
    """The report once its background thread has ended (a join, not a wait on the clock)."""
    assert api.app is not None
    api.app.state.audit_desk.wait(UUID(report_id))
    report: dict[str, Any] = expect(
        api.auditor().get(f"/v1/audit/reports/{report_id}", **filters), 200
    )
    return report


def every_decision(caller: Caller, report_id: str, **filters: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = expect(
            caller.get(f"/v1/audit/reports/{report_id}", page=page, page_size=500, **filters), 200
        )
        items.extend(answer["decisions"]["items"])
        if len(items) >= answer["decisions"]["total"]:
            return items
        page += 1


def test_a_report_runs_in_the_background_and_shows_every_decision_with_its_findings(
    api: LiveApi,
) -> None:
    flagged = a_flag_for_a_major_accident(api)
    auditor = api.auditor()

    report = started(auditor, {})
    done = finished(api, report["report_id"])

    assert report["status"] == "running"
    assert done["status"] == "done"
    counts = done["counts"]
    # 2 nominations, 2 listings, the flag by the incident
    assert counts == {"decisions": 5, "rederived": 5, "imported": 0, "matching": 5, "differing": 0}
    assert done["head"]["tree_size"] == done["events_read"]
    assert done["progress"]["fraction"] == 1.0
    (flag,) = every_decision(auditor, report["report_id"], decision="flag")
    assert flag["listing_id"] == str(flagged)
    assert flag["region"] == JIANGSU
    assert flag["outcome"] == "matches"
    assert flag["recorded"] == flag["rederived"]
    (dyn3,) = flag["recorded"]
    assert (dyn3["rule_id"], dyn3["applies"]) == ("DYN-3", True)
    assert dyn3["citation"].startswith("工信厅节函〔2022〕235号")
    (incident,) = dyn3["because"]
    assert incident["aggregate"] == "enterprise"
    assert incident["position"] == flag["position"] - 1
    assert flag["links"]["unit"] == f"/units/{flagged}"
    event = expect(api.client.get(flag["links"]["event"], headers=auditor.headers()), 200)
    assert event["position"] == flag["position"]
    assert event["tree_size"] == done["head"]["tree_size"]


def test_a_what_if_under_the_2024_rules_names_the_decision_that_would_differ_and_the_rule(
    api: LiveApi,
) -> None:
    flagged = a_flag_for_a_major_accident(api)
    auditor = api.auditor()

    report = started(auditor, {"rulebook": "2024", "from": "2023-01-01", "to": "2023-12-31"})
    done = finished(api, report["report_id"], outcome="differs")

    assert done["parameters"] == {
        "known_at": None,
        "from": "2023-01-01",
        "to": "2023-12-31",
        "region": None,
        "rulebook": "2024",
    }
    assert done["counts"]["decisions"] == 3  # the two listings and the flag of 2023
    (flag,) = done["decisions"]["items"]  # 13号 第四章: removed at once
    assert flag["listing_id"] == str(flagged)
    assert flag["decision"] == "flag"
    assert flag["differing_rules"] == ["DYN-4"]
    assert (flag["recorded_rulebook"], flag["rederived_rulebook"]) == ("2022", "2024")
    by_rule = expect(auditor.get(f"/v1/audit/reports/{report['report_id']}", rule="DYN-4"), 200)
    assert [d["seq"] for d in by_rule["decisions"]["items"]] == [flag["seq"]]


def test_one_report_runs_at_a_time_and_the_same_request_joins_it(api: LiveApi) -> None:
    a_flag_for_a_major_accident(api)
    assert api.app is not None
    store: ReportStore = api.app.state.audit_store
    # Another process holds the ledger's claim (as `greenledger audit run` would).
    holder, _ = store.claim(ReportParameters(rulebook="2025"), "auditor")
    auditor = api.auditor()

    other = auditor.post("/v1/audit/reports", {})
    same = auditor.post("/v1/audit/reports", {"rulebook": "2025"})
    store.fail(holder.report_id, "released by the test")
    free = auditor.post("/v1/audit/reports", {})

    problem = expect(other, 409)
    assert str(holder.report_id) in problem["detail"]
    assert problem["conflict"]["retry"] is True
    assert expect(same, 202)["report_id"] == str(holder.report_id)
    finished(api, expect(free, 202)["report_id"])


BAD_REQUESTS = [
    ({"rulebook": "1999"}, "rulebook"),
    ({"from": "2024-01-01", "to": "2023-01-01"}, "to"),
    ({"known_at": "2024-01-01T00:00:00"}, "known_at"),
    ({"region": "999999"}, "region"),
    ({"rulbook": "2024"}, "rulbook"),
]


def test_a_report_asked_for_with_bad_parameters_is_refused_naming_the_field(api: LiveApi) -> None:
    auditor = api.auditor()

    for body, field in BAD_REQUESTS:
        problem = expect(auditor.post("/v1/audit/reports", body), 422)
        assert field in {error["field"] for error in problem["errors"]}, body

    assert expect(auditor.get("/v1/audit/reports"), 200)["items"] == []


def test_the_ministry_reads_reports_and_may_not_start_one(api: LiveApi) -> None:
    a_flag_for_a_major_accident(api)
    report = started(api.auditor(), {})
    finished(api, report["report_id"])
    ministry = api.ministry()

    assert expect(ministry.get(f"/v1/audit/reports/{report['report_id']}"), 200)["counts"]
    assert expect(ministry.post("/v1/audit/reports", {}), 403)
    assert expect(api.province(JIANGSU).get(f"/v1/audit/reports/{report['report_id']}"), 403)
    refused = expect(ministry.get(f"/v1/audit/reports/{report['report_id']}", rule="XYZ-9"), 422)
    assert refused["errors"][0]["field"] == "rule"
    expect(ministry.get("/v1/audit/reports/0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d"), 404)


def test_the_first_replay_path_answers_from_the_latest_stored_report(api: LiveApi) -> None:
    a_flag_for_a_major_accident(api)
    auditor = api.auditor()
    missing = expect(auditor.get("/v1/audit/replay"), 404)

    report = started(auditor, {})
    done = finished(api, report["report_id"])
    replay = expect(auditor.get("/v1/audit/replay"), 200)

    assert "POST /v1/audit/reports" in missing["detail"]
    assert replay["report_id"] == report["report_id"]
    assert replay["decisions_checked"] == done["counts"]["rederived"] == 5
    assert replay["mismatches"] == []
    assert replay["position"] == done["last_position"] == replay["ledger_position"]


def test_the_audit_file_holds_the_apis_decisions_and_a_proof_to_the_latest_head(
    api: LiveApi,
) -> None:
    a_flag_for_a_major_accident(api)
    auditor = api.auditor()
    report = started(auditor, {"rulebook": "2024"})
    done = finished(api, report["report_id"])
    one_more_enterprise(api)

    response = api.client.get(
        f"/v1/audit/reports/{report['report_id']}.xlsx", headers=auditor.headers()
    )
    evidence = expect(auditor.get(f"/v1/audit/reports/{report['report_id']}/evidence"), 200)

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "摘要 Summary",
        "决定 Decisions",
        "差异 Differences",
        "校验 Verification",
    ]
    decisions = list(workbook["决定 Decisions"].iter_rows(values_only=True))
    assert decisions[0] == DECISION_HEADERS
    assert workbook_rows(decisions[1:]) == api_rows(every_decision(auditor, report["report_id"]))
    differences = list(workbook["差异 Differences"].iter_rows(values_only=True))[1:]
    assert [(row[0], row[6]) for row in differences] == [
        (d["seq"], rule)
        for d in every_decision(auditor, report["report_id"], outcome="differs")
        for rule in d["differing_rules"]
    ]
    summary = pairs(workbook["摘要 Summary"])
    assert summary["根哈希 Root hash"] == done["head"]["root_hash"]
    # The flag (DYN-4) and the two nominations, which 13号 would have checked against the
    # provincial list (REC-2) and the 31 July (REC-3) (ADR 0150).
    assert summary["不一致 Differing"] == done["counts"]["differing"] == 3
    assert evidence["consistent"] is True
    report_head = TreeHead.from_document(evidence["report_head"])
    latest_head = TreeHead.from_document(evidence["latest_head"])
    assert report_head.tree_size == done["head"]["tree_size"] < latest_head.tree_size
    proof = ConsistencyProof.from_document(evidence["consistency_proof"])
    assert proof.check([report_head, latest_head]) == [report_head, latest_head]
    verification = pairs(workbook["校验 Verification"])
    assert (
        ConsistencyProof.from_document(json.loads(verification["一致性证明 Consistency proof"]))
        == proof
    )


def pairs(sheet: Any) -> dict[str, Any]:
    """A sheet of label, value rows."""
    return {str(row[0]): row[1] for row in sheet.iter_rows(values_only=True)}


def one_more_enterprise(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    expect(jiangsu.post("/v1/enterprises", {"name": "江苏丙钢铁有限公司", "region": JIANGSU}), 201)


def workbook_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Seq, position, decision, date, region, listing, outcome, rules, rulebooks, findings."""
    columns = (0, 1, 2, 3, 6, 7, 11, 12, 13, 14, 15, 16)
    return [tuple(row[c] for c in columns) for row in rows]


def api_rows(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The same columns from the API's decisions (an empty cell reads back as None)."""
    return [
        (
            d["seq"],
            d["position"],
            f"{d['decision_zh']} {d['decision']}",
            d["effective_on"],
            d["region"] or None,
            d["listing_id"] or None,
            OUTCOME_LABELS[d["outcome"]],
            " ".join(d["differing_rules"]) or None,
            d["recorded_rulebook"],
            findings_cell(d["recorded"]) or None,
            d["rederived_rulebook"] or None,
            findings_cell(d["rederived"]) or None,
        )
        for d in items
    ]
