"""The served read models against a fresh projection of the events (`greenledger verify
--read-models`, ADR 0105).

The read models are derived rows: anyone able to write the database can change them, and the
public would read the changed list. The check projects every event again into a database of its
own — on SQLite a temporary file, on PostgreSQL a temporary schema of the same database — and
compares every row of every view, by primary key, with the row served. Each row that differs,
is missing or should not be there is named with its key and the columns that differ. The
events the projector set aside are compared too: a position quarantined on one side only is a
difference.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from domain.ledger import Ledger
from domain.persistence.storage import Storage
from readside.engine import tables
from readside.engine.database import Views
from readside.engine.projector import Progress, Projector, SealCheck

#: Columns shown of a differing value, at most.
_SHOWN = 80


@dataclass(frozen=True)
class RowDifference:
    """One row of a read model that is not what the events say."""

    table: str
    key: str
    kind: str  # "changed", "missing" (the events make it, it is not served), "extra"
    columns: tuple[str, ...] = ()
    detail: str = ""

    def describe(self) -> str:
        where = f"{self.table}[{self.key}]"
        if self.kind == "missing":
            return f"{where}: 缺失 missing (the events make this row; it is not served)"
        if self.kind == "extra":
            return f"{where}: 多余 extra (served; no event makes this row)"
        return f"{where}: 不一致 differs in {', '.join(self.columns)} — {self.detail}"


@dataclass(frozen=True)
class ReadModelCheck:
    """What the comparison found."""

    position: int
    rows_compared: int
    differences: tuple[RowDifference, ...]

    @property
    def intact(self) -> bool:
        return not self.differences


def check_read_models(
    ledger: Ledger,
    served: Views,
    *,
    check: SealCheck | None = None,
    progress: Progress | None = None,
) -> ReadModelCheck:
    """Project the events up to the served position afresh and compare every row."""
    with fresh_views(served.storage) as fresh:
        position = served.position()
        projector = _ProjectorUntil(ledger, fresh, last=position, check=check)
        projector.rebuild(progress)
        differences: list[RowDifference] = []
        compared = 0
        for table in (*tables.VIEW_TABLES, tables.quarantine):
            served_rows = _rows(served, table)
            fresh_rows = _rows(fresh, table)
            compared += len(served_rows)
            differences.extend(_differences(table, served_rows, fresh_rows))
    return ReadModelCheck(position, compared, tuple(differences))


class _ProjectorUntil(Projector):
    """Reads nothing after `last`: the fresh projection stops where the served one is."""

    def __init__(self, *args: Any, last: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last = last

    def _read_page(self, position: int, size: int) -> list[tuple[int, Any]]:
        if position >= self.last:
            return []
        return [(p, e) for p, e in super()._read_page(position, size) if p <= self.last]


@contextmanager
def fresh_views(storage: Storage) -> Iterator[Views]:
    """Empty read models beside the served ones, removed afterwards."""
    if storage.kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="greenledger-verify-") as directory:
            path = Path(directory) / "fresh.db"
            views = Views.open(f"sqlite:///{path}")
            try:
                yield views
            finally:
                views.close()
        return
    schema = f"greenledger_verify_{secrets.token_hex(4)}"
    views = Views.open(f"{storage.sqlalchemy_url}?schema={schema}")
    try:
        yield views
    finally:
        views.close()
        _drop_schema(storage, schema)


def _drop_schema(storage: Storage, schema: str) -> None:
    engine = sa.create_engine(storage.sqlalchemy_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


def _rows(views: Views, table: sa.Table) -> dict[tuple[Any, ...], dict[str, Any]]:
    keys = [column.name for column in table.primary_key.columns]
    # When and in which words an event was set aside may differ; that it was may not.
    ignored = {"quarantined_at", "error"} if table is tables.quarantine else set()
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    with views.reading() as connection:
        for row in connection.execute(sa.select(table)).mappings():
            values = {name: value for name, value in row.items() if name not in ignored}
            found[tuple(str(row[k]) for k in keys)] = values
    return found


def _differences(
    table: sa.Table,
    served: dict[tuple[Any, ...], dict[str, Any]],
    fresh: dict[tuple[Any, ...], dict[str, Any]],
) -> Iterator[RowDifference]:
    names = [column.name for column in table.primary_key.columns]
    for key in sorted(served.keys() | fresh.keys()):
        shown = ", ".join(f"{name}={value}" for name, value in zip(names, key, strict=True))
        if key not in fresh:
            yield RowDifference(table.name, shown, "extra")
        elif key not in served:
            yield RowDifference(table.name, shown, "missing")
        else:
            changed = [c for c in served[key] if served[key][c] != fresh[key].get(c)]
            if changed:
                detail = "; ".join(
                    f"{c}: served {_short(served[key][c])}, events say {_short(fresh[key][c])}"
                    for c in changed
                )
                yield RowDifference(table.name, shown, "changed", tuple(changed), detail)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
