"""What every command body carries, the value types of the contract, and a command's receipt.

api.md: dates `YYYY-MM-DD`, instants RFC 3339 UTC, ids UUID strings; every command body may carry
`effective_on` (default: today in China), `basis` (the documents it rests on) and `note`.
Texts refuse control characters and lone surrogates (they cannot be stored), numbers and dates are
bounded to what the ledger can hold; the domain then checks what only it knows (a credit code's
check character, an indicator's unit, the rules) and names the field it refuses.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, get_args
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from api.http.chinese import BilingualValueError, ledger_message_zh
from domain import texts
from domain.errors import InvalidInputError
from domain.values import Indicator, Reference, Region, Uscc

# -- texts -----------------------------------------------------------------------------------------

#: Control characters, lone surrogates and invisible format characters, as a JSON-schema pattern
#: (so generated requests are storable texts); the rule itself is domain/texts.py (ADR 0100).
STORABLE_PATTERN = (
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f"
    r"\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]*$"
)


def storable_text(*, max_length: int, multiline: bool = False) -> AfterValidator:
    """The storable-text rule of domain/texts.py for one field of a body or a query."""

    def check(text: str) -> str:
        _check_storable(text, max_length=max_length, multiline=multiline)
        if not text.strip():
            error = texts.UnstorableTextError("text", "text.empty")
            raise BilingualValueError(error.reason, ledger_message_zh(error))
        return text

    return AfterValidator(check)


#: Only in the published schema: Rust's regex engine (pydantic's) refuses surrogates in a class.
STORABLE = Field(json_schema_extra={"pattern": STORABLE_PATTERN})


Name = Annotated[
    str,
    StringConstraints(min_length=1),
    storable_text(max_length=texts.NAME_MAX),
    STORABLE,
    Field(
        max_length=texts.NAME_MAX,
        description="A name as it is written (Chinese).",
        examples=["江苏绿源钢铁有限公司"],
    ),
]
Reason = Annotated[
    str,
    StringConstraints(min_length=1),
    storable_text(max_length=texts.LONG_MAX, multiline=True),
    STORABLE,
    Field(
        max_length=texts.LONG_MAX,
        description="Why, in a sentence or two.",
        examples=["企业主动申请退出"],
    ),
]
ShortText = Annotated[
    str,
    StringConstraints(min_length=1),
    storable_text(max_length=texts.SHORT_MAX),
    STORABLE,
    Field(max_length=texts.SHORT_MAX),
]
DocNo = Annotated[
    str,
    StringConstraints(min_length=1),
    storable_text(max_length=texts.DOC_NO_MAX),
    STORABLE,
    Field(max_length=texts.DOC_NO_MAX, description="文号", examples=["工信厅节函〔2023〕64号"]),
]
#: A free note (several lines allowed); may be empty.
Note = Annotated[
    str,
    AfterValidator(lambda text: _check_storable(text, max_length=texts.LONG_MAX, multiline=True)),
    STORABLE,
    Field(max_length=texts.LONG_MAX),
]


# -- dates and instants ----------------------------------------------------------------------------

EARLIEST_DAY = date(1990, 1, 1)
LATEST_DAY = date(2099, 12, 31)


def _ledger_day(day: date) -> date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise BilingualValueError(
            f"must be between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}",
            f"应在 {EARLIEST_DAY.isoformat()} 至 {LATEST_DAY.isoformat()} 之间",
        )
    return day


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _strict_day(value: object) -> object:
    """A date is written YYYY-MM-DD: not an instant, not a number of seconds (issue 16)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise BilingualValueError(
        "must be a date written YYYY-MM-DD (not a date-time, not a number)",
        "应为日期，格式 YYYY-MM-DD（不能是时刻或数字）",
    )


Day = Annotated[
    date,
    BeforeValidator(_strict_day),
    AfterValidator(_ledger_day),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2023-03-23"]}),
]

EARLIEST_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2100, 1, 1, tzinfo=UTC)


