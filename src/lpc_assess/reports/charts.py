"""Charts as inline SVG, built from numbers alone (no plotting library).

Every chart is an accessible image: `role="img"` with a `<title>` and a
`<desc>` that the caller words, and it never relies on colour: the radar's
series differ by dash pattern and marker shape, and every chart has a legend
in text. All text is escaped; the result is `markupsafe.Markup`, ready to drop
into an autoescaped template. The shared pieces here (colours, ids, numbers,
the opening `<svg>`) serve the other chart modules too: `likert.py` (stacked
bars of answers) and `progress_charts.py`.

Text is measured before it is placed (`text_width`), so that the radar's
labels stay inside the drawing and clear of each other whatever the number of
themes and the length of their titles (docs/reports.md, "The radar chart").
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

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


# --- measuring text ---------------------------------------------------------------------

# A character's width in ems: the larger of Liberation Sans (Arial's metrics) and
# DejaVu Sans, regular and italic, rounded up to 0.05 em. Text measured with it,
# plus `overhang` at each end, is never wider when drawn with the fonts in FONT
# (tests/unit/reports/test_radar.py checks the font files, and a browser test
# what Chromium draws).
_GLYPH_EMS = {
    char: ems
    for ems, chars in (
        (0.3, "'Iijl"),
        (0.35, " ,./:;\\|"),
        (0.4, "()-[]ft"),
        (0.45, "!r"),
        (0.5, '"*J`'),
        (0.55, "csz"),
        (0.6, "?L_kvxy"),
        (0.65, "$0123456789FTabdeghnopqu{}"),
        (0.7, "ABEKPSVXYZ"),
        (0.75, "CNRU"),
        (0.8, "&DGHOQ"),
        (0.85, "#+<=>^w~"),
        (0.9, "M"),
        (1.0, "%Wm"),
        (1.05, "@"),
    )
    for char in chars
}
# How far a line's glyph box reaches above and below its baseline, in ems
# (DejaVu Sans 0.93 and 0.24, Liberation Sans 0.91 and 0.21).
TEXT_ASCENT = 0.95
TEXT_DESCENT = 0.25
LABEL_SIZE = 14
LINE_HEIGHT = 16


def _glyph_ems(char: str) -> float:
    known = _GLYPH_EMS.get(char)
    if known is not None:
        return known
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0  # a combining mark or an invisible format character
    parts = unicodedata.normalize("NFD", char)
    if parts[0] in _GLYPH_EMS and all(unicodedata.combining(mark) for mark in parts[1:]):
        return _GLYPH_EMS[parts[0]]  # an accented letter: as wide as its letter
    # Anything else as a full em; wide characters (East Asian, emoji) as more.
    return 1.3 if unicodedata.east_asian_width(char) in ("W", "F") else 1.0


def overhang(size: float) -> float:
    """How far ink may reach past either end of a line at font size `size`.

    An italic f or j reaches 0.17 em past its advance, and a browser rounds
    each glyph's box out to whole pixels.
    """
    return 0.17 * size + 1.0


def text_width(text: str, size: float) -> float:
    """The width of one line of `text` at font size `size`, never less than drawn."""
    return size * sum(_glyph_ems(char) for char in text)


def _wrap_width(text: str, width: float, size: float) -> list[str]:
    """Split `text` into lines no wider than `width` at `size`, at spaces.

    A word too long for a line of its own is broken where it reaches the edge.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current, used = "", 0.0
        for char in word:
            ems = size * _glyph_ems(char)
            if current and used + ems > width:
                lines.append(current)
                current, used = "", 0.0
            current, used = current + char, used + ems
    if current:
        lines.append(current)
    return lines or [""]


def _shorten(lines: list[str], most: int, width: float, size: float) -> list[str]:
    """At most `most` lines; when some are left out, the last one kept ends in an ellipsis."""
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and text_width(last.rstrip() + "…", size) > width:
        last = last[:-1]
    return [*lines[: most - 1], last.rstrip() + "…"]


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def clear_of(self, other: _Box, gap: float) -> bool:
        return (
            self.right + gap <= other.left
            or other.right + gap <= self.left
            or self.bottom + gap <= other.top
            or other.bottom + gap <= self.top
        )


