"""`GET /v1/ledger/heads`: every head the server signed, kept in order, each consistent with the
one before — what a witness mirrors (issue 19). The witness's checks are written in the test
(`tests/publishing/witness.py`), from RFC 6962 and the head format, not with the product's code.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.publishing.publisher import Publisher
from api.settings import Settings
from domain.ledger import Ledger
from seal.signing import create_signing_key
from tests.builders import by_province, listed_factory
from tests.e2e.publishing.clock import TestClock
from tests.integration.publishing import witness

HOUR = 3600


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
def client(sql_database_url: str, tmp_path: Path, clock: TestClock) -> Iterator[TestClient]:
    key = tmp_path / "seal.pem"
    create_signing_key(key)
    settings = Settings(
        database_url=sql_database_url,
        signing_key_path=key,
        publish_interval_seconds=0,
        head_interval_seconds=HOUR,
    )
    with TestClient(create_app(settings, clock=clock)) as the_client:
        yield the_client


def publisher_of(client: TestClient) -> Publisher:
    publisher: Publisher = client.app.state.publisher  # type: ignore[attr-defined]
    return publisher


def ledger_of(client: TestClient) -> Ledger:
    ledger: Ledger = client.app.state.ledger  # type: ignore[attr-defined]
    return ledger


def mirror(client: TestClient, page_size: int = 2) -> list[dict[str, Any]]:
    """Every kept head, page by page, as a witness fetches them."""
    heads: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get("/v1/ledger/heads", params={"after": after, "limit": page_size}).json()
        heads.extend(page["heads"])
        if not page["heads"]:
            return heads
        after = page["next"]


def test_the_server_signs_a_head_each_hour_the_tree_grew_and_keeps_them_all(
    client: TestClient, clock: TestClock
) -> None:
    unit = listed_factory(ledger_of(client))
    rounds = []
    for hour in range(1, 6):
        ledger_of(client).rename_enterprise(
            unit.enterprise_id,
            name=f"江苏绿源第{hour}名称有限公司",
            provenance=by_province(date(2024, 1, hour)),
        )
        rounds.append(publisher_of(client).run_round().head_signed)
        clock.advance(HOUR / 2)
        rounds.append(publisher_of(client).run_round().head_signed)  # not due yet
        clock.advance(HOUR / 2)
    rounds.append(publisher_of(client).run_round().head_signed)  # due, but nothing new

    assert rounds == [True, False] * 5 + [False]
    heads = mirror(client)
    assert [head["number"] for head in heads] == [1, 2, 3, 4, 5]
    sizes = [head["head"]["tree_size"] for head in heads]
    assert sizes == sorted(set(sizes))
    assert sizes[-1] == ledger_of(client).position


def test_each_kept_head_is_signed_and_consistent_with_the_one_before(
    client: TestClient, clock: TestClock
) -> None:
    unit = listed_factory(ledger_of(client))
    for hour in range(1, 5):
        client.get("/v1/ledger/head")  # a reader's head is kept too
        ledger_of(client).rename_enterprise(
            unit.enterprise_id,
            name=f"江苏绿源第{hour}名称有限公司",
            provenance=by_province(date(2024, 2, hour)),
        )
        clock.advance(HOUR)
        publisher_of(client).run_round()
    key = witness.public_key(client.get("/v1/ledger/public-key").content)

    heads = mirror(client, page_size=3)

    assert len(heads) >= 5
    assert heads[0]["consistency"] is None
    for older, newer in itertools.pairwise(heads):
        first_root = witness.check_head(older["head"], key)
        second_root = witness.check_head(newer["head"], key)
        proof = newer["consistency"]
        assert (proof["first"], proof["second"]) == (
            older["head"]["tree_size"],
            newer["head"]["tree_size"],
        )
        path = [bytes.fromhex(h) for h in proof["consistency_path"]]
        assert witness.roots_from_consistency(
            proof["first"], proof["second"], path, first_root
        ) == (first_root, second_root)


def test_a_rewritten_history_fails_the_witness(client: TestClient, clock: TestClock) -> None:
    listed_factory(ledger_of(client))
    publisher_of(client).run_round()
    ledger_of(client).rename_enterprise(
        ledger_of(client).find_enterprise(region="320000", name="江苏绿源钢铁有限公司").id,  # type: ignore[union-attr]
        name="江苏绿源另一个名称有限公司",
        provenance=by_province(date(2024, 3, 1)),
    )
    clock.advance(HOUR)
    publisher_of(client).run_round()
    older, newer = mirror(client)

    forged = bytearray.fromhex(older["head"]["root_hash"])
    forged[0] ^= 0x01
    path = [bytes.fromhex(h) for h in newer["consistency"]["consistency_path"]]
    roots = witness.roots_from_consistency(
        older["head"]["tree_size"], newer["head"]["tree_size"], path, bytes(forged)
    )

    assert roots != (bytes(forged), bytes.fromhex(newer["head"]["root_hash"]))


def test_the_head_is_public(client: TestClient) -> None:
    listed_factory(ledger_of(client))

    head = client.get("/v1/ledger/head")
    heads = client.get("/v1/ledger/heads")

    assert head.status_code == 200
    assert head.json()["signature"]
    assert heads.json()["heads"][-1]["head"] == head.json()
