"""Charts as inline SVG, built from numbers alone (no plotting library).

Every chart is an accessible image: `role="img"` with a `<title>` and a
`<desc>` that the caller words, and it never relies on colour: the radar's
series differ by dash pattern and marker shape, and every chart has a legend
in text. All text is escaped; the result is `markupsafe.Markup`, ready to drop
into an autoescaped template. The shared pieces here (colours, ids, numbers,
the opening `<svg>`) serve the other chart modules too: `likert.py` (stacked
bars of answers) and `progress_charts.py`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from lpc_assess.scoring.rounding import round_half_up

TEXT = "#212b32"
SECONDARY = "#4c6272"
# Lines a reader needs to read a value (the radar's rings and spokes, a bar's
# full length) have at least 3:1 contrast on white (WCAG 1.4.11): NHS grey 2.
OUTLINE = "#768692"
TRACK = "#d8dde0"
BLUE = "#005eb8"
# Arial where it is installed; on a plain Debian, its metric twin Liberation Sans
# (fonts-liberation) or DejaVu Sans (fonts-dejavu-core), in browsers and in PDF alike.
FONT = "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"


@dataclass(frozen=True)
class SeriesStyle:
    colour: str
    dash: str  # SVG stroke-dasharray; "" is a solid line
    marker: str  # circle, square, triangle, diamond or cross
    dash_name: str  # how the legend's text alternative names the line


# Colours all have at least 4.5:1 contrast on white; the dash and the marker
# alone are enough to tell the series apart in greyscale.
SERIES_STYLES = (
    SeriesStyle(BLUE, "", "circle", "solid line, circles"),
    SeriesStyle("#330072", "8 5", "square", "dashed line, squares"),
    SeriesStyle("#007f3b", "2 4", "triangle", "dotted line, triangles"),
    SeriesStyle("#7c2855", "10 4 2 4", "diamond", "dash-dot line, diamonds"),
    SeriesStyle(SECONDARY, "4 3 1 3 1 3", "cross", "dash-dot-dot line, crosses"),
)


def _uid(*parts: object) -> str:
    """A stable id prefix for one chart, so ids are unique in a page yet snapshots stay fixed."""
    return "c" + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:10]


def _num(value: float) -> str:
    """A coordinate, short and stable: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _percent_text(value: float) -> str:
    return str(round_half_up(value, 1))


def _open_svg(uid: str, width: int, height: int, title: str, desc: str, css_class: str) -> str:
    return (
        f'<svg class="chart {css_class}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="{FONT}">'
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<desc id="{uid}-desc">{escape(desc)}</desc>'
    )


