"""Third-party evaluators (第三方评价机构): 工信厅节函〔2022〕235号 三, 工信部节〔2024〕13号
第二十条.

- EVAL-1 independence: the evaluator is not the applicant (a different credit code) and its report
  is not the applicant's self-evaluation (a different document).
- EVAL-2 an evaluator blacklisted for fraud or concealment: its results are not accepted from the
  blacklisting through `until`, its last day, unless the blacklist was lifted before.
- EVAL-3 at least 10 full-time staff with intermediate or higher titles (the registered senior
  plus intermediate staff), of whom at least 5 senior: the rulebook's minima.
- EVAL-4 under 235号 (三 末段) one legal person with its affiliates (the assessor's group) carries
  out at most 15 evaluations per batch; from 13号 on (第二十条) the bodies with the same legal
  representative carry out at most 15 national-level evaluation projects a year — the yearly
  national round — and a body whose legal representative is not recorded counts alone (the
  finding says so). The 16th is refused.
- EVAL-5 (the yearly work report) has no function: the ledger records no work reports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise
from domain.rules.categories import Nomination
from domain.rules.rulebook import CapBasis, Rulebook
from domain.rules.wording import bilingual
from domain.values import EventRef, Finding, Level, ThirdPartyEvaluation

#: The assessor's registration: the facts EVAL-1 and EVAL-3 rest on.
REGISTRATION_VERSION = 1


def independence(
    rulebook: Rulebook,
    assessor: Assessor,
    enterprise: Enterprise,
    evaluation: ThirdPartyEvaluation,
    nomination: Nomination,
) -> Finding:
    """EVAL-1: the evaluator is not the applicant and its report is not the self-evaluation."""
    because = (EventRef(assessor.id, REGISTRATION_VERSION),)
    if enterprise.uscc is not None and assessor.uscc == enterprise.uscc:
        return Finding(
            "EVAL-1",
            True,
            because=because,
            detail=bilingual(
                "评价机构与申报单位为同一法人", "the evaluator is the applicant itself"
            ),
        )
    if nomination.self_evaluation is not None and evaluation.report == nomination.self_evaluation:
        return Finding(
            "EVAL-1",
            True,
            because=because,
            detail=bilingual(
                "第三方评价报告即自评价报告",
                "the third-party report is the self-evaluation report",
            ),
        )
    return Finding(
        "EVAL-1",
        False,
        because=because,
        detail=bilingual(f"{assessor.name}独立评价", f"{assessor.name} evaluates independently"),
    )


def blacklist(rulebook: Rulebook, assessor: Assessor, day: date) -> Finding:
    """EVAL-2: whether the evaluator's results are refused on `day` (`until` is included)."""
    record = assessor.blacklisting_on(day)
    if record is None:
        return Finding(
            "EVAL-2",
            False,
            detail=bilingual(f"{assessor.name}未被列入黑名单", f"{assessor.name} not blacklisted"),
        )
    return Finding(
        "EVAL-2",
        True,
        because=(EventRef(assessor.id, record.version),),
        barred_until=record.until,
        detail=bilingual(
            f"{assessor.name}已列入黑名单，{record.until.isoformat()}前不采信其评价结果",
            f"{assessor.name} is blacklisted: its results are refused through "
            f"{record.until.isoformat()}",
        ),
    )


def blacklisting(rulebook: Rulebook, assessor: Assessor, since: date, until: date) -> Finding:
    """EVAL-2, as the blacklisting decision records it: results refused from `since` through
    `until`."""
    return Finding(
        "EVAL-2",
        True,
        barred_until=until,
        detail=bilingual(
            f"{since.isoformat()}起列入黑名单，{until.isoformat()}前不采信其评价结果",
            f"blacklisted from {since.isoformat()}: results refused through {until.isoformat()}",
        ),
    )


