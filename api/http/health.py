"""`GET /health`: for load balancers, compose and people — does the event store answer, how far
behind the ledger are the read models, and did the projector set any event aside (ADR 0105)?"""

from __future__ import annotations

from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Request, Response, status
from sqlalchemy.exc import SQLAlchemyError

from api.http.deps import LedgerDep, SettingsDep
from api.http.readside import ReadSide
from api.http.schemas.health import HealthPublic

router = APIRouter(tags=["health"])

#: Positions of quarantined events shown, at most.
SHOWN_QUARANTINED = 100


@router.get(
    "/health",
    response_model=HealthPublic,
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": HealthPublic}},
    summary="健康检查 Health",
)
def read_health(
    ledger: LedgerDep, settings: SettingsDep, request: Request, response: Response
) -> HealthPublic:
    """Open to everyone."""
    read_side: ReadSide | None = request.app.state.read_side
    try:
        position = ledger.position
        projected = read_side.position if read_side is not None else None
        quarantined = read_side.quarantined() if read_side is not None else None
    except (PersistenceError, SQLAlchemyError):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthPublic(status="unavailable", database=settings.database_kind, position=None)
    return HealthPublic(
        status="degraded" if quarantined else "ok",
        database=settings.database_kind,
        position=position,
        projections_position=projected,
        projections_lag=position - projected if projected is not None else None,
        quarantined=len(quarantined) if quarantined is not None else None,
        quarantined_positions=(
            [event.position for event in quarantined[:SHOWN_QUARANTINED]]
            if quarantined is not None
            else None
        ),
    )
