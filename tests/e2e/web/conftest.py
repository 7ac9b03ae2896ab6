"""The page tests' ledger: one small world per store, served once per module (the pages only
read it), on SQLite and PostgreSQL like the rest of the suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import SQL_BACKENDS, empty_postgres
from tests.e2e.http.live import live_api
from tests.e2e.web.site import Site, build_world


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
