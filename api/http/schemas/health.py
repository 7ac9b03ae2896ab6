"""The health answer: whether the ledger's database answers, how far the ledger has come, and how
far behind it the read models are."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded", "unavailable"] = Field(
        description="`ok` when the event store answered; `degraded` when it answered but the "
        "projector set events aside (`quarantined`, ADR 0105); `unavailable` (HTTP 503) when "
        "it did not answer (within 2 s)."
    )
    database: str = Field(
        description="Where the events are stored: `sqlite`, `postgres`, `memory`."
    )
    position: int | None = Field(
        description="Notification id of the last stored event (0 for an empty ledger); "
        "null when the store did not answer."
    )
    projections_position: int | None = Field(
        default=None,
        description="Notification id of the last event the read models reflect; null without "
        "read models (memory://) or when the store did not answer.",
    )
    projections_lag: int | None = Field(
        default=None,
        description="How many positions the read models are behind the ledger "
        "(`position - projections_position`).",
    )
    quarantined: int | None = Field(
        default=None,
        description="How many events the projector could not apply and set aside (ADR 0105); "
        "null without read models or when the store did not answer.",
    )
    quarantined_positions: list[int] | None = Field(
        default=None,
        description="The positions of the events set aside (the first 100).",
    )
