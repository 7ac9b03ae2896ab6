"""Chinese first: what a refusal says to a person, in Chinese, beside the English.

api.md, v1 additions: problem details carry `title` and `detail` in Chinese first and English,
and each field error a Chinese `message_zh` beside `message`. The English comes from where the
refusal is raised (pydantic, the domain's errors); the Chinese is made here, once, for the API's
problems and the pages' forms alike:

- `field_message_zh` — a pydantic error, by its `type` (never by its English text): "Field
  required" becomes 必填项; our own validators raise `BilingualValueError`, which carries its
  Chinese.
- `ledger_message_zh` — a domain refusal (`domain/errors.py`), by its class and the values it
  carries: the field's message for bad input, the whole sentence for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from domain.errors import (
    AssessmentAlreadyConcludedError,
    AssessmentAlreadyOpenError,
    AssessmentNotOrderedError,
    AssessorNotBlacklistedError,
    BatchAlreadyOpenError,
    ConcurrentWriteError,
    EffectiveDateOrderError,
    EmptyValueError,
    EnterpriseIdentityConflictError,
    FilingYearBeforeListingError,
    FutureDateError,
    ImportOvertakenError,
    IncidentAlreadyEndedError,
    IncidentAlreadyRetractedError,
    IncidentNotContinuingError,
    InvalidBatchYearError,
    InvalidDateRangeError,
    InvalidInputError,
    InvalidReferenceError,
    InvalidUsccError,
    LedgerError,
    ListingAlreadyActiveError,
    ListingAlreadyRemovedError,
    ListingNotListedError,
    ListingNotNominatedError,
    ListingNotRemovedError,
    NotFoundError,
    RuleRefusalError,
    UnknownCodeError,
    UnknownIndicatorError,
    UnknownRegionError,
)
from domain.loading.filings import (
    DuplicateFilingRowError,
    ListingCategoryMismatchError,
    ListingOutsideRegionError,
)
from domain.rules.catalogue import RULES, rule
from domain.texts import RULES as TEXT_RULES
from domain.texts import UnstorableTextError
from domain.values import ListingStatus, Region


class BilingualValueError(ValueError):
    """Raised by a validator of ours: the English for `message`, the Chinese for `message_zh`."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


# -- pydantic's errors, by type --------------------------------------------------------------------


def _count(ctx: Mapping[str, Any], key: str) -> str:
    return str(ctx.get(key, "?"))


def _length(ctx: Mapping[str, Any]) -> str:
    minimum = ctx.get("min_length")
    return "不能为空" if minimum in (None, 1) else f"至少 {minimum} 个字符"


def _expected(ctx: Mapping[str, Any]) -> str:
    expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
    return f"应为以下之一：{expected}" if expected else "不是可用的取值"


_DATE = "应为日期（格式 YYYY-MM-DD，如 2024-06-30）"
_INSTANT = "应为带时区的时刻（RFC 3339，如 2024-01-01T00:00:00Z）"
_NUMBER = "应为数字"
_INTEGER = "应为整数"

_BY_TYPE: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda ctx: "必填项，不能缺少",
    "extra_forbidden": lambda ctx: "不接受此字段",
    "string_too_short": _length,
    "string_too_long": lambda ctx: f"不超过 {_count(ctx, 'max_length')} 个字符",
    "string_pattern_mismatch": lambda ctx: "格式不符合要求",
    "string_type": lambda ctx: "应为文本",
    "string_unicode": lambda ctx: "应为 UTF-8 文本",
    "too_short": lambda ctx: f"至少 {_count(ctx, 'min_length')} 项",
    "too_long": lambda ctx: f"不超过 {_count(ctx, 'max_length')} 项",
    "int_parsing": lambda ctx: _INTEGER,
    "int_type": lambda ctx: _INTEGER,
    "int_from_float": lambda ctx: _INTEGER,
    "float_parsing": lambda ctx: _NUMBER,
    "float_type": lambda ctx: _NUMBER,
    "decimal_parsing": lambda ctx: _NUMBER,
    "decimal_type": lambda ctx: _NUMBER,
    "finite_number": lambda ctx: "应为有限的数字",
    "greater_than_equal": lambda ctx: f"不能小于 {_count(ctx, 'ge')}",
    "less_than_equal": lambda ctx: f"不能大于 {_count(ctx, 'le')}",
    "greater_than": lambda ctx: f"应大于 {_count(ctx, 'gt')}",
    "less_than": lambda ctx: f"应小于 {_count(ctx, 'lt')}",
    "date_parsing": lambda ctx: _DATE,
    "date_type": lambda ctx: _DATE,
    "date_from_datetime_parsing": lambda ctx: _DATE,
    "date_from_datetime_inexact": lambda ctx: _DATE,
    "datetime_parsing": lambda ctx: _INSTANT,
    "datetime_type": lambda ctx: _INSTANT,
    "datetime_from_date_parsing": lambda ctx: _INSTANT,
    "timezone_aware": lambda ctx: _INSTANT,
    "uuid_parsing": lambda ctx: "应为编号（UUID，如 0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d）",
    "uuid_type": lambda ctx: "应为编号（UUID）",
    "enum": _expected,
    "literal_error": _expected,
    "bool_parsing": lambda ctx: "应为是或否（true / false）",
    "bool_type": lambda ctx: "应为是或否（true / false）",
    "list_type": lambda ctx: "应为列表",
    "dict_type": lambda ctx: "应为对象",
    "model_type": lambda ctx: "应为对象",
    "model_attributes_type": lambda ctx: "应为对象",
    "json_invalid": lambda ctx: "不是有效的 JSON",
    "json_type": lambda ctx: "不是有效的 JSON",
    "url_parsing": lambda ctx: "应为网址（http:// 或 https://）",
}


