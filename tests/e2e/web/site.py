"""A small ledger served for the page tests, and browsers-in-code (httpx clients with cookies)
signed in as each kind of official.

The story: the ministry opens the 2022 round; Jiangsu nominates two factories, Zhejiang one; the
ministry lists all three on 2023-03-23; Jiangsu's 2023 filing for 蓝天纺织 is found non-compliant
(flagged); the ministry removes 绿源钢铁 on 2024-01-05 for a refused filing, on an announcement with
its official URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx

from api.http.auth import Role
from tests.e2e.http.live import LiveApi
from tests.e2e.http.world import (
    JIANGSU,
    ZHEJIANG,
    expect,
    nominate,
    open_batch,
    publish,
    register_assessor,
    register_enterprise,
)

REMOVED_NAME = "江苏绿源钢铁有限公司"
FLAGGED_NAME = "江苏蓝天纺织有限公司"
ZHEJIANG_NAME = "浙江青山造纸有限公司"
REMOVAL_URL = "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2024/removal-notice.html"
REMOVAL_DOC_NO = "工信厅节函〔2024〕1号"


@dataclass(frozen=True)
class World:
    removed: UUID
    flagged: UUID
    zhejiang: UUID
    assessor_id: UUID


def build_world(api: LiveApi) -> World:
    ministry, jiangsu, zhejiang = api.ministry(), api.province(JIANGSU), api.province(ZHEJIANG)
    assessor_id = register_assessor(ministry)
    open_batch(ministry, 2022, "2022-09-16")
    removed = nominate(jiangsu, register_enterprise(jiangsu, REMOVED_NAME), assessor_id)
    flagged = nominate(jiangsu, register_enterprise(jiangsu, FLAGGED_NAME), assessor_id)
    in_zhejiang = nominate(
        zhejiang,
        register_enterprise(zhejiang, ZHEJIANG_NAME, region=ZHEJIANG),
        assessor_id,
    )
    publish(ministry, 2022, [removed, flagged, in_zhejiang])
    expect(
        jiangsu.post(
            f"/v1/listings/{flagged}/filings",
            {
                "report_year": 2023,
                "indicators": {"energy_per_unit_product": {"value": 640.2, "unit": "kgce/t"}},
                "effective_on": "2024-03-30",
            },
        ),
        201,
    )
    expect(
        jiangsu.post(
            f"/v1/listings/{flagged}/filings/2023/review",
            {
                "outcome": "non_compliant",
                "findings": ["单位产品综合能耗高于标杆值"],
                "effective_on": "2024-04-10",
            },
        ),
        200,
    )
    expect(
        ministry.post(
            f"/v1/listings/{removed}/removal",
            {
                "reasons": ["refused_filing"],
                "announcement": {"doc_no": REMOVAL_DOC_NO, "url": REMOVAL_URL},
                "basis": [{"doc_no": REMOVAL_DOC_NO, "title": "移出通知", "url": REMOVAL_URL}],
                "effective_on": "2024-01-05",
            },
        ),
        200,
    )
    api.settled()
    return World(removed, flagged, in_zhejiang, assessor_id)


@dataclass
class Site:
    """The served ledger with its world; `browser(role)` opens a cookie-keeping client."""

    api: LiveApi
    world: World

    @contextmanager
    def browser(
        self, role: Role | None = None, *, region: str | None = None, assessor_id: Any = None
    ) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=self.api.base_url, timeout=60) as client:
            if role is not None:
                issued = self.api.tokens.create(role, region=region, assessor_id=assessor_id)
                signed_in = client.post(
                    "/sign-in", data={"token": issued.token, "next": "/"}, follow_redirects=False
                )
                assert signed_in.status_code == 303, signed_in.text
            yield client


def text_of(html: str) -> str:
    """What a reader sees: the page without its tags, spaces squeezed."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", without_tags).strip()


def unit_links(html: str) -> list[str]:
    return re.findall(r'href="(/units/[0-9a-f-]{36}[^"]*)"', html)
