"""`GET /v1/feed` and `/v1/feed.atom`: the list-changing events after a position (public).

Entries never change once recorded, so an answer is fixed by `after`, `limit` and `next`: its
`ETag` says so, and `If-None-Match` with it answers 304 while nothing new was recorded. A full
page can be cached for a day; the tail of the feed must be revalidated (`no-cache`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from api.http.deps import PrincipalDep, ReadingDep
from api.http.middleware import POSITION
from api.http.openapi.responses import query_responses
from api.http.routes.publishing.schemas import FeedPagePublic
from api.http.schemas.common import QueryParameters
from api.publishing.atom import ATOM_MEDIA_TYPE, render_atom
from api.publishing.documents import feed_page_document
from readside.feed.queries import MAX_FEED_LIMIT, FeedPage, read_feed

MAX_POSITION = 2**63 - 1
FULL_PAGE_CACHE = "public, max-age=86400"
TAIL_CACHE = "public, no-cache"

router = APIRouter(prefix="/v1", tags=["feed 名单变化"])

_CACHE_HEADERS = {
    "ETag": {
        "description": "The answer's version: send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "How long the answer may be reused.",
        "schema": {"type": "string"},
    },
}


class FeedQuery(QueryParameters):
    after: int = Field(default=0, ge=0, le=MAX_POSITION, description="A position (0: the start).")
    limit: int = Field(default=100, ge=1, le=MAX_FEED_LIMIT)


class AtomQuery(QueryParameters):
    after: int | None = Field(
        default=None, ge=0, le=MAX_POSITION, description="A position (default: the latest entries)."
    )
    limit: int = Field(default=50, ge=1, le=MAX_FEED_LIMIT)


def _not_modified(request: Request, etag: str) -> bool:
    asked = request.headers.get("if-none-match", "")
    return any(tag.strip() in (etag, f"W/{etag}", "*") for tag in asked.split(","))


def _answer(request: Request, page: FeedPage, body: bytes, media_type: str, etag: str) -> Response:
    setattr(request.state, POSITION, page.position)
    headers = {"ETag": etag, "Cache-Control": FULL_PAGE_CACHE if page.complete else TAIL_CACHE}
    if _not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get(
    "/feed",
    response_model=FeedPagePublic,
    responses={
        200: {"headers": _CACHE_HEADERS},
        304: {"description": "未变化 Not modified since the ETag given", "headers": _CACHE_HEADERS},
        **query_responses(401),
    },
    summary="名单变化流 The list's changes after a position",
)
def read_feed_page(
    request: Request,
    principal: PrincipalDep,
    reading: ReadingDep,
    query: Annotated[FeedQuery, Query()],
) -> Response:
    """The list-changing events (Listed, Removed, RemovalRescinded, Renamed) after `after`,
    oldest first; replaying them from 0 gives the list. Anyone may read it."""
    page = read_feed(reading.read_side.views, after=query.after, limit=query.limit)
    body = bytes(JSONResponse(feed_page_document(page)).body)
    return _answer(request, page, body, "application/json", page.etag())


@router.get(
    "/feed.atom",
    response_class=Response,
    responses={
        200: {
            "content": {"application/atom+xml": {"schema": {"type": "string"}}},
            "description": "An Atom feed (RFC 4287), newest entry first",
            "headers": _CACHE_HEADERS,
        },
        304: {"description": "未变化 Not modified since the ETag given", "headers": _CACHE_HEADERS},
        **query_responses(401),
    },
    summary="名单变化 Atom The list's changes for feed readers",
)
def read_feed_atom(
    request: Request,
    principal: PrincipalDep,
    reading: ReadingDep,
    query: Annotated[AtomQuery, Query()],
) -> Response:
    """The latest list-changing events (or those after `after`) as an Atom feed."""
    page = read_feed(reading.read_side.views, after=query.after, limit=query.limit)
    base = str(request.base_url).rstrip("/")
    body = render_atom(page, base, str(request.url))
    return _answer(request, page, body, ATOM_MEDIA_TYPE, page.etag("atom"))