def field_message_zh(error: Mapping[str, Any]) -> str:
    """The Chinese message of one pydantic error (`type`, `ctx`, `msg`)."""
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, BilingualValueError):
        return cause.zh
    if isinstance(cause, InvalidInputError):
        return ledger_message_zh(cause)
    kind = str(error.get("type", ""))
    made = _BY_TYPE.get(kind)
    if made is not None:
        return made(ctx)
    english = str(error.get("msg", "")).removeprefix("Value error, ")
    return f"输入有误（{english}）" if english else "输入有误"


# -- the domain's refusals, by class --------------------------------------------------------------

_ACTIONS_ZH = {
    "file indicators": "填报动态管理表",
    "review a filing": "审核年度填报",
    "record an overdue filing": "记录填报逾期",
    "flag it": "标记待核查",
    "order an on-site assessment": "组织现场评估",
    "conclude an on-site assessment": "作出现场评估结论",
    "propose an adjustment": "提出调整意见",
    "remove it": "移出名单",
}
_KINDS_ZH = {
    "enterprise": "企业",
    "listing": "名单单位",
    "assessor": "第三方评价机构",
    "batch": "批次",
    "filing for report year": "该年度的动态管理表",
    "incident": "信用事件",
    "thing": "记录",
}
_NOT_ONE_OF = re.compile(r"^(?P<given>.*) is not one of: (?P<allowed>.*)$")
_UNIT = re.compile(r"^is (?P<given>.*); (?P<code>\S+) is measured in (?P<unit>.*)$")
_YEARS = re.compile(r"\d{4}")


def _region_zh(code: str) -> str:
    try:
        return Region.of(code).name_zh
    except InvalidInputError:
        return code


def _status_zh(code: str) -> str:
    try:
        return ListingStatus(code).label_zh
    except ValueError:
        return code


def _text_or_date_zh(error: InvalidInputError) -> str | None:
    """The Chinese of the storable-text rule (ADR 0100) and of a date after the horizon."""
    if isinstance(error, UnstorableTextError):
        _, chinese = TEXT_RULES[error.rule]
        return f"{chinese}{error.detail_zh}（规则 {error.rule}）"
    if isinstance(error, FutureDateError):
        return (
            f"{error.given.isoformat()} 晚于 {error.latest.isoformat()}：事实须在发生后记录"
            "（可提前记录的天数由 GREENLEDGER_EFFECTIVE_HORIZON_DAYS 设定）"
        )
    return None


