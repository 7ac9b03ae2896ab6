"""What the print writer puts in a cell: a text stays a text (never a formula), a control
character that a worksheet cannot hold becomes U+FFFD instead of failing the export, a date is a
date cell."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from api.printing import Column, PrintableSheet, printable_workbook

pytestmark = pytest.mark.unit


def test_texts_dates_and_control_characters_are_written_safely() -> None:
    content = printable_workbook(
        [
            PrintableSheet(
                name="名单",
                title="名称含“\x1c”",
                columns=[Column("名称", "Name"), Column("纳入日期", "Listed on", "date")],
                rows=[("=SUM(A1:A9)", date(2023, 3, 23))],
            )
        ]
    )

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet["A1"].value == "名称含“\ufffd”"
    assert sheet["A3"].data_type == "s"
    assert sheet["A3"].value == "=SUM(A1:A9)"
    assert sheet["B3"].is_date
