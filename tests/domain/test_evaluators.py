"""Third-party evaluators (EVAL-1…4) as pure functions."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid5

from domain.rules import rulebook_named
from domain.rules.evaluators import blacklist, evaluations_cap, independence, qualifications
from domain.values import EventRef, Finding, ThirdPartyEvaluation
from tests.builders import VALID_USCC, by_ministry
from tests.domain.rule_facts import (
    SELF_EVALUATION,
    assessor,
    batch,
    enterprise,
    evaluation,
    nomination,
)

RULEBOOK_2022 = rulebook_named("2022")
DAY = timedelta(days=1)


def test_an_evaluator_other_than_the_applicant_is_independent() -> None:
    evaluator = assessor()
    applicant = enterprise(uscc=VALID_USCC[0])

    finding = independence(
        RULEBOOK_2022, evaluator, applicant, evaluation(evaluator), nomination(applicant)
    )

    assert not finding.applies
    assert finding.because == (EventRef(evaluator.id, 1),)


def test_an_applicant_evaluating_itself_is_not_independent() -> None:
    evaluator = assessor(uscc=VALID_USCC[0])
    applicant = enterprise(uscc=VALID_USCC[0])

    finding = independence(
        RULEBOOK_2022, evaluator, applicant, evaluation(evaluator), nomination(applicant)
    )

    assert finding.applies


def test_a_third_party_report_that_is_the_self_evaluation_is_not_independent() -> None:
    evaluator = assessor()
    applicant = enterprise()
    copied = ThirdPartyEvaluation(evaluator.id, SELF_EVALUATION, evaluation(evaluator).conclusion)

    finding = independence(RULEBOOK_2022, evaluator, applicant, copied, nomination(applicant))

    assert finding.applies


def test_a_blacklisted_evaluator_is_refused_through_the_last_day_and_accepted_after() -> None:
    evaluator = assessor()
    until = date(2025, 9, 30)
    evaluator.blacklist(
        reason="评价报告弄虚作假",
        until=until,
        rulebook="2022",
        rule_findings=(),
        provenance=by_ministry(date(2022, 10, 1)),
    )

    on_first_day = blacklist(RULEBOOK_2022, evaluator, date(2022, 10, 1))
    on_last_day = blacklist(RULEBOOK_2022, evaluator, until)
    day_after = blacklist(RULEBOOK_2022, evaluator, until + DAY)
    day_before = blacklist(RULEBOOK_2022, evaluator, date(2022, 9, 30))

    assert on_first_day.applies
    assert on_last_day.applies
    assert on_last_day.barred_until == until
    assert on_last_day.because == (EventRef(evaluator.id, 2),)
    assert not day_after.applies
    assert not day_before.applies


def test_a_lifted_blacklist_no_longer_refuses() -> None:
    evaluator = assessor()
    evaluator.blacklist(
        reason="评价报告弄虚作假",
        until=date(2025, 9, 30),
        rulebook="2022",
        rule_findings=(),
        provenance=by_ministry(date(2022, 10, 1)),
    )
    evaluator.lift_blacklist(reason="复核撤销", provenance=by_ministry(date(2023, 1, 1)))

    assert blacklist(RULEBOOK_2022, evaluator, date(2022, 12, 31)).applies
    assert not blacklist(RULEBOOK_2022, evaluator, date(2023, 1, 1)).applies


def test_an_evaluator_needs_ten_qualified_staff_of_whom_five_senior() -> None:
    meets = qualifications(RULEBOOK_2022, assessor(senior_staff=5, intermediate_staff=5))
    too_few = qualifications(RULEBOOK_2022, assessor(senior_staff=5, intermediate_staff=4))
    too_few_senior = qualifications(RULEBOOK_2022, assessor(senior_staff=4, intermediate_staff=9))

    assert not meets.applies
    assert too_few.applies
    assert too_few_senior.applies


def _cap(evaluations: int, group: str = "中环联合", asking: str = "中环联合") -> Finding:
    the_batch = batch()
    for n in range(evaluations):
        the_batch.count_evaluation(
            listing_id=uuid5(the_batch.id, str(n)),
            assessor_id=the_batch.id,
            evaluator_group=group,
            legal_representative=None,
            provenance=by_ministry(date(2022, 10, 1)),
        )
    the_assessor = assessor(group=asking)
    return evaluations_cap(RULEBOOK_2022, the_batch, the_assessor, uuid5(the_batch.id, "next"))


def test_a_group_fifteenth_evaluation_in_a_batch_is_within_the_cap() -> None:
    assert not _cap(14).applies


def test_a_group_sixteenth_evaluation_in_a_batch_exceeds_the_cap() -> None:
    finding = _cap(15)

    assert finding.applies
    assert len(finding.because) == 15


def test_another_group_evaluations_do_not_count_against_the_cap() -> None:
    assert not _cap(15, group="赛宝认证").applies
