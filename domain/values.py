"""Value types of the green manufacturing list (绿色制造名单).

The codes are those of the HTTP contract (api.md) and the glossary: categories (类别),
levels (级别), the 37 reporting regions (GB/T 2260 codes, 31 provinces, 5 planning cities and the
Corps), the Unified Social Credit Code of GB 32100-2015, references to documents (文号),
credit-record incident kinds, grades and sources (工信厅节函〔2022〕235号 一、二), and the rule
findings a decision carries.

Everything here is immutable and has a registered transcoding (see `transcodings.py`), because it
is stored inside events.
"""

from __future__ import annotations

import csv
import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import ClassVar, Self
from uuid import UUID

from domain.errors import (
    InvalidBatchYearError,
    InvalidReferenceError,
    InvalidUsccError,
    UnknownCodeError,
    UnknownIndicatorError,
    UnknownRegionError,
)


class Coded(enum.Enum):
    """An enumeration whose values are the contract's codes, with a Chinese label."""

    @classmethod
    def parse(cls, code: str | Self, field_name: str) -> Self:
        """The member for `code`, or an error naming the field and the codes allowed."""
        if isinstance(code, cls):
            return code
        try:
            return cls(code)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in cls)
            raise UnknownCodeError(field_name, f"{code!r} is not one of: {allowed}") from None

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH.get(self, str(self.value))


class Category(Coded):
    """The four lists (绿色制造名单的四类)."""

    GREEN_FACTORY = "green_factory"
    GREEN_DESIGN_PRODUCT = "green_design_product"
    GREEN_PARK = "green_park"
    GREEN_SUPPLY_CHAIN = "green_supply_chain"


class Level(Coded):
    """The three lists of 工信部节〔2024〕13号 第二条: national, provincial, municipal."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"


class ParkLevel(Coded):
    """The level of a park's approval (PARK-1: provincial-level or above)."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    OTHER = "other"


class ListingStatus(Coded):
    """Derived from a listing's events by the lifecycle of design.md; never set directly."""

    NOMINATED = "nominated"
    LISTED = "listed"
    FLAGGED = "flagged"
    UNDER_ASSESSMENT = "under_assessment"
    REMOVAL_PROPOSED = "removal_proposed"
    REMOVED = "removed"
    REJECTED = "rejected"

    @property
    def is_on_list(self) -> bool:
        """Whether a unit in this status is on the published list (listed, whatever its flags)."""
        return self in ON_LIST


ON_LIST = frozenset(
    {
        ListingStatus.LISTED,
        ListingStatus.FLAGGED,
        ListingStatus.UNDER_ASSESSMENT,
        ListingStatus.REMOVAL_PROPOSED,
    }
)


class IncidentKind(Coded):
    """Kinds of credit-record incident (negative list 一 and DYN-3)."""

    SAFETY = "safety"
    CYBERSECURITY = "cybersecurity"
    DATA_SECURITY = "data_security"
    QUALITY = "quality"
    ENVIRONMENT = "environment"
    TAX_EVASION = "tax_evasion"
    DISHONEST_DEBTOR = "dishonest_debtor"
    INSPECTION_PROBLEM = "inspection_problem"
    ENERGY_RECTIFICATION_OVERDUE = "energy_rectification_overdue"
    NOT_OPERATING = "not_operating"

    @property
    def is_continuing(self) -> bool:
        """A state with a start and an end (NEG-1, NEG-5, NEG-6), not a one-day event."""
        return self in _CONTINUING


_CONTINUING = frozenset(
    {
        IncidentKind.NOT_OPERATING,
        IncidentKind.ENERGY_RECTIFICATION_OVERDUE,
        IncidentKind.DISHONEST_DEBTOR,
    }
)


class IncidentGrade(Coded):
    """Accident grades: 一般 / 较大 / 重大 / 特别重大 (environment: Ⅳ / Ⅲ / Ⅱ / Ⅰ)."""

    MINOR = "minor"
    SERIOUS = "serious"
    MAJOR = "major"
    GRAVE = "grave"

    @property
    def rank(self) -> int:
        return _GRADE_RANK[self]


_GRADE_RANK = {
    IncidentGrade.MINOR: 1,
    IncidentGrade.SERIOUS: 2,
    IncidentGrade.MAJOR: 3,
    IncidentGrade.GRAVE: 4,
}


class IncidentSource(Coded):
    CREDIT_CHINA = "credit_china"
    GSXT = "gsxt"
    INSPECTION = "inspection"
    PROVINCE_REPORT = "province_report"


class FilingOutcome(Coded):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"


class AssessmentOutcome(Coded):
    MEETS = "meets"
    DOES_NOT_MEET = "does_not_meet"
    RECTIFICATION_REQUIRED = "rectification_required"


