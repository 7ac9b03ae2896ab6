"""What a command form is: its fields, when it is offered, the body it makes, the call it runs.

A form's fields are flat names (`report_year`, `indicators.energy_per_unit_product`,
`basis.doc_no`); `to_body` turns what the browser sent into the JSON body of the API's route
(the same pydantic model validates it), and may refuse a field at once (a number that is not
one). The common fields of every command — effective date, the document it rests on, a note —
are laid out and read here once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from uuid import UUID

from api.http.auth import Principal, Role
from api.http.schemas.common import CommandBody
from domain.assessor import Assessor
from domain.enterprise import Enterprise
from domain.ledger import Ledger, Receipt
from domain.listing import Listing
from domain.values import Coded, Provenance

Kind = Literal["text", "textarea", "lines", "date", "number", "select", "checkboxes", "hidden"]
Raw = Mapping[str, str | list[str]]


@dataclass(frozen=True)
class Choice:
    value: str
    zh: str
    en: str


@dataclass(frozen=True)
class FormField:
    """One input: its name, its label in both languages, its kind and, for a number, its unit."""

    name: str
    zh: str
    en: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    hint_zh: str = ""
    default: str = ""


def coded_choices(kind: type[Coded]) -> tuple[Choice, ...]:
    return tuple(Choice(str(m.value), m.label_zh, str(m.value).replace("_", " ")) for m in kind)


COMMON_FIELDS = (
    FormField("effective_on", "生效日期", "Effective on", "date", hint_zh="默认今天"),
    FormField("basis.doc_no", "依据文号", "Document number"),
    FormField("basis.title", "依据文件标题", "Document title"),
    FormField("basis.url", "依据文件网址", "Document URL", hint_zh="http(s)://"),
    FormField("note", "备注", "Note", "textarea"),
)


@dataclass(frozen=True)
class Subject:
    """What a form concerns: a unit (with its enterprise), or an assessor, and who acts."""

    principal: Principal
    listing: Listing | None = None
    enterprise: Enterprise | None = None
    assessor: Assessor | None = None

    @property
    def listing_id(self) -> UUID:
        assert self.listing is not None  # unit forms are offered for a unit only
        return self.listing.id

    @property
    def enterprise_id(self) -> UUID:
        assert self.enterprise is not None
        return self.enterprise.id

    @property
    def assessor_id(self) -> UUID:
        assert self.assessor is not None  # assessor forms are offered to an assessor only
        return self.assessor.id


@dataclass
class Draft:
    """The body a form made, and the fields it refused before the schema saw them."""

    body: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: What the API takes in its path (a report year, an assessment's id), read from the form.
    path: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CommandForm:
    """One command as a form."""

    name: str
    zh: str
    en: str
    roles: frozenset[Role]
    schema: type[CommandBody]
    offered: Callable[[Subject], bool]
    fields: Callable[[Subject], Sequence[FormField]]
    to_body: Callable[[Raw, Subject, Draft], None]
    run: Callable[[Ledger, Subject, Any, Draft, Provenance], Receipt]
    creates: bool = False
    #: The date the command is effective on when the body names one (a publication's date).
    effective_on: Callable[[Any], Any] = lambda body: None
    common: bool = True

    def all_fields(self, subject: Subject) -> list[FormField]:
        return [*self.fields(subject), *(COMMON_FIELDS if self.common else ())]


# -- reading what the browser sent ---------------------------------------------------------------


def text(raw: Raw, name: str) -> str:
    value = raw.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip()


def texts(raw: Raw, name: str) -> list[str]:
    value = raw.get(name, [])
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if v.strip()]


def put(draft: Draft, raw: Raw, name: str, key: str | None = None) -> None:
    """The field's text into the body (left out when empty: the schema names what is missing)."""
    value = text(raw, name)
    if value:
        draft.body[key or name] = value


def lines(raw: Raw, name: str) -> list[str]:
    """A textarea, one item a line."""
    return [line.strip() for line in text(raw, name).splitlines() if line.strip()]


def reference(raw: Raw, prefix: str) -> dict[str, str] | None:
    found = {k: text(raw, f"{prefix}.{k}") for k in ("doc_no", "title", "url")}
    found = {k: v for k, v in found.items() if v}
    return found or None


def number(draft: Draft, raw: Raw, name: str) -> Decimal | None:
    """A number field; a text that is not one is refused at once."""
    value = text(raw, name)
    if not value:
        return None
    try:
        parsed = Decimal(value)
    except InvalidOperation:
        parsed = None
    if parsed is None or not parsed.is_finite():
        draft.errors[name] = (f"“{value}”不是数字", f"{value!r} is not a number")
        return None
    return parsed


def common_body(raw: Raw, draft: Draft) -> None:
    """The effective date, the document and the note every command may carry."""
    put(draft, raw, "effective_on")
    basis = reference(raw, "basis")
    if basis:
        draft.body["basis"] = [basis]
    put(draft, raw, "note")
