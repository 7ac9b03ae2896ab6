"""The unit page on a date as known at an instant tells one story: the status above, the
explanation below and the timeline are read for the same two (issue 15)."""

from __future__ import annotations

import re

from api.http.auth import Role
from tests.e2e.web.site import Site, text_of


def test_the_unit_page_before_a_removal_explains_the_status_then_not_the_removal(
    site: Site,
) -> None:
    with site.browser(Role.MINISTRY) as browser:
        page = browser.get(f"/units/{site.world.removed}", params={"as_of": "2023-12-31"})

    shown = text_of(page.text)
    assert page.status_code == 200
    assert "于2023-12-31的状态：在名单" in shown
    assert "已移出" not in shown
    assert "Listing.Removed" not in page.text


def test_the_unit_page_as_known_before_the_ledger_knew_the_unit_is_not_found(
    site: Site,
) -> None:
    with site.browser(Role.MINISTRY) as browser:
        page = browser.get(
            f"/units/{site.world.removed}", params={"known_at": "2000-01-01T00:00:00Z"}
        )

    assert page.status_code == 404


def test_an_anonymous_reader_of_the_list_page_may_not_ask_for_nominations(site: Site) -> None:
    with site.browser() as browser:
        refused = browser.get("/", params={"status": "nominated"})
        removed = browser.get("/", params={"status": "removed"})

    assert refused.status_code == 403
    assert removed.status_code == 200
    assert "江苏绿源钢铁有限公司" in text_of(removed.text)


def test_the_over_time_page_of_a_region_counts_that_region_only(site: Site) -> None:
    with site.browser(Role.MINISTRY) as browser:
        jiangsu = browser.get("/over-time", params={"region": "320000", "from": 2023, "to": 2024})
        zhejiang = browser.get("/over-time", params={"region": "330000", "from": 2023, "to": 2024})
        unknown = browser.get("/over-time", params={"region": "999999"})

    def factories_on_list(html: str, year: int) -> str:
        row = re.search(
            rf'id="table-on-list".*?<th scope="row">{year}</th><td>(\d+)</td>', html, re.S
        )
        assert row is not None
        return row.group(1)

    assert (jiangsu.status_code, zhejiang.status_code, unknown.status_code) == (200, 200, 422)
    # Jiangsu: two factories listed in 2023, one removed on 2024-01-05; Zhejiang: one.
    assert factories_on_list(jiangsu.text, 2023) == "2"
    assert factories_on_list(jiangsu.text, 2024) == "1"
    assert factories_on_list(zhejiang.text, 2024) == "1"


def test_the_unit_page_gives_times_in_beijing_time_and_says_so(site: Site) -> None:
    with site.browser(Role.MINISTRY) as browser:
        page = browser.get(f"/units/{site.world.removed}")

    shown = text_of(page.text)
    assert "北京时间 UTC+8" in shown
    assert " UTC</" not in page.text


def test_the_list_page_numbers_its_pages_and_jumps_to_one_keeping_the_filters(
    site: Site,
) -> None:
    with site.browser() as browser:
        page = browser.get("/", params={"as_of": "2023-06-30", "page_size": "1", "page": "2"})
        jumped = browser.get("/", params={"as_of": "2023-06-30", "page_size": "1", "page": "3"})

    assert page.status_code == 200
    assert '<strong aria-current="page">2</strong>' in page.text
    assert "page=1" in page.text
    assert "page=3" in page.text
    jump = re.search(r'<form method="get" action="/" class="jump">(.*?)</form>', page.text, re.S)
    assert jump is not None
    assert 'name="as_of" value="2023-06-30"' in jump.group(1)
    assert 'name="page_size" value="1"' in jump.group(1)
    assert '<strong aria-current="page">3</strong>' in jumped.text
