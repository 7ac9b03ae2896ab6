"""Idempotency-Key claims a crash leaves behind (issue 16, finding 3; ADR 0107).

A process that dies between its claim and its answer used to leave the key `pending` for ever:
every retry answered 409 `retry: true`. Now the save that records the command's events marks the
claim written in its own transaction; a claim older than the stale age is resolved — answered
from the mark when the command wrote, released (the retry runs) when it did not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, select

from api.http.database import api_engine, create_api_tables, idempotency_keys
from api.http.errors import RequestInProgressError
from api.http.idempotency import IdempotencyStore, written_mark
from domain.ledger import Ledger
from domain.persistence.recorders import in_the_save
from domain.persistence.storage import parse_database_url
from domain.values import Provenance

ACTOR = "province:320000"


@dataclass
class Keys:
    ledger: Ledger
    engine: Engine

    def store(self, stale_seconds: float) -> IdempotencyStore:
        return IdempotencyStore(
            self.engine, stale_seconds=stale_seconds, position=lambda: self.ledger.position
        )

    def state(self, key: str) -> str:
        with self.engine.connect() as connection:
            return str(
                connection.execute(
                    select(idempotency_keys.c.state).where(idempotency_keys.c.key == key)
                ).scalar_one()
            )


@pytest.fixture
def keys(sql_database_url: str) -> Iterator[Keys]:
    engine = api_engine(parse_database_url(sql_database_url), pool_size=1)
    create_api_tables(engine)
    ledger = Ledger.open(sql_database_url)
    yield Keys(ledger, engine)
    ledger.close()
    engine.dispose()


def crash_after_the_save(keys: Keys, key: str) -> int | None:
    """Claim `key`, record the command's events (the save marks the claim), then die: no answer."""
    assert keys.store(300).claim(ACTOR, key, "fingerprint-" + key) is None
    with in_the_save(written_mark(ACTOR, key, 201)):
        receipt = keys.ledger.register_enterprise(
            name=f"江苏崩溃测试{key}有限公司",
            region="320000",
            provenance=Provenance(actor=ACTOR, effective_on=date(2022, 9, 20)),
        )
    assert receipt.id is not None
    return receipt.position


def test_the_save_marks_the_claim_written_in_its_own_transaction(keys: Keys) -> None:
    crash_after_the_save(keys, "k-written")

    assert keys.state("k-written") == "written"


def test_a_fresh_claim_left_behind_still_answers_in_progress_with_retry_after(
    keys: Keys,
) -> None:
    crash_after_the_save(keys, "k-written")

    with pytest.raises(RequestInProgressError) as refused:
        keys.store(300).claim(ACTOR, "k-written", "fingerprint-k-written")

    assert refused.value.headers == {"Retry-After": "1"}


def test_a_stale_written_claim_answers_the_outcome_and_writes_nothing_again(keys: Keys) -> None:
    written_at = crash_after_the_save(keys, "k-written")
    events = keys.ledger.position
    stale = keys.store(0)

    first = stale.claim(ACTOR, "k-written", "fingerprint-k-written")
    again = stale.claim(ACTOR, "k-written", "fingerprint-k-written")

    assert first is not None
    assert first == again
    assert first.status_code == 201
    assert first.body["written"] is True
    assert first.body["id"] == first.body["ids"][0]
    assert written_at is not None
    assert first.body["position"] >= written_at
    assert keys.ledger.position == events
    assert keys.state("k-written") == "completed"


def test_a_stale_pending_claim_is_released_so_the_retry_runs(keys: Keys) -> None:
    assert keys.store(300).claim(ACTOR, "k-pending", "fingerprint") is None  # died before saving

    assert keys.store(0).claim(ACTOR, "k-pending", "fingerprint") is None  # the retry runs
    assert keys.state("k-pending") == "pending"


def test_the_start_resolves_every_stale_claim(keys: Keys) -> None:
    crash_after_the_save(keys, "k-written")
    assert keys.store(300).claim(ACTOR, "k-pending", "fingerprint") is None

    resolved = keys.store(0).resolve_stale()

    assert resolved == 2
    assert keys.state("k-written") == "completed"
    assert keys.state("k-pending") == "released"
