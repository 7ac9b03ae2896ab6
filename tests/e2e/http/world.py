"""Set-ups over HTTP: the bodies a user would send, in the order the regulation runs.

Every helper asserts the status it expects and returns what the answer says, so a test reads as
the story of the ledger: the ministry opens the 2022 round, Jiangsu nominates a factory, the
ministry publishes the list …
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from domain.values import uscc_check_character
from tests.e2e.http.live import Caller

JIANGSU = "320000"
ZHEJIANG = "330000"
ANNOUNCEMENT_2022 = {"doc_no": "工信厅节函〔2023〕64号", "date": "2023-03-23"}
BASIS = [{"doc_no": "苏工信节能〔2023〕12号", "title": "省级审核意见"}]


def credit_code(number: int, prefix: str = "91320000MA") -> str:
    """A valid Unified Social Credit Code, distinct for each number."""
    first17 = f"{prefix}{number:07d}"
    return first17 + uscc_check_character(first17)


def expect(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url.path}: {response.status_code} "
        f"{response.text}"
    )
    return response.json()


def created_id(response: httpx.Response, status: int = 201) -> UUID:
    return UUID(expect(response, status)["id"])


def register_assessor(ministry: Caller, number: int = 1, group: str | None = None) -> UUID:
    return created_id(
        ministry.post(
            "/v1/assessors",
            {
                "name": f"第三方评价机构{number}",
                "uscc": credit_code(number, prefix="91110000MA"),
                "group": group,
                "senior_staff": 6,
                "intermediate_staff": 8,
                "effective_on": "2022-09-01",
            },
        )
    )


def open_batch(ministry: Caller, year: int, day: str, level: str = "national") -> UUID:
    return created_id(
        ministry.post("/v1/batches", {"level": level, "year": year, "effective_on": day})
    )


def register_enterprise(
    writer: Caller, name: str, region: str = JIANGSU, day: str = "2022-09-20", **more: Any
) -> UUID:
    body = {"name": name, "region": region, "effective_on": day, "basis": BASIS, **more}
    return created_id(writer.post("/v1/enterprises", body))


def nominate(
    province: Caller,
    enterprise_id: UUID,
    assessor_id: UUID,
    *,
    year: int = 2022,
    day: str = "2022-10-20",
    level: str = "national",
    category: str = "green_factory",
) -> UUID:
    return created_id(
        province.post(
            "/v1/listings",
            {
                "enterprise_id": str(enterprise_id),
                "category": category,
                "level": level,
                "batch_year": year,
                "self_evaluation": {"title": "绿色工厂自评价报告"},
                "third_party_evaluation": {
                    "assessor_id": str(assessor_id),
                    "report": {"doc_no": f"评价报告-{enterprise_id.hex[:8]}"},
                    "conclusion": "pass",
                },
                "indicators": {"energy_per_unit_product": {"value": 512.3, "unit": "kgce/t"}},
                "effective_on": day,
                "basis": BASIS,
            },
        )
    )


def on_provincial_list(
    province: Caller,
    enterprise_id: UUID,
    day: str,
    region: str = JIANGSU,
    category: str = "green_factory",
) -> UUID:
    """REC-2 (13号, 390号): the province puts the unit on its own list of `category` on `day`
    (its round of that year opened if it is not), so that a national nomination from that day on
    rests on it; the provincial listing's id."""
    year = int(day[:4])
    opened = province.post(
        "/v1/batches", {"level": "provincial", "year": year, "region": region, "effective_on": day}
    )
    assert opened.status_code in (200, 201), opened.text
    body = {
        "enterprise_id": str(enterprise_id),
        "category": category,
        "level": "provincial",
        "batch_year": year,
        "self_evaluation": {"title": "绿色工厂自评价报告"},
        "effective_on": day,
        "basis": BASIS,
    }
    listing = created_id(province.post("/v1/listings", body))
    announcement = {"doc_no": f"示例省级公告〔{year}〕1号", "date": day}
    publication = {
        "level": "provincial",
        "region": region,
        "listed": [str(listing)],
        "announcement": announcement,
    }
    expect(province.post(f"/v1/batches/{year}/publication", publication), 200)
    return listing


def confirm_citations(api: Any, assessor_id: UUID, day: str = "2022-10-25") -> int:
    """The assessor confirms, over HTTP with its own token, every evaluation provinces cited
    (ADR 0110); how many. `api` is a `LiveApi`."""
    from domain.ledger import Ledger

    with Ledger.open(api.database_url) as ledger:
        pending = sorted(ledger.get_assessor(assessor_id).cited)
    assessor = api.assessor(assessor_id)
    for evaluation_id in pending:
        expect(
            assessor.post(f"/v1/evaluations/{evaluation_id}/confirmation", {"effective_on": day}),
            200,
        )
    return len(pending)


def publish(
    ministry: Caller,
    year: int,
    listed: list[UUID],
    *,
    rejected: list[UUID] | None = None,
    announcement: dict[str, str] | None = None,
    level: str = "national",
) -> dict[str, Any]:
    body = {
        "level": level,
        "listed": [str(i) for i in listed],
        "rejected": [str(i) for i in rejected or []],
        "announcement": announcement or ANNOUNCEMENT_2022,
    }
    answer: dict[str, Any] = expect(ministry.post(f"/v1/batches/{year}/publication", body), 200)
    return answer


def listed_factories(
    ministry: Caller, province: Caller, names: list[str], assessor_id: UUID | None = None
) -> list[UUID]:
    """Jiangsu factories nominated in the 2022 round and listed on 2023-03-23."""
    assessor = assessor_id or register_assessor(ministry, 900)
    ministry.post("/v1/batches", {"level": "national", "year": 2022, "effective_on": "2022-09-16"})
    listings = [nominate(province, register_enterprise(province, name), assessor) for name in names]
    publish(ministry, 2022, listings)
    return listings
