"""The list as of a date, as known at an instant (design.md, Time: two axes on every fact)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from domain.batch import batch_id_for
from domain.errors import InvalidInputError, UnknownRegionError
from domain.ledger import Ledger
from domain.values import Level
from readside.engine.database import Views
from readside.engine.projector import Projector
from readside.listings.queries import ListPage, ListQuery, list_listings
from readside.timeline.queries import list_history, list_listing_history
from tests.builders import (
    PARK_EVIDENCE,
    ZHEJIANG,
    by_ministry,
    listed_factory,
    nominate,
    open_batch,
    publish,
    register,
)
from tests.integration.readside.conftest import ReadSide


def names(page: ListPage) -> list[str]:
    return [item.name for item in page.items]


def test_a_listed_factory_is_on_the_list_from_the_announcement_day(read_side: ReadSide) -> None:
    unit = listed_factory(read_side.ledger)
    read_side.catch_up()

    before = list_listings(read_side.views, ListQuery.of(as_of=date(2023, 3, 22)))
    on_the_day = list_listings(read_side.views, ListQuery.of(as_of=date(2023, 3, 23)))

    assert before.total == 0
    assert on_the_day.total == 1
    (item,) = on_the_day.items
    assert (item.listing_id, item.enterprise_id) == (unit.listing_id, unit.enterprise_id)
    assert (item.name, item.region, item.category, item.level) == (
        "江苏绿源钢铁有限公司",
        "320000",
        "green_factory",
        "national",
    )
    assert (item.batch_year, item.status, item.listed_on, item.removed_on) == (
        2022,
        "listed",
        date(2023, 3, 23),
        None,
    )
    assert on_the_day.position == read_side.ledger.position


def test_a_late_removal_changes_the_past_as_now_known_but_not_as_known_before(
    read_side: ReadSide,
) -> None:
    unit = listed_factory(read_side.ledger)
    read_side.catch_up()
    known_before = datetime.now(UTC)
    # Recorded now, effective last June: a fact the ledger learned late.
    read_side.ledger.remove_listing(
        unit.listing_id, reasons=["falsified_data"], provenance=by_ministry(date(2023, 6, 30))
    )
    read_side.catch_up()

    now_known = list_listings(read_side.views, ListQuery.of(as_of=date(2023, 7, 1)))
    known_then = list_listings(
        read_side.views, ListQuery.of(as_of=date(2023, 7, 1), known_at=known_before)
    )
    removed = list_listings(
        read_side.views, ListQuery.of(as_of=date(2023, 7, 1), status=["removed"])
    )

    assert now_known.total == 0
    assert [item.status for item in known_then.items] == ["listed"]
    assert known_then.known_at == known_before
    assert [(item.status, item.removed_on) for item in removed.items] == [
        ("removed", date(2023, 6, 30))
    ]


def test_a_publication_is_known_whole_or_not_at_all(read_side: ReadSide) -> None:
    ledger = read_side.ledger
    open_batch(ledger)
    ids = [nominate(ledger, register(ledger, name)) for name in ("甲有限公司", "乙有限公司")]
    publish(ledger, ids)
    read_side.catch_up()
    # The command creates each Listed, then Published; it saves Published first.
    first_listed = list_listing_history(read_side.views, ids[0]).entries[-1]
    published = list_history(read_side.views, batch_id_for(Level.NATIONAL, 2022)).entries[-1]
    assert published.event == "Batch.Published"
    assert published.position < first_listed.position
    assert first_listed.recorded_at < published.recorded_at

    midway = list_listings(
        read_side.views, ListQuery.of(as_of=date(2023, 4, 1), known_at=first_listed.recorded_at)
    )
    after = list_listings(
        read_side.views, ListQuery.of(as_of=date(2023, 4, 1), known_at=published.recorded_at)
    )

    assert midway.total == 0
    assert midway.known_position is not None
    assert midway.known_position < published.position
    assert after.total == 2
    assert after.known_position == read_side.ledger.position


def test_the_list_as_known_before_anything_was_recorded_is_empty(read_side: ReadSide) -> None:
    listed_factory(read_side.ledger)
    read_side.catch_up()

    page = list_listings(
        read_side.views,
        ListQuery.of(as_of=date(2024, 1, 1), known_at=datetime(2000, 1, 1, tzinfo=UTC)),
    )

    assert (page.total, page.items) == (0, ())


def test_the_list_filters_by_region_category_status_and_part_of_the_name(
    read_side: ReadSide,
) -> None:
    ledger = read_side.ledger
    jiangsu = listed_factory(ledger)
    zhejiang = register(ledger, "浙江（宁波）绿能科技有限公司", ZHEJIANG)
    park = register(ledger, "苏州工业园区管理委员会")
    supply = nominate(ledger, zhejiang, category="green_supply_chain", region=ZHEJIANG)
    pending = nominate(ledger, park, category="green_park", **PARK_EVIDENCE)
    publish(ledger, [supply], day=date(2023, 4, 1))
    read_side.catch_up()
    day = date(2023, 5, 1)

    by_region = list_listings(read_side.views, ListQuery.of(as_of=day, region=ZHEJIANG))
    by_category = list_listings(read_side.views, ListQuery.of(as_of=day, category="green_factory"))
    nominated = list_listings(read_side.views, ListQuery.of(as_of=day, status=["nominated"]))
    by_name = list_listings(read_side.views, ListQuery.of(as_of=day, q="浙江(宁波) 绿能"))

    assert names(by_region) == ["浙江（宁波）绿能科技有限公司"]
    assert [i.listing_id for i in by_category.items] == [jiangsu.listing_id]
    assert [i.listing_id for i in nominated.items] == [pending]
    assert [i.listing_id for i in by_name.items] == [supply]


def test_the_list_comes_in_pages_with_the_total(read_side: ReadSide) -> None:
    ledger = read_side.ledger
    open_batch(ledger)
    ids = [nominate(ledger, register(ledger, f"第{i}号有限公司")) for i in range(5)]
    publish(ledger, ids)
    read_side.catch_up()

    first = list_listings(read_side.views, ListQuery.of(as_of=date(2023, 4, 1), page_size=2))
    third = list_listings(
        read_side.views, ListQuery.of(as_of=date(2023, 4, 1), page=3, page_size=2)
    )
    every = list_listings(read_side.views, ListQuery.of(as_of=date(2023, 4, 1)))

    second = list_listings(
        read_side.views, ListQuery.of(as_of=date(2023, 4, 1), page=2, page_size=2)
    )

    assert (first.total, len(first.items), third.total, len(third.items)) == (5, 2, 5, 1)
    assert names(first) + names(second) + names(third) == names(every)
    assert sorted(names(every)) == names(every)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"page": 0}, "page"),
        ({"page_size": 501}, "page_size"),
        ({"known_at": datetime(2024, 1, 1)}, "known_at"),
        ({"status": ["archived"]}, "status"),
        ({"category": "green_city"}, "category"),
    ],
)
def test_a_malformed_list_question_is_refused_naming_the_field(
    read_side: ReadSide, arguments: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        list_listings(read_side.views, ListQuery.of(**arguments))  # type: ignore[arg-type]

    assert refused.value.field == field


def test_an_unknown_region_is_refused_naming_the_field(read_side: ReadSide) -> None:
    with pytest.raises(UnknownRegionError) as refused:
        list_listings(read_side.views, ListQuery.of(region="999999"))

    assert refused.value.field == "region"


def test_the_read_side_refuses_the_in_memory_store() -> None:
    with pytest.raises(InvalidInputError) as refused:
        Views.open("memory://")

    assert refused.value.field == "GREENLEDGER_DATABASE_URL"
    assert "SQL store" in str(refused.value)


def test_a_name_search_is_counted_from_the_indexes_alone(tmp_path: Path) -> None:
    """The search's total reads the day index and the design products' keys, never a table row
    (ADR 0153): SQLite's plan, which depends on the indexes, not on statistics."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger, views = Ledger.open(url), Views.open(url)
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    try:
        Projector(ledger, views).catch_up()
        sa.event.listen(views.reader, "before_cursor_execute", seen)
        list_listings(views, ListQuery.of(as_of=date(2023, 6, 30), q="绿能"))
        (count, parameters) = next(
            (s, p) for s, p in statements if s.lstrip().startswith("SELECT count(*)")
        )
        with views.reading() as connection:
            plan = [
                row[3]
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {count}", parameters)
            ]
    finally:
        views.close()
        ledger.close()

    reads = [step for step in plan if step.startswith(("SCAN", "SEARCH"))]
    assert reads == [
        "SEARCH listing_periods USING COVERING INDEX ix_listing_periods_now_by_day (valid_from<?)",
        "SEARCH listings USING COVERING INDEX ix_listings_product_key (product_key>?)",
    ], plan


def test_a_store_built_with_the_retired_day_index_trades_it_for_the_new_one_on_open(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    Views.open(url).close()
    with sqlite3.connect(tmp_path / "ledger.db") as db:
        db.execute("DROP INDEX ix_listing_periods_now_by_day")
        db.execute(
            "CREATE INDEX ix_listing_periods_now_day ON listing_periods (valid_from, valid_to,"
            " status, category, level, region, name_key) WHERE recorded_to IS NULL"
        )

    Views.open(url).close()

    with sqlite3.connect(tmp_path / "ledger.db") as db:
        found = {
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_listing%'"
            )
        }
    assert "ix_listing_periods_now_by_day" in found
    assert "ix_listing_periods_now_day" not in found
