"""A ledger with its read models, on each SQL store (the read side needs SQL: ADR 0020)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from domain.ledger import Ledger
from readside.engine import tables
from readside.engine.database import Views
from readside.engine.projector import Projector


@dataclass
class ReadSide:
    ledger: Ledger
    views: Views
    projector: Projector

    def catch_up(self) -> int:
        return self.projector.catch_up()


@pytest.fixture
def read_side(sql_database_url: str) -> Iterator[ReadSide]:
    """A ledger on an empty SQL store, its read models, and a projector."""
    ledger = Ledger.open(sql_database_url)
    views = Views.open(sql_database_url)
    yield ReadSide(ledger, views, Projector(ledger, views))
    views.close()
    ledger.close()


def dump(views: Views) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read model, in primary-key order: what a rebuild must reproduce."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with views.reading() as connection:
        for table in tables.VIEW_TABLES:
            query = sa.select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in connection.execute(query)]
    return rows