@dataclass(frozen=True)
class _Text:
    """A block of text: the first line's baseline at (x, y), anchored start, middle or end."""

    x: float
    y: float
    anchor: str
    lines: tuple[str, ...]
    notes: int = 0  # the last `notes` lines are notes, in italic
    size: float = LABEL_SIZE

    def box(self) -> _Box:
        width = max(text_width(line, self.size) for line in self.lines)
        left = {"start": self.x, "end": self.x - width}.get(self.anchor, self.x - width / 2)
        return _Box(
            left - overhang(self.size),
            self.y - TEXT_ASCENT * self.size,
            left + width + overhang(self.size),
            self.y + LINE_HEIGHT * (len(self.lines) - 1) + TEXT_DESCENT * self.size,
        )

    def svg(self) -> str:
        x = _num(self.x)
        out = [f'<text x="{x}" y="{_num(self.y)}" text-anchor="{self.anchor}">']
        for j, line in enumerate(self.lines):
            dy = "0" if j == 0 else str(LINE_HEIGHT)
            is_note = j >= len(self.lines) - self.notes
            extra = f' font-style="italic" fill="{SECONDARY}"' if is_note else ""
            out.append(f'<tspan x="{x}" dy="{dy}"{extra}>{escape(line)}</tspan>')
        out.append("</text>")
        return "".join(out)


# --- the radar ----------------------------------------------------------------------

WIDTH = 600
CX, R = 300, 140  # the centre's x and the radius of the 100 % ring
CY_LEAST = 215  # the centre's y, lower when the labels above need the room
PAD = 4  # kept clear inside the drawing's edges
LABEL_GAP = 16  # from the 100 % ring to a label's anchor
LABEL_LINES = 5  # a title that needs more lines at its spoke goes to the key
LABEL_WIDTHS = (150, 190, 120, 100, 80)  # widest lines tried at a spoke, in this order
KEY_LINES = 4  # a title longer than this in the key is shortened (the table has it whole)
CLEAR = 4  # the least space between two labels
RINGS = (20, 40, 60, 80, 100)
MIN_AXES = 3  # fewer axes make no shape: bars instead


def _angle(i: int, n: int) -> float:
    return -math.pi / 2 + 2 * math.pi * i / n


def _ring_values(cy: float) -> list[_Text]:
    """The rings' percents, left of the first spoke."""
    return [_Text(CX - 6, cy - R * ring / 100 + 4, "end", (f"{ring}%",), size=11) for ring in RINGS]


def _spoke_label(i: int, n: int, lines: Sequence[str], notes: int) -> _Text:
    """A label outside the ring at spoke `i`, reading away from it; the centre is at y = 0."""
    cos, sin = math.cos(_angle(i, n)), math.sin(_angle(i, n))
    x, y = CX + (R + LABEL_GAP) * cos, (R + LABEL_GAP) * sin
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    k = len(lines)
    if sin < -0.2:
        first = y - LINE_HEIGHT * (k - 1) - 2  # above the ring: the last line nearest it
    elif sin > 0.2:
        first = y + 12
    else:
        first = y + 5 - LINE_HEIGHT * (k - 1) / 2
    return _Text(x, first, anchor, tuple(lines), notes)


def _room(i: int, n: int) -> float:
    """How wide a label at spoke `i` can be before it leaves the drawing."""
    label = _spoke_label(i, n, [""], 0)
    left, right = label.x - PAD - overhang(LABEL_SIZE), WIDTH - PAD - overhang(LABEL_SIZE) - label.x
    return {"start": right, "end": left}.get(label.anchor, 2 * min(left, right))


def _placed_well(labels: Sequence[_Text]) -> bool:
    """Every label clear of the others, of the ring values and of the chart (centre at y = 0)."""
    boxes = [label.box() for label in labels]
    others = [value.box() for value in _ring_values(0)]
    for k, box in enumerate(boxes):
        if not all(box.clear_of(other, CLEAR) for other in boxes[k + 1 :] + others):
            return False
        dx = max(box.left - CX, 0.0, CX - box.right)
        dy = max(box.top, 0.0, -box.bottom)
        if math.hypot(dx, dy) < R + 6:  # over the ring, where the lines and markers are
            return False
    return True


def _spoke_labels(labels: Sequence[str], notes: Sequence[str]) -> list[_Text] | None:
    """Each title wrapped at its spoke, when they all fit clear of each other; else None."""
    n = len(labels)
    for widest in LABEL_WIDTHS:
        placed = []
        for i, (label, note) in enumerate(zip(labels, notes, strict=True)):
            room = min(widest, _room(i, n))
            lines = _wrap_width(label, room, LABEL_SIZE)
            noted = _wrap_width(note, room, LABEL_SIZE) if note else []
            if len(lines) > LABEL_LINES:
                break
            placed.append(_spoke_label(i, n, lines + noted, len(noted)))
        if len(placed) == n and _placed_well(placed):
            return placed
    return None


