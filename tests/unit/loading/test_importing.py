"""Importing published lists: what the ministry announced becomes the ledger's own events."""

from __future__ import annotations

import shutil
import threading
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from domain.batch import Batch
from domain.enterprise import Enterprise
from domain.ledger import Ledger
from domain.listing import Listing
from domain.loading.importing import ImportProgress, ImportReport, import_published_lists
from domain.loading.published_lists import ANNOUNCEMENTS_FILE, read_published_lists
from domain.values import Category, Level, ListingStatus
from tests.builders import (
    by_ministry,
    by_province,
    nominate,
    open_batch,
    publish,
    register,
    stored_event_count,
)
from tests.paths import REPOSITORY

ROOT = REPOSITORY
SHIPPED = ROOT / "data" / "published-lists"
FIRST_DAY = date(2017, 8, 23)
SECOND_DAY = date(2018, 2, 11)

FACTORIES = """序号,地区,工厂名称,行业,第三方评价机构,批次
1,江苏,江苏甲钢铁有限公司,钢铁,某评价机构,1
2,火星,火星乙化工有限公司,化工,某评价机构,1
3,浙江,,纺织,某评价机构,1
4,浙江,浙江丙纺织有限公司,纺织,某评价机构,第二批
5,浙江,浙江丁纺织有限公司
6,内蒙,内蒙古戊乳业有限公司,食品,某评价机构,2
7,江苏,江苏己电子(苏州)有限公司,电子,某评价机构,2
"""
SUPPLY_CHAIN = """序号,地区,企业名称,第三方评价机构,批次
1,江苏,江苏己电子（苏州）有限公司,某评价机构,2
"""
DESIGN = """序号,企业名称,产品名称,产品型号,推荐单位,地区,批次,种类,绿色设计亮点,适用评价标准
1,西安庚家电有限公司,节能冰箱,BCD-1,绿色设计产品评价试点推荐（中国标准化研究院及相关行业协会）,西安,1,一、家用电器,能效一级nan,《某规范》nan
2,西安庚家电有限公司,节能冰箱,BCD-1,绿色设计产品评价试点推荐（中国标准化研究院及相关行业协会）,西安,1,一、家用电器,能效一级nan,《某规范》nan
"""


def published_lists(directory: Path, **files: str) -> Path:
    """A directory with the real announcements and the given list files."""
    directory.mkdir(exist_ok=True)
    shutil.copy(SHIPPED / ANNOUNCEMENTS_FILE, directory / ANNOUNCEMENTS_FILE)
    for name, text in files.items():
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return published_lists(
        tmp_path / "lists",
        green_factories=FACTORIES,
        green_supply_chain=SUPPLY_CHAIN,
        green_design_products=DESIGN,
    )


def listed_ids(ledger: Ledger, batch_year: int) -> tuple[UUID, ...]:
    batch = ledger.get_batch(Level.NATIONAL, batch_year)
    return tuple(i for record in batch.publications for i in record.listed)


def test_a_malformed_file_is_reported_row_by_row_and_its_good_rows_are_imported(
    ledger: Ledger, small: Path
) -> None:
    report = import_published_lists(ledger, read_published_lists(small))

    rejected = {(r.file, r.line): r.reason for r in report.rejected}
    assert set(rejected) == {("green_factories.csv", line) for line in (3, 4, 5, 6)}
    assert "unknown region '火星'" in rejected[("green_factories.csv", 3)]
    assert "empty name in 工厂名称" in rejected[("green_factories.csv", 4)]
    assert "bad batch '第二批'" in rejected[("green_factories.csv", 5)]
    assert "missing column 批次" in rejected[("green_factories.csv", 6)]
    names = sorted(
        ledger.get_enterprise(ledger.get_listing(i).enterprise_id).name
        for year in (1, 2)
        for i in listed_ids(ledger, year)
    )
    assert names == [
        "内蒙古戊乳业有限公司",
        "江苏己电子（苏州）有限公司",
        "江苏己电子（苏州）有限公司",
        "江苏甲钢铁有限公司",
        "西安庚家电有限公司",
    ]
    assert report.imported == 5


