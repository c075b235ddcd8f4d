"""Likert charts: one SVG of stacked bars, one bar per row, from counts alone.

`likert_svg` draws the answers to several statements (or any rows of counts
over ordered categories) as one chart: one bar per row, split into one
segment per category in category order, each segment as long as its share of
the row's answers. With `diverging` (the Likert convention) the bars are
placed on a centre line between the lower and upper halves of the scale; on a
scale with an odd number of points the middle point is split in two, half on
each side of the line. Without it, every bar starts at the left edge (bands,
say, which have no middle).

Colours run from light to dark in category order (a sequential blue), and
each category also has its own fill pattern, so the chart reads in greyscale
and without colour vision. One legend serves every row. Rows can be marked
(a reverse-keyed statement) with a line of text under their label.

How to read the charts is in docs/reports.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from lpc_assess.reports.charts import OUTLINE, SECONDARY, TEXT, TRACK, _num, _open_svg, _uid, _wrap

# Layout, in SVG units (about CSS pixels at full width).
WIDTH = 680
RIGHT = 665  # right edge of the bars' area
LABEL_CHARS = 60  # a row label wraps at about this many characters
CHAR_W = 6.2  # room for one character of a label (12-unit Arial averages under 6)
LINE_H = 13  # one line of a row label
BAR_H = 18
ROW_GAP = 6
LEGEND_ROW_H = 20
SWATCH = 14
FONT_SIZE = 12
MARK_TEXT = "agreeing is the weaker answer"

# ColorBrewer's sequential "Blues": light to dark, made for ordered data.
_BLUES = (
    "#deebf7",
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)


@dataclass(frozen=True)
class LikertRow:
    """One bar: its label, a count per category (in category order), and an optional mark."""

    label: str
    counts: Sequence[int]
    marked: bool = False


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    """Relative luminance of `#rrggbb` (WCAG 2 definition): 0 black to 1 white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ordered_fills(count: int) -> list[str]:
    """`count` colours from light to dark, evenly spread along the Blues ramp."""
    if count <= 0:
        return []
    if count == 1:
        return [_BLUES[len(_BLUES) // 2]]
    out = []
    last = len(_BLUES) - 1
    for i in range(count):
        position = last * i / (count - 1)
        low = math.floor(position)
        high = min(low + 1, last)
        t = position - low
        a, b = _rgb(_BLUES[low]), _rgb(_BLUES[high])
        mixed = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
        out.append("#" + "".join(f"{v:02x}" for v in mixed))
    return out


def _ink(fill: str) -> str:
    """The colour of a pattern's marks on `fill`: dark on light fills, white on dark ones."""
    return TEXT if contrast(fill, TEXT) >= contrast(fill, "#ffffff") else "#ffffff"


def _pattern(pid: str, index: int, fill: str) -> str:
    """A pattern tile for category `index`: its fill colour plus marks of its own kind."""
    ink = _ink(fill)
    kind = index % 6
    marks = {
        0: "",
        1: f'<circle cx="3" cy="3" r="1.3" fill="{ink}"/>'
        f'<circle cx="7" cy="7" r="1.3" fill="{ink}"/>',
        2: f'<path d="M-1 1L1 -1M0 8L8 0M7 9L9 7" stroke="{ink}" stroke-width="1.2"/>',
        3: f'<path d="M0 4H8" stroke="{ink}" stroke-width="1.2"/>',
        4: f'<path d="M0 0L8 8M8 0L0 8" stroke="{ink}" stroke-width="1"/>',
        5: f'<path d="M4 0V8" stroke="{ink}" stroke-width="1.2"/>',
    }[kind]
    return (
        f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{fill}"/>{marks}</pattern>'
    )


def _legend_layout(categories: Sequence[str]) -> list[tuple[float, int]]:
    """(x, legend row) of each category's swatch, wrapping to a new row when one is full."""
    places: list[tuple[float, int]] = []
    x, row = 0.0, 0
    for label in categories:
        width = SWATCH + 6 + 0.62 * FONT_SIZE * len(label) + 18  # generous: no overlap
        if x > 0 and x + width > WIDTH:
            x, row = 0.0, row + 1
        places.append((x, row))
        x += width
    return places


def plot_left(labels: Sequence[str]) -> int:
    """The x where the bars start: right of the longest row label (wrapped at LABEL_CHARS)."""
    longest = max((len(line) for label in labels for line in _wrap(label, LABEL_CHARS)), default=0)
    return 16 + math.ceil(CHAR_W * max(longest, 8))


def _ticks(low: int, high: int, step: int) -> list[int]:
    return list(range(-low, high + 1, step))


def _extent(share: float) -> int:
    """A side of the axis: the share rounded up to a multiple of 25 percent, at least 25."""
    return max(25, min(100, 25 * math.ceil(share / 25 - 1e-9)))


def likert_svg(
    rows: Sequence[LikertRow],
    categories: Sequence[str],
    *,
    title: str,
    desc: str,
    diverging: bool = True,
) -> Markup:
    """One chart of stacked bars, one per row, its segments in category order.

    Each segment's width is its count divided by the row's total, times the
    width that 100 percent takes on the axis. With `diverging`, categories
    below the middle of the scale sit left of a centre line and those above
    it right; an odd scale's middle category straddles the line, half on each
    side. The axis on each side reaches the largest share any row has there,
    rounded up to 25 percent. Rows with no answers say so. Every segment is a
    `rect` with `class="seg"` and `data-row`/`data-category` indexes.
    """
    k = len(categories)
    uid = _uid("likert", tuple((r.label, tuple(r.counts), r.marked) for r in rows), title)
    fills = ordered_fills(k)
    pids = [f"{uid}-p{j}" for j in range(k)]
    lower = k // 2  # categories fully left of the centre line
    middle = k // 2 if k % 2 else None  # the category split across it, on an odd scale

    def sides(counts: Sequence[int]) -> tuple[float, float]:
        """(left share, right share) of one row, in percent."""
        total = sum(counts)
        if not total:
            return 0.0, 0.0
        left = sum(counts[:lower]) + (counts[middle] / 2 if middle is not None else 0)
        return 100 * left / total, 100 - 100 * left / total

    # Each row's counts, one per category: missing ones are 0, negative ones are 0.
    counted = [[max(0, c) for c in r.counts][:k] + [0] * max(0, k - len(r.counts)) for r in rows]
    if diverging:
        shares = [sides(counts) for counts in counted]
        left_ext = _extent(max((s[0] for s in shares), default=0.0))
        right_ext = _extent(max((s[1] for s in shares), default=0.0))
    else:
        left_ext, right_ext = 0, 100
    plot_x = plot_left(
        [r.label for r in rows] + ([MARK_TEXT] if any(r.marked for r in rows) else [])
    )
    unit = (RIGHT - plot_x) / (left_ext + right_ext)  # SVG units per percent
    centre = plot_x + left_ext * unit

    legend = _legend_layout(categories)
    legend_rows = (legend[-1][1] + 1) if legend else 0
    top = legend_rows * LEGEND_ROW_H + 8
    layout: list[tuple[list[str], float]] = []  # (label lines, y of the bar)
    y = float(top)
    for row in rows:
        lines = _wrap(row.label, LABEL_CHARS)
        height = max(BAR_H, (len(lines) + (1 if row.marked else 0)) * LINE_H)
        layout.append((lines, y + (height - BAR_H) / 2))
        y += height + ROW_GAP
    plot_bottom = y - ROW_GAP if rows else y
    axis_y = plot_bottom + 6
    height_total = math.ceil(axis_y + 22)

    full_desc = desc
    if diverging:
        full_desc += " Lower answers are left of the centre line and higher answers right of it" + (
            ", the middle answer split across it." if middle is not None else "."
        )
    out = [_open_svg(uid, WIDTH, height_total, title, full_desc, "likert")]
    out.append("<defs>" + "".join(_pattern(pids[j], j, fills[j]) for j in range(k)) + "</defs>")

    # One legend for every row.
    out.append(f'<g class="legend" font-size="{FONT_SIZE}" fill="{TEXT}">')
    for j, (x, legend_row) in enumerate(legend):
        ly = 4 + legend_row * LEGEND_ROW_H
        out.append(
            f'<rect class="swatch" data-category="{j}" x="{_num(x + 1)}" y="{ly}" '
            f'width="{SWATCH}" height="{SWATCH}" fill="url(#{pids[j]})" '
            f'stroke="{TEXT}" stroke-width="1"/>'
        )
        out.append(f'<text x="{_num(x + SWATCH + 7)}" y="{ly + 11}">{escape(categories[j])}</text>')
    out.append("</g>")

    # Grid lines at the ticks, behind the bars.
    ticks = _ticks(left_ext, right_ext, 25)
    out.append(f'<g stroke="{TRACK}" stroke-width="1">')
    for tick in ticks:
        x = centre + tick * unit
        out.append(f'<line x1="{_num(x)}" y1="{top - 4}" x2="{_num(x)}" y2="{_num(axis_y)}"/>')
    out.append("</g>")

    # The rows: label, then the bar's segments.
    for i, (row, counts, (lines, bar_y)) in enumerate(zip(rows, counted, layout, strict=True)):
        total = sum(counts)
        n_lines = len(lines) + (1 if row.marked else 0)
        first = bar_y + BAR_H / 2 - (n_lines - 1) * LINE_H / 2 + 4
        out.append(
            f'<text class="row-label" x="{plot_x - 10}" y="{_num(first)}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="{TEXT}">'
        )
        for j, line in enumerate(lines):
            out.append(
                f'<tspan x="{plot_x - 10}" dy="{0 if j == 0 else LINE_H}">{escape(line)}</tspan>'
            )
        if row.marked:
            out.append(
                f'<tspan x="{plot_x - 10}" dy="{LINE_H if lines else 0}" font-style="italic" '
                f'fill="{SECONDARY}">{MARK_TEXT}</tspan>'
            )
        out.append("</text>")
        if not total:
            out.append(
                f'<text x="{_num(centre)}" y="{_num(bar_y + 15)}" text-anchor="middle" '
                f'font-size="{FONT_SIZE}" font-style="italic" fill="{SECONDARY}">no answers</text>'
            )
            continue
        if diverging:
            left_share, _right = sides(counts)
            x = centre - left_share * unit
        else:
            x = float(plot_x)
        start = x
        for j, count in enumerate(counts):
            if not count:
                continue
            w = 100 * count / total * unit
            out.append(
                f'<rect class="seg" data-row="{i}" data-category="{j}" x="{_num(x)}" '
                f'y="{_num(bar_y)}" width="{_num(w)}" height="{BAR_H}" fill="url(#{pids[j]})" '
                f'stroke="#ffffff" stroke-width="1"/>'
            )
            x += w
        out.append(
            f'<rect x="{_num(start)}" y="{_num(bar_y)}" width="{_num(x - start)}" '
            f'height="{BAR_H}" fill="none" stroke="{OUTLINE}" stroke-width="1"/>'
        )

    # The centre line, over the bars; the axis and its labels under them.
    if diverging:
        out.append(
            f'<line class="centre" x1="{_num(centre)}" y1="{top - 4}" x2="{_num(centre)}" '
            f'y2="{_num(axis_y)}" stroke="{TEXT}" stroke-width="2"/>'
        )
    out.append(f'<g font-size="11" fill="{SECONDARY}" text-anchor="middle">')
    for tick in ticks:
        x = centre + tick * unit
        out.append(f'<text x="{_num(x)}" y="{_num(axis_y + 14)}">{abs(tick)}%</text>')
    out.append("</g></svg>")
    return Markup("".join(out))
