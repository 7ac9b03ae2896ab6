"""Counts on a date by region × category × level × status, and the yearly series."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import InvalidInputError
from readside.listings.queries import ListQuery, list_listings
from readside.statistics.queries import StatisticsSeries, get_statistics, list_statistics_series
from tests.builders import (
    ZHEJIANG,
    by_ministry,
    nominate,
    open_batch,
    publish,
    register,
)
from tests.integration.readside.conftest import ReadSide


def three_factories_and_a_supply_chain(read_side: ReadSide) -> list[UUID]:
    """Listed on 2023-03-23: two Jiangsu factories, a Zhejiang factory, a Zhejiang supply chain.
    One Jiangsu factory removed on 2024-02-01; the Zhejiang factory removed on 2024-03-01 and the
    removal rescinded."""
    ledger = read_side.ledger
    open_batch(ledger)
    ids = [
        nominate(ledger, register(ledger, "苏甲有限公司")),
        nominate(ledger, register(ledger, "苏乙有限公司")),
        nominate(ledger, register(ledger, "浙丙有限公司", ZHEJIANG), region=ZHEJIANG),
        nominate(
            ledger,
            register(ledger, "浙丁有限公司", ZHEJIANG),
            category="green_supply_chain",
            region=ZHEJIANG,
        ),
    ]
    publish(ledger, ids)
    ledger.remove_listing(
        ids[0], reasons=["falsified_data"], provenance=by_ministry(date(2024, 2, 1))
    )
    ledger.remove_listing(
        ids[2], reasons=["falsified_data"], provenance=by_ministry(date(2024, 3, 1))
    )
    ledger.rescind_removal(ids[2], reason="误判", provenance=by_ministry(date(2024, 3, 10)))
    read_side.catch_up()
    return ids


def test_the_counts_on_a_date_are_grouped_as_asked_and_count_the_units_on_the_list(
    read_side: ReadSide,
) -> None:
    three_factories_and_a_supply_chain(read_side)

    by_all = get_statistics(read_side.views, as_of=date(2024, 3, 5))
    by_status = get_statistics(read_side.views, as_of=date(2024, 3, 5), group_by=["status"])
    before = get_statistics(read_side.views, as_of=date(2022, 10, 19), group_by=["status"])

    assert [(c.region, c.category, c.level, c.status, c.count) for c in by_all.counts] == [
        ("320000", "green_factory", "national", "listed", 1),
        ("330000", "green_factory", "national", "listed", 1),
        ("330000", "green_supply_chain", "national", "listed", 1),
    ]
    assert [(c.status, c.count, c.region) for c in by_status.counts] == [("listed", 3, None)]
    assert (by_status.total, before.total, before.counts) == (3, 0, ())


def test_the_removed_are_counted_only_when_asked_as_the_list_lists_them(
    read_side: ReadSide,
) -> None:
    three_factories_and_a_supply_chain(read_side)
    asked = ListQuery.of(as_of=date(2024, 3, 5), status=["listed", "removed"])

    counted = get_statistics(read_side.views, asked, group_by=["status"])

    assert [(c.status, c.count) for c in counted.counts] == [("listed", 3), ("removed", 1)]
    assert counted.total == list_listings(read_side.views, asked).total == 4


def test_the_yearly_series_counts_units_on_the_list_and_removals_not_rescinded(
    read_side: ReadSide,
) -> None:
    three_factories_and_a_supply_chain(read_side)

    series = list_statistics_series(read_side.views, from_year=2022, to_year=2024)

    def year(series: StatisticsSeries, y: int, category: str) -> tuple[int, int, int]:
        (found,) = [s for s in series.years if s.year == y and s.category == category]
        return (found.on_list, found.listed, found.removed)

    assert year(series, 2022, "green_factory") == (0, 0, 0)
    assert year(series, 2023, "green_factory") == (3, 3, 0)
    assert year(series, 2023, "green_supply_chain") == (1, 1, 0)
    assert year(series, 2024, "green_factory") == (2, 0, 1)
    assert year(series, 2024, "green_park") == (0, 0, 0)
    assert len(series.years) == 3 * 4


def test_a_series_that_ends_before_it_begins_is_refused(read_side: ReadSide) -> None:
    with pytest.raises(InvalidInputError) as refused:
        list_statistics_series(read_side.views, from_year=2024, to_year=2023)

    assert refused.value.field == "from"


def test_an_unknown_grouping_is_refused_naming_the_field(read_side: ReadSide) -> None:
    with pytest.raises(InvalidInputError) as refused:
        get_statistics(read_side.views, group_by=["province"])

    assert refused.value.field == "group_by"
