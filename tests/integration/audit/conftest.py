"""A generated national history (bench/generator.py, small scale) on each SQL store, with the
seal and the audit reports' store beside it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from audit.reports import ReportParameters, StoredReport
from audit.running import run_report
from audit.store import ReportStore
from bench.generator import History
from domain.ledger import Ledger
from seal.sealing import Seal

#: Nine rounds of a few units each, 2016–2024, and their yearly management to 2026.
SCALE = 40


@dataclass
class Desk:
    """A ledger, its seal and its reports' store, on one database."""

    ledger: Ledger
    seal: Seal
    store: ReportStore
    database_url: str

    def report(self, parameters: ReportParameters | None = None) -> StoredReport:
        """A report computed in the foreground, as `greenledger audit run` does."""
        claimed, started = self.store.claim(parameters or ReportParameters(), "auditor")
        assert started
        return run_report(self.ledger, self.store, self.seal, claimed)


def open_desk(database_url: str) -> Desk:
    ledger = Ledger.open(database_url)
    return Desk(
        ledger,
        Seal.open(ledger, database_url),
        ReportStore.open(database_url, ledger.name),
        database_url,
    )


def close_desk(desk: Desk) -> None:
    desk.store.close()
    desk.seal.engine.dispose()
    desk.ledger.close()


@pytest.fixture
def desk(sql_database_url: str) -> Iterator[Desk]:
    """An empty ledger with its seal and reports, on each SQL store."""
    opened = open_desk(sql_database_url)
    yield opened
    close_desk(opened)


@pytest.fixture
def generated(desk: Desk) -> Desk:
    """The desk over a generated history of SCALE listings."""
    with desk.ledger.bulk(commands_per_save=200):
        for command in History(scale=SCALE, seed=7):
            command.issue(desk.ledger)
    return desk
