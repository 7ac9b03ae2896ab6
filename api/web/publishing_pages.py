"""The public pages that publish the list outward (issue 19): 名单变化 (the changes between two
dates, with its workbook), a unit's printable certificate with a QR code linking to its JSON, and
`/verify`, which checks an uploaded certificate with the public key this site publishes.

Same rules as the API: all three are public and show published facts only (ADR 0031).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import segno
from fastapi import APIRouter, File, Request, Response, UploadFile
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.http.deps import PageReadSideDep, SealDep, SigningKeyDep, WriteGateDep, reads_query
from api.http.errors import ApiError
from api.http.middleware import POSITION
from api.http.routes.publishing.certificates import certificate_path
from api.publishing.certificates import issue_certificate
from api.publishing.changes_workbook import reasons_en, reasons_zh
from api.settings import Settings
from api.web.forms import parse_day
from api.web.pages import PageRoute, ViewerDep, _choices, _render
from api.web.session import PageRefusedError, get_viewer
from api.web.text import Language
from domain.errors import InvalidInputError
from domain.ledger import Ledger
from domain.values import Category, Level, Region
from readside.changes.queries import get_changes
from seal.certificates import Certificate, CertificateRejectedError, verify_certificate
from seal.standing import not_proven

#: The largest certificate the /verify page reads (a unit's events: a few kilobytes each).
MAX_CERTIFICATE_BYTES = 2 * 1024 * 1024


class PublishingPageRoute(PageRoute):
    """A page route that shows the API's own refusals (no signing key …) as pages too."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as error:
                viewer = await get_viewer(request)
                return _render(
                    request, viewer, "error.html", {"message": error.detail}, error.status
                )

        return page_handler


router = APIRouter(route_class=PublishingPageRoute, include_in_schema=False)


def _day(request: Request, name: str, default: date) -> date:
    text = request.query_params.get(name, "").strip()
    if not text:
        return default
    try:
        return parse_day(text)
    except ValueError:
        refused = PageRefusedError(
            f"{name}：“{text}”不是有效日期（格式 YYYY-MM-DD）",
            f"{name}: {text!r} is not a date (YYYY-MM-DD)",
        )
        refused.status = 422
        raise refused from None


def _code(request: Request, name: str, parse: Callable[[str], Any]) -> str | None:
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    try:
        parsed = parse(text)
    except (ValueError, InvalidInputError):
        refused = PageRefusedError(f"{name}：“{text}”无效", f"{name}: {text!r} is not valid")
        refused.status = 422
        raise refused from None
    return str(getattr(parsed, "value", getattr(parsed, "code", parsed)))


@router.get("/changes", response_class=HTMLResponse)
@reads_query("from", "to", "category", "level", "region")
def changes_page(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """名单变化: the units listed, removed and renamed between two dates, and the net change."""
    today = Ledger.today()
    start = _day(request, "from", date(today.year - 1, 12, 31))
    end = _day(request, "to", today)
    if end < start:
        refused = PageRefusedError(
            f"to：{end} 早于 from（{start}）", f"to: {end} is before {start}"
        )
        refused.status = 422
        raise refused
    filters = {
        "category": _code(request, "category", Category),
        "level": _code(request, "level", Level),
        "region": _code(request, "region", Region.of),
    }
    changes = get_changes(read_side.views, start=start, end=end, **filters)
    setattr(request.state, POSITION, changes.position)
    query = "&".join(
        f"{name}={value}"
        for name, value in (("from", start), ("to", end), *filters.items())
        if value is not None
    )
    return _render(
        request,
        viewer,
        "changes.html",
        {
            "changes": changes,
            "filters": filters,
            "query": query,
            "reasons": reasons_zh if viewer.language is Language.ZH else reasons_en,
            **_choices(viewer),
        },
    )


@router.get("/units/{listing_id}/certificate", response_class=HTMLResponse)
@reads_query("on")
def certificate_page(
    request: Request,
    listing_id: UUID,
    viewer: ViewerDep,
    read_side: PageReadSideDep,
    seal: SealDep,
    signing_key: SigningKeyDep,
    gate: WriteGateDep,
) -> Response:
    """A unit's certificate on a date, printable, with a QR code linking to its JSON."""
    on = _day(request, "on", Ledger.today())
    certificate = issue_certificate(
        views=read_side.views,
        seal=seal,
        heads=request.app.state.heads,
        signing_key=signing_key,
        gate=gate,
        listing_id=listing_id,
        on=on,
    )
    settings: Settings = request.app.state.settings
    origin = settings.public_url or str(request.base_url).rstrip("/")
    json_url = origin + certificate_path(listing_id, on)
    qr = Markup(segno.make(json_url, error="m").svg_inline(scale=3))
    head = certificate.head
    return _render(
        request,
        viewer,
        "certificate.html",
        {
            "certificate": certificate,
            "document": certificate.to_document(),
            "json_path": certificate_path(listing_id, on),
            "qr": qr,
            "not_proven": not_proven(head.tree_size, head.timestamp),
        },
    )


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request, viewer: ViewerDep, signing_key: SigningKeyDep) -> Response:
    """The form: upload a certificate, checked here with this site's public key."""
    return _render(
        request, viewer, "verify.html", {"outcome": None, "has_key": signing_key is not None}
    )


@router.post("/verify", response_class=HTMLResponse)
async def verify_upload(
    request: Request,
    viewer: ViewerDep,
    signing_key: SigningKeyDep,
    certificate: Annotated[UploadFile, File()],
) -> Response:
    """Check an uploaded certificate: every signature, proof and statement, as the CLI does."""
    if signing_key is None:
        return _render(request, viewer, "verify.html", {"outcome": None, "has_key": False}, 503)
    data = await certificate.read(MAX_CERTIFICATE_BYTES + 1)
    outcome: dict[str, Any]
    try:
        if len(data) > MAX_CERTIFICATE_BYTES:
            raise CertificateRejectedError("the file is larger than a certificate can be")
        verified = verify_certificate(_certificate_of(data), signing_key.public_key())
    except CertificateRejectedError as error:
        outcome = {"ok": False, "reason": str(error)}
        status = 422
    else:
        head = verified.head
        statement = verified.certificate.statement
        outcome = {
            "ok": True,
            "text": statement["text_zh"]
            if viewer.language is Language.ZH
            else statement["text_en"],
            "head": head,
            "events": len(verified.certificate.events),
            "not_proven": not_proven(head.tree_size, head.timestamp),
        }
        status = 200
    return _render(request, viewer, "verify.html", {"outcome": outcome, "has_key": True}, status)


def _certificate_of(data: bytes) -> Certificate:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CertificateRejectedError("the file is not UTF-8 text") from error
    return Certificate.from_json(text)
