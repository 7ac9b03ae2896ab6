"""Reading the published lists: every real row typed or reported, with its file, line and reason."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from domain.errors import InvalidInputError
from domain.loading.published_lists import (
    ANNOUNCEMENTS_FILE,
    DESIGN_PRODUCTS,
    FACTORIES,
    PublishedLists,
    parse_published_lists,
    read_published_lists,
    resolve_region,
    tidy_name,
)
from domain.values import Category, normalise_name
from tests.paths import REPOSITORY

ROOT = REPOSITORY
SHIPPED = ROOT / "data" / "published-lists"
SHARED = ROOT.parent / "shared" / "data" / "published-lists"
DESIGN = DESIGN_PRODUCTS.file

#: Rows per file and batch that the import takes in (the files' rows less the reported residue).
EXPECTED_ROWS = {
    "green_factories.csv": {1: 201, 2: 208, 3: 391, 4: 602, 5: 719, 2021: 662},
    "green_parks.csv": {1: 24, 2: 22, 3: 34, 4: 39, 5: 53, 2021: 52},
    "green_supply_chain.csv": {1: 15, 2: 4, 3: 21, 4: 50, 5: 99, 2021: 107},
    DESIGN: {1: 193, 2: 53, 3: 478, 4: 371, 5: 1067, 2021: 989},
}

#: The design-product rows whose 地区 is a fragment of the enterprise's name (海信, 蒙娜) and whose
#: recommender is the standards institute: each enterprise has one region on its other rows.
FRAGMENTS_RESOLVED_BY_OTHER_ROWS = {
    **dict.fromkeys(range(152, 156), ("海信", "海信（山东）冰箱有限公司", "370200")),
    **dict.fromkeys(range(156, 160), ("海信", "海信容声（广东）冷柜有限公司", "440000")),
    **dict.fromkeys(range(2093, 2097), ("蒙娜", "蒙娜丽莎集团股份有限公司", "440000")),
}
#: The nine category headings the extraction turned into rows (no name, 地区 `na`).
STANDARDS_INSTITUTE = "绿色设计产品评价试点推荐（中国标准化研究院及相关行业协会）"
HEADING_ROWS = (1623, 1624, 1625, 1695, 1696, 1697, 1711, 1712, 1713)


@pytest.fixture(scope="module")
def real() -> PublishedLists:
    return read_published_lists(SHIPPED)


def test_the_shipped_copy_equals_the_shared_published_lists() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/data/published-lists is not beside this clone")
    shared = {p.name: p.read_bytes() for p in SHARED.iterdir() if p.is_file()}
    shipped = {p.name: p.read_bytes() for p in SHIPPED.iterdir() if p.is_file()}

    assert sorted(shipped) == sorted(shared)
    assert shipped == shared


def test_the_shipped_copy_names_its_source_and_licence() -> None:
    notice = (ROOT / "data" / "NOTICE.md").read_text(encoding="utf-8")

    assert "shangfr/GreenCreditPolicy" in notice
    assert "Apache-2.0" in notice


def test_the_factory_file_reads_as_the_official_counts_per_batch(real: PublishedLists) -> None:
    per_batch = Counter(r.batch_year for r in real.rows if r.category is Category.GREEN_FACTORY)

    assert [per_batch[b] for b in (1, 2, 3, 4, 5, 2021)] == [201, 208, 391, 602, 719, 662]


def test_every_real_file_reads_as_its_rows_per_batch_less_the_reported_residue(
    real: PublishedLists,
) -> None:
    per_file: dict[str, Counter[int]] = {}
    for row in real.rows:
        per_file.setdefault(row.file, Counter())[row.batch_year] += 1

    assert {file: dict(counts) for file, counts in per_file.items()} == EXPECTED_ROWS
    assert len(real.rows) == 6454


def test_every_real_row_is_read_or_reported_exactly_once(real: PublishedLists) -> None:
    file_rows = {
        "green_factories.csv": 2783,
        "green_parks.csv": 224,
        "green_supply_chain.csv": 296,
        DESIGN: 3163,
    }
    seen = Counter(r.file for r in real.rows)
    seen.update(r.file for r in real.rejected)
    seen.update(r.file for r in real.duplicates)

    assert dict(seen) == file_rows


def test_every_real_region_label_resolves_but_the_category_headings(
    real: PublishedLists,
) -> None:
    reported = {(r.file, r.line): r.reason for r in real.rejected}

    assert set(reported) == {(DESIGN, line) for line in HEADING_ROWS}
    for line in HEADING_ROWS:
        assert "「企业名称」为空 (empty name in 企业名称)" in reported[(DESIGN, line)]
        assert "unknown region 'na'" in reported[(DESIGN, line)]


@pytest.mark.parametrize(
    ("label", "recommender", "region_code"),
    [
        ("内蒙", None, "150000"),
        ("兵团", None, "660000"),
        ("新疆生产建设兵团", None, "660000"),
        ("西安", STANDARDS_INSTITUTE, "610000"),
        ("苏州", STANDARDS_INSTITUTE, "320000"),
        ("景泰", STANDARDS_INSTITUTE, "620000"),
        ("黑龙", "黑龙江省工业和信息化厅", "230000"),
        ("青岛", "青岛市工业和信息化局", "370200"),
    ],
)
def test_a_published_region_label_resolves_to_its_reporting_region(
    label: str, recommender: str | None, region_code: str
) -> None:
    region = resolve_region(label, recommender)

    assert region is not None
    assert region.code == region_code


def test_a_fragment_with_no_province_in_its_recommender_does_not_resolve() -> None:
    assert resolve_region("海信", STANDARDS_INSTITUTE) is None


def test_a_name_fragment_as_region_takes_the_region_of_the_enterprises_other_rows(
    real: PublishedLists,
) -> None:
    by_line = {r.line: r for r in real.rows if r.file == DESIGN}

    resolved = {
        line: (row.region_label, row.name, row.region.code)
        for line, row in by_line.items()
        if row.region_from_other_rows
    }

    assert resolved == FRAGMENTS_RESOLVED_BY_OTHER_ROWS


def test_a_fragment_stays_unresolved_when_the_enterprise_has_two_regions_elsewhere() -> None:
    announcements = (
        "序号,时间,批次,名称,名单,网页\n"
        "1,2017年8月23日,1,绿色工厂名单,https://example.org/1.pdf,https://example.org/1\n"
        "2,2017年8月23日,1,绿色设计产品名单,https://example.org/2.pdf,https://example.org/1\n"
    )
    factories = "序号,地区,工厂名称,行业,第三方评价机构,批次\n1,山东,某某电器有限公司,家电,,1\n"
    factories += "2,广东,某某电器有限公司,家电,,1\n"
    design = ",".join(DESIGN_PRODUCTS.columns) + "\n"
    design += f"1,某某电器有限公司,冰箱,A1,{STANDARDS_INSTITUTE},某某,1,,,\n"

    lists = parse_published_lists(
        {ANNOUNCEMENTS_FILE: announcements, FACTORIES.file: factories, DESIGN: design}
    )

    assert [(r.file, r.line, r.reason) for r in lists.rejected] == [
        (DESIGN, 2, "地区「某某」无法识别 (unknown region '某某')")
    ]


def test_the_real_design_rows_of_a_city_are_registered_in_its_province(
    real: PublishedLists,
) -> None:
    regions = Counter((r.region_label, r.region.code) for r in real.rows if r.file == DESIGN)

    assert regions[("西安", "610000")] == 3
    assert regions[("合肥", "340000")] == 35
    assert regions[("黑龙", "230000")] == 14
    assert not [label for label, _ in regions if label == "na"]


@pytest.mark.parametrize(
    ("published", "stored"),
    [
        ("日立电梯 （ 成都 ） 有限公司", "日立电梯（成都）有限公司"),
        ("广州立白(番禺)有限公司", "广州立白（番禺）有限公司"),
        ("通威太阳能(成都）有限公司", "通威太阳能（成都）有限公司"),
        ("北京 ABB 电气传动系统有限公司", "北京ABB电气传动系统有限公司"),
        ("江苏太古可口可乐饮料有限 公司", "江苏太古可口可乐饮料有限公司"),
        ("Green Valley (Asia) Ltd", "Green Valley (Asia) Ltd"),
    ],
)
def test_a_published_name_is_stored_tidy_and_keeps_its_identity(
    published: str, stored: str
) -> None:
    assert tidy_name(published) == stored
    assert normalise_name(tidy_name(published)) == normalise_name(published)


def test_the_stray_nan_is_stripped_from_the_design_product_texts(real: PublishedLists) -> None:
    design = [r for r in real.rows if r.file == DESIGN]
    first = next(r for r in design if r.line == 2)

    assert first.product is not None
    assert first.product.standard == (
        "《生态设计产品评价规范 第1部分：家用洗涤剂》（GB/T 32163.1-2015）"
    )
    assert first.highlights is not None
    assert first.highlights.endswith("对富营养化影响较小。")
    assert not [r for r in design if r.product and (r.product.standard or "").endswith("nan")]
    assert not [r for r in design if (r.highlights or "").endswith("nan")]


def test_a_product_without_a_model_has_none(real: PublishedLists) -> None:
    first = next(r for r in real.rows if r.file == DESIGN and r.line == 2)

    assert first.product is not None
    assert (first.product.name, first.product.model) == ("威王十效全能厨房清洁剂", None)


def test_repeated_design_products_are_reported_as_duplicates_of_their_first_row(
    real: PublishedLists,
) -> None:
    duplicates = {
        (d.line, d.batch_year): (d.first_line, d.first_batch_year) for d in real.duplicates
    }

    assert duplicates == {(1386, 3): (1381, 3), (1424, 3): (145, 1), (2637, 5): (2515, 5)}
    assert "duplicate of green_design_products.csv line 145, batch 1" in next(
        d.reason for d in real.duplicates if d.line == 1424
    )


def test_each_batch_and_list_has_its_dated_announcement_with_official_urls(
    real: PublishedLists,
) -> None:
    days = {(a.batch_year, a.category): a.announced_on for a in real.announcements}
    first_factories = real.announcement(1, Category.GREEN_FACTORY)

    assert len(real.announcements) == 24
    assert {days[(b, c)] for b in (1, 2, 3, 4, 5, 2021) for c in Category} == {
        date(2017, 8, 23),
        date(2018, 2, 11),
        date(2018, 10, 29),
        date(2019, 9, 2),
        date(2020, 10, 16),
        date(2022, 1, 15),
    }
    assert first_factories is not None
    assert first_factories.list_document.title == "第一批绿色工厂名单"
    assert first_factories.list_document.url == (
        "https://wap.miit.gov.cn/cms_files/filemanager/oldfile/miit/n1146295/n1652858/"
        "n1652930/n3757016/c5778010/part/5778089.pdf"
    )
    assert first_factories.notice.title == "第一批绿色制造名单"
    assert first_factories.notice.url == (
        "https://wap.miit.gov.cn/zwgk/zcwj/wjfb/zh/art/2020/"
        "art_86ea186823724500aecd3f870d3f7abb.html"
    )
    round_2021 = real.announcement(2021, Category.GREEN_SUPPLY_CHAIN)
    assert round_2021 is not None
    assert round_2021.list_document.title == "2021年度绿色供应链管理示范企业名单"


# -- malformed files ---------------------------------------------------------------------------

ANNOUNCEMENTS = (SHIPPED / ANNOUNCEMENTS_FILE).read_text(encoding="utf-8")
FACTORY_HEADER = "序号,地区,工厂名称,行业,第三方评价机构,批次\n"


def test_a_malformed_factory_file_is_reported_row_by_row_with_its_good_rows_read() -> None:
    factories = FACTORY_HEADER + (
        "1,江苏,江苏甲钢铁有限公司,钢铁,某评价机构,1\n"  # line 2: good
        "2,火星,火星乙化工有限公司,化工,某评价机构,1\n"  # line 3: unknown region
        "3,浙江,,纺织,某评价机构,2\n"  # line 4: empty name
        "4,浙江,浙江丙纺织有限公司,纺织,某评价机构,2019\n"  # line 5: no 2019 round announced
        "5,浙江,浙江丁纺织有限公司,纺织,某评价机构,第二批\n"  # line 6: not a batch
        "6,浙江,浙江戊纺织有限公司\n"  # line 7: missing columns
        "7,内蒙,内蒙古己乳业有限公司,食品,某评价机构,2021\n"  # line 8: good (alias)
    )

    lists = parse_published_lists({ANNOUNCEMENTS_FILE: ANNOUNCEMENTS, FACTORIES.file: factories})

    reasons = {r.line: r.reason for r in lists.rejected}
    assert {r.file for r in lists.rejected} == {FACTORIES.file}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert reasons[3] == "地区「火星」无法识别 (unknown region '火星')"
    assert reasons[4] == "「工厂名称」为空 (empty name in 工厂名称)"
    assert "announcements.csv has no green_factory list for it" in reasons[5]
    assert "bad batch '第二批'" in reasons[6]
    assert "missing column 批次" in reasons[7]
    assert [(r.line, r.name, r.region.code) for r in lists.rows] == [
        (2, "江苏甲钢铁有限公司", "320000"),
        (8, "内蒙古己乳业有限公司", "150000"),
    ]


def test_a_list_file_without_a_required_column_is_reported_once_and_read_no_further() -> None:
    parks = "序号,园区,第三方评价机构,批次\n1,某开发区,某评价机构,1\n2,另一开发区,某评价机构,2\n"

    lists = parse_published_lists({ANNOUNCEMENTS_FILE: ANNOUNCEMENTS, "green_parks.csv": parks})

    (rejected,) = lists.rejected
    assert (rejected.file, rejected.line, rejected.rows) == ("green_parks.csv", 1, 2)
    assert "missing column 地区" in rejected.reason
    assert lists.rows == ()


def test_an_unknown_file_in_the_directory_is_reported() -> None:
    lists = parse_published_lists({ANNOUNCEMENTS_FILE: ANNOUNCEMENTS, "notes.csv": "a,b\n1,2\n"})

    assert [(r.file, r.line) for r in lists.rejected] == [("notes.csv", 1)]


def test_a_bad_announcement_row_is_reported_and_its_list_rows_with_it() -> None:
    announcements = (
        "序号,时间,批次,名称,名单,网页\n"
        "1,2017年8月23日,1,绿色工厂名单,https://example.gov.cn/1.pdf,https://example.gov.cn/1\n"
        "2,2018年2月30日,2,绿色工厂名单,https://example.gov.cn/2.pdf,https://example.gov.cn/2\n"
    )
    factories = FACTORY_HEADER + "1,江苏,甲有限公司,钢铁,某机构,1\n2,江苏,乙有限公司,钢铁,某机构,2"

    lists = parse_published_lists({ANNOUNCEMENTS_FILE: announcements, FACTORIES.file: factories})

    assert [(r.file, r.line) for r in lists.rejected] == [
        (ANNOUNCEMENTS_FILE, 3),
        (FACTORIES.file, 3),
    ]
    assert "bad date" in lists.rejected[0].reason
    assert [r.name for r in lists.rows] == ["甲有限公司"]


def test_a_directory_without_announcements_is_refused(tmp_path: Path) -> None:
    (tmp_path / FACTORIES.file).write_text(FACTORY_HEADER, encoding="utf-8")

    with pytest.raises(InvalidInputError, match=r"announcements\.csv is missing"):
        read_published_lists(tmp_path)