def test_the_report_counts_each_file_and_batch(ledger: Ledger, small: Path) -> None:
    report = import_published_lists(ledger, read_published_lists(small))

    first_factories = report.count("green_factories.csv", 1)
    assert (first_factories.rows, first_factories.imported, first_factories.rejected) == (3, 1, 2)
    unparsed = report.count("green_factories.csv", None)
    assert (unparsed.rows, unparsed.rejected) == (2, 2)
    design = report.count("green_design_products.csv", 1)
    assert (design.rows, design.imported, design.duplicates) == (2, 1, 1)
    assert report.position == ledger.position
    for count in report.counts:
        assert count.rows == (
            count.imported + count.already_present + count.duplicates + count.rejected
        )


def test_a_second_import_writes_no_event(ledger: Ledger, small: Path) -> None:
    lists = read_published_lists(small)
    first = import_published_lists(ledger, lists)
    events = stored_event_count(ledger)

    second = import_published_lists(ledger, lists)

    assert stored_event_count(ledger) == events == first.events_written
    assert second.events_written == 0
    assert second.position == first.position
    assert (second.imported, second.already_present) == (0, first.imported)


def test_an_enterprise_on_two_lists_is_registered_once_with_the_factory_industry(
    ledger: Ledger, small: Path
) -> None:
    import_published_lists(ledger, read_published_lists(small))

    enterprise = ledger.find_enterprise(region="320000", name="江苏己电子(苏州)有限公司")

    assert enterprise is not None
    assert enterprise.industry == "电子"
    categories = sorted(ledger.get_listing(i).category.value for i in enterprise.listing_ids)
    assert categories == ["green_factory", "green_supply_chain"]


def test_an_imported_listing_is_listed_on_the_announcement_day_with_its_documents_as_basis(
    ledger: Ledger, small: Path
) -> None:
    import_published_lists(ledger, read_published_lists(small))
    enterprise = ledger.find_enterprise(region="320000", name="江苏甲钢铁有限公司")
    assert enterprise is not None
    (listing_id,) = enterprise.listing_ids

    events = ledger.repository.event_store.get(listing_id)

    nominated, listed = events
    assert isinstance(nominated, Listing.Nominated)
    assert isinstance(listed, Listing.Listed)
    for event in (nominated, listed):
        assert (event.actor, event.effective_on, event.rulebook) == ("importer", FIRST_DAY, "2016")
        assert tuple(event.rule_findings) == ()
        assert [r.title for r in event.basis] == ["第一批绿色工厂名单", "第一批绿色制造名单"]
    assert listed.announcement.title == "第一批绿色工厂名单"
    assert listed.announcement.url is not None
    assert listed.announcement.url.endswith("5778089.pdf")
    assert nominated.note is not None
    assert "第三方评价机构：某评价机构" in nominated.note
    assert nominated.note.startswith("依据公告导入，未按规则重新认定")


def test_a_design_product_row_of_a_city_is_registered_in_its_province_with_its_product(
    ledger: Ledger, small: Path
) -> None:
    import_published_lists(ledger, read_published_lists(small))

    enterprise = ledger.find_enterprise(region="610000", name="西安庚家电有限公司")

    assert enterprise is not None
    (listing_id,) = enterprise.listing_ids
    listing = ledger.get_listing(listing_id)
    assert listing.product is not None
    assert (listing.product.name, listing.product.model) == ("节能冰箱", "BCD-1")
    assert listing.product.standard == "《某规范》"


def test_the_list_changes_on_each_announcement_day_by_exactly_that_batch(
    ledger: Ledger, small: Path
) -> None:
    report = import_published_lists(ledger, read_published_lists(small))
    listings = [ledger.get_listing(i) for ids in report.listed.values() for i in ids]

    def on_list(day: date) -> set[UUID]:
        return {listing.id for listing in listings if listing.listed_on_day(day)}

    for day, year in ((FIRST_DAY, 1), (SECOND_DAY, 2)):
        before, after = on_list(day - timedelta(days=1)), on_list(day)
        assert after - before == set(listed_ids(ledger, year))
        assert before - after == set()
    assert len(listed_ids(ledger, 1)) == 2
    assert len(listed_ids(ledger, 2)) == 3


