"""Query parameters shared by the read routes: the two time axes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.schemas.common import Day, Instant

AsOf = Annotated[Day | None, Query(description="Effective date (default: today in China).")]
KnownAt = Annotated[
    Instant | None,
    Query(description="Recorded instant, RFC 3339 (default: now, all that is recorded)."),
]
