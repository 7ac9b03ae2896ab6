"""The feed for feed readers: Atom (RFC 4287), Chinese first.

Each entry is one list-changing event: its id is the ledger position (`tag:` URI), its `updated`
the instant recorded, its link the certificate of the unit's standing on the event's date.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

from domain.errors import LedgerError
from domain.values import Category, Level, Region, RemovalReason
from readside.feed.queries import FeedEntry, FeedPage

ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_ATOM = "http://www.w3.org/2005/Atom"
_KIND_ZH = {
    "listed": "列入",
    "removed": "移出",
    "removal_rescinded": "撤销移出",
    "renamed": "更名",
    "stars_rated": "评定星级",
    "green_code_assigned": "企业绿码",
    "green_code_withheld": "未获企业绿码",
}


def _label(kind: type[Category] | type[Level], code: str | None) -> str:
    if code is None:
        return ""
    try:
        return kind(code).label_zh
    except ValueError:
        return code


def _region(code: str) -> str:
    try:
        return Region.of(code).name_zh
    except LedgerError:
        return code


def title(entry: FeedEntry) -> str:
    kind = _KIND_ZH.get(entry.kind, entry.kind)
    if entry.kind == "renamed":
        return f"{kind}：{entry.previous_name} → {entry.name}"
    place = f"{_label(Level, entry.level)}{_label(Category, entry.category)}"
    if entry.kind == "green_code_assigned":
        kind = f"{entry.report_year}年度{kind}{entry.green_code}"
    if entry.kind == "green_code_withheld":
        kind = f"{entry.report_year}年度{kind}"
    return f"{kind}：{entry.name}（{_region(entry.region)}，{place}）"


def summary(entry: FeedEntry) -> str:
    lines = [f"{entry.effective_on.isoformat()} {title(entry)}"]
    if entry.reasons and entry.kind == "removed":
        words = []
        for code in entry.reasons:
            try:
                words.append(RemovalReason(code).label_zh)
            except ValueError:
                words.append(code)
        lines.append("理由：" + "、".join(words))
    if entry.reason is not None:
        lines.append("原因：" + entry.reason)
    if entry.announcement is not None:
        lines.append("公告：" + entry.announcement.describe())
    lines.append(f"{entry.event} @ {entry.position}")
    return "\n".join(lines)


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def render_atom(page: FeedPage, base_url: str, self_url: str) -> bytes:
    """The page as an Atom feed document."""
    ElementTree.register_namespace("", _ATOM)
    feed = ElementTree.Element(f"{{{_ATOM}}}feed", {"xml:lang": "zh-CN"})

    def child(
        parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str
    ) -> None:
        element = ElementTree.SubElement(parent, f"{{{_ATOM}}}{tag}", attributes)
        element.text = text

    child(feed, "id", f"{base_url}/v1/feed")
    child(feed, "title", "绿色制造名单变化 Green list changes")
    updated = page.entries[-1].recorded_at if page.entries else datetime(2017, 1, 1, tzinfo=UTC)
    child(feed, "updated", _instant(updated))
    child(feed, "link", rel="self", href=self_url)
    child(feed, "link", rel="next", href=f"{base_url}/v1/feed.atom?after={page.next}")
    author = ElementTree.SubElement(feed, f"{{{_ATOM}}}author")
    child(author, "name", "绿色制造名单动态管理台账 Green List Ledger")
    for entry in reversed(page.entries):  # newest first, as feed readers expect
        item = ElementTree.SubElement(feed, f"{{{_ATOM}}}entry")
        child(item, "id", f"{base_url}/v1/feed#position-{entry.position}")
        child(item, "title", title(entry))
        child(item, "updated", _instant(entry.recorded_at))
        child(item, "category", term=entry.kind)
        if entry.listing_id is not None:
            href = (
                f"{base_url}/v1/listings/{entry.listing_id}/certificate"
                f"?on={entry.effective_on.isoformat()}"
            )
            child(item, "link", rel="related", href=href)
        child(item, "summary", summary(entry))
    document: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
