"""How a route runs a command: claim its Idempotency-Key, make one ledger call, answer with the
receipt once the events are stored.

design.md, Architecture: the API is thin — parse, one ledger call, respond. What every command
shares is here, once: the principal becomes the events' `actor`; the body's `effective_on`,
`basis` and `note` become the provenance; the answer carries the affected ids and the ledger
`position` (also in the header `X-Ledger-Position`), and is kept with the Idempotency-Key so that
a retry gets it again without writing. The command does not wait for the read models (ADR 0130):
it wakes this process's background projector, and a caller that must read its own write passes
the position as `min_position` to the read.

One command at a time runs in a process (`gate`, ADR 0053): the claim of its key, its ledger
call and the keeping of its answer. Writers to one SQLite file queue on this lock instead of on
SQLite's busy handler (which sleeps up to 100 ms a try and lets a writer starve), and two
commands of one process never race on an aggregate, so they never answer 409 to each other.
Across processes, the database decides, and the loser of a race is decided again on the newer
state (`rerun_on_conflict`, ADR 0111) before anything is answered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date

from fastapi.responses import JSONResponse
from starlette.requests import Request

from api.http.auth import Principal
from api.http.idempotency import (
    IdempotencyStore,
    StoredAnswer,
    request_fingerprint,
    written_mark,
)
from api.http.middleware import POSITION, RERUNS
from api.http.schemas.common import CommandBody, CommandReceipt
from domain.ledger import Ledger, Receipt
from domain.persistence.recorders import in_the_save
from domain.persistence.rerun import rerun_on_conflict
from domain.values import Provenance

log = logging.getLogger("greenledger.api")

#: Told when a command stored events: this process's background projector, woken.
Stored = Callable[[], object]

REPLAYED_HEADER = "Idempotent-Replayed"
#: The ledger position a command's answer reflects (also `position` in its body).
POSITION_HEADER = "X-Ledger-Position"


@dataclass
class Command:
    """One command request: who sends it, under which Idempotency-Key, on which ledger."""

    request: Request
    principal: Principal
    ledger: Ledger
    keys: IdempotencyStore
    stored: Stored | None
    idempotency_key: str | None
    gate: AbstractContextManager[object]

    def run(
        self,
        body: CommandBody | None,
        action: Callable[[Provenance], Receipt],
        *,
        creates: bool = False,
        effective_on: date | None = None,
    ) -> JSONResponse:
        """Run `action` once for this request; `creates`: answer 201 when it wrote."""

        provenance = self.provenance(body, effective_on)

        def receipt_answer() -> tuple[StoredAnswer, bool]:
            receipt = action(provenance)
            return self.answer(receipt, creates), receipt.written

        payload = body.model_dump(mode="json") if body is not None else None
        return self.answer_once(payload, receipt_answer, marked=201 if creates else 200)

    def answer_once(
        self,
        payload: object,
        produce: Callable[[], tuple[StoredAnswer, bool]],
        *,
        in_chunks: bool = False,
        marked: int | None = None,
    ) -> JSONResponse:
        """Produce the answer to this request once: claim the Idempotency-Key (if any) for the
        request identified by `payload`, produce, keep the answer; a retry gets it back.

        `in_chunks`: `produce` takes the gate itself for each of its saves (an import, ADR 0041),
        so other commands run between them; only the key's claim and answer hold it here.
        `marked`: one ledger call whose answer, if it writes, has this status — its save marks
        the claim written in its own transaction (ADR 0107), so that a claim a crash leaves
        behind is answered, not released, when the command wrote. Uploads are not marked: their
        claim is released, and the retry, which writes nothing twice, answers in full.

        A lost optimistic-concurrency race is decided again on the newer state before anything
        is answered (ADR 0111): 409 only for a rule or the record's state. An import that loses
        one between its chunks is run again whole: what its first run saved is found recorded.
        """
        key = self.idempotency_key
        actor = self.principal.key_scope
        fingerprint = (
            request_fingerprint(self.request.method, self.request.url.path, payload)
            if key is not None
            else ""
        )
        with self.gate:
            stored = self.keys.claim(actor, key, fingerprint) if key is not None else None
            if stored is None and not in_chunks:
                marking = (
                    in_the_save(written_mark(actor, key, marked))
                    if key is not None and marked is not None
                    else nullcontext()
                )
                with marking:
                    answer, written = self._produce(key, produce)
        if stored is None and in_chunks:
            answer, written = self._produce(key, produce, keeping=self.gate)
        if stored is not None:
            return self._respond(stored, {REPLAYED_HEADER: "true"})
        if written and self.stored is not None:
            self.stored()
        return self._respond(answer, {})

    def _respond(self, answer: StoredAnswer, headers: dict[str, str]) -> JSONResponse:
        position = answer.body.get("position")
        setattr(self.request.state, POSITION, position)
        if isinstance(position, int):
            headers[POSITION_HEADER] = str(position)
        return JSONResponse(answer.body, status_code=answer.status_code, headers=headers)

    def _produce(
        self,
        key: str | None,
        produce: Callable[[], tuple[StoredAnswer, bool]],
        keeping: AbstractContextManager[object] | None = None,
    ) -> tuple[StoredAnswer, bool]:
        """Produce the answer and keep it with the claimed key (under `keeping`, when the caller
        does not hold the gate); on failure release the key."""
        actor = self.principal.key_scope
        try:
            answer, written = rerun_on_conflict(produce, lost=self._lost_race)
        except Exception:
            if key is not None:
                with keeping or nullcontext():
                    self.keys.release(actor, key)
            raise
        if key is not None:
            with keeping or nullcontext():
                self.keys.complete(actor, key, answer)
        return answer, written

    def _lost_race(self, attempt: int) -> None:
        """Counted in the access log's line of the request (`reruns`)."""
        setattr(self.request.state, RERUNS, attempt)

    def provenance(self, body: CommandBody | None, effective_on: date | None) -> Provenance:
        if body is None:
            return Provenance(actor=self.principal.actor, effective_on=effective_on)
        return Provenance(
            actor=self.principal.actor,
            effective_on=body.effective_on or effective_on,
            basis=body.basis_to_domain(),
            note=body.note,
        )

    def answer(self, receipt: Receipt, creates: bool) -> StoredAnswer:
        position = receipt.position if receipt.position is not None else self.ledger.position
        public = CommandReceipt(
            id=receipt.id, ids=list(receipt.ids), position=position, written=receipt.written
        )
        status = 201 if creates and receipt.written else 200
        return StoredAnswer(status, public.model_dump(mode="json"))
