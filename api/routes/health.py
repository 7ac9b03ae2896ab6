"""`GET /health`: for load balancers, compose and people — does the event store answer?"""

from __future__ import annotations

from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Response, status

from api.deps import LedgerDep, SettingsDep
from api.schemas.health import HealthPublic

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthPublic,
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": HealthPublic}},
    summary="健康检查 Health",
)
def read_health(ledger: LedgerDep, settings: SettingsDep, response: Response) -> HealthPublic:
    try:
        position = ledger.position
    except PersistenceError:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthPublic(status="unavailable", database=settings.database_kind, position=None)
    return HealthPublic(status="ok", database=settings.database_kind, position=position)