def _key(labels: Sequence[str], notes: Sequence[str], top: float) -> list[_Text]:
    """Numbered titles, one under another, the first baseline at `top`."""
    number_x, text_x = PAD + 26, PAD + 34
    room = WIDTH - PAD - overhang(LABEL_SIZE) - text_x
    out: list[_Text] = []
    y = top
    for i, (label, note) in enumerate(zip(labels, notes, strict=True)):
        lines = _shorten(_wrap_width(label, room, LABEL_SIZE), KEY_LINES, room, LABEL_SIZE)
        noted = _wrap_width(note, room, LABEL_SIZE) if note else []
        out.append(_Text(number_x, y, "end", (str(i + 1),)))
        out.append(_Text(text_x, y, "start", (*lines, *noted), len(noted)))
        y += LINE_HEIGHT * (len(lines) + len(noted)) + 6
    return out


def _missing(series: Sequence[tuple[str, Sequence[float | None]]], i: int) -> list[str]:
    return [name for name, values in series if i >= len(values) or values[i] is None]


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

    Each title is wrapped at its spoke when all of them fit there, clear of
    each other; otherwise the spokes are numbered and a key under the chart
    gives the titles (shortened past four lines: the report's table has them
    whole). With fewer than three labels a radar makes no shape, so the same
    numbers are drawn as bars (`bars_svg`).
    """
    n = len(labels)
    if n < MIN_AXES:
        return bars_svg(labels, series, title=title, desc=desc)
    uid = _uid("radar", tuple(labels), tuple((name, tuple(v)) for name, v in series), title)
    gaps: list[str] = []
    notes: list[str] = []
    for i, label in enumerate(labels):
        missing = _missing(series, i)
        if missing:
            gaps.append(f"{label} ({', '.join(missing)})" if len(series) > 1 else label)
        many = len(series) > 1
        notes.append(("no score: " + ", ".join(missing) if many else "no score") if missing else "")
    full_desc = desc
    if gaps:
        full_desc += " No score, so no point on the chart, for: " + "; ".join(gaps) + "."

    spoke = _spoke_labels(labels, notes)
    keyed = spoke is None
    if spoke is None:
        spoke = [_spoke_label(i, n, [str(i + 1)], 0) for i in range(n)]
    cy = max(CY_LEAST, PAD - min(label.box().top for label in spoke))
    spoke = [replace(label, y=label.y + cy) for label in spoke]
    bottom = max([cy + R + 6] + [label.box().bottom for label in spoke])
    key = _key(labels, notes, bottom + 30) if keyed else []
    bottom = max([bottom] + [entry.box().bottom for entry in key])
    legend_top = max(cy + R + 78, bottom + 24)
    legend_x = CX - 110
    legend_room = WIDTH - PAD - overhang(LABEL_SIZE) - (legend_x + 50)
    legend = [_wrap_width(name, legend_room, LABEL_SIZE) for name, _values in series]
    height = legend_top + sum(24 + LINE_HEIGHT * (len(lines) - 1) for lines in legend) + 8
    out = [_open_svg(uid, WIDTH, math.ceil(height), title, full_desc, "radar")]

    def point(i: int, percent: float) -> tuple[float, float]:
        k = R * min(max(percent, 0.0), 100.0) / 100
        return CX + k * math.cos(_angle(i, n)), cy + k * math.sin(_angle(i, n))

    # Grid: rings every 20 percent, one spoke per axis.
    out.append(f'<g fill="none" stroke="{OUTLINE}" stroke-width="1">')
    for ring in RINGS:
        ring_points = " ".join(
            f"{_num(x)},{_num(y)}" for x, y in (point(i, ring) for i in range(n))
        )
        out.append(f'<polygon points="{ring_points}"/>')
    for i in range(n):
        x, y = point(i, 100)
        out.append(f'<line x1="{CX}" y1="{_num(cy)}" x2="{_num(x)}" y2="{_num(y)}"/>')
    out.append("</g>")
    # Axis labels (or their numbers) outside the outer ring, and the key under it.
    out.append(f'<g font-size="{LABEL_SIZE}" fill="{TEXT}">')
    out.extend(label.svg() for label in spoke + key)
    out.append("</g>")

    # The series: a closed shape when every value is present, else segments with gaps.
    # Drawn last-first, so that the first series (the current one) is on top.
    for index, (_name, values) in reversed(list(enumerate(series))):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        present = [(i, v) for i, v in enumerate(values[:n]) if v is not None]
        coords = {i: point(i, v) for i, v in present}
        stroke = f'stroke="{style.colour}" stroke-width="2.5"{_dash(style)} stroke-linejoin="round"'
        if len(present) == n:
            pts = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords.values())
            fill = f'fill="{style.colour}" fill-opacity="0.12"' if index == 0 else 'fill="none"'
            out.append(f'<polygon points="{pts}" {fill} {stroke}/>')
        else:
            segments = []
            for i in range(n):
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
    for value in _ring_values(cy):
        out.append(f'<text x="{_num(value.x)}" y="{_num(value.y)}">{value.lines[0]}</text>')
    out.append("</g>")

    # Legend: a sample of each line with its marker, and the series name.
    out.append(f'<g font-size="{LABEL_SIZE}" fill="{TEXT}">')
    y = legend_top
    for index, lines in enumerate(legend):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        out.append(
            f'<line x1="{legend_x}" y1="{_num(y)}" x2="{legend_x + 40}" y2="{_num(y)}" '
            f'stroke="{style.colour}" stroke-width="2.5"{_dash(style)}/>'
        )
        out.append(_marker(style.marker, legend_x + 20, y, style.colour))
        if len(lines) == 1:
            out.append(f'<text x="{legend_x + 50}" y="{_num(y + 5)}">{escape(lines[0])}</text>')
        else:
            out.append(_Text(legend_x + 50, y + 5, "start", tuple(lines)).svg())
        y += 24 + LINE_HEIGHT * (len(lines) - 1)
    out.append("</g></svg>")
    return Markup("".join(out))


# --- bars, for one or two themes ----------------------------------------------------------


def bars_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    desc: str,
) -> Markup:
    """Horizontal bars of percents (0-100): per label its title, then one bar per series.

    What the radar draws when it has fewer than three axes. Each bar is named
    by its series in text, so colour tells nothing that words do not; a value
    that is None is written "no score" and has no bar.
    """
    uid = _uid("bars", tuple(labels), tuple((name, tuple(v)) for name, v in series), title)
    gaps = [
        f"{label} ({', '.join(missing)})" if len(series) > 1 else label
        for i, label in enumerate(labels)
        if (missing := _missing(series, i))
    ]
    full_desc = desc
    if gaps:
        full_desc += " No score, so no bar, for: " + "; ".join(gaps) + "."
    # Series names sit right-aligned beside their bars.
    names = [_wrap_width(name, 180, LABEL_SIZE) for name, _values in series]
    name_width = max([text_width(line, LABEL_SIZE) for lines in names for line in lines] + [0])
    edge = PAD + overhang(LABEL_SIZE)  # where text may start
    left = edge + name_width + 8  # 0 %
    right = WIDTH - PAD - 76  # 100 %, then room for the value ("100.0%", "no score")
    texts: list[_Text] = []
    shapes: list[str] = []
    y = PAD + 16.0  # the first baseline
    for i, label in enumerate(labels):
        room = WIDTH - 2 * edge
        lines = _shorten(_wrap_width(label, room, LABEL_SIZE), KEY_LINES, room, LABEL_SIZE)
        texts.append(_Text(edge, y, "start", tuple(lines)))
        top = y + LINE_HEIGHT * (len(lines) - 1) + 10  # the first bar's top
        for s, (_name, values) in enumerate(series):
            style = SERIES_STYLES[s % len(SERIES_STYLES)]
            value = values[i] if i < len(values) else None
            baseline = top + 11.5  # a 14 px bar, its text centred on it
            texts.append(_Text(left - 8, baseline, "end", tuple(names[s])))
            shapes.append(
                f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(right - left)}" height="14" '
                f'fill="#ffffff" stroke="{OUTLINE}" stroke-width="1"/>'
            )
            if value is None:
                texts.append(_Text(right + 8, baseline, "start", ("no score",), notes=1))
            else:
                length = (right - left) * min(max(value, 0.0), 100.0) / 100
                shapes.append(
                    f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(length)}" height="14" '
                    f'fill="{style.colour}"/>'
                )
                texts.append(_Text(right + 8, baseline, "start", (f"{_percent_text(value)}%",)))
            top += max(24, LINE_HEIGHT * len(names[s]) + 8)
        y = top + 22
    axis = y - 16  # a scale under the last bar: 0 % to 100 % every 20
    shapes.append(
        f'<line x1="{_num(left)}" y1="{_num(axis)}" x2="{_num(right)}" y2="{_num(axis)}" '
        f'stroke="{OUTLINE}" stroke-width="1"/>'
    )
    ticks = []
    for step in (0, *RINGS):
        x = left + (right - left) * step / 100
        shapes.append(
            f'<line x1="{_num(x)}" y1="{_num(axis)}" x2="{_num(x)}" y2="{_num(axis + 4)}" '
            f'stroke="{OUTLINE}" stroke-width="1"/>'
        )
        ticks.append(_Text(x, axis + 16, "middle", (f"{step}%",), size=11))
    height = math.ceil(axis + 16 + TEXT_DESCENT * 11 + PAD)
    out = [_open_svg(uid, WIDTH, height, title, full_desc, "radar bars")]
    out.extend(shapes)
    out.append(f'<g font-size="{LABEL_SIZE}" fill="{TEXT}">')
    out.extend(text.svg() for text in texts)
    out.append(f'</g><g font-size="11" fill="{SECONDARY}">')
    out.extend(tick.svg() for tick in ticks)
    out.append("</g></svg>")
    return Markup("".join(out))
