"""The stored audit reports' tables, beside the events in the ledger's database (ADR 0015).

- `audit_reports`: one row per report — who asked, with what parameters, its status and
  progress, the range of the log it replayed, the tree head of that range, its counts and the
  digest of its content.
- `audit_decisions`: every decision of a report, in log order (`seq`), with its recorded and
  re-derived findings (JSON, each cited event with its position) and what it is filtered by.
- `audit_claims`: the one row per ledger that a running report claims, so that one report runs
  at a time, across processes too; the claim lapses when its heartbeat stops.

A report is derived from the events, the parameters and the rulebook: these tables hold no fact
of the green list. `greenledger rebuild` leaves them alone (they are not projections of the log).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from domain.persistence.storage import parse_database_url
from readside.engine.tables import UtcDateTime
from seal.sealing import seal_engine

metadata = sa.MetaData()

audit_reports = sa.Table(
    "audit_reports",
    metadata,
    sa.Column("report_id", sa.Uuid, primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("requested_by", sa.String(64), nullable=False),
    sa.Column("requested_at", UtcDateTime, nullable=False),
    sa.Column("finished_at", UtcDateTime),
    sa.Column("parameters", sa.JSON, nullable=False),
    sa.Column("progress_position", sa.BigInteger, nullable=False, default=0),
    sa.Column("progress_last", sa.BigInteger, nullable=False, default=0),
    sa.Column("events_read", sa.BigInteger, nullable=False, default=0),
    sa.Column("first_position", sa.BigInteger),
    sa.Column("last_position", sa.BigInteger),
    sa.Column("head", sa.JSON),
    sa.Column("decisions", sa.Integer, nullable=False, default=0),
    sa.Column("rederived", sa.Integer, nullable=False, default=0),
    sa.Column("imported", sa.Integer, nullable=False, default=0),
    sa.Column("matching", sa.Integer, nullable=False, default=0),
    sa.Column("differing", sa.Integer, nullable=False, default=0),
    sa.Column("digest", sa.String(64)),
    sa.Column("error", sa.Text),
)
sa.Index("audit_reports_requested_at", audit_reports.c.requested_at)

audit_decisions = sa.Table(
    "audit_decisions",
    metadata,
    sa.Column("report_id", sa.Uuid, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("originator_id", sa.Uuid, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("topic", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("basis", sa.JSON, nullable=False),
    sa.Column("region", sa.String(6)),
    sa.Column("listing_id", sa.Uuid),
    sa.Column("enterprise_id", sa.Uuid),
    sa.Column("outcome", sa.String(16), nullable=False),
    #: Rule ids between spaces (" DYN-3 DYN-4 "), so that one rule is found with LIKE.
    sa.Column("differing_rules", sa.Text, nullable=False),
    sa.Column("rules", sa.Text, nullable=False),
    sa.Column("recorded_rulebook", sa.String(16), nullable=False),
    sa.Column("recorded", sa.JSON, nullable=False),
    sa.Column("rederived_rulebook", sa.String(16)),
    #: Null when imported (not re-derived), or when re-derived exactly as recorded: then
    #: `rederived_as_recorded` (most decisions: half the table's size).
    sa.Column("rederived", sa.JSON),
    sa.Column("rederived_as_recorded", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)
sa.Index(
    "audit_decisions_outcome",
    audit_decisions.c.report_id,
    audit_decisions.c.outcome,
    audit_decisions.c.seq,
)

audit_claims = sa.Table(
    "audit_claims",
    metadata,
    sa.Column("ledger_name", sa.String(64), primary_key=True),
    sa.Column("report_id", sa.Uuid),
    sa.Column("heartbeat_at", UtcDateTime),
)


def audit_engine(database_url: str) -> sa.Engine:
    """An engine on the ledger's database for the reports (in memory: a private database)."""
    storage = parse_database_url(database_url)
    if storage.kind == "memory":
        return sa.create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    engine = seal_engine(database_url)
    if storage.kind == "sqlite":
        sa.event.listen(engine, "connect", _normal_sync)
    return engine


def _normal_sync(dbapi_connection: Any, _record: Any) -> None:
    # WAL mode (the library's): NORMAL commits atomically and survives a crash of the program;
    # a power cut may lose the last pages of a report, which is computed again (ADR 0015).
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")


def utc_now() -> datetime:
    return datetime.now(UTC)
