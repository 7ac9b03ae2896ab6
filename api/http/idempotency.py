"""Idempotency-Key (ADR 0051): a retried command returns its first answer and writes nothing.

The key is claimed before the command runs — one row per token and key, inserted in one
statement, so of two identical requests racing only one inserts it and runs; the other is told the
request is in progress (409) or, once answered, gets the stored answer. The row then keeps the
answer. A request with the same key but another body (or path) is refused with 422. A command the
ledger refused wrote nothing, so its claim is released: the key may be used again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from api.http.database import idempotency_keys, now
from api.http.errors import IdempotencyKeyReusedError, RequestInProgressError

PENDING = "pending"
COMPLETED = "completed"
RELEASED = "released"


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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
                    idempotency_keys.c.state == PENDING,
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
