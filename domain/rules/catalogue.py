"""Every rule of regulation.md: its id, where each version of the rulebook finds it, its statement.

This is the catalogue explanations, refusals and replay cite. A rule may be read from different
instruments over time: a `Rule` is one reading, in force from the rulebook version `since` through
`until` (open-ended when None), and its citation names the division of the text it comes from as
that text is really divided (`domain.rules.instruments`): a paragraph (`235号 二 第二段`), an item
that exists (`235号 一（三）`), a verified article (`13号 第二十条`), or, where the article is not
verified, the chapter (`13号 第四章 动态管理`) or the instrument, marked unverified.

The rules' functions (from facts to findings) live beside it, one module per topic
(`negative_list`, `categories`, `dynamic`, `evaluators`); a rule without a reading in a version is
neither evaluated nor recorded under it. EVAL-5 (the evaluators' yearly work report) is
catalogued for explanations but has no function: the ledger records no work reports, so there is
no fact it could rest on (ADR 0010).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import UnknownCodeError
from domain.rules.instruments import (
    N2020,
    N2022,
    N2023_ROUND,
    N2024,
    N2025,
    citation,
)


@dataclass(frozen=True)
class Rule:
    """One reading of a rule: where the versions `since` … `until` find it, and what it says."""

    id: str
    instrument: str
    #: The division cited ("" for the instrument as a whole, which then reads unverified).
    article: str
    statement_zh: str
    statement_en: str
    since: str = "2022"
    until: str | None = None

    @property
    def citation(self) -> str:
        """E.g. 工信厅节函〔2022〕235号 二 第二段; unverified divisions say so."""
        return citation(self.instrument, self.article)

    def reads_in(self, version: str) -> bool:
        """Whether this reading is the rule's under the rulebook version `version`."""
        number = int(version)
        return int(self.since) <= number and (self.until is None or number <= int(self.until))


_NEGATIVE = "一 第二段"

