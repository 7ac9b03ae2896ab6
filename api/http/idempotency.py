"""Idempotency-Key (ADR 0051): a retried command returns its first answer and writes nothing.

The key is claimed before the command runs — one row per token and key, inserted in one
statement, so of two identical requests racing only one inserts it and runs; the other is told the
request is in progress (409) or, once answered, gets the stored answer. The row then keeps the
answer. A request with the same key but another body (or path) is refused with 422. A command the
ledger refused wrote nothing, so its claim is released: the key may be used again.

A claim left behind by a process that died between the claim and the answer (ADR 0107): the
save that records the command's events also marks the claim `written` in the same transaction,
with the command's originators and status. A claim older than the stale age
(`GREENLEDGER_IDEMPOTENCY_STALE_SECONDS`) is resolved — at the server's start and when a retry
meets it: `written`, it is completed with the answer rebuilt from the mark (the ids, the ledger's
position now, `written: true`), kept for every later retry; still `pending`, nothing was written,
and it is released, so the retry runs the command.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import Engine, RowMapping, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from api.http.database import idempotency_keys, now, utc
from api.http.errors import IdempotencyKeyReusedError, RequestInProgressError
from domain.persistence.recorders import InTheSave

PENDING = "pending"
#: The command's events are recorded (marked in their save's transaction); no answer kept yet.
WRITTEN = "written"
COMPLETED = "completed"
RELEASED = "released"
#: Seconds after which a claim left pending or written is taken for a dead process's.
DEFAULT_STALE_SECONDS = 300.0
#: The ledger's position now: the answer of a recovered claim reflects at least this.
Position = Callable[[], int]


@dataclass(frozen=True)
class StoredAnswer:
    """The first answer to a request, replayed to its retries."""

    status_code: int
    body: Any


def request_fingerprint(method: str, path: str, payload: Any) -> str:
    """SHA-256 of what makes two requests the same: method, path and the parsed body."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


