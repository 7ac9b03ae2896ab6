"""Inclusion and consistency proofs of the seal as documents, and their checking against heads.

What `GET /v1/ledger/proofs/...` answers and `greenledger verify-proof` checks with no database:
the proof's own roots are never trusted, only the roots of the signed heads it is checked against.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seal.merkle import (
    HASH_SIZE,
    InvalidProofError,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)
from seal.signing import TreeHead


def _hex(document: dict[str, Any], name: str) -> bytes:
    value = document.get(name)
    try:
        data = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        data = b""
    if len(data) != HASH_SIZE:
        raise InvalidProofError(f"{name}: expected a {HASH_SIZE}-byte hash in hex")
    return data


def _hex_list(document: dict[str, Any], name: str) -> tuple[bytes, ...]:
    values = document.get(name)
    if not isinstance(values, list):
        raise InvalidProofError(f"{name}: expected a list of hashes in hex")
    return tuple(_hex({"hash": value}, "hash") for value in values)


def _count(document: dict[str, Any], name: str) -> int:
    value = document.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidProofError(f"{name}: expected a non-negative integer")
    return value


def _head_of_size(heads: Sequence[TreeHead], size: int) -> TreeHead | None:
    return next((head for head in heads if head.tree_size == size), None)


@dataclass(frozen=True)
class InclusionProof:
    """The event stored at `position` is leaf `leaf_index` of the tree of `tree_size` leaves.

    `leaf` is the canonical bytes of the event as the store holds it now (seal.leaves);
    `leaf_hash` is the hash the seal recorded. They disagree only if the event was altered.
    """

    position: int
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    audit_path: tuple[bytes, ...]
    root_hash: bytes
    leaf: bytes | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "kind": "inclusion",
            "position": self.position,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "leaf_hash": self.leaf_hash.hex(),
            "audit_path": [hashed.hex() for hashed in self.audit_path],
            "root_hash": self.root_hash.hex(),
            "leaf": None if self.leaf is None else self.leaf.hex(),
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> InclusionProof:
        leaf = document.get("leaf")
        try:
            leaf_data = bytes.fromhex(leaf) if isinstance(leaf, str) else None
        except ValueError as error:
            raise InvalidProofError("leaf: expected hex") from error
        return cls(
            position=_count(document, "position"),
            leaf_index=_count(document, "leaf_index"),
            tree_size=_count(document, "tree_size"),
            leaf_hash=_hex(document, "leaf_hash"),
            audit_path=_hex_list(document, "audit_path"),
            root_hash=_hex(document, "root_hash"),
            leaf=leaf_data,
        )

    def check(self, heads: Sequence[TreeHead]) -> TreeHead:
        """The head of `tree_size` this proof verifies against; `InvalidProofError` otherwise."""
        if self.leaf is not None and leaf_hash(self.leaf) != self.leaf_hash:
            raise InvalidProofError(
                f"the event stored at position {self.position} does not hash to the sealed leaf"
            )
        head = _head_of_size(heads, self.tree_size)
        if head is None:
            raise InvalidProofError(f"no tree head of size {self.tree_size} to check against")
        verify_inclusion(
            self.leaf_index, self.tree_size, self.leaf_hash, self.audit_path, head.root_hash
        )
        return head


@dataclass(frozen=True)
class ConsistencyProof:
    """The tree of `second` leaves extends the tree of `first` leaves unchanged."""

    first: int
    second: int
    first_root: bytes
    second_root: bytes
    consistency_path: tuple[bytes, ...]

    def to_document(self) -> dict[str, Any]:
        return {
            "kind": "consistency",
            "first": self.first,
            "second": self.second,
            "first_root": self.first_root.hex(),
            "second_root": self.second_root.hex(),
            "consistency_path": [hashed.hex() for hashed in self.consistency_path],
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> ConsistencyProof:
        return cls(
            first=_count(document, "first"),
            second=_count(document, "second"),
            first_root=_hex(document, "first_root"),
            second_root=_hex(document, "second_root"),
            consistency_path=_hex_list(document, "consistency_path"),
        )

    def check(self, heads: Sequence[TreeHead]) -> list[TreeHead]:
        """The heads this proof binds together; `InvalidProofError` unless it verifies.

        Each root comes from a head of that size when one is given; a root taken from the
        proof itself proves nothing, so at least one head must match.
        """
        older = _head_of_size(heads, self.first)
        newer = _head_of_size(heads, self.second)
        if older is None and newer is None:
            raise InvalidProofError(
                f"no tree head of size {self.first} or {self.second} to check against"
            )
        verify_consistency(
            self.first,
            self.second,
            older.root_hash if older else self.first_root,
            newer.root_hash if newer else self.second_root,
            self.consistency_path,
        )
        return [head for head in (older, newer) if head is not None]


def proof_from_document(document: Any) -> InclusionProof | ConsistencyProof:
    if not isinstance(document, dict):
        raise InvalidProofError("a proof is a JSON object")
    kind = document.get("kind")
    if kind == "inclusion":
        return InclusionProof.from_document(document)
    if kind == "consistency":
        return ConsistencyProof.from_document(document)
    raise InvalidProofError("kind: expected 'inclusion' or 'consistency'")
