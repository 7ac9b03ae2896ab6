"""An assessor's workload (EVAL-4): its evaluations per batch against its group's cap, its pass
rate, and its blacklistings (EVAL-2); the answer carries its `position`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.errors import AssessorNotFoundError
from domain.ledger import Ledger
from domain.rules import rulebook_for
from readside.engine import tables
from readside.engine.database import Views, read_position


@dataclass(frozen=True)
class BatchWorkload:
    """An assessor's evaluations in one batch, against its group's cap (EVAL-4)."""

    level: str
    batch_year: int
    evaluations: int
    passed: int
    pass_rate: float | None
    group_evaluations: int
    cap: int
    remaining: int


@dataclass(frozen=True)
class Blacklisting:
    since: date
    until: date
    reason: str
    lifted_on: date | None

    def bars(self, day: date) -> bool:
        """Whether it stands on `day` (through `until`, unless lifted before)."""
        if self.lifted_on is not None and day >= self.lifted_on:
            return False
        return self.since <= day <= self.until


@dataclass(frozen=True)
class AssessorWorkload:
    assessor_id: UUID
    name: str
    group: str | None
    #: A fictitious evaluator of the demo (ADR 0042).
    synthetic: bool
    batches: tuple[BatchWorkload, ...]
    evaluations: int
    passed: int
    pass_rate: float | None
    blacklisted: bool
    blacklistings: tuple[Blacklisting, ...]
    on: date
    position: int


def get_assessor_workload(
    views: Views,
    assessor_id: UUID,
    *,
    batch_year: int | None = None,
    on: date | None = None,
) -> AssessorWorkload:
    """An assessor's evaluations per batch against its group's cap, its pass rate, and whether it
    is blacklisted on `on` (default today)."""
    day = on or Ledger.today()
    a, w, b, bl = (
        tables.assessors,
        tables.assessor_workload,
        tables.batches,
        tables.assessor_blacklistings,
    )
    with views.reading() as connection:
        assessor = connection.execute(sa.select(a).where(a.c.assessor_id == assessor_id)).first()
        if assessor is None:
            raise AssessorNotFoundError(assessor_id)
        mine = [w.c.assessor_id == assessor_id]
        if batch_year is not None:
            mine.append(w.c.batch_year == batch_year)
        own = connection.execute(
            sa.select(w).where(*mine).order_by(w.c.batch_year, w.c.level)
        ).all()
        batches_used = [(row.level, row.batch_year) for row in own]
        group = _group_counts(connection, assessor.group_key, batches_used)
        quotas = {
            (row.level, row.batch_year): row.quotas
            for row in connection.execute(sa.select(b.c.level, b.c.batch_year, b.c.quotas))
        }
        blacklistings = tuple(
            Blacklisting(row.since, row.until, row.reason, row.lifted_on)
            for row in connection.execute(
                sa.select(bl).where(bl.c.assessor_id == assessor_id).order_by(bl.c.position)
            )
        )
        position = read_position(connection)
    default_cap = rulebook_for(day).evaluations_per_group_per_batch
    batches = [_batch_workload(row, quotas, group, default_cap) for row in own]
    evaluations = sum(batch.evaluations for batch in batches)
    passed = sum(batch.passed for batch in batches)
    return AssessorWorkload(
        assessor_id=assessor.assessor_id,
        name=assessor.name,
        group=assessor.group_name,
        synthetic=assessor.synthetic,
        batches=tuple(batches),
        evaluations=evaluations,
        passed=passed,
        pass_rate=_rate(passed, evaluations),
        blacklisted=any(b.bars(day) for b in blacklistings),
        blacklistings=blacklistings,
        on=day,
        position=position,
    )


def _batch_workload(
    row: Any,
    quotas: dict[tuple[str, int], dict[str, Any]],
    group: dict[tuple[str, int], int],
    default_cap: int,
) -> BatchWorkload:
    """One batch of an assessor's workload, against the cap the batch was opened with (EVAL-4)."""
    quota = quotas.get((row.level, row.batch_year)) or {}
    cap = int(quota.get("evaluations_per_group_per_batch", default_cap))
    used = group.get((row.level, row.batch_year), row.evaluations)
    return BatchWorkload(
        level=row.level,
        batch_year=row.batch_year,
        evaluations=row.evaluations,
        passed=row.passed,
        pass_rate=_rate(row.passed, row.evaluations),
        group_evaluations=used,
        cap=cap,
        remaining=max(cap - used, 0),
    )


def _group_counts(
    connection: Connection, group_key: str, batches: list[tuple[str, int]]
) -> dict[tuple[str, int], int]:
    if not batches:
        return {}
    w = tables.assessor_workload
    rows = connection.execute(
        sa.select(w.c.level, w.c.batch_year, sa.func.sum(w.c.evaluations))
        .where(w.c.group_key == group_key, w.c.batch_year.in_({year for _, year in batches}))
        .group_by(w.c.level, w.c.batch_year)
    ).all()
    return {(level, year): int(total) for level, year, total in rows}


def _rate(passed: int, evaluations: int) -> float | None:
    return passed / evaluations if evaluations else None
