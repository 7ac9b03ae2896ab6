"""The timeline: every event of a listing or an enterprise, in order, in Chinese and English."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise, EnterpriseKey
from domain.events import EVERY_EVENT
from domain.facts import Fact
from domain.ledger import Ledger
from readside.timeline.queries import list_enterprise_history, list_history, list_listing_history
from readside.timeline.summaries import summarise
from tests.builders import by_province
from tests.integration.readside.conftest import ReadSide
from tests.integration.readside.scenarios import every_kind_of_fact, removed_for_a_grave_accident

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def event_classes() -> set[type]:
    """Every event class the aggregates declare."""
    from domain.listing import Listing
    from domain.national.green_codes import GreenCodeRound
    from domain.national.rebenchmark import RebenchmarkCampaign

    found = set()
    for aggregate in (
        Listing,
        Enterprise,
        EnterpriseKey,
        Assessor,
        Batch,
        GreenCodeRound,
        RebenchmarkCampaign,
    ):
        for value in vars(aggregate).values():
            if isinstance(value, type) and issubclass(value, Fact):
                found.add(value)
    return found


def test_every_event_class_of_the_domain_has_its_own_summary() -> None:
    """`summarise` matches on `LedgerEvent` and ends in `assert_never` (mypy checks it): the
    union must hold every event class the aggregates declare."""
    missing = {cls.__qualname__ for cls in event_classes()} - {
        cls.__qualname__ for cls in EVERY_EVENT
    }

    # 34, with the publicity, the green codes and the re-benchmark (ADR 0150–0152), the
    # evaluations cited and confirmed (ADR 0110)
    assert len(event_classes()) == 45
    assert missing == set()


def test_every_kind_of_recorded_event_reads_as_one_line_in_chinese_and_in_english(
    memory_ledger: Ledger,
) -> None:
    every_kind_of_fact(memory_ledger)
    events: list[Any] = [
        memory_ledger.mapper.to_domain_event(n)
        for n in memory_ledger.recorder.select_notifications(start=None, limit=10_000)
    ]

    lines = {type(e).__qualname__: summarise(e) for e in events}

    assert set(lines) == {cls.__qualname__ for cls in event_classes()}
    for name, (chinese, english) in lines.items():
        assert CHINESE.search(chinese), name
        assert "\n" not in f"{chinese}{english}", name
        assert not chinese.startswith("事件："), name
        assert not english.startswith("Event:"), name
        assert english.isascii() or CHINESE.search(english), name


def test_a_listing_history_lists_its_events_in_order_with_both_times(
    read_side: ReadSide,
) -> None:
    unit, _ = removed_for_a_grave_accident(read_side.ledger)
    read_side.catch_up()

    history = list_listing_history(read_side.views, unit.listing_id)

    assert [entry.event for entry in history.entries] == [
        "Listing.Nominated",
        "Listing.Listed",
        "Listing.Removed",
    ]
    removal = history.entries[-1]
    assert removal.effective_on == date(2024, 3, 5)
    assert removal.recorded_at.tzinfo is not None
    assert removal.actor == "province:320000"
    assert removal.summary_zh.startswith("移出国家级绿色工厂名单：发生事故或违法违规行为")
    assert "barred through 2027-03-04" in removal.summary_en
    assert removal.basis[0].doc_no == "苏工信节能〔2023〕12号"
    positions = [entry.position for entry in history.entries]
    assert positions == sorted(positions)
    assert history.position == read_side.ledger.position


def test_an_enterprise_history_includes_its_listings_events_and_its_credit_record(
    read_side: ReadSide,
) -> None:
    unit, _ = removed_for_a_grave_accident(read_side.ledger)
    read_side.ledger.rename_enterprise(
        unit.enterprise_id, name="江苏新绿钢铁有限公司", provenance=by_province(date(2024, 5, 1))
    )
    read_side.catch_up()

    history = list_enterprise_history(read_side.views, unit.enterprise_id)

    events = [entry.event for entry in history.entries]
    assert events == [
        "Enterprise.Registered",
        "Listing.Nominated",
        "Enterprise.Nominated",
        "Listing.Listed",
        "Enterprise.CreditIncidentRecorded",
        "Listing.Removed",
        "Enterprise.Renamed",
        "EnterpriseKey.Claimed",
    ]
    incident = history.entries[4]
    assert incident.summary_zh == (
        "记录信用事件：安全事故（特别重大），发生于2024-03-02，来源：信用中国（苏应急〔2024〕7号）"
    )
    assert history.entries[6].summary_en == "Renamed: 江苏绿源钢铁有限公司 → 江苏新绿钢铁有限公司"


def test_an_assessor_history_shows_its_blacklisting_and_its_lifting(read_side: ReadSide) -> None:
    everything = every_kind_of_fact(read_side.ledger)
    read_side.catch_up()

    history = list_history(read_side.views, everything.assessor_id)

    assert [entry.summary_zh for entry in history.entries][-2:] == [
        "列入黑名单至2027-07-31：评价报告弄虚作假",
        "移出黑名单：复核后撤销",
    ]
