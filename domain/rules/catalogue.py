"""Every rule of regulation.md: its id, the instrument and article it comes from, its statement.

This is the catalogue explanations and replay cite. The rules' functions (from facts to findings)
live beside it, one module per topic (`negative_list`, `categories`, `dynamic`, `evaluators`); a
rule is in force from the rulebook version named in `since` on (DYN-4 and DYN-5 come with the 2024
instrument, REC-1 and REC-2 with the 2025 one) and is neither evaluated nor recorded before.

REC-1 and REC-2 are the 2025 notice's scope (regulation.md, "Instruments"): its articles are cited
by topic, as regulation.md gives no article number. EVAL-5 (the evaluators' yearly work report) is
catalogued for explanations but has no function: the ledger records no work reports, so there is
no fact it could rest on (ADR 0010).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import UnknownCodeError


@dataclass(frozen=True)
class Rule:
    id: str
    instrument: str
    article: str
    statement_zh: str
    statement_en: str
    since: str = "2022"

    @property
    def citation(self) -> str:
        """E.g. 工信厅节函〔2022〕235号 一、推荐工作要求 (三)."""
        return f"{self.instrument} {self.article}"


N2016 = "工信厅节函〔2016〕586号"
N2017 = "工信厅节函〔2017〕564号"
N2022 = "工信厅节函〔2022〕235号"
N2024 = "工信部节〔2024〕13号"
N2025 = "工信厅节函〔2025〕390号"

_RULES = (
    Rule(
        "NEG-1",
        N2022,
        "一、推荐工作要求（负面清单第1项）",
        "近三年未正常经营生产的，不得推荐。",
        "An applicant not in normal operation within the last three years may not be nominated.",
    ),
    Rule(
        "NEG-2",
        N2022,
        "一、推荐工作要求（负面清单第2项）",
        "近三年发生安全（含网络安全、数据安全）、质量、环境污染等事故以及偷漏税等违法违规行为的"
        "（以“信用中国”和“国家企业信用信息公示系统”为准），不得推荐。",
        "An applicant with a safety (incl. network and data security), quality or environmental "
        "accident, or tax evasion or a similar violation, within the last three years, as "
        "recorded by Credit China and the national publicity system, may not be nominated.",
    ),
    Rule(
        "NEG-3",
        N2022,
        "一、推荐工作要求（负面清单第3项）",
        "近三年被动态调整出绿色制造名单的，不得推荐。",
        "An applicant removed from the list by dynamic adjustment within the last three years "
        "may not be nominated.",
    ),
    Rule(
        "NEG-4",
        N2022,
        "一、推荐工作要求（负面清单第4项）",
        "近三年在国务院及有关部门相关督查工作中被发现存在严重问题的，不得推荐。",
        "An applicant found with serious problems in State Council or ministry inspections within "
        "the last three years may not be nominated.",
    ),
    Rule(
        "NEG-5",
        N2022,
        "一、推荐工作要求（负面清单第5项）",
        "被列入工业节能监察整改名单且未按要求完成整改的，不得推荐。",
        "An applicant on the industrial energy-saving supervision rectification list that has not "
        "completed its rectification may not be nominated (the bar lifts on rectification).",
    ),
    Rule(
        "NEG-6",
        N2022,
        "一、推荐工作要求（负面清单第6项）",
        "失信被执行人不得推荐。",
        "A dishonest judgment debtor may not be nominated.",
    ),
    Rule(
        "FAC-1",
        N2022,
        "一、推荐工作要求（绿色工厂）",
        "绿色工厂申报须提交自评价报告和第三方评价报告（GB/T 36132-2018 或行业标准）。",
        "A green factory nomination must carry a self-evaluation and a third-party evaluation "
        "report (GB/T 36132-2018 or the industry standard).",
    ),
    Rule(
        "FAC-2",
        N2022,
        "一、推荐工作要求（绿色工厂）",
        "重点用能行业能效须达到标杆水平，其他行业达到能耗限额标准先进值，并优于本地区同行业已有绿色工厂。",
        "Energy efficiency must reach the benchmark level in key energy-using industries (else the "
        "advanced value of the quota standard) and beat the region's existing green factories of "
        "the same industry.",
    ),
    Rule(
        "DES-1",
        N2022,
        "一、推荐工作要求（绿色设计产品）",
        "绿色设计产品限于已发布评价标准清单中的产品，并按标准提交自评价报告。",
        "A green design product must be in the published list of evaluation standards and carry a "
        "self-evaluation report under that standard.",
    ),
    Rule(
        "PARK-1",
        N2022,
        "一、推荐工作要求（绿色工业园区）",
        "绿色工业园区须为省级以上园区，以产品制造和能源供给为主要功能，工业增加值占比超过50%，"
        "边界清晰并有统一管理机构。",
        "A green park must be provincial-level or above, with manufacturing and energy supply as "
        "main functions, industrial value added above 50 %, a legal boundary and one management "
        "body.",
    ),
    Rule(
        "PARK-2",
        N2022,
        "一、推荐工作要求（绿色工业园区）",
        "每个地区每年推荐绿色工业园区不超过3家。",
        "A region may nominate at most 3 green parks a year.",
    ),
    Rule(
        "SC-1",
        N2022,
        "一、推荐工作要求（绿色供应链管理企业）",
        "绿色供应链管理企业须为行业龙头；电子、机械、汽车行业按供应链评价指标体系评价。",
        "A green supply-chain management enterprise must lead its chain; electronics, machinery "
        "and automotive are evaluated against the supply-chain indicator system.",
    ),
    Rule(
        "DYN-1",
        N2022,
        "二、动态管理要求（一）",
        "已入选名单的单位每年填报动态管理表，报送关键绿色制造指标，由省级主管部门审核。",
        "Listed units file the dynamic management table with their key indicators every year; "
        "the province reviews it.",
    ),
    Rule(
        "DYN-2",
        N2022,
        "二、动态管理要求（二）",
        "关键指标不满足评价要求的，由省级主管部门组织现场评估并提出调整意见，工信部综合评估后决定。",
        "Where key indicators fall short, the province organises an on-site assessment and "
        "proposes an adjustment; the ministry decides after a comprehensive assessment.",
    ),
    Rule(
        "DYN-3",
        N2022,
        "二、动态管理要求（三）",
        "发生安全、质量、环境污染等事故及偷漏税等违法违规行为的，及时报告工信部，予以剔除。",
        "Accidents and violations are reported to the ministry at once and the unit is removed "
        "from the list.",
    ),
    Rule(
        "DYN-4",
        N2024,
        "第十五条",
        "触及负面清单、拒不填报动态管理表或数据造假的，在下一年度名单发布时移出；发生重大及以上安全、"
        "质量事故或Ⅱ级及以上突发环境事件的，立即移出。",
        "Removal takes effect with the next annual list for a negative-list finding, refusal to "
        "file or falsified data; it is immediate for a major or graver safety or quality accident "
        "or a class II or graver environmental event.",
        since="2024",
    ),
    Rule(
        "DYN-5",
        N2024,
        "第十四条",
        "发生更名、合并、经营范围或地址、边界变更的，在动态管理表中申报并核实；不再符合要求的予以移出。",
        "A change of name, merger, scope, address or boundary is declared in the table and "
        "verified; a unit that no longer complies is removed.",
        since="2024",
    ),
    Rule(
        "EVAL-1",
        N2022,
        "三、第三方评价机构要求（一）",
        "第三方评价机构独立于申报单位自评价开展评价，对评价报告的真实性负责。",
        "The third-party evaluator is independent of the self-evaluation and answers for the "
        "truth of its report.",
    ),
    Rule(
        "EVAL-2",
        N2022,
        "三、第三方评价机构要求（二）",
        "存在弄虚作假、隐瞒情况的第三方评价机构列入黑名单，三年内不再采信其评价结果。",
        "An evaluator found to falsify or conceal is blacklisted; its results are not accepted for "
        "three years.",
    ),
    Rule(
        "EVAL-3",
        N2022,
        "三、第三方评价机构要求（三）",
        "第三方评价机构须为法人，具有固定场所和良好财务状况，专职中级及以上职称人员不少于10人，"
        "其中高级职称不少于5人，近五年有相关评价经验。",
        "An evaluator must be a legal person with a fixed office and sound finances, at least 10 "
        "full-time staff with intermediate or higher titles of whom at least 5 senior, and "
        "relevant experience in the last five years.",
    ),
    Rule(
        "EVAL-4",
        N2022,
        "三、第三方评价机构要求（四）",
        "同一法人（含关联机构）每批次开展绿色工厂、园区、供应链评价项目合计不超过15个。",
        "One legal person with its affiliates may carry out at most 15 evaluations (factories, "
        "parks, supply chains) per batch.",
    ),
    Rule(
        "EVAL-5",
        N2022,
        "三、第三方评价机构要求（五）",
        "第三方评价机构于2022年10月31日前报送年度工作报告。",
        "Evaluators file an annual work report by 31 October 2022.",
    ),
    Rule(
        "REC-1",
        N2025,
        "推荐范围",
        "2025年度起仅推荐绿色工厂和绿色工业园区。",
        "From the 2025 round only green factories and green parks are recommended.",
        since="2025",
    ),
    Rule(
        "REC-2",
        N2025,
        "推荐条件",
        "申报国家级绿色工厂、绿色工业园区的，须已列入省级名单。",
        "An applicant for the national list must already be on the provincial list of the same "
        "category.",
        since="2025",
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule(rule_id: str) -> Rule:
    """The rule with this id, or an error naming the ids there are."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownCodeError("rule_id", f"{rule_id!r} is not a rule of regulation.md") from None
