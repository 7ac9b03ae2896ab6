"""`GET /v1/listings/{id}/certificate?on=`: a unit's standing on a date, checkable offline by anyone
with the ministry's public key (`greenledger verify-certificate`, or the `/verify` page).

Public: a certificate states only published facts (on the list, or removed). To link to it, use
`certificate_path(listing_id, on)`; the printable page is `/units/{id}/certificate?on=`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from api.http.deps import PrincipalDep, ReadSideDep, SealDep, SigningKeyDep, WriteGateDep
from api.http.middleware import POSITION
from api.http.openapi.responses import query_responses
from api.http.routes.publishing.schemas import CertificatePublic
from api.http.schemas.common import Day
from api.publishing.certificates import issue_certificate
from domain.ledger import Ledger

router = APIRouter(prefix="/v1/listings", tags=["feed 名单变化"])


def certificate_path(listing_id: UUID, on: date | None = None) -> str:
    """Where the certificate of a unit's standing on `on` (default: today) is served."""
    path = f"/v1/listings/{listing_id}/certificate"
    return f"{path}?on={on.isoformat()}" if on is not None else path


@router.get(
    "/{listing_id}/certificate",
    response_model=CertificatePublic,
    responses=query_responses(401, 404, 409, 503),
    summary="名单状态证书 A unit's standing on a date, checkable offline",
)
def read_certificate(
    request: Request,
    principal: PrincipalDep,
    read_side: ReadSideDep,
    seal: SealDep,
    signing_key: SigningKeyDep,
    gate: WriteGateDep,
    listing_id: UUID,
    on: Annotated[Day | None, Query(description="The date (default: today).")] = None,
) -> dict[str, Any]:
    """The unit's standing on `on`, the canonical bytes of the events it rests on with an
    RFC 6962 inclusion proof each, and the signed tree head they verify against."""
    certificate = issue_certificate(
        views=read_side.views,
        seal=seal,
        heads=request.app.state.heads,
        signing_key=signing_key,
        gate=gate,
        listing_id=listing_id,
        on=on or Ledger.today(),
    )
    setattr(request.state, POSITION, certificate.head.tree_size)
    return certificate.to_document()