def qualifications(rulebook: Rulebook, assessor: Assessor) -> Finding:
    """EVAL-3: enough staff with intermediate or higher titles, enough of them senior."""
    qualified = assessor.senior_staff + assessor.intermediate_staff
    short = (
        qualified < rulebook.evaluator_min_staff
        or assessor.senior_staff < rulebook.evaluator_min_senior_staff
    )
    return Finding(
        "EVAL-3",
        short,
        because=(EventRef(assessor.id, REGISTRATION_VERSION),),
        detail=bilingual(
            f"中级及以上职称{qualified}人（须≥{rulebook.evaluator_min_staff}），其中高级"
            f"{assessor.senior_staff}人（须≥{rulebook.evaluator_min_senior_staff}）",
            f"{qualified} staff with intermediate or higher titles (at least "
            f"{rulebook.evaluator_min_staff}), {assessor.senior_staff} senior (at least "
            f"{rulebook.evaluator_min_senior_staff})",
        ),
    )


def evaluations_cap(
    rulebook: Rulebook, batch: Batch, assessor: Assessor, listing_id: UUID
) -> Finding:
    """EVAL-4: counting this evaluation, the evaluator stays within the cap, counted with the
    others the rulebook counts it with."""
    cap = rulebook.evaluation_cap
    if rulebook.evaluation_cap_basis is CapBasis.GROUP_PER_BATCH:
        entries = batch.evaluation_entries_by(assessor.group_key)
        whose_zh, whose_en, per_zh, per_en = (
            "同一法人（含关联机构）",
            "the group",
            "本批次",
            "batch",
        )
    elif batch.level is not Level.NATIONAL:
        return Finding(
            "EVAL-4",
            False,
            detail=bilingual(
                "非国家级评价项目，不计入上限", "not a national-level project: not capped"
            ),
        )
    else:
        representative = assessor.legal_representative
        entries = batch.evaluation_entries_represented_by(representative, assessor.id)
        whose_zh = (
            f"法定代表人{representative}的机构" if representative else "本机构（法定代表人未登记）"
        )
        whose_en = (
            f"the bodies of legal representative {representative}"
            if representative
            else "this body alone (its legal representative is not recorded)"
        )
        per_zh, per_en = "本年度", "year's national round"
    earlier = [entry for entry in entries if entry.listing_id != listing_id]
    count = len(earlier) + 1
    if count <= cap:
        return Finding(
            "EVAL-4",
            False,
            detail=bilingual(
                f"{whose_zh}{per_zh}第{count}个评价项目（上限{cap}个）",
                f"evaluation {count} of at most {cap} for {whose_en} in this {per_en}",
            ),
        )
    return Finding(
        "EVAL-4",
        True,
        because=tuple(EventRef(batch.id, entry.version) for entry in earlier),
        detail=bilingual(
            f"{whose_zh}{per_zh}已开展{len(earlier)}个评价项目，上限{cap}个",
            f"{whose_en} already carried out {len(earlier)} evaluations in this {per_en}; "
            f"at most {cap}",
        ),
    )


def evaluation_findings(
    rulebook: Rulebook,
    assessor: Assessor,
    enterprise: Enterprise,
    batch: Batch,
    evaluation: ThirdPartyEvaluation,
    nomination: Nomination,
    day: date,
) -> tuple[Finding, ...]:
    """EVAL-1 to EVAL-4 in force, for an evaluation of `nomination` reported on `day`."""
    checks: tuple[tuple[str, Callable[[], Finding]], ...] = (
        ("EVAL-1", lambda: independence(rulebook, assessor, enterprise, evaluation, nomination)),
        ("EVAL-2", lambda: blacklist(rulebook, assessor, day)),
        ("EVAL-3", lambda: qualifications(rulebook, assessor)),
        (
            "EVAL-4",
            lambda: evaluations_cap(rulebook, batch, assessor, nomination.listing_id),
        ),
    )
    return tuple(check() for rule_id, check in checks if rulebook.enforces(rule_id))
