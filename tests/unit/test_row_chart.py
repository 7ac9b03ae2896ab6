"""The over-time page's per-region chart (ADR 0070, 0151): one horizontal bar per region, so 37
regions' names each have their own line, and each bar's length is its total."""

from __future__ import annotations

from itertools import pairwise

from api.web.chart import ROW_HEIGHT, ROW_LABEL_WIDTH, row_bars
from domain.values import Region

REGIONS = [region.name_zh for region in Region.all()]


def test_each_of_the_37_regions_has_its_own_row_and_no_label_overlaps_another() -> None:
    a_plus = [i % 2 for i in range(len(REGIONS))]
    a = [i % 5 for i in range(len(REGIONS))]
    b = [7 - i % 3 for i in range(len(REGIONS))]

    chart = row_bars(REGIONS, [("A+", a_plus), ("A", a), ("B", b)])

    assert len(REGIONS) == 37
    assert [row.label for row in chart.rows] == REGIONS
    tops = [row.y for row in chart.rows]
    assert all(later - earlier == ROW_HEIGHT for earlier, later in pairwise(tops))
    assert chart.height >= 37 * ROW_HEIGHT
    # 新疆生产建设兵团, the longest name, fits left of the bars at 12px a character.
    assert chart.left == ROW_LABEL_WIDTH > max(len(name) for name in REGIONS) * 12
    assert all(bar.x >= chart.left for row in chart.rows for bar in row.bars)


def test_a_rows_segments_follow_each_other_and_its_length_is_its_total() -> None:
    chart = row_bars(["江苏省", "浙江省"], [("A+", [1, 0]), ("A", [7, 2]), ("B", [12, 4])])

    jiangsu, zhejiang = chart.rows
    assert [bar.title for bar in jiangsu.bars] == ["江苏省 A+: 1", "江苏省 A: 7", "江苏省 B: 12"]
    for earlier, later in pairwise(jiangsu.bars):
        assert abs(earlier.x + earlier.width - later.x) < 0.2
    assert [bar.title for bar in zhejiang.bars] == ["浙江省 A: 2", "浙江省 B: 4"]  # no empty A+
    length = sum(bar.width for bar in jiangsu.bars)
    assert abs(sum(bar.width for bar in zhejiang.bars) - length * 6 / 20) < 0.5
    assert (jiangsu.total, zhejiang.total) == (20, 6)
    assert jiangsu.title == "江苏省：A+ 1，A 7，B 12（20）"
    assert chart.ticks[-1].value >= 20


def test_english_names_widen_the_labels_column_so_the_longest_still_fits() -> None:
    names = [region.name_en for region in Region.all()]

    chart = row_bars(names, [("A+", [1] * len(names))])

    longest = max(names, key=len)
    assert chart.left >= len(longest) * 6 + 8
    assert chart.rows[0].bars[0].x == chart.left
