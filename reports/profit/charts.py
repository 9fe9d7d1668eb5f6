"""Simple charts drawn on the server as SVG geometry (no JavaScript, no CDN): a bar chart
that handles losses (bars below the zero line) and a scatter plot. Each has axis titles,
ticks on the value axis and its values written on the chart (the template draws the
shapes and the texts); every chart has its numbers in a table next to it too."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat

WIDTH = 640
HEIGHT = 260
LEFT = 70  # room for the value axis ticks and its title
RIGHT = 10
TOP = 20  # room for the value written over the highest bar
BOTTOM = 44  # room for the category labels and the axis title
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
MAX_CATEGORY_LABELS = 12
MONEY, PERCENT, COUNT, DAYS, SCORE = "money", "percent", "count", "days", "score"


def value_text(value: Decimal | int | None, unit: str, *, compact: bool = False) -> str:
    """A value as written on a chart: money with grouping (12.3k / 1.2M when compact),
    a ratio as a percentage, a count as a whole number."""
    if value is None:
        return "—"
    number = Decimal(value)
    if unit == PERCENT:
        places = Decimal(1) if compact else Decimal("0.1")
        return f"{(number * 100).quantize(places, rounding=ROUND_HALF_UP)}%"
    if compact and abs(number) >= 1000:
        for size, suffix in ((Decimal(1_000_000), "M"), (Decimal(1000), "k")):
            if abs(number) >= size:
                short = (number / size).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                return f"{short}{suffix}"
    if unit in (COUNT,):
        return floatformat(number, "0g")
    if unit in (DAYS, SCORE):
        return floatformat(number, "1g")
    return floatformat(number, "0g" if compact else "2g")


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal
    negative: bool
    text: str = ""  # the value written on the bar
    text_y: float = 0
    show_label: bool = True  # its category label under the axis
    center: float = 0


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    zero_y: float
    x_title: str = ""
    y_title: str = ""
    unit: str = MONEY
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 14
    x_title_y: int = HEIGHT - 6
    y_title_x: int = 14
    y_title_y: int = TOP + PLOT_H // 2
    x_center: int = LEFT + PLOT_W // 2


def _ticks(top: Decimal, bottom: Decimal, y_of, unit: str) -> list[Tick]:
    values = [top, top / 2, Decimal(0)] if top > 0 else [Decimal(0)]
    if bottom < 0:
        values.append(bottom)
    return [Tick(y=y_of(v), text=value_text(v, unit, compact=True)) for v in values]


def bar_chart(
    points: Sequence[tuple[str, Decimal]],
    *,
    x_title: str = "",
    y_title: str = "",
    unit: str = MONEY,
) -> BarChart:
    """Bars for (label, value) in order, scaled to the largest magnitude; the zero line sits
    between the highest value and the deepest loss. Each bar has its value written over it;
    with many bars only every n-th category is labelled under the axis."""
    titles = {"x_title": x_title, "y_title": y_title, "unit": unit}
    if not points:
        return BarChart([], TOP + PLOT_H, **titles)
    top = max(max(Decimal(v) for _, v in points), Decimal(0))
    bottom = min(min(Decimal(v) for _, v in points), Decimal(0))
    span = (top - bottom) or Decimal(1)

    def y_of(value: Decimal) -> float:
        return round(TOP + float((top - value) / span) * PLOT_H, 2)

    zero_y = y_of(Decimal(0))
    step = PLOT_W / len(points)
    every = math.ceil(len(points) / MAX_CATEGORY_LABELS)
    compact = len(points) > MAX_CATEGORY_LABELS
    bars = []
    for index, (label, raw) in enumerate(points):
        value = Decimal(raw)
        size = float(abs(value) / span) * PLOT_H
        y = zero_y - size if value >= 0 else zero_y
        height = max(size, 0.5)
        bars.append(
            Bar(
                x=round(LEFT + index * step + step * 0.1, 2),
                y=round(y, 2),
                width=round(step * 0.8, 2),
                height=round(height, 2),
                label=label,
                value=value,
                negative=value < 0,
                text=value_text(value, unit, compact=compact),
                text_y=round(y - 3 if value >= 0 else y + height + 10, 2),
                show_label=index % every == 0,
                center=round(LEFT + index * step + step / 2, 2),
            )
        )
    return BarChart(bars, zero_y, ticks=_ticks(top, bottom, y_of, unit), **titles)


@dataclass(frozen=True)
class Dot:
    cx: float
    cy: float
    label: str
    x_value: Decimal
    y_value: Decimal


@dataclass(frozen=True)
class Scatter:
    dots: list[Dot]
    zero_y: float
    x_title: str = ""
    y_title: str = ""
    ticks: list[Tick] = field(default_factory=list)  # on the value (y) axis
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 14
    x_title_y: int = HEIGHT - 6
    y_title_x: int = 14
    y_title_y: int = TOP + PLOT_H // 2
    x_center: int = LEFT + PLOT_W // 2


def scatter(
    points: Sequence[tuple[str, Decimal, Decimal]], *, x_title: str = "", y_title: str = ""
) -> Scatter:
    """Dots for (label, x, y): x (money) from 0 to the largest x, y (a ratio) across its
    range and zero."""
    titles = {"x_title": x_title, "y_title": y_title}
    if not points:
        return Scatter([], TOP + PLOT_H, **titles)
    x_max = max(max(x for _, x, _ in points), Decimal(0)) or Decimal(1)
    y_top = max(max(y for _, _, y in points), Decimal(0))
    y_bottom = min(min(y for _, _, y in points), Decimal(0))
    y_span = (y_top - y_bottom) or Decimal(1)

    def y_of(value: Decimal) -> float:
        return round(TOP + float((y_top - value) / y_span) * PLOT_H, 2)

    def x_of(value: Decimal) -> float:
        return round(LEFT + float(max(value, Decimal(0)) / x_max) * PLOT_W, 2)

    dots = [
        Dot(cx=x_of(x), cy=y_of(y), label=label, x_value=x, y_value=y) for label, x, y in points
    ]
    x_ticks = [(x_of(v), value_text(v, MONEY, compact=True)) for v in (0, x_max / 2, x_max)]
    return Scatter(
        dots,
        y_of(Decimal(0)),
        ticks=_ticks(y_top, y_bottom, y_of, PERCENT),
        x_ticks=[(x, text) for x, text in x_ticks],
        **titles,
    )