def _wrap(text: str, width: int) -> list[str]:
    """Split a label into lines of about `width` characters, at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines or [""]


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    s = size
    common = f'fill="{colour}" stroke="#ffffff" stroke-width="1"'
    if shape == "square":
        return (
            f'<rect x="{_num(x - s)}" y="{_num(y - s)}" width="{_num(2 * s)}" '
            f'height="{_num(2 * s)}" {common}/>'
        )
    if shape == "triangle":
        points = [(x, y - s * 1.25), (x + s * 1.15, y + s * 0.85), (x - s * 1.15, y + s * 0.85)]
    elif shape == "diamond":
        points = [(x, y - s * 1.3), (x + s * 1.3, y), (x, y + s * 1.3), (x - s * 1.3, y)]
    elif shape == "cross":
        d = s * 0.9
        return (
            f'<path d="M{_num(x - d)} {_num(y - d)}L{_num(x + d)} {_num(y + d)}'
            f'M{_num(x - d)} {_num(y + d)}L{_num(x + d)} {_num(y - d)}" '
            f'stroke="{colour}" stroke-width="2.5" fill="none"/>'
        )
    else:
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(s)}" {common}/>'
    path = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
    return f'<polygon points="{path}" {common}/>'


def _dash(style: SeriesStyle) -> str:
    return f' stroke-dasharray="{style.dash}"' if style.dash else ""


def radar_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    desc: str,
) -> Markup:
    """A radar (spider) chart of percents (0-100), one axis per label.

    `series` is a list of (name, values), one value per label; None is a
    value that has no score. It is left out of the line (the line has a gap
    there) and the axis says which series have no score. Several series are
    overlaid and told apart by dash pattern and marker shape, with a legend.
    """
    n = len(labels)
    width, cx, cy, r = 600, 300, 215, 140
    legend_top = cy + r + 78
    height = legend_top + 24 * max(1, len(series)) + 8
    uid = _uid("radar", tuple(labels), tuple((name, tuple(v)) for name, v in series), title)
    gaps: list[str] = []
    for i, label in enumerate(labels):
        missing = [name for name, values in series if i >= len(values) or values[i] is None]
        if missing:
            gaps.append(f"{label} ({', '.join(missing)})" if len(series) > 1 else label)
    full_desc = desc
    if gaps:
        full_desc += " No score, so no point on the chart, for: " + "; ".join(gaps) + "."
    out = [_open_svg(uid, width, height, title, full_desc, "radar")]

    def angle(i: int) -> float:
        return -math.pi / 2 + 2 * math.pi * i / max(n, 1)

    def point(i: int, percent: float) -> tuple[float, float]:
        k = r * min(max(percent, 0.0), 100.0) / 100
        return cx + k * math.cos(angle(i)), cy + k * math.sin(angle(i))

    # Grid: rings every 20 percent, one spoke per axis.
    out.append(f'<g fill="none" stroke="{OUTLINE}" stroke-width="1">')
    for ring in (20, 40, 60, 80, 100):
        if n >= 3:
            ring_points = " ".join(
                f"{_num(x)},{_num(y)}" for x, y in (point(i, ring) for i in range(n))
            )
            out.append(f'<polygon points="{ring_points}"/>')
        else:
            out.append(f'<circle cx="{cx}" cy="{cy}" r="{_num(r * ring / 100)}"/>')
    for i in range(n):
        x, y = point(i, 100)
        out.append(f'<line x1="{cx}" y1="{cy}" x2="{_num(x)}" y2="{_num(y)}"/>')
    out.append("</g>")
    # Axis labels, wrapped, placed outside the outer ring.
    out.append(f'<g font-size="14" fill="{TEXT}">')
    for i, label in enumerate(labels):
        a = angle(i)
        cos, sin = math.cos(a), math.sin(a)
        x, y = cx + (r + 16) * cos, cy + (r + 16) * sin
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        lines = _wrap(label, 18)
        missing = [name for name, values in series if i >= len(values) or values[i] is None]
        notes = 0
        if missing:
            note = _wrap("no score" if len(series) == 1 else "no score: " + ", ".join(missing), 18)
            lines.extend(note)
            notes = len(note)
        line_height = 16
        if sin < -0.2:
            first = y - line_height * (len(lines) - 1) - 2
        elif sin > 0.2:
            first = y + 12
        else:
            first = y + 5 - line_height * (len(lines) - 1) / 2
        out.append(f'<text x="{_num(x)}" y="{_num(first)}" text-anchor="{anchor}">')
        for j, line in enumerate(lines):
            dy = "0" if j == 0 else str(line_height)
            is_note = j >= len(lines) - notes
            extra = f' font-style="italic" fill="{SECONDARY}"' if is_note else ""
            out.append(f'<tspan x="{_num(x)}" dy="{dy}"{extra}>{escape(line)}</tspan>')
        out.append("</text>")
    out.append("</g>")

    # The series: a closed shape when every value is present, else segments with gaps.
    # Drawn last-first, so that the first series (the current one) is on top.
    for index, (_name, values) in reversed(list(enumerate(series))):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        present = [(i, v) for i, v in enumerate(values[:n]) if v is not None]
        coords = {i: point(i, v) for i, v in present}
        stroke = f'stroke="{style.colour}" stroke-width="2.5"{_dash(style)} stroke-linejoin="round"'
        if len(present) == n and n >= 3:
            pts = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords.values())
            fill = f'fill="{style.colour}" fill-opacity="0.12"' if index == 0 else 'fill="none"'
            out.append(f'<polygon points="{pts}" {fill} {stroke}/>')
        elif n >= 2:
            segments = []
            pairs = range(n) if n >= 3 else range(1)
            for i in pairs:
                j = (i + 1) % n
                if i in coords and j in coords:
                    (x1, y1), (x2, y2) = coords[i], coords[j]
                    segments.append(f"M{_num(x1)} {_num(y1)}L{_num(x2)} {_num(y2)}")
            if segments:
                out.append(f'<path d="{"".join(segments)}" fill="none" {stroke}/>')
        for x, y in coords.values():
            out.append(_marker(style.marker, x, y, style.colour))

    # Ring values sit left of the first spoke, drawn over the series and haloed,
    # so that a line or marker crossing them never hides them.
    out.append(
        f'<g font-size="11" fill="{SECONDARY}" text-anchor="end" stroke="#ffffff" '
        'stroke-width="3" paint-order="stroke">'
    )
    for ring in (20, 40, 60, 80, 100):
        out.append(f'<text x="{cx - 6}" y="{_num(cy - r * ring / 100 + 4)}">{ring}%</text>')
    out.append("</g>")

    # Legend: a sample of each line with its marker, and the series name.
    out.append(f'<g font-size="14" fill="{TEXT}">')
    for index, (name, _values) in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        y = legend_top + 24 * index
        x0 = cx - 110
        out.append(
            f'<line x1="{x0}" y1="{y}" x2="{x0 + 40}" y2="{y}" stroke="{style.colour}" '
            f'stroke-width="2.5"{_dash(style)}/>'
        )
        out.append(_marker(style.marker, x0 + 20, y, style.colour))
        out.append(f'<text x="{x0 + 50}" y="{y + 5}">{escape(name)}</text>')
    out.append("</g></svg>")
    return Markup("".join(out))
