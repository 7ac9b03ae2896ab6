"""Who may call what: every route of the app × every kind of caller, over real HTTP.

The table below is the role matrix of the API (README, docs/api-extensions.md): for each route,
the callers it lets through and the status each gets. Everyone else is refused — 401 without a
valid token (anonymous, revoked), 403 with the wrong role or region — and a refused request
writes nothing. The table is checked against the app's own route table, so a route added without
an entry here fails `test_the_matrix_has_an_entry_for_every_route_of_the_app`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from openpyxl import Workbook

from api.http.app import create_app
from api.settings import Settings
from domain.assessor import evaluation_id_for
from domain.ledger import Ledger
from seal.signing import create_signing_key
from tests.e2e.http.live import Caller, LiveApi, live_api
from tests.e2e.http.world import (
    JIANGSU,
    ZHEJIANG,
    created_id,
    credit_code,
    expect,
    nominate,
    on_provincial_list,
    open_batch,
    publish,
    register_assessor,
    register_enterprise,
)
from tests.paths import PUBLISHED_LISTS

MINISTRY = "ministry"
PROVINCE = "province"  # Jiangsu, the region of every record the table writes for
OTHER_PROVINCE = "other_province"  # Zhejiang
AUDITOR = "auditor"
ASSESSOR = "assessor"  # the assessor whose evaluation the table reports
OTHER_ASSESSOR = "other_assessor"
ANONYMOUS = "anonymous"
REVOKED = "revoked"
ROLES = (
    MINISTRY,
    PROVINCE,
    OTHER_PROVINCE,
    AUDITOR,
    ASSESSOR,
    OTHER_ASSESSOR,
    ANONYMOUS,
    REVOKED,
)
WITH_A_TOKEN = (MINISTRY, PROVINCE, OTHER_PROVINCE, AUDITOR, ASSESSOR, OTHER_ASSESSOR)


@dataclass
class World:
    """The records the table's requests name, built over HTTP."""

    ids: dict[str, UUID] = field(default_factory=dict)

    def __getitem__(self, name: str) -> UUID:
        return self.ids[name]


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Any = None
    params: Mapping[str, Any] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None
    data: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Entry:
    """One request of a route and the callers it lets through, with their status."""

    call: Callable[[World, str], Call]
    allowed: Mapping[str, int]

    def expected(self, role: str) -> int:
        if role in self.allowed:
            return self.allowed[role]
        return 401 if role in (ANONYMOUS, REVOKED) else 403


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def with_token(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(WITH_A_TOKEN, status)


def public(status: int = 200) -> dict[str, int]:
    """Anyone, even without a token; a token that is not valid still gets 401."""
    return {**everyone(status), REVOKED: 401}


def readers(status: int = 200) -> dict[str, int]:
    return dict.fromkeys((MINISTRY, PROVINCE, OTHER_PROVINCE, AUDITOR), status)


def audit_readers() -> dict[str, int]:
    """Audit reports: the auditor's, and the ministry may read them."""
    return dict.fromkeys((MINISTRY, AUDITOR), 200)


def post(path: str, body: Any) -> Callable[[World, str], Call]:
    return lambda world, role: Call("POST", path.format(**world.ids), body)


def get(path: str) -> Callable[[World, str], Call]:
    return lambda world, role: Call("GET", path.format(**world.ids))


def by_role(
    calls: Mapping[str, Callable[[World], Call]], default: str
) -> Callable[[World, str], Call]:
    """A request that differs by caller (two writers must not write the same fact)."""
    return lambda world, role: calls.get(role, calls[default])(world)


def incident(kind: str = "quality") -> dict[str, Any]:
    return {
        "kind": kind,
        "grade": "minor",
        "occurred_on": "2023-04-02",
        "source": "credit_china",
        "reference": {"title": "信用中国行政处罚公示"},
    }


def published_parks() -> list[tuple[str, tuple[str, bytes, str]]]:
    """Two parks of the first national list, with the announcements."""
    parks = (PUBLISHED_LISTS / "green_parks.csv").read_bytes().splitlines(keepends=True)
    return [
        (
            "files",
            ("announcements.csv", (PUBLISHED_LISTS / "announcements.csv").read_bytes(), "text/csv"),
        ),
        ("files", ("green_parks.csv", b"".join(parks[:3]), "text/csv")),
    ]


def announced_factory() -> list[tuple[str, tuple[str, bytes, str]]]:
    """A notice of one factory list, transcribed as an annex with its manifest."""
    manifest = (
        "文号,时间,年度,名称,文件\n"
        "测试厅节函〔2023〕1号,2023年3月23日,2022,绿色工厂名单,附件1.csv\n"
    )
    annex = "序号,地区,企业名称\n1,江苏,测试矩阵钢铁有限公司\n"
    return [
        ("files", ("announcements.csv", manifest.encode(), "text/csv")),
        ("files", ("附件1.csv", annex.encode(), "text/csv")),
    ]


EVALUATION = {"conclusion": "pass", "report": {"doc_no": "评价报告-矩阵"}}


def empty_filing_tables() -> list[tuple[str, tuple[str, bytes, str]]]:
    """A workbook of the dynamic management template with no unit in it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "绿色工厂"
    sheet.append(["绿色工厂动态管理表"])
    sheet.append(["序号", "名单编号", "单位名称", "级别", "批次", "报告年度"])
    out = io.BytesIO()
    workbook.save(out)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return [("file", ("动态管理表.xlsx", out.getvalue(), xlsx))]


def rebenchmarked(listing_id: UUID) -> dict[str, Any]:
    """A unit's re-benchmark result (ADR 0152)."""
    return {
        "listing_id": str(listing_id),
        "outcome": "meets",
        "self_evaluation": {"title": "对标复核自评价报告"},
        "effective_on": "2026-03-01",
    }


def own_region(path: str, **params: Any) -> Callable[[World, str], Call]:
    """A read of Jiangsu's (the province's own) region."""
    return lambda world, role: Call("GET", path, params={"region": JIANGSU, **params})


PROVINCE_READERS = {MINISTRY: 200, PROVINCE: 200}
REPORT_READERS = {MINISTRY: 200, PROVINCE: 200, AUDITOR: 200}

MATRIX: dict[tuple[str, str], list[Entry]] = {
    ("GET", "/health"): [Entry(lambda w, r: Call("GET", "/health"), everyone())],
    # -- enterprises --------------------------------------------------------------------------
    ("POST", "/v1/enterprises"): [
        Entry(
            by_role(
                {
                    MINISTRY: lambda w: Call(
                        "POST", "/v1/enterprises", {"name": "浙江部属企业", "region": ZHEJIANG}
                    ),
                    PROVINCE: lambda w: Call(
                        "POST", "/v1/enterprises", {"name": "江苏新登记企业", "region": JIANGSU}
                    ),
                    "*": lambda w: Call(
                        "POST", "/v1/enterprises", {"name": "江苏他人企业", "region": JIANGSU}
                    ),
                },
                "*",
            ),
            {MINISTRY: 201, PROVINCE: 201},
        )
    ],
    ("POST", "/v1/enterprises/{enterprise_id}/name"): [
        Entry(
            by_role(
                {
                    MINISTRY: lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['renamed']}/name",
                        {"name": "江苏更名甲有限公司"},
                    ),
                    PROVINCE: lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['renamed']}/name",
                        {"name": "江苏更名乙有限公司"},
                    ),
                    "*": lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['renamed']}/name",
                        {"name": "江苏更名丙有限公司"},
                    ),
                },
                "*",
            ),
            {MINISTRY: 200, PROVINCE: 200},
        )
    ],
    ("POST", "/v1/enterprises/{enterprise_id}/credit-code"): [
        Entry(
            by_role(
                {
                    MINISTRY: lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['uncoded_1']}/credit-code",
                        {"uscc": credit_code(501)},
                    ),
                    PROVINCE: lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['uncoded_2']}/credit-code",
                        {"uscc": credit_code(502)},
                    ),
                    "*": lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['uncoded_1']}/credit-code",
                        {"uscc": credit_code(503)},
                    ),
                },
                "*",
            ),
            {MINISTRY: 200, PROVINCE: 200},
        )
    ],
    ("POST", "/v1/enterprises/{enterprise_id}/incidents"): [
        Entry(
            post("/v1/enterprises/{incidents}/incidents", incident()),
            {MINISTRY: 201, PROVINCE: 201},
        )
    ],
    ("POST", "/v1/enterprises/{enterprise_id}/incidents/{incident_id}/retraction"): [
        Entry(
            post(
                "/v1/enterprises/{incidents}/incidents/{retracted}/retraction",
                {"reason": "信息有误"},
            ),
            {MINISTRY: 200},
        )
    ],
    ("POST", "/v1/enterprises/{enterprise_id}/incidents/{incident_id}/rectification"): [
        Entry(
            by_role(
                {
                    MINISTRY: lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['incidents']}/incidents/{w['rectified_1']}/rectification",
                        {},
                    ),
                    PROVINCE: lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['incidents']}/incidents/{w['rectified_2']}/rectification",
                        {},
                    ),
                    "*": lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['incidents']}/incidents/{w['rectified_1']}/rectification",
                        {},
                    ),
                },
                "*",
            ),
            {MINISTRY: 200, PROVINCE: 200},
        )
    ],
    ("POST", "/v1/enterprises/{enterprise_id}/incidents/{incident_id}/end"): [
        Entry(
            by_role(
                {
                    MINISTRY: lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['incidents']}/incidents/{w['ended_1']}/end",
                        {"ended_on": "2023-05-01"},
                    ),
                    PROVINCE: lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['incidents']}/incidents/{w['ended_2']}/end",
                        {"ended_on": "2023-05-01"},
                    ),
                    "*": lambda w: Call(
                        "POST",
                        f"/v1/enterprises/{w['incidents']}/incidents/{w['ended_1']}/end",
                        {"ended_on": "2023-05-01"},
                    ),
                },
                "*",
            ),
            {MINISTRY: 200, PROVINCE: 200},
        )
    ],
    # -- batches --------------------------------------------------------------------------------
    ("POST", "/v1/batches"): [
        Entry(
            post("/v1/batches", {"level": "national", "year": 2025, "effective_on": "2025-10-10"}),
            {MINISTRY: 201},
        ),
        # A province opens its own region's provincial round; no one else may (ADR 0141).
        Entry(
            post(
                "/v1/batches",
                {
                    "level": "provincial",
                    "year": 2025,
                    "region": "320000",
                    "effective_on": "2025-10-10",
                },
            ),
            {PROVINCE: 201},
        ),
    ],
    ("POST", "/v1/batches/{year}/park-quota-exceptions"): [
        Entry(
            post(
                "/v1/batches/2024/park-quota-exceptions",
                {"region": "320000", "reason": "国家级新区整体申报", "effective_on": "2024-03-02"},
            ),
            {MINISTRY: 201},
        )
    ],
    ("POST", "/v1/batches/{year}/publication"): [
        Entry(
            lambda w, r: Call(
                "POST",
                "/v1/batches/2023/publication",
                {
                    "level": "provincial",
                    "region": "320000",
                    "listed": [str(w["to_publish"])],
                    "announcement": {"doc_no": "苏工信节能〔2024〕2号", "date": "2024-01-10"},
                },
            ),
            {PROVINCE: 200},
        )
    ],
    ("POST", "/v1/batches/{year}/publicity"): [
        Entry(
            lambda w, r: Call(
                "POST",
                "/v1/batches/2024/publicity",
                {
                    "nominees": [str(w["publicised"])],
                    "announcement": {"doc_no": "示例公示〔2024〕2号", "date": "2024-12-01"},
                    "effective_on": "2024-12-01",
                },
            ),
            {MINISTRY: 201},
        )
    ],
    ("POST", "/v1/batches/{year}/objections"): [
        Entry(
            lambda w, r: Call(
                "POST",
                "/v1/batches/2024/objections",
                {
                    "listing_id": str(w["publicised"]),
                    "objection": "反映能耗数据不实",
                    "effective_on": "2024-12-05",
                },
            ),
            {MINISTRY: 201},
        )
    ],
    # -- 企业绿码 (ADR 0151) ----------------------------------------------------------------------
    ("POST", "/v1/green-codes/{report_year}"): [
        Entry(post("/v1/green-codes/2025", {"effective_on": "2026-09-01"}), {MINISTRY: 201})
    ],
    ("POST", "/v1/green-codes/{report_year}/applications"): [
        Entry(
            by_role(
                {
                    MINISTRY: lambda w: Call(
                        "POST",
                        "/v1/green-codes/2023/applications",
                        {"listing_id": str(w["reviewed"])},
                    ),
                    "*": lambda w: Call(
                        "POST",
                        "/v1/green-codes/2023/applications",
                        {"listing_id": str(w["assessed"])},
                    ),
                },
                "*",
            ),
            {MINISTRY: 201, PROVINCE: 201},
        )
    ],
    ("POST", "/v1/green-codes/{report_year}/grades"): [
        Entry(
            lambda w, r: Call(
                "POST",
                "/v1/green-codes/2024/grades",
                {"listing_id": str(w["filing"]), "grade": "A"},
            ),
            {MINISTRY: 201},
        )
    ],
    ("GET", "/v1/green-codes"): [
        Entry(lambda w, r: Call("GET", "/v1/green-codes", params={"report_year": 2023}), readers())
    ],
    ("GET", "/v1/green-codes.xlsx"): [
        Entry(
            lambda w, r: Call("GET", "/v1/green-codes.xlsx", params={"report_year": 2023}),
            readers(),
        )
    ],
    # -- the re-benchmark (ADR 0152) --------------------------------------------------------------
    ("POST", "/v1/rebenchmark/{year}"): [
        Entry(
            post(
                "/v1/rebenchmark/2026",
                {
                    "due_on": "2027-03-31",
                    "requirements": {"doc_no": "示例对标要求〔2026〕1号", "date": "2026-11-01"},
                    "effective_on": "2026-11-01",
                },
            ),
            {MINISTRY: 201},
        )
    ],
    ("POST", "/v1/rebenchmark/{year}/results"): [
        Entry(
            by_role(
                {
                    MINISTRY: lambda w: Call(
                        "POST", "/v1/rebenchmark/2025/results", rebenchmarked(w["reviewed"])
                    ),
                    "*": lambda w: Call(
                        "POST", "/v1/rebenchmark/2025/results", rebenchmarked(w["assessed"])
                    ),
                },
                "*",
            ),
            {MINISTRY: 201, PROVINCE: 201},
        )
    ],
    ("POST", "/v1/rebenchmark/{year}/flags"): [
        Entry(post("/v1/rebenchmark/2025/flags", {"effective_on": "2026-04-01"}), {MINISTRY: 200})
    ],
    ("GET", "/v1/rebenchmark/{year}"): [Entry(get("/v1/rebenchmark/2025"), readers())],
    # -- listings -------------------------------------------------------------------------------
    ("POST", "/v1/listings"): [
        Entry(
            lambda w, r: Call(
                "POST",
                "/v1/listings",
                {
                    "enterprise_id": str(w["nominee"]),
                    "category": "green_factory",
                    "level": "national",
                    "batch_year": 2024,
                    "self_evaluation": {"title": "绿色工厂自评价报告"},
                    "third_party_evaluation": {"assessor_id": str(w["assessor"]), **EVALUATION},
                    "effective_on": "2024-05-10",
                },
            ),
            {PROVINCE: 201},
        )
    ],
    ("POST", "/v1/listings/{listing_id}/filings"): [
        Entry(
            post(
                "/v1/listings/{filing}/filings",
                {
                    "report_year": 2023,
                    "indicators": {"energy_per_unit_product": {"value": 500, "unit": "kgce/t"}},
                    "effective_on": "2024-03-30",
                },
            ),
            {PROVINCE: 201},
        )
    ],
    ("POST", "/v1/listings/{listing_id}/filings/{year}/review"): [
        Entry(
            post("/v1/listings/{reviewed}/filings/2023/review", {"outcome": "compliant"}),
            {PROVINCE: 200},
        )
    ],
    ("POST", "/v1/listings/{listing_id}/assessments"): [
        Entry(post("/v1/listings/{assessed}/assessments", {"reason": "例行核查"}), {PROVINCE: 201})
    ],
    ("POST", "/v1/listings/{listing_id}/assessments/{assessment_id}/conclusion"): [
        Entry(
            post(
                "/v1/listings/{concluded}/assessments/{assessment}/conclusion", {"outcome": "meets"}
            ),
            {PROVINCE: 200},
        )
    ],
    ("POST", "/v1/listings/{listing_id}/proposals"): [
        Entry(
            post(
                "/v1/listings/{proposed}/proposals", {"action": "retain", "reasons": ["整改到位"]}
            ),
            {PROVINCE: 201},
        )
    ],
    ("POST", "/v1/listings/{listing_id}/stars"): [
        Entry(
            post(
                "/v1/listings/{starred}/stars",
                {
                    "stars": 4,
                    "announcement": {"doc_no": "苏工信节能〔2024〕9号", "date": "2024-06-01"},
                },
            ),
            {PROVINCE: 201},
        )
    ],
    ("POST", "/v1/listings/{listing_id}/removal"): [
        Entry(post("/v1/listings/{removed}/removal", {"reasons": ["withdrawn"]}), {MINISTRY: 200})
    ],
    ("POST", "/v1/listings/{listing_id}/removal/rescission"): [
        Entry(
            post("/v1/listings/{rescinded}/removal/rescission", {"reason": "更正"}), {MINISTRY: 200}
        )
    ],
    # -- assessors -------------------------------------------------------------------------------
    ("POST", "/v1/assessors"): [
        Entry(
            post(
                "/v1/assessors",
                {
                    "name": "新评价机构",
                    "uscc": credit_code(77, prefix="91110000MA"),
                    "senior_staff": 6,
                    "intermediate_staff": 8,
                },
            ),
            {MINISTRY: 201},
        )
    ],
    ("POST", "/v1/assessors/{assessor_id}/blacklisting"): [
        Entry(
            post("/v1/assessors/{to_blacklist}/blacklisting", {"reason": "数据造假"}),
            {MINISTRY: 200},
        )
    ],
    ("POST", "/v1/assessors/{assessor_id}/blacklisting/lifting"): [
        Entry(
            post("/v1/assessors/{blacklisted}/blacklisting/lifting", {"reason": "复核撤销"}),
            {MINISTRY: 200},
        )
    ],
    ("POST", "/v1/assessors/{assessor_id}/evaluations"): [
        Entry(
            lambda w, r: Call(
                "POST",
                f"/v1/assessors/{w['assessor']}/evaluations",
                {"listing_id": str(w["evaluated"]), **EVALUATION},
            ),
            {ASSESSOR: 201},
        )
    ],
    ("GET", "/v1/evaluations"): [
        Entry(get("/v1/evaluations"), {ASSESSOR: 200, OTHER_ASSESSOR: 200})
    ],
    ("POST", "/v1/evaluations/{evaluation_id}/confirmation"): [
        # Another assessor does not hold that evaluation: 404, and nothing is written.
        Entry(
            post("/v1/evaluations/{cited}/confirmation", {}), {ASSESSOR: 200, OTHER_ASSESSOR: 404}
        )
    ],
    ("POST", "/v1/assessors/{assessor_id}/work-reports"): [
        Entry(
            lambda w, r: Call(
                "POST",
                f"/v1/assessors/{w['assessor']}/work-reports",
                {
                    "report_year": 2023,
                    "report": {"title": "2023年度工作报告"},
                    "evaluations": 1,
                    "passed": 1,
                },
            ),
            {ASSESSOR: 201},
        )
    ],
    ("GET", "/v1/assessors/pass-rates"): [Entry(get("/v1/assessors/pass-rates"), everyone())],
    # -- imports ----------------------------------------------------------------------------------
    ("POST", "/v1/imports/published-lists"): [
        Entry(
            lambda w, r: Call("POST", "/v1/imports/published-lists", files=published_parks()),
            {MINISTRY: 201},
        )
    ],
    ("POST", "/v1/imports/announcements"): [
        Entry(
            lambda w, r: Call("POST", "/v1/imports/announcements", files=announced_factory()),
            {MINISTRY: 201},
        )
    ],
    ("POST", "/v1/imports/provincial-lists"): [
        Entry(
            lambda w, r: Call(
                "POST",
                "/v1/imports/provincial-lists",
                files=[("file", ("list.csv", "序号,名称,星级\n".encode(), "text/csv"))],
                data={"year": "2024", "doc_no": "示例〔2024〕1号", "date": "2024-12-01"},
            ),
            # Any province imports its own region's list (ADR 0143); an empty one writes only
            # the opening of its round.
            {PROVINCE: 201, OTHER_PROVINCE: 201},
        )
    ],
    ("POST", "/v1/imports/filings"): [
        Entry(
            lambda w, r: Call("POST", "/v1/imports/filings", files=empty_filing_tables()),
            # Any province files its own region's tables; a row of another region is refused
            # row by row (tests/api/test_filings.py).
            {PROVINCE: 200, OTHER_PROVINCE: 200},
        )
    ],
    # -- the province's year ---------------------------------------------------------------------
    ("GET", "/v1/filings"): [Entry(own_region("/v1/filings"), PROVINCE_READERS)],
    ("GET", "/v1/templates/filings.xlsx"): [
        Entry(own_region("/v1/templates/filings.xlsx"), PROVINCE_READERS)
    ],
    ("GET", "/v1/exports/filings.xlsx"): [
        Entry(own_region("/v1/exports/filings.xlsx"), REPORT_READERS)
    ],
    ("GET", "/v1/exports/dynamic-management.xlsx"): [
        Entry(own_region("/v1/exports/dynamic-management.xlsx"), REPORT_READERS)
    ],
    ("GET", "/v1/exports/nominations.xlsx"): [
        Entry(own_region("/v1/exports/nominations.xlsx", batch_year=2022), REPORT_READERS)
    ],
    # -- queries -----------------------------------------------------------------------------------
    ("GET", "/v1/list"): [
        Entry(lambda w, r: Call("GET", "/v1/list"), {**everyone(), REVOKED: 401}),
        Entry(
            lambda w, r: Call("GET", "/v1/list", params={"known_at": "2024-01-01T00:00:00Z"}),
            with_token(),
        ),
    ],
    ("GET", "/v1/listings/{listing_id}"): [Entry(get("/v1/listings/{filing}"), readers())],
    ("GET", "/v1/listings/{listing_id}/history"): [
        Entry(get("/v1/listings/{filing}/history"), readers())
    ],
    ("GET", "/v1/listings/{listing_id}/explanation"): [
        Entry(get("/v1/listings/{rescinded}/explanation"), readers())
    ],
    ("GET", "/v1/enterprises/{enterprise_id}/history"): [
        Entry(get("/v1/enterprises/{incidents}/history"), readers())
    ],
    ("GET", "/v1/enterprises/{enterprise_id}/eligibility"): [
        Entry(get("/v1/enterprises/{nominee}/eligibility"), readers())
    ],
    ("GET", "/v1/statistics"): [Entry(get("/v1/statistics"), readers())],
    ("GET", "/v1/indicators"): [
        Entry(
            lambda w, r: Call("GET", "/v1/indicators", params={"category": "green_park"}),
            everyone(),
        )
    ],
    ("GET", "/v1/statistics/timeline"): [Entry(get("/v1/statistics/timeline"), readers())],
    ("GET", "/v1/lookup"): [
        Entry(lambda w, r: Call("GET", "/v1/lookup", params={"name": "钢铁"}), public())
    ],
    ("GET", "/v1/assessors/{assessor_id}/workload"): [
        Entry(get("/v1/assessors/{assessor}/workload"), {**readers(), ASSESSOR: 200})
    ],
    ("GET", "/v1/audit/replay"): [Entry(get("/v1/audit/replay"), audit_readers())],
    ("GET", "/v1/audit/reports"): [Entry(get("/v1/audit/reports"), audit_readers())],
    ("GET", "/v1/audit/reports/{report_id}"): [
        Entry(get("/v1/audit/reports/{report}"), audit_readers())
    ],
    ("GET", "/v1/audit/reports/{report_id}.xlsx"): [
        Entry(get("/v1/audit/reports/{report}.xlsx"), audit_readers())
    ],
    ("GET", "/v1/audit/reports/{report_id}/evidence"): [
        Entry(get("/v1/audit/reports/{report}/evidence"), audit_readers())
    ],
    ("POST", "/v1/audit/reports"): [
        Entry(lambda w, r: Call("POST", "/v1/audit/reports", {"rulebook": "2024"}), {AUDITOR: 202})
    ],
    ("GET", "/v1/exports/list.xlsx"): [Entry(get("/v1/exports/list.xlsx"), readers())],
    ("GET", "/v1/exports/list.csv"): [Entry(get("/v1/exports/list.csv"), readers())],
    ("GET", "/v1/batches/{year}"): [Entry(get("/v1/batches/2022"), readers())],
    # -- publishing outward: public reads, the ministry's webhooks -------------------------------
    ("GET", "/v1/feed"): [Entry(get("/v1/feed"), public())],
    ("GET", "/v1/feed.atom"): [Entry(get("/v1/feed.atom"), public())],
    ("GET", "/v1/changes"): [
        Entry(lambda w, r: Call("GET", "/v1/changes", params={"from": "2022-12-31"}), public())
    ],
    ("GET", "/v1/changes.xlsx"): [
        Entry(lambda w, r: Call("GET", "/v1/changes.xlsx", params={"from": "2022-12-31"}), public())
    ],
    ("GET", "/v1/listings/{listing_id}/certificate"): [
        Entry(get("/v1/listings/{filing}/certificate"), public())
    ],
    ("POST", "/v1/subscriptions"): [
        Entry(post("/v1/subscriptions", {"url": "http://127.0.0.1:9/hook"}), {MINISTRY: 201})
    ],
    ("GET", "/v1/subscriptions"): [Entry(get("/v1/subscriptions"), {MINISTRY: 200})],
    ("GET", "/v1/subscriptions/{subscription_id}/deliveries"): [
        Entry(get("/v1/subscriptions/{subscription}/deliveries"), {MINISTRY: 200})
    ],
    # -- the seal ---------------------------------------------------------------------------------
    ("GET", "/v1/ledger/head"): [Entry(get("/v1/ledger/head"), public())],
    ("GET", "/v1/ledger/heads"): [Entry(get("/v1/ledger/heads"), public())],
    ("GET", "/v1/ledger/public-key"): [Entry(get("/v1/ledger/public-key"), public())],
    ("GET", "/v1/ledger/proofs/inclusion"): [
        Entry(
            lambda w, r: Call("GET", "/v1/ledger/proofs/inclusion", params={"position": 1}),
            with_token(),
        )
    ],
    ("GET", "/v1/ledger/proofs/consistency"): [
        Entry(
            lambda w, r: Call("GET", "/v1/ledger/proofs/consistency", params={"first": 1}),
            with_token(),
        )
    ],
}


