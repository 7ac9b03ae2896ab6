"""The one place that turns a refusal into HTTP: problem details (RFC 9457), ADR 0052.

Domain errors (`domain/errors.py`) map by kind — bad input 422 naming each field, unknown id 404,
a rule refusal 409 with the rule's id and citation and every finding, a refused transition or a
concurrent write 409 with the conflict. The API's own refusals (no token, wrong role or region,
an idempotency key reused for another request, a body too large) are `ApiError`s here. Routes
raise; they never catch. Anything else is a bug: the client gets a bare 500 problem, the log gets
the traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from api.http.chinese import field_message_zh, ledger_detail_zh, ledger_message_zh
from api.http.schemas.problems import (
    Conflict,
    EventRefPublic,
    FieldProblem,
    FindingPublic,
    Problem,
    RuleCited,
    bilingual_problem,
)
from domain.errors import (
    ConcurrentWriteError,
    InvalidInputError,
    LedgerError,
    NotFoundError,
    RuleRefusalError,
    TransitionRefusedError,
)
from domain.rules.catalogue import RULES, rule
from domain.values import Finding

log = logging.getLogger("greenledger.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem_type(slug: str) -> str:
    return f"urn:greenledger:problem:{slug}"


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> ProblemResponse:
    return ProblemResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        headers=headers,
    )


# -- the API's own refusals ------------------------------------------------------------------------


def split_title(title: str) -> tuple[str, str]:
    """("未认证", "Authentication required") of "未认证 Authentication required"."""
    zh, _, en = title.partition(" ")
    return zh, en or zh


class ApiError(Exception):
    """Raised when the HTTP layer refuses a request before or around the ledger; `detail_zh`
    says it in Chinese (default: the class's `default_detail_zh`)."""

    status = 400
    slug = "bad-request"
    title = "请求有误 Bad request"
    default_detail_zh = "请求有误"
    headers: dict[str, str] | None = None

    def __init__(self, detail: str, detail_zh: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.detail_zh = detail_zh or self.default_detail_zh

    def problem(self) -> Problem:
        return bilingual_problem(
            problem_type(self.slug),
            split_title(self.title),
            self.status,
            (self.detail_zh, self.detail),
        )


class AuthenticationRequiredError(ApiError):
    """Raised when a request that needs a principal has no valid bearer token."""

    status = 401
    slug = "unauthenticated"
    title = "未认证 Authentication required"
    default_detail_zh = "此请求需要有效的令牌（Authorization: Bearer <令牌>）"
    headers = {"WWW-Authenticate": 'Bearer realm="greenledger"'}  # noqa: RUF012


class PermissionDeniedError(ApiError):
    """Raised when the principal's role or region does not allow the request."""

    status = 403
    slug = "forbidden"
    title = "无权限 Not allowed"
    default_detail_zh = "该身份无权进行此操作"


class IdempotencyKeyReusedError(ApiError):
    """Raised when an Idempotency-Key already answered a different request."""

    status = 422
    slug = "idempotency-key-reused"
    title = "幂等键已用于其他请求 Idempotency-Key reused for another request"
    default_detail_zh = "该幂等键已用于另一个请求"

    def problem(self) -> Problem:
        problem = super().problem()
        problem.errors = [
            FieldProblem(
                field="Idempotency-Key",
                message=self.detail,
                message_zh=self.detail_zh,
                location="header",
            )
        ]
        return problem


class RequestInProgressError(ApiError):
    """Raised when the request holding the same Idempotency-Key has not been answered yet."""

    status = 409
    slug = "request-in-progress"
    title = "请求处理中 The same request is in progress"
    default_detail_zh = "同一请求正在处理中，请稍后重试"
    headers = {"Retry-After": "1"}  # noqa: RUF012

    def problem(self) -> Problem:
        problem = super().problem()
        problem.conflict = Conflict(kind="request_in_progress", retry=True)
        return problem


class BodyTooLargeError(StarletteHTTPException):
    """Raised when a request body grows past the configured `max_body_bytes` while read."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


# -- mapping ---------------------------------------------------------------------------------------


def ledger_problem(error: LedgerError) -> Problem:
    """The problem document of a domain refusal, Chinese first."""
    detail = (ledger_detail_zh(error), error.message)
    if isinstance(error, InvalidInputError):
        return bilingual_problem(
            problem_type("invalid-input"),
            ("输入有误", "Invalid input"),
            422,
            detail,
            errors=[
                FieldProblem(
                    field=error.field, message=error.reason, message_zh=ledger_message_zh(error)
                )
            ],
        )
    if isinstance(error, NotFoundError):
        return bilingual_problem(problem_type("not-found"), ("未找到", "Not found"), 404, detail)
    if isinstance(error, RuleRefusalError):
        known = RULES.get(error.rule_id) and rule(error.rule_id, error.rulebook or None)
        return bilingual_problem(
            problem_type("rule-refusal"),
            ("规则不允许", "Refused by the rules"),
            409,
            detail,
            rule=RuleCited(
                id=error.rule_id,
                citation=error.citation,
                statement_zh=known.statement_zh if known else None,
                statement_en=known.statement_en if known else None,
            ),
            findings=findings_public(error.findings),
        )
    if isinstance(error, ConcurrentWriteError):
        return bilingual_problem(
            problem_type("concurrent-write"),
            ("并发冲突", "Changed by another command"),
            409,
            detail,
            conflict=Conflict(kind="concurrent_write", retry=True),
        )
    kind = "transition_refused" if isinstance(error, TransitionRefusedError) else "refused"
    return bilingual_problem(
        problem_type("transition-refused"),
        ("状态不允许", "Not allowed in the record's current state"),
        409,
        detail,
        conflict=Conflict(kind=kind, retry=False),
    )


def findings_public(findings: Iterable[Any]) -> list[FindingPublic]:
    """Rule findings as the API shows them (they arrive as `domain.values.Finding`)."""
    shown = []
    for finding in findings:
        if not isinstance(finding, Finding):
            continue
        shown.append(
            FindingPublic(
                rule_id=finding.rule_id,
                applies=finding.applies,
                because=[
                    EventRefPublic(originator_id=ref.originator_id, version=ref.version)
                    for ref in tuple(finding.because)
                ],
                barred_until=finding.barred_until,
                detail=finding.detail,
            )
        )
    return shown


def validation_problem(errors: Sequence[Any]) -> Problem:
    """422 for a request pydantic refused: each bad field by its path, in Chinese and English."""
    problems = [_field_problem(error) for error in errors]
    named = ", ".join(dict.fromkeys(p.field for p in problems))
    named_zh = "；".join(dict.fromkeys(f"{p.field}：{p.message_zh}" for p in problems))
    return bilingual_problem(
        problem_type("invalid-input"),
        ("输入有误", "Invalid input"),
        422,
        (
            f"输入有误：{named_zh}" if named_zh else "请求无效",
            f"invalid: {named}" if named else "the request is invalid",
        ),
        errors=problems,
    )


def _field_problem(error: Any) -> FieldProblem:
    location = [str(part) if not isinstance(part, int) else part for part in error.get("loc", ())]
    where = str(location[0]) if location else "body"
    path = ""
    for part in location[1:]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    if not path:
        path = "(body)" if where == "body" else where
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return FieldProblem(
        field=path, message=message, message_zh=field_message_zh(error), location=where
    )


def _http_title(status: int) -> tuple[str, str]:
    titles = {
        400: ("请求有误", "Bad request"),
        404: ("未找到", "Not found"),
        405: ("方法不允许", "Method not allowed"),
        406: ("不可接受", "Not acceptable"),
        413: ("请求过大", "Content too large"),
        415: ("媒体类型不支持", "Unsupported media type"),
    }
    return titles.get(status, ("请求有误", "Request refused"))


_HTTP_DETAILS_ZH = {
    404: "没有这个地址",
    405: "此地址不接受该方法",
    413: "请求体超过服务器接受的大小",
}


def internal_problem() -> Problem:
    return bilingual_problem(
        problem_type("internal-error"),
        ("内部错误", "Internal error"),
        500,
        (
            "服务器未能作答；错误已记录，不对外披露",
            "the server failed to answer; the error is logged, nothing about it is disclosed",
        ),
    )


#: A browser's page for an address no route serves (the pages' own 404, api/web/pages.py).
NotFoundPage = Callable[[Request], Awaitable[Response]]


def wants_page(headers: Headers, path: str) -> bool:
    """A browser asking for a page, not a client of the API (which gets the problem)."""
    return not path.startswith("/v1/") and "text/html" in headers.get("accept", "")


def install_problem_handlers(app: FastAPI, not_found_page: NotFoundPage | None = None) -> None:
    """Answer every refusal as problem details; a browser asking for a page at an address no
    route serves gets `not_found_page`, when given."""

    async def on_ledger_error(request: Request, error: Exception) -> ProblemResponse:
        assert isinstance(error, LedgerError)
        return problem_response(ledger_problem(error))

    async def on_api_error(request: Request, error: Exception) -> ProblemResponse:
        assert isinstance(error, ApiError)
        return problem_response(error.problem(), headers=error.headers)

    async def on_validation_error(request: Request, error: Exception) -> ProblemResponse:
        assert isinstance(error, RequestValidationError)
        return problem_response(validation_problem(error.errors()))

    async def on_http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if (
            error.status_code == 404
            and not_found_page is not None
            and wants_page(request.headers, request.url.path)
        ):
            return await not_found_page(request)
        problem = bilingual_problem(
            "about:blank",
            _http_title(error.status_code),
            error.status_code,
            (_HTTP_DETAILS_ZH.get(error.status_code, "请求被拒绝"), str(error.detail)),
        )
        return problem_response(problem, headers=dict(error.headers or {}))

    app.add_exception_handler(LedgerError, on_ledger_error)
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)


async def send_internal_problem(scope: Scope, receive: Receive, send: Send) -> None:
    """The 500 answer of the last resort (see api/http/middleware.py)."""
    await problem_response(internal_problem())(scope, receive, send)
