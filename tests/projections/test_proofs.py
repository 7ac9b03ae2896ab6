"""Proof documents checked against published heads, with no database (`verify-proof`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from domain.ledger import Ledger
from seal.merkle import InvalidProofError
from seal.proofs import ConsistencyProof, InclusionProof, proof_from_document
from seal.sealing import Seal
from seal.signing import TreeHead
from tests.builders import listed_factory, register


@pytest.fixture
def seal(memory_ledger: Ledger) -> Iterator[Seal]:
    the_seal = Seal.open(memory_ledger, "memory://")
    yield the_seal
    the_seal.engine.dispose()


def as_received(proof: InclusionProof | ConsistencyProof) -> InclusionProof | ConsistencyProof:
    """The proof after a trip through JSON, as an auditor receives it."""
    return proof_from_document(json.loads(json.dumps(proof.to_document())))


def _flip(hashed: bytes) -> bytes:
    return bytes([hashed[0] ^ 0x01]) + hashed[1:]


def test_an_inclusion_proof_checks_against_the_head_of_its_size(
    memory_ledger: Ledger, seal: Seal
) -> None:
    listed_factory(memory_ledger)
    seal.catch_up()
    head = seal.head()

    proof = as_received(seal.inclusion_proof(4))

    assert proof.check([head]) == head


def test_an_inclusion_proof_with_an_altered_path_is_rejected(
    memory_ledger: Ledger, seal: Seal
) -> None:
    listed_factory(memory_ledger)
    seal.catch_up()
    proof = seal.inclusion_proof(4)
    path = proof.audit_path

    altered = replace(proof, audit_path=(path[0], _flip(path[1]), *path[2:]))

    with pytest.raises(InvalidProofError, match="does not lead to the root"):
        as_received(altered).check([seal.head()])


def test_an_inclusion_proof_whose_event_differs_from_its_sealed_leaf_is_rejected(
    memory_ledger: Ledger, seal: Seal
) -> None:
    listed_factory(memory_ledger)
    seal.catch_up()
    proof = seal.inclusion_proof(4)
    assert proof.leaf is not None

    leaf = proof.leaf
    altered = replace(proof, leaf=leaf[:-2] + bytes([leaf[-2] ^ 0x01]) + leaf[-1:])

    with pytest.raises(InvalidProofError, match="position 4 does not hash to the sealed leaf"):
        altered.check([seal.head()])


def test_an_inclusion_proof_proves_nothing_without_a_head_of_its_size(
    memory_ledger: Ledger, seal: Seal
) -> None:
    listed_factory(memory_ledger)
    seal.catch_up()
    older = seal.head(tree_size=5)

    with pytest.raises(InvalidProofError, match="no tree head of size 7"):
        seal.inclusion_proof(4).check([older])


def test_an_inclusion_proof_is_checked_against_the_head_not_against_its_own_root(
    memory_ledger: Ledger, seal: Seal
) -> None:
    listed_factory(memory_ledger)
    seal.catch_up()
    genuine = seal.head()
    forged_head = replace(genuine, root_hash=_flip(genuine.root_hash))

    with pytest.raises(InvalidProofError):
        seal.inclusion_proof(4).check([forged_head])


def test_a_consistency_proof_binds_an_earlier_head_to_a_later_one(
    memory_ledger: Ledger, seal: Seal
) -> None:
    listed_factory(memory_ledger)
    seal.catch_up()
    earlier = seal.head()
    register(memory_ledger, "浙江绿源纺织有限公司", "330000")
    seal.catch_up()
    later = seal.head()

    proof = as_received(seal.consistency_proof(earlier.tree_size, later.tree_size))

    assert proof.check([earlier, later]) == [earlier, later]


def test_a_consistency_proof_to_a_head_of_another_history_is_rejected(
    memory_ledger: Ledger, seal: Seal
) -> None:
    listed_factory(memory_ledger)
    seal.catch_up()
    earlier = seal.head()
    register(memory_ledger, "浙江绿源纺织有限公司", "330000")
    seal.catch_up()
    rewritten = TreeHead(
        tree_size=seal.head().tree_size,
        root_hash=_flip(seal.head().root_hash),
        timestamp=earlier.timestamp,
    )

    proof = seal.consistency_proof(earlier.tree_size, rewritten.tree_size)

    with pytest.raises(InvalidProofError, match="size 8"):
        proof.check([earlier, rewritten])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"kind": "other"}, "kind"),
        ([], "JSON object"),
        ({"kind": "inclusion", "position": -1}, "position"),
        (
            {
                "kind": "consistency",
                "first": 1,
                "second": 2,
                "first_root": "00",
                "second_root": "00",
                "consistency_path": [],
            },
            "first_root",
        ),
    ],
)
def test_a_malformed_proof_names_its_field(document: object, message: str) -> None:
    with pytest.raises(InvalidProofError, match=message):
        proof_from_document(document)
