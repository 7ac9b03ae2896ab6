"""Importing later announcements: each notice one atomic publication of its new lists, 移出名单
and 更名名单, as the importer's record (not re-decided); a second import writes nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.spreadsheets import read_first_sheet
from domain.ledger import Ledger
from domain.listing import Listing
from domain.loading.announcements import Announcements, read_announcements
from domain.loading.importing import IMPORTED_AS_ANNOUNCED, ImportReport, import_announcements
from domain.values import Category, Level, ListingStatus, RemovalReason
from tests.builders import DESIGN_ANNEX, announcement_fixtures, stored_event_count

NOTICE_2022 = "测试厅节函〔2023〕64号"
NOTICE_2023 = "测试厅节函〔2024〕384号"
DAY_2022 = date(2023, 3, 23)
DAY_2023 = date(2024, 1, 5)
REMOVALS = "2023-附件4-移出名单.csv"
RENAMES = "2023-附件5-更名名单.csv"


@pytest.fixture
def announcements(tmp_path: Path) -> Announcements:
    return read_announcements(announcement_fixtures(tmp_path / "annexes"), read_first_sheet)


@pytest.fixture
def imported(ledger: Ledger, announcements: Announcements) -> ImportReport:
    return import_announcements(ledger, announcements)


def listing_of(
    ledger: Ledger, region: str, name: str, category: Category = Category.GREEN_FACTORY
) -> Listing:
    enterprise = ledger.find_enterprise(region=region, name=name)
    assert enterprise is not None, name
    (listing,) = [
        x for x in (ledger.get_listing(i) for i in enterprise.listing_ids) if x.category is category
    ]
    return listing


def events_of(ledger: Ledger, aggregate_id: UUID) -> list[Any]:
    return list(ledger.repository.event_store.get(aggregate_id))


def test_each_notice_lists_its_rows_in_its_round_on_its_day(
    ledger: Ledger, imported: ImportReport
) -> None:
    batch_2022 = ledger.get_batch(Level.NATIONAL, 2022)
    batch_2023 = ledger.get_batch(Level.NATIONAL, 2023)

    (publication_2022,) = batch_2022.publications
    (publication_2023,) = batch_2023.publications
    assert (publication_2022.announcement.doc_no, publication_2022.published_on) == (
        NOTICE_2022,
        DAY_2022,
    )
    assert (publication_2023.announcement.doc_no, publication_2023.published_on) == (
        NOTICE_2023,
        DAY_2023,
    )
    categories = Counter(ledger.get_listing(i).category for i in publication_2022.listed)
    assert categories == {
        Category.GREEN_FACTORY: 5,
        Category.GREEN_DESIGN_PRODUCT: 3,
        Category.GREEN_PARK: 2,
        Category.GREEN_SUPPLY_CHAIN: 2,
    }
    assert len(publication_2023.listed) == 3
    assert imported.listed == {2022: publication_2022.listed, 2023: publication_2023.listed}


def test_an_imported_listing_rests_on_the_notice_and_its_annex_and_says_so_in_words(
    ledger: Ledger, imported: ImportReport
) -> None:
    listing = listing_of(ledger, "110000", "测试甲汽车科技股份有限公司")

    nominated, listed = events_of(ledger, listing.id)

    assert isinstance(listed, Listing.Listed)
    assert (listed.actor, listed.effective_on, tuple(listed.rule_findings)) == (
        "importer",
        DAY_2022,
        (),
    )
    assert [(r.doc_no, r.title) for r in listed.basis] == [
        (NOTICE_2022, "关于公布2022年度绿色制造名单的通知（测试用）"),
        (None, f"{NOTICE_2022} 2022年度绿色工厂名单"),
    ]
    assert listed.announcement.url == "https://example.org/2022-1.pdf"
    assert (listed.note or "").startswith(IMPORTED_AS_ANNOUNCED)
    assert nominated.note.startswith(IMPORTED_AS_ANNOUNCED)


def test_the_removals_of_a_notice_remove_on_its_day_with_the_reasons_its_text_states(
    ledger: Ledger, imported: ImportReport
) -> None:
    expected = {
        ("320000", "测试乙钢铁有限公司", Category.GREEN_FACTORY): RemovalReason.REFUSED_FILING,
        ("150000", "测试戊乳业有限公司", Category.GREEN_FACTORY): RemovalReason.INCIDENT,
        ("320000", "测试丙电子（苏州）有限公司", Category.GREEN_SUPPLY_CHAIN): (
            RemovalReason.NEGATIVE_LIST
        ),
        ("320000", "测试国家高新技术产业开发区", Category.GREEN_PARK): RemovalReason.INCIDENT,
    }
    for (region, name, category), reason in expected.items():
        listing = listing_of(ledger, region, name, category)
        removed = events_of(ledger, listing.id)[-1]

        assert isinstance(removed, Listing.Removed), name
        assert listing.status is ListingStatus.REMOVED
        assert (removed.effective_on, tuple(removed.reasons)) == (DAY_2023, (reason,))
        assert removed.announcement is not None
        assert removed.announcement.doc_no == NOTICE_2023
        assert removed.barred_until == DAY_2023.replace(year=2027) - timedelta(days=1)
        assert (removed.note or "").startswith(f"{IMPORTED_AS_ANNOUNCED}；移出原因：")
    factory_of_the_supplier = listing_of(ledger, "320000", "测试丙电子（苏州）有限公司")
    assert factory_of_the_supplier.status is ListingStatus.LISTED


def test_a_design_product_removal_removes_only_the_product_it_names(
    ledger: Ledger, imported: ImportReport
) -> None:
    enterprise = ledger.find_enterprise(region="440000", name="测试庚家电有限公司")
    assert enterprise is not None
    products = {
        listing.product.name: listing.status
        for listing in (ledger.get_listing(i) for i in enterprise.listing_ids)
        if listing.product is not None
    }

    assert products == {"节能冰箱": ListingStatus.REMOVED, "节能洗衣机": ListingStatus.LISTED}


def test_renames_apply_on_the_notice_s_day_and_the_old_name_still_finds_the_unit(
    ledger: Ledger, imported: ImportReport
) -> None:
    renamed = ledger.find_enterprise(region="110000", name="测试甲汽车零部件有限公司")
    park = ledger.find_enterprise(region="320000", name="测试高新技术产业开发区")

    assert renamed is not None
    assert park is not None
    assert renamed.name == "测试甲汽车科技股份有限公司"
    assert renamed.name_on(DAY_2023 - timedelta(days=1)) == "测试甲汽车零部件有限公司"
    assert park.name == "测试国家高新技术产业开发区"
    (rename,) = [e for e in events_of(ledger, renamed.id) if type(e).__name__ == "Renamed"]
    assert (rename.actor, rename.effective_on) == ("importer", DAY_2023)


def test_rows_the_ledger_cannot_apply_are_reported_with_file_line_and_reason(
    imported: ImportReport,
) -> None:
    refused = {(r.file, r.line): r.reason for r in imported.rejected}

    assert refused[(REMOVALS, 7)].startswith("台账中没有北京市「测试不存在有限公司」")
    assert refused[(RENAMES, 6)].startswith("台账中没有广东省「测试不存在有限公司」")
    assert refused[(REMOVALS, 8)].startswith("移出原因「经营情况良好」无法对应到原因代码")
    assert imported.count(REMOVALS, 2023).imported == 5
    assert imported.count(REMOVALS, 2023).rejected == 2
    assert imported.count(RENAMES, 2023).imported == 2
    assert imported.count(DESIGN_ANNEX, 2022).imported == 3


def test_a_notice_s_publication_is_one_atomic_save(ledger: Ledger, imported: ImportReport) -> None:
    # 2023: nominations of 3 new units (each registered and nominated: 4 events), then the
    # publication: 3 Listed, 2 Renamed with their 2 new-name keys, 5 Removed, 1 Published.
    assert imported.saves[-2:] == (13, 13)
    assert stored_event_count(ledger) == imported.events_written


def test_a_second_import_of_the_same_announcements_writes_nothing(
    ledger: Ledger, announcements: Announcements, imported: ImportReport
) -> None:
    events = stored_event_count(ledger)

    again = import_announcements(ledger, announcements)

    assert again.events_written == 0
    assert stored_event_count(ledger) == events
    assert again.imported == 0
    assert again.already_present == imported.imported
    refused = [(r.file, r.line) for r in imported.rejected]
    assert [(r.file, r.line) for r in again.rejected] == refused


def test_a_removal_of_a_unit_already_off_the_list_is_refused_with_its_status(
    ledger: Ledger, announcements: Announcements, imported: ImportReport, tmp_path: Path
) -> None:
    directory = announcement_fixtures(tmp_path / "later")
    (directory / "announcements.csv").write_text(
        "序号,文号,时间,年度,名称,文件\n1,测试厅节函〔2025〕33号,2025年1月22日,2024,移出名单,移出.csv\n",
        encoding="utf-8",
    )
    for path in directory.iterdir():
        if path.name != "announcements.csv":
            path.unlink()
    (directory / "移出.csv").write_text(
        "序号,地区,名称,类别,移出原因\n1,江苏,测试乙钢铁有限公司,绿色工厂,企业已注销\n",
        encoding="utf-8",
    )

    report = import_announcements(ledger, read_announcements(directory, read_first_sheet))

    (refused,) = report.rejected
    assert (refused.file, refused.line) == ("移出.csv", 2)
    assert "当前为「已移出」，不在名单上" in refused.reason
    assert report.events_written == 0


def test_a_notice_after_13_hao_imports_its_factories_with_no_provincial_list_in_the_ledger(
    ledger: Ledger, tmp_path: Path
) -> None:
    """Imports check no rule (ADR 0040, 0041): REC-2, which refuses a national nomination off
    its provincial list from 2024-01-19 (ADR 0150), does not stand in the way of a published
    list — the ministry's announcement is the fact."""
    directory = announcement_fixtures(tmp_path / "annexes")
    manifest = directory / "announcements.csv"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("2024年1月5日,2023,", "2025年1月22日,2024,"),
        encoding="utf-8",
    )

    report = import_announcements(ledger, read_announcements(directory, read_first_sheet))

    (publication,) = ledger.get_batch(Level.NATIONAL, 2024).publications
    assert publication.published_on == date(2025, 1, 22)
    listed = [ledger.get_listing(i) for i in publication.listed]
    assert Category.GREEN_FACTORY in {listing.category for listing in listed}
    assert {listing.status for listing in listed} == {ListingStatus.LISTED}
    assert all(listing.level is Level.NATIONAL for listing in listed)
    assert report.listed[2024] == publication.listed
    nominated = [events_of(ledger, listing.id)[0] for listing in listed]
    assert [tuple(event.rule_findings) for event in nominated] == [()] * len(listed)
