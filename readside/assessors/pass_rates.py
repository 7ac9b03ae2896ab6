"""The evaluators' pass rates the ministry publishes (工信厅节函〔2022〕235号 三, EVAL-4: "工信部
公布各机构评价通过率"): each registered third-party evaluator with its evaluations and how many
passed, for one batch or for all, whether it is blacklisted (EVAL-2), and its latest yearly work
report (EVAL-5, 附件10). Public: the notice has them published."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa

from domain.ledger import Ledger
from readside.engine import tables
from readside.engine.database import Views, read_position


@dataclass(frozen=True)
class PassRate:
    assessor_id: UUID
    name: str
    group: str | None
    #: A fictitious evaluator of the demo (ADR 0042).
    synthetic: bool
    evaluations: int
    passed: int
    pass_rate: float | None
    blacklisted: bool
    work_report_year: int | None
    work_report_on: date | None


@dataclass(frozen=True)
class PassRates:
    batch_year: int | None
    on: date
    items: tuple[PassRate, ...]
    position: int


def list_pass_rates(
    views: Views, *, batch_year: int | None = None, on: date | None = None
) -> PassRates:
    """Every evaluator, most evaluations first, with its pass rate (in `batch_year`, or over
    every batch) and its blacklist state on `on` (default today)."""
    day = on or Ledger.today()
    a, w = tables.assessors, tables.assessor_workload
    bl, wr = tables.assessor_blacklistings, tables.assessor_work_reports
    counts: dict[UUID, list[int]] = defaultdict(lambda: [0, 0])
    with views.reading() as connection:
        assessors = connection.execute(sa.select(a).order_by(a.c.name, a.c.assessor_id)).all()
        query = sa.select(w.c.assessor_id, w.c.evaluations, w.c.passed)
        if batch_year is not None:
            query = query.where(w.c.batch_year == batch_year)
        for assessor_id, evaluations, passed in connection.execute(query):
            counts[assessor_id][0] += evaluations
            counts[assessor_id][1] += passed
        barred = {
            row.assessor_id
            for row in connection.execute(sa.select(bl))
            if row.since <= day <= row.until and (row.lifted_on is None or day < row.lifted_on)
        }
        reports = {
            row.assessor_id: (row.report_year, row.submitted_on)
            for row in connection.execute(sa.select(wr).order_by(wr.c.report_year, wr.c.position))
        }
        position = read_position(connection)
    items = [
        PassRate(
            assessor_id=row.assessor_id,
            name=row.name,
            group=row.group_name,
            synthetic=row.synthetic,
            evaluations=counts[row.assessor_id][0],
            passed=counts[row.assessor_id][1],
            pass_rate=(
                counts[row.assessor_id][1] / counts[row.assessor_id][0]
                if counts[row.assessor_id][0]
                else None
            ),
            blacklisted=row.assessor_id in barred,
            work_report_year=reports.get(row.assessor_id, (None, None))[0],
            work_report_on=reports.get(row.assessor_id, (None, None))[1],
        )
        for row in assessors
    ]
    items.sort(key=lambda item: -item.evaluations)
    return PassRates(batch_year, day, tuple(items), position)
