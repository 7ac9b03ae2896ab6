"""An outsider's check of what the ledger publishes, written from RFC 6962 §2.1 and the head
format of ADR 0030 — deliberately not with the product's code (`seal/`): a certificate or a
sequence of heads that passes here passes for any CT-style verifier.

- `root_from_inclusion`: PATH(m, D[n]) of §2.1.1 walked back up by its recursive definition;
- `roots_from_consistency`: PROOF(m, D[n]) of §2.1.2 walked by SUBPROOF's definition;
- `check_head`: Ed25519 over the four lines `greenledger/tree-head/v1`, size, root, timestamp.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class WitnessRefusedError(Exception):
    """The outsider does not accept what it was shown."""


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(leaf: bytes) -> bytes:
    return _h(b"\x00" + leaf)


def _node(left: bytes, right: bytes) -> bytes:
    return _h(b"\x01" + left + right)


def _k(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_from_inclusion(m: int, n: int, hashed: bytes, path: list[bytes]) -> bytes:
    """MTH(D[n]) implied by leaf m's hash and PATH(m, D[n]) (sibling first, root's child last)."""
    if n == 1:
        if path or m != 0:
            raise WitnessRefusedError("a one-leaf tree has an empty path")
        return hashed
    if not path:
        raise WitnessRefusedError("the path ends before the root")
    k = _k(n)
    *below, top = path
    if m < k:
        return _node(root_from_inclusion(m, k, hashed, below), top)
    return _node(top, root_from_inclusion(m - k, n - k, hashed, below))


def roots_from_consistency(
    m: int, n: int, proof: list[bytes], first_root: bytes
) -> tuple[bytes, bytes]:
    """(MTH(D[m]), MTH(D[n])) implied by PROOF(m, D[n]) and the first tree's root."""

    def walk(m: int, n: int, proof: list[bytes], whole: bool) -> tuple[bytes, bytes]:
        if m == n:
            if whole:
                if proof:
                    raise WitnessRefusedError("the proof is longer than the trees need")
                return first_root, first_root
            if len(proof) != 1:
                raise WitnessRefusedError("the proof does not match the trees' shapes")
            return proof[0], proof[0]
        if not proof:
            raise WitnessRefusedError("the proof ends early")
        k = _k(n)
        *rest, sibling = proof
        if m <= k:
            old, new = walk(m, k, rest, whole)
            return old, _node(new, sibling)
        old, new = walk(m - k, n - k, rest, False)
        return _node(sibling, old), _node(sibling, new)

    if not 0 < m <= n:
        raise WitnessRefusedError(f"no consistency from {m} to {n}")
    return walk(m, n, proof, True)


def public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise WitnessRefusedError("not an Ed25519 key")
    return key


def check_head(head: dict[str, Any], key: Ed25519PublicKey) -> bytes:
    """The head's root, once its Ed25519 signature is checked (raises on a bad signature)."""
    message = (
        f"greenledger/tree-head/v1\n{head['tree_size']}\n{head['root_hash']}\n{head['timestamp']}\n"
    ).encode()
    key.verify(bytes.fromhex(head["signature"]), message)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if head["key_id"] != hashlib.sha256(raw).hexdigest():
        raise WitnessRefusedError("the head names another key")
    return bytes.fromhex(head["root_hash"])


def leaf_originator(leaf: bytes) -> str:
    """The originator id a leaf's bytes carry (its second length-prefixed field)."""
    first = int.from_bytes(leaf[:4], "big")
    at = 4 + first
    size = int.from_bytes(leaf[at : at + 4], "big")
    return leaf[at + 4 : at + 4 + size].decode()


def check_certificate(document: dict[str, Any], key: Ed25519PublicKey) -> None:
    """Every event of the certificate is in the tree whose head the key signed."""
    head = document["tree_head"]
    root = check_head(head, key)
    for event in document["events"]:
        if event["tree_size"] != head["tree_size"]:
            raise WitnessRefusedError("a proof for another tree")
        leaf = bytes.fromhex(event["leaf"])
        path = [bytes.fromhex(h) for h in event["audit_path"]]
        if (
            root_from_inclusion(event["leaf_index"], head["tree_size"], leaf_hash(leaf), path)
            != root
        ):
            raise WitnessRefusedError(f"leaf {event['leaf_index']} is not in the signed tree")