def test_each_batch_is_opened_and_published_once_with_the_notice(
    ledger: Ledger, small: Path
) -> None:
    import_published_lists(ledger, read_published_lists(small))

    batch = ledger.get_batch(Level.NATIONAL, 2)

    assert (batch.opened_on, batch.rulebook) == (SECOND_DAY, "2016")
    (publication,) = batch.publications
    assert publication.published_on == SECOND_DAY
    assert publication.announcement.title == "第二批绿色制造名单"
    assert set(publication.listed) == set(batch.nominations)
    events = ledger.repository.event_store.get(batch.id)
    assert [type(e).__name__ for e in events] == [
        "Opened",
        "NominationReceived",
        "NominationReceived",
        "NominationReceived",
        "Published",
    ]


def test_an_import_interrupted_between_chunks_lists_every_row_when_run_again(
    ledger: Ledger, small: Path
) -> None:
    lists = read_published_lists(small)

    class ImportKilledError(Exception):
        """Raised by the progress callback: the process stops as if it were killed."""

    def stop_after_first_chunk(progress: ImportProgress) -> None:
        raise ImportKilledError(progress.stage)

    with pytest.raises(ImportKilledError):
        import_published_lists(ledger, lists, progress=stop_after_first_chunk, chunk_rows=1)
    pending = ledger.get_batch(Level.NATIONAL, 1)
    assert len(pending.nominations) == 1
    assert pending.publications == ()

    resumed = import_published_lists(ledger, lists)

    assert resumed.imported == 5
    batch = ledger.get_batch(Level.NATIONAL, 1)
    (publication,) = batch.publications
    assert set(publication.listed) == set(batch.nominations)
    for listing_id in publication.listed:
        listing = ledger.get_listing(listing_id)
        assert listing.status is ListingStatus.LISTED
        kinds = [type(e).__name__ for e in ledger.repository.event_store.get(listing_id)]
        assert kinds == ["Nominated", "Listed"]


def test_progress_is_reported_up_to_every_row(ledger: Ledger, small: Path) -> None:
    lists = read_published_lists(small)
    seen: list[ImportProgress] = []

    import_published_lists(ledger, lists, progress=seen.append, chunk_rows=2)

    assert seen[-1].done == seen[-1].total == len(lists.rows) == 5
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert any("第一批" in p.stage for p in seen)


def test_nominations_are_saved_in_chunks_and_each_publication_in_one_save(
    ledger: Ledger, tmp_path: Path
) -> None:
    header = FACTORIES.splitlines()[0]
    rows = "".join(f"{i},江苏,江苏第{i}号工厂有限公司,钢铁,某评价机构,1\n" for i in range(1, 8))
    directory = published_lists(tmp_path / "lists", green_factories=f"{header}\n{rows}")

    report = import_published_lists(ledger, read_published_lists(directory), chunk_rows=3)

    # Chunks of 3, 3 and 1 rows (each row: registered, nominated, enterprise and batch notes;
    # the first chunk also opens the batch), then the publication: 7 Listed + 1 Published.
    assert report.saves == (13, 12, 4, 8)
    assert report.events_written == stored_event_count(ledger) == 37


def test_imported_aggregates_are_the_ledger_s_own_kinds(ledger: Ledger, small: Path) -> None:
    report = import_published_lists(ledger, read_published_lists(small))
    kinds = {
        type(ledger.repository.get(UUID(str(n.originator_id)))).__name__
        for n in ledger.recorder.select_notifications(start=None, limit=1000)
    }

    assert kinds == {Enterprise.__name__, Listing.__name__, Batch.__name__}
    assert report.enterprises_registered == 4
    assert all(c.category in (*Category, None) for c in report.counts)


