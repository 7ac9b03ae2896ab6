"""What a stored audit report is: its parameters, its state, its decisions (ADR 0015).

A report is asked for with `ReportParameters` — the facts known at an instant (`known_at`), the
decisions taken between two dates, in one region, and a what-if rulebook (ADR 0016) — and read
back as a `StoredReport` with its decisions paged and filtered (`DecisionFilter`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.auditing import KIND_LABELS, Outcome, ReplayedDecision
from domain.errors import (
    InvalidInputError,
    NotFoundError,
    TransitionRefusedError,
    UnknownCodeError,
)
from domain.rules import rulebook_named
from domain.rules.catalogue import RULES
from domain.values import Region

MAX_PAGE_SIZE = 500

RUNNING = "running"
DONE = "done"
FAILED = "failed"


class AuditReportNotFoundError(NotFoundError):
    """Raised when no stored audit report has the given id."""

    kind = "audit report"


class AuditReportNotDoneError(TransitionRefusedError):
    """Raised when what only a complete report has (its head, its file) is asked of another."""

    def __init__(self, report_id: UUID, status: str) -> None:
        super().__init__(
            f"审计报告 {report_id} 尚未完成（{status}），还没有树头和审计文件；"
            f"audit report {report_id} is {status}: it has no tree head nor audit file yet"
        )
        self.report_id = report_id


@dataclass(frozen=True)
class ReportParameters:
    """What a report replays: all decisions, or those of a date range and a region, under the
    rules in force then or under one rulebook version (a what-if)."""

    known_at: datetime | None = None
    from_day: date | None = None
    to_day: date | None = None
    region: str | None = None
    rulebook: str | None = None

    def __post_init__(self) -> None:
        if self.known_at is not None and self.known_at.utcoffset() is None:
            raise InvalidInputError("known_at", "must carry a time zone")
        if self.from_day and self.to_day and self.from_day > self.to_day:
            raise InvalidInputError(
                "to", f"{self.to_day.isoformat()} is before from {self.from_day.isoformat()}"
            )
        if self.region is not None:
            Region.of(self.region, "region")
        if self.rulebook is not None:
            rulebook_named(self.rulebook, "rulebook")

    def covers(self, decision: ReplayedDecision) -> bool:
        """Whether the decision is one the report is about."""
        day = decision.effective_on
        return (
            (self.from_day is None or self.from_day <= day)
            and (self.to_day is None or day <= self.to_day)
            and (self.region is None or decision.region == self.region)
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "known_at": self.known_at.isoformat() if self.known_at else None,
            "from": self.from_day.isoformat() if self.from_day else None,
            "to": self.to_day.isoformat() if self.to_day else None,
            "region": self.region,
            "rulebook": self.rulebook,
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> ReportParameters:
        def day(name: str) -> date | None:
            value = document.get(name)
            return date.fromisoformat(value) if value else None

        known_at = document.get("known_at")
        return cls(
            known_at=datetime.fromisoformat(known_at) if known_at else None,
            from_day=day("from"),
            to_day=day("to"),
            region=document.get("region"),
            rulebook=document.get("rulebook"),
        )


@dataclass(frozen=True)
class Counts:
    """Decisions in the report: re-derived (matching + differing) and imported."""

    decisions: int = 0
    rederived: int = 0
    imported: int = 0
    matching: int = 0
    differing: int = 0

    def adding(self, outcome: Outcome) -> Counts:
        return Counts(
            decisions=self.decisions + 1,
            rederived=self.rederived + (outcome is not Outcome.IMPORTED),
            imported=self.imported + (outcome is Outcome.IMPORTED),
            matching=self.matching + (outcome is Outcome.MATCHES),
            differing=self.differing + (outcome is Outcome.DIFFERS),
        )


@dataclass(frozen=True)
class StoredReport:
    report_id: UUID
    status: str
    requested_by: str
    requested_at: datetime
    finished_at: datetime | None
    parameters: ReportParameters
    progress_position: int
    progress_last: int
    events_read: int
    first_position: int | None
    last_position: int | None
    #: The tree head of the log up to `last_position` (a TreeHead document, signed when a key
    #: was configured).
    head: dict[str, Any] | None
    counts: Counts
    digest: str | None
    error: str | None

    @property
    def done(self) -> bool:
        return self.status == DONE

    def completed(self) -> StoredReport:
        """The report itself when it is done; `AuditReportNotDoneError` otherwise."""
        if not self.done:
            raise AuditReportNotDoneError(self.report_id, self.status)
        return self

    @property
    def tree_size(self) -> int | None:
        return int(self.head["tree_size"]) if self.head else None


@dataclass(frozen=True)
class DecisionRow:
    """One decision of a stored report; findings as JSON documents, each cited event with its
    `position` and `aggregate` kind."""

    seq: int
    position: int
    originator_id: UUID
    version: int
    topic: str
    kind: str
    effective_on: date
    recorded_at: datetime
    actor: str
    basis: list[dict[str, Any]]
    region: str | None
    listing_id: UUID | None
    enterprise_id: UUID | None
    outcome: str
    differing_rules: tuple[str, ...]
    recorded_rulebook: str
    recorded: list[dict[str, Any]]
    rederived_rulebook: str | None
    rederived: list[dict[str, Any]] | None
    note: str

    @property
    def why_not_rederived(self) -> tuple[str, str] | None:
        """Why an imported decision is shown as recorded and not re-derived (Chinese, English)."""
        if self.outcome != Outcome.IMPORTED.value:
            return None
        documents = "、".join(
            str(b.get("doc_no") or b.get("title"))
            for b in self.basis
            if b.get("doc_no") or b.get("title")
        )
        cited_zh = f"（{documents}）" if documents else ""
        cited_en = f" ({documents})" if documents else ""
        return (
            f"依据公告{cited_zh}导入：记录的是台账建立前工信部已公布的决定，未按规则重新认定。",
            (
                f"Imported from the published announcement{cited_en}: it records what the "
                "ministry announced before the ledger existed, and is not re-derived under the "
                "rules."
            ),
        )


@dataclass(frozen=True)
class DecisionFilter:
    """Which decisions of a report to show: each given field narrows them."""

    outcome: str | None = None
    rule: str | None = None
    region: str | None = None
    kind: str | None = None
    from_day: date | None = None
    to_day: date | None = None
    page: int = 1
    page_size: int = 50

    def __post_init__(self) -> None:
        if self.outcome is not None:
            Outcome(_known(self.outcome, [o.value for o in Outcome], "outcome"))
        if self.rule is not None:
            _known(self.rule, list(RULES), "rule")
        if self.region is not None:
            Region.of(self.region, "region")
        if self.kind is not None:
            _known(self.kind, list(KIND_LABELS), "decision")
        if self.page < 1:
            raise InvalidInputError("page", f"{self.page} is not 1 or more")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidInputError(
                "page_size", f"{self.page_size} is not between 1 and {MAX_PAGE_SIZE}"
            )


def _known(code: str, allowed: list[str], name: str) -> str:
    if code not in allowed:
        raise UnknownCodeError(name, f"{code!r} is not one of: {', '.join(allowed)}")
    return code


@dataclass(frozen=True)
class DecisionPage:
    items: tuple[DecisionRow, ...]
    total: int
    page: int
    page_size: int
    filter: DecisionFilter = field(default_factory=DecisionFilter)