class ProposalAction(Coded):
    RETAIN = "retain"
    REMOVE = "remove"
    RENAME = "rename"


class RemovalReason(Coded):
    INDICATORS = "indicators"
    INCIDENT = "incident"
    REFUSED_FILING = "refused_filing"
    FALSIFIED_DATA = "falsified_data"
    NEGATIVE_LIST = "negative_list"
    CHANGE_NOT_COMPLIANT = "change_not_compliant"
    WITHDRAWN = "withdrawn"


class EvaluationConclusion(Coded):
    PASS = "pass"
    FAIL = "fail"


_LABELS_ZH: dict[Coded, str] = {
    Category.GREEN_FACTORY: "绿色工厂",
    Category.GREEN_DESIGN_PRODUCT: "绿色设计产品",
    Category.GREEN_PARK: "绿色工业园区",
    Category.GREEN_SUPPLY_CHAIN: "绿色供应链管理企业",
    Level.NATIONAL: "国家级",
    Level.PROVINCIAL: "省级",
    Level.MUNICIPAL: "市级",
    ParkLevel.NATIONAL: "国家级",
    ParkLevel.PROVINCIAL: "省级",
    ParkLevel.OTHER: "其他",
    ListingStatus.NOMINATED: "已推荐",
    ListingStatus.LISTED: "在名单",
    ListingStatus.FLAGGED: "待核查",
    ListingStatus.UNDER_ASSESSMENT: "现场评估中",
    ListingStatus.REMOVAL_PROPOSED: "建议移出",
    ListingStatus.REMOVED: "已移出",
    ListingStatus.REJECTED: "未入选",
    IncidentKind.SAFETY: "安全事故",
    IncidentKind.CYBERSECURITY: "网络安全事件",
    IncidentKind.DATA_SECURITY: "数据安全事件",
    IncidentKind.QUALITY: "质量事故",
    IncidentKind.ENVIRONMENT: "环境污染事件",
    IncidentKind.TAX_EVASION: "偷漏税",
    IncidentKind.DISHONEST_DEBTOR: "失信被执行人",
    IncidentKind.INSPECTION_PROBLEM: "督查发现严重问题",
    IncidentKind.ENERGY_RECTIFICATION_OVERDUE: "节能监察整改未完成",
    IncidentKind.NOT_OPERATING: "未正常经营生产",
    IncidentGrade.MINOR: "一般",
    IncidentGrade.SERIOUS: "较大",
    IncidentGrade.MAJOR: "重大",
    IncidentGrade.GRAVE: "特别重大",
    IncidentSource.CREDIT_CHINA: "信用中国",
    IncidentSource.GSXT: "国家企业信用信息公示系统",
    IncidentSource.INSPECTION: "督查检查",
    IncidentSource.PROVINCE_REPORT: "省级报告",
    FilingOutcome.COMPLIANT: "符合要求",
    FilingOutcome.NON_COMPLIANT: "不符合要求",
    AssessmentOutcome.MEETS: "符合要求",
    AssessmentOutcome.DOES_NOT_MEET: "不符合要求",
    AssessmentOutcome.RECTIFICATION_REQUIRED: "限期整改",
    ProposalAction.RETAIN: "保留",
    ProposalAction.REMOVE: "移出",
    ProposalAction.RENAME: "更名",
    RemovalReason.INDICATORS: "关键指标不达标",
    RemovalReason.INCIDENT: "发生事故或违法违规行为",
    RemovalReason.REFUSED_FILING: "拒不填报动态管理表",
    RemovalReason.FALSIFIED_DATA: "数据造假",
    RemovalReason.NEGATIVE_LIST: "触及负面清单",
    RemovalReason.CHANGE_NOT_COMPLIANT: "变更后不再符合要求",
    RemovalReason.WITHDRAWN: "主动退出",
    EvaluationConclusion.PASS: "通过",
    EvaluationConclusion.FAIL: "不通过",
}


# -- regions ---------------------------------------------------------------------------------


class RegionKind(Coded):
    PROVINCE = "province"
    PLANNING_CITY = "planning_city"
    CORPS = "corps"


@dataclass(frozen=True)
class Region:
    """One of the 37 reporting regions (省级工信主管部门), identified by its GB/T 2260 code."""

    code: str
    name_zh: str
    label: str
    name_en: str
    kind: RegionKind
    parent_code: str | None
    aliases: tuple[str, ...] = ()

    @classmethod
    def of(cls, code: str | Region, field_name: str = "region") -> Region:
        """The region with this six-digit code, or an error naming the field."""
        if isinstance(code, Region):
            return code
        try:
            return _regions_by_code()[code]
        except KeyError:
            raise UnknownRegionError(field_name, code) from None

    @classmethod
    def resolve(cls, label: str) -> Region | None:
        """The region a published list means by `label` (北京, 内蒙, 兵团, 江苏省 ...), if any."""
        return _regions_by_label().get(label.strip())

    @classmethod
    def all(cls) -> tuple[Region, ...]:
        return tuple(_regions_by_code().values())

    def __str__(self) -> str:
        return self.code


