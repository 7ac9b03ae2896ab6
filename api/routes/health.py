"""`GET /health`: for load balancers, compose and people — does the event store answer, and how
far have the read models come (`projections_position` behind `position` means they lag)?"""

from __future__ import annotations

from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Response, status
from sqlalchemy.exc import SQLAlchemyError

from api.deps import LedgerDep, SettingsDep, ViewsDep
from api.schemas.health import HealthPublic

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthPublic,
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": HealthPublic}},
    summary="健康检查 Health",
)
def read_health(
    ledger: LedgerDep, views: ViewsDep, settings: SettingsDep, response: Response
) -> HealthPublic:
    try:
        position = ledger.position
        projections_position = views.position() if views is not None else None
    except (PersistenceError, SQLAlchemyError):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthPublic(
            status="unavailable",
            database=settings.database_kind,
            position=None,
            projections_position=None,
        )
    return HealthPublic(
        status="ok",
        database=settings.database_kind,
        position=position,
        projections_position=projections_position,
    )
