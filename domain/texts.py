"""The one rule for a storable text (ADR 0100): what the ledger accepts as a text, by any door.

A text is stored in an event for ever, read by the projector into SQLite and PostgreSQL (which
refuses NUL), shown in pages and written into spreadsheets and terminals. So every text entering
the ledger — by the HTTP API, a page's form, an import (published lists, announcements, filing
workbooks) or the command line — is refused, naming its field and the rule, when it holds:

- `text.control`: NUL, another C0 control character, DEL or a C1 control character, or a line or
  paragraph separator (U+2028, U+2029) — except tab, line feed and carriage return in a field
  that allows several lines (a note, a reason);
- `text.invisible`: an invisible or direction-changing character — every format character
  (Unicode category Cf: U+00AD, U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+2066–U+2069,
  U+FEFF …), the Hangul fillers, the combining grapheme joiner and the variation selectors —
  which would make one name look like another (finding 7 of issue 16);
- `text.unassigned`: a lone surrogate, a private-use or an unassigned code point;
- `text.empty`: nothing left (a name of only spaces);
- `text.too_long`: more characters than the field's maximum (`MAX_LENGTHS`).

Names are compared for identity by `normalise_name` (NFKC, no spaces, no invisible characters), so
a name recorded before this rule with an invisible character still leads to the same enterprise.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from domain.errors import InvalidInputError

#: The longest text each kind of field holds, in characters.
NAME_MAX = 200
SHORT_MAX = 300
DOC_NO_MAX = 100
LONG_MAX = 2000
URL_MAX = 2000
#: Any text of an event (the last line of defence, `check_event_texts`).
ANY_MAX = 20000

MAX_LENGTHS: dict[str, int] = {
    "name": NAME_MAX,
    "short": SHORT_MAX,
    "doc_no": DOC_NO_MAX,
    "long": LONG_MAX,
    "url": URL_MAX,
    "any": ANY_MAX,
}

#: Rule id → (English, Chinese) words of the refusal.
RULES: dict[str, tuple[str, str]] = {
    "text.control": ("contains a control character", "含有控制字符"),
    "text.invisible": (
        "contains an invisible or direction-changing character",
        "含有不可见字符或方向控制字符",
    ),
    "text.unassigned": (
        "contains a lone surrogate, private-use or unassigned character",
        "含有无效字符（代理项、私用区或未分配字符）",
    ),
    "text.empty": ("must not be empty", "不得为空"),
    "text.too_long": ("is too long", "过长"),
}

_MULTILINE_ALLOWED = frozenset("\t\n\r")
#: Invisible characters of other categories than Cf.
_INVISIBLE_EXTRA = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0" + "".join(map(chr, range(0xFE00, 0xFE10)))
) | frozenset(map(chr, range(0xE0100, 0xE01F0)))
_EXTRA_PATTERN = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)
_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
_UNASSIGNED_CATEGORIES = frozenset({"Cs", "Co", "Cn"})
_SPACES = re.compile(r"\s+")


class UnstorableTextError(InvalidInputError):
    """Raised when a text breaks the storable-text rule; `rule` is one of `RULES`."""

    def __init__(self, field: str, rule: str, detail: str = "", detail_zh: str = "") -> None:
        english, _ = RULES[rule]
        super().__init__(field, f"{english}{detail} ({rule})")
        self.rule = rule
        self.detail = detail
        self.detail_zh = detail_zh


@dataclass(frozen=True)
class Breach:
    """Which rule a text breaks, and where (the 0-based index of the first bad character)."""

    rule: str
    at: int
    character: str

    def error(self, field: str, max_length: int) -> UnstorableTextError:
        """The refusal of a text that breaks this rule, in field `field`."""
        if self.rule == "text.too_long":
            return _too_long(field, max_length)
        code = f"U+{ord(self.character):04X}"
        return UnstorableTextError(
            field,
            self.rule,
            f" ({code} at character {self.at + 1})",
            f"（{code}，第 {self.at + 1} 个字符）",
        )


def _too_long(field: str, max_length: int) -> UnstorableTextError:
    return UnstorableTextError(
        field,
        "text.too_long",
        f" (at most {max_length} characters)",
        f"（至多 {max_length} 个字符）",
    )


@cache
def _class_of(character: str) -> str | None:
    """The rule a single character breaks, or None."""
    category = unicodedata.category(character)
    if category in _CONTROL_CATEGORIES:
        return "text.control"
    if category == "Cf" or character in _INVISIBLE_EXTRA:
        return "text.invisible"
    if category in _UNASSIGNED_CATEGORIES:
        return "text.unassigned"
    return None


def breach(text: str, *, multiline: bool = False, max_length: int = ANY_MAX) -> Breach | None:
    """The first rule `text` breaks (characters first, then length), or None when storable."""
    # `isprintable` is False for every category the rule refuses (and for spaces other than
    # U+0020): only such texts, or those holding one of the few printable invisible characters,
    # are looked at character by character.
    if not text.isprintable() or _EXTRA_PATTERN.search(text):
        for index, character in enumerate(text):
            if multiline and character in _MULTILINE_ALLOWED:
                continue
            rule = _class_of(character)
            if rule is not None:
                return Breach(rule, index, character)
    if len(text) > max_length:
        return Breach("text.too_long", max_length, "")
    return None


def storable(text: str, field: str, *, multiline: bool = False, max_length: int = ANY_MAX) -> str:
    """`text` unchanged, or `UnstorableTextError` naming `field` and the rule."""
    found = breach(text, multiline=multiline, max_length=max_length)
    if found is not None:
        raise found.error(field, max_length)
    return text


def clean_text(
    text: str, field: str, *, max_length: int = NAME_MAX, multiline: bool = False
) -> str:
    """A one-line text as stored: storable, spaces collapsed, trimmed; refused when empty."""
    storable(text, field, multiline=multiline, max_length=max(max_length, len(text)))
    cleaned = _SPACES.sub(" ", text).strip()
    if not cleaned:
        raise UnstorableTextError(field, "text.empty")
    if len(cleaned) > max_length:
        raise _too_long(field, max_length)
    return cleaned


def optional_text(text: str | None, field: str, *, max_length: int = SHORT_MAX) -> str | None:
    """A one-line optional text as stored: None when absent or blank."""
    if text is None or not text.strip():
        if text is not None:
            storable(text, field, multiline=True)
        return None
    return clean_text(text, field, max_length=max_length, multiline=True)


_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "　": " ", "，": ",", "：": ":"})


def normalise_name(name: str) -> str:
    """A name as compared for identity: NFKC (half-width parentheses, letters and digits), no
    spaces at all, no invisible characters."""
    folded = unicodedata.normalize("NFKC", name.translate(_FULL_WIDTH))
    return "".join(
        character
        for character in folded
        if not character.isspace() and _class_of(character) != "text.invisible"
    )


def visible(text: str) -> str:
    """`text` with every character the rule refuses written as an escape (`\\x1b`, `\\u200b`):
    what a terminal or a log may show of a text stored before the rule, or of a refused one."""
    return "".join(
        character.encode("unicode_escape").decode("ascii")
        if _class_of(character) is not None
        else character
        for character in text
    )


def cell_refusals(
    cells: Mapping[Any, object],
    max_length: int = LONG_MAX,
    limits: Mapping[str, int] | None = None,
) -> list[str]:
    """What an imported row's cells break of the rule, column by column (a cell may hold line
    breaks: importers tidy them into spaces; `limits` is the maximum of some columns, a name's):
    one bilingual sentence per refused cell."""
    refusals = []
    for column, value in cells.items():
        if not isinstance(value, str):
            continue
        most = (limits or {}).get(str(column), max_length)
        found = breach(value.strip(), multiline=True, max_length=most)
        if found is not None:
            error = found.error(str(column), most)
            english, chinese = RULES[found.rule]
            refusals.append(
                f"「{column}」{chinese}{error.detail_zh} ({column}: {english}{error.detail}, "
                f"{found.rule})"
            )
    return refusals


#: What a spreadsheet program may take for the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A text as a CSV export writes it: one that a spreadsheet program could run as a formula
    is prefixed with a single quote, so it reads as the text it is (ADR 0101)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def check_event_texts(events: Iterable[Any]) -> None:
    """The last line of defence before a save: every text an event carries is storable (tabs and
    line breaks allowed). Refused naming the event's field, so no door can store what the
    projector, the databases, the pages or the spreadsheets cannot take."""
    for event in events:
        for name, value in vars(event).items():
            if name not in _LIBRARY_FIELDS:
                found = _suspect(value)
                if found is not None:
                    where, text = found
                    storable(text, name + where, multiline=True)


def _suspect(value: object) -> tuple[str, str] | None:
    """Where in `value` a text may break the rule (and the text), or None: cheap for the
    usual values, the path is made only for a suspect (every event of every save comes here:
    no path is formatted, no generator made, for the values that pass; ADR 0133)."""
    if value is None or isinstance(value, _SCALARS):
        return None
    if isinstance(value, str):
        if value.isprintable() and len(value) <= ANY_MAX and not _EXTRA_PATTERN.search(value):
            return None
        return ("", value) if breach(value, multiline=True) is not None else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _suspect(key) or _suspect(item)
            if found is not None:
                return f".{key}{found[0]}", found[1]
        return None
    if isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            found = _suspect(item)
            if found is not None:
                return f"[{index}]{found[0]}", found[1]
        return None
    for name in _field_names(type(value)):
        found = _suspect(getattr(value, name))
        if found is not None:
            return f".{name}{found[0]}", found[1]
    return None


_SCALARS = (int, float, Decimal, date, UUID, enum.Enum)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """A dataclass's fields; nothing for any other type (its values are not looked into)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        is_dataclass = dataclasses.is_dataclass(kind)
        names = tuple(f.name for f in dataclasses.fields(kind)) if is_dataclass else ()
        _FIELD_NAMES[kind] = names
    return names


_LIBRARY_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic"}
)
