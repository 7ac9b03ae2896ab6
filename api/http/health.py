"""`GET /health`: for load balancers, compose and people — does the event store answer, how far
behind the ledger are the read models, and did the projector set any event aside (ADR 0105)?

It answers within two seconds whatever the database does (ADR 0106): while the store watch finds
the store down, 503 at once; otherwise its reads run in a thread of their own against a deadline,
and a store that does not answer in time is reported unavailable (503).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as DeadlinePassed
from dataclasses import dataclass

from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Request, Response, status
from sqlalchemy.exc import SQLAlchemyError

from api.http.deps import LedgerDep, SettingsDep
from api.http.outage import OUTAGES, StoreWatch
from api.http.readside import ReadSide
from api.http.schemas.health import HealthPublic
from domain.ledger import Ledger
from readside.engine.quarantine import QuarantinedEvent

router = APIRouter(tags=["health"])

#: Positions of quarantined events shown, at most.
SHOWN_QUARANTINED = 100
#: Seconds the health reads may take before the store is reported unavailable.
DEADLINE_SECONDS = 1.5
_FAILURES: tuple[type[Exception], ...] = (
    DeadlinePassed,
    PersistenceError,
    SQLAlchemyError,
    *OUTAGES,
)
#: Threads for the health reads: a read stuck on a dead connection keeps one until it fails.
_readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="health")


@dataclass(frozen=True)
class _Read:
    position: int
    projected: int | None
    quarantined: list[QuarantinedEvent] | None


def _read(ledger: Ledger, read_side: ReadSide | None) -> _Read:
    position = ledger.position
    if read_side is None:
        return _Read(position, None, None)
    return _Read(position, read_side.position, read_side.quarantined())


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
    watch: StoreWatch | None = getattr(request.app.state, "store_watch", None)
    unavailable = HealthPublic(status="unavailable", database=settings.database_kind, position=None)
    if watch is not None and watch.down:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return unavailable
    try:
        found = _readers.submit(_read, ledger, read_side).result(timeout=DEADLINE_SECONDS)
    except _FAILURES as error:
        if watch is not None:
            watch.mark_down(error)
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return unavailable
    quarantined = found.quarantined
    projected = found.projected
    return HealthPublic(
        status="degraded" if quarantined else "ok",
        database=settings.database_kind,
        position=found.position,
        projections_position=projected,
        projections_lag=found.position - projected if projected is not None else None,
        quarantined=len(quarantined) if quarantined is not None else None,
        quarantined_positions=(
            [event.position for event in quarantined[:SHOWN_QUARANTINED]]
            if quarantined is not None
            else None
        ),
    )