def app_routes() -> set[tuple[str, str]]:
    """(method, path) of every operation the app serves, as its OpenAPI document lists them."""
    app = create_app(Settings(database_url="memory://"))
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }


def test_the_matrix_has_an_entry_for_every_route_of_the_app() -> None:
    assert set(MATRIX) == app_routes()


def build_world(api: LiveApi) -> tuple[World, dict[str, Caller]]:
    """Every record the table names, and a caller of each kind."""
    w = World()
    ministry, jiangsu = api.ministry(), api.province(JIANGSU)
    world_assessor = register_assessor(ministry, 1)
    w.ids["assessor"] = register_assessor(ministry, 2)
    other_assessor = register_assessor(ministry, 3)
    w.ids["to_blacklist"] = register_assessor(ministry, 4)
    w.ids["blacklisted"] = register_assessor(ministry, 5)
    expect(
        ministry.post(
            f"/v1/assessors/{w['blacklisted']}/blacklisting",
            {"reason": "数据造假", "effective_on": "2023-03-01"},
        ),
        200,
    )
    for name in ("renamed", "uncoded_1", "uncoded_2", "incidents", "nominee"):
        w.ids[name] = register_enterprise(jiangsu, f"江苏{name}有限公司")
    on_incidents = f"/v1/enterprises/{w['incidents']}/incidents"
    w.ids["retracted"] = created_id(jiangsu.post(on_incidents, incident()))
    overdue = incident("energy_rectification_overdue")
    w.ids["rectified_1"] = created_id(jiangsu.post(on_incidents, overdue))
    w.ids["rectified_2"] = created_id(jiangsu.post(on_incidents, overdue))
    debtor = incident("dishonest_debtor")
    w.ids["ended_1"] = created_id(jiangsu.post(on_incidents, debtor))
    w.ids["ended_2"] = created_id(jiangsu.post(on_incidents, debtor))

    open_batch(ministry, 2022, "2022-09-16")
    listed = ("filing", "reviewed", "assessed", "concluded", "proposed", "removed", "rescinded")
    for name in listed:
        enterprise = register_enterprise(jiangsu, f"江苏{name}工厂有限公司")
        w.ids[name] = nominate(jiangsu, enterprise, world_assessor)
    publish(ministry, 2022, [w[name] for name in listed])
    expect(
        jiangsu.post(
            f"/v1/listings/{w['reviewed']}/filings",
            {
                "report_year": 2023,
                "indicators": {"energy_per_unit_product": {"value": 500, "unit": "kgce/t"}},
                "effective_on": "2024-03-30",
            },
        ),
        201,
    )
    w.ids["assessment"] = created_id(
        jiangsu.post(
            f"/v1/listings/{w['concluded']}/assessments",
            {"reason": "例行核查", "effective_on": "2024-05-06"},
        )
    )
    expect(
        ministry.post(
            f"/v1/listings/{w['rescinded']}/removal",
            {"reasons": ["withdrawn"], "effective_on": "2024-01-05"},
        ),
        200,
    )

    open_batch(jiangsu, 2023, "2023-09-01", level="provincial")
    for name in ("to_publish", "evaluated", "starred"):
        enterprise = register_enterprise(jiangsu, f"江苏{name}企业有限公司")
        w.ids[name] = nominate(
            jiangsu, enterprise, world_assessor, year=2023, day="2023-10-20", level="provincial"
        )
    cited = nominate(
        jiangsu,
        register_enterprise(jiangsu, "江苏cited企业有限公司"),
        w["assessor"],
        year=2023,
        day="2023-10-20",
        level="provincial",
    )
    w.ids["cited"] = evaluation_id_for(w["assessor"], cited, 2023)
    expect(
        jiangsu.post(
            "/v1/batches/2023/publication",
            {
                "level": "provincial",
                "listed": [str(w["starred"])],
                "announcement": {"doc_no": "苏工信节能〔2024〕1号", "date": "2024-01-05"},
            },
        ),
        200,
    )
    open_batch(ministry, 2024, "2024-03-01")
    publicised = register_enterprise(jiangsu, "江苏公示企业有限公司")
    for chosen in (publicised, w["nominee"]):  # REC-2: national factories from the provincial list
        on_provincial_list(jiangsu, chosen, "2023-12-01")
    w.ids["publicised"] = nominate(jiangsu, publicised, world_assessor, year=2024, day="2024-05-01")
    expect(
        ministry.post(
            "/v1/batches/2024/publicity",
            {
                "nominees": [str(w["publicised"])],
                "announcement": {"doc_no": "示例公示〔2024〕1号", "date": "2024-12-01"},
                "effective_on": "2024-12-01",
            },
        ),
        201,
    )
    expect(
        ministry.post(
            "/v1/rebenchmark/2025",
            {
                "due_on": "2026-03-31",
                "requirements": {"doc_no": "工信厅节函〔2025〕390号", "date": "2025-11-01"},
                "effective_on": "2025-11-01",
            },
        ),
        201,
    )
    w.ids["subscription"] = created_id(
        ministry.post("/v1/subscriptions", {"url": "http://127.0.0.1:9/hook"})
    )
    w.ids["report"] = finished_report(api)
    api.settled()  # the matrix's reads pass no min_position: the views must hold the world

    revoked = api.ministry()
    assert revoked.token is not None
    api.tokens.revoke(revoked.token)
    callers = {
        MINISTRY: ministry,
        PROVINCE: jiangsu,
        OTHER_PROVINCE: api.province(ZHEJIANG),
        AUDITOR: api.auditor(),
        ASSESSOR: api.assessor(w["assessor"]),
        OTHER_ASSESSOR: api.assessor(other_assessor),
        ANONYMOUS: api.anonymous,
        REVOKED: revoked,
    }
    return w, callers


