"""The pages for people (issue 8): the list, a unit with the reasons for its status, the list over
time and a province's work, rendered on the server from Jinja2 templates (the auditor's desk:
api/web/audit_pages.py).

ADR 0070: HTML from the same app and the same read models as the API, no front-end build and no
script needed — every filter is a plain GET form, every chart is SVG drawn here. The pages follow
the API's rules for who may read what (docs/api-extensions.md): the current list is public; a
unit, its history and explanation, the exports and the statistics need the ministry, a province
or the auditor; audit reports are the auditor's, the ministry may read them. Sign-in keeps the
token in a cookie (ADR 0071).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Coroutine, Sequence
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import URL, QueryParams

from api.exports import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    ListExport,
    as_csv,
    as_xlsx,
    read_whole_list,
    spreadsheet_response,
)
from api.http.auth import Role, TokenStore, unpublished
from api.http.deps import LedgerDep, PageReadSideDep, UnknownQueryParametersError, reads_query
from api.http.middleware import POSITION
from api.http.readside import ReadSide
from api.printing import Language as ExportLanguage
from api.web.chart import row_bars, stacked_bars
from api.web.commands.handling import FormState
from api.web.commands.units import UNIT_FORMS_BY_NAME, unit_forms
from api.web.forms import PAGE_SIZES, FieldError, parse_day, read_list_form
from api.web.positions import parse_min_position, wait_for_position
from api.web.session import (
    LANGUAGE_COOKIE,
    LANGUAGE_MAX_AGE,
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    PageForbiddenError,
    PageNotFoundError,
    PageRefusedError,
    SignInRequiredError,
    Viewer,
    get_viewer,
    safe_next,
    sign_in_location,
)
from api.web.text import Language
from domain.errors import InvalidInputError, LedgerError, NotFoundError
from domain.ledger import Ledger
from domain.national.commands import (
    get_green_codes,
    green_code_distribution,
    latest_green_code_year,
)
from domain.national.green_codes import GradeRecord
from domain.tiers.stars import STARS
from domain.values import Category, Level, ListingStatus, Region, beijing_time
from readside.decisions.explanations import get_explanation
from readside.engine.reading import PUBLIC_STATUSES
from readside.enterprises.lookup import Lookup, looks_like_credit_code, lookup_units
from readside.listings.queries import GREEN_CODES, get_listing, list_listings, list_region_work
from readside.statistics.queries import list_statistics_series
from readside.timeline.queries import list_events, list_listing_history

READERS = (Role.MINISTRY, Role.PROVINCE, Role.AUDITOR)

templates = Jinja2Templates(
    env=Environment(
        loader=PackageLoader("api.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
)


def _relative(url: URL) -> str:
    """A link to `url` on this site, never built from the Host header (issue 16)."""
    return url.path + (f"?{url.query}" if url.query else "")


# Times are shown in Beijing time, and said so (issue 15); the API answers UTC (RFC 3339).
def _beijing(value: datetime | str | None, seconds: bool = False) -> str:
    """The `beijing` filter: an instant (or its RFC 3339 text, as a certificate holds it)."""
    if value is None or value == "":
        return ""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    return beijing_time(instant, seconds=seconds)


templates.env.filters["beijing"] = _beijing


def _render(
    request: Request,
    viewer: Viewer,
    name: str,
    context: dict[str, Any],
    status: int = 200,
) -> HTMLResponse:
    other = Language.EN if viewer.language is Language.ZH else Language.ZH
    response = templates.TemplateResponse(
        request,
        name,
        {
            "viewer": viewer,
            "w": viewer.words,
            "lang_url": _relative(request.url.include_query_params(lang=other.value)),
            "here": request.url.path,
            **context,
        },
        status_code=status,
    )
    if viewer.chosen_language is not None:
        response.set_cookie(
            LANGUAGE_COOKIE,
            viewer.chosen_language.value,
            max_age=LANGUAGE_MAX_AGE,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    return response


async def _refusal(request: Request, error: PageRefusedError) -> Response:
    if isinstance(error, SignInRequiredError):
        return RedirectResponse(sign_in_location(request), status_code=303)
    viewer = await get_viewer(request)
    message = error.message_zh if viewer.language is Language.ZH else error.message_en
    page = _render(request, viewer, "error.html", {"message": message}, error.status)
    if error.status == 503:
        page.headers["Retry-After"] = "1"
    return page


async def not_found_page(request: Request) -> Response:
    """The 404 page, for a browser at an address no route serves."""
    return await _refusal(request, PageNotFoundError("未找到该页面。", "There is no such page."))


class PageRoute(APIRoute):
    """A page route: refusals become pages (a redirect to sign in, a 403, 404 or 422 page),
    never problem+json. Every page takes `lang` (the language link) besides its own fields."""

    common_query = ("lang",)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except PageRefusedError as error:
                return await _refusal(request, error)
            except NotFoundError as error:
                return await _refusal(request, PageNotFoundError("未找到该记录。", error.message))
            except InvalidInputError as error:
                refused = PageRefusedError(
                    f"{error.field}：{error.reason}", f"{error.field}: {error.reason}"
                )
                refused.status = 422
                return await _refusal(request, refused)
            except UnknownQueryParametersError as error:
                refused = PageRefusedError(
                    f"不接受的查询参数：{'、'.join(error.unknown)}"
                    f"（此页面接受：{'、'.join(error.accepted)}）",
                    f"Unknown query parameters: {', '.join(error.unknown)} "
                    f"(this page takes: {', '.join(error.accepted)})",
                )
                refused.status = 422
                return await _refusal(request, refused)
            except RequestValidationError:
                return await _refusal(
                    request, PageNotFoundError("未找到该页面。", "There is no such page.")
                )
            except LedgerError as error:  # a refusal of the state, e.g. a report running
                refused = PageRefusedError(error.message, error.message)
                refused.status = 409
                return await _refusal(request, refused)

        return page_handler


router = APIRouter(route_class=PageRoute, include_in_schema=False)
ViewerDep = Annotated[Viewer, Depends(get_viewer)]


# -- the list --------------------------------------------------------------------------------------


def _choices(viewer: Viewer) -> dict[str, Any]:
    words = viewer.words
    return {
        "regions": [(region.code, words.region(region.code)) for region in Region.all()],
        "categories": [(c.value, words.category(c.value)) for c in Category],
        "levels": [(level.value, words.level(level.value)) for level in Level],
        "star_options": [(str(n), words.stars(n)) for n in STARS],
        "green_code_options": GREEN_CODES,
        "statuses": [
            (s.value, words.status(s.value))
            for s in ListingStatus
            if viewer.signed_in or s in PUBLIC_STATUSES
        ],
        "page_sizes": PAGE_SIZES,
    }


def _field_messages(viewer: Viewer, errors: Sequence[FieldError]) -> list[tuple[str, str]]:
    return [
        (error.field, error.message_zh if viewer.language is Language.ZH else error.message_en)
        for error in errors
    ]


LIST_FIELDS = (
    *("as_of", "known_at", "region", "category", "level", "stars", "green_code"),
    *("status", "q"),
)


@router.get("/", response_class=HTMLResponse)
@reads_query(*LIST_FIELDS, "page", "page_size")
def list_page(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """The list on a date, filtered, searched and paged; totals and export links."""
    form = read_list_form(request.query_params)
    if form.known_at is not None and not viewer.signed_in:
        raise SignInRequiredError(
            "按已知时点查看名单需要登录。", "Reading the list as known at an instant needs sign-in."
        )
    hidden = unpublished(viewer.principal, form.status)
    if hidden:
        raise PageForbiddenError(
            f"未登录只能查看名单上的单位和已移出的单位，不能查看：{'、'.join(hidden)}。",
            f"Without sign-in only units on the list and removed ones can be read, not: "
            f"{', '.join(hidden)}.",
        )
    page = lookup = None
    if not form.errors:
        page = list_listings(read_side.views, form.list_query())
        setattr(request.state, POSITION, page.position)
        lookup = _lookup(read_side, viewer, form.q, page.total, page.as_of)
    pages = max(math.ceil(page.total / page.page_size), 1) if page is not None else 1
    # A row's link reads the unit for the same day, as known at the same instant.
    unit_pairs = {name: form.raw[name] for name in ("as_of", "known_at") if form.raw[name]}
    unit_query = f"?{urlencode(unit_pairs)}" if unit_pairs else ""
    return _render(
        request,
        viewer,
        "list.html",
        {
            "form": form,
            "page": page,
            "pages": pages,
            "page_numbers": page_numbers(page.page if page is not None else 1, pages),
            "lookup": lookup,
            "errors": _field_messages(viewer, form.errors),
            "invalid": {error.field for error in form.errors},
            "unit_query": unit_query,
            **_choices(viewer),
        },
        status=422 if form.errors else 200,
    )


def _lookup(
    read_side: ReadSide, viewer: Viewer, q: str | None, found: int, day: date
) -> Lookup | None:
    """What the search box's text finds as `GET /v1/lookup` would: a credit code always; a name
    when the list on the day has no unit of that name (a removed or renamed unit is then told
    of, not met with "no unit matches")."""
    if not q:
        return None
    published_only = not viewer.signed_in
    if looks_like_credit_code(q):
        return lookup_units(read_side.views, uscc=q, on=day, published_only=published_only)
    if found:
        return None
    return lookup_units(read_side.views, name=q, on=day, published_only=published_only)


def page_numbers(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a list offers: the first, the last, and those around the current one;
    None where numbers are left out."""
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and numbers[-1] is not None and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def _export(
    request: Request,
    viewer: Viewer,
    read_side: PageReadSideDep,
    render: Callable[[ListExport, ExportLanguage], bytes],
    media_type: str,
    suffix: str,
) -> Response:
    viewer.require(*READERS)
    form = read_list_form(request.query_params)
    if form.errors:
        return _render(
            request,
            viewer,
            "list.html",
            {
                "form": form,
                "page": None,
                "pages": 1,
                "errors": _field_messages(viewer, form.errors),
                "invalid": {error.field for error in form.errors},
                "unit_query": "",
                **_choices(viewer),
            },
            status=422,
        )
    export = read_whole_list(read_side.views, form.list_query())
    setattr(request.state, POSITION, export.position)
    return spreadsheet_response(export, render, media_type, suffix, viewer.language.value)


