"""Reading a transcribed annex from an XLSX file: the first sheet as rows of cell texts.

The domain reads CSV itself and takes XLSX through this reader (it imports no spreadsheet
library): `domain.announcements.SpreadsheetReader`. Used by `greenledger import announcements`
and `POST /v1/imports/announcements`.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


def cell_text(value: object) -> str:
    """A cell as the annex printed it: a whole number without `.0`, a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_first_sheet(content: bytes) -> list[list[str]]:
    """The first sheet's rows, each a list of cell texts; ValueError when it is no XLSX."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise ValueError(type(error).__name__) from error
    try:
        sheet = workbook.worksheets[0]
        return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
