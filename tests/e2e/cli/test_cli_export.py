"""`greenledger export`: the list on a date as a spreadsheet, read back equal to the list query.

Over the real published lists (6,442 units in four files), so that the round trip meets every
category, the 37 regions' names, design products and both dates.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli.main import app
from api.exports import FICTITIOUS_CELL, HEADERS, REAL_CELL
from domain.ledger import Ledger
from domain.loading.importing import import_published_lists
from domain.loading.published_lists import read_published_lists
from domain.values import Category, Level, ListingStatus, Region, batch_label
from readside.engine.database import Views
from readside.listings.queries import MAX_PAGE_SIZE, ListItem, ListQuery, list_listings
from tests.paths import PUBLISHED_LISTS

SHIPPED = PUBLISHED_LISTS
runner = CliRunner()


@pytest.fixture
def published(sql_database_url: str) -> str:
    with Ledger.open(sql_database_url) as ledger:
        import_published_lists(ledger, read_published_lists(SHIPPED))
    return sql_database_url


def export(database_url: str, *arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app,
        ["export", *arguments],
        env={"GREENLEDGER_DATABASE_URL": database_url, "COLUMNS": "200"},
    )
    return result.exit_code, result.stdout, result.stderr


def queried(database_url: str, **filters: object) -> list[ListItem]:
    views = Views.open(database_url)
    try:
        items: list[ListItem] = []
        page = 1
        while True:
            query = ListQuery.of(page=page, page_size=MAX_PAGE_SIZE, **filters)  # type: ignore[arg-type]
            found = list_listings(views, query)
            items.extend(found.items)
            if page * MAX_PAGE_SIZE >= found.total:
                return items
            page += 1
    finally:
        views.close()


def expected_row(number: int, item: ListItem) -> tuple[object, ...]:
    region = Region.of(item.region)
    return (
        number,
        region.name_zh,
        item.name,
        Category(item.category).label_zh,
        Level(item.level).label_zh,
        batch_label(item.batch_year),
        ListingStatus(item.status).label_zh,
        item.listed_on,
        item.removed_on,
        item.uscc,
        item.product_name,
        item.product_model,
        item.product_standard,
        (FICTITIOUS_CELL if item.synthetic else REAL_CELL)["zh"],
        region.code,
        str(item.listing_id),
        str(item.enterprise_id),
        None,  # 星级: the national list has no stars
        None,  # 城市代码: nor a city
        None,  # 企业绿码: none assigned in this store
        None,  # 企业绿码报告年度
    )


def as_date(cell: object) -> object:
    return cell.date() if isinstance(cell, datetime) else cell


def test_an_exported_xlsx_read_back_equals_the_list_query_it_came_from(
    published: str, tmp_path: Path
) -> None:
    target = tmp_path / "list.xlsx"

    code, out, err = export(
        published, "--as-of", "2020-01-01", "--format", "xlsx", "-o", str(target)
    )

    assert code == 0, out + err
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    assert sheet is not None
    assert sheet.title == "名单 2020-01-01"
    title, *rows = [tuple(as_date(c) for c in row) for row in sheet.iter_rows(values_only=True)]
    assert str(title[0]).startswith("绿色制造名单（2020-01-01）")
    assert rows[0] == HEADERS
    assert list(HEADERS[:9]) == [
        "序号", "地区", "名称", "类别", "级别", "批次", "状态", "纳入日期", "移出日期",
    ]  # fmt: skip
    items = queried(published, as_of=date(2020, 1, 1))
    # Batches 1–4 were announced before 2020; batch 5 (2020) and the 2021 list were not.
    assert len(items) == 201 + 208 + 391 + 602 + sum(
        1 for item in items if item.category != Category.GREEN_FACTORY.value
    )
    assert rows[1:] == [expected_row(n, item) for n, item in enumerate(items, start=1)]
    assert {item.batch_year for item in items} == {1, 2, 3, 4}
    assert f"已导出 Exported {len(items)} 项" in out


def test_an_exported_csv_with_filters_equals_the_filtered_query(
    published: str, tmp_path: Path
) -> None:
    target = tmp_path / "jiangsu.csv"
    jiangsu = Region.of("320000")

    code, out, err = export(
        published,
        *("--as-of", "2022-06-30", "--format", "csv", "--region", "江苏"),
        *("--category", "绿色工厂", "--output", str(target)),
    )

    assert code == 0, out + err
    content = target.read_bytes()
    assert content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(table[0]) == HEADERS
    items = queried(
        published, as_of=date(2022, 6, 30), region=jiangsu.code, category="green_factory"
    )
    assert len(items) > 100
    assert table[1:] == [
        ["" if c is None else c.isoformat() if isinstance(c, date) else str(c) for c in row]
        for row in (expected_row(n, item) for n, item in enumerate(items, start=1))
    ]
    assert {row[1] for row in table[1:]} == {jiangsu.name_zh}


def test_an_export_naming_an_unknown_region_fails_naming_the_option_and_writes_nothing(
    published: str, tmp_path: Path
) -> None:
    target = tmp_path / "nothing.xlsx"

    code, _, err = export(published, "--region", "999999", "-o", str(target))

    assert code == 2
    assert "--region" in err
    assert not target.exists()
