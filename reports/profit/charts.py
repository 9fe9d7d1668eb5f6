"""Simple charts drawn on the server as SVG geometry (no JavaScript, no CDN): a bar chart
that handles losses (bars below the zero line) and a scatter plot. The template draws the
shapes; every chart has its numbers in a table next to it."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 600
HEIGHT = 200
PAD = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal
    negative: bool


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    zero_y: float
    width: int = WIDTH
    height: int = HEIGHT


def bar_chart(points: Sequence[tuple[str, Decimal]]) -> BarChart:
    """Bars for (label, value) in order, scaled to the largest magnitude; the zero line sits
    between the highest profit and the deepest loss."""
    if not points:
        return BarChart([], HEIGHT - PAD)
    top = max(max(v for _, v in points), Decimal(0))
    bottom = min(min(v for _, v in points), Decimal(0))
    span = (top - bottom) or Decimal(1)
    usable = HEIGHT - 2 * PAD
    zero_y = PAD + float(top / span) * usable
    step = WIDTH / len(points)
    bars = []
    for index, (label, value) in enumerate(points):
        size = float(abs(value) / span) * usable
        y = zero_y - size if value >= 0 else zero_y
        bars.append(
            Bar(
                x=round(index * step + step * 0.1, 2),
                y=round(y, 2),
                width=round(step * 0.8, 2),
                height=round(max(size, 0.5), 2),
                label=label,
                value=value,
                negative=value < 0,
            )
        )
    return BarChart(bars, round(zero_y, 2))


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
    width: int = WIDTH
    height: int = HEIGHT


def scatter(points: Sequence[tuple[str, Decimal, Decimal]]) -> Scatter:
    """Dots for (label, x, y): x from 0 to the largest x, y across its range and zero."""
    if not points:
        return Scatter([], HEIGHT - PAD)
    x_max = max(max(x for _, x, _ in points), Decimal(0)) or Decimal(1)
    y_top = max(max(y for _, _, y in points), Decimal(0))
    y_bottom = min(min(y for _, _, y in points), Decimal(0))
    y_span = (y_top - y_bottom) or Decimal(1)
    usable_w, usable_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def y_of(value: Decimal) -> float:
        return round(PAD + float((y_top - value) / y_span) * usable_h, 2)

    dots = [
        Dot(
            cx=round(PAD + float(max(x, Decimal(0)) / x_max) * usable_w, 2),
            cy=y_of(y),
            label=label,
            x_value=x,
            y_value=y,
        )
        for label, x, y in points
    ]
    return Scatter(dots, y_of(Decimal(0)))
