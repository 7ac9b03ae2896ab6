"""`/v1/ledger`: the seal's tree head and its proofs (ADR 0030).

A head is what the ministry publishes and auditors keep; proofs are checked against heads with
`greenledger verify-proof`, or any RFC 9162 verifier. Each request first seals the events not yet
sealed, so a position a command just returned can be proven at once. Any principal with a token
may read them (the public reads only the current list).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.http.deps import AnyRoleDep, SealDep, SigningKeyDep, WriteGateDep
from api.http.responses import query_responses
from api.http.schemas.ledger import ConsistencyProofPublic, InclusionProofPublic, TreeHeadPublic
from seal.signing import sign_head

#: The largest notification id a 64-bit column holds.
MAX_POSITION = 2**63 - 1

router = APIRouter(prefix="/v1/ledger", tags=["ledger"])


@router.get(
    "/head",
    response_model=TreeHeadPublic,
    response_model_exclude_none=True,
    responses=query_responses(401, 403),
    summary="树头 The current tree head",
)
def read_head(
    principal: AnyRoleDep, seal: SealDep, signing_key: SigningKeyDep, gate: WriteGateDep
) -> dict[str, Any]:
    with gate:  # the seal writes its nodes to the ledger's database
        seal.catch_up()
    head = seal.head()
    return (sign_head(head, signing_key) if signing_key is not None else head).to_document()


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
    with gate:  # the seal writes its nodes to the ledger's database
        seal.catch_up()
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
    with gate:  # the seal writes its nodes to the ledger's database
        seal.catch_up()
    return seal.consistency_proof(first, second).to_document()
