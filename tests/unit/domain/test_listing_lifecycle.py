"""The lifecycle of a listing: each command's events, and the state they fold to.

nominated → listed → filing → review → flagged → on-site assessment → proposal → retained | removed
(design.md; 工信厅节函〔2022〕235号 二).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.ledger import Ledger
from domain.listing import Listing
from domain.values import (
    AssessmentOutcome,
    Category,
    FilingOutcome,
    Level,
    ListingStatus,
    Period,
    Product,
    ProposalAction,
    RemovalReason,
)
from tests.builders import (
    ANNOUNCEMENT,
    by_ministry,
    by_province,
    energy,
    listed_factory,
    nominate,
    on_provincial_list,
    open_batch,
    publish,
    register,
)


def topics_since(ledger: Ledger, position: int) -> list[str]:
    """The event types stored after `position`, in order, e.g. ['Listing.Listed']."""
    notifications = ledger.recorder.select_notifications(
        start=position, limit=1000, inclusive_of_start=False
    )
    return [n.topic.split(":")[1] for n in notifications]


def test_a_nomination_records_the_listing_the_enterprise_and_the_batch(ledger: Ledger) -> None:
    enterprise_id = register(ledger)
    open_batch(ledger)
    before = ledger.position

    listing_id = nominate(ledger, enterprise_id, day=date(2022, 10, 20))

    assert topics_since(ledger, before) == [
        "Listing.Nominated",
        "Enterprise.Nominated",
        "Batch.NominationReceived",
    ]
    listing = ledger.get_listing(listing_id)
    assert listing.status is ListingStatus.NOMINATED
    assert listing.enterprise_id == enterprise_id
    assert listing.category is Category.GREEN_FACTORY
    assert listing.level is Level.NATIONAL
    assert listing.region.code == "320000"
    assert listing.batch_year == 2022
    assert listing.nominated_on == date(2022, 10, 20)
    assert ledger.get_enterprise(enterprise_id).listing_ids == (listing_id,)
    assert listing_id in ledger.get_batch(Level.NATIONAL, 2022).nominations


def test_every_event_carries_both_times_actor_and_basis(ledger: Ledger) -> None:
    enterprise_id = register(ledger)
    open_batch(ledger)
    listing_id = nominate(ledger, enterprise_id, day=date(2022, 10, 20))

    (nominated,) = list(ledger.repository.event_store.get(listing_id))

    assert isinstance(nominated, Listing.Nominated)
    assert nominated.effective_on == date(2022, 10, 20)
    assert nominated.timestamp.tzinfo is not None
    assert nominated.actor == "province:320000"
    assert nominated.basis[0].doc_no == "苏工信节能〔2023〕12号"


def test_a_publication_lists_and_rejects_nominations_of_its_batch_atomically(
    ledger: Ledger,
) -> None:
    open_batch(ledger)
    approved = nominate(ledger, register(ledger, "甲钢铁有限公司"))
    turned_down = nominate(ledger, register(ledger, "乙化工有限公司"))
    before = ledger.position

    publish(ledger, [approved], rejected=[turned_down], day=date(2023, 3, 23))

    assert sorted(topics_since(ledger, before)) == [
        "Batch.Published",
        "Listing.Listed",
        "Listing.Rejected",
    ]
    listed = ledger.get_listing(approved)
    assert listed.status is ListingStatus.LISTED
    assert listed.listed_on == date(2023, 3, 23)
    assert listed.periods == (Period(date(2023, 3, 23), None, 2022),)
    assert ledger.get_listing(turned_down).status is ListingStatus.REJECTED
    (publication,) = ledger.get_batch(Level.NATIONAL, 2022).publications
    assert publication.listed == (approved,)
    assert publication.announcement == ANNOUNCEMENT


def test_a_filing_and_its_compliant_review_keep_the_unit_listed(ledger: Ledger) -> None:
    unit = listed_factory(ledger)

    ledger.submit_filing(
        unit.listing_id,
        report_year=2023,
        indicators=energy("498.0"),
        provenance=by_province(date(2024, 4, 10)),
    )
    ledger.review_filing(
        unit.listing_id,
        report_year=2023,
        outcome="compliant",
        provenance=by_province(date(2024, 5, 10)),
    )

    listing = ledger.get_listing(unit.listing_id)
    assert listing.status is ListingStatus.LISTED
    assert listing.last_filing_year == 2023
    filing = listing.filings[2023]
    assert filing.outcome is FilingOutcome.COMPLIANT
    assert str(filing.indicators["energy_per_unit_product"].value) == "498.0"


def removal_after_assessment(ledger: Ledger) -> tuple[UUID, UUID]:
    unit = listed_factory(ledger)
    ledger.submit_filing(
        unit.listing_id,
        report_year=2023,
        indicators=energy("720.5"),
        provenance=by_province(date(2024, 4, 10)),
    )
    ledger.review_filing(
        unit.listing_id,
        report_year=2023,
        outcome="non_compliant",
        findings=["单位产品综合能耗高于标杆值"],
        provenance=by_province(date(2024, 5, 10)),
    )
    assessment = ledger.order_assessment(
        unit.listing_id, reason="关键指标不达标", provenance=by_province(date(2024, 5, 20))
    )
    assert assessment.id is not None
    return unit.listing_id, assessment.id


def test_the_dynamic_management_path_from_flag_to_removal(ledger: Ledger) -> None:
    listing_id, assessment_id = removal_after_assessment(ledger)
    assert ledger.get_listing(listing_id).status is ListingStatus.UNDER_ASSESSMENT

    ledger.conclude_assessment(
        listing_id,
        assessment_id,
        outcome="does_not_meet",
        findings=["能效未达到标杆水平"],
        provenance=by_province(date(2024, 6, 15)),
    )
    assert ledger.get_listing(listing_id).status is ListingStatus.FLAGGED
    ledger.propose_adjustment(
        listing_id,
        action="remove",
        reasons=["现场评估不符合要求"],
        provenance=by_province(date(2024, 7, 1)),
    )
    assert ledger.get_listing(listing_id).status is ListingStatus.REMOVAL_PROPOSED
    ledger.remove_listing(
        listing_id,
        reasons=["indicators"],
        announcement=ANNOUNCEMENT,
        provenance=by_ministry(date(2025, 1, 22)),
    )

    listing = ledger.get_listing(listing_id)
    assert listing.status is ListingStatus.REMOVED
    assert listing.removed_on == date(2025, 1, 22)
    assert listing.barred_until == date(2028, 1, 21)
    assert listing.periods == (Period(date(2023, 3, 23), date(2025, 1, 22), 2022),)
    assert listing.assessments[assessment_id].outcome is AssessmentOutcome.DOES_NOT_MEET
    assert [p.action for p in listing.proposals] == [ProposalAction.REMOVE]
    assert listing.removals[-1].reasons == (RemovalReason.INDICATORS,)
    assert not listing.listed_on_day(date(2025, 1, 22))
    assert listing.listed_on_day(date(2025, 1, 21))


def test_an_assessment_that_finds_the_unit_meets_the_requirements_clears_its_flag(
    ledger: Ledger,
) -> None:
    listing_id, assessment_id = removal_after_assessment(ledger)

    ledger.conclude_assessment(
        listing_id, assessment_id, outcome="meets", provenance=by_province(date(2024, 6, 15))
    )

    listing = ledger.get_listing(listing_id)
    assert listing.status is ListingStatus.LISTED
    assert listing.flags == ()
    assert listing.open_assessment is None


def test_a_rectification_requirement_keeps_the_unit_flagged_and_pending(ledger: Ledger) -> None:
    listing_id, assessment_id = removal_after_assessment(ledger)

    ledger.conclude_assessment(
        listing_id,
        assessment_id,
        outcome="rectification_required",
        provenance=by_province(date(2024, 6, 15)),
    )

    listing = ledger.get_listing(listing_id)
    assert listing.status is ListingStatus.FLAGGED
    assert listing.rectification_pending


def test_a_retain_proposal_returns_a_flagged_unit_to_the_list(ledger: Ledger) -> None:
    listing_id, assessment_id = removal_after_assessment(ledger)
    ledger.conclude_assessment(
        listing_id, assessment_id, outcome="does_not_meet", provenance=by_province(date(2024, 6, 1))
    )

    ledger.propose_adjustment(
        listing_id,
        action="retain",
        reasons=["已完成整改"],
        provenance=by_province(date(2024, 8, 1)),
    )

    assert ledger.get_listing(listing_id).status is ListingStatus.LISTED


def test_a_rescinded_removal_is_void_and_the_membership_continues(ledger: Ledger) -> None:
    unit = listed_factory(ledger)
    ledger.remove_listing(
        unit.listing_id, reasons=["falsified_data"], provenance=by_ministry(date(2024, 3, 1))
    )

    ledger.rescind_removal(
        unit.listing_id, reason="数据经复核属实，移出有误", provenance=by_ministry(date(2024, 4, 1))
    )

    listing = ledger.get_listing(unit.listing_id)
    assert listing.status is ListingStatus.LISTED
    assert listing.removed_on is None
    assert listing.barred_until is None
    assert listing.periods == (Period(date(2023, 3, 23), None, 2022),)
    assert listing.removals[-1].rescinded_version is not None


def test_an_overdue_filing_is_recorded_as_a_flag(ledger: Ledger) -> None:
    unit = listed_factory(ledger)

    ledger.record_filing_overdue(
        unit.listing_id, report_year=2023, provenance=by_ministry(date(2024, 4, 16))
    )

    listing = ledger.get_listing(unit.listing_id)
    assert listing.filing_overdue
    assert listing.overdue_years.keys() == {2023}


def test_a_late_filing_clears_the_overdue_flag(ledger: Ledger) -> None:
    unit = listed_factory(ledger)
    ledger.record_filing_overdue(
        unit.listing_id, report_year=2023, provenance=by_ministry(date(2024, 4, 16))
    )

    ledger.submit_filing(
        unit.listing_id,
        report_year=2023,
        indicators=energy(),
        provenance=by_province(date(2024, 5, 1)),
    )

    assert not ledger.get_listing(unit.listing_id).filing_overdue


def test_a_removed_unit_nominated_again_starts_a_new_membership_period(ledger: Ledger) -> None:
    unit = listed_factory(ledger)
    ledger.remove_listing(
        unit.listing_id, reasons=["withdrawn"], provenance=by_ministry(date(2024, 1, 10))
    )
    open_batch(ledger, year=2025, day=date(2025, 9, 1))
    on_provincial_list(ledger, unit.enterprise_id, date(2025, 9, 15))  # REC-2 (390号)

    again = nominate(ledger, unit.enterprise_id, year=2025, day=date(2025, 10, 1))
    publish(ledger, [again], year=2025, day=date(2026, 3, 20))

    assert again == unit.listing_id
    listing = ledger.get_listing(again)
    assert listing.status is ListingStatus.LISTED
    assert listing.batch_year == 2025
    assert listing.periods == (
        Period(date(2023, 3, 23), date(2024, 1, 10), 2022),
        Period(date(2026, 3, 20), None, 2025),
    )


def test_a_withdrawal_does_not_bar_a_new_application(ledger: Ledger) -> None:
    unit = listed_factory(ledger)

    ledger.remove_listing(
        unit.listing_id, reasons=["withdrawn"], provenance=by_ministry(date(2024, 1, 10))
    )

    assert ledger.get_listing(unit.listing_id).barred_until is None


def test_a_design_product_is_keyed_by_its_product_and_model(ledger: Ledger) -> None:
    enterprise_id = register(ledger, "广州立白企业集团有限公司", "440000")
    open_batch(ledger)

    def nominate_product(model: str) -> UUID:
        receipt = ledger.nominate_listing(
            enterprise_id=enterprise_id,
            category="green_design_product",
            level="national",
            batch_year=2022,
            product=Product("威王厨房清洁剂", model, "GB/T 32163.1-2015"),
            provenance=by_province(date(2022, 10, 1), "440000"),
        )
        assert receipt.id is not None
        return receipt.id

    first, second = nominate_product("500g"), nominate_product("1kg")

    assert first != second
    assert isinstance(ledger.get_listing(first), Listing)
    assert ledger.get_listing(second).product == Product(
        "威王厨房清洁剂", "1kg", "GB/T 32163.1-2015"
    )
