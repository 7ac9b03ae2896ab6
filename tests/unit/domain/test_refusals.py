"""Commands the lifecycle forbids, or whose input is bad, are refused by name and write nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from domain import errors
from domain.ledger import Ledger, RemovalRequest
from domain.values import Indicator, Reference
from tests.builders import (
    ANNOUNCEMENT,
    VALID_USCC,
    by_ministry,
    by_province,
    energy,
    listed_factory,
    nominate,
    open_batch,
    register,
    stored_event_count,
)

Command = Callable[[], object]


def nominated_only(ledger: Ledger) -> Command:
    enterprise_id = register(ledger)
    open_batch(ledger)
    listing_id = nominate(ledger, enterprise_id)
    return lambda: ledger.submit_filing(
        listing_id, report_year=2023, indicators=energy(), provenance=by_province(date(2023, 4, 1))
    )


def assessment_of_a_nomination(ledger: Ledger) -> Command:
    enterprise_id = register(ledger)
    open_batch(ledger)
    listing_id = nominate(ledger, enterprise_id)
    return lambda: ledger.order_assessment(
        listing_id, reason="指标异常", provenance=by_province(date(2023, 4, 1))
    )


def removal_of_a_removed_listing(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    ledger.remove_listing(
        unit.listing_id, reasons=["falsified_data"], provenance=by_ministry(date(2024, 1, 5))
    )
    return lambda: ledger.remove_listing(
        unit.listing_id, reasons=["falsified_data"], provenance=by_ministry(date(2024, 2, 5))
    )


def conclusion_of_an_assessment_never_ordered(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.conclude_assessment(
        unit.listing_id, uuid4(), outcome="meets", provenance=by_province(date(2024, 2, 5))
    )


def second_conclusion(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    ordered = ledger.order_assessment(
        unit.listing_id, reason="抽查", provenance=by_province(date(2024, 1, 5))
    )
    assert ordered.id is not None
    assessment_id = ordered.id
    ledger.conclude_assessment(
        unit.listing_id, assessment_id, outcome="meets", provenance=by_province(date(2024, 2, 5))
    )
    return lambda: ledger.conclude_assessment(
        unit.listing_id,
        assessment_id,
        outcome="does_not_meet",
        provenance=by_province(date(2024, 3, 5)),
    )


def second_open_assessment(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    ledger.order_assessment(
        unit.listing_id, reason="抽查", provenance=by_province(date(2024, 1, 5))
    )
    return lambda: ledger.order_assessment(
        unit.listing_id, reason="再次抽查", provenance=by_province(date(2024, 2, 5))
    )


def filing_for_a_year_before_the_listing(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)  # 2022 round, listed 2023-03-23
    return lambda: ledger.submit_filing(
        unit.listing_id,
        report_year=2021,
        indicators=energy(),
        provenance=by_province(date(2023, 4, 1)),
    )


def effective_date_before_the_listing(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.submit_filing(
        unit.listing_id,
        report_year=2023,
        indicators=energy(),
        provenance=by_province(date(2023, 3, 22)),
    )


def review_of_a_year_never_filed(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.review_filing(
        unit.listing_id,
        report_year=2024,
        outcome="compliant",
        provenance=by_province(date(2025, 5, 1)),
    )


def rescission_without_removal(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.rescind_removal(
        unit.listing_id, reason="误操作", provenance=by_ministry(date(2024, 5, 1))
    )


def publication_of_a_listing_not_nominated_in_the_batch(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.publish_batch(
        level="national",
        batch_year=2022,
        announcement=ANNOUNCEMENT,
        listed=[unit.listing_id],
        provenance=by_ministry(date(2023, 6, 1)),
    )


def nomination_of_a_listed_unit(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: nominate(ledger, unit.enterprise_id, day=date(2023, 10, 1))


def nomination_into_a_batch_never_opened(ledger: Ledger) -> Command:
    enterprise_id = register(ledger)
    return lambda: nominate(ledger, enterprise_id, year=2023)


def unknown_category(ledger: Ledger) -> Command:
    enterprise_id = register(ledger)
    open_batch(ledger)
    return lambda: nominate(ledger, enterprise_id, category="green_bank")


def design_product_without_its_product(ledger: Ledger) -> Command:
    enterprise_id = register(ledger)
    open_batch(ledger)
    return lambda: nominate(ledger, enterprise_id, category="green_design_product")


def unknown_batch_year(ledger: Ledger) -> Command:
    enterprise_id = register(ledger)
    return lambda: nominate(ledger, enterprise_id, year=7)


def unknown_indicator(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.submit_filing(
        unit.listing_id,
        report_year=2023,
        indicators={"happiness_index": Indicator(Decimal(9), "points")},
        provenance=by_province(date(2024, 4, 1)),
    )


def indicator_in_the_wrong_unit(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.submit_filing(
        unit.listing_id,
        report_year=2023,
        indicators={"energy_per_unit_product": Indicator(Decimal(512), "kWh/t")},
        provenance=by_province(date(2024, 4, 1)),
    )


def unknown_listing(ledger: Ledger) -> Command:
    return lambda: ledger.order_assessment(
        uuid4(), reason="抽查", provenance=by_province(date(2024, 1, 5))
    )


def same_listing_listed_and_removed(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.publish_batch(
        level="national",
        batch_year=2022,
        announcement=ANNOUNCEMENT,
        listed=[unit.listing_id],
        removed=[RemovalRequest(unit.listing_id, ())],
        provenance=by_ministry(date(2024, 1, 1)),
    )


def removal_without_reasons(ledger: Ledger) -> Command:
    unit = listed_factory(ledger)
    return lambda: ledger.remove_listing(
        unit.listing_id, reasons=[], provenance=by_ministry(date(2024, 1, 1))
    )


def incident_recorded_before_it_occurred(ledger: Ledger) -> Command:
    enterprise_id = register(ledger)
    return lambda: ledger.record_incident(
        enterprise_id,
        kind="quality",
        grade="minor",
        occurred_on=date(2024, 5, 1),
        source="gsxt",
        provenance=by_ministry(date(2024, 4, 1)),
    )


def second_retraction(ledger: Ledger) -> Command:
    enterprise_id = register(ledger)
    recorded = ledger.record_incident(
        enterprise_id,
        kind="quality",
        grade="minor",
        occurred_on=date(2024, 5, 1),
        source="gsxt",
        provenance=by_ministry(date(2024, 5, 2)),
    )
    assert recorded.id is not None
    incident_id = recorded.id
    ledger.retract_incident(
        enterprise_id, incident_id, reason="记录有误", provenance=by_ministry(date(2024, 6, 1))
    )
    return lambda: ledger.retract_incident(
        enterprise_id, incident_id, reason="再次撤回", provenance=by_ministry(date(2024, 7, 1))
    )


def blacklisting_that_ends_before_it_starts(ledger: Ledger) -> Command:
    assessor = ledger.register_assessor(
        name="某认证有限公司",
        uscc=VALID_USCC[2],
        senior_staff=6,
        intermediate_staff=12,
        provenance=by_ministry(date(2022, 1, 1)),
    )
    assert assessor.id is not None
    assessor_id = assessor.id
    return lambda: ledger.blacklist_assessor(
        assessor_id,
        reason="报告造假",
        until=date(2023, 1, 1),
        provenance=by_ministry(date(2024, 1, 1)),
    )


def lifting_a_blacklist_never_imposed(ledger: Ledger) -> Command:
    assessor = ledger.register_assessor(
        name="某认证有限公司",
        uscc=VALID_USCC[2],
        senior_staff=6,
        intermediate_staff=12,
        provenance=by_ministry(date(2022, 1, 1)),
    )
    assert assessor.id is not None
    assessor_id = assessor.id
    return lambda: ledger.lift_blacklist(
        assessor_id, reason="复核", provenance=by_ministry(date(2024, 1, 1))
    )


def reference_without_anything(ledger: Ledger) -> Command:
    return lambda: Reference()


REFUSALS: list[tuple[Callable[[Ledger], Command], type[errors.LedgerError], str | None]] = [
    (nominated_only, errors.ListingNotListedError, None),
    (assessment_of_a_nomination, errors.ListingNotListedError, None),
    (removal_of_a_removed_listing, errors.ListingAlreadyRemovedError, None),
    (conclusion_of_an_assessment_never_ordered, errors.AssessmentNotOrderedError, None),
    (second_conclusion, errors.AssessmentAlreadyConcludedError, None),
    (second_open_assessment, errors.AssessmentAlreadyOpenError, None),
    (filing_for_a_year_before_the_listing, errors.FilingYearBeforeListingError, "report_year"),
    (effective_date_before_the_listing, errors.EffectiveDateOrderError, "effective_on"),
    (review_of_a_year_never_filed, errors.FilingNotFoundError, None),
    (rescission_without_removal, errors.ListingNotRemovedError, None),
    (publication_of_a_listing_not_nominated_in_the_batch, errors.ListingNotNominatedError, None),
    (nomination_of_a_listed_unit, errors.ListingAlreadyActiveError, None),
    (nomination_into_a_batch_never_opened, errors.BatchNotFoundError, None),
    (unknown_category, errors.UnknownCodeError, "category"),
    (design_product_without_its_product, errors.InvalidInputError, "product"),
    (unknown_batch_year, errors.InvalidBatchYearError, "batch_year"),
    (unknown_indicator, errors.UnknownIndicatorError, "indicators.happiness_index"),
    (
        indicator_in_the_wrong_unit,
        errors.UnknownIndicatorError,
        "indicators.energy_per_unit_product.unit",
    ),
    (unknown_listing, errors.ListingNotFoundError, None),
    (same_listing_listed_and_removed, errors.InvalidInputError, "removed"),
    (removal_without_reasons, errors.EmptyValueError, "reasons"),
    (incident_recorded_before_it_occurred, errors.EffectiveDateOrderError, "effective_on"),
    (second_retraction, errors.IncidentAlreadyRetractedError, None),
    (blacklisting_that_ends_before_it_starts, errors.InvalidDateRangeError, "until"),
    (lifting_a_blacklist_never_imposed, errors.AssessorNotBlacklistedError, None),
    (reference_without_anything, errors.InvalidReferenceError, "basis"),
]


@pytest.mark.parametrize(
    ("situation", "error", "field"), REFUSALS, ids=[case[0].__name__ for case in REFUSALS]
)
def test_a_refused_command_names_its_reason_and_writes_nothing(
    ledger: Ledger,
    situation: Callable[[Ledger], Command],
    error: type[errors.LedgerError],
    field: str | None,
) -> None:
    command = situation(ledger)
    events_before = stored_event_count(ledger)

    with pytest.raises(error) as refused:
        command()

    if field is not None:
        assert isinstance(refused.value, errors.InvalidInputError)
        assert refused.value.field == field
    assert refused.value.message
    assert stored_event_count(ledger) == events_before
