"""A fictitious unit (the demo's) is never shown as if real: the list's rows and the unit page
carry a badge, the API's list and listing answers say `synthetic`, the export has a column."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import httpx
import pytest

from api.exports import FICTITIOUS_CELL, HEADERS, REAL_CELL
from api.http.auth import Role
from domain.ledger import Ledger
from domain.loading.demo import fictitious_uscc
from domain.values import Region
from tests.builders import ANNOUNCEMENT, by_ministry, by_province, open_batch
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import expect

FICTITIOUS = "示例江苏青禾钢铁有限公司"
REAL = "江苏绿源钢铁有限公司"
FICTITIOUS_EVALUATOR = "示例江苏绿色评价中心有限公司"
BADGE = '<span class="badge synthetic"'


def list_two_factories(ledger: Ledger) -> dict[str, UUID]:
    """A fictitious factory (registered synthetic) and a real-looking one, both listed; and a
    fictitious evaluator."""
    open_batch(ledger)
    ledger.register_assessor(
        name=FICTITIOUS_EVALUATOR,
        uscc=fictitious_uscc(Region.of("320000"), 1),
        senior_staff=6,
        intermediate_staff=10,
        synthetic=True,
        provenance=by_ministry(date(2022, 6, 1)),
    )
    listings: dict[str, UUID] = {}
    for name, synthetic in ((FICTITIOUS, True), (REAL, False)):
        enterprise = ledger.register_enterprise(
            name=name,
            region="320000",
            synthetic=synthetic,
            provenance=by_province(date(2022, 9, 20)),
        )
        assert enterprise.id is not None
        listing = ledger.nominate_listing(
            enterprise_id=enterprise.id,
            category="green_factory",
            level="national",
            batch_year=2022,
            provenance=by_province(date(2022, 10, 1)),
        )
        assert listing.id is not None
        listings[name] = listing.id
    ledger.publish_batch(
        level="national",
        batch_year=2022,
        announcement=ANNOUNCEMENT,
        listed=list(listings.values()),
        provenance=by_ministry(date(2023, 3, 23)),
    )
    return listings


@dataclass(frozen=True)
class Served:
    api: LiveApi
    listings: dict[str, UUID]

    @contextmanager
    def browser(self, role: Role | None = None) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=self.api.base_url, timeout=60) as client:
            if role is not None:
                token = self.api.tokens.create(role).token
                client.post("/sign-in", data={"token": token, "next": "/"})
            yield client


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fictitious') / 'ledger.db'}"
    ledger = Ledger.open(url)
    try:
        listings = list_two_factories(ledger)
    finally:
        ledger.close()
    with live_api(url) as api:  # the server catches its read side up on start
        yield Served(api, listings)


def test_the_anonymous_list_says_which_unit_is_fictitious(
    served: Served,
) -> None:
    answer = expect(served.api.anonymous.get("/v1/list", as_of="2023-06-30"), 200)

    marked = {item["name"]: item["synthetic"] for item in answer["items"]}

    assert marked == {FICTITIOUS: True, REAL: False}


def test_a_listing_answer_says_it_is_fictitious(served: Served) -> None:
    ministry, listings = served.api.ministry(), served.listings

    fictitious = expect(ministry.get(f"/v1/listings/{listings[FICTITIOUS]}"), 200)
    real = expect(ministry.get(f"/v1/listings/{listings[REAL]}"), 200)

    assert (fictitious["synthetic"], real["synthetic"]) == (True, False)


def test_the_list_page_badges_the_fictitious_row_only(
    served: Served,
) -> None:
    with served.browser() as browser:
        html = browser.get("/", params={"as_of": "2023-06-30"}).text

    rows = {row.split("</tr>")[0] for row in html.split("<tr>")[1:]}
    (fictitious,) = [row for row in rows if FICTITIOUS in row]
    (real,) = [row for row in rows if REAL in row]
    assert BADGE in fictitious
    assert "示例·虚构" in fictitious
    assert BADGE not in real


def test_the_unit_page_of_a_fictitious_unit_says_so_under_its_name(
    served: Served,
) -> None:
    listings = served.listings
    with served.browser(Role.MINISTRY) as browser:
        fictitious = browser.get(f"/units/{listings[FICTITIOUS]}").text
        real = browser.get(f"/units/{listings[REAL]}").text

    assert 'id="synthetic"' in fictitious
    assert "演示用的虚构单位，并非真实企业或园区" in fictitious
    assert 'id="synthetic"' not in real


def test_the_export_has_a_column_for_fictitious_units(
    served: Served,
) -> None:
    ministry = served.api.ministry()

    response = ministry.get("/v1/exports/list.csv", as_of="2023-06-30")

    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = HEADERS.index("示例数据")
    assert tuple(table[0]) == HEADERS
    assert {row[2]: row[column] for row in table[1:]} == {
        FICTITIOUS: FICTITIOUS_CELL["zh"],
        REAL: REAL_CELL["zh"],
    }


def test_the_public_pass_rates_say_which_evaluator_is_fictitious(served: Served) -> None:
    answer = expect(served.api.anonymous.get("/v1/assessors/pass-rates"), 200)
    with served.browser() as browser:
        page = browser.get("/assessors/pass-rates").text

    assert {item["name"]: item["synthetic"] for item in answer["items"]} == {
        FICTITIOUS_EVALUATOR: True
    }
    (row,) = [row for row in page.split("<tr>") if FICTITIOUS_EVALUATOR in row]
    assert BADGE in row
