"""A real spreadsheet program for the print tests: LibreOffice Calc, headless, prints a workbook to
PDF (`soffice --headless --convert-to pdf`), and the PDF's text is read back (pdfminer.six)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTPage

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
DAY = re.compile(r"\d{4}-\d\d-\d\d")


def require_soffice() -> str:
    """LibreOffice's soffice; under CI its absence fails the run (.ci/run installs it)."""
    if not Path(SOFFICE).exists():
        message = "soffice is missing: apt-get install -y libreoffice-calc-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SOFFICE


@dataclass(frozen=True)
class Printed:
    """A workbook as LibreOffice prints it: the PDF's text and its pages' sizes."""

    text: str
    pages: list[tuple[float, float]]

    @property
    def squeezed(self) -> str:
        """The text without any white space: a name split over a line break still reads whole."""
        return re.sub(r"\s+", "", self.text)

    def days(self) -> list[str]:
        return DAY.findall(self.text)


def print_to_pdf(workbook: bytes, folder: Path) -> Printed:
    """Open `workbook` in LibreOffice Calc and print it to PDF, as a person would."""
    soffice = require_soffice()
    source = folder / "workbook.xlsx"
    source.write_bytes(workbook)
    profile = folder / "libreoffice-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = folder / "workbook.pdf"
    pages = [(page.width, page.height) for page in extract_pages(pdf) if isinstance(page, LTPage)]
    return Printed(extract_text(pdf), pages)
