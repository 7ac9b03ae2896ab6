"""Bulk reads and writes for the projector: a page of events is a handful of statements.

The projector reads the state a page needs with a few `IN (...)` selects, applies the events in
memory, and writes the result with one multi-row statement per table and kind of change, so the
cost per event is Python work, not round trips (the rebuild has to keep up with reading the log).
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from domain.values import Finding, Reference

T = TypeVar("T")
_CHUNK = 500


def chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def select_where_in(
    connection: Connection,
    table: sa.Table,
    column: sa.Column[Any],
    values: Collection[Any],
    *where: sa.ColumnElement[bool],
) -> list[Row[Any]]:
    """The rows of `table` whose `column` is one of `values` (and which meet `where`)."""
    rows: list[Row[Any]] = []
    for chunk in chunks(sorted(values, key=str)):
        rows.extend(connection.execute(sa.select(table).where(column.in_(chunk), *where)))
    return rows


def insert_rows(connection: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT the rows, all of which name the same columns."""
    if not rows:
        return
    names = list(rows[0])
    values = _parameters(connection, table, names, rows)
    if _is_postgres(connection):
        _copy(connection, table.name, names, values)
        return
    quote = connection.dialect.identifier_preparer.quote
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({_names(connection, names)}) "
        f"VALUES ({_marks(len(names))})",
        values,
    )


def update_rows(
    connection: Connection,
    table: sa.Table,
    keys: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """UPDATE each row found by its `keys` columns, setting its other columns (all rows name the
    same columns)."""
    if not rows:
        return
    quote = connection.dialect.identifier_preparer.quote
    changed = [name for name in rows[0] if name not in keys]
    if _is_postgres(connection):
        names = [*keys, *changed]
        staged = _stage(connection, table, names, _parameters(connection, table, names, rows))
        target = quote(table.name)
        connection.exec_driver_sql(
            f"UPDATE {target} SET "
            + ", ".join(f"{quote(n)} = {staged}.{quote(n)}" for n in changed)
            + f" FROM {staged} WHERE "
            + " AND ".join(f"{target}.{quote(k)} = {staged}.{quote(k)}" for k in keys)
        )
        return
    names = [*changed, *keys]
    connection.exec_driver_sql(
        f"UPDATE {quote(table.name)} SET "
        + ", ".join(f"{quote(n)} = ?" for n in changed)
        + " WHERE "
        + " AND ".join(f"{quote(k)} = ?" for k in keys),
        _parameters(connection, table, names, rows),
    )


def upsert_adding(
    connection: Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    added: Sequence[str],
) -> None:
    """INSERT each row, or add its `added` columns to the row with the same primary key."""
    target = connection.dialect.identifier_preparer.quote(table.name)
    _upsert(connection, table, rows, dict.fromkeys(added, f"{target}.{{0}} + excluded.{{0}}"))


def upsert_replacing(
    connection: Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    replaced: Sequence[str],
) -> None:
    """INSERT each row, or set its `replaced` columns on the row with the same primary key."""
    _upsert(connection, table, rows, dict.fromkeys(replaced, "excluded.{0}"))


def _upsert(
    connection: Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    assignments: Mapping[str, str],
) -> None:
    """INSERT each row; on a conflict of primary keys, SET each column of `assignments` to its
    expression (`{0}` standing for the quoted column)."""
    if not rows:
        return
    names = list(rows[0])
    quote = connection.dialect.identifier_preparer.quote
    target = quote(table.name)
    keys = ", ".join(quote(column.name) for column in table.primary_key.columns)
    sets = ", ".join(
        f"{quote(name)} = {expression.format(quote(name))}"
        for name, expression in assignments.items()
    )
    conflict = f"ON CONFLICT ({keys}) DO UPDATE SET {sets}"
    values = _parameters(connection, table, names, rows)
    if _is_postgres(connection):
        staged = _stage(connection, table, names, values)
        columns = _names(connection, names)
        connection.exec_driver_sql(
            f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {staged} {conflict}"
        )
        return
    connection.exec_driver_sql(
        f"INSERT INTO {target} ({_names(connection, names)}) VALUES ({_marks(len(names))}) "
        f"{conflict}",
        values,
    )


# -- PostgreSQL: COPY ------------------------------------------------------------------------------
#
# psycopg's executemany runs one statement per row (pipelined, but the server still parses, plans
# and executes each); COPY streams the rows into one statement. Updates and additions copy the
# rows into a temporary table first and apply them with one UPDATE ... FROM or INSERT ... SELECT.


def _is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _copy(
    connection: Connection, table_name: str, names: Sequence[str], values: list[tuple[Any, ...]]
) -> None:
    quote = connection.dialect.identifier_preparer.quote
    driver: Any = connection.connection.driver_connection
    statement = f"COPY {quote(table_name)} ({_names(connection, names)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


def _stage(
    connection: Connection, table: sa.Table, names: Sequence[str], values: list[tuple[Any, ...]]
) -> str:
    """A temporary table (dropped at commit) holding `values`; its name."""
    quote = connection.dialect.identifier_preparer.quote
    staged = f"staged_{table.name}"
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {staged}")
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS "
        f"SELECT {_names(connection, names)} FROM {quote(table.name)} WITH NO DATA"
    )
    _copy(connection, staged, names, values)
    return staged


