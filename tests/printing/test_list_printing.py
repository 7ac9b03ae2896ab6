"""The Jiangsu list as LibreOffice prints it: landscape, every name whole, every date a date.

The issue's complaint: opened in LibreOffice, the list printed portrait with every name cut after
six characters and every date as "###". Here the real published lists are imported, Jiangsu's list
is exported as the API and the pages serve it, printed to PDF by LibreOffice Calc, and the PDF's
text is read back.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.exports import ListExport, ListFilter, as_xlsx, read_whole_list
from api.printing import display_width
from domain.ledger import Ledger
from domain.loading.importing import import_published_lists
from domain.loading.published_lists import read_published_lists
from readside.engine.database import Views
from readside.engine.projector import Projector
from tests.printing.spreadsheet_program import print_to_pdf, require_soffice

pytestmark = pytest.mark.integration

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "published-lists"
JIANGSU = "320000"


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Views]:
    require_soffice()
    url = f"sqlite:///{tmp_path_factory.mktemp('printing') / 'ledger.db'}"
    with Ledger.open(url) as ledger:
        import_published_lists(ledger, read_published_lists(SHIPPED))
        opened = Views.open(url)
        Projector(ledger, opened).catch_up()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def jiangsu(views: Views) -> ListExport:
    return read_whole_list(
        views, ListFilter(date(2022, 6, 30), None, None, None, JIANGSU, None, None)
    )


def test_the_workbook_is_laid_out_for_printing(jiangsu: ListExport) -> None:
    sheet = load_workbook(io.BytesIO(as_xlsx(jiangsu))).active
    assert sheet is not None

    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    fitting = sheet.sheet_properties.pageSetUpPr
    assert fitting is not None
    assert fitting.fitToPage is True
    assert sheet.print_title_rows == "$2:$2"
    longest = max(display_width(item.name) for item in jiangsu.rows)
    assert sheet.column_dimensions["C"].width >= longest
    listed_on = sheet["H3"]
    assert listed_on.is_date
    assert listed_on.number_format == "yyyy-mm-dd"


def test_libreoffice_prints_every_name_whole_and_every_date(
    jiangsu: ListExport, tmp_path: Path
) -> None:
    assert len(jiangsu.rows) > 300  # several pages

    printed = print_to_pdf(as_xlsx(jiangsu), tmp_path)

    assert printed.pages
    assert all(width > height for width, height in printed.pages)  # landscape
    assert "绿色制造名单（2022-06-30） · 地区：江苏省" in printed.text
    missing = [
        item.name for item in jiangsu.rows if "".join(item.name.split()) not in printed.squeezed
    ]
    assert missing == []
    expected = Counter(item.listed_on.isoformat() for item in jiangsu.rows if item.listed_on)
    found = Counter(printed.days())
    assert {day: found[day] for day in expected} == expected
    assert "###" not in printed.text
