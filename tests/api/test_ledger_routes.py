"""`/v1/ledger`: the tree head and proofs over HTTP, checked the way an auditor checks them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.auth import Role, TokenStore
from api.settings import Settings
from domain.ledger import Ledger
from seal.leaves import leaf_bytes
from seal.merkle import MemoryTree
from seal.proofs import proof_from_document
from seal.signing import (
    SigningKeyError,
    TreeHead,
    check_signature,
    create_signing_key,
    load_public_key,
    public_key_path_for,
)
from seal.verification import verify_ledger
from tests.builders import listed_factory, register


class AuditorClient(TestClient):
    """A client that calls as an auditor (the seal's routes need a token, ADR 0050)."""

    def __enter__(self) -> AuditorClient:
        super().__enter__()
        tokens: TokenStore = self.app.state.tokens  # type: ignore[attr-defined]
        self.headers["Authorization"] = f"Bearer {tokens.create(Role.AUDITOR).token}"
        return self


def client_on(database_url: str, key: Path | None = None) -> TestClient:
    return AuditorClient(create_app(Settings(database_url=database_url, signing_key_path=key)))


def ledger_of(client: TestClient) -> Ledger:
    ledger: Ledger = client.app.state.ledger  # type: ignore[attr-defined]
    return ledger


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "seal.pem"
    create_signing_key(path)
    return path


def test_the_head_is_signed_and_commits_to_every_stored_event(database_url: str, key: Path) -> None:
    with client_on(database_url, key) as client:
        listed_factory(ledger_of(client))
        stored = ledger_of(client).recorder.select_notifications(start=None, limit=100)

        response = client.get("/v1/ledger/head")

        assert response.status_code == 200
        head = TreeHead.from_document(response.json())
        assert head.tree_size == len(stored) == 7
        assert head.root_hash == MemoryTree.of_data(leaf_bytes(n) for n in stored).root()
        check_signature(head, load_public_key(public_key_path_for(key)))
        assert verify_ledger(ledger_of(client), head).intact


def test_without_a_signing_key_the_head_is_served_unsigned(sqlite_url: str) -> None:
    with client_on(sqlite_url) as client:
        listed_factory(ledger_of(client))

        document = client.get("/v1/ledger/head").json()

    assert set(document) == {"format", "tree_size", "root_hash", "timestamp"}
    assert not TreeHead.from_document(document).signed


def test_a_configured_key_that_cannot_be_read_stops_the_start(
    sqlite_url: str, tmp_path: Path
) -> None:
    with (
        pytest.raises(SigningKeyError, match="absent"),
        client_on(sqlite_url, tmp_path / "absent.pem"),
    ):
        pass


def test_every_event_a_command_wrote_is_provably_in_the_head(database_url: str) -> None:
    with client_on(database_url) as client:
        listed_factory(ledger_of(client))
        register(ledger_of(client), "浙江绿源纺织有限公司", "330000")
        last = ledger_of(client).position
        head = TreeHead.from_document(client.get("/v1/ledger/head").json())

        for at in range(1, last + 1):
            response = client.get(
                "/v1/ledger/proofs/inclusion", params={"position": at, "tree_size": head.tree_size}
            )

            assert response.status_code == 200
            assert proof_from_document(response.json()).check([head]) == head


def test_a_proof_asked_right_after_a_command_needs_no_wait(sqlite_url: str) -> None:
    with client_on(sqlite_url) as client:
        listed_factory(ledger_of(client))
        client.get("/v1/ledger/head")
        register(ledger_of(client), "浙江绿源纺织有限公司", "330000")

        response = client.get(
            "/v1/ledger/proofs/inclusion", params={"position": ledger_of(client).position}
        )

    assert response.status_code == 200
    assert response.json()["tree_size"] == 8


def test_a_later_head_is_proven_to_extend_an_earlier_one(database_url: str, key: Path) -> None:
    with client_on(database_url, key) as client:
        listed_factory(ledger_of(client))
        earlier = TreeHead.from_document(client.get("/v1/ledger/head").json())
        register(ledger_of(client), "浙江绿源纺织有限公司", "330000")
        later = TreeHead.from_document(client.get("/v1/ledger/head").json())

        response = client.get(
            "/v1/ledger/proofs/consistency",
            params={"first": earlier.tree_size, "second": later.tree_size},
        )

    assert response.status_code == 200
    assert proof_from_document(response.json()).check([earlier, later]) == [earlier, later]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/ledger/proofs/inclusion", {"position": 0}),
        ("/v1/ledger/proofs/inclusion", {"position": "first"}),
        ("/v1/ledger/proofs/consistency", {"first": 0}),
        ("/v1/ledger/proofs/consistency", {}),
    ],
)
def test_a_proof_request_without_a_valid_position_or_size_is_refused(
    sqlite_url: str, path: str, params: dict[str, int | str]
) -> None:
    with client_on(sqlite_url) as client:
        response = client.get(path, params=params)

    assert response.status_code == 422