def _names(connection: Connection, names: Sequence[str]) -> str:
    quote = connection.dialect.identifier_preparer.quote
    return ", ".join(quote(name) for name in names)


def _marks(count: int) -> str:
    return ", ".join(["?"] * count)


# -- values as the driver takes them ---------------------------------------------------------------
#
# The projector writes through the driver (`exec_driver_sql`), not through SQLAlchemy's per-row
# parameter processing, which cost more than the rest of a rebuild together. The values are
# converted here exactly as SQLAlchemy's types would store them, so SQLAlchemy reads them back.

Converter = Callable[[Any], Any]


def _parameters(
    connection: Connection, table: sa.Table, names: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """The rows as the driver takes them: converted column by column, then zipped into tuples.

    Each column is taken with `map(itemgetter)`, a loop in C, and a column that cannot hold NULL
    is converted with `map`, without a test for None (ADR 0133: a rebuild converts a few hundred
    thousand values a second here). JSON is always tested: `None` would become the text `null`
    where the database must refuse it."""
    columns = []
    for name, convert, nullable in _converters(table, tuple(names), connection.dialect.name):
        values = list(map(operator.itemgetter(name), rows))
        if convert is None:
            pass
        elif nullable or convert is json_text:
            values = [None if value is None else convert(value) for value in values]
        else:
            values = list(map(convert, values))
        columns.append(values)
    return list(zip(*columns, strict=True))


@functools.lru_cache(maxsize=256)
def _converters(
    table: sa.Table, names: tuple[str, ...], dialect: str
) -> tuple[tuple[str, Converter | None, bool], ...]:
    """Each named column, what converts its values for `dialect` (None: stored as they are), and
    whether it may hold NULL."""
    return tuple(
        (name, _converter(table.c[name].type, dialect), bool(table.c[name].nullable))
        for name in names
    )


class Encoded(str):
    """A value already encoded as JSON (written as it is)."""

    __slots__ = ()


def json_text(value: Any) -> Encoded:
    if isinstance(value, Encoded):
        return value
    if not value and isinstance(value, list | dict):
        return _EMPTY_LIST if isinstance(value, list) else _EMPTY_OBJECT
    return Encoded(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


_EMPTY_LIST, _EMPTY_OBJECT = Encoded("[]"), Encoded("{}")


@functools.lru_cache(maxsize=4096)
def basis_json(references: tuple[Reference, ...]) -> Encoded:
    """The basis of an event as JSON; events of one command or import share theirs."""
    return json_text(references_json(references))


# Conversions remembered: a page repeats the same ids, days and instants in many rows.


def _sqlite_instant(value: datetime) -> str:
    """As SQLAlchemy stores a DateTime in SQLite: naive UTC, always with microseconds."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def _converter(type_: sa.types.TypeEngine[Any], dialect: str) -> Converter | None:
    sqlite = dialect == "sqlite"
    if isinstance(type_, sa.JSON):
        return json_text
    if isinstance(type_, sa.TypeDecorator) and isinstance(type_.impl, sa.DateTime):
        return _sqlite_instant if sqlite else None
    if isinstance(type_, sa.Uuid):
        return _uuid_hex if sqlite else None
    if isinstance(type_, sa.Date):
        return _iso_day if sqlite else None
    return None  # booleans, numbers and text as they are (sqlite3 stores a bool as 0 or 1)


def _uuid_hex(value: UUID) -> str:
    return value.hex


@functools.lru_cache(maxsize=4096)
def _iso_day(value: date) -> str:
    return value.isoformat()


# -- value types as stored in JSON columns ---------------------------------------------------------


def reference_json(reference: Reference | None) -> dict[str, str | None] | None:
    if reference is None:
        return None
    return {
        "doc_no": reference.doc_no,
        "title": reference.title,
        "url": reference.url,
        "sha256": reference.sha256,
    }


def references_json(references: Iterable[Reference]) -> list[dict[str, str | None]]:
    return [reference_json(r) or {} for r in references]


def findings_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "rule_id": finding.rule_id,
            "applies": bool(finding.applies),
            "because": [
                {"originator_id": str(ref.originator_id), "version": int(ref.version)}
                for ref in finding.because
            ],
            "barred_until": _iso(finding.barred_until),
            "detail": finding.detail,
        }
        for finding in findings
    ]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
