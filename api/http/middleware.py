"""What happens to every request around the routes: a size limit, an access log, a last resort.

Plain ASGI middleware (no per-request task or body copy): the benchmark's p99 is per request.

- `BodySizeLimit` refuses a body over `max_body_bytes` with 413 before reading it: at once when
  Content-Length says so, otherwise as soon as the streamed chunks pass the limit.
- `AccessLog` writes one JSON line per request (method, path, status, duration, principal kind,
  token id, ledger position) and answers an unexpected exception with a bare 500 problem: the
  traceback goes to the log, never to the client.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.errors import BodyTooLargeError, problem_response, send_internal_problem
from api.http.schemas.problems import bilingual_problem

access_log = logging.getLogger("greenledger.access")
error_log = logging.getLogger("greenledger.api")

#: Keys of `request.state` the routes fill in for the access log.
PRINCIPAL_KIND = "principal_kind"
TOKEN_ID = "token_id"
POSITION = "position"


def configure_access_log(level: str = "info") -> None:
    """Send the access log, one JSON object per line, to standard output."""
    if any(getattr(h, "greenledger_access", False) for h in access_log.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.greenledger_access = True  # type: ignore[attr-defined]
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO if level in ("info", "debug", "trace") else logging.WARNING)
    access_log.propagate = False


class BodySizeLimit:
    """Refuse request bodies larger than `max_body_bytes` with 413, before reading them whole."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, receive, send)
            return
        limit = self.max_body_bytes
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        await self.app(scope, receive_within_limit, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = bilingual_problem(
            "about:blank",
            ("请求过大", "Content too large"),
            413,
            (
                f"请求体超过 {self.max_body_bytes} 字节",
                f"the request body is larger than {self.max_body_bytes} bytes",
            ),
        )
        response = problem_response(problem, headers={"Connection": "close"})
        await response(scope, receive, send)


class AccessLog:
    """One JSON line per request; an unhandled exception becomes a 500 problem (and a traceback
    in the log)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        response_started = False
        state: dict[str, Any] = scope.setdefault("state", {})

        async def send_noting_status(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        except Exception:
            error_log.exception("unhandled error in %s %s", scope["method"], scope["path"])
            status = 500
            if not response_started:
                await send_internal_problem(scope, receive, send)
        finally:
            line = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                "principal": state.get(PRINCIPAL_KIND, "anonymous"),
                "token_id": state.get(TOKEN_ID),
                "position": state.get(POSITION),
            }
            access_log.info(json.dumps(line, ensure_ascii=False))