@cache
def _regions_by_code() -> dict[str, Region]:
    text = resources.files("domain").joinpath("data/regions.csv").read_text(encoding="utf-8")
    regions = {}
    for row in csv.DictReader(text.splitlines()):
        regions[row["code"]] = Region(
            code=row["code"],
            name_zh=row["name_zh"],
            label=row["label_in_lists"],
            name_en=row["name_en"],
            kind=RegionKind(row["kind"]),
            parent_code=row["parent_code"] or None,
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )
    return regions


@cache
def _regions_by_label() -> dict[str, Region]:
    labels: dict[str, Region] = {}
    for region in _regions_by_code().values():
        for label in (region.code, region.name_zh, region.label, *region.aliases):
            labels[label] = region
    return labels


# -- Unified Social Credit Code ----------------------------------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_character(first17: str) -> str:
    """The check character of GB 32100-2015 for the first 17 characters of a code."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class Uscc:
    """统一社会信用代码: 18 characters of GB 32100-2015 with a valid check character."""

    value: str

    def __post_init__(self) -> None:
        value = self.value
        if len(value) != 18:
            raise InvalidUsccError(value, "must be 18 characters long")
        bad = sorted({c for c in value if c not in USCC_CHARSET})
        if bad:
            raise InvalidUsccError(value, f"has characters outside GB 32100: {''.join(bad)}")
        expected = uscc_check_character(value[:17])
        if value[17] != expected:
            raise InvalidUsccError(value, f"check character should be {expected!r}")

    @classmethod
    def parse(cls, text: str) -> Uscc:
        return cls(text.strip().upper())

    def __str__(self) -> str:
        return self.value


# -- documents and evidence ----------------------------------------------------------------------

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Reference:
    """A document a fact rests on: its number (文号), title, official URL and file hash."""

    doc_no: str | None = None
    title: str | None = None
    url: str | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        if not (self.doc_no or self.title or self.url):
            raise InvalidReferenceError("a reference needs a doc_no, a title or a url")
        if self.url is not None and not self.url.startswith(("https://", "http://")):
            raise InvalidReferenceError(f"url must be http(s): {self.url!r}")
        if self.sha256 is not None and not _SHA256.match(self.sha256):
            raise InvalidReferenceError("sha256 must be 64 lower-case hexadecimal characters")

    def describe(self) -> str:
        return self.doc_no or self.title or self.url or ""


@dataclass(frozen=True)
class Product:
    """A green design product: enterprise × product × model, evaluated against a standard."""

    name: str
    model: str | None = None
    standard: str | None = None

    @property
    def key(self) -> str:
        return f"{normalise_name(self.name)}|{normalise_name(self.model or '-')}"


@dataclass(frozen=True)
class ThirdPartyEvaluation:
    """A third-party evaluation report attached to a nomination (FAC-1, EVAL-1)."""

    assessor_id: UUID
    report: Reference
    conclusion: EvaluationConclusion


@dataclass(frozen=True)
class Indicator:
    """One key indicator of an annual filing: a number, or a class for `energy_benchmark_class`."""

    value: Decimal | str
    unit: str


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    name_zh: str
    unit: str
    categories: frozenset[Category]
    note: str


@cache
def indicator_definitions() -> dict[str, IndicatorDefinition]:
    text = resources.files("domain").joinpath("data/indicators.csv").read_text(encoding="utf-8")
    return {
        row["code"]: IndicatorDefinition(
            code=row["code"],
            name_zh=row["name_zh"],
            unit=row["unit"],
            categories=frozenset(Category(c) for c in row["categories"].split("|")),
            note=row["note"],
        )
        for row in csv.DictReader(text.splitlines())
    }


def check_indicators(indicators: dict[str, Indicator], field_name: str = "indicators") -> None:
    """Refuse codes outside indicators.csv and units that differ from the defined unit."""
    definitions = indicator_definitions()
    for code, indicator in indicators.items():
        definition = definitions.get(code)
        if definition is None:
            raise UnknownIndicatorError(f"{field_name}.{code}", "is not a code of indicators.csv")
        if indicator.unit != definition.unit:
            raise UnknownIndicatorError(
                f"{field_name}.{code}.unit",
                f"is {indicator.unit!r}; {code} is measured in {definition.unit!r}",
            )


# -- rule findings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRef:
    """Points at one stored event: the aggregate and its version."""

    originator_id: UUID
    version: int


@dataclass(frozen=True)
class Finding:
    """What one rule found on the facts: whether it applies, the events it rests on, until when."""

    rule_id: str
    applies: bool
    because: tuple[EventRef, ...] = ()
    barred_until: date | None = None
    detail: str = ""

    def normalised(self) -> Finding:
        """The same finding with tuples, as it reads after a round trip through JSON."""
        return Finding(
            rule_id=self.rule_id,
            applies=self.applies,
            because=tuple(self.because),
            barred_until=self.barred_until,
            detail=self.detail,
        )


# -- names -----------------------------------------------------------------------------------------

_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "　": " ", "，": ",", "：": ":"})
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """A name as compared for identity: half-width parentheses, no spaces at all."""
    return _SPACES.sub("", name.translate(_FULL_WIDTH)).strip()


def clean_name(name: str, field_name: str = "name") -> str:
    """A name as stored: trimmed, single spaces; refused when empty."""
    from domain.errors import EmptyValueError

    cleaned = _SPACES.sub(" ", name).strip()
    if not cleaned:
        raise EmptyValueError(field_name)
    return cleaned


@dataclass(frozen=True)
class Period:
    """A membership period on the list: listed on `start`, removed on `end` (None while listed)."""

    start: date
    end: date | None = None
    batch_year: int = 0

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Provenance:
    """Who issues a command, on what basis, effective when — carried by every event.

    `effective_on` is None until the ledger resolves it to the command's date (default: today in
    China); aggregates only ever see resolved provenance.
    """

    actor: str
    effective_on: date | None = None
    basis: tuple[Reference, ...] = field(default_factory=tuple)
    note: str | None = None

    def on(self, day: date) -> Provenance:
        """The same provenance, effective on `day` unless a date was given."""
        if self.effective_on is not None:
            return self
        return Provenance(self.actor, day, tuple(self.basis), self.note)

    def at(self, day: date) -> Provenance:
        """The same provenance, effective on `day` whatever was given."""
        return Provenance(self.actor, day, tuple(self.basis), self.note)

    @property
    def day(self) -> date:
        if self.effective_on is None:
            raise ValueError("provenance not resolved to a date")  # a programming error
        return self.effective_on

    def event_fields(self) -> dict[str, object]:
        """The common fields of every fact (domain/facts.py)."""
        return {
            "effective_on": self.day,
            "actor": self.actor,
            "basis": tuple(self.basis),
            "note": self.note,
        }


@dataclass(frozen=True, order=True)
class Round:
    """A recommendation round (推荐批次): a numbered batch 1–5 (第一批 … 第五批, 2017–2020), or a
    yearly round named by its year, from 2016 (2021年度 …). Events and rows keep its `number`
    (the `batch_year` of the contract); this type says which of the two it is."""

    number: int

    #: 第一批 … 第五批.
    NUMBERED: ClassVar[range] = range(1, 6)
    #: The yearly rounds, by their year.
    YEARS: ClassVar[range] = range(2016, 2101)

    def __post_init__(self) -> None:
        if not self.exists(self.number):
            raise InvalidBatchYearError(self.number, "batch_year")

    @classmethod
    def exists(cls, number: int) -> bool:
        return number in cls.NUMBERED or number in cls.YEARS

    @classmethod
    def of(cls, number: int, field: str = "batch_year") -> Round:
        """The round numbered `number`; refused naming `field` when there is none."""
        if not cls.exists(number):
            raise InvalidBatchYearError(number, field)
        return cls(number)

    @classmethod
    def every(cls, last_year: int) -> tuple[Round, ...]:
        """The numbered batches, then every yearly round up to `last_year`."""
        years = range(cls.YEARS.start, min(last_year, cls.YEARS.stop - 1) + 1)
        return tuple(cls(number) for number in (*cls.NUMBERED, *years))

    @property
    def year(self) -> int | None:
        """The year a yearly round is named by; None for a numbered batch."""
        return None if self.number in self.NUMBERED else self.number


def batch_label(batch_year: int) -> str:
    """第一批 … 第五批 for the numbered batches 1–5, then 2021年度 …"""
    if batch_year in Round.NUMBERED:
        return f"第{'一二三四五'[batch_year - 1]}批"
    return f"{batch_year}年度"


def batch_label_en(batch_year: int) -> str:
    if batch_year in Round.NUMBERED:
        return f"batch {batch_year}"
    return f"{batch_year} round"


# -- time as people in China read it -----------------------------------------------------------

#: Beijing time (UTC+8, no daylight saving): the time the pages and the exports show.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
BEIJING_LABEL = "北京时间 UTC+8"


def beijing_time(instant: datetime, *, seconds: bool = False) -> str:
    """An instant as people in China read it, and said so: `2024-01-05 16:30 北京时间 UTC+8`."""
    shown = instant.astimezone(BEIJING).strftime(f"%Y-%m-%d %H:%M{':%S' if seconds else ''}")
    return f"{shown} {BEIJING_LABEL}"
