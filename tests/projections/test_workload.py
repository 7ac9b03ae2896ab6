"""An assessor's workload: evaluations per batch against its group's cap (EVAL-4), its pass rate,
and whether it is blacklisted (EVAL-2)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.errors import AssessorNotFoundError
from domain.ledger import Ledger
from domain.values import Provenance, Reference
from readside.queries import get_assessor_workload
from tests.builders import VALID_USCC, by_ministry, by_province, open_batch, register
from tests.projections.conftest import ReadSide


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
