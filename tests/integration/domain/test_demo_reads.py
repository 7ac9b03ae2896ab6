"""The demo ledger read as a clerk, a province and a bank would (issue 15): the list's totals and
the statistics agree at every date, region and category; every design product is named."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from domain.ledger import Ledger
from domain.loading.demo import load_demo
from domain.values import Category, ListingStatus, Region
from readside.engine.database import Views
from readside.engine.projector import Projector
from readside.listings.queries import ListItem, ListQuery, list_listings
from readside.statistics.queries import get_statistics, list_statistics_series

#: Ten dates across the record: the first lists, the batches' days, the fictitious story's years.
DATES = (
    date(2017, 12, 31),
    date(2018, 10, 29),
    date(2019, 9, 2),
    date(2020, 12, 31),
    date(2022, 1, 15),
    date(2023, 3, 22),
    date(2023, 6, 30),
    date(2024, 6, 30),
    date(2025, 12, 31),
    date(2026, 6, 30),
)


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Views]:
    path: Path = tmp_path_factory.mktemp("demo-reads") / "ledger.db"
    url = f"sqlite:///{path}"
    ledger = Ledger.open(url)
    load_demo(ledger)
    the_views = Views.open(url)
    Projector(ledger, the_views).catch_up()
    yield the_views
    the_views.close()
    ledger.close()


def test_the_list_totals_equal_the_statistics_at_ten_dates_by_region_and_category(
    views: Views,
) -> None:
    for day in DATES:
        counted = get_statistics(views, ListQuery(as_of=day), group_by=["region", "category"])
        by_group = Counter({(c.region, c.category): c.count for c in counted.counts})
        listed = list_listings(views, ListQuery(as_of=day, page_size=1))
        assert counted.total == listed.total, day
        for region in (None, *(r.code for r in Region.all())):
            for category in (None, *Category):
                query = ListQuery(as_of=day, region=region, category=category, page_size=1)
                total = list_listings(views, query).total
                expected = sum(
                    n
                    for (r, c), n in by_group.items()
                    if region in (None, r) and (category is None or category.value == c)
                )
                assert total == expected, (day, region, category)
                assert get_statistics(views, query).total == total, (day, region, category)
    assert get_statistics(views, ListQuery(as_of=date(2026, 6, 30))).total > 5_000


def test_the_series_at_each_years_end_equals_the_list_on_that_day_in_every_region(
    views: Views,
) -> None:
    for region in (None, "320000", "440000", "330200"):
        series = list_statistics_series(views, from_year=2017, to_year=2026, region=region)
        for year in series.years:
            query = ListQuery.of(
                as_of=date(year.year, 12, 31), region=region, category=year.category, page_size=1
            )
            assert year.on_list == list_listings(views, query).total, (region, year)


def test_every_design_product_row_names_its_product(views: Views) -> None:
    query = ListQuery(
        as_of=date(2026, 6, 30),
        category=Category.GREEN_DESIGN_PRODUCT,
        status=tuple(ListingStatus),
        page_size=500,
    )
    items: list[ListItem] = []
    page_number = 1
    while True:
        page = list_listings(views, query.page_of(page_number))
        items.extend(page.items)
        if page_number * page.page_size >= page.total:
            break
        page_number += 1

    assert len(items) > 3_000
    assert all(item.product_name for item in items)
    # The published annexes give a model and a standard for most rows, not all (README).
    with_model = len([item for item in items if item.product_model])
    with_standard = len([item for item in items if item.product_standard])
    assert with_model > len(items) // 2
    assert with_standard > len(items) // 2
    # A company listed for many products reads as many products, not as identical rows.
    by_company = Counter(item.name for item in items)
    company, count = by_company.most_common(1)[0]
    products = {(item.product_name, item.product_model) for item in items if item.name == company}
    assert len(products) == count