def _ledger_instant(moment: datetime) -> datetime:
    if not EARLIEST_INSTANT <= moment < LATEST_INSTANT:
        raise BilingualValueError("must be in the years 2000 to 2099", "应在2000年至2099年之间")
    return moment.astimezone(UTC)


def _strict_instant(value: object) -> object:
    """An instant is written RFC 3339: not a number of seconds (issue 16)."""
    if isinstance(value, datetime | str):
        return value
    raise BilingualValueError(
        "must be an RFC 3339 date-time with a time zone (not a number)",
        "应为带时区的时刻（RFC 3339，如 2024-01-01T00:00:00Z），不能是数字",
    )


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_strict_instant),
    AfterValidator(_ledger_instant),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 with a time zone, e.g. 2023-07-01T00:00:00Z.",
            "examples": ["2023-07-01T00:00:00Z"],
        }
    ),
]

# -- codes -----------------------------------------------------------------------------------------

REGION_CODES = tuple(region.code for region in Region.all())


def _known_region(code: str) -> str:
    if code not in REGION_CODES:
        raise BilingualValueError(
            f"{code!r} is not one of the 37 reporting regions (regions.csv)",
            f"“{code}”不是37个报送地区之一（六位行政区划代码）",
        )
    return code


RegionCode = Annotated[
    str,
    AfterValidator(_known_region),
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(REGION_CODES),
            "description": "Six-digit GB/T 2260 code of a reporting region (regions.csv).",
            "examples": ["320000"],
        }
    ),
]


CityCode = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{6}$"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{6}$",
            "description": "Six-digit GB/T 2260 code of a prefecture-level division inside the "
            "region (domain/data/prefectures.csv).",
            "examples": ["320500"],
        }
    ),
]


def _valid_uscc(code: str) -> str:
    try:
        return Uscc.parse(code).value
    except InvalidInputError as error:
        raise BilingualValueError(error.reason, ledger_message_zh(error)) from None


UsccCode = Annotated[
    str,
    AfterValidator(_valid_uscc),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$",
            "description": "统一社会信用代码 (GB 32100-2015), with its check character.",
            "examples": ["91350200776049653A"],
        }
    ),
]

Id = Annotated[UUID, Field(examples=["0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d"])]
ReportYear = Annotated[int, Field(ge=2000, le=2099, examples=[2023])]
BatchYear = Annotated[
    int,
    Field(
        ge=1,
        le=2099,
        description="1–5 for the numbered batches 第一批…第五批 (2017–2020), then the year "
        "(2021 for 2021年度 …).",
        examples=[2023],
    ),
]

# -- references and indicators --------------------------------------------------------------


Url = Annotated[
    str,
    StringConstraints(max_length=2000, pattern=r"^https?://[!-~]+$"),
    Field(examples=["https://www.miit.gov.cn/jgsj/jns/wjfb/art/2023/example.html"]),
]


class ReferenceIn(BaseModel):
    """A document a fact rests on (文号, title, official URL, SHA-256 of the file)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "doc_no": "工信厅节函〔2023〕64号",
                    "title": "2022年度绿色制造名单",
                    "url": "https://www.miit.gov.cn/jgsj/jns/wjfb/art/2023/example.html",
                }
            ]
        },
    )

    doc_no: DocNo | None = None
    title: ShortText | None = None
    url: Url | None = None
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        default=None, description="SHA-256 of the attached file, 64 lower-case hex digits."
    )

    @model_validator(mode="after")
    def _names_a_document(self) -> ReferenceIn:
        if not (self.doc_no or self.title or self.url):
            raise BilingualValueError(
                "a reference needs a doc_no, a title or a url", "文件引用须有文号、标题或网址之一"
            )
        return self

    def to_domain(self) -> Reference:
        return Reference(doc_no=self.doc_no, title=self.title, url=self.url, sha256=self.sha256)


#: A unit may be empty (a class has none).
Unit = AfterValidator(
    lambda text: text if not text else _check_storable(text, max_length=50, multiline=False)
)


def _check_storable(text: str, *, max_length: int, multiline: bool) -> str:
    found = texts.breach(text, multiline=multiline, max_length=max_length)
    if found is not None:
        error = found.error("text", max_length)
        raise BilingualValueError(error.reason, ledger_message_zh(error))
    return text


#: The storable-text rule with no maximum of its own (tab and line breaks allowed): for a text
#: typed with its own `StringConstraints`.
Storable = AfterValidator(
    lambda text: _check_storable(text, max_length=texts.ANY_MAX, multiline=True)
)
#: A long free text (a work report's summary); may be empty.
LongNote = AfterValidator(lambda text: _check_storable(text, max_length=4000, multiline=True))


class IndicatorIn(BaseModel):
    """One key indicator: a number with its unit as indicators.csv defines it (a class for
    `energy_benchmark_class`)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"value": 512.3, "unit": "kgce/t"}]}
    )

    value: (
        Annotated[Decimal, Field(ge=-1e15, le=1e15, allow_inf_nan=False)]
        | Annotated[
            str,
            StringConstraints(min_length=1, max_length=50),
            storable_text(max_length=50),
            STORABLE,
        ]
    )
    unit: Annotated[str, StringConstraints(max_length=50), Unit, STORABLE]

    def to_domain(self) -> Indicator:
        return Indicator(self.value, self.unit)


