"""Query parameters shared by the read routes: the recorded instant a question is asked at."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.schemas.common import Instant

KnownAt = Annotated[
    Instant | None,
    Query(description="Recorded instant, RFC 3339 (default: now, all that is recorded)."),
]
