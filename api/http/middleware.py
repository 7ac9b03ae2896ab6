"""What happens to every request around the routes: a size limit, an access log, a last resort.

Plain ASGI middleware (no per-request task or body copy): the benchmark's p99 is per request.

- `BodySizeLimit` refuses a body over `max_body_bytes` with 413 before reading it: at once when
  Content-Length says so, otherwise as soon as the streamed chunks pass the limit.
- `AccessLog` writes one JSON line per request (method, path, status, duration, principal kind,
  token id, ledger position; `reruns` when the command lost a race, ADR 0111) and answers an
  unexpected exception with a bare 500 problem: the traceback goes to the log, never to the
  client.
- `SecurityHeaders` adds the Content-Security-Policy (`frame-ancestors 'none'`),
  `X-Frame-Options`, `X-Content-Type-Options` and `Referrer-Policy` to every answer.
- `CrossSiteGuard` refuses with 403 a form POST a browser sends from another site (issue 16).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.errors import BodyTooLargeError, problem_response, send_internal_problem
from api.http.schemas.problems import bilingual_problem

access_log = logging.getLogger("greenledger.access")
error_log = logging.getLogger("greenledger.api")

#: Keys of `request.state` the routes fill in for the access log.
PRINCIPAL_KIND = "principal_kind"
TOKEN_ID = "token_id"
POSITION = "position"
#: How many times the request's command lost a concurrent write and was decided again (ADR 0111).
RERUNS = "reruns"


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
            if state.get(RERUNS):
                line["reruns"] = state[RERUNS]
            access_log.info(json.dumps(line, ensure_ascii=False))


#: The policy of every answer that does not set its own (the API documentation's pages do): the
#: pages use no script, no inline style and nothing from another host (ADR 0070).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
#: Methods that may change something: the ones a cross-site form could send.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SecurityHeaders:
    """Every answer is framed by no page (`frame-ancestors 'none'`, `X-Frame-Options`), sniffed
    as nothing else (`nosniff`), loads only from this server, and names only this server in the
    `Referer` it lets browsers send (issue 16)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def cross_site(headers: Headers) -> bool:
    """Whether a browser says the request comes from another site's page: `Sec-Fetch-Site`
    other than `same-origin` or `none` (typed by the user), or an `Origin` (without one, a
    `Referer`) that does not name the host the request was sent to. A client that sends none of
    them is not a browser, and not refused here (the command forms ask more: ADR 0082)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return True
    source = headers.get("origin") or headers.get("referer")
    if source is None:
        return False
    if source == "null":
        return True
    return urlsplit(source).netloc.lower() != headers.get("host", "").lower()


class CrossSiteGuard:
    """Refuse with 403 a request that could change something, sent by a browser from another
    site's page without a bearer token: the pages' forms (sign-in, sign-out, every command),
    whose authority is the cookie, or none (login CSRF). Bearer-token calls carry their
    authority in a header no other site's page can set (no CORS), and pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "authorization" in headers or not cross_site(headers):
            await self.app(scope, receive, send)
            return
        await _cross_site_refusal(headers)(scope, receive, send)


CROSS_SITE_ZH = "拒绝跨站请求：此表单只能从本站页面提交。请回到本站页面重新操作。"
CROSS_SITE_EN = (
    "Cross-site request refused: this form may only be sent from this site's own pages. "
    "Go back to the site and try again."
)


def _cross_site_refusal(headers: Headers) -> Response:
    if "text/html" in headers.get("accept", ""):
        page = (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            "<title>拒绝跨站请求 Cross-site request refused</title></head><body>"
            f"<h1>拒绝跨站请求</h1><p>{CROSS_SITE_ZH}</p>"
            f'<p lang="en">{CROSS_SITE_EN}</p><p><a href="/">返回名单 Back to the list</a></p>'
            "</body></html>"
        )
        return HTMLResponse(page, status_code=403)
    problem = bilingual_problem(
        "about:blank",
        ("拒绝跨站请求", "Cross-site request refused"),
        403,
        (CROSS_SITE_ZH, CROSS_SITE_EN),
    )
    return problem_response(problem)
