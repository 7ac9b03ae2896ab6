"""Stacked bar charts drawn on the server as SVG (ADR 0070): the geometry here, the markup in the
template. No script draws anything, so the chart prints, and reads without JavaScript; the same
numbers stand in a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: One colour per category, distinguishable in print and for the common colour blindnesses
#: (Okabe–Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

WIDTH = 720
HEIGHT = 320
LEFT = 56
RIGHT = 12
TOP = 16
BOTTOM = 36


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    #: What a tooltip (SVG <title>) says: series, year, value.
    title: str


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Label:
    text: str
    x: float


@dataclass(frozen=True)
class Legend:
    text: str
    colour: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    baseline: float
    right: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Label, ...]
    legend: tuple[Legend, ...]
    #: The largest stacked total, for the chart's accessible description.
    maximum: int


def nice_step(maximum: int, ticks: int = 5) -> int:
    """A round step (1, 2, 5 × 10ⁿ) that divides 0…maximum into about `ticks` parts."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(int(factor * power), 1)
    return max(int(10 * power), 1)


def _stack(
    column: str,
    i: int,
    series: Sequence[tuple[str, Sequence[int]]],
    x: float,
    bar_width: float,
    y_of: Callable[[float], float],
) -> list[Bar]:
    """The bars of one column, each series' value stacked on the ones before it."""
    bars: list[Bar] = []
    stacked = 0
    for index, (name, values) in enumerate(series):
        value = values[i]
        if value <= 0:
            continue
        top = y_of(stacked + value)
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(top, 1),
                width=round(bar_width, 1),
                height=round(y_of(stacked) - top, 1),
                colour=COLOURS[index % len(COLOURS)],
                title=f"{name} {column}: {value}",
            )
        )
        stacked += value
    return bars


def stacked_bars(
    columns: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> BarChart:
    """Bars for each column (a year), each stacked from the series' values in that column."""
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    maximum = max(totals, default=0)
    step = nice_step(maximum)
    top_value = max(step * math.ceil(maximum / step), step)
    plot_height = height - TOP - BOTTOM
    plot_width = width - LEFT - RIGHT
    baseline = TOP + plot_height
    slot = plot_width / max(len(columns), 1)
    bar_width = slot * 0.7

    def y_of(value: float) -> float:
        return baseline - value / top_value * plot_height

    bars = [
        bar
        for i, column in enumerate(columns)
        for bar in _stack(
            column, i, series, LEFT + i * slot + (slot - bar_width) / 2, bar_width, y_of
        )
    ]
    ticks = tuple(
        Tick(value=value, y=round(y_of(value), 1)) for value in range(0, top_value + 1, step)
    )
    labels = tuple(
        Label(text=column, x=round(LEFT + i * slot + slot / 2, 1))
        for i, column in enumerate(columns)
    )
    legend = tuple(
        Legend(text=name, colour=COLOURS[index % len(COLOURS)])
        for index, (name, _) in enumerate(series)
    )
    return BarChart(
        width=width,
        height=height,
        left=LEFT,
        baseline=baseline,
        right=width - RIGHT,
        bars=tuple(bars),
        ticks=ticks,
        labels=labels,
        legend=legend,
        maximum=maximum,
    )


# -- one row per category: horizontal stacked bars ------------------------------------------------

#: The row labels' column at least (a region's Chinese name, 新疆生产建设兵团 the longest, at 12px)
#: and each row's height: every label has its own line, however many rows.
ROW_LABEL_WIDTH = 124
ROW_HEIGHT = 20
ROW_TOTAL_WIDTH = 40


def label_width(text: str) -> int:
    """About how wide a 12px label is: a CJK character a full em, anything else about half."""
    return sum(12 if ord(character) >= 0x2E80 else 7 for character in text) + 12


@dataclass(frozen=True)
class Row:
    """One row: its label, its stacked segments (x, width, colour, title), its total."""

    label: str
    y: float
    bars: tuple[Bar, ...]
    total: int
    total_x: float
    #: What the row says as a whole (its <title>): label, each series' value, the total.
    title: str


@dataclass(frozen=True)
class RowChart:
    width: int
    height: int
    left: int
    top: int
    bottom: float
    right: float
    row_height: int
    rows: tuple[Row, ...]
    #: Vertical grid lines with their values (`Tick.y` holds the x).
    ticks: tuple[Tick, ...]
    legend: tuple[Legend, ...]
    maximum: int


def _row(
    label: str,
    values: Sequence[tuple[str, int]],
    y: float,
    x_of: Callable[[float], float],
    bar_height: float,
) -> Row:
    bars: list[Bar] = []
    stacked = 0
    for index, (name, value) in enumerate(values):
        if value > 0:
            left = x_of(stacked)
            bars.append(
                Bar(
                    x=round(left, 1),
                    y=round(y, 1),
                    width=round(x_of(stacked + value) - left, 1),
                    height=round(bar_height, 1),
                    colour=COLOURS[index % len(COLOURS)],
                    title=f"{label} {name}: {value}",
                )
            )
        stacked += value
    said = "，".join(f"{name} {value}" for name, value in values)
    return Row(
        label=label,
        y=round(y, 1),
        bars=tuple(bars),
        total=stacked,
        total_x=round(x_of(stacked) + 4, 1),
        title=f"{label}：{said}（{stacked}）",
    )


def row_bars(
    rows: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, width: int = WIDTH
) -> RowChart:
    """One horizontal bar per row (a region), stacked from the series' values in that row, each
    row's label on its own line at the left and its total at the bar's end."""
    totals = [sum(values[i] for _, values in series) for i in range(len(rows))]
    maximum = max(totals, default=0)
    step = nice_step(maximum)
    top_value = max(step * math.ceil(maximum / step), step)
    left = max([ROW_LABEL_WIDTH, *(label_width(label) for label in rows)])
    right = width - ROW_TOTAL_WIDTH
    height = TOP + ROW_HEIGHT * len(rows) + BOTTOM

    def x_of(value: float) -> float:
        return left + value / top_value * (right - left)

    drawn = tuple(
        _row(
            label,
            [(name, values[i]) for name, values in series],
            TOP + i * ROW_HEIGHT + ROW_HEIGHT * 0.15,
            x_of,
            ROW_HEIGHT * 0.7,
        )
        for i, label in enumerate(rows)
    )
    return RowChart(
        width=width,
        height=height,
        left=left,
        top=TOP,
        bottom=TOP + ROW_HEIGHT * len(rows),
        right=right,
        row_height=ROW_HEIGHT,
        rows=drawn,
        ticks=tuple(
            Tick(value=value, y=round(x_of(value), 1)) for value in range(0, top_value + 1, step)
        ),
        legend=tuple(
            Legend(text=name, colour=COLOURS[index % len(COLOURS)])
            for index, (name, _) in enumerate(series)
        ),
        maximum=maximum,
    )
