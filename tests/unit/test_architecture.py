"""The ground rules the code's shape must keep (design.md, Architecture; ADR 0080).

Imports run one way: the interfaces (`api`: HTTP, pages, CLI) → the auditor's stored reports
(`audit`) → the read side (`readside`) and the seal (`seal`) → `domain`; the read side and the
seal know nothing of each other, nor of the reports. The domain is
pure: the standard library and `eventsourcing` only — no SQLAlchemy, FastAPI or pydantic in it. No
file names a path of the machine it was written on.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.paths import REPOSITORY

DOMAIN_MAY_IMPORT = frozenset({"eventsourcing", "domain"})
NOT_OURS = frozenset(
    {".git", ".venv", "var", ".hypothesis", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build"}
)


def imported_modules(source: str) -> Iterator[tuple[int, str]]:
    """(line, top-level module) of every import; relative imports count as the package's own."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def imports_outside(package: str, allowed: frozenset[str]) -> list[str]:
    """`path:line module` for every import in the package of a module outside `allowed`."""
    found: list[str] = []
    for path in sorted((REPOSITORY / package).rglob("*.py")):
        for line, module in imported_modules(path.read_text(encoding="utf-8")):
            if module not in allowed:
                found.append(f"{path.relative_to(REPOSITORY)}:{line} {module}")
    return found


def test_the_checker_sees_a_third_party_import_and_lets_relative_ones_pass() -> None:
    source = "from __future__ import annotations\nimport sqlalchemy.orm\nfrom . import values\n"

    modules = [module for _, module in imported_modules(source)]

    assert modules == ["__future__", "sqlalchemy"]


def test_the_domain_imports_only_the_standard_library_and_eventsourcing() -> None:
    allowed = frozenset(sys.stdlib_module_names) | DOMAIN_MAY_IMPORT

    assert list((REPOSITORY / "domain").rglob("*.py")), "the domain package has modules"
    assert imports_outside("domain", allowed) == []


def imports_of(package: str, forbidden: frozenset[str]) -> list[str]:
    """`path:line module` for every import in the package of one of the `forbidden` packages."""
    return [
        found
        for found in imports_outside(package, frozenset())
        if found.rsplit(" ", 1)[1] in forbidden
    ]


def test_the_read_side_never_imports_the_api() -> None:
    assert list((REPOSITORY / "readside").rglob("*.py")), "the read side package has modules"
    assert imports_of("readside", frozenset({"api"})) == []


def test_the_seal_imports_only_the_domain_of_our_packages() -> None:
    assert list((REPOSITORY / "seal").rglob("*.py")), "the seal package has modules"
    assert imports_of("seal", frozenset({"api", "readside"})) == []


def test_the_read_side_does_not_import_the_seal() -> None:
    assert imports_of("readside", frozenset({"seal"})) == []


def test_the_audit_reports_import_no_interface_and_nothing_below_imports_them() -> None:
    assert list((REPOSITORY / "audit").rglob("*.py")), "the audit package has modules"
    assert imports_of("audit", frozenset({"api"})) == []
    for below in ("domain", "readside", "seal"):
        assert imports_of(below, frozenset({"audit"})) == [], below


def our_files() -> Iterator[Path]:
    """Every file of the repository, leaving out what tools made (.git, .venv, caches, var)."""
    for directory, subdirectories, files in os.walk(REPOSITORY):
        subdirectories[:] = [
            name
            for name in subdirectories
            if name not in NOT_OURS and name != "__pycache__" and not name.endswith(".egg-info")
        ]
        yield from (Path(directory) / name for name in files if name not in NOT_OURS)


def test_no_file_names_a_path_of_this_machine() -> None:
    machine_paths = ("/" + "work/", "/" + "root/")
    offenders: list[str] = []
    for path in our_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        relative = path.relative_to(REPOSITORY)
        offenders.extend(f"{relative}: {p}" for p in machine_paths if p in text)

    assert offenders == []