IndicatorCode = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$")
]
Indicators = Annotated[
    dict[IndicatorCode, IndicatorIn],
    Field(
        max_length=200,
        description="Indicator code (indicators.csv) → {value, unit}.",
        examples=[{"energy_per_unit_product": {"value": 512.3, "unit": "kgce/t"}}],
    ),
]


def indicators_to_domain(indicators: dict[str, IndicatorIn] | None) -> dict[str, Indicator]:
    return {code: indicator.to_domain() for code, indicator in (indicators or {}).items()}


# -- what every command carries, and answers -----------------------------------------------


def _numeric(annotation: object) -> bool:
    """Whether a field's type is a number (or a number or None)."""
    if annotation in (int, float, Decimal):
        return True
    arguments = get_args(annotation)
    return bool(arguments) and any(_numeric(a) for a in arguments if a is not type(None))


class CommandBody(BaseModel):
    """The fields every command body may carry (api.md)."""

    model_config = ConfigDict(extra="forbid")

    effective_on: Day | None = Field(
        default=None,
        description="When the fact is true in the world (default: today in China).",
    )
    basis: list[ReferenceIn] = Field(
        default_factory=list, max_length=50, description="The documents the fact rests on."
    )
    note: Note | None = Field(default=None, description="A free note kept with the event.")

    @field_validator("*", mode="before")
    @classmethod
    def _no_true_or_false_for_a_number(cls, value: object, info: ValidationInfo) -> object:
        """JSON's true and false are no numbers (pydantic would read them as 1 and 0)."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and _numeric(field.annotation):
            raise BilingualValueError(
                "must be a number, not true or false", "应为数字，不能是 true 或 false"
            )
        return value

    def basis_to_domain(self) -> tuple[Reference, ...]:
        return tuple(reference.to_domain() for reference in self.basis)


class CommandReceipt(BaseModel):
    """What a command answers: the id it concerns, every id it touched, the ledger position."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d",
                    "ids": ["0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d"],
                    "position": 1042,
                    "written": True,
                }
            ]
        }
    )

    id: UUID | None = Field(
        description="The record the command concerns (see each command: e.g. the incident's id "
        "for an incident, the assessment's id for an ordered assessment)."
    )
    ids: list[UUID] = Field(description="Every aggregate the command touched.")
    position: int = Field(
        description="Notification id of the command's last event; when it wrote nothing "
        "(already recorded), the ledger's position. Reads at or after it see the command."
    )
    written: bool = Field(description="False when everything was already recorded.")


class QueryParameters(BaseModel):
    """A route's query parameters validated in one model that refuses any other parameter, except
    `min_position`, which every read takes through the read side's dependency (ADR 0130)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _waited_for_apart(cls, data: Any) -> Any:
        if isinstance(data, dict) and "min_position" in data:
            return {name: value for name, value in data.items() if name != "min_position"}
        return data
