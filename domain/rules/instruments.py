"""The instruments the rulebook cites, and how each text is really divided (regulation.md,
"Corrections and precisions (2026-12)").

A citation names a division the text has — a section's paragraph (`二 第二段`), an item that exists
(`一（三）`), a verified article (`第二十条`) — or, where only a larger part is known, that part
marked unverified (`第四章 动态管理`, article numbers unverified), or the instrument as a whole
marked unverified. Never an item number the text does not have, never a guessed article.

- 工信厅节函〔2022〕235号: section 一 has a lead part of two paragraphs (the negative list is the
  second) and items （一）绿色工厂 （二）绿色设计产品 （三）绿色工业园区 （四）绿色供应链管理企业;
  section 二 is two paragraphs and has no items; section 三 is a first paragraph, the conditions
  （一）–（五）, and a closing paragraph (the cap of 15 per legal person per batch, the published
  pass rates, the work report by 31 October 2022).
- 工信部节〔2024〕13号: articles 第二条, 第六条, 第十条, 第十三条, 第十七条, 第二十条,
  第二十二条, 第二十五条 and 第二十七条 verified; the removal and change provisions are in
  第四章 动态管理, whose article numbers are not.
- 工信厅节函〔2018〕341号 (the batch-3 notice): 第二条 (the removal of 泰兴经济技术开发区).
- The 2016, 2020, 2023 and 2025 notices and the 2022年度 list's notice: no division verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: How a citation says that the division it names is not verified.
UNVERIFIED = "（条目未核实 division unverified）"
#: How a citation of a part says that the article inside it is not verified.
ARTICLE_UNVERIFIED = "（条文序号未核实 article number unverified）"


@dataclass(frozen=True)
class Instrument:
    """One instrument: its number, title, date, and the divisions of its text that are known."""

    doc_no: str
    title: str
    dated: date | None
    #: Divisions verified against the text, as they are cited.
    divisions: tuple[str, ...] = ()
    #: Larger parts known to hold provisions whose own numbering is not verified.
    parts: tuple[str, ...] = ()
    #: What is uncertain about the instrument itself (its title, its date).
    uncertain: str = ""

    def has(self, division: str) -> bool:
        """Whether `division` is one the text has (a range `A至B` when both ends are)."""
        ends = division.split("至")
        return all(end in self.divisions for end in ends)


N2016 = "工信厅节函〔2016〕586号"
N2018 = "工信厅节函〔2018〕341号"
N2020 = "工信厅节函〔2020〕30号"
N2022 = "工信厅节函〔2022〕235号"
N2023_LIST = "工信厅节函〔2023〕64号"
N2023_ROUND = "工信厅节函〔2023〕202号"
N2024 = "工信部节〔2024〕13号"
N2025 = "工信厅节函〔2025〕390号"

INSTRUMENTS: dict[str, Instrument] = {
    instrument.doc_no: instrument
    for instrument in (
        Instrument(N2016, "关于开展绿色制造体系建设的通知", None, uncertain="date: 2016-09"),
        Instrument(
            N2018,
            "工业和信息化部办公厅关于公布第三批绿色制造名单的通知",
            date(2018, 10, 29),
            divisions=("第二条",),
        ),
        Instrument(
            N2020,
            "（标题未核实 title unverified）",
            None,
            uncertain="title and day unverified; regulation.md gives 2020-03",
        ),
        Instrument(
            N2022,
            "关于开展2022年度绿色制造名单推荐工作的通知",
            date(2022, 9, 16),
            divisions=(
                "一 第一段",
                "一 第二段",
                "一（一）",
                "一（二）",
                "一（三）",
                "一（四）",
                "二 第一段",
                "二 第二段",
                "三 第一段",
                "三（一）",
                "三（二）",
                "三（三）",
                "三（四）",
                "三（五）",
                "三 末段",
            ),
        ),
        Instrument(
            N2023_LIST, "工业和信息化部办公厅关于公布2022年度绿色制造名单的通知", date(2023, 3, 23)
        ),
        Instrument(
            N2023_ROUND,
            "关于开展2023年度绿色制造名单推荐工作的通知",
            None,
            uncertain="day unverified (summer 2023)",
        ),
        Instrument(
            N2024,
            "绿色工厂梯度培育及管理暂行办法",
            date(2024, 1, 19),
            divisions=(
                "第二条",
                "第六条",
                "第十条",
                "第十三条",
                "第十七条",
                "第二十条",
                "第二十二条",
                "第二十五条",
                "第二十七条",
            ),
            parts=("第四章 动态管理",),
            uncertain="issued 2024-01-19, posted 2024-01-30",
        ),
        Instrument(
            N2025,
            "关于开展2025年度绿色工厂推荐工作的通知",
            None,
            uncertain="day unverified (autumn 2025)",
        ),
    )
}


def citation(doc_no: str, division: str = "") -> str:
    """How a division of an instrument is cited: as it is, or marked where it is not verified.

    A verified division reads plainly; a known part reads with its article numbers unverified;
    no division (the instrument as a whole) reads unverified. A division the text is not known to
    have is a programming error: it would be a guess.
    """
    instrument = INSTRUMENTS[doc_no]
    if not division:
        return f"{doc_no}{UNVERIFIED}"
    if instrument.has(division):
        return f"{doc_no} {division}"
    if division in instrument.parts:
        return f"{doc_no} {division}{ARTICLE_UNVERIFIED}"
    raise ValueError(f"{doc_no} is not known to have a division {division!r}")
