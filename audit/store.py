"""The stored audit reports: claimed one at a time per ledger, written as they run, read back.

One report runs at a time per ledger, across every process on the database (ADR 0015): starting
one claims the ledger's row of `audit_claims` with a conditional UPDATE, which PostgreSQL and
SQLite both serialise on the row (or the file), and the running report's every write renews the
claim's heartbeat. A claim whose heartbeat is older than the lease (a process that died, or
hangs) may be taken over: the report it held is marked failed, and if that process wakes up it
finds the claim gone and stops. Each write here is one short transaction that writes first, so
SQLite takes its write lock before it reads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Row
from sqlalchemy.pool import StaticPool

from audit.reports import (
    DONE,
    FAILED,
    RUNNING,
    AuditReportNotFoundError,
    Counts,
    DecisionFilter,
    DecisionPage,
    DecisionRow,
    ReportParameters,
    StoredReport,
)
from audit.tables import (
    audit_claims,
    audit_decisions,
    audit_engine,
    audit_reports,
    metadata,
    utc_now,
)
from domain.errors import ConcurrentWriteError, LedgerError
from readside.engine.writing import insert_rows

#: A running report renews its claim with every page it writes (a second or so); a claim this
#: much older belongs to a process that died.
DEFAULT_LEASE = timedelta(minutes=2)


class ReportRunningError(ConcurrentWriteError):
    """Raised when a report is asked for while another one runs on the same ledger."""

    def __init__(self, report_id: UUID) -> None:
        LedgerError.__init__(
            self,
            f"审计报告 {report_id} 正在生成，同一台账一次只生成一份，请待其完成后再试；"
            f"audit report {report_id} is being computed: one runs at a time per ledger, retry "
            "when it is done",
        )
        self.report_id = report_id


class ReportClaimLostError(Exception):
    """Raised when a running report finds that its claim lapsed and was taken over."""


class ReportStore:
    """The audit reports of one ledger, in its database."""

    def __init__(
        self, engine: sa.Engine, ledger_name: str, *, lease: timedelta = DEFAULT_LEASE
    ) -> None:
        self.engine = engine
        self.ledger_name = ledger_name
        self.lease = lease
        # One shared connection (an in-memory store) must not interleave two transactions.
        shared = isinstance(engine.pool, StaticPool)
        self._serial: AbstractContextManager[object] = _Serial() if shared else nullcontext()

    @classmethod
    def open(cls, database_url: str, ledger_name: str, **options: Any) -> ReportStore:
        store = cls(audit_engine(database_url), ledger_name, **options)
        store.create_tables()
        return store

    def create_tables(self) -> None:
        with self._writing() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('audit'))"))
            metadata.create_all(connection)
            insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
            connection.execute(
                insert(audit_claims)
                .values(ledger_name=self.ledger_name, report_id=None, heartbeat_at=None)
                .on_conflict_do_nothing()
            )

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._serial, self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._serial, self.engine.connect() as connection:
            yield connection

    # -- running -------------------------------------------------------------------------------

    def claim(self, parameters: ReportParameters, requested_by: str) -> tuple[StoredReport, bool]:
        """Start a report: (the new report, True); or, while one with the same parameters
        runs, (that one, False). `ReportRunningError` while another one runs."""
        for _ in range(3):
            started = self._try_claim(parameters, requested_by)
            if started is not None:
                return self.get(started), True
            holder = self._holder()
            if holder is None:
                continue  # it finished in between: try again
            running = self.get(holder)
            if running.status == RUNNING and running.parameters == parameters:
                return running, False
            raise ReportRunningError(holder)
        raise ReportRunningError(self._holder() or uuid4())

    def _try_claim(self, parameters: ReportParameters, requested_by: str) -> UUID | None:
        report_id = uuid4()
        now = utc_now()
        with self._writing() as connection:
            moved = connection.execute(
                audit_claims.update()
                .where(
                    audit_claims.c.ledger_name == self.ledger_name,
                    sa.or_(
                        audit_claims.c.report_id.is_(None),
                        audit_claims.c.heartbeat_at < now - self.lease,
                    ),
                )
                .values(report_id=report_id, heartbeat_at=now)
            )
            if moved.rowcount != 1:
                return None
            connection.execute(
                audit_reports.update()
                .where(audit_reports.c.status == RUNNING)
                .values(
                    status=FAILED,
                    finished_at=now,
                    error="中断：进程停止，租约过期 interrupted: its process stopped "
                    "(claim lapsed)",
                )
            )
            connection.execute(
                audit_reports.insert().values(
                    report_id=report_id,
                    status=RUNNING,
                    requested_by=requested_by,
                    requested_at=now,
                    parameters=parameters.to_document(),
                )
            )
        return report_id

    def _holder(self) -> UUID | None:
        with self._reading() as connection:
            holder: UUID | None = connection.execute(
                sa.select(audit_claims.c.report_id).where(
                    audit_claims.c.ledger_name == self.ledger_name
                )
            ).scalar_one_or_none()
        return holder

    def _renew(self, connection: Connection, report_id: UUID, release: bool = False) -> None:
        values: dict[str, Any] = (
            {"report_id": None, "heartbeat_at": None} if release else {"heartbeat_at": utc_now()}
        )
        held = connection.execute(
            audit_claims.update()
            .where(
                audit_claims.c.ledger_name == self.ledger_name,
                audit_claims.c.report_id == report_id,
            )
            .values(**values)
        )
        if held.rowcount != 1:
            raise ReportClaimLostError(f"audit report {report_id} lost its claim on the ledger")

    def record_progress(
        self,
        report_id: UUID,
        *,
        position: int,
        last: int,
        rows: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """Renew the claim, add the decisions replayed since the last call, move the progress."""
        with self._writing() as connection:
            self._renew(connection, report_id)
            insert_rows(connection, audit_decisions, rows)
            connection.execute(
                audit_reports.update()
                .where(audit_reports.c.report_id == report_id)
                .values(progress_position=position, progress_last=last)
            )

    def finish(
        self,
        report_id: UUID,
        *,
        first_position: int | None,
        last_position: int,
        events_read: int,
        head: dict[str, Any],
        counts: Counts,
        digest: str,
    ) -> None:
        """The report is complete: its range, head, counts and digest; the claim released."""
        with self._writing() as connection:
            self._renew(connection, report_id, release=True)
            connection.execute(
                audit_reports.update()
                .where(audit_reports.c.report_id == report_id)
                .values(
                    status=DONE,
                    finished_at=utc_now(),
                    progress_position=last_position,
                    events_read=events_read,
                    first_position=first_position,
                    last_position=last_position,
                    head=head,
                    decisions=counts.decisions,
                    rederived=counts.rederived,
                    imported=counts.imported,
                    matching=counts.matching,
                    differing=counts.differing,
                    digest=digest,
                )
            )

    def fail(self, report_id: UUID, error: str) -> None:
        """The report stopped: say why, and release the claim if it still holds it."""
        with self._writing() as connection:
            connection.execute(
                audit_reports.update()
                .where(audit_reports.c.report_id == report_id, audit_reports.c.status == RUNNING)
                .values(status=FAILED, finished_at=utc_now(), error=error[:2000])
            )
            connection.execute(
                audit_claims.update()
                .where(
                    audit_claims.c.ledger_name == self.ledger_name,
                    audit_claims.c.report_id == report_id,
                )
                .values(report_id=None, heartbeat_at=None)
            )

    # -- reading -------------------------------------------------------------------------------

    def get(self, report_id: UUID) -> StoredReport:
        with self._reading() as connection:
            row = connection.execute(
                sa.select(audit_reports).where(audit_reports.c.report_id == report_id)
            ).first()
        if row is None:
            raise AuditReportNotFoundError(report_id)
        return _report(row)

    def list_reports(self, limit: int = 20) -> list[StoredReport]:
        """The latest reports, newest first."""
        with self._reading() as connection:
            rows = connection.execute(
                sa.select(audit_reports)
                .order_by(audit_reports.c.requested_at.desc(), audit_reports.c.report_id)
                .limit(limit)
            ).all()
        return [_report(row) for row in rows]

    def latest_done(self, parameters: ReportParameters) -> StoredReport | None:
        """The newest complete report asked for with exactly these parameters."""
        with self._reading() as connection:
            rows = connection.execute(
                sa.select(audit_reports)
                .where(audit_reports.c.status == DONE)
                .order_by(audit_reports.c.finished_at.desc())
            )
            for row in rows:
                report = _report(row)
                if report.parameters == parameters:
                    return report
        return None

    def decisions(self, report_id: UUID, chosen: DecisionFilter) -> DecisionPage:
        """A page of the report's decisions that the filter lets through, in log order."""
        self.get(report_id)
        where = _conditions(report_id, chosen)
        with self._reading() as connection:
            total = connection.execute(
                sa.select(sa.func.count()).select_from(audit_decisions).where(*where)
            ).scalar_one()
            rows = connection.execute(
                sa.select(audit_decisions)
                .where(*where)
                .order_by(audit_decisions.c.seq)
                .limit(chosen.page_size)
                .offset((chosen.page - 1) * chosen.page_size)
            ).all()
        return DecisionPage(
            items=tuple(_decision(row) for row in rows),
            total=int(total),
            page=chosen.page,
            page_size=chosen.page_size,
            filter=chosen,
        )

    def decision(self, report_id: UUID, seq: int) -> DecisionRow:
        with self._reading() as connection:
            row = connection.execute(
                sa.select(audit_decisions).where(
                    audit_decisions.c.report_id == report_id, audit_decisions.c.seq == seq
                )
            ).first()
        if row is None:
            raise AuditReportNotFoundError(f"{report_id} decision {seq}")
        return _decision(row)

    def every_decision(
        self, report_id: UUID, chosen: DecisionFilter | None = None, chunk: int = 5000
    ) -> Iterator[DecisionRow]:
        """Every decision the filter lets through, in log order, read a chunk at a time."""
        where = _conditions(report_id, chosen or DecisionFilter())
        after = 0
        while True:
            with self._reading() as connection:
                rows = connection.execute(
                    sa.select(audit_decisions)
                    .where(*where, audit_decisions.c.seq > after)
                    .order_by(audit_decisions.c.seq)
                    .limit(chunk)
                ).all()
            if not rows:
                return
            yield from (_decision(row) for row in rows)
            after = rows[-1].seq


