"""The seal over HTTP (ADR 0030): tree heads and proofs, in the JSON `greenledger` reads back."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


def _hash() -> Any:
    return Field(description="A SHA-256 hash, 64 lowercase hex digits.")


class TreeHeadPublic(BaseModel):
    """The seal's root at a size; signed when the server holds the signing key."""

    format: Literal["greenledger/tree-head/v1"]
    tree_size: int = Field(description="How many stored events, in notification order, it seals.")
    root_hash: str = _hash()
    timestamp: str = Field(description="When the head was made, RFC 3339 UTC.")
    algorithm: Literal["Ed25519"] | None = None
    key_id: str | None = Field(
        default=None, description="SHA-256 of the raw Ed25519 public key, hex."
    )
    signature: str | None = Field(
        default=None, description="Ed25519 over the head's four lines (ADR 0030), hex."
    )


class InclusionProofPublic(BaseModel):
    """The event stored at `position` is leaf `leaf_index` of the tree of `tree_size` events."""

    kind: Literal["inclusion"]
    position: int
    leaf_index: int
    tree_size: int
    leaf_hash: str = _hash()
    audit_path: list[str] = Field(description="RFC 6962 audit path, from the leaf up.")
    root_hash: str = _hash()
    leaf: str | None = Field(
        description="The event's canonical bytes as stored now (ADR 0030), hex; null when the "
        "event is no longer in the store."
    )


class ConsistencyProofPublic(BaseModel):
    """The tree of `second` events extends the tree of `first` events unchanged."""

    kind: Literal["consistency"]
    first: int
    second: int
    first_root: str = _hash()
    second_root: str = _hash()
    consistency_path: list[str] = Field(description="RFC 6962 consistency proof.")
