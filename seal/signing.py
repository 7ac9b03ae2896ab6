"""Signed tree heads: the seal's root at a size, signed with Ed25519 (ADR 0030).

A tree head `{tree_size, root_hash, timestamp}` is what the ministry publishes outside the
database (a file, a gazette, a mail to the auditors). Its signature covers exactly these bytes
(UTF-8, each line ending in LF):

    greenledger/tree-head/v1
    <tree_size in decimal>
    <root_hash, 64 lowercase hex digits>
    <timestamp, RFC 3339 UTC, as written in the head>

The key id is the SHA-256 of the 32-byte raw Ed25519 public key, in hex. The private key is a
PKCS#8 PEM file that lives outside the database (`GREENLEDGER_SIGNING_KEY_PATH`); the public key
is a SubjectPublicKeyInfo PEM file beside it (`.pub`) that anyone may have.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from seal.merkle import HASH_SIZE

HEAD_FORMAT = "greenledger/tree-head/v1"
ALGORITHM = "Ed25519"


class SigningKeyError(Exception):
    """Raised when a key file is missing, already exists, or does not hold an Ed25519 key."""


class TreeHeadRejectedError(ValueError):
    """Raised when a tree head is malformed, unsigned, or its signature does not verify."""


@dataclass(frozen=True)
class TreeHead:
    """The seal's root at `tree_size` leaves; `signature` and `key_id` once signed."""

    tree_size: int
    root_hash: bytes
    timestamp: str
    key_id: str | None = None
    signature: bytes | None = None

    @property
    def signed(self) -> bool:
        return self.signature is not None

    def message(self) -> bytes:
        """The bytes the signature covers."""
        return (
            f"{HEAD_FORMAT}\n{self.tree_size}\n{self.root_hash.hex()}\n{self.timestamp}\n"
        ).encode()

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": HEAD_FORMAT,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "timestamp": self.timestamp,
        }
        if self.signature is not None:
            document |= {
                "algorithm": ALGORITHM,
                "key_id": self.key_id,
                "signature": self.signature.hex(),
            }
        return document

    def to_json(self) -> str:
        return json.dumps(self.to_document(), indent=2) + "\n"

    @classmethod
    def from_document(cls, document: Any) -> TreeHead:
        if not isinstance(document, dict):
            raise TreeHeadRejectedError("a tree head is a JSON object")
        if document.get("format") != HEAD_FORMAT:
            raise TreeHeadRejectedError(f"format: expected {HEAD_FORMAT!r}")
        tree_size = document.get("tree_size")
        if not isinstance(tree_size, int) or isinstance(tree_size, bool) or tree_size < 0:
            raise TreeHeadRejectedError("tree_size: expected a non-negative integer")
        timestamp = document.get("timestamp")
        if not isinstance(timestamp, str):
            raise TreeHeadRejectedError("timestamp: expected an RFC 3339 string")
        root_hash = _hex_field(document, "root_hash", HASH_SIZE)
        if document.get("signature") is None:
            return cls(tree_size, root_hash, timestamp)
        if document.get("algorithm") != ALGORITHM:
            raise TreeHeadRejectedError(f"algorithm: only {ALGORITHM} is accepted")
        key_id = document.get("key_id")
        if not isinstance(key_id, str):
            raise TreeHeadRejectedError("key_id: expected a hex string")
        return cls(tree_size, root_hash, timestamp, key_id, _hex_field(document, "signature", 64))

    @classmethod
    def from_json(cls, text: str) -> TreeHead:
        try:
            document = json.loads(text)
        except ValueError as error:
            raise TreeHeadRejectedError(f"not JSON: {error}") from error
        return cls.from_document(document)


def _hex_field(document: dict[str, Any], name: str, size: int) -> bytes:
    value = document.get(name)
    try:
        data = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        data = b""
    if len(data) != size:
        raise TreeHeadRejectedError(f"{name}: expected {size} bytes in hex")
    return data


def utc_timestamp(moment: datetime | None = None) -> str:
    """RFC 3339 in UTC with milliseconds, e.g. 2025-03-01T08:00:00.000Z."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# -- keys ----------------------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_key_path_for(private_key_path: Path) -> Path:
    return private_key_path.with_name(private_key_path.name + ".pub")


def create_signing_key(private_key_path: Path, public_key_path: Path | None = None) -> str:
    """Write a new Ed25519 key pair (private file readable by its owner only); its key id.

    Never overwrites: a lost private key only means new heads under a new key id, an
    overwritten one would silently orphan every head already published.
    """
    public_key_path = public_key_path or public_key_path_for(private_key_path)
    for path in (private_key_path, public_key_path):
        if path.exists():
            raise SigningKeyError(f"{path} already exists; a signing key is never overwritten")
    private_key = Ed25519PrivateKey.generate()
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_key_path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(private_key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as private_file:
        private_file.write(private_pem)
    public_key_path.parent.mkdir(parents=True, exist_ok=True)
    public_key_path.write_bytes(public_pem)
    return key_id(private_key.public_key())


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise SigningKeyError(f"cannot read the signing key {path}: {error.strerror}") from error
    except (ValueError, TypeError) as error:
        raise SigningKeyError(f"{path} does not hold an unencrypted PEM private key") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except OSError as error:
        raise SigningKeyError(f"cannot read the public key {path}: {error.strerror}") from error
    except ValueError as error:
        raise SigningKeyError(f"{path} does not hold a PEM public key") from error
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


# -- signing and checking ------------------------------------------------------------------------


def sign_head(head: TreeHead, private_key: Ed25519PrivateKey) -> TreeHead:
    unsigned = replace(head, key_id=None, signature=None)
    return replace(
        unsigned,
        key_id=key_id(private_key.public_key()),
        signature=private_key.sign(unsigned.message()),
    )


def check_signature(head: TreeHead, public_key: Ed25519PublicKey) -> None:
    """Raise `TreeHeadRejectedError` unless `head` is signed by `public_key`."""
    if head.signature is None:
        raise TreeHeadRejectedError("the tree head is not signed")
    expected = key_id(public_key)
    if head.key_id != expected:
        raise TreeHeadRejectedError(
            f"the tree head is signed by key {head.key_id}, not by the given key {expected}"
        )
    try:
        public_key.verify(head.signature, head.message())
    except InvalidSignature as error:
        raise TreeHeadRejectedError(
            "the signature does not match the tree head: size, root or timestamp were altered"
        ) from error