def _input_zh(error: InvalidInputError) -> str:
    """The Chinese message for the field `error.field`."""
    reason = error.reason
    special = _text_or_date_zh(error)
    if special is not None:
        return special
    own_zh = getattr(error, "reason_zh", None)
    if isinstance(own_zh, str):
        return own_zh
    if isinstance(error, EmptyValueError):
        return "不能为空"
    if isinstance(error, ListingOutsideRegionError):
        return f"该单位属于{_region_zh(error.region)}，不属于{_region_zh(error.expected)}"
    if isinstance(error, ListingCategoryMismatchError):
        return f"该单位是{error.category.label_zh}，应填在“{error.category.label_zh}”工作表"
    if isinstance(error, DuplicateFilingRowError):
        return f"同一单位同一年度已在工作表“{error.first_sheet}”第 {error.first_row} 行"
    if isinstance(error, UnknownRegionError):
        return f"“{error.code}”不是37个报送地区之一（六位行政区划代码）"
    if isinstance(error, InvalidUsccError):
        return f"“{error.value}”不是有效的统一社会信用代码（GB 32100-2015 校验未通过）"
    if isinstance(error, UnknownIndicatorError):
        unit = _UNIT.match(reason)
        if unit is not None:
            return f"单位为 {unit['given']}；{unit['code']} 的计量单位应为 {unit['unit']}"
        return "不是指标目录（indicators.csv）中的指标代码"
    if isinstance(error, UnknownCodeError):
        found = _NOT_ONE_OF.match(reason)
        if found is not None:
            return f"{found['given']} 无效，应为以下之一：{found['allowed']}"
        return "代码无效"
    if isinstance(error, InvalidBatchYearError):
        return "应为第一至第五批（1–5）或2016年以后的年度"
    if isinstance(error, EffectiveDateOrderError):
        return (
            f"{error.given.isoformat()} 早于其后续事实所依据的前一事实的生效日期 "
            f"{error.earliest.isoformat()}"
        )
    if isinstance(error, FilingYearBeforeListingError):
        years = _YEARS.findall(reason)
        if len(years) >= 2:
            return f"{years[0]}年早于该单位名单覆盖的第一个年度（{years[1]}年）"
    if isinstance(error, InvalidReferenceError):
        return (
            "文件引用须有文号、标题或网址之一（网址以 http(s):// 开头，SHA-256 为64位小写十六进制）"
        )
    if isinstance(error, InvalidDateRangeError):
        return f"日期范围有误（{reason}）"
    return f"输入有误（{reason}）"


def _transition_zh(error: LedgerError) -> str:
    own_zh = getattr(error, "reason_zh", None)
    if isinstance(own_zh, str):
        return own_zh
    if isinstance(error, ListingNotListedError):
        action = str(error).rsplit("cannot ", 1)[-1]
        return (
            f"该单位当前为“{_status_zh(error.status)}”，不在名单上，"
            f"不能{_ACTIONS_ZH.get(action, action)}"
        )
    if isinstance(error, ListingAlreadyRemovedError):
        return "该单位已被移出名单"
    if isinstance(error, ListingNotRemovedError):
        return "该单位未被移出名单，没有可撤销的移出决定"
    if isinstance(error, ListingNotNominatedError):
        return "该单位不是本批次待公布的推荐单位"
    if isinstance(error, ListingAlreadyActiveError):
        return "该单位已被推荐或已在名单上"
    if isinstance(error, AssessmentNotOrderedError):
        return "该单位没有组织过这次现场评估"
    if isinstance(error, AssessmentAlreadyConcludedError):
        return "这次现场评估已作出结论"
    if isinstance(error, AssessmentAlreadyOpenError):
        return "该单位的现场评估尚未结束，不能再次组织"
    if isinstance(error, IncidentAlreadyRetractedError):
        return "该信用事件已撤销"
    if isinstance(error, IncidentNotContinuingError):
        return "该信用事件不是持续状态（未正常经营、失信被执行人、节能整改未完成），没有结束日期"
    if isinstance(error, IncidentAlreadyEndedError):
        return "该持续状态已记录结束"
    if isinstance(error, AssessorNotBlacklistedError):
        return "该评价机构未被列入黑名单"
    if isinstance(error, BatchAlreadyOpenError):
        return "该批次已按另一规则版本开启"
    if isinstance(error, EnterpriseIdentityConflictError):
        return "该统一社会信用代码或名称已属于另一家企业"
    if isinstance(error, ImportOvertakenError):
        return (
            "另一命令先修改了其中部分记录；此前已分批保存的部分（如有）保留，重新运行将记录其余部分"
        )
    if isinstance(error, ConcurrentWriteError):
        return "另一命令同时修改了同一记录，未写入任何内容，请重试"
    return "当前状态不允许此操作"


def ledger_message_zh(error: LedgerError) -> str:
    """The Chinese of a domain refusal: a field's message for bad input, else the sentence."""
    if isinstance(error, InvalidInputError):
        return _input_zh(error)
    if isinstance(error, NotFoundError):
        return f"台账中没有该{_KINDS_ZH.get(error.kind, '记录')}（{error.ident}）"
    if isinstance(error, RuleRefusalError):
        # The rule as the refusing rulebook reads it (REC-2 reads 13号 in 2024, 390号 in 2025).
        known = RULES.get(error.rule_id) and rule(error.rule_id, error.rulebook or None)
        statement = known.statement_zh if known else error.reason
        return f"规则 {error.rule_id}（{error.citation}）不允许：{statement}"
    return _transition_zh(error)


def ledger_detail_zh(error: LedgerError) -> str:
    """The whole Chinese sentence of a domain refusal (bad input names its field)."""
    if isinstance(error, InvalidInputError):
        return f"{error.field}：{_input_zh(error)}"
    return ledger_message_zh(error)
