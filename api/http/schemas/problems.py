"""Problem details (RFC 9457): how every refusal and failure reads, `application/problem+json`."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class FieldProblem(BaseModel):
    """One bad field of a request: its path in the body (or the query or path parameter)."""

    field: str = Field(description="The field, e.g. `name`, `basis[0].url`, `known_at`.")
    message: str = Field(description="What is wrong with it (English).")
    message_zh: str = Field(default="输入有误", description="What is wrong with it, in Chinese.")
    location: str = Field(
        default="body", description="Where the field is: `body`, `query`, `path` or `header`."
    )


class RuleCited(BaseModel):
    """The rule that refuses a command, as the regulation states it."""

    id: str = Field(description="Rule id of regulation.md, e.g. `NEG-3`.")
    citation: str = Field(
        description="Instrument and division, e.g. 工信厅节函〔2022〕235号 一 第二段."
    )
    statement_zh: str | None = None
    statement_en: str | None = None


class EventRefPublic(BaseModel):
    originator_id: UUID
    version: int


class FindingPublic(BaseModel):
    """What one rule found on the facts of a decision."""

    rule_id: str
    applies: bool
    because: list[EventRefPublic] = Field(
        default_factory=list, description="The stored events the finding rests on."
    )
    barred_until: date | None = None
    detail: str = ""


class Conflict(BaseModel):
    """Why a command does not fit the ledger's current state (409 without a rule)."""

    kind: str = Field(
        description="`transition_refused` (the record's state does not allow it), "
        "`concurrent_write` (another command changed the record first: retry), or "
        "`request_in_progress` (the same Idempotency-Key is being answered)."
    )
    retry: bool = Field(description="Whether sending the same command again may succeed.")


class ProblemText(BaseModel):
    """A problem's title and detail in one language."""

    title: str
    detail: str


class Problem(BaseModel):
    """A refusal or a failure (RFC 9457): `title` and `detail` read Chinese first, then English;
    `zh` and `en` hold each language alone (api.md, v1 additions)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:greenledger:problem:rule-refusal",
                    "title": "规则不允许 Refused by the rules",
                    "status": 409,
                    "detail": "规则 NEG-3（工信厅节函〔2022〕235号 一 第二段）不允许：近三年被"
                    "动态调整出绿色制造名单的，不得推荐。 NEG-3 (工信厅节函〔2022〕235号 一 "
                    "第二段): the applicant was removed from the list on 2023-05-04 and is "
                    "barred until 2026-05-03",
                    "rule": {"id": "NEG-3", "citation": "工信厅节函〔2022〕235号 一 第二段"},
                    "findings": [
                        {
                            "rule_id": "NEG-3",
                            "applies": True,
                            "because": [
                                {
                                    "originator_id": "5c1f7a35-8a4e-5b8e-9f5e-0a4f1e0c9d11",
                                    "version": 4,
                                }
                            ],
                            "barred_until": "2026-05-03",
                            "detail": "removed on 2023-05-04",
                        }
                    ],
                }
            ]
        }
    )

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem, Chinese first.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What happened in this case, Chinese first.")
    zh: ProblemText | None = Field(default=None, description="Title and detail in Chinese.")
    en: ProblemText | None = Field(default=None, description="Title and detail in English.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="422: every bad field, by name."
    )
    rule: RuleCited | None = Field(default=None, description="409: the rule that refuses it.")
    findings: list[FindingPublic] | None = Field(
        default=None, description="409 rule refusal: every finding that refuses it."
    )
    conflict: Conflict | None = Field(default=None, description="409 without a rule.")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route for the problems it may answer with."""
    return {
        status: {
            "model": Problem,
            "description": PROBLEM_DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": {"$ref": _PROBLEM_REF}}},
        }
        for status in statuses
    }


_PROBLEM_REF = "#/components/schemas/Problem"

PROBLEM_DESCRIPTIONS = {
    400: "请求无法解析 The body cannot be read (not UTF-8 JSON, or a broken form)",
    401: "未认证 No valid bearer token",
    403: "无权限 The principal may not do this (role or region)",
    404: "未找到 Unknown id",
    409: "冲突 Refused by the rules, by the record's state, or a concurrent write",
    413: "请求过大 Request body larger than the server accepts",
    422: "输入有误 Invalid input: every bad field named",
    500: "内部错误 Internal error (no details are disclosed)",
    503: "暂不可用 Unavailable: this server lacks what the request needs (e.g. a signing key)",
}


def bilingual_problem(
    type: str,
    title: tuple[str, str],
    status: int,
    detail: tuple[str, str],
    **more: Any,
) -> Problem:
    """A problem whose title and detail are given as (Chinese, English) pairs."""
    (title_zh, title_en), (detail_zh, detail_en) = title, detail
    return Problem(
        type=type,
        title=f"{title_zh} {title_en}",
        status=status,
        detail=f"{detail_zh} {detail_en}" if detail_zh != detail_en else detail_en,
        zh=ProblemText(title=title_zh, detail=detail_zh),
        en=ProblemText(title=title_en, detail=detail_en),
        **more,
    )
