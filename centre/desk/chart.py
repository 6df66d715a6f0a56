"""Hourly charts drawn on the server as inline SVG (no script, no external asset).

Each chart has a title and labelled axes, and the page states its figures in words beside it, so no
reading depends on colour. Hours with no heartbeat leave a gap: a silent device shows as one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from markupsafe import Markup, escape

WIDTH, HEIGHT = 1200, 170
LEFT, RIGHT, TOP, BOTTOM = 70, 12, 12, 26
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Series:
    title: str  # also the chart's accessible name
    unit: str
    points: Sequence[tuple[datetime, float]]  # (start of the hour, value), oldest first
    bars: bool = False  # counts per hour as bars, else a line


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _frame(title: str, unit: str, top: float) -> list[str]:
    """The opening of a chart's SVG: its accessible name and the value axis from 0 to `top`."""
    inner_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}（{escape(unit)}）</title>",
    ]
    for fraction in (0.0, 0.5, 1.0):
        level = TOP + inner_h * (1 - fraction)
        label = f"{_number(top * fraction)} {unit}" if fraction == 1.0 else _number(top * fraction)
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{level:.1f}" x2="{WIDTH - RIGHT}" y2="{level:.1f}"/>'
        )
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{level + 4:.1f}" text-anchor="end">{escape(label)}</text>'
        )
    return parts


def hourly_chart(series: Series, start: datetime, end: datetime, zone: tzinfo) -> Markup:
    """`series` over [start, end) as an SVG element, one day tick a day (local dates in `zone`)."""
    span = (end - start).total_seconds()
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max((value for _, value in series.points), default=0.0) or 1.0

    def x(moment: datetime) -> float:
        return LEFT + inner_w * (moment - start).total_seconds() / span

    def y(value: float) -> float:
        return TOP + inner_h * (1 - value / top)

    parts = _frame(series.title, series.unit, top)
    day = start.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    while day < end:
        at = x(day)
        parts.append(f'<line class="tick" x1="{at:.1f}" y1="{TOP}" x2="{at:.1f}" y2="{HEIGHT - BOTTOM}"/>')
        parts.append(
            f'<text class="axis" x="{at:.1f}" y="{HEIGHT - 8}" text-anchor="middle">{day:%m-%d}</text>'
        )
        day += timedelta(days=1)
    if series.bars:
        width = max(inner_w * HOUR.total_seconds() / span, 1.0)
        for moment, value in series.points:
            if value > 0:
                parts.append(
                    f'<rect class="bar" x="{x(moment):.1f}" y="{y(value):.1f}" '
                    f'width="{width:.1f}" height="{TOP + inner_h - y(value):.1f}"/>'
                )
    else:
        for run in _runs(series.points):
            coordinates = " ".join(f"{x(moment + HOUR / 2):.1f},{y(value):.1f}" for moment, value in run)
            shape = "polyline" if len(run) > 1 else "circle"
            if shape == "circle":
                moment, value = run[0]
                parts.append(
                    f'<circle class="dot" cx="{x(moment + HOUR / 2):.1f}" cy="{y(value):.1f}" r="2.5"/>'
                )
            else:
                parts.append(f'<polyline class="line" points="{coordinates}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _runs(points: Sequence[tuple[datetime, float]]) -> list[list[tuple[datetime, float]]]:
    """Consecutive hours together; a missing hour starts a new run (the line breaks)."""
    runs: list[list[tuple[datetime, float]]] = []
    for moment, value in points:
        if runs and moment - runs[-1][-1][0] == HOUR:
            runs[-1].append((moment, value))
        else:
            runs.append([(moment, value)])
    return runs


@dataclass(frozen=True)
class Stack:
    """One bar of a stacked chart: its label and (part name, value) from the bottom up."""

    label: str
    parts: Sequence[tuple[str, float]]


def stacked_chart(title: str, unit: str, stacks: Sequence[Stack], classes: Sequence[str]) -> Markup:
    """Bars of stacked parts (part i drawn with CSS class `classes[i]`), each part titled with its name
    and value so a pointer or a screen reader reads the figure; the page lists them in a table too."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max((sum(value for _, value in stack.parts) for stack in stacks), default=0.0) or 1.0
    slot = inner_w / max(len(stacks), 1)
    parts = _frame(title, unit, top)
    for index, stack in enumerate(stacks):
        x = LEFT + slot * index + slot * 0.15
        base = 0.0
        for (name, value), css in zip(stack.parts, classes, strict=True):
            if value <= 0:
                continue
            y = TOP + inner_h * (1 - (base + value) / top)
            height = inner_h * value / top
            parts.append(
                f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}">'
                f"<title>{escape(stack.label)} {escape(name)} {_number(value)} {escape(unit)}</title></rect>"
            )
            base += value
        parts.append(
            f'<text class="axis" x="{x + slot * 0.35:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
            f"{escape(stack.label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
