"""The benchmark's history: the same seed and scale give the same commands, and the rules accept
every one of them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from itertools import islice
from typing import Any

import pytest

from bench.generator import FACT_KINDS, History
from domain.ledger import Ledger
from domain.replay import replay
from domain.values import Category, Region

SCALE = 400


def test_same_seed_and_scale_give_the_same_command_stream():
    assert list(History(scale=SCALE, seed=1)) == list(History(scale=SCALE, seed=1))


def test_another_seed_gives_another_command_stream():
    assert list(islice(History(scale=SCALE, seed=1), 500)) != list(
        islice(History(scale=SCALE, seed=2), 500)
    )


def test_another_scale_gives_another_command_stream():
    assert list(History(scale=SCALE, seed=1)) != list(History(scale=SCALE + 1, seed=1))


def national_nominations() -> list[Mapping[str, Any]]:
    return [
        c.arguments
        for c in History(scale=SCALE)
        if c.name == "nominate_listing" and c.arguments["level"] == "national"
    ]


def test_history_nominates_in_every_region_and_category():
    nominations = national_nominations()
    registrations = [c.arguments for c in History(scale=SCALE) if c.name == "register_enterprise"]
    assert len(nominations) == SCALE
    assert {r["region"] for r in registrations} == {region.code for region in Region.all()}
    assert {n["category"] for n in nominations} == {category.value for category in Category}


def test_from_13_hao_on_a_national_factory_is_first_on_its_provincial_list():
    provincial = {
        (c.arguments["enterprise_id"], c.arguments["category"])
        for c in History(scale=SCALE)
        if c.name == "nominate_listing" and c.arguments["level"] == "provincial"
    }
    resting = [
        (n["enterprise_id"], n["category"])
        for n in national_nominations()
        if n["batch_year"] == 2024 and n["category"] == "green_factory"
    ]

    assert resting
    assert set(resting) == provincial


def test_history_holds_every_kind_of_fact():
    kinds = Counter(command.name for command in History(scale=SCALE))
    assert set(kinds) == set(FACT_KINDS)


def test_history_spans_ten_report_years():
    years = {c.arguments["report_year"] for c in History(scale=SCALE) if c.name == "submit_filing"}
    assert years == set(range(2016, 2026))


def test_too_small_a_scale_is_refused():
    with pytest.raises(ValueError, match="too small"):
        History(scale=3)


def test_ledger_accepts_every_command_of_the_history(memory_ledger: Ledger):
    with memory_ledger.bulk():
        for command in History(scale=SCALE):
            command.issue(memory_ledger)
    counts = Counter(
        n.topic.rsplit(".", 1)[-1]
        for n in memory_ledger.recorder.select_notifications(start=None, limit=10**6)
    )
    facts = (
        "Listed",
        "Rejected",
        "IndicatorFilingSubmitted",
        "FilingReviewed",
        "FilingOverdue",
        "Flagged",
        "OnSiteAssessmentOrdered",
        "OnSiteAssessmentConcluded",
        "AdjustmentProposed",
        "Removed",
        "CreditIncidentRecorded",
        "Renamed",
    )
    assert {fact: counts[fact] for fact in facts if counts[fact] == 0} == {}


def test_every_decision_of_the_history_replays_as_recorded(memory_ledger: Ledger):
    with memory_ledger.bulk():
        for command in History(scale=SCALE):
            command.issue(memory_ledger)

    report = replay(memory_ledger)

    assert report.mismatches == ()
    assert report.decisions_checked > 2 * SCALE