class IdempotencyStore:
    """Claims, answers and releases Idempotency-Keys in the `idempotency_keys` table."""

    def __init__(
        self,
        engine: Engine,
        *,
        stale_seconds: float = DEFAULT_STALE_SECONDS,
        position: Position | None = None,
    ) -> None:
        self.engine = engine
        self.stale_seconds = stale_seconds
        self.position = position

    def claim(self, principal: str, key: str, fingerprint: str) -> StoredAnswer | None:
        """Claim the key for this request: None when claimed (run the command), the stored
        answer when the same request was answered before; refused when it is another request's
        key or the same request is still running."""
        row_of = and_(idempotency_keys.c.principal == principal, idempotency_keys.c.key == key)
        with self.engine.connect() as connection:
            try:
                connection.execute(
                    insert(idempotency_keys).values(
                        principal=principal,
                        key=key,
                        request_hash=fingerprint,
                        state=PENDING,
                        claimed_at=now(),
                    )
                )
                return None
            except IntegrityError:
                pass
            reclaimed = connection.execute(
                update(idempotency_keys)
                .where(row_of, idempotency_keys.c.state == RELEASED)
                .values(request_hash=fingerprint, state=PENDING, claimed_at=now())
            )
            if reclaimed.rowcount == 1:
                return None
            row = connection.execute(select(idempotency_keys).where(row_of)).mappings().first()
        if row is not None and self._is_stale(row):
            resolved = self._resolve(row)
            if resolved == RELEASED:
                return self.claim(principal, key, fingerprint)
            row = self._row(principal, key)
        if row is None:  # released and gone between the statements: cannot happen, nothing deletes
            raise RequestInProgressError(f"the Idempotency-Key {key!r} is being claimed; retry")
        if row["request_hash"] != fingerprint:
            raise IdempotencyKeyReusedError(
                f"the Idempotency-Key {key!r} was already used for a different request"
            )
        if row["state"] != COMPLETED:
            raise RequestInProgressError(
                f"the request with Idempotency-Key {key!r} is still being answered; retry later"
            )
        return StoredAnswer(int(row["status_code"]), json.loads(row["response"]))

    def complete(self, principal: str, key: str, answer: StoredAnswer) -> None:
        """Keep the first answer with the key."""
        with self.engine.connect() as connection:
            connection.execute(
                update(idempotency_keys)
                .where(
                    idempotency_keys.c.principal == principal,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.state.in_((PENDING, WRITTEN)),
                )
                .values(
                    state=COMPLETED,
                    status_code=answer.status_code,
                    response=json.dumps(answer.body, ensure_ascii=False),
                    completed_at=now(),
                )
            )

    def release(self, principal: str, key: str) -> None:
        """Give the key back after a command that wrote nothing (it was refused or failed)."""
        with self.engine.connect() as connection:
            connection.execute(
                update(idempotency_keys)
                .where(
                    idempotency_keys.c.principal == principal,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.state == PENDING,
                )
                .values(state=RELEASED)
            )

    # -- claims left behind (ADR 0107) ---------------------------------------------------------

    def resolve_stale(self) -> int:
        """Resolve every claim older than the stale age; how many were resolved."""
        cutoff = now() - timedelta(seconds=self.stale_seconds)
        with self.engine.connect() as connection:
            rows = (
                connection.execute(
                    select(idempotency_keys).where(
                        idempotency_keys.c.state.in_((PENDING, WRITTEN)),
                        idempotency_keys.c.claimed_at < cutoff,
                    )
                )
                .mappings()
                .all()
            )
        return sum(1 for row in rows if self._resolve(row) is not None)

    def _is_stale(self, row: RowMapping) -> bool:
        if row["state"] not in (PENDING, WRITTEN):
            return False
        claimed = utc(row["claimed_at"])
        return claimed is not None and (now() - claimed).total_seconds() > self.stale_seconds

    def _resolve(self, row: RowMapping) -> str | None:
        """Complete a written claim with its rebuilt answer, release a pending one; the state
        it was moved to (None when another process resolved it first)."""
        principal, key = row["principal"], row["key"]
        guard = and_(
            idempotency_keys.c.principal == principal,
            idempotency_keys.c.key == key,
            idempotency_keys.c.state == row["state"],
            idempotency_keys.c.claimed_at == row["claimed_at"],
        )
        if row["state"] == PENDING:
            values: dict[str, Any] = {"state": RELEASED}
        else:
            answer = self._rebuilt_answer(json.loads(row["response"] or "{}"))
            values = {
                "state": COMPLETED,
                "status_code": answer.status_code,
                "response": json.dumps(answer.body, ensure_ascii=False),
                "completed_at": now(),
            }
        with self.engine.connect() as connection:
            moved = connection.execute(update(idempotency_keys).where(guard).values(**values))
        return str(values["state"]) if moved.rowcount == 1 else None

    def _rebuilt_answer(self, mark: Mapping[str, Any]) -> StoredAnswer:
        ids = [str(found) for found in mark.get("ids", [])]
        position = self.position() if self.position is not None else None
        body = {
            "id": ids[0] if ids else None,
            "ids": ids,
            "position": position,
            "written": True,
            "recovered": True,
        }
        return StoredAnswer(int(mark.get("status", 200)), body)

    def _row(self, principal: str, key: str) -> RowMapping | None:
        row_of = and_(idempotency_keys.c.principal == principal, idempotency_keys.c.key == key)
        with self.engine.connect() as connection:
            return connection.execute(select(idempotency_keys).where(row_of)).mappings().first()


def written_mark(principal: str, key: str, status: int) -> InTheSave:
    """The statement the save of a keyed command runs in its transaction: the claim is marked
    written, with the originators of the events and the status the answer will have."""

    def mark(cursor: Any, stored_events: Sequence[StoredEvent]) -> None:
        ids = list(dict.fromkeys(str(event.originator_id) for event in stored_events))
        noted = json.dumps({"status": status, "ids": ids})
        p = "%s" if type(cursor).__module__.startswith("psycopg") else "?"
        cursor.execute(
            f"UPDATE idempotency_keys SET state = {p}, response = {p} "
            f"WHERE principal = {p} AND key = {p} AND state IN ({p}, {p})",
            (WRITTEN, noted, principal, key, PENDING, WRITTEN),
        )

    return mark
