"""Computing a stored report: replay with an observer that writes each decision as it comes, then
the tree head of the log the replay read (ADR 0015).

`run_report` runs one claimed report in the calling thread (the CLI, with a progress bar);
`AuditDesk` runs them in background threads of the API process, one at a time per ledger
(the claim, `audit.store`), and stops them when the process stops.

The report's digest is the SHA-256 of one canonical line per decision, in log order, then of its
summary (parameters, range, the head's size and root, counts): the same head and parameters give
the same digest, and `recomputed_digest` checks a stored report against its own rows.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.reports import Counts, DecisionRow, ReportParameters, StoredReport
from audit.store import ReportStore
from domain.auditing import Cited, Outcome, ReplayedDecision
from domain.ledger import Ledger
from domain.replay import replay
from domain.rules import rulebook_named
from domain.values import Finding
from readside.engine.writing import Encoded, basis_json, json_text
from seal.sealing import Seal
from seal.signing import TreeHead, sign_head

log = logging.getLogger("greenledger.audit")

#: The decisions a running report writes at once, or after this many seconds, with its progress
#: (and the heartbeat of its claim).
FLUSH_ROWS = 5000
FLUSH_SECONDS = 1.0

Progress = Callable[[int, int], None]


class ReportInterruptedError(Exception):
    """Raised inside a running report when its process is stopping."""


def run_report(
    ledger: Ledger,
    store: ReportStore,
    seal: Seal,
    report: StoredReport,
    *,
    signing_key: Ed25519PrivateKey | None = None,
    gate: AbstractContextManager[object] | None = None,
    progress: Progress | None = None,
    stopping: Callable[[], bool] | None = None,
    page_size: int = 1000,
) -> StoredReport:
    """Replay for the claimed `report` and store what it finds; the finished report."""
    gate = gate or nullcontext()
    parameters = report.parameters
    writer = _Writer(store, report.report_id, parameters, gate, progress, stopping)
    try:
        replayed = replay(
            ledger,
            parameters.known_at,
            page_size=page_size,
            progress=writer.page_done,
            rulebook=rulebook_named(parameters.rulebook) if parameters.rulebook else None,
            observer=writer.take,
        )
        writer.flush(replayed.last_position, max(writer.last, replayed.last_position))
        head = report_head(seal, replayed.last_position, signing_key, gate)
        first = ledger.recorder.select_notifications(start=None, limit=1)
        first_position = first[0].id if first and replayed.last_position else None
        counts = writer.counts()
        digest = writer.digest(parameters, first_position, replayed.last_position, head, counts)
        with gate:
            store.finish(
                report.report_id,
                first_position=first_position,
                last_position=replayed.last_position,
                events_read=replayed.events_read,
                head=head.to_document(),
                counts=counts,
                digest=digest,
            )
    except BaseException as error:
        with gate:
            store.fail(report.report_id, _reason(error))
        raise
    return store.get(report.report_id)


def _reason(error: BaseException) -> str:
    if isinstance(error, ReportInterruptedError):
        return "中断：服务停止 interrupted: the server stopped"
    return f"失败 failed: {type(error).__name__}: {error}"


def report_head(
    seal: Seal,
    last_position: int,
    signing_key: Ed25519PrivateKey | None,
    gate: AbstractContextManager[object],
) -> TreeHead:
    """The tree head of the log up to `last_position` (signed when a key is given)."""
    # The seal writes its nodes to the ledger's database: a page at a time under the gate.
    seal.catch_up(until=last_position, gate=gate)
    size = seal.leaf_at(last_position).leaf_index + 1 if last_position else 0
    head = seal.head(size)
    return sign_head(head, signing_key) if signing_key is not None else head


class _Writer:
    """Takes the replayed decisions the report covers; writes them a page at a time."""

    def __init__(
        self,
        store: ReportStore,
        report_id: UUID,
        parameters: ReportParameters,
        gate: AbstractContextManager[object],
        progress: Progress | None,
        stopping: Callable[[], bool] | None,
    ) -> None:
        self.store = store
        self.report_id = report_id
        self.parameters = parameters
        self.gate = gate
        self.progress = progress
        self.stopping = stopping
        self.rows: list[dict[str, Any]] = []
        self.seq = 0
        self.last = 0
        self.outcomes: Counter[Outcome] = Counter()
        self.hasher = hashlib.sha256()
        self.flushed = time.monotonic()

    def take(self, decision: ReplayedDecision) -> None:
        if not self.parameters.covers(decision):
            return
        self.seq += 1
        row = decision_row(self.report_id, self.seq, decision)
        self.hasher.update(canonical_line(row))
        self.rows.append(row)
        self.outcomes[decision.outcome] += 1

    def page_done(self, position: int, last: int) -> None:
        if self.stopping is not None and self.stopping():
            raise ReportInterruptedError
        # Fewer, larger transactions; the progress still moves about once a second.
        if len(self.rows) >= FLUSH_ROWS or time.monotonic() - self.flushed >= FLUSH_SECONDS:
            self.flush(position, last)
        if self.progress is not None:
            self.progress(position, last)

    def flush(self, position: int, last: int) -> None:
        self.flushed = time.monotonic()
        self.last = last
        rows, self.rows = self.rows, []
        with self.gate:
            self.store.record_progress(self.report_id, position=position, last=last, rows=rows)

    def counts(self) -> Counts:
        matching, differing = self.outcomes[Outcome.MATCHES], self.outcomes[Outcome.DIFFERS]
        imported = self.outcomes[Outcome.IMPORTED]
        return Counts(
            decisions=matching + differing + imported,
            rederived=matching + differing,
            imported=imported,
            matching=matching,
            differing=differing,
        )

    def digest(
        self,
        parameters: ReportParameters,
        first_position: int | None,
        last_position: int,
        head: TreeHead,
        counts: Counts,
    ) -> str:
        summary = summary_line(
            parameters, first_position, last_position, head.to_document(), counts
        )
        self.hasher.update(summary)
        return self.hasher.hexdigest()


# -- rows and their canonical form -----------------------------------------------------------------


def decision_row(report_id: UUID, seq: int, decision: ReplayedDecision) -> dict[str, Any]:
    """The decision as a row of `audit_decisions`."""
    cited = {(c.originator_id, c.version): c for c in decision.cited}
    recorded = findings_text(decision.recorded, cited)
    as_recorded = decision.rederived == decision.recorded
    rederived: Encoded | None = None
    if decision.rederived is not None and not as_recorded:
        rederived = findings_text(decision.rederived, cited)
    checked = tuple(f.rule_id for f in decision.recorded)
    if decision.rederived is not None and not as_recorded:
        checked += tuple(f.rule_id for f in decision.rederived)
    return {
        "report_id": report_id,
        "seq": seq,
        "position": decision.position,
        "originator_id": decision.originator_id,
        "version": decision.version,
        "topic": decision.topic,
        "kind": decision.kind,
        "effective_on": decision.effective_on,
        "recorded_at": decision.recorded_at,
        "actor": decision.actor,
        "basis": basis_json(decision.basis),
        "region": decision.region,
        "listing_id": decision.listing_id,
        "enterprise_id": decision.enterprise_id,
        "outcome": decision.outcome.value,
        "differing_rules": spaced(decision.differing_rules),
        "rules": _rules_text(checked),
        "recorded_rulebook": decision.recorded_rulebook,
        "recorded": recorded,
        "rederived_rulebook": decision.rederived_rulebook,
        "rederived": rederived,
        "rederived_as_recorded": as_recorded,
        "note": decision.note,
    }


@functools.lru_cache(maxsize=4096)
def _rules_text(rule_ids: tuple[str, ...]) -> str:
    """Every rule a decision's findings name, once each, in order (decisions repeat a few sets)."""
    return spaced(sorted(set(rule_ids)))


