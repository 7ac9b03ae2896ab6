"""Dynamic management (动态管理): 工信厅节函〔2022〕235号 二, 工信部节〔2024〕13号 第四章, and
the re-review of 工信厅节函〔2020〕30号.

- DYN-1 (235号 二 第一段) a listed unit files its yearly table by the rulebook's deadline; a unit
  on the list on the deadline with no filing for the year by then is overdue.
- DYN-2 (二 第一段) key indicators short (a non-compliant filing review) → on-site assessment; an
  assessment that does not meet → the province proposes; removal for indicators only after an
  assessment concluded `does_not_meet` and the province then proposed removal.
- DYN-3 an incident that is a ground for removal. Under 235号 (二 第二段) any reported safety
  (incl. network and data security), quality or environmental-pollution accident, or tax evasion,
  whatever its grade: it is reported to the ministry, which must remove the unit — the unit is
  flagged, and a decision to keep it (a proposal to retain it, a rescission of its removal) is
  refused while the ground stands. Under 30号 (2020) only 较大 or graver accidents and class Ⅲ or
  graver environmental events are.
- DYN-4 (13号 第四章) when a removal takes effect: at once, when the incident is recorded, for a
  重大 or graver accident or a class Ⅱ or graver environmental event; otherwise with the next
  annual list (the other negative-list situations, refusal to file, falsified data).
- DYN-5 (13号 第四章) a change (a new name, a rename proposal) declared and verified, after which
  the province proposed removal: the unit no longer complies.
- REV-1 (30号) the re-review of batches 1 and 2: a removal for indicators under the 2020 rulebook
  rests on an on-site re-review that did not meet.

Each rule is a pure function from aggregate state (with event versions) to a `Finding`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.enterprise import Enterprise, IncidentRecord
from domain.listing import AssessmentRecord, Listing
from domain.rules.negative_list import INCIDENT_KINDS, NEGATIVE_LIST
from domain.rules.rulebook import Rulebook
from domain.rules.wording import INCIDENT_EN, bilingual
from domain.rules.wording import day as _day
from domain.tiers.regional import own_filing_deadline
from domain.values import (
    AssessmentOutcome,
    EventRef,
    FilingOutcome,
    Finding,
    ProposalAction,
    batch_label,
    batch_label_en,
)

# -- DYN-1: the yearly filing ----------------------------------------------------------------------


def filing_overdue(rulebook: Rulebook, listing: Listing, report_year: int, day: date) -> Finding:
    """DYN-1: on `day`, the listing owes the table for `report_year` and did not file it in time.

    It owes it when it was on the list on the deadline and the year is one its membership covers;
    it is overdue once the deadline has passed without a filing submitted by the deadline (a late
    filing does not undo the overdue year).
    """
    deadline, basis = listing_filing_deadline(rulebook, listing, report_year)
    owes = listing.listed_on_day(deadline) and listing.first_report_year <= report_year
    if not owes:
        return Finding(
            "DYN-1",
            False,
            detail=bilingual(
                f"{deadline.isoformat()}不在名单上，无需填报{report_year}年度动态管理表",
                f"not on the list on {deadline.isoformat()}: no {report_year} table owed",
            ),
        )
    if day <= deadline:
        return Finding(
            "DYN-1",
            False,
            detail=bilingual(
                f"{report_year}年度动态管理表截止日期{deadline.isoformat()}未到",
                f"the {report_year} table is due on {deadline.isoformat()}, not yet passed",
            ),
        )
    filing = listing.filings.get(report_year)
    if filing is not None and filing.submitted_on <= deadline:
        return Finding(
            "DYN-1",
            False,
            because=(EventRef(listing.id, filing.version),),
            detail=bilingual(
                f"已于{filing.submitted_on.isoformat()}按期填报{report_year}年度动态管理表",
                f"the {report_year} table was filed on {filing.submitted_on.isoformat()}, in time",
            ),
        )
    submitted = filing.submitted_on.isoformat() if filing is not None else None
    late_zh = f"，{submitted}逾期提交" if submitted else ""
    late_en = f"; filed late on {submitted}" if submitted else ""
    because = (EventRef(listing.id, listing.listed_version),) if listing.listed_version else ()
    return Finding(
        "DYN-1",
        True,
        because=because,
        detail=bilingual(
            f"{report_year}年度动态管理表截止{deadline.isoformat()}（依据{basis}）未提交{late_zh}",
            f"no {report_year} table by {deadline.isoformat()} (due per {basis}){late_en}",
        ),
    )


def listing_filing_deadline(
    rulebook: Rulebook, listing: Listing, report_year: int
) -> tuple[date, str]:
    """The day `report_year`'s table of this listing is due, and the citation: from 13号 on, a
    unit on a province's own lists files by the province's date where its 实施细则 sets one."""
    own = (
        own_filing_deadline(listing.level, listing.region, report_year)
        if rulebook.number >= 2024
        else None
    )
    if own is not None:
        return own
    return rulebook.filing_deadline(report_year), rulebook.filing_deadline_basis(report_year)


@dataclass(frozen=True)
class OverdueFiling:
    """A listing to record as overdue for the year, with the finding that says so."""

    listing: Listing
    finding: Finding


def overdue_filings(
    rulebook: Rulebook, listings: Iterable[Listing], report_year: int, day: date
) -> list[OverdueFiling]:
    """Among `listings`, those still on the list, not yet recorded overdue, that DYN-1 finds
    overdue for `report_year` on `day`."""
    found = []
    for listing in listings:
        if not listing.is_on_list or report_year in listing.overdue_years:
            continue
        finding = filing_overdue(rulebook, listing, report_year, day)
        if finding.applies:
            found.append(OverdueFiling(listing, finding))
    return found


# -- DYN-2: indicators, on-site assessment, proposal, removal ------------------------------------


def filing_review(
    rulebook: Rulebook, listing: Listing, report_year: int, outcome: FilingOutcome
) -> Finding:
    """DYN-2: a non-compliant review of the filing calls for an on-site assessment."""
    filing = listing.filings.get(report_year)
    if filing is None:  # the listing refuses the review of a year never filed
        return Finding("DYN-2", False, detail=bilingual("未填报", "not filed"))
    because = (EventRef(listing.id, filing.version),)
    if outcome is FilingOutcome.NON_COMPLIANT:
        return Finding(
            "DYN-2",
            True,
            because=because,
            detail=bilingual(
                f"{report_year}年度关键指标不满足评价要求，须组织现场评估",
                f"{report_year} key indicators fall short: an on-site assessment is due",
            ),
        )
    return Finding(
        "DYN-2",
        False,
        because=because,
        detail=bilingual(f"{report_year}年度关键指标符合要求", f"{report_year} indicators comply"),
    )


def assessment_conclusion(
    rulebook: Rulebook, listing: Listing, assessment_id: UUID, outcome: AssessmentOutcome
) -> Finding:
    """DYN-2: an on-site assessment that does not meet the requirements leads to a proposal."""
    record = listing.assessments.get(assessment_id)
    if record is None:  # the listing refuses the conclusion of an assessment never ordered
        return Finding("DYN-2", False, detail=bilingual("未组织现场评估", "never ordered"))
    because = (EventRef(listing.id, record.version),)
    if outcome is AssessmentOutcome.DOES_NOT_MEET:
        return Finding(
            "DYN-2",
            True,
            because=because,
            detail=bilingual(
                "现场评估不符合要求，由省级主管部门提出调整意见",
                "the on-site assessment does not meet the requirements: the province proposes",
            ),
        )
    return Finding(
        "DYN-2",
        False,
        because=because,
        detail=bilingual(f"现场评估结论：{outcome.label_zh}", f"assessment: {outcome.value}"),
    )


def indicators_short(rulebook: Rulebook, listing: Listing) -> Finding:
    """DYN-2 for a proposal: the last concluded assessment of this membership does not meet."""
    last = _last_concluded(listing)
    if last is None or last.outcome is not AssessmentOutcome.DOES_NOT_MEET:
        return Finding("DYN-2", False, detail=_no_failed_assessment(last))
    return Finding(
        "DYN-2",
        True,
        because=(EventRef(listing.id, last.concluded_version or last.version),),
        detail=bilingual(
            f"{_day(last.concluded_on)}现场评估不符合要求",
            f"the on-site assessment of {_day(last.concluded_on)} does not meet the requirements",
        ),
    )


def indicator_removal(rulebook: Rulebook, listing: Listing) -> Finding:
    """DYN-2 for a removal for indicators: an assessment concluded `does_not_meet`, then the
    province proposed removal."""
    last = _last_concluded(listing)
    if last is None or last.outcome is not AssessmentOutcome.DOES_NOT_MEET:
        return Finding("DYN-2", False, detail=_no_failed_assessment(last))
    concluded = last.concluded_version or last.version
    proposal = next(
        (
            p
            for p in reversed(listing.proposals)
            if p.action is ProposalAction.REMOVE and p.version > concluded
        ),
        None,
    )
    if proposal is None:
        return Finding(
            "DYN-2",
            False,
            because=(EventRef(listing.id, concluded),),
            detail=bilingual(
                "现场评估不符合要求，但省级主管部门尚未提出移出意见",
                "the assessment does not meet, but the province has not proposed removal",
            ),
        )
    return Finding(
        "DYN-2",
        True,
        because=(EventRef(listing.id, concluded), EventRef(listing.id, proposal.version)),
        detail=bilingual(
            f"{_day(last.concluded_on)}现场评估不符合要求，{proposal.proposed_on.isoformat()}"
            "省级主管部门提出移出",
            f"assessment of {_day(last.concluded_on)} does not meet; the province proposed "
            f"removal on {proposal.proposed_on.isoformat()}",
        ),
    )


# -- DYN-3 / DYN-4: incidents ---------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentConsequence:
    removes: bool
    flags: bool
    findings: tuple[Finding, ...]
    summary: str


def incident_consequence(
    rulebook: Rulebook, enterprise: Enterprise, incident_id: UUID
) -> IncidentConsequence:
    """What a newly recorded incident does to the enterprise's listings on the list.

    DYN-4 (2024 on) removes at once for the gravest accidents. Any other incident flags the
    listings for the province's proposal and the ministry's decision, with what it is: a ground for
    removal under DYN-3 (reported, to be removed — with DYN-4's "at the next list" from 2024 on),
    an incident of a reportable kind below the rulebook's grade (2020), or the negative-list rule
    its kind falls under. Before 2020 no rule reads it: the incident flags, with no findings.
    """
    record = enterprise.incidents[incident_id]
    because = (EventRef(enterprise.id, record.version),)
    what_zh, what_en = _incident_words(record)
    removes = rulebook.enforces("DYN-4") and rulebook.removes_at_once(record.kind, record.grade)
    findings: list[Finding] = []
    if rulebook.enforces("DYN-3") and record.kind in rulebook.reportable_kinds:
        findings.append(_ground(rulebook, record, because, what_zh, what_en, removes))
    else:
        findings.extend(_negative_list_finding(rulebook, record, because, what_zh, what_en))
    if rulebook.enforces("DYN-4"):
        findings.append(
            Finding(
                "DYN-4",
                removes,
                because=because,
                detail=bilingual(
                    f"{what_zh}，" + ("立即移出" if removes else "在下一年度名单发布时移出"),
                    f"{what_en}: "
                    + ("removed at once" if removes else "removal takes effect with the next list"),
                ),
            )
        )
    summary = bilingual(
        f"{what_zh}：" + ("立即移出" if removes else "待核查"),
        f"{what_en}: " + ("removed at once" if removes else "flagged for proposal and decision"),
    )
    return IncidentConsequence(removes, not removes, tuple(findings), summary)


def _ground(
    rulebook: Rulebook,
    record: IncidentRecord,
    because: tuple[EventRef, ...],
    what_zh: str,
    what_en: str,
    removes: bool,
) -> Finding:
    """DYN-3 for an incident of a reportable kind: a ground for removal, or below the grade."""
    if not rulebook.is_removal_ground(record.kind, record.grade):
        grade = rulebook.removal_grade
        shown = grade.label_zh if grade else ""
        return Finding(
            "DYN-3",
            False,
            because=because,
            detail=bilingual(
                f"{what_zh}，未达{shown}及以上，不构成移出依据",
                f"{what_en}: below {grade.value if grade else 'the'} grade, not a ground for "
                "removal",
            ),
        )
    return Finding(
        "DYN-3",
        True,
        because=because,
        detail=bilingual(
            f"{what_zh}，" + ("予以剔除" if removes else "报工信部，予以剔除（待移出决定）"),
            f"{what_en}: "
            + ("removed" if removes else "reported to the ministry, to be removed by its decision"),
        ),
    )


def incidents_reported(rulebook: Rulebook, enterprise: Enterprise, day: date) -> Finding:
    """DYN-3: the standing incidents within the look-back that are grounds for removal."""
    records = sorted(
        (
            r
            for r in enterprise.incidents.values()
            if r.standing
            and rulebook.is_removal_ground(r.kind, r.grade)
            and r.occurred_on <= day <= rulebook.bar_end(r.occurred_on)
        ),
        key=lambda r: r.version,
    )
    if not records:
        return Finding(
            "DYN-3",
            False,
            detail=bilingual(
                "近三年内无构成移出依据的事故或偷漏税记录",
                "no accident or tax evasion on record within the last three years that is a "
                "ground for removal",
            ),
        )
    words = [_incident_words(r) for r in records]
    return Finding(
        "DYN-3",
        True,
        because=tuple(EventRef(enterprise.id, r.version) for r in records),
        detail=bilingual(
            "、".join(zh for zh, _ in words) + "，予以剔除",
            "; ".join(en for _, en in words) + ": removed",
        ),
    )


def removal_timing(rulebook: Rulebook, enterprise: Enterprise, day: date) -> Finding:
    """DYN-4 for a removal for an incident: whether one of the incidents removes at once."""
    graver = sorted(
        (
            r
            for r in enterprise.incidents.values()
            if r.standing
            and r.occurred_on <= day <= rulebook.bar_end(r.occurred_on)
            and rulebook.removes_at_once(r.kind, r.grade)
        ),
        key=lambda r: r.version,
    )
    if not graver:
        return Finding(
            "DYN-4",
            False,
            detail=bilingual(
                "无重大及以上事故，在下一年度名单发布时移出",
                "no major or graver accident: removal takes effect with the next list",
            ),
        )
    return Finding(
        "DYN-4",
        True,
        because=tuple(EventRef(enterprise.id, r.version) for r in graver),
        detail=bilingual("重大及以上事故，立即移出", "major or graver accident: removed at once"),
    )


# -- REV-1: the 2020 re-review of batches 1 and 2 ------------------------------------------------

#: REV-1: the batches whose units 30号 re-reviews.
RE_REVIEWED_BATCHES = (1, 2)


def re_review(rulebook: Rulebook, listing: Listing) -> Finding:
    """REV-1 for a removal for indicators: a unit of batch 1 or 2 whose last on-site assessment
    (the re-review) did not meet the requirements."""
    if listing.batch_year not in RE_REVIEWED_BATCHES:
        return Finding(
            "REV-1",
            False,
            detail=bilingual(
                f"{batch_label(listing.batch_year)}单位不在复核范围（第一、二批）",
                f"{batch_label_en(listing.batch_year)} is not re-reviewed (batches 1 and 2 are)",
            ),
        )
    last = _last_concluded(listing)
    if last is None or last.outcome is not AssessmentOutcome.DOES_NOT_MEET:
        return Finding("REV-1", False, detail=_no_failed_assessment(last))
    return Finding(
        "REV-1",
        True,
        because=(EventRef(listing.id, last.concluded_version or last.version),),
        detail=bilingual(
            f"{_day(last.concluded_on)}复核不合格",
            f"the re-review of {_day(last.concluded_on)} failed",
        ),
    )


# -- DYN-1 for a removal for refused filing -------------------------------------------------------


def filings_refused(rulebook: Rulebook, listing: Listing) -> Finding:
    """DYN-1 for a removal for refusing to file: overdue years still without a filing."""
    missing = sorted(year for year in listing.overdue_years if year not in listing.filings)
    if not missing:
        return Finding(
            "DYN-1",
            False,
            detail=bilingual("无逾期未填报的年度", "no overdue year without a filing"),
        )
    years = ", ".join(str(year) for year in missing)
    return Finding(
        "DYN-1",
        True,
        because=tuple(EventRef(listing.id, listing.overdue_years[year]) for year in missing),
        detail=bilingual(
            f"{years}年度动态管理表逾期未填报", f"no table filed for {years} after the deadline"
        ),
    )


# -- DYN-5: changes -------------------------------------------------------------------------------


def change_not_compliant(rulebook: Rulebook, listing: Listing, enterprise: Enterprise) -> Finding:
    """DYN-5: a change during the membership (a new name, a rename proposal), after which the
    province, having verified it, proposed removal."""
    start = listing.listed_on or listing.nominated_on
    changes: list[tuple[date, EventRef]] = [
        (name.since, EventRef(enterprise.id, name.version))
        for name in enterprise.names[1:]
        if name.since >= start
    ]
    changes.extend(
        (p.proposed_on, EventRef(listing.id, p.version))
        for p in listing.proposals
        if p.action is ProposalAction.RENAME and p.version > listing.nominated_version
    )
    if not changes:
        return Finding(
            "DYN-5",
            False,
            detail=bilingual("名单期内无更名等变更", "no change declared during the membership"),
        )
    first_day, _ = min(changes, key=lambda change: change[0])
    removal = next(
        (
            p
            for p in reversed(listing.proposals)
            if p.action is ProposalAction.REMOVE
            and p.version > listing.nominated_version
            and p.proposed_on >= first_day
        ),
        None,
    )
    refs = tuple(ref for _, ref in sorted(changes, key=lambda change: change[0]))
    if removal is None:
        return Finding(
            "DYN-5",
            False,
            because=refs,
            detail=bilingual(
                "已申报变更，核实后未提出移出", "change declared; no removal proposed after it"
            ),
        )
    return Finding(
        "DYN-5",
        True,
        because=(*refs, EventRef(listing.id, removal.version)),
        detail=bilingual(
            f"变更后不再符合要求，{removal.proposed_on.isoformat()}省级主管部门提出移出",
            f"no longer complies after the change; removal proposed on "
            f"{removal.proposed_on.isoformat()}",
        ),
    )


# -- helpers --------------------------------------------------------------------------------------


def _last_concluded(listing: Listing) -> AssessmentRecord | None:
    concluded = [
        a
        for a in listing.assessments.values()
        if a.concluded_version is not None and a.concluded_version > listing.nominated_version
    ]
    return max(concluded, key=lambda a: a.concluded_version or 0) if concluded else None


def _no_failed_assessment(last: AssessmentRecord | None) -> str:
    if last is None:
        return bilingual("本期未完成现场评估", "no on-site assessment concluded in this membership")
    outcome = last.outcome.value if last.outcome else "open"
    return bilingual(
        f"最近一次现场评估结论：{last.outcome.label_zh if last.outcome else '未完成'}",
        f"the last on-site assessment: {outcome}",
    )


def _incident_words(record: IncidentRecord) -> tuple[str, str]:
    grade_zh = f"{record.grade.label_zh}" if record.grade else ""
    grade_en = f" of grade {record.grade.value}" if record.grade else ""
    return (
        f"{record.occurred_on.isoformat()}发生{grade_zh}{record.kind.label_zh}",
        f"{INCIDENT_EN[record.kind]}{grade_en} on {record.occurred_on.isoformat()}",
    )


def _negative_list_finding(
    rulebook: Rulebook,
    record: IncidentRecord,
    because: tuple[EventRef, ...],
    what_zh: str,
    what_en: str,
) -> Sequence[Finding]:
    for rule_id, _ in NEGATIVE_LIST:
        if record.kind in INCIDENT_KINDS.get(rule_id, frozenset()) and rulebook.enforces(rule_id):
            return (
                Finding(
                    rule_id,
                    True,
                    because=because,
                    detail=bilingual(f"{what_zh}，触及负面清单", f"{what_en}: negative list"),
                ),
            )
    return ()
