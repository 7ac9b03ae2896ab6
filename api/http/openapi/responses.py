"""The responses every command route documents besides its success."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

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


#: A read that waited for its `min_position` in vain (ADR 0130).
READ_WAIT_RESPONSE: dict[str, Any] = {
    "description": "读模型尚未更新 The read models did not reach `min_position` in "
    "`GREENLEDGER_READ_WAIT_SECONDS`; retry after `Retry-After` seconds (or the server keeps "
    "no read models)",
    "headers": {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}},
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def document_read_waits(app: FastAPI) -> None:
    """Document the 503 of every operation that takes `min_position` (the parameter comes with
    the read side's dependency, so the routes do not list it themselves)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                names = {parameter.get("name") for parameter in operation.get("parameters", [])}
                if "min_position" in names:
                    operation.setdefault("responses", {}).setdefault("503", READ_WAIT_RESPONSE)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
