"""The list's filters as a plain GET form sends them, read field by field.

A page never answers a bad field with a bare 422 or a 500: every field that cannot be read is
named, with what was wrong, above the form (which keeps what the viewer typed). Empty fields mean
"no filter", as a form sends an untouched input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from domain.errors import InvalidInputError
from domain.values import Category, Level, ListingStatus, Region
from readside.listings.queries import GREEN_CODES, MAX_PAGE_SIZE, ListQuery

PAGE_SIZES = (20, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
MAX_SEARCH = 200

C = TypeVar("C", Category, Level)


@dataclass(frozen=True)
class FieldError:
    """One field of a form that could not be read."""

    field: str
    message_zh: str
    message_en: str


@dataclass
class ListForm:
    """The list's filters: what was typed (`raw`) and what it means."""

    raw: dict[str, str]
    statuses_raw: list[str]
    as_of: date | None = None
    known_at: datetime | None = None
    region: str | None = None
    category: Category | None = None
    level: Level | None = None
    status: list[ListingStatus] = field(default_factory=list)
    q: str | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    errors: list[FieldError] = field(default_factory=list)
    stars: int | None = None
    green_code: str | None = None

    def query(self, **changes: object) -> str:
        """The query string of these filters (the typed values), with `changes` applied."""
        pairs: list[tuple[str, str]] = []
        values: dict[str, object] = {**self.raw, **changes}
        for name in _FILTERS:
            value = values.get(name)
            if value:
                pairs.append((name, str(value)))
        pairs.extend(("status", status) for status in self.statuses_raw if status)
        for name in ("q", "page", "page_size"):
            value = values.get(name)
            if value:
                pairs.append((name, str(value)))
        return urlencode(pairs)

    def list_query(self) -> ListQuery:
        """What the filters ask of the list (read only when `errors` is empty)."""
        return ListQuery(
            as_of=self.as_of,
            known_at=self.known_at,
            category=self.category,
            level=self.level,
            region=self.region,
            status=tuple(self.status),
            q=self.q,
            page=self.page,
            page_size=self.page_size,
            stars=self.stars,
            green_code=self.green_code,
        )

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The filters as hidden fields of the jump-to-page form (all but the page)."""
        pairs = [(name, self.raw[name]) for name in _FILTERS if self.raw.get(name)]
        pairs.extend(("status", status) for status in self.statuses_raw if status)
        pairs.extend((name, self.raw[name]) for name in ("q", "page_size") if self.raw.get(name))
        return pairs

    def export_query(self) -> str:
        """The same filters without paging, for the export links."""
        return self.query(page="", page_size="")


#: The list's filters kept as typed, in the order of the query string.
_FILTERS = ("as_of", "known_at", "region", "category", "level", "stars", "green_code")


def _green_code(form: ListForm, typed: str) -> str | None:
    """企业绿码 as selected (ADR 0151): A+, A or B, exactly — an unencoded `+` (read as a space)
    is refused, never taken for A."""
    form.raw["green_code"] = typed
    if not typed:
        return None
    if typed in GREEN_CODES:
        return typed
    form.errors.append(
        FieldError(
            "green_code",
            f"“{typed}”无效，企业绿码应为A+、A或B",
            f"{typed!r} is not a green code (A+, A, B)",
        )
    )
    return None


def read_list_form(params: QueryParams) -> ListForm:
    """The filters of a list request; `errors` names every field that could not be read."""
    raw = {
        name: params.get(name, "").strip()
        for name in (
            *_FILTERS,
            *("q", "page", "page_size"),
        )
    }
    form = ListForm(raw=raw, statuses_raw=[s.strip() for s in params.getlist("status")])
    form.as_of = _date(form, "as_of")
    form.known_at = _instant(form, "known_at")
    if raw["region"]:
        try:
            form.region = Region.of(raw["region"]).code
        except InvalidInputError:
            form.errors.append(
                FieldError(
                    "region",
                    f"“{raw['region']}”不是37个报送地区之一（六位行政区划代码）",
                    f"{raw['region']!r} is not one of the 37 reporting regions (a six-digit code)",
                )
            )
    form.green_code = _green_code(form, params.get("green_code", ""))
    form.category = _coded(form, "category", Category)
    form.level = _coded(form, "level", Level)
    if raw["stars"]:
        if raw["stars"] in ("3", "4", "5"):
            form.stars = int(raw["stars"])
        else:
            form.errors.append(
                FieldError(
                    "stars",
                    f"“{raw['stars']}”无效，星级应为3、4或5",
                    f"{raw['stars']!r} is not 3, 4 or 5 stars",
                )
            )
    for text in form.statuses_raw:
        if not text:
            continue
        try:
            form.status.append(ListingStatus(text))
        except ValueError:
            form.errors.append(_unknown("status", text, ListingStatus))
    if len(raw["q"]) > MAX_SEARCH:
        form.errors.append(
            FieldError("q", f"名称检索不超过{MAX_SEARCH}个字符", f"at most {MAX_SEARCH} characters")
        )
    else:
        form.q = raw["q"] or None
    form.page = _number(form, "page", 1, 1, 1_000_000)
    form.page_size = _number(form, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    return form


def parse_day(text: str) -> date:
    """A day written YYYY-MM-DD, and only so (ValueError otherwise)."""
    if len(text) != 10:
        raise ValueError(text)
    return date.fromisoformat(text)


def _date(form: ListForm, name: str) -> date | None:
    text = form.raw[name]
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        form.errors.append(
            FieldError(
                name,
                f"“{text}”不是有效日期（格式 YYYY-MM-DD，如 2024-06-30）",
                f"{text!r} is not a date (YYYY-MM-DD, e.g. 2024-06-30)",
            )
        )
        return None


def _instant(form: ListForm, name: str) -> datetime | None:
    text = form.raw[name]
    if not text:
        return None
    try:
        instant = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        form.errors.append(
            FieldError(
                name,
                f"“{text}”不是带时区的时刻（RFC 3339，如 2024-01-01T00:00:00Z）",
                f"{text!r} is not an instant with a time zone "
                "(RFC 3339, e.g. 2024-01-01T00:00:00Z)",
            )
        )
        return None
    return instant


def _coded(form: ListForm, name: str, kind: type[C]) -> C | None:
    text = form.raw[name]
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        form.errors.append(_unknown(name, text, kind))
        return None


def _unknown(name: str, text: str, kind: type[Category | Level | ListingStatus]) -> FieldError:
    allowed = ", ".join(str(member.value) for member in kind)
    return FieldError(name, f"“{text}”无效，应为：{allowed}", f"{text!r} is not one of: {allowed}")


def _number(form: ListForm, name: str, default: int, low: int, high: int) -> int:
    text = form.raw[name]
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        form.errors.append(
            FieldError(
                name,
                f"“{text}”应为{low}到{high}之间的整数",
                f"{text!r} is not a whole number from {low} to {high}",
            )
        )
        return default
    return number
