"""Third-party assessors (工信厅节函〔2022〕235号 三) and recommendation batches."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.ledger import Ledger
from domain.values import EvaluationConclusion, Level, Reference, ThirdPartyEvaluation
from tests.builders import (
    VALID_USCC,
    by_assessor,
    by_ministry,
    by_province,
    register,
    stored_event_count,
)


def register_assessor(ledger: Ledger, group: str | None = "中环联合集团") -> UUID:
    receipt = ledger.register_assessor(
        name="中环联合（北京）认证中心有限公司",
        uscc=VALID_USCC[1],
        group=group,
        senior_staff=8,
        intermediate_staff=20,
        provenance=by_ministry(date(2022, 1, 1)),
    )
    assert receipt.id is not None
    return receipt.id


def test_registering_an_assessor_twice_writes_it_once(ledger: Ledger) -> None:
    first = register_assessor(ledger)

    again = register_assessor(ledger)

    assert again == first
    assert stored_event_count(ledger) == 1


def test_a_blacklisting_runs_three_years_by_default_and_bars_through_its_last_day(
    ledger: Ledger,
) -> None:
    assessor_id = register_assessor(ledger)

    ledger.blacklist_assessor(
        assessor_id, reason="评价报告弄虚作假", provenance=by_ministry(date(2023, 5, 10))
    )

    assessor = ledger.get_assessor(assessor_id)
    (record,) = assessor.blacklistings
    assert record.until == date(2026, 5, 9)
    assert assessor.blacklisting_on(date(2026, 5, 9)) == record
    assert assessor.blacklisting_on(date(2026, 5, 10)) is None
    assert assessor.blacklisting_on(date(2023, 5, 9)) is None


def test_a_lifted_blacklist_no_longer_bars(ledger: Ledger) -> None:
    assessor_id = register_assessor(ledger)
    ledger.blacklist_assessor(
        assessor_id, reason="评价报告弄虚作假", provenance=by_ministry(date(2023, 5, 10))
    )

    ledger.lift_blacklist(assessor_id, reason="复核撤销", provenance=by_ministry(date(2024, 1, 2)))

    assessor = ledger.get_assessor(assessor_id)
    assert assessor.blacklisting_on(date(2024, 1, 1)) is not None
    assert assessor.blacklisting_on(date(2024, 1, 2)) is None


def test_a_nomination_with_a_third_party_report_counts_against_the_group_in_its_batch(
    ledger: Ledger,
) -> None:
    assessor_id = register_assessor(ledger)
    enterprise_id = register(ledger)
    ledger.open_batch(level="national", batch_year=2022, provenance=by_ministry(date(2022, 9, 16)))
    report = Reference(doc_no="ZHLH-2022-0815", title="绿色工厂第三方评价报告")

    receipt = ledger.nominate_listing(
        enterprise_id=enterprise_id,
        category="green_factory",
        level="national",
        batch_year=2022,
        self_evaluation=Reference(title="绿色工厂自评价报告"),
        third_party_evaluation=ThirdPartyEvaluation(assessor_id, report, EvaluationConclusion.PASS),
        provenance=by_province(date(2022, 10, 20)),
    )

    assert receipt.id is not None
    assessor = ledger.get_assessor(assessor_id)
    assert assessor.evaluations == ()
    ((evaluation_id, cited),) = assessor.cited.items()
    assert evaluation_id in receipt.ids
    assert (cited.listing_id, cited.cited_by) == (receipt.id, "province:320000")
    assert ledger.get_batch(Level.NATIONAL, 2022).evaluations_by("中环联合集团") == 0

    confirmed = ledger.confirm_evaluation(
        assessor_id, evaluation_id, provenance=by_assessor(assessor_id, date(2022, 10, 22))
    )

    assert confirmed.written
    assessor = ledger.get_assessor(assessor_id)
    (evaluation,) = assessor.evaluations
    assert evaluation.listing_id == receipt.id
    assert evaluation.conclusion is EvaluationConclusion.PASS
    assert assessor.cited == {}
    batch = ledger.get_batch(Level.NATIONAL, 2022)
    assert batch.evaluations_by("中环联合集团") == 1
    assert ledger.get_listing(receipt.id).third_party_evaluation is not None


def test_opening_a_batch_again_writes_nothing(ledger: Ledger) -> None:
    first = ledger.open_batch(
        level="national", batch_year=2024, provenance=by_ministry(date(2024, 6, 1))
    )

    again = ledger.open_batch(
        level="national", batch_year=2024, provenance=by_ministry(date(2024, 7, 1))
    )

    assert again.id == first.id
    assert again.position is None
    batch = ledger.get_batch(Level.NATIONAL, 2024)
    assert batch.rulebook == "2024"
    assert batch.quotas["parks_per_region_per_year"] == 3
