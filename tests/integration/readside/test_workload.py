"""An assessor's workload: evaluations per batch against its group's cap (EVAL-4), its pass rate,
and whether it is blacklisted (EVAL-2)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.errors import AssessorNotFoundError
from domain.ledger import Ledger
from domain.values import Provenance, Reference
from readside.assessors.queries import get_assessor_workload
from tests.builders import (
    VALID_USCC,
    by_ministry,
    by_province,
    confirm_citations,
    open_batch,
    publish,
    register,
)
from tests.integration.readside.conftest import ReadSide
from tests.unit.rules.rule_ledger import evaluated, evaluator


def assessor(ledger: Ledger, uscc: str, name: str) -> UUID:
    receipt = ledger.register_assessor(
        name=name,
        uscc=uscc,
        group="中环集团",
        senior_staff=6,
        intermediate_staff=12,
        provenance=Provenance(actor="ministry", effective_on=date(2022, 9, 1)),
    )
    assert receipt.id is not None
    return receipt.id


def evaluate(ledger: Ledger, assessor_id: UUID, name: str, conclusion: str) -> None:
    listing = ledger.nominate_listing(
        enterprise_id=register(ledger, name),
        category="green_factory",
        level="national",
        batch_year=2022,
        provenance=by_province(date(2022, 10, 20)),
    )
    assert listing.id is not None
    ledger.report_evaluation(
        assessor_id,
        listing_id=listing.id,
        conclusion=conclusion,
        report=Reference(doc_no=f"评价报告-{name}"),
        provenance=by_province(date(2022, 10, 25)),
    )


def test_an_assessor_workload_counts_its_evaluations_against_its_group_cap(
    read_side: ReadSide,
) -> None:
    ledger = read_side.ledger
    open_batch(ledger)
    first = assessor(ledger, VALID_USCC[0], "中环评价（北京）有限公司")
    affiliate = assessor(ledger, VALID_USCC[1], "中环评价（上海）有限公司")
    evaluate(ledger, first, "甲公司", "pass")
    evaluate(ledger, first, "乙公司", "pass")
    evaluate(ledger, first, "丙公司", "fail")
    evaluate(ledger, affiliate, "丁公司", "pass")
    read_side.catch_up()

    workload = get_assessor_workload(read_side.views, first, on=date(2023, 1, 1))

    assert (workload.name, workload.group) == ("中环评价（北京）有限公司", "中环集团")
    (batch,) = workload.batches
    assert (batch.level, batch.batch_year, batch.evaluations, batch.passed) == (
        "national",
        2022,
        3,
        2,
    )
    assert batch.pass_rate == pytest.approx(2 / 3)
    assert (batch.group_evaluations, batch.cap, batch.remaining) == (4, 15, 11)
    assert (workload.evaluations, workload.passed, workload.blacklisted) == (3, 2, False)


def test_a_blacklisted_assessor_is_barred_through_the_end_date_unless_lifted(
    read_side: ReadSide,
) -> None:
    ledger = read_side.ledger
    assessor_id = assessor(ledger, VALID_USCC[0], "中环评价（北京）有限公司")
    ledger.blacklist_assessor(
        assessor_id, reason="弄虚作假", provenance=by_ministry(date(2024, 1, 10))
    )
    read_side.catch_up()

    during = get_assessor_workload(read_side.views, assessor_id, on=date(2027, 1, 9))
    after = get_assessor_workload(read_side.views, assessor_id, on=date(2027, 1, 10))
    ledger.lift_blacklist(assessor_id, reason="复核撤销", provenance=by_ministry(date(2024, 3, 1)))
    read_side.catch_up()
    lifted = get_assessor_workload(read_side.views, assessor_id, on=date(2024, 3, 1))

    assert (during.blacklisted, after.blacklisted, lifted.blacklisted) == (True, False, False)
    (blacklisting,) = lifted.blacklistings
    assert (blacklisting.since, blacklisting.until, blacklisting.lifted_on) == (
        date(2024, 1, 10),
        date(2027, 1, 9),
        date(2024, 3, 1),
    )
    assert lifted.batches == ()
    assert lifted.pass_rate is None


def test_an_unknown_assessor_is_not_found(read_side: ReadSide) -> None:
    with pytest.raises(AssessorNotFoundError):
        get_assessor_workload(read_side.views, uuid4())


# -- from 13号: the cap counts the bodies of one legal representative in a year (ADR 0155) ------


def test_from_13_hao_the_workload_counts_the_bodies_of_one_legal_representative(
    read_side: ReadSide,
) -> None:
    """Two bodies of different groups under one legal representative, and a third whose legal
    representative is not recorded: in the 2024 national round the first two count together
    (3 + 2 of 15), the third alone, as EVAL-4 counts them on that day (the rule itself:
    tests/unit/rules/test_corrections.py) — although the round was opened before 13号."""
    ledger = read_side.ledger
    day = date(2024, 5, 10)
    ledger.open_batch(level="national", batch_year=2024, provenance=by_ministry(date(2024, 1, 2)))
    first = evaluator(ledger, 1, "甲集团", representative="张三")
    second = evaluator(ledger, 2, "乙集团", representative="张三")
    alone = evaluator(ledger, 3, "甲集团")
    for number, who in enumerate((first, first, first, second, second, alone)):
        evaluated(ledger, number, who, 2024, day)
    for who in (first, second, alone):
        confirm_citations(ledger, who, day)
    read_side.catch_up()

    mine = get_assessor_workload(read_side.views, first, on=day).batches
    theirs = get_assessor_workload(read_side.views, second, on=day).batches
    its = get_assessor_workload(read_side.views, alone, on=day).batches

    assert [(b.batch_year, b.evaluations, b.group_evaluations, b.cap) for b in mine] == [
        (2024, 3, 5, 15)
    ]
    assert (mine[0].counted_by, mine[0].legal_representative, mine[0].remaining) == (
        "legal_representative",
        "张三",
        10,
    )
    assert [(b.evaluations, b.group_evaluations, b.legal_representative) for b in theirs] == [
        (2, 5, "张三")
    ]
    # 甲集团 counts 4 under 235号's rule, but from 13号 the body without a representative: 1.
    assert [(b.evaluations, b.group_evaluations, b.counted_by) for b in its] == [
        (1, 1, "legal_representative")
    ]


def test_before_13_hao_the_workload_counts_the_group_in_the_round(read_side: ReadSide) -> None:
    ledger = read_side.ledger
    day = date(2023, 10, 10)
    ledger.open_batch(level="national", batch_year=2023, provenance=by_ministry(date(2023, 9, 1)))
    first = evaluator(ledger, 1, "甲集团", representative="张三")
    affiliate = evaluator(ledger, 2, "甲集团", representative="李四")
    for number, who in enumerate((first, affiliate, affiliate)):
        evaluated(ledger, number, who, 2023, day)
    for who in (first, affiliate):
        confirm_citations(ledger, who, day)
    read_side.catch_up()

    (batch,) = get_assessor_workload(read_side.views, first, on=day).batches

    assert (batch.evaluations, batch.group_evaluations, batch.counted_by) == (1, 3, "group")
    assert batch.legal_representative is None


def test_a_round_published_before_13_hao_stays_counted_by_group_when_read_today(
    read_side: ReadSide,
) -> None:
    """Nothing is counted in a round after its publication: read in 2026, the 2022 round is
    counted as it was, by group, not by 13号's legal representative."""
    ledger = read_side.ledger
    open_batch(ledger)
    first = assessor(ledger, VALID_USCC[0], "中环评价（北京）有限公司")
    evaluate(ledger, first, "甲公司", "pass")
    publish(ledger, [], day=date(2023, 3, 23))
    read_side.catch_up()

    (batch,) = get_assessor_workload(read_side.views, first, on=date(2026, 6, 30)).batches

    assert (batch.batch_year, batch.counted_by, batch.group_evaluations, batch.cap) == (
        2022,
        "group",
        1,
        15,
    )
