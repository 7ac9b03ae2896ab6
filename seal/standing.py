"""A unit's standing on a date, folded from its list-changing events alone, and said in words.

What a certificate proves (ADR 0031) is computed here from decoded event states, by the server
when it issues a certificate and by `verify_certificate` when anyone checks one, so the two can
only agree or disagree visibly. The fold is the listing lifecycle's list-changing part
(design.md): a listing decision puts the unit on the list from its effective date, a removal
takes it off, a rescission voids the last removal as if it had not been; the enterprise's
registration gives the name and region, each rename a new name from its effective date.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.errors import LedgerError
from domain.values import Category, Level, Region, RemovalReason, batch_label, batch_label_en

if TYPE_CHECKING:
    from seal.certificates import Subject

#: (event class name, originator id, originator version, decoded state)
DecodedEvent = tuple[str, str, int, dict[str, Any]]

LISTED = "Listing.Listed"
REMOVED = "Listing.Removed"
RESCINDED = "Listing.RemovalRescinded"
REGISTERED = "Enterprise.Registered"
RENAMED = "Enterprise.Renamed"


@dataclass(frozen=True)
class Standing:
    """Where the unit stood on `on`, and the events (kind, effective date, document) it rests on."""

    on: date
    category: Category
    level: Level
    product: str | None
    name: str
    region: str
    on_the_list: bool
    listed_on: date | None
    batch_year: int | None
    listed_by: str | None
    removed_on: date | None
    removal_reasons: tuple[str, ...]
    removed_by: str | None
    rests_on: tuple[tuple[str, str, str | None], ...]
    #: A fictitious unit of the demo (its registration says so), never a real one.
    synthetic: bool = False

    @property
    def status(self) -> str:
        if self.on_the_list:
            return "on_the_list"
        return "removed" if self.removed_on is not None else "not_listed"


class StandingNotProvenError(ValueError):
    """Raised when the events do not say enough to state a standing (no registration)."""


def _day(state: dict[str, Any]) -> date:
    return date.fromisoformat(str(state["effective_on"]))


def _document(state: dict[str, Any]) -> str | None:
    announcement = state.get("announcement")
    if not isinstance(announcement, dict):
        return None
    parts = [announcement.get("doc_no"), announcement.get("title")]
    return " ".join(str(part) for part in parts if part) or None


def fold_standing(subject: Subject, on: date, events: Sequence[DecodedEvent]) -> Standing:
    """The unit's standing on `on` from its events (any order: each aggregate's by version)."""
    ordered = sorted(events, key=lambda event: (event[1], event[2]))
    enterprise = [e for e in ordered if e[1] == str(subject.enterprise_id)]
    listing = [e for e in ordered if e[1] == str(subject.listing_id)]
    registered = [state for kind, _, _, state in enterprise if kind == REGISTERED]
    if not registered:
        raise StandingNotProvenError(
            "the enterprise's registration (Enterprise.Registered) is missing: its name is "
            "not proven"
        )
    name, region = str(registered[0]["name"]), str(registered[0]["region"])
    rests_on: list[tuple[str, str, str | None]] = [
        (REGISTERED, str(registered[0]["effective_on"]), None)
    ]
    for kind, _, _, state in enterprise:
        if kind == RENAMED and _day(state) <= on:
            name = str(state["name"])
            rests_on.append((RENAMED, str(state["effective_on"]), None))
    voided = _voided_removals(listing)
    found: dict[str, Any] = {"listed": None, "removed": None}
    for kind, _, version, state in listing:
        if kind not in (LISTED, REMOVED) or _day(state) > on or version in voided:
            continue
        if kind == LISTED:
            found = {"listed": state, "removed": None}
        else:
            found["removed"] = state
        rests_on.append((kind, str(state["effective_on"]), _document(state)))
    listed, removed = found["listed"], found["removed"]
    product = subject.product
    return Standing(
        on=on,
        category=subject.category,
        level=subject.level,
        product=None if product is None else " ".join(filter(None, (product.name, product.model))),
        name=name,
        region=region,
        on_the_list=listed is not None and removed is None,
        listed_on=_day(listed) if listed else None,
        batch_year=int(listed["batch_year"]) if listed else None,
        listed_by=_document(listed) if listed else None,
        removed_on=_day(removed) if removed else None,
        removal_reasons=tuple(str(r) for r in removed.get("reasons", ())) if removed else (),
        removed_by=_document(removed) if removed else None,
        rests_on=tuple(rests_on),
        synthetic=registered[0].get("synthetic") is True,
    )


def _voided_removals(listing: Sequence[DecodedEvent]) -> set[int]:
    """The versions of the removals a rescission voided (each voids the last standing one)."""
    standing: list[int] = []
    voided: set[int] = set()
    for kind, _, version, _ in listing:
        if kind == REMOVED:
            standing.append(version)
        elif kind == RESCINDED and standing:
            voided.add(standing.pop())
    return voided


# -- in words --------------------------------------------------------------------------------------


def _list_name_zh(standing: Standing) -> str:
    return f"{standing.level.label_zh}{standing.category.label_zh}名单"


def _list_name_en(standing: Standing) -> str:
    words = standing.category.value.replace("_", " ")
    return f"the {standing.level.value} {words} list"


def _unit_zh(standing: Standing) -> str:
    product = f"，产品：{standing.product}" if standing.product else ""
    return f"{standing.name}，{_region(standing.region, 'zh')}{product}"


def _unit_en(standing: Standing) -> str:
    product = f", product: {standing.product}" if standing.product else ""
    return f"{standing.name}, {_region(standing.region, 'en')}{product}"


def _region(code: str, language: str) -> str:
    try:
        region = Region.of(code)
    except LedgerError:
        return code
    return region.name_zh if language == "zh" else region.name_en


def _reasons(codes: Sequence[str], language: str) -> str:
    words = []
    for code in codes:
        try:
            reason = RemovalReason(code)
        except ValueError:
            words.append(code)
            continue
        words.append(reason.label_zh if language == "zh" else code.replace("_", " "))
    return ("、" if language == "zh" else ", ").join(words)


def proven_zh(standing: Standing) -> str:
    """截至…，该单位（…）在…名单上，依据……"""
    fictitious = "【虚构单位，演示数据】" if standing.synthetic else ""
    head = f"{fictitious}截至{standing.on.isoformat()}，该单位（{_unit_zh(standing)}）"
    if standing.on_the_list and standing.listed_on and standing.batch_year is not None:
        basis = standing.listed_by or "列入名单的决定"
        return (
            f"{head}在{_list_name_zh(standing)}上，依据{basis}，"
            f"自{standing.listed_on.isoformat()}列入（{batch_label(standing.batch_year)}）。"
        )
    if standing.removed_on is not None:
        basis = standing.removed_by or "移出决定"
        return (
            f"{head}不在{_list_name_zh(standing)}上：已于{standing.removed_on.isoformat()}移出"
            f"（{_reasons(standing.removal_reasons, 'zh')}），依据{basis}。"
        )
    return f"{head}不在{_list_name_zh(standing)}上：此前未被列入。"


def proven_en(standing: Standing) -> str:
    fictitious = "[A fictitious unit of the demo] " if standing.synthetic else ""
    head = f"{fictitious}On {standing.on.isoformat()} the unit ({_unit_en(standing)})"
    if standing.on_the_list and standing.listed_on and standing.batch_year is not None:
        basis = standing.listed_by or "the listing decision"
        return (
            f"{head} is on {_list_name_en(standing)}, by {basis}, listed on "
            f"{standing.listed_on.isoformat()} ({batch_label_en(standing.batch_year)})."
        )
    if standing.removed_on is not None:
        basis = standing.removed_by or "the removal decision"
        return (
            f"{head} is not on {_list_name_en(standing)}: removed on "
            f"{standing.removed_on.isoformat()} ({_reasons(standing.removal_reasons, 'en')}), "
            f"by {basis}."
        )
    return f"{head} is not on {_list_name_en(standing)}: it had not been listed."


def statement_of(standing: Standing) -> dict[str, Any]:
    """The statement a certificate carries: plain JSON, derived from the standing only."""
    return {
        "status": standing.status,
        "on_the_list": standing.on_the_list,
        "synthetic": standing.synthetic,
        "name": standing.name,
        "region": standing.region,
        "category": standing.category.value,
        "level": standing.level.value,
        "product": standing.product,
        "listed_on": standing.listed_on.isoformat() if standing.listed_on else None,
        "batch_year": standing.batch_year,
        "listed_by": standing.listed_by,
        "removed_on": standing.removed_on.isoformat() if standing.removed_on else None,
        "removal_reasons": list(standing.removal_reasons),
        "removed_by": standing.removed_by,
        "rests_on": [
            {"event": kind, "effective_on": day, "document": document}
            for kind, day, document in standing.rests_on
        ],
        "text_zh": proven_zh(standing),
        "text_en": proven_en(standing),
    }


def not_proven(tree_size: int, timestamp: str) -> tuple[tuple[str, str], ...]:
    """What a verified certificate does not prove, in Chinese and English."""
    return (
        (
            (
                f"树头（{timestamp}，前 {tree_size} 个事件）之后记录的事实不在证明范围内："
                "此后的移出、更名须以更新的证书核验。"
            ),
            (
                f"Facts recorded after the tree head ({timestamp}, the first {tree_size} events) "
                "are not covered: a later removal or rename needs a newer certificate."
            ),
        ),
        (
            (
                "证书证明所列事件确在台账中，但不能证明树头之前没有该单位的其他事件；"
                "完整性由审计方以 greenledger verify 核验全部事件。"
            ),
            (
                "It proves the events listed are in the ledger, not that no other event of this "
                "unit was recorded before the head: an auditor checks completeness with "
                "greenledger verify over every event."
            ),
        ),
        (
            "读模型（名单查询、待核查等标记、动态管理表、现场评估）不在证明范围内。",
            (
                "The read models (list queries, flags such as under assessment, filings, on-site "
                "assessments) are not proven."
            ),
        ),
        (
            "公钥须从台账以外的渠道（如工信部网站）取得：核验只证明树头由该公钥签署。",
            (
                "The public key must come from outside the ledger (e.g. the ministry's website): "
                "the check proves only that this key signed the head."
            ),
        ),
    )
