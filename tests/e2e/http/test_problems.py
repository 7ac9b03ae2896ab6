"""Refusals read as problem details (RFC 9457): 422 names each field, 404, 409 with the conflict,
413 before the body is read whole, and a bare 500 that discloses nothing."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

import httpx
import psycopg
import pytest
from psycopg import sql

from api.http.errors import ledger_problem
from domain.errors import RuleRefusalError
from domain.ledger import Ledger
from domain.values import EventRef, Finding
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import (
    JIANGSU,
    expect,
    listed_factories,
    open_batch,
    register_assessor,
    register_enterprise,
)

PROBLEM = "application/problem+json"


@pytest.fixture
def api(sqlite_url: str) -> Iterator[LiveApi]:
    with live_api(sqlite_url, max_body_bytes=4096) as served:
        yield served


def ledger_position(api: LiveApi) -> int:
    with Ledger.open(api.database_url) as ledger:
        return ledger.position


def problem_of(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    document: dict[str, object] = response.json()
    assert {"type", "title", "status", "detail", "zh", "en"} <= set(document)
    assert document["status"] == status
    zh, en = document["zh"], document["en"]
    assert isinstance(zh, dict)
    assert isinstance(en, dict)
    # Chinese first: the title and detail read the Chinese, then the English.
    assert str(document["title"]) == f"{zh['title']} {en['title']}"
    assert str(document["detail"]).startswith(zh["detail"])
    assert str(document["detail"]).endswith(en["detail"])
    assert any("\u4e00" <= character <= "\u9fff" for character in zh["title"] + zh["detail"])
    return document


def test_a_body_with_several_bad_fields_is_refused_naming_each(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)

    response = jiangsu.post(
        "/v1/enterprises",
        {
            "name": "",
            "region": "999999",
            "uscc": "91350200776049653B",
            "basis": [{"url": "ftp://example.org/x"}],
            "colour": "green",
        },
    )

    problem = problem_of(response, 422)
    messages = {error["field"]: error["message_zh"] for error in problem["errors"]}  # type: ignore[attr-defined]
    assert messages == {
        "name": "不能为空",
        "region": "“999999”不是37个报送地区之一（六位行政区划代码）",
        "uscc": "“91350200776049653B”不是有效的统一社会信用代码（GB 32100-2015 校验未通过）",
        "basis[0].url": "格式不符合要求",
        "colour": "不接受此字段",
    }


def test_a_missing_field_is_named_in_chinese_not_as_field_required(api: LiveApi) -> None:
    response = api.ministry().post("/v1/batches", {"level": "national"})

    problem = problem_of(response, 422)
    assert problem["errors"] == [
        {
            "field": "year",
            "message": "Field required",
            "message_zh": "必填项，不能缺少",
            "location": "body",
        }
    ]
    assert problem["zh"] == {"title": "输入有误", "detail": "输入有误：year：必填项，不能缺少"}


def test_a_field_only_the_ledger_can_judge_is_named_too(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    (listing,) = listed_factories(ministry, jiangsu, ["江苏绿源钢铁有限公司"])

    response = jiangsu.post(
        f"/v1/listings/{listing}/filings",
        {
            "report_year": 2023,
            "indicators": {"energy_per_unit_product": {"value": 512, "unit": "kWh"}},
            "effective_on": "2024-03-30",
        },
    )

    problem = problem_of(response, 422)
    assert problem["errors"] == [
        {
            "field": "indicators.energy_per_unit_product.unit",
            "message": "is 'kWh'; energy_per_unit_product is measured in 'kgce/t'",
            "message_zh": "单位为 'kWh'；energy_per_unit_product 的计量单位应为 'kgce/t'",
            "location": "body",
        }
    ]


def test_a_query_parameter_and_a_path_parameter_are_named_as_such(api: LiveApi) -> None:
    ministry = api.ministry()

    response = ministry.post("/v1/enterprises/not-a-uuid/name", {"name": "江苏绿源"})

    problem = problem_of(response, 422)
    assert problem["errors"][0]["field"] == "enterprise_id"  # type: ignore[index]
    assert problem["errors"][0]["location"] == "path"  # type: ignore[index]


def test_malformed_json_is_refused_with_422(api: LiveApi) -> None:
    response = api.client.post(
        "/v1/batches",
        content=b'{"level": "national",',
        headers={**api.ministry().headers(), "Content-Type": "application/json"},
    )

    problem_of(response, 422)


def test_an_unknown_id_is_404(api: LiveApi) -> None:
    unknown = UUID("0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d")

    response = api.ministry().post(f"/v1/enterprises/{unknown}/name", {"name": "江苏绿源"})

    problem = problem_of(response, 404)
    assert problem["type"] == "urn:greenledger:problem:not-found"
    assert str(unknown) in str(problem["detail"])


def test_a_transition_the_record_does_not_allow_is_409_with_the_conflict(api: LiveApi) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    (listing,) = listed_factories(ministry, jiangsu, ["江苏绿源钢铁有限公司"])

    response = ministry.post(f"/v1/listings/{listing}/removal/rescission", {"reason": "更正"})

    problem = problem_of(response, 409)
    assert problem["conflict"] == {"kind": "transition_refused", "retry": False}


def test_a_rule_refusal_names_the_rule_its_citation_and_every_finding() -> None:
    finding = Finding(
        rule_id="NEG-3",
        applies=True,
        because=(EventRef(UUID("5c1f7a35-8a4e-5b8e-9f5e-0a4f1e0c9d11"), 4),),
        barred_until=date(2026, 5, 3),
        detail="removed on 2023-05-04",
    )
    error = RuleRefusalError("NEG-3", "工信厅节函〔2022〕235号 一", "barred", (finding,))

    problem = ledger_problem(error).model_dump(mode="json", exclude_none=True)

    assert problem["status"] == 409
    assert problem["rule"]["id"] == "NEG-3"
    assert problem["rule"]["citation"] == "工信厅节函〔2022〕235号 一"
    assert problem["rule"]["statement_zh"].startswith("近三年被动态调整出绿色制造名单")
    assert problem["findings"] == [
        {
            "rule_id": "NEG-3",
            "applies": True,
            "because": [{"originator_id": "5c1f7a35-8a4e-5b8e-9f5e-0a4f1e0c9d11", "version": 4}],
            "barred_until": "2026-05-03",
            "detail": "removed on 2023-05-04",
        }
    ]


def test_a_nomination_the_negative_list_forbids_is_409_with_the_rule_and_writes_nothing(
    api: LiveApi,
) -> None:
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    assessor = register_assessor(ministry)
    open_batch(ministry, 2022, "2022-09-16")
    enterprise = register_enterprise(jiangsu, "江苏绿源钢铁有限公司", day="2022-01-05")
    accident = expect(
        jiangsu.post(
            f"/v1/enterprises/{enterprise}/incidents",
            {
                "kind": "safety",
                "grade": "serious",
                "occurred_on": "2022-04-02",
                "source": "credit_china",
                "reference": {"title": "信用中国行政处罚公示"},
                "effective_on": "2022-05-04",
            },
        ),
        201,
    )

    response = jiangsu.post(
        "/v1/listings",
        {
            "enterprise_id": str(enterprise),
            "category": "green_factory",
            "level": "national",
            "batch_year": 2022,
            "self_evaluation": {"title": "绿色工厂自评价报告"},
            "third_party_evaluation": {
                "assessor_id": str(assessor),
                "report": {"doc_no": "评价报告-1"},
                "conclusion": "pass",
            },
            "effective_on": "2022-10-20",
        },
    )

    problem = problem_of(response, 409)
    assert problem["type"] == "urn:greenledger:problem:rule-refusal"
    rule = problem["rule"]
    assert isinstance(rule, dict)
    assert rule["id"] == "NEG-2"
    assert rule["citation"].startswith("工信厅节函〔2022〕235号")
    findings = problem["findings"]
    assert isinstance(findings, list)
    assert [f["rule_id"] for f in findings if f["applies"]] == ["NEG-2"]
    assert findings[0]["because"][0]["originator_id"] == str(enterprise)
    assert ledger_position(api) == accident["position"]


def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)
    body = json.dumps({"name": "江" * 5000, "region": JIANGSU}).encode()

    response = api.client.post(
        "/v1/enterprises",
        content=body,
        headers={**jiangsu.headers(), "Content-Type": "application/json"},
    )

    problem = problem_of(response, 413)
    assert "4096" in str(problem["detail"])


def test_a_streamed_body_growing_past_the_limit_is_refused(api: LiveApi) -> None:
    jiangsu = api.province(JIANGSU)

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"name": "'
        for _ in range(10):
            yield "江".encode() * 300
        yield b'", "region": "320000"}'

    response = api.client.post(
        "/v1/enterprises",
        content=chunks(),
        headers={**jiangsu.headers(), "Content-Type": "application/json"},
    )

    problem_of(response, 413)


def test_an_authorization_header_that_is_not_bearer_is_401(api: LiveApi) -> None:
    response = api.client.post(
        "/v1/batches",
        json={"level": "national", "year": 2023},
        headers={"Authorization": "Basic bWluaXN0cnk6eA=="},
    )

    problem = problem_of(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert problem["type"] == "urn:greenledger:problem:unauthenticated"


def test_an_unknown_path_and_a_wrong_method_are_problems_too(api: LiveApi) -> None:
    problem_of(api.client.get("/v1/nothing-here"), 404)
    problem_of(api.client.get("/v1/enterprises"), 405)


@pytest.fixture
def doomed_postgres_url(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database of its own that the test drops while the API runs on it."""
    monkeypatch.setenv("LEDGER_POSTGRES_CONNECT_TIMEOUT", "1")
    parts = urlsplit(postgres_url)
    name = f"{parts.path.lstrip('/')}_gone"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(drop)