@router.get("/export/list.xlsx")
@reads_query(*LIST_FIELDS)
def export_xlsx_page(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """The list the page shows, every page of it, as an Excel workbook (the API's export)."""
    return _export(request, viewer, read_side, as_xlsx, XLSX_MEDIA_TYPE, "xlsx")


@router.get("/export/list.csv")
@reads_query(*LIST_FIELDS)
def export_csv_page(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """The list the page shows as CSV (the API's export)."""
    return _export(request, viewer, read_side, as_csv, CSV_MEDIA_TYPE, "csv")


# -- a unit ----------------------------------------------------------------------------------------


def parse_listing_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise PageNotFoundError(
            f"“{text}”不是名单单位编号。", f"{text!r} is not a listing id."
        ) from None


def _as_of(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        refused = PageRefusedError(
            f"as_of：“{text}”不是有效日期（格式 YYYY-MM-DD）",
            f"as_of: {text!r} is not a date (YYYY-MM-DD)",
        )
        refused.status = 422
        raise refused from None


def _known_at(text: str | None) -> datetime | None:
    if not text:
        return None
    form = read_list_form(QueryParams({"known_at": text}))
    if form.errors:
        refused = PageRefusedError(
            f"known_at：{form.errors[0].message_zh}", f"known_at: {form.errors[0].message_en}"
        )
        refused.status = 422
        raise refused
    return form.known_at


@router.get("/units/{listing_id}", response_class=HTMLResponse)
@reads_query("done")
def unit_page(
    request: Request,
    listing_id: str,
    viewer: ViewerDep,
    read_side: PageReadSideDep,
    ledger: LedgerDep,
    as_of: str | None = None,
    known_at: str | None = None,
    min_position: str | None = None,
) -> Response:
    """One unit on a date as known at an instant: its status and flags, why it had that status
    then (the deciding event, the rules with their citations, the facts and their documents),
    its timeline up to then, and the forms of the commands the viewer may give (after one, at or
    after its position)."""
    viewer.require(*READERS)
    ident = parse_listing_id(listing_id)
    wait_for_position(read_side, parse_min_position(min_position))
    return render_unit(
        request, viewer, read_side, ledger, ident, _as_of(as_of), known_at=_known_at(known_at)
    )


def render_unit(
    request: Request,
    viewer: Viewer,
    read_side: ReadSide,
    ledger: Ledger,
    ident: UUID,
    day: date | None,
    failed: FormState | None = None,
    status: int = 200,
    known_at: datetime | None = None,
) -> HTMLResponse:
    """The unit's page on `day` as known at `known_at`: the state, the explanation and the
    timeline read for the same two; `failed`: a form just refused, shown again with its
    messages."""
    explanation = get_explanation(read_side.views, ident, as_of=day, known_at=known_at)
    state = get_listing(read_side.views, ident, as_of=day, known_at=known_at)
    history = list_listing_history(read_side.views, ident, as_of=day, known_at=known_at)
    decisions = (explanation.deciding, *explanation.record)
    positions = [
        fact.position
        for decision in decisions
        if decision is not None
        for finding in decision.findings
        for fact in finding.facts
    ]
    positions.extend(g.fact.position for g in explanation.grounds if g.fact is not None)
    events = list_events(read_side.views, positions)
    setattr(request.state, POSITION, explanation.position)
    return _render(
        request,
        viewer,
        "unit.html",
        {
            "state": state,
            "explanation": explanation,
            "history": history,
            "events": events,
            "in_timeline": {entry.position for entry in history.entries},
            "forms": unit_forms(ledger, viewer.principal, ident, failed),
            "green_codes": unit_green_codes(ledger, ident),
            "done": UNIT_FORMS_BY_NAME.get(request.query_params.get("done", ""))
            if failed is None
            else None,
        },
        status=status,
    )


def unit_green_codes(ledger: Ledger, ident: UUID) -> list[tuple[int, GradeRecord | str]]:
    """The unit's 企业绿码 by report year (ADR 0151): its grade, or why it got none."""
    codes: list[tuple[int, GradeRecord | str]] = []
    for year in range(2023, Ledger.today().year + 1):
        found = get_green_codes(ledger, year)
        if found is None:
            continue
        if ident in found.grades:
            codes.append((year, found.grades[ident]))
        elif ident in found.withheld:
            codes.append((year, found.withheld[ident]))
    return codes


# -- over time -------------------------------------------------------------------------------------


def _years_asked(request: Request) -> tuple[int, int]:
    """The span `from`–`to` of the over-time page (2017 to this year by default); 422 when `to`
    is before `from`."""
    first = _year(request.query_params.get("from"), "from", 2017)
    last = _year(request.query_params.get("to"), "to", Ledger.today().year)
    if last < first:
        refused = PageRefusedError(
            f"to：{last} 早于 from（{first}）", f"to: {last} is before from ({first})"
        )
        refused.status = 422
        raise refused
    return first, last


def _year(text: str | None, name: str, default: int) -> int:
    if not text:
        return default
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not 2016 <= year <= 2099:
        refused = PageRefusedError(
            f"{name}：“{text}”应为2016到2099之间的年份", f"{name}: {text!r} is not a year 2016–2099"
        )
        refused.status = 422
        raise refused
    return year


def _region_asked(text: str | None) -> str | None:
    """A region field of a page's form: empty for every region, else one of the 37."""
    asked = (text or "").strip()
    if not asked:
        return None
    try:
        return Region.of(asked).code
    except InvalidInputError:
        refused = PageRefusedError(
            f"region：“{asked}”不是37个报送地区之一",
            f"region: {asked!r} is not one of the 37 reporting regions",
        )
        refused.status = 422
        raise refused from None


@router.get("/over-time", response_class=HTMLResponse)
@reads_query("from", "to", "region")
def over_time_page(
    request: Request,
    viewer: ViewerDep,
    read_side: PageReadSideDep,
    ledger: LedgerDep,
) -> Response:
    """Units on the list at each year's end, by category, and removals per year: two SVG charts
    with the same numbers in tables."""
    viewer.require(*READERS)
    words = viewer.words
    first, last = _years_asked(request)
    region = _region_asked(request.query_params.get("region"))
    series = list_statistics_series(read_side.views, from_year=first, to_year=last, region=region)
    setattr(request.state, POSITION, series.position)
    years = list(range(series.from_year, series.to_year + 1))
    categories = [category.value for category in Category]
    on_list = {(y.year, y.category): y.on_list for y in series.years}
    removed = {(y.year, y.category): y.removed for y in series.years}

    def rows(numbers: dict[tuple[int, str], int]) -> list[tuple[int, list[int], int]]:
        table = []
        for year in years:
            values = [numbers.get((year, category), 0) for category in categories]
            table.append((year, values, sum(values)))
        return table

    def chart(numbers: dict[tuple[int, str], int]) -> Any:
        return stacked_bars(
            [str(year) for year in years],
            [
                (words.category(category), [numbers.get((year, category), 0) for year in years])
                for category in categories
            ],
        )

    return _render(
        request,
        viewer,
        "over_time.html",
        {
            "first": first,
            "last": last,
            "region": region,
            **_choices(viewer),
            "category_labels": [words.category(category) for category in categories],
            "on_list_chart": chart(on_list),
            "on_list_rows": rows(on_list),
            "removed_chart": chart(removed),
            "removed_rows": rows(removed),
            **green_code_section(ledger, first, last, words),
        },
    )


def green_code_section(ledger: Ledger, first: int, last: int, words: Any) -> dict[str, Any]:
    """企业绿码 per region for the latest report year graded in the span (ADR 0151): one
    horizontal bar per region, its name on its own line (37 regions do not fit under columns)."""
    year = latest_green_code_year(ledger, first, last)
    if year is None:
        return {"green_code_year": None}
    table = green_code_distribution(ledger, year)
    grades = ("A+", "A", "B")
    return {
        "green_code_year": year,
        "green_code_rows": [
            (words.region(region), [row[g] for g in grades], sum(row.values()))
            for region, row in table.items()
        ],
        "green_code_chart": row_bars(
            [words.region(region) for region in table],
            [(grade, [row[grade] for row in table.values()]) for grade in grades],
        ),
        "green_code_totals": {g: sum(row[g] for row in table.values()) for g in grades},
    }


# -- for auditors and provinces ------------------------------------------------------------------


@router.get("/province", response_class=HTMLResponse)
@reads_query("region")
def province_page(request: Request, viewer: ViewerDep, read_side: PageReadSideDep) -> Response:
    """A region's units that are flagged, whose filing is overdue, or that await a decision: a
    province sees its own region; the ministry and the auditor choose one, or see them all."""
    principal = viewer.require(*READERS)
    asked = request.query_params.get("region", "").strip() or None
    if principal.role is Role.PROVINCE:
        own = principal.region.code if principal.region is not None else None
        if asked is not None and asked != own:
            raise PageForbiddenError(
                f"省级身份（{own}）只能查看本地区的待办，不能查看{asked}。",
                f"A province ({own}) sees its own region's work only, not {asked}'s.",
            )
        region = own
    else:
        region = asked
        if region is not None:
            try:
                region = Region.of(region).code
            except InvalidInputError:
                refused = PageRefusedError(
                    f"region：“{asked}”不是37个报送地区之一",
                    f"region: {asked!r} is not one of the 37 reporting regions",
                )
                refused.status = 422
                raise refused from None
    work = list_region_work(read_side.views, region)
    setattr(request.state, POSITION, work.position)
    return _render(
        request,
        viewer,
        "province.html",
        {"work": work, "region": region, **_choices(viewer)},
    )


# -- sign-in ---------------------------------------------------------------------------------------


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, viewer: ViewerDep, next: str | None = None) -> Response:
    """The sign-in form."""
    return _render(request, viewer, "sign_in.html", {"next": safe_next(next), "refused": False})


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    viewer: ViewerDep,
    token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the token as the API would; keep it in an HttpOnly, SameSite=Strict cookie."""
    tokens: TokenStore = request.app.state.tokens
    token = token.strip()
    principal = await run_in_threadpool(tokens.authenticate, token) if token else None
    if principal is None:
        return _render(
            request, viewer, "sign_in.html", {"next": safe_next(next), "refused": True}, 401
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/sign-out")
def sign_out(request: Request) -> Response:
    """Forget the token (the cookie); the token itself stays valid until revoked."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


#: For the other page modules (forms, the queue, the upload): one way to render a page.
render_page = _render
