"""Under CI=true an unreachable PostgreSQL fails its tests; elsewhere it skips them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.paths import REPOSITORY

ROOT = REPOSITORY


def run_postgres_leg(ci: bool) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GREENLEDGER_TEST_POSTGRES_URL": "postgresql://postgres@127.0.0.1:1/postgres",
        "CI": "true" if ci else "false",
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/unit/domain/test_enterprises.py::test_an_unknown_region_is_refused_naming_the_field",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(("ci", "outcome"), [(True, "1 error"), (False, "1 skipped")])
def test_an_unreachable_postgres_fails_under_ci_and_skips_elsewhere(ci: bool, outcome: str) -> None:
    result = run_postgres_leg(ci)

    assert outcome in result.stdout, result.stdout[-2000:]
    assert "2 passed" in result.stdout
    assert (result.returncode != 0) is ci