def spaced(rule_ids: Iterable[str]) -> str:
    """Rule ids between spaces, so that `LIKE '% NEG-1 %'` finds one."""
    joined = " ".join(rule_ids)
    return f" {joined} " if joined else ""


def findings_text(findings: Iterable[Finding], cited: Mapping[tuple[UUID, int], Cited]) -> Encoded:
    """The findings as JSON, each cited event with its position: exactly `json_text` of the
    list of their documents (the digest reads them back so), built a finding at a time."""
    return Encoded(
        "["
        + ",".join(
            _finding_text(f, cited) if f.because else _uncited_finding_text(f) for f in findings
        )
        + "]"
    )


def _finding_document(finding: Finding, because: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id,
        "applies": finding.applies,
        "because": because,
        "barred_until": finding.barred_until.isoformat() if finding.barred_until else None,
        "detail": finding.detail,
    }


def _finding_text(finding: Finding, cited: Mapping[tuple[UUID, int], Cited]) -> str:
    because = []
    for ref in finding.because:
        found = cited.get((ref.originator_id, ref.version))
        because.append(
            {
                "originator_id": str(ref.originator_id),
                "version": ref.version,
                "position": found.position if found else None,
                "aggregate": found.aggregate if found else "",
            }
        )
    return str(json_text(_finding_document(finding, because)))