def _conditions(report_id: UUID, chosen: DecisionFilter) -> list[sa.ColumnElement[bool]]:
    c = audit_decisions.c
    where: list[sa.ColumnElement[bool]] = [c.report_id == report_id]
    if chosen.outcome is not None:
        where.append(c.outcome == chosen.outcome)
    if chosen.rule is not None:
        where.append(c.rules.contains(f" {chosen.rule} ", autoescape=True))
    if chosen.region is not None:
        where.append(c.region == chosen.region)
    if chosen.kind is not None:
        where.append(c.kind == chosen.kind)
    if chosen.from_day is not None:
        where.append(c.effective_on >= chosen.from_day)
    if chosen.to_day is not None:
        where.append(c.effective_on <= chosen.to_day)
    return where


def _report(row: Row[Any]) -> StoredReport:
    return StoredReport(
        report_id=row.report_id,
        status=row.status,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        finished_at=row.finished_at,
        parameters=ReportParameters.from_document(row.parameters),
        progress_position=int(row.progress_position or 0),
        progress_last=int(row.progress_last or 0),
        events_read=int(row.events_read or 0),
        first_position=row.first_position,
        last_position=row.last_position,
        head=row.head,
        counts=Counts(
            decisions=row.decisions or 0,
            rederived=row.rederived or 0,
            imported=row.imported or 0,
            matching=row.matching or 0,
            differing=row.differing or 0,
        ),
        digest=row.digest,
        error=row.error,
    )


def _decision(row: Row[Any]) -> DecisionRow:
    return DecisionRow(
        seq=row.seq,
        position=row.position,
        originator_id=row.originator_id,
        version=row.version,
        topic=row.topic,
        kind=row.kind,
        effective_on=row.effective_on,
        recorded_at=row.recorded_at,
        actor=row.actor,
        basis=row.basis,
        region=row.region,
        listing_id=row.listing_id,
        enterprise_id=row.enterprise_id,
        outcome=row.outcome,
        differing_rules=tuple(row.differing_rules.split()),
        recorded_rulebook=row.recorded_rulebook,
        recorded=row.recorded,
        rederived_rulebook=row.rederived_rulebook,
        rederived=row.recorded if row.rederived_as_recorded else row.rederived,
        note=row.note,
    )


class _Serial:
    """A lock as a context manager typed for `AbstractContextManager[object]`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> object:
        self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
