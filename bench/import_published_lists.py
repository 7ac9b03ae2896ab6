"""Measure the import of the real published lists against the bare library saving as much.

    python -m bench.import_published_lists [--postgres-url postgresql://postgres@127.0.0.1/postgres]
                                           [--runs 3]

For each store (a new SQLite file; a new PostgreSQL database when a server URL is given): the
time to read and import all four files into a new ledger, its events per second, and the bare
`eventsourcing` library saving the same number of events in saves of the same sizes (plain
aggregates, five events each, like a row's), built beforehand and timed on `save()` alone — the
library's ceiling (its rate with the building included is printed beside). The ratio is the
import's events per second over the bare library's save alone.
Projections are not built yet, so the import's figure is the write side alone.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from psycopg import sql

from domain.ledger import Ledger
from domain.loading.importing import import_published_lists
from domain.loading.published_lists import read_published_lists
from domain.persistence.storage import library_environment, parse_database_url

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "published-lists"


class Account(Aggregate):
    """The bare library's aggregate (as in the team's notes): plain fields, decorator events."""

    @event("Opened")
    def __init__(self, owner: str, limit: Decimal) -> None:
        self.owner, self.limit, self.balance = owner, limit, Decimal("0")

    @event("Credited")
    def credit(self, amount: Decimal, ref: str) -> None:
        self.balance += amount


class BareApplication(Application[Any]):
    name = "BareImport"


@dataclass(frozen=True)
class Measure:
    seconds: float
    events: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def measure_import(url: str) -> tuple[Measure, Measure, tuple[int, ...]]:
    """(read + import, import alone, the sizes of its saves) on a new ledger at `url`."""
    started = time.perf_counter()
    lists = read_published_lists(SHIPPED)
    ledger = Ledger.open(url)
    imported = time.perf_counter()
    report = import_published_lists(ledger, lists)
    finished = time.perf_counter()
    ledger.close()
    assert report.imported == 6454, report.imported
    total = Measure(finished - started, report.events_written)
    return total, Measure(finished - imported, report.events_written), report.saves


def measure_bare(url: str, saves: Sequence[int]) -> tuple[Measure, Measure]:
    """The bare library saving `saves` events per save: (save alone, build and save)."""
    app = BareApplication(env=library_environment(parse_database_url(url)))
    building = time.perf_counter()
    batches: list[list[Account]] = []
    for size in saves:
        batch: list[Account] = []
        left = size
        while left:
            account = Account(owner=f"owner-{len(batches)}-{len(batch)}", limit=Decimal("1000"))
            for number in range(min(left, 5) - 1):
                account.credit(amount=Decimal("12.34"), ref=f"c{number}")
            left -= min(left, 5)
            batch.append(account)
        batches.append(batch)
    started = time.perf_counter()
    for batch in batches:
        app.save(*batch)
    finished = time.perf_counter()
    app.close()
    return Measure(finished - started, sum(saves)), Measure(finished - building, sum(saves))


@contextmanager
def new_sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite:///{Path(directory) / 'ledger.db'}"


@contextmanager
def new_postgres(server_url: str) -> Iterator[str]:
    name = f"greenledger_bench_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            parts = urlsplit(server_url)
            yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run(store: str, new_store: Any, runs: int) -> None:
    totals, imports, bares, built = [], [], [], []
    for _ in range(runs):
        with new_store() as url:
            total, alone, saves = measure_import(url)
        with new_store() as url:
            bare, bare_built = measure_bare(url, saves)
        totals.append(total)
        imports.append(alone)
        bares.append(bare)
        built.append(bare_built)
    total = min(totals, key=lambda m: m.seconds)
    alone = min(imports, key=lambda m: m.seconds)
    bare = min(bares, key=lambda m: m.seconds)
    bare_built = min(built, key=lambda m: m.seconds)
    print(
        f"{store:10s} events={alone.events} saves={len(saves)} (max {max(saves)} events) | "
        f"read+import {total.seconds:5.2f}s (runs: "
        f"{', '.join(f'{m.seconds:.2f}' for m in totals)}) | import {alone.seconds:5.2f}s "
        f"{alone.rate:7.0f} ev/s | bare save {bare.seconds:5.2f}s {bare.rate:7.0f} ev/s "
        f"(build+save {bare_built.rate:7.0f} ev/s) | "
        f"ratio {alone.rate / bare.rate:.2f} (median run ratio "
        f"{statistics.median(a.rate / b.rate for a, b in zip(imports, bares, strict=True)):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", help="a PostgreSQL server to create databases on")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    run("sqlite", new_sqlite, arguments.runs)
    if arguments.postgres_url:
        run("postgres", lambda: new_postgres(arguments.postgres_url), arguments.runs)


if __name__ == "__main__":
    main()
