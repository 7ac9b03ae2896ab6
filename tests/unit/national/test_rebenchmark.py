"""The 2025 re-benchmark (390号, ADR 0152): the campaign's units, results, the due date, and the
units flagged for not re-benchmarking."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInputError, TransitionRefusedError
from domain.ledger import Ledger
from domain.national.campaign import (
    CampaignAlreadyLaunchedError,
    flag_not_rebenchmarked,
    get_campaign,
    launch_rebenchmark,
    record_rebenchmark_result,
)
from domain.values import Reference
from tests.builders import by_ministry, by_province, listed_factory, nominate, open_batch, register

REQUIREMENTS = Reference(doc_no="工信厅节函〔2025〕390号", title="绿色工厂评价新要求")
REPORT = Reference(title="对标复核自评价报告")


def test_units_that_do_not_rebenchmark_by_the_due_date_are_flagged(memory_ledger: Ledger) -> None:
    done = listed_factory(memory_ledger, "江苏甲纺织有限公司")
    failing = listed_factory(memory_ledger, "江苏乙纺织有限公司")
    silent = listed_factory(memory_ledger, "江苏丙纺织有限公司")
    units = [done.listing_id, failing.listing_id, silent.listing_id]
    launch_rebenchmark(
        memory_ledger,
        year=2025,
        due_on=date(2026, 3, 31),
        requirements=REQUIREMENTS,
        listing_ids=units,
        provenance=by_ministry(date(2025, 11, 1)),
    )
    record_rebenchmark_result(
        memory_ledger,
        year=2025,
        listing_id=done.listing_id,
        outcome="meets",
        self_evaluation=REPORT,
        provenance=by_province(date(2026, 3, 31)),
    )
    record_rebenchmark_result(
        memory_ledger,
        year=2025,
        listing_id=failing.listing_id,
        outcome="does_not_meet",
        self_evaluation=REPORT,
        provenance=by_province(date(2026, 3, 1)),
    )

    with pytest.raises(TransitionRefusedError):  # on the due date itself: not yet
        flag_not_rebenchmarked(memory_ledger, year=2025, provenance=by_ministry(date(2026, 3, 31)))
    flag_not_rebenchmarked(memory_ledger, year=2025, provenance=by_ministry(date(2026, 4, 1)))

    campaign = get_campaign(memory_ledger, 2025)
    assert campaign is not None
    assert [campaign.state_of(u) for u in units] == ["meets", "does_not_meet", "not_rebenchmarked"]
    assert campaign.flagged == {silent.listing_id: date(2026, 4, 1)}
    with pytest.raises(CampaignAlreadyLaunchedError):
        launch_rebenchmark(
            memory_ledger,
            year=2025,
            due_on=date(2026, 3, 31),
            requirements=REQUIREMENTS,
            listing_ids=units,
            provenance=by_ministry(date(2025, 11, 2)),
        )


def test_only_national_factories_and_parks_on_the_list_are_in_the_campaign(
    memory_ledger: Ledger,
) -> None:
    open_batch(memory_ledger)
    pending = nominate(memory_ledger, register(memory_ledger, "江苏丁纺织有限公司"))

    with pytest.raises(InvalidInputError) as refused:
        launch_rebenchmark(
            memory_ledger,
            year=2025,
            due_on=date(2026, 3, 31),
            requirements=REQUIREMENTS,
            listing_ids=[pending],
            provenance=by_ministry(date(2025, 11, 1)),
        )

    assert refused.value.field == "listing_ids"


def test_the_due_date_comes_after_the_launch(memory_ledger: Ledger) -> None:
    with pytest.raises(InvalidInputError) as refused:
        launch_rebenchmark(
            memory_ledger,
            year=2025,
            due_on=date(2025, 11, 1),
            requirements=REQUIREMENTS,
            listing_ids=[],
            provenance=by_ministry(date(2025, 11, 1)),
        )

    assert refused.value.field == "due_on"
