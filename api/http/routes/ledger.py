"""`/v1/ledger`: the seal's tree head and its proofs (ADR 0030), the heads the server signed and
kept, and the public key they verify with (ADR 0031).

A head is what the ministry publishes and auditors keep; proofs are checked against heads with
`greenledger verify-proof`, or any RFC 9162 verifier. Each request first seals the events not yet
sealed, so a position a command just returned can be proven at once. The head, the kept heads
(sizes and hashes only) and the public key are public, so that anyone can check a certificate or
mirror the heads as a witness; the proofs carry events' bytes and need a token.
"""

from __future__ import annotations

from typing import Annotated, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Query, Request, Response

from api.http.deps import AnyRoleDep, PrincipalDep, SealDep, SigningKeyDep, WriteGateDep
from api.http.openapi.responses import query_responses
from api.http.routes.publishing.schemas import KeptHeadsPublic
from api.http.schemas.ledger import ConsistencyProofPublic, InclusionProofPublic, TreeHeadPublic
from domain.errors import NotFoundError
from seal.heads import KeptHeads

#: The largest notification id a 64-bit column holds.
MAX_POSITION = 2**63 - 1

PEM_MEDIA_TYPE = "application/x-pem-file"

router = APIRouter(prefix="/v1/ledger", tags=["ledger"])


class PublicKeyNotFoundError(NotFoundError):
    """Raised when the public key is asked of a server that signs nothing."""

    def __init__(self, detail: str) -> None:
        super().__init__("public key")
        self.message = detail


def public_key_pem(signing_key: Ed25519PrivateKey) -> bytes:
    return signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@router.get(
    "/head",
    response_model=TreeHeadPublic,
    response_model_exclude_none=True,
    responses=query_responses(401),
    summary="树头 The current tree head",
)
def read_head(
    request: Request,
    principal: PrincipalDep,
    seal: SealDep,
    signing_key: SigningKeyDep,
    gate: WriteGateDep,
) -> dict[str, Any]:
    """The head of every event stored. With a signing key, the server signs it and keeps it
    (`/v1/ledger/heads`) when the tree grew since the last head it kept; without one, unsigned."""
    heads: KeptHeads = request.app.state.heads
    seal.catch_up(gate=gate)  # page by page, each taking the gate (ADR 0154)
    with gate:  # the seal writes its nodes, and the kept heads, to the ledger's database
        seal.catch_up()  # what was stored meanwhile: the head covers every event stored now
        kept = heads.sign(signing_key) if signing_key is not None else None
    return (kept.head if kept is not None else seal.head()).to_document()


@router.get(
    "/heads",
    response_model=KeptHeadsPublic,
    responses=query_responses(401),
    summary="已签树头 Every head the server signed, each consistent with the one before",
)
def read_kept_heads(
    request: Request,
    principal: PrincipalDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_POSITION, description="A head number (0: from the first).")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The kept heads after head number `after`, oldest first, each with the consistency proof
    from the head before it: a witness mirrors them and checks each pair."""
    heads: KeptHeads = request.app.state.heads
    mirrored = heads.after(after, limit)
    return {
        "heads": [
            {
                "number": item.kept.number,
                "head": item.kept.head.to_document(),
                "consistency": item.consistency.to_document() if item.consistency else None,
            }
            for item in mirrored
        ],
        "next": mirrored[-1].kept.number if mirrored else after,
    }


@router.get(
    "/public-key",
    response_class=Response,
    responses={
        200: {
            "content": {PEM_MEDIA_TYPE: {"schema": {"type": "string"}}},
            "description": "The Ed25519 public key of the heads (SubjectPublicKeyInfo PEM)",
        },
        **query_responses(401, 404),
    },
    summary="公钥 The key that checks the signed heads and certificates",
)
def read_public_key(principal: PrincipalDep, signing_key: SigningKeyDep) -> Response:
    """Published so that anyone can check a certificate; get it also from a second channel
    (the ministry's website) before trusting it."""
    if signing_key is None:
        raise PublicKeyNotFoundError("this server signs no heads (GREENLEDGER_SIGNING_KEY_PATH)")
    return Response(public_key_pem(signing_key), media_type=PEM_MEDIA_TYPE)


@router.get(
    "/proofs/inclusion",
    response_model=InclusionProofPublic,
    responses=query_responses(401, 403, 404),
    summary="包含证明 The proof that an event is in a tree",
)
def read_inclusion_proof(
    principal: AnyRoleDep,
    seal: SealDep,
    gate: WriteGateDep,
    position: Annotated[
        int, Query(ge=1, le=MAX_POSITION, description="The event's notification id.")
    ],
    tree_size: Annotated[
        int | None,
        Query(
            ge=1, le=MAX_POSITION, description="The size of a head you hold (default: the current)."
        ),
    ] = None,
) -> dict[str, Any]:
    seal.catch_up(gate=gate)  # the seal writes its nodes to the ledger's database
    return seal.inclusion_proof(position, tree_size).to_document()


@router.get(
    "/proofs/consistency",
    response_model=ConsistencyProofPublic,
    responses=query_responses(401, 403),
    summary="一致性证明 The proof that a later tree extends an earlier one",
)
def read_consistency_proof(
    principal: AnyRoleDep,
    seal: SealDep,
    gate: WriteGateDep,
    first: Annotated[
        int, Query(ge=1, le=MAX_POSITION, description="The size of the earlier tree.")
    ],
    second: Annotated[
        int | None,
        Query(
            ge=1, le=MAX_POSITION, description="The size of the later tree (default: the current)."
        ),
    ] = None,
) -> dict[str, Any]:
    seal.catch_up(gate=gate)  # the seal writes its nodes to the ledger's database
    return seal.consistency_proof(first, second).to_document()
