"""The before → after chart of `progress`: a dumbbell chart as inline SVG, from numbers alone.

One chart per measure (a theme, or overall). Each row is a group of people
on a 0-100 % axis: an open circle where they were before, a filled diamond
where they were after, a line between the two. The matched row can carry a
bracket around its after point: the 95 % confidence interval of the mean
change, placed from the before mean (before + lower end to before + upper
end). The shapes differ as well as the colours, the values are written
beside the points, and the caller's table gives the same numbers
(docs/programme-evaluation.md says how to read it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from lpc_assess.reports.charts import (
    BLUE,
    OUTLINE,
    SECONDARY,
    TEXT,
    TRACK,
    _marker,
    _num,
    _open_svg,
    _percent_text,
    _uid,
)

WIDTH = 600
LEFT, RIGHT = 60, 540  # the axis: 0 % at LEFT, 100 % at RIGHT
ROW_H = 50
TOP = 8
FONT_SIZE = 13


@dataclass(frozen=True)
class DumbbellRow:
    """One row: its label, the before and after percents (None: no score), and an interval."""

    label: str
    before: float | None
    after: float | None
    interval: tuple[float, float] | None = None  # percents: before + the change's interval


def x_of(percent: float) -> float:
    """Where a percent sits on the axis (clamped to 0..100)."""
    return LEFT + (RIGHT - LEFT) * min(max(percent, 0.0), 100.0) / 100


def _values(row: DumbbellRow) -> str:
    """The row's numbers in words, written after its label."""

    def shown(value: float | None) -> str:
        return "no score" if value is None else f"{_percent_text(value)}%"

    return f"before {shown(row.before)}, after {shown(row.after)}"


def _row(y: float, row: DumbbellRow) -> list[str]:
    """A row's label and values (above its line) and its dumbbell, centred on `y`."""
    out = [
        f'<text x="{LEFT}" y="{_num(y - 16)}" font-size="{FONT_SIZE}" fill="{TEXT}">'
        f'<tspan font-weight="bold">{escape(row.label)}</tspan>: {escape(_values(row))}</text>',
        f'<line x1="{LEFT}" y1="{_num(y)}" x2="{RIGHT}" y2="{_num(y)}" stroke="{TRACK}" '
        'stroke-width="1"/>',
    ]
    before, after = row.before, row.after
    if before is not None and after is not None:
        out.append(
            f'<line x1="{_num(x_of(before))}" y1="{_num(y)}" x2="{_num(x_of(after))}" '
            f'y2="{_num(y)}" stroke="{OUTLINE}" stroke-width="4"/>'
        )
    if row.interval is not None and after is not None:
        # Under the line, so that it never hides the points: |----| from low to high.
        low, high = (x_of(v) for v in row.interval)
        top, mid, foot = _num(y + 7), _num(y + 12), _num(y + 17)
        out.append(
            f'<path d="M{_num(low)} {top}V{foot}M{_num(low)} {mid}H{_num(high)}'
            f'M{_num(high)} {top}V{foot}" stroke="{BLUE}" stroke-width="1.5" fill="none"/>'
        )
    if before is not None:
        out.append(
            f'<circle cx="{_num(x_of(before))}" cy="{_num(y)}" r="6" fill="#ffffff" '
            f'stroke="{SECONDARY}" stroke-width="2.5"/>'
        )
    if after is not None:
        out.append(_marker("diamond", x_of(after), y, BLUE, size=5.5))
    return out


def dumbbell_svg(rows: Sequence[DumbbellRow], *, title: str, desc: str) -> Markup:
    """A dumbbell chart of percents (0-100), one row per group, with an axis and a legend."""
    axis_y = TOP + 26 + ROW_H * len(rows)
    legend_y = axis_y + 42
    height = legend_y + 14
    uid = _uid("dumbbell", tuple(rows), title)
    out = [_open_svg(uid, WIDTH, height, title, desc, "dumbbell")]
    centres = [TOP + 36 + ROW_H * i for i in range(len(rows))]
    for tick in range(0, 101, 20):
        x = x_of(tick)
        # Grid lines near each row's line and down to the axis, clear of the row labels.
        spans = [(c - 9, c + 18) for c in centres] + [(axis_y - 6, axis_y + 4)]
        path = "".join(f"M{_num(x)} {_num(a)}V{_num(b)}" for a, b in spans)
        out.append(f'<path d="{path}" stroke="{OUTLINE}" stroke-width="1" fill="none"/>')
        out.append(
            f'<text x="{_num(x)}" y="{axis_y + 16}" font-size="11" text-anchor="middle" '
            f'fill="{SECONDARY}">{tick}%</text>'
        )
    out.append(
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{RIGHT}" y2="{axis_y}" stroke="{OUTLINE}" '
        'stroke-width="1"/>'
    )
    for centre, row in zip(centres, rows, strict=True):
        out.extend(_row(centre, row))
    # Legend: the two markers, and the bracket when a row has one.
    x = LEFT
    out.append(
        f'<circle cx="{x + 6}" cy="{legend_y - 4}" r="6" fill="#ffffff" stroke="{SECONDARY}" '
        'stroke-width="2.5"/>'
    )
    out.append(f'<text x="{x + 18}" y="{legend_y}" font-size="12" fill="{TEXT}">Before</text>')
    x += 90
    out.append(_marker("diamond", x + 6, legend_y - 4, BLUE, size=5.5))
    out.append(f'<text x="{x + 18}" y="{legend_y}" font-size="12" fill="{TEXT}">After</text>')
    if any(r.interval is not None for r in rows):
        x += 80
        out.append(
            f'<path d="M{x} {legend_y - 12}V{legend_y + 4}M{x} {legend_y - 4}H{x + 24}'
            f'M{x + 24} {legend_y - 12}V{legend_y + 4}" stroke="{BLUE}" stroke-width="1.5" '
            'fill="none"/>'
        )
        out.append(
            f'<text x="{x + 32}" y="{legend_y}" font-size="12" fill="{TEXT}">'
            "95% interval of the change</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))
