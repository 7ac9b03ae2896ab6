"""`GET /v1/audit/replay`: the auditor's replay — every recorded decision re-derived from the facts
the ledger had recorded when it was taken, under the rulebook then in force (ADR 0011)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.http.deps import AuditorDep, LedgerDep
from api.http.errors import findings_public
from api.http.middleware import POSITION
from api.http.responses import query_responses
from api.http.schemas.common import Instant
from api.http.schemas.reads import MismatchPublic, ReplayPublic
from domain.replay import replay

router = APIRouter(prefix="/v1/audit", tags=["audit 审计"])


@router.get(
    "/replay",
    response_model=ReplayPublic,
    responses=query_responses(401, 403),
    summary="重放审计 Replay every decision",
)
def read_replay(
    principal: AuditorDep,
    ledger: LedgerDep,
    request: Request,
    known_at: Annotated[
        Instant | None,
        Query(description="Replay the facts recorded up to this instant (default: all)."),
    ] = None,
) -> ReplayPublic:
    """`decisions_checked` and every decision whose recorded findings do not follow from its
    facts (`mismatches`). Auditor."""
    report = replay(ledger, known_at)
    setattr(request.state, POSITION, report.last_position)
    return ReplayPublic(
        decisions_checked=report.decisions_checked,
        mismatches=[
            MismatchPublic(
                position=m.position,
                originator_id=m.originator_id,
                version=m.version,
                topic=m.topic,
                recorded=findings_public(m.recorded),
                rederived=findings_public(m.rederived),
                recorded_rulebook=m.recorded_rulebook,
                rederived_rulebook=m.rederived_rulebook,
                note=m.note,
            )
            for m in report.mismatches
        ],
        events_read=report.events_read,
        known_at=report.known_at,
        position=report.last_position,
    )
