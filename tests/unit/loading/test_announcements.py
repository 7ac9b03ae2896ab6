"""Reading later announcements: a manifest names each transcribed annex and its notice; lists,
移出名单 and 更名名单 are read from their own columns, CSV or XLSX, every unusable row reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from api.spreadsheets import read_first_sheet
from domain.errors import InvalidInputError
from domain.loading.announcements import (
    MANIFEST_FILE,
    AnnexKind,
    Announcements,
    category_named,
    parse_announcements,
    read_announcements,
    removal_reasons,
)
from domain.values import Category, RemovalReason
from tests.builders import DESIGN_ANNEX, announcement_fixtures

REMOVALS = "2023-附件4-移出名单.csv"
RENAMES = "2023-附件5-更名名单.csv"
FACTORIES_2022 = "2022-附件1-绿色工厂名单.csv"


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return announcement_fixtures(tmp_path / "announcements")


@pytest.fixture
def read(directory: Path) -> Announcements:
    return read_announcements(directory, read_first_sheet)


def files_of(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in directory.iterdir()}


def test_the_manifest_groups_each_notice_s_annexes_in_date_order(read: Announcements) -> None:
    notices = [(c.notice.doc_no, c.notice.announced_on, c.notice.batch_year) for c in read.notices]
    kinds = [[(a.kind, a.category) for a in c.annexes] for c in read.notices]

    assert notices == [
        ("测试厅节函〔2023〕64号", date(2023, 3, 23), 2022),
        ("测试厅节函〔2024〕384号", date(2024, 1, 5), 2023),
    ]
    assert kinds == [
        [
            (AnnexKind.LIST, Category.GREEN_FACTORY),
            (AnnexKind.LIST, Category.GREEN_DESIGN_PRODUCT),
            (AnnexKind.LIST, Category.GREEN_PARK),
            (AnnexKind.LIST, Category.GREEN_SUPPLY_CHAIN),
        ],
        [
            (AnnexKind.LIST, Category.GREEN_FACTORY),
            (AnnexKind.LIST, Category.GREEN_SUPPLY_CHAIN),
            (AnnexKind.REMOVALS, None),
            (AnnexKind.RENAMES, None),
        ],
    ]


@pytest.mark.parametrize(
    ("title", "category"),
    [
        ("2022年度绿色工厂名单", Category.GREEN_FACTORY),
        ("绿色供应链管理企业名单", Category.GREEN_SUPPLY_CHAIN),
        ("绿色供应链管理示范企业名单", Category.GREEN_SUPPLY_CHAIN),
        ("2022年度绿色工业园区名单", Category.GREEN_PARK),
        ("二、绿色设计产品", Category.GREEN_DESIGN_PRODUCT),
        ("2022年度绿色制造名单", None),
        ("绿色工厂和绿色工业园区名单", None),
    ],
)
def test_a_title_names_its_category_by_its_words_with_or_without_the_word_for_model(
    title: str, category: Category | None
) -> None:
    assert category_named(title) is category


def test_list_rows_are_read_under_their_title_rows_with_the_notice_s_round_and_date(
    read: Announcements,
) -> None:
    first = read.notices[0]
    factories = [(r.line, r.region.code, r.name) for r in first.listed if r.file == FACTORIES_2022]

    assert factories == [
        (4, "110000", "测试甲汽车零部件有限公司"),
        (5, "320000", "测试乙钢铁有限公司"),
        (6, "320000", "测试丙电子（苏州）有限公司"),
        (7, "330200", "测试丁化纤有限公司"),
        (8, "150000", "测试戊乳业有限公司"),
    ]
    assert {(r.batch_year, r.announced_on) for r in first.listed} == {(2022, date(2023, 3, 23))}


def test_the_xlsx_design_annex_reads_products_by_section_and_region_by_recommender(
    read: Announcements,
) -> None:
    design = [r for r in read.notices[0].listed if r.file == DESIGN_ANNEX]

    assert [
        (r.line, r.region.code, r.name, r.product.name if r.product else None, r.product_kind)
        for r in design
    ] == [
        (5, "440000", "测试庚家电有限公司", "节能冰箱", "一、家用电器"),
        (6, "440000", "测试庚家电有限公司", "节能洗衣机", "一、家用电器"),
        (8, "350000", "测试子陶瓷有限公司", "陶瓷砖", "二、建材"),
    ]
    assert design[0].product is not None
    assert design[0].product.model == "BCD-100"
    assert design[1].product is not None
    assert design[1].product.model is None


def test_removals_take_their_category_from_the_section_heading_and_their_reasons_from_the_text(
    read: Announcements,
) -> None:
    removals = [
        (r.line, r.category, r.name, r.reasons, r.product_name) for r in read.notices[1].removals
    ]

    assert removals == [
        (5, Category.GREEN_FACTORY, "测试乙钢铁有限公司", (RemovalReason.REFUSED_FILING,), None),
        (6, Category.GREEN_FACTORY, "测试戊乳业有限公司", (RemovalReason.INCIDENT,), None),
        (7, Category.GREEN_FACTORY, "测试不存在有限公司", (RemovalReason.NEGATIVE_LIST,), None),
        (
            10,
            Category.GREEN_DESIGN_PRODUCT,
            "测试庚家电有限公司",
            (RemovalReason.INDICATORS,),
            "节能冰箱",
        ),
        (
            12,
            Category.GREEN_SUPPLY_CHAIN,
            "测试丙电子（苏州）有限公司",
            (RemovalReason.NEGATIVE_LIST,),
            None,
        ),
        (14, Category.GREEN_PARK, "测试国家高新技术产业开发区", (RemovalReason.INCIDENT,), None),
    ]


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        ("未按要求填报动态管理表", (RemovalReason.REFUSED_FILING,)),
        ("拒不填报动态管理表", (RemovalReason.REFUSED_FILING,)),
        ("提交数据弄虚作假", (RemovalReason.FALSIFIED_DATA,)),
        ("发生重大生产安全事故", (RemovalReason.INCIDENT,)),
        ("存在偷漏税行为", (RemovalReason.INCIDENT,)),
        ("企业已注销", (RemovalReason.NEGATIVE_LIST,)),
        ("被列为失信被执行人", (RemovalReason.NEGATIVE_LIST,)),
        ("企业搬迁，变更后不再符合相关标准", (RemovalReason.CHANGE_NOT_COMPLIANT,)),
        ("关键指标不符合绿色制造评价要求", (RemovalReason.INDICATORS,)),
        ("企业主动申请退出", (RemovalReason.WITHDRAWN,)),
        (
            "未按时填报动态管理表且现场评估不达标",
            (RemovalReason.REFUSED_FILING, RemovalReason.INDICATORS),
        ),
        ("经营情况良好", ()),
    ],
)
def test_a_reason_text_maps_to_the_removal_reason_codes_it_states(
    text: str, reasons: tuple[RemovalReason, ...]
) -> None:
    assert removal_reasons(text) == reasons


def test_renames_read_old_and_new_names_by_region(read: Announcements) -> None:
    renames = [(r.line, r.region.code, r.old_name, r.new_name) for r in read.notices[1].renames]

    assert renames == [
        (4, "110000", "测试甲汽车零部件有限公司", "测试甲汽车科技股份有限公司"),
        (5, "320000", "测试高新技术产业开发区", "测试国家高新技术产业开发区"),
        (6, "440000", "测试不存在有限公司", "测试新名有限公司"),
    ]


def test_every_unusable_row_is_reported_with_its_file_line_and_reason_chinese_first(
    read: Announcements,
) -> None:
    rejected = {(r.file, r.line): r.reason for r in read.rejected}

    assert set(rejected) == {(FACTORIES_2022, 9), (FACTORIES_2022, 10), (REMOVALS, 8)}
    assert rejected[(FACTORIES_2022, 9)] == "地区「火星」无法识别 (unknown region '火星')"
    assert rejected[(FACTORIES_2022, 10)].startswith("名称为空 (empty name)")
    assert rejected[(REMOVALS, 8)].startswith("移出原因「经营情况良好」无法对应到原因代码")


def test_an_annex_without_its_required_column_is_reported_once_for_all_its_rows(
    directory: Path,
) -> None:
    (directory / REMOVALS).write_text(
        "序号,地区,名称\n1,江苏,测试乙钢铁有限公司\n2,江苏,测试丙电子（苏州）有限公司\n",
        encoding="utf-8",
    )

    read = read_announcements(directory, read_first_sheet)

    (refused,) = [r for r in read.rejected if r.file == REMOVALS]
    assert (refused.line, refused.rows) == (1, 2)
    assert refused.reason == "移出名单缺少列「移出原因」(missing column)"
    assert read.notices[1].removals == ()


def test_a_list_whose_title_names_no_category_is_reported(directory: Path) -> None:
    manifest = (directory / MANIFEST_FILE).read_text(encoding="utf-8")
    (directory / MANIFEST_FILE).write_text(
        manifest.replace("2023年度,绿色工厂名单", "2023年度,名单").replace(
            ",绿色工厂名单,2023", ",名单,2023"
        ),
        encoding="utf-8",
    )

    read = read_announcements(directory, read_first_sheet)

    reasons = {r.file: r.reason for r in read.rejected}
    assert reasons["2023-附件1-绿色工厂名单.csv"].startswith("名称「名单」看不出是哪一类名单")


def test_manifest_rows_that_are_wrong_are_reported_and_files_it_does_not_name_too(
    directory: Path,
) -> None:
    manifest = (directory / MANIFEST_FILE).read_text(encoding="utf-8").splitlines()
    manifest.append(
        "9,测试厅节函〔2024〕384号,2024年1月6日,2023,,更名名单,2023-附件5-更名名单.csv,,"
    )
    manifest.append("10,测试厅节函〔2024〕999号,2024年13月1日,2023,,移出名单,x.csv,,")
    manifest.append("11,测试厅节函〔2024〕998号,2024年2月1日,2023,,移出名单,缺失.csv,,")
    (directory / MANIFEST_FILE).write_text("\n".join(manifest) + "\n", encoding="utf-8")
    (directory / "notes.csv").write_text("序号,备注\n1,无\n", encoding="utf-8")

    read = read_announcements(directory, read_first_sheet)

    reasons = {(r.file, r.line): r.reason for r in read.rejected if r.file != FACTORIES_2022}
    assert reasons[(MANIFEST_FILE, 10)].startswith("与第 6 行同一文号，但时间、年度或通知不同")
    assert reasons[(MANIFEST_FILE, 11)] == "时间「2024年13月1日」不是日期 (bad date)"
    assert reasons[(MANIFEST_FILE, 12)] == "文件「缺失.csv」不在其中 (file not found)"
    assert reasons[("notes.csv", 1)] == "未在 announcements.csv 中列出 (not named in the manifest)"


def test_without_its_manifest_a_directory_is_refused_naming_it(directory: Path) -> None:
    files = files_of(directory)
    del files[MANIFEST_FILE]

    with pytest.raises(InvalidInputError, match=r"announcements\.csv is missing"):
        parse_announcements(files, read_first_sheet)


def test_an_xlsx_annex_cannot_be_read_without_a_reader_and_is_reported(directory: Path) -> None:
    read = read_announcements(directory)

    reasons = {r.file: r.reason for r in read.rejected}
    assert reasons[DESIGN_ANNEX] == "此处无法读取 XLSX (no XLSX reader here)"


def test_a_file_that_is_not_xlsx_inside_is_reported_not_raised(directory: Path) -> None:
    (directory / DESIGN_ANNEX).write_bytes(b"not a workbook")

    read = read_announcements(directory, read_first_sheet)

    reasons = {r.file: r.reason for r in read.rejected}
    assert reasons[DESIGN_ANNEX].startswith("无法读取 XLSX (unreadable XLSX")