_READINGS = (
    Rule(
        "NEG-1",
        N2022,
        _NEGATIVE,
        "近三年未正常经营生产的，不得推荐：停产期间及恢复正常经营后三年内均不得推荐。",
        "An applicant not in normal operation within the last three years may not be nominated: "
        "barred while it is not operating and for three years after it resumes.",
    ),
    Rule(
        "NEG-2",
        N2022,
        _NEGATIVE,
        "近三年发生安全（含网络安全、数据安全）、质量、环境污染等事故以及偷漏税等违法违规行为的"
        "（以“信用中国”和“国家企业信用信息公示系统”为准），不得推荐。",
        "An applicant with a safety (incl. network and data security), quality or environmental "
        "accident, or tax evasion or a similar violation, within the last three years, as "
        "recorded by Credit China and the national publicity system, may not be nominated.",
    ),
    Rule(
        "NEG-3",
        N2022,
        _NEGATIVE,
        "近三年被动态调整出绿色制造名单的，不得推荐。",
        "An applicant removed from the list by dynamic adjustment within the last three years "
        "may not be nominated.",
    ),
    Rule(
        "NEG-4",
        N2022,
        _NEGATIVE,
        "近三年在国务院及有关部门相关督查工作中被发现存在严重问题的，不得推荐。",
        "An applicant found with serious problems in State Council or ministry inspections within "
        "the last three years may not be nominated.",
    ),
    Rule(
        "NEG-5",
        N2022,
        _NEGATIVE,
        "近三年被列入工业节能监察整改名单且未按要求完成整改的，不得推荐：整改完成前及完成后三年内"
        "均不得推荐。",
        "An applicant on the industrial energy-saving supervision rectification list that has not "
        "rectified as required may not be nominated: barred until the rectification is completed "
        "and for three years after.",
    ),
    Rule(
        "NEG-6",
        N2022,
        _NEGATIVE,
        "近三年为失信被执行人的，不得推荐：列入期间及移出失信被执行人名单后三年内均不得推荐。",
        "A dishonest judgment debtor within the last three years may not be nominated: barred "
        "while listed as one and for three years after it is cleared.",
    ),
    Rule(
        "FAC-1",
        N2022,
        "一（一）",
        "绿色工厂申报须提交自评价报告和第三方评价报告（GB/T 36132-2018 或行业标准）。",
        "A green factory nomination must carry a self-evaluation and a third-party evaluation "
        "report (GB/T 36132-2018 or the industry standard).",
        until="2022",
    ),
    Rule(
        "FAC-1",
        N2024,
        "第十条",
        "绿色工厂可采用自评价或第三方评价方式申报：须提交自评价报告或通过的第三方评价报告。",
        "A green factory applies on a self-evaluation or a third-party evaluation: it must carry "
        "a self-evaluation report or a passing third-party evaluation.",
        since="2024",
        until="2024",
    ),
    Rule(
        "FAC-1",
        N2025,
        "",
        "2025年度绿色工厂推荐以自评价方式开展，须提交自评价报告，无需第三方评价报告。",
        "In the 2025 round a green factory applies on its self-evaluation alone: a "
        "self-evaluation report, no third-party report.",
        since="2025",
    ),
    Rule(
        "FAC-2",
        N2022,
        "一（一）",
        "重点用能行业能效须达到标杆水平，其他行业达到能耗限额标准先进值，并优于本地区同行业已有绿色工厂。",
        "Energy efficiency must reach the benchmark level in key energy-using industries (else the "
        "advanced value of the quota standard) and beat the region's existing green factories of "
        "the same industry.",
    ),
    Rule(
        "DES-1",
        N2022,
        "一（二）",
        "绿色设计产品限于已发布评价标准清单中的产品，并按标准提交自评价报告。",
        "A green design product must be in the published list of evaluation standards and carry a "
        "self-evaluation report under that standard.",
    ),
    Rule(
        "PARK-1",
        N2022,
        "一（三）",
        "绿色工业园区须为省级以上园区，以产品制造和能源供给为主要功能，工业增加值占比超过50%，"
        "边界清晰并有统一管理机构；未提供工业增加值占比的，视为缺少证明材料。",
        "A green park must be provincial-level or above, with manufacturing and energy supply as "
        "main functions, industrial value added above 50 %, a legal boundary and one management "
        "body; a nomination without its value-added share lacks the evidence.",
    ),
    Rule(
        "PARK-2",
        N2022,
        "一（三）",
        "每个地区每年推荐绿色工业园区原则上不超过3家；超出的，须经工信部同意并记录理由。",
        "A region nominates in principle at most 3 green parks a year; more only with the "
        "ministry's exception, recorded with its reason.",
    ),
    Rule(
        "SC-1",
        N2022,
        "一（四）",
        "绿色供应链管理企业须为行业龙头；电子、机械、汽车行业按供应链评价指标体系评价。",
        "A green supply-chain management enterprise must lead its chain; electronics, machinery "
        "and automotive are evaluated against the supply-chain indicator system.",
    ),
    Rule(
        "DYN-1",
        N2022,
        "二 第一段",
        "已入选名单的单位每年填报动态管理表，报送关键绿色制造指标，由省级主管部门审核。",
        "Listed units file the dynamic management table with their key indicators every year; "
        "the province reviews it.",
    ),
    Rule(
        "DYN-2",
        N2022,
        "二 第一段",
        "关键指标不满足评价要求的，由省级主管部门组织现场评估并提出调整意见，工信部综合评估后决定。",
        "Where key indicators fall short, the province organises an on-site assessment and "
        "proposes an adjustment; the ministry decides after a comprehensive assessment.",
    ),
    Rule(
        "DYN-3",
        N2020,
        "",
        "复核中，发生较大及以上安全、质量事故或Ⅲ级及以上突发环境事件的，予以移出。",
        "In the re-review, a serious or graver safety or quality accident, or a class III "
        "or graver environmental event, leads to removal.",
        since="2020",
        until="2020",
    ),
    Rule(
        "DYN-3",
        N2022,
        "二 第二段",
        "发生安全（含网络安全、数据安全）、质量、环境污染等事故以及偷漏税等违法违规行为的"
        "（以“信用中国”和“国家企业信用信息公示系统”为准），及时报告工信部，予以剔除（不分等级）。",
        "A safety (incl. network and data security), quality or environmental-pollution accident, "
        "or tax evasion, as recorded by Credit China and the national publicity system, is "
        "reported to the ministry at once and the unit is removed, whatever its grade.",
    ),
    Rule(
        "DYN-4",
        N2024,
        "第四章 动态管理",
        "发生重大及以上安全、质量事故或Ⅱ级及以上突发环境事件的，立即移出；触及负面清单其他情形、"
        "拒不填报动态管理表或数据造假的，在下一年度名单发布时移出。",
        "Removal is immediate for a major or graver safety or quality accident or a class "
        "II or graver environmental event; it takes effect with the next annual list for the "
        "other negative-list situations, refusal to file or falsified data.",
        since="2024",
    ),
    Rule(
        "DYN-5",
        N2024,
        "第四章 动态管理",
        "发生更名、合并、经营范围或地址、边界变更的，在动态管理表中申报并核实；不再符合要求的予以移出。",
        "A change of name, merger, scope, address or boundary is declared in the table and "
        "verified; a unit that no longer complies is removed.",
        since="2024",
    ),
    Rule(
        "EVAL-1",
        N2022,
        "三 第一段",
        "第三方评价机构独立于申报单位自评价开展评价，对评价报告的真实性负责。",
        "The third-party evaluator is independent of the self-evaluation and answers for the "
        "truth of its report.",
    ),
    Rule(
        "EVAL-2",
        N2022,
        "三 第一段",
        "存在弄虚作假、隐瞒情况的第三方评价机构列入黑名单，三年内不再采信其评价结果。",
        "An evaluator found to falsify or conceal is blacklisted; its results are not accepted for "
        "three years.",
    ),
    Rule(
        "EVAL-3",
        N2022,
        "三（一）至三（五）",
        "第三方评价机构须为法人，具有固定场所和良好财务状况，专职中级及以上职称人员不少于10人，"
        "其中高级职称不少于5人，近五年有相关评价经验。",
        "An evaluator must be a legal person with a fixed office and sound finances, at least 10 "
        "full-time staff with intermediate or higher titles of whom at least 5 senior, and "
        "relevant experience in the last five years.",
    ),
    Rule(
        "EVAL-4",
        N2022,
        "三 末段",
        "同一法人（含关联机构）每批次开展绿色工厂、园区、供应链评价项目合计不超过15个；工信部公布"
        "各机构评价通过率。",
        "One legal person with its affiliates may carry out at most 15 evaluations (factories, "
        "parks, supply chains) per batch; the ministry publishes each evaluator's pass rate.",
        until="2022",
    ),
    Rule(
        "EVAL-4",
        N2024,
        "第二十条",
        "同一法定代表人的第三方机构，每年开展国家级评价项目合计不超过15个。",
        "Third-party bodies with the same legal representative may carry out at most 15 "
        "national-level evaluation projects a year, together.",
        since="2024",
    ),
    Rule(
        "EVAL-5",
        N2022,
        "三 末段",
        "第三方评价机构于2022年10月31日前报送年度工作报告。",
        "Evaluators file an annual work report by 31 October 2022.",
        until="2022",
    ),
    Rule(
        "REC-1",
        N2023_ROUND,
        "",
        "2023年度绿色制造名单推荐包括绿色工厂、绿色工业园区、绿色供应链管理企业，不含绿色设计产品。",
        "The 2023 round recommends green factories, green parks and green supply-chain "
        "management enterprises: no green design products.",
        until="2022",
    ),
    Rule(
        "REC-1",
        N2025,
        "",
        "2025年度仅推荐绿色工厂和绿色工业园区。",
        "From the 2025 round only green factories and green parks are recommended.",
        since="2025",
    ),
    Rule(
        "REC-2",
        N2024,
        "",
        "国家级绿色工厂从省级绿色工厂名单中遴选：推荐国家级绿色工厂的，须已列入本省级名单。",
        "National green factories are chosen from the provincial lists: a factory nominated for "
        "the national list must already be on its province's provincial list.",
        since="2024",
        until="2024",
    ),
    Rule(
        "REC-2",
        N2025,
        "",
        "申报国家级绿色工厂、绿色工业园区的，须已列入省级名单。",
        "An applicant for the national list must already be on the provincial list of the same "
        "category.",
        since="2025",
    ),
    Rule(
        "REC-3",
        N2024,
        "",
        "各省级主管部门于每年7月31日前推荐国家级绿色工厂。",
        "The provinces recommend national green factories by 31 July of each year.",
        since="2024",
    ),
    Rule(
        "PUB-1",
        N2024,
        "",
        "拟纳入国家级绿色工厂名单的，公示15天；公示期间可提出异议，公示结束后方予发布。",
        "Units proposed for the national list are publicised for 15 days; objections may be "
        "raised during the publicity, and the list is published only after it ends.",
        since="2024",
    ),
    Rule(
        "REV-1",
        N2020,
        "",
        "对第一批、第二批绿色制造名单单位开展现场复核，每三年复核一次；复核不合格的予以移出。",
        "The units of batches 1 and 2 are re-reviewed on site every three years; a unit that "
        "fails the re-review is removed.",
        since="2020",
        until="2020",
    ),
)

#: Every reading, in catalogue order.
READINGS: tuple[Rule, ...] = _READINGS

#: Each rule by id, as first read (its latest reading: `rule(rule_id)`).
RULES: dict[str, Rule] = {}
for _reading in _READINGS:
    RULES.setdefault(_reading.id, _reading)


def rule(rule_id: str, version: str | None = None) -> Rule:
    """The rule as the rulebook version `version` reads it (the latest reading when None, or
    when that version has none: the last reading before it, else the first after).

    Raises an error naming the ids there are for an unknown id.
    """
    readings = [r for r in _READINGS if r.id == rule_id]
    if not readings:
        raise UnknownCodeError("rule_id", f"{rule_id!r} is not a rule of regulation.md")
    if version is None:
        return readings[-1]
    for reading in readings:
        if reading.reads_in(version):
            return reading
    earlier = [r for r in readings if int(r.since) <= int(version)]
    return earlier[-1] if earlier else readings[0]


def in_force(rule_id: str, version: str) -> bool:
    """Whether the rule has a reading under the rulebook version `version`."""
    return any(r.id == rule_id and r.reads_in(version) for r in _READINGS)
