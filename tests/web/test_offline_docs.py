"""`/docs` and `/redoc` with no network: their pages name no other host, their assets are served
from this server, and in Chromium, with every request to another host refused, Swagger UI and
ReDoc draw the API's title (ADR 0073)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Route, expect

from api.http.docs import DOCS_ASSET_FILES, DOCS_ASSETS
from tests.api.live import LiveApi, live_api

pytestmark = pytest.mark.e2e

TITLE = "绿色制造名单动态管理台账"
ADDRESS = re.compile(r"""(?:src|href|url)\s*[=:]\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    url = f"sqlite:///{tmp_path_factory.mktemp('docs') / 'ledger.db'}"
    with live_api(url) as served:
        yield served


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_documentation_page_names_no_other_host(api: LiveApi, page: str) -> None:
    html = api.client.get(page).text

    addresses = ADDRESS.findall(html)
    assert addresses, "the page loads nothing?"
    assert [a for a in addresses if urlsplit(a).netloc] == []
    assert "http://" not in html
    assert "https://" not in html


def test_every_documentation_asset_is_served_from_the_package(api: LiveApi) -> None:
    for name in DOCS_ASSET_FILES:
        answer = api.client.get(f"{DOCS_ASSETS}/{name}")
        assert answer.status_code == 200, name
        assert len(answer.content) > 1000, name


@pytest.mark.parametrize(
    ("page", "title"),
    [("/docs", ".swagger-ui .info .title"), ("/redoc", ".api-info h1")],
)
def test_the_documentation_draws_in_chromium_with_no_network(
    api: LiveApi, browser: Browser, page: str, title: str
) -> None:
    refused: list[str] = []
    here = urlsplit(api.base_url).netloc

    def only_this_server(route: Route) -> None:
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context = browser.new_context()
    context.route("**/*", only_this_server)
    tab = context.new_page()
    tab.goto(f"{api.base_url}{page}")
    expect(tab.locator(title)).to_contain_text(TITLE, timeout=30_000)
    context.close()
    assert refused == []


def test_the_openapi_document_is_the_one_the_pages_read(api: LiveApi) -> None:
    document = httpx.get(f"{api.base_url}/openapi.json").json()
    assert document["info"]["title"].startswith(TITLE)