def test_rows_under_an_enterprise_s_former_and_current_names_are_one_listing(
    ledger: Ledger, tmp_path: Path
) -> None:
    registered = ledger.register_enterprise(
        name="江苏旧名钢铁有限公司", region="320000", provenance=by_province(date(2016, 5, 1))
    )
    assert registered.id is not None
    ledger.rename_enterprise(
        registered.id, name="江苏新名钢铁有限公司", provenance=by_province(date(2017, 3, 1))
    )
    header = FACTORIES.splitlines()[0]
    rows = "1,江苏,江苏旧名钢铁有限公司,钢铁,某机构,1\n2,江苏,江苏新名钢铁有限公司,钢铁,某机构,1\n"
    directory = published_lists(tmp_path / "lists", green_factories=f"{header}\n{rows}")

    report = import_published_lists(ledger, read_published_lists(directory))

    (listing_id,) = listed_ids(ledger, 1)
    assert ledger.get_listing(listing_id).enterprise_id == registered.id
    assert [(d.line, d.first_line) for d in report.duplicates] == [(3, 2)]
    assert report.count("green_factories.csv", 1).duplicates == 1
    assert report.enterprises_registered == 0


def test_a_unit_removed_before_a_later_batch_is_nominated_and_listed_again_without_rule_checks(
    ledger: Ledger, tmp_path: Path
) -> None:
    enterprise_id = register(ledger, "江苏甲钢铁有限公司", "320000")
    open_batch(ledger, year=1, day=date(2017, 1, 1))
    listing_id = nominate(ledger, enterprise_id, year=1, day=date(2017, 3, 1))
    publish(ledger, [listing_id], year=1, day=FIRST_DAY)
    ledger.remove_listing(
        listing_id, reasons=["indicators"], provenance=by_ministry(date(2017, 12, 1))
    )
    # No rulebook of 2017 bars a removed unit (NEG-3 comes with 235号): nothing is recorded.
    assert ledger.get_listing(listing_id).barred_until is None
    header = FACTORIES.splitlines()[0]
    directory = published_lists(
        tmp_path / "lists", green_factories=f"{header}\n1,江苏,江苏甲钢铁有限公司,钢铁,某机构,2\n"
    )

    report = import_published_lists(ledger, read_published_lists(directory))

    assert report.imported == 1
    assert listed_ids(ledger, 2) == (listing_id,)
    listing = ledger.get_listing(listing_id)
    assert listing.status is ListingStatus.LISTED
    assert [(p.start, p.end, p.batch_year) for p in listing.periods] == [
        (FIRST_DAY, date(2017, 12, 1), 1),
        (SECOND_DAY, None, 2),
    ]


class PausedAfterFirstChunk:
    """A gate that holds the import before its second save until the test lets it go on."""

    def __init__(self) -> None:
        self.saves = 0
        self.between_chunks = threading.Event()
        self.go_on = threading.Event()

    def __enter__(self) -> None:
        self.saves += 1
        if self.saves == 2:
            self.between_chunks.set()
            if not self.go_on.wait(timeout=60):
                raise TimeoutError("the test never let the import go on")

    def __exit__(self, *details: object) -> None:
        return None


def test_another_writer_s_command_completes_between_the_chunks_of_an_import(
    sql_database_url: str, tmp_path: Path
) -> None:
    header = FACTORIES.splitlines()[0]
    rows = "".join(f"{i},江苏,江苏第{i}号工厂有限公司,钢铁,某评价机构,1\n" for i in range(1, 31))
    lists = read_published_lists(
        published_lists(tmp_path / "lists", green_factories=header + "\n" + rows)
    )
    importer, other = Ledger.open(sql_database_url), Ledger.open(sql_database_url)
    gate = PausedAfterFirstChunk()
    reports: list[ImportReport] = []
    importing = threading.Thread(
        target=lambda: reports.append(
            import_published_lists(importer, lists, chunk_rows=10, gate=gate)
        )
    )
    importing.start()
    try:
        assert gate.between_chunks.wait(timeout=60), "the import never reached its second chunk"
        registered = other.register_enterprise(
            name="浙江另一写入方有限公司", region="330000", provenance=by_province(SECOND_DAY)
        )
    finally:
        gate.go_on.set()
        importing.join(timeout=60)
        importer.close()
    (report,) = reports

    assert registered.position is not None
    # The ledger was empty: the import's first save holds positions 1 to saves[0].
    assert report.saves[0] < registered.position < report.position
    assert report.imported == 30
    assert stored_event_count(other) == report.events_written + 1
    other.close()
