"""The page tests' ledger: one small world per store, served once per module (the pages only
read it), on SQLite and PostgreSQL like the rest of the suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.api.live import live_api
from tests.conftest import SQL_BACKENDS, empty_postgres
from tests.web.site import Site, build_world


@pytest.fixture(scope="module", params=SQL_BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'ledger.db'}"
    else:
        url = str(request.getfixturevalue("postgres_database"))
        empty_postgres(url)
    with live_api(url) as api:
        yield Site(api, build_world(api))


# -- a real browser (ADR 0072) -----------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's Chromium; under CI its absence fails the run (.ci/run installs it)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()
