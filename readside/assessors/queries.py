"""An assessor's workload (EVAL-4): its evaluations per batch against its group's cap, its pass
rate, and its blacklistings (EVAL-2); the answer carries its `position`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.batch import batch_id_for
from domain.errors import AssessorNotFoundError
from domain.ledger import Ledger
from domain.rules import Rulebook, rulebook_for
from domain.rules.rulebook import CapBasis
from domain.values import Level
from readside.engine import tables
from readside.engine.database import Views, read_position

#: The batch's quota of EVAL-4 while the cap counts a group per batch (235号).
GROUP_CAP = "evaluations_per_group_per_batch"


@dataclass(frozen=True)
class BatchWorkload:
    """An assessor's evaluations in one batch, against the cap the batch was opened with
    (EVAL-4), counted with whom that cap counts it: `counted_by` is "group", "legal_representative"
    (from 13号: the bodies of `legal_representative`, or the assessor alone when it is not
    known) or "not_capped" (from 13号 only national rounds are capped: `cap` is None)."""

    level: str
    batch_year: int
    evaluations: int
    passed: int
    pass_rate: float | None
    group_evaluations: int
    cap: int | None
    remaining: int | None
    counted_by: str = "group"
    legal_representative: str | None = None


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
    a, w, bl = tables.assessors, tables.assessor_workload, tables.assessor_blacklistings
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
        group, rounds, represented = _counted_with(connection, assessor, own, day)
        blacklistings = tuple(
            Blacklisting(row.since, row.until, row.reason, row.lifted_on)
            for row in connection.execute(
                sa.select(bl).where(bl.c.assessor_id == assessor_id).order_by(bl.c.position)
            )
        )
        position = read_position(connection)
    batches = [_batch_workload(row, rounds, group, represented, day) for row in own]
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


@dataclass(frozen=True)
class _Round:
    """What a batch's workload is counted by: its quotas when opened, and the rulebook under
    which an evaluation in it counts on the day asked about — no later than its publication,
    after which nothing more is counted in it."""

    quotas: dict[str, Any]
    rulebook: Rulebook

    @property
    def by_representative(self) -> bool:
        return self.rulebook.evaluation_cap_basis is CapBasis.LEGAL_REPRESENTATIVE_PER_YEAR


def _counted_with(
    connection: Connection, assessor: Any, own: Sequence[Any], day: date
) -> tuple[
    dict[tuple[str, int], int],
    dict[tuple[str, int], _Round],
    dict[int, tuple[str | None, int]],
]:
    """Per batch of the assessor's: its group's evaluations, its round, and — in a national round
    counted by legal representative (13号) — whose bodies count together and how many."""
    b = tables.batches
    batches_used = [(row.level, row.batch_year) for row in own]
    group = _group_counts(connection, assessor.group_key, batches_used)
    rounds = {
        (row.level, row.batch_year): _Round(
            row.quotas or {}, rulebook_for(min(day, row.published_on or day))
        )
        for row in connection.execute(
            sa.select(b.c.level, b.c.batch_year, b.c.quotas, b.c.published_on).where(
                b.c.batch_year.in_({year for _, year in batches_used})
            )
        )
    }
    represented = {
        year: _represented_counts(connection, assessor.assessor_id, year)
        for level, year in batches_used
        if level == Level.NATIONAL.value
        and (found := rounds.get((level, year))) is not None
        and found.by_representative
    }
    return group, rounds, represented


def _batch_workload(
    row: Any,
    rounds: dict[tuple[str, int], _Round],
    group: dict[tuple[str, int], int],
    represented: dict[int, tuple[str | None, int]],
    day: date,
) -> BatchWorkload:
    """One batch of an assessor's workload, counted as EVAL-4 counts an evaluation in it
    (ADR 0155). Counted by group, the cap is the batch's quota when it was opened."""
    found = rounds.get((row.level, row.batch_year)) or _Round({}, rulebook_for(day))
    counted_by, representative = "group", None
    cap: int | None
    if not found.by_representative:
        cap = int(found.quotas.get(GROUP_CAP, found.rulebook.evaluation_cap))
        used = group.get((row.level, row.batch_year), row.evaluations)
    elif row.level == Level.NATIONAL.value and row.batch_year in represented:
        counted_by, cap = "legal_representative", found.rulebook.evaluation_cap
        representative, used = represented[row.batch_year]
    else:
        counted_by, cap, used = "not_capped", None, row.evaluations
    return BatchWorkload(
        level=row.level,
        batch_year=row.batch_year,
        evaluations=row.evaluations,
        passed=row.passed,
        pass_rate=_rate(row.passed, row.evaluations),
        group_evaluations=used,
        cap=cap,
        remaining=max(cap - used, 0) if cap is not None else None,
        counted_by=counted_by,
        legal_representative=representative,
    )


def _represented_counts(
    connection: Connection, assessor_id: UUID, batch_year: int
) -> tuple[str | None, int]:
    """From 13号, in the national round of `batch_year`: the legal representative the assessor's
    latest evaluation was counted under, and the evaluations of every body it represents — the
    assessor's own when it is not known — as EVAL-4 counts them (ADR 0155)."""
    e = tables.batch_evaluations
    batch_id = batch_id_for(Level.NATIONAL, batch_year)
    representative = connection.execute(
        sa.select(e.c.legal_representative)
        .where(e.c.batch_id == batch_id, e.c.assessor_id == assessor_id)
        .order_by(e.c.position.desc())
        .limit(1)
    ).scalar_one_or_none()
    same = (
        e.c.legal_representative == representative
        if representative is not None
        else e.c.assessor_id == assessor_id
    )
    count = connection.execute(
        sa.select(sa.func.count()).where(e.c.batch_id == batch_id, same)
    ).scalar_one()
    return representative, int(count)


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