@functools.lru_cache(maxsize=8192)
def _uncited_finding_text(finding: Finding) -> str:
    """A finding resting on no event: the same text for every decision it is found for (a
    negative-list rule that does not apply, a requirement met)."""
    return str(json_text(_finding_document(finding, [])))


def canonical_line(row: Mapping[str, Any]) -> bytes:
    """One decision as the digest reads it: its fields as text, JSON as stored, tab-separated."""
    rederived = row["recorded"] if row["rederived_as_recorded"] else row["rederived"]
    cells = (
        str(row["seq"]),
        str(row["position"]),
        str(row["originator_id"]),
        str(row["version"]),
        row["topic"],
        row["kind"],
        row["effective_on"].isoformat(),
        row["recorded_at"].isoformat(),
        row["actor"],
        json_text(row["basis"]),
        row["region"] or "",
        _text(row["listing_id"]),
        _text(row["enterprise_id"]),
        row["outcome"],
        row["differing_rules"],
        row["rules"],
        row["recorded_rulebook"],
        json_text(row["recorded"]),
        row["rederived_rulebook"] or "",
        "" if rederived is None else json_text(rederived),
        row["note"],
    )
    return ("\t".join(cells) + "\n").encode()


def _text(value: object) -> str:
    return "" if value is None else str(value)


def summary_line(
    parameters: ReportParameters,
    first_position: int | None,
    last_position: int | None,
    head: Mapping[str, Any] | None,
    counts: Counts,
) -> bytes:
    document = {
        "parameters": parameters.to_document(),
        "first_position": first_position,
        "last_position": last_position,
        "tree_size": head["tree_size"] if head else None,
        "root_hash": head["root_hash"] if head else None,
        "counts": counts.__dict__,
    }
    return json.dumps(document, sort_keys=True).encode()


def recomputed_digest(store: ReportStore, report: StoredReport) -> str:
    """The digest of the report as its rows stand now (equal to `report.digest` unless the rows
    were changed after it was computed)."""
    hasher = hashlib.sha256()
    for row in store.every_decision(report.report_id):
        hasher.update(canonical_line(_stored_values(row)))
    hasher.update(
        summary_line(
            report.parameters,
            report.first_position,
            report.last_position,
            report.head,
            report.counts,
        )
    )
    return hasher.hexdigest()


def _stored_values(row: DecisionRow) -> dict[str, Any]:
    values = dict(row.__dict__)
    values["rederived_as_recorded"] = False  # the row read back holds the re-derived findings
    values["differing_rules"] = spaced(row.differing_rules)
    values["rules"] = spaced(
        sorted({f["rule_id"] for f in (*row.recorded, *(row.rederived or ()))})
    )
    return values


# -- in the background -----------------------------------------------------------------------------


class AuditDesk:
    """Runs reports in background threads of this process, one at a time per ledger."""

    def __init__(
        self,
        ledger: Ledger,
        store: ReportStore,
        seal: Seal,
        *,
        signing_key: Ed25519PrivateKey | None = None,
        gate: AbstractContextManager[object] | None = None,
    ) -> None:
        self.ledger = ledger
        self.store = store
        self.seal = seal
        self.signing_key = signing_key
        self.gate = gate or nullcontext()
        self._threads: dict[UUID, threading.Thread] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self, parameters: ReportParameters, requested_by: str) -> tuple[StoredReport, bool]:
        """Claim the ledger and start the report: (it, True); or (the same one running, False)."""
        with self.gate:
            report, started = self.store.claim(parameters, requested_by)
        if started:
            thread = threading.Thread(
                target=self._run, args=(report,), name=f"audit-{report.report_id}", daemon=True
            )
            with self._lock:
                self._threads[report.report_id] = thread
            thread.start()
        return report, started

    def _run(self, report: StoredReport) -> None:
        try:
            run_report(
                self.ledger,
                self.store,
                self.seal,
                report,
                signing_key=self.signing_key,
                gate=self.gate,
                stopping=self._stopping.is_set,
            )
        except Exception:
            log.exception("audit report %s failed", report.report_id)
        finally:
            with self._lock:
                self._threads.pop(report.report_id, None)

    def wait(self, report_id: UUID, timeout: float | None = None) -> StoredReport:
        """The report once its thread in this process has ended (at once if none runs here)."""
        with self._lock:
            thread = self._threads.get(report_id)
        if thread is not None:
            thread.join(timeout)
        return self.store.get(report_id)

    def close(self, timeout: float = 30) -> None:
        """Stop the running reports (they are marked interrupted) and wait for their threads."""
        self._stopping.set()
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout)
