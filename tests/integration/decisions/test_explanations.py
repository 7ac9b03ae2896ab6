"""Why a listing has its status: the decision, the rules with their citations and statements, the
facts they rest on, who decided and when; for a listed unit, why it is still listed."""

from __future__ import annotations

from datetime import date

from domain.rules.catalogue import rule
from readside.decisions.explanations import (
    NO_FINDINGS_EN,
    NO_FINDINGS_ZH,
    Explanation,
    get_explanation,
)
from tests.integration.readside.conftest import ReadSide
from tests.integration.readside.scenarios import (
    removal_rescinded,
    removed_after_on_site_assessment,
    removed_for_a_grave_accident,
    still_listed,
)


def assert_findings_are_cited_and_grounded(explanation: Explanation) -> None:
    """Whatever findings the deciding event carries: each cites its rule, with its facts; none
    at all is said in words."""
    assert explanation.deciding is not None
    if not explanation.findings:
        assert (explanation.findings_note_zh, explanation.findings_note_en) == (
            NO_FINDINGS_ZH,
            NO_FINDINGS_EN,
        )
        assert NO_FINDINGS_ZH in explanation.summary_zh
        return
    assert explanation.findings_note_zh is None
    for finding in explanation.findings:
        cited = rule(finding.rule_id, explanation.deciding.rulebook)
        assert (finding.citation, finding.statement_zh, finding.statement_en) == (
            cited.citation,
            cited.statement_zh,
            cited.statement_en,
        )
        assert finding.missing_facts == ()


def test_a_removal_after_an_on_site_assessment_is_explained_by_the_ministry_decision_and_its_path(
    read_side: ReadSide,
) -> None:
    unit = removed_after_on_site_assessment(read_side.ledger)
    read_side.catch_up()

    explanation = get_explanation(read_side.views, unit.listing_id)

    assert (explanation.status, explanation.status_zh, explanation.on_list) == (
        "removed",
        "已移出",
        False,
    )
    deciding = explanation.deciding
    assert deciding is not None
    assert (deciding.kind, deciding.actor, deciding.actor_zh) == (
        "removal",
        "ministry",
        "工业和信息化部",
    )
    assert deciding.effective_on == date(2024, 6, 30)
    assert deciding.reasons == ("indicators",)
    assert deciding.announcement is not None
    assert deciding.announcement.doc_no == "工信厅节函〔2024〕88号"
    assert deciding.barred_until == date(2027, 6, 29)
    assert [d.kind for d in explanation.record] == [
        "nomination",
        "listing",
        "filing_review",
        "assessment_order",
        "assessment_conclusion",
        "adjustment_proposal",
        "removal",
    ]
    conclusion = explanation.record[4]
    assert (conclusion.outcome, conclusion.actor_zh) == (
        "does_not_meet",
        "江苏省工业和信息化主管部门",
    )
    assert conclusion.summary_zh == "现场评估结论：不符合要求（能耗指标未达到行业先进值）"
    assert explanation.grounds == ()
    assert explanation.summary_zh.startswith(
        "江苏绿源钢铁有限公司当前状态：已移出。决定：移出国家级绿色工厂名单"
    )
    assert "工业和信息化部，2024-06-30生效" in explanation.summary_zh
    assert_findings_are_cited_and_grounded(explanation)
    dyn2 = next(finding for finding in explanation.findings if finding.rule_id == "DYN-2")
    assert [fact.event for fact in dyn2.facts] == [
        "Listing.OnSiteAssessmentConcluded",
        "Listing.AdjustmentProposed",
    ]
    assert [fact.effective_on for fact in dyn2.facts] == [date(2024, 5, 10), date(2024, 5, 20)]


def test_an_immediate_removal_for_a_grave_accident_cites_the_rule_and_the_accident(
    read_side: ReadSide,
) -> None:
    unit, _ = removed_for_a_grave_accident(read_side.ledger)
    read_side.catch_up()

    explanation = get_explanation(read_side.views, unit.listing_id)

    deciding = explanation.deciding
    assert deciding is not None
    assert (deciding.kind, deciding.effective_on, deciding.actor) == (
        "removal",
        date(2024, 3, 5),
        "province:320000",
    )
    assert deciding.rulebook == "2024"
    findings = {finding.rule_id: finding for finding in explanation.findings}
    assert {"DYN-3", "DYN-4"} <= set(findings)
    finding = findings["DYN-4"]
    assert finding.applies
    assert finding.citation == (
        "工信部节〔2024〕13号 第四章 动态管理（条文序号未核实 article number unverified）"
    )
    assert "立即移出" in finding.statement_zh
    assert "immediate" in finding.statement_en
    assert "2024-03-02" in finding.detail
    (fact,) = finding.facts
    assert fact.event == "Enterprise.CreditIncidentRecorded"
    assert fact.originator_id == unit.enterprise_id
    assert fact.summary_zh.startswith("记录信用事件：安全事故（特别重大），发生于2024-03-02")
    assert fact.summary_en.startswith("Credit incident recorded: safety (grave) on 2024-03-02")
    assert "DYN-4" in explanation.summary_zh
    assert "DYN-4" in explanation.summary_en
    assert explanation.findings_note_zh is None
    assert_findings_are_cited_and_grounded(explanation)


def test_a_unit_still_listed_is_explained_by_its_announcement_its_filing_and_a_clean_record(
    read_side: ReadSide,
) -> None:
    unit = still_listed(read_side.ledger)
    read_side.catch_up()

    explanation = get_explanation(read_side.views, unit.listing_id)

    assert (explanation.status, explanation.on_list) == ("listed", True)
    assert explanation.deciding is not None
    assert explanation.deciding.kind == "listing"
    grounds = {ground.code: ground for ground in explanation.grounds}
    assert list(grounds) == ["listed_by", "filing", "no_incident"]
    assert grounds["listed_by"].text_zh.startswith(
        "于2023-03-23列入名单，依据工信厅节函〔2023〕64号"
    )
    assert grounds["listed_by"].fact is not None
    assert grounds["listed_by"].fact.event == "Listing.Listed"
    assert grounds["filing"].text_zh == "最近一次动态管理表（2023年度）审核结论：符合要求"
    assert grounds["filing"].text_en == "The latest filing (2023) was reviewed: compliant"
    assert grounds["filing"].fact is not None
    assert grounds["filing"].fact.event == "Listing.FilingReviewed"
    assert grounds["no_incident"].fact is None
    assert_findings_are_cited_and_grounded(explanation)


def test_a_rescinded_removal_leaves_the_unit_listed_and_says_the_removal_was_void(
    read_side: ReadSide,
) -> None:
    unit = removal_rescinded(read_side.ledger)
    read_side.catch_up()

    explanation = get_explanation(read_side.views, unit.listing_id)

    assert (explanation.status, explanation.on_list) == ("listed", True)
    deciding = explanation.deciding
    assert deciding is not None
    assert (deciding.kind, deciding.reasons, deciding.effective_on) == (
        "rescission",
        ("核实为误报，数据真实",),
        date(2024, 7, 15),
    )
    removal = next(d for d in explanation.record if d.kind == "removal")
    assert removal.rescinded_by == deciding.position
    grounds = {ground.code: ground for ground in explanation.grounds}
    assert list(grounds) == ["listed_by", "filing", "no_incident", "removal_rescinded"]
    assert grounds["removal_rescinded"].text_zh.startswith(
        "2024-06-30的移出决定已于2024-07-15撤销（更正）"
    )
    assert grounds["removal_rescinded"].fact is not None
    assert grounds["removal_rescinded"].fact.position == deciding.position
    assert_findings_are_cited_and_grounded(explanation)
