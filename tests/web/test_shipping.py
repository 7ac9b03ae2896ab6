"""The pages' templates and stylesheet ship in the package (the image installs it, ADR 0070)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def test_every_template_and_static_file_is_package_data_of_api() -> None:
    pyproject = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["api.web"]
    files = [
        path.relative_to(REPOSITORY / "api" / "web").as_posix()
        for folder in ("templates", "static")
        for path in (REPOSITORY / "api" / "web" / folder).iterdir()
        if path.is_file()
    ]

    assert any(name.endswith(".html") for name in files)
    assert any(name.endswith(".css") for name in files)
    assert [name for name in files if not any(fnmatch.fnmatch(name, p) for p in patterns)] == []
