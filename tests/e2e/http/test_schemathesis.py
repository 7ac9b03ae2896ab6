"""The API against its own OpenAPI document: generated requests to every operation, as the
ministry, over real HTTP — no 5xx, and no answer that breaks the documented schema.

A bounded number of cases per operation keeps the run to a minute or two (it runs in `make test`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.http.app import create_app
from api.settings import Settings
from seal.signing import create_signing_key
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import listed_factories

#: Cases per operation: enough to reach past the happy path, few enough for CI.
CASES_PER_OPERATION = 25

schema = schemathesis.openapi.from_dict(create_app(Settings(database_url="memory://")).openapi())


def not_a_server_error_but_a_wait(ctx: Any, response: Any, case: schemathesis.Case[Any]) -> Any:
    """No 5xx, except the documented 503 of a read asked to wait for a position the ledger has
    not reached (ADR 0130): with `Retry-After`, as a problem naming the wait."""
    if response.status_code == 503 and "read-side-behind" in response.text:
        assert (
            response.headers.get("retry-after") == ["1"]
            or response.headers.get("retry-after") == "1"
        )
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [
    not_a_server_error_but_a_wait,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveApi, str]]:
    """A SQLite ledger with a listed factory, served with a signing key; and a ministry token."""
    folder = Path(tmp_path_factory.mktemp("schemathesis"))
    create_signing_key(folder / "seal.pem")
    with live_api(
        f"sqlite:///{folder / 'ledger.db'}",
        signing_key_path=folder / "seal.pem",
        read_wait_seconds=0.05,
    ) as api:
        ministry = api.ministry()
        listed_factories(ministry, api.province("320000"), ["江苏绿源钢铁有限公司"])
        assert ministry.token is not None
        yield api, ministry.token


@schema.parametrize()
@settings(
    max_examples=CASES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_generated_request_breaks_the_server_or_the_schema(
    case: schemathesis.Case[Any], served: tuple[LiveApi, str]
) -> None:
    api, token = served
    case.call_and_validate(
        base_url=api.base_url, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
    )