def finished_report(api: LiveApi) -> UUID:
    """A stored audit report of the world, once its background thread has ended."""
    report_id = UUID(expect(api.auditor().post("/v1/audit/reports", {}), 202)["report_id"])
    assert api.app is not None
    api.app.state.audit_desk.wait(report_id)
    return report_id


def send(caller: Caller, call: Call) -> httpx.Response:
    headers = caller.headers()
    if call.files is not None:
        return caller.client.post(call.path, files=call.files, data=call.data, headers=headers)
    if call.method == "GET":
        return caller.client.get(call.path, params=dict(call.params or {}), headers=headers)
    return caller.client.post(call.path, json=call.body or {}, headers=headers)


@pytest.fixture
def api(sql_database_url: str, tmp_path: Path) -> Iterator[LiveApi]:
    create_signing_key(tmp_path / "seal.pem")  # the server certifies and signs heads
    with live_api(sql_database_url, signing_key_path=tmp_path / "seal.pem") as served:
        yield served


def test_every_route_lets_through_exactly_the_callers_the_matrix_names(api: LiveApi) -> None:
    world, callers = build_world(api)
    wrong: list[str] = []
    with Ledger.open(api.database_url) as ledger:
        for (method, path), entries in MATRIX.items():
            for entry in entries:
                refused = [role for role in ROLES if role not in entry.allowed]
                for role in (*refused, *entry.allowed):  # the refused first: they write nothing
                    call = entry.call(world, role)
                    before = ledger.position
                    response = send(callers[role], call)
                    expected = entry.expected(role)
                    if response.status_code != expected:
                        wrong.append(
                            f"{method} {path} as {role}: {response.status_code}, expected "
                            f"{expected}: {response.text[:200]}"
                        )
                    if role not in entry.allowed and ledger.position != before:
                        wrong.append(f"{method} {path} as {role}: refused, but wrote events")

    assert wrong == []
