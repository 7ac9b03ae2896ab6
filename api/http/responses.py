"""The responses every command route documents besides its success."""

from __future__ import annotations

from typing import Any

from api.http.schemas.common import CommandReceipt
from api.http.schemas.problems import problem_responses


def command_responses(*, already_recorded: bool = False) -> dict[int | str, dict[str, Any]]:
    """400, 401, 403, 404, 409, 413, 422 and 500 as problems; 200 when a 201 route found the
    record already there."""
    responses = problem_responses(400, 401, 403, 404, 409, 413, 422, 500)
    if already_recorded:
        responses[200] = {
            "model": CommandReceipt,
            "description": "已存在 Already recorded: nothing was written",
        }
    return responses


def query_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return problem_responses(*statuses, 422, 500)
