"""Third-party assessors (第三方评价机构, 工信厅节函〔2022〕235号 三) and the batches they work in.

`assessor_workload` counts each assessor's evaluations per batch (level × year) with how many
passed; the cap of EVAL-4 applies to the assessor's group (a legal person with its affiliates),
from 13号 to the bodies of its legal representative in a year's national round
(`batch_evaluations`, each nomination's evaluation as the round counted it; ADR 0155), and is the
quota recorded when the batch was opened (`batches.quotas`). `assessor_blacklistings`
keeps each blacklisting (EVAL-2) and its lifting; `assessor_work_reports` each yearly work report
(EVAL-5, 附件10).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeAlias
from uuid import UUID

from sqlalchemy.engine import Connection

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import EnterpriseKey
from domain.events import (
    LISTING_EVENTS,
    AssessorEvent,
    BatchEvent,
    EnterpriseEvent,
    LedgerEvent,
    ListingEvent,
    NationalEvent,
    check_ignored,
    classes_of,
)
from domain.values import EvaluationConclusion
from readside.engine import tables
from readside.engine.writing import (
    insert_rows,
    reference_json,
    select_where_in,
    update_rows,
    upsert_adding,
    upsert_replacing,
)


@dataclass(slots=True)
class AssessorRow:
    assessor_id: UUID
    name: str
    uscc: str
    group_name: str | None
    group_key: str
    senior_staff: int
    intermediate_staff: int
    registered_on: date
    synthetic: bool
    last_blacklisting_position: int | None

    def as_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _ASSESSOR_FIELDS}


@dataclass(slots=True)
class BatchRow:
    batch_id: UUID
    level: str
    batch_year: int
    rulebook: str
    deadlines: dict[str, str]
    quotas: dict[str, int]
    opened_on: date
    nominations: int
    published_on: date | None
    announcement: dict[str, str | None] | None

    def as_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _BATCH_FIELDS}


_ASSESSOR_FIELDS = tuple(f.name for f in fields(AssessorRow))
_BATCH_FIELDS = tuple(f.name for f in fields(BatchRow))
WorkloadKey = tuple[UUID, str, int]

#: The events this view leaves alone: mypy checks that it handles every other one.
Ignored: TypeAlias = ListingEvent | EnterpriseEvent | EnterpriseKey.Claimed | NationalEvent
_IGNORED = classes_of(Ignored)


def _ignore(event: Ignored) -> None:
    check_ignored("the assessors view", event, _IGNORED)


class AssessorsProjection:
    def __init__(self, assessors: dict[UUID, AssessorRow], batches: dict[UUID, BatchRow]) -> None:
        self.assessors = assessors
        self.batches = batches
        self._new: set[UUID] = set()
        self._dirty: set[UUID] = set()
        self._new_batches: set[UUID] = set()
        self._dirty_batches: set[UUID] = set()
        self._new_blacklistings: dict[int, dict[str, Any]] = {}
        self._lifts: list[dict[str, Any]] = []
        self._workload: dict[WorkloadKey, dict[str, Any]] = {}
        self._work_reports: list[dict[str, Any]] = []
        #: Evaluations counted in a round, by (batch, nomination): the last one stands.
        self._counted: dict[tuple[UUID, UUID], dict[str, Any]] = {}

    def load(self, connection: Connection, assessor_ids: set[UUID], batch_ids: set[UUID]) -> None:
        table = tables.assessors
        missing = assessor_ids.difference(self.assessors)
        for record in select_where_in(connection, table, table.c.assessor_id, missing):
            row = AssessorRow(**record._asdict())
            self.assessors[row.assessor_id] = row
        table = tables.batches
        for record in select_where_in(
            connection, table, table.c.batch_id, batch_ids.difference(self.batches)
        ):
            batch = BatchRow(**record._asdict())
            batch.deadlines = dict(batch.deadlines)
            batch.quotas = dict(batch.quotas)
            self.batches[batch.batch_id] = batch

    def process_event(self, position: int, event: LedgerEvent, level: str | None) -> None:
        """`level` is that of the listing an evaluation concerns."""
        if isinstance(event, LISTING_EVENTS):
            return  # ignored (most events are a listing's: one test, not the whole match)
        match event:
            case Assessor.Registered():
                self._register(event)
            case Assessor.EvaluationReported() | Assessor.EvaluationConfirmed():
                self._count_evaluation(self._row(event), event, level)
            case Assessor.EvaluationCited():
                pass  # pending: counted once the assessor confirms it (ADR 0110)
            case Assessor.WorkReportSubmitted():
                self._work_report(position, self._row(event), event)
            case Assessor.Blacklisted():
                self._blacklist(self._row(event), position, event)
            case Assessor.BlacklistLifted():
                self._lift(self._row(event), position, event)
            case Batch.Opened():
                self._open(event)
            case Batch.NominationReceived():
                if (batch := self._batch_touched(event)) is not None:
                    batch.nominations += 1
            case Batch.EvaluationCounted():
                self._batch_touched(event)
                self._counted[(event.originator_id, event.listing_id)] = {
                    "batch_id": event.originator_id,
                    "listing_id": event.listing_id,
                    "assessor_id": event.assessor_id,
                    "evaluator_group": event.evaluator_group,
                    "legal_representative": event.legal_representative,
                    "position": position,
                }
            case Batch.ParkQuotaExceptionGranted() | Batch.Publicised() | Batch.ObjectionRecorded():
                self._batch_touched(event)
            case Batch.Published():
                if (batch := self._batch_touched(event)) is not None:
                    batch.published_on = event.effective_on
                    batch.announcement = reference_json(event.announcement)
            case _:
                _ignore(event)

    def batch(self, batch_id: UUID) -> BatchRow | None:
        return self.batches.get(batch_id)

    # -- assessors -----------------------------------------------------------------------------

    def _register(self, event: Assessor.Registered) -> None:
        self.assessors[event.originator_id] = AssessorRow(
            assessor_id=event.originator_id,
            name=event.name,
            uscc=event.uscc.value,
            group_name=event.group,
            group_key=event.group or f"assessor:{event.originator_id}",
            senior_staff=event.senior_staff,
            intermediate_staff=event.intermediate_staff,
            registered_on=event.effective_on,
            synthetic=event.synthetic,
            last_blacklisting_position=None,
        )
        self._new.add(event.originator_id)

    def _row(self, event: AssessorEvent) -> AssessorRow:
        row = self.assessors.get(event.originator_id)
        if row is None:
            raise LookupError(f"assessor {event.originator_id} has events but no registration")
        return row

    def _count_evaluation(
        self,
        row: AssessorRow,
        event: Assessor.EvaluationReported | Assessor.EvaluationConfirmed,
        level: str | None,
    ) -> None:
        key = (row.assessor_id, level or "", event.batch_year)
        workload = self._workload.setdefault(
            key,
            {
                "assessor_id": row.assessor_id,
                "level": level or "",
                "batch_year": event.batch_year,
                "group_key": row.group_key,
                "evaluations": 0,
                "passed": 0,
            },
        )
        workload["evaluations"] += 1
        workload["passed"] += int(event.conclusion is EvaluationConclusion.PASS)

    def _blacklist(self, row: AssessorRow, position: int, event: Assessor.Blacklisted) -> None:
        self._new_blacklistings[position] = {
            "position": position,
            "assessor_id": row.assessor_id,
            "since": event.effective_on,
            "until": event.until,
            "reason": event.reason,
            "lifted_on": None,
            "lifted_position": None,
            "lift_reason": None,
        }
        row.last_blacklisting_position = position
        self._touch(row)

    def _lift(self, row: AssessorRow, position: int, event: Assessor.BlacklistLifted) -> None:
        if row.last_blacklisting_position is None:
            return
        lift = {
            "position": row.last_blacklisting_position,
            "lifted_on": event.effective_on,
            "lifted_position": position,
            "lift_reason": event.reason,
        }
        pending = self._new_blacklistings.get(row.last_blacklisting_position)
        if pending is not None:
            pending.update(lift)
        else:
            self._lifts.append(lift)

    def _work_report(
        self, position: int, row: AssessorRow, event: Assessor.WorkReportSubmitted
    ) -> None:
        self._work_reports.append(
            {
                "position": position,
                "assessor_id": row.assessor_id,
                "report_year": event.report_year,
                "submitted_on": event.effective_on,
                "evaluations": event.evaluations,
                "passed": event.passed,
                "summary": event.summary,
                "report": reference_json(event.report),
            }
        )

    def _touch(self, row: AssessorRow) -> None:
        if row.assessor_id not in self._new:
            self._dirty.add(row.assessor_id)

    # -- batches -------------------------------------------------------------------------------

    def _open(self, event: Batch.Opened) -> None:
        batch = BatchRow(
            batch_id=event.originator_id,
            level=event.level.value,
            batch_year=event.batch_year,
            rulebook=event.rulebook,
            deadlines={name: day.isoformat() for name, day in sorted(event.deadlines.items())},
            quotas=dict(sorted(event.quotas.items())),
            opened_on=event.effective_on,
            nominations=0,
            published_on=None,
            announcement=None,
        )
        self.batches[batch.batch_id] = batch
        self._new_batches.add(batch.batch_id)

    def _batch_touched(self, event: BatchEvent) -> BatchRow | None:
        found = self.batches.get(event.originator_id)
        if found is not None and found.batch_id not in self._new_batches:
            self._dirty_batches.add(found.batch_id)
        return found

    # -- writing -------------------------------------------------------------------------------

    def flush(self, connection: Connection) -> None:
        insert_rows(
            connection, tables.assessors, [self.assessors[i].as_row() for i in sorted(self._new)]
        )
        update_rows(
            connection,
            tables.assessors,
            ("assessor_id",),
            [self.assessors[i].as_row() for i in sorted(self._dirty)],
        )
        insert_rows(
            connection, tables.assessor_blacklistings, list(self._new_blacklistings.values())
        )
        update_rows(connection, tables.assessor_blacklistings, ("position",), self._lifts)
        insert_rows(connection, tables.assessor_work_reports, self._work_reports)
        upsert_adding(
            connection,
            tables.assessor_workload,
            [self._workload[key] for key in sorted(self._workload, key=str)],
            ("evaluations", "passed"),
        )
        upsert_replacing(
            connection,
            tables.batch_evaluations,
            [self._counted[key] for key in sorted(self._counted, key=str)],
            ("assessor_id", "evaluator_group", "legal_representative", "position"),
        )
        insert_rows(
            connection,
            tables.batches,
            [self.batches[i].as_row() for i in sorted(self._new_batches)],
        )
        update_rows(
            connection,
            tables.batches,
            ("batch_id",),
            [self.batches[i].as_row() for i in sorted(self._dirty_batches)],
        )