def test_a_database_gone_mid_request_is_a_503_problem_and_its_cause_stays_in_the_log(
    doomed_postgres_url: str, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with live_api(doomed_postgres_url) as api:
        jiangsu = api.province(JIANGSU)
        enterprise = register_enterprise(jiangsu, "江苏绿源钢铁有限公司")
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
                    sql.Identifier(urlsplit(doomed_postgres_url).path.lstrip("/"))
                )
            )
        with caplog.at_level(logging.WARNING, logger="greenledger.api"):
            response = jiangsu.post(
                f"/v1/enterprises/{enterprise}/name", {"name": "江苏绿源新材料"}
            )

    # ADR 0106: the database not answering is foreseen — 503 with Retry-After, never a 500.
    problem = problem_of(response, 503)
    assert problem["type"] == "urn:greenledger:problem:database-unavailable"
    assert response.headers["Retry-After"]
    assert "Traceback" not in response.text
    assert "psycopg" not in response.text.lower()
    assert any("does not answer" in record.getMessage() for record in caplog.records)


def test_every_problem_answer_is_logged_as_one_json_line(
    api: LiveApi, caplog: pytest.LogCaptureFixture
) -> None:
    jiangsu = api.province(JIANGSU)
    with caplog.at_level(logging.INFO, logger="greenledger.access"):
        created = expect(
            jiangsu.post("/v1/enterprises", {"name": "江苏绿源钢铁有限公司", "region": JIANGSU}),
            201,
        )
        jiangsu.post("/v1/enterprises", {"name": "浙江", "region": "330000"})
        api.anonymous.post("/v1/batches", {})

    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "greenledger.access"]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("POST", "/v1/enterprises", 201),
        ("POST", "/v1/enterprises", 403),
        ("POST", "/v1/batches", 401),
    ]
    assert [line["principal"] for line in lines] == ["province", "province", "anonymous"]
    assert lines[0]["token_id"] == lines[1]["token_id"] is not None
    assert lines[2]["token_id"] is None
    assert lines[0]["position"] == created["position"]
    assert all(isinstance(line["duration_ms"], float) for line in lines)
