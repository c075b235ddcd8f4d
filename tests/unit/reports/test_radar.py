"""The radar's labels, measured from the SVG it writes: inside the drawing, clear of each other.

For 1 to 12 themes, with short titles, 60- and 140-character titles, titles
in capitals and titles that are one long word, each text element's box is
computed from the SVG alone: its position, anchor and font size as written,
its width estimated from its characters (`text_width`, the estimate the chart
itself places labels by). That estimate is checked here against the advance
widths in the font files the chart names, and in a browser against what
Chromium draws (tests/browser/test_radar_in_browser.py).
"""

from __future__ import annotations

import itertools
import math
import random
import re
import string
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from lpc_assess.reports.charts import (
    TEXT_ASCENT,
    TEXT_DESCENT,
    overhang,
    radar_svg,
    text_width,
)

PROSE = (
    "leading change with people who use services and their carers across whole systems "
    "of care listening sharing power building trust in teams communities partnership "
    "shared decisions personalised support planning conversations that matter"
)
WORDS = PROSE.split()
HOSTILE = '<script>alert(1)</script> & "quotes"'


def title(rng: random.Random, length: int) -> str:
    """A title of words, exactly `length` characters long, capitalised."""
    words: list[str] = []
    while len(" ".join(words)) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:length].rstrip().capitalize().ljust(length, "s")


def titles(kind: str, n: int) -> list[str]:
    rng = random.Random(f"{kind}-{n}")
    if kind == "short":
        return [title(rng, rng.randint(5, 12)) for _ in range(n)]
    if kind == "capitals":
        return [title(rng, 60).upper() for _ in range(n)]
    if kind == "one-word":  # nowhere to wrap: the word itself is broken
        return [f"{i}" + "W" * 59 for i in range(n)]
    return [title(rng, int(kind)) for _ in range(n)]


KINDS = ["short", "60", "140", "capitals", "one-word"]


def series_for(n: int, two: bool) -> list[tuple[str, list[float | None]]]:
    now: list[float | None] = [100.0 * ((7 * i) % 11) / 10 for i in range(n)]
    if not two:
        return [("This self-check", now)]
    earlier: list[float | None] = [None if i == 1 else 55.0 for i in range(n)]
    return [("This self-check", now), ("Earlier self-check", earlier)]


def chart(labels: list[str], two: bool = True) -> str:
    desc = "Percent score for each theme: " + "; ".join(labels) + "."
    return str(radar_svg(labels, series_for(len(labels), two), title="Scores", desc=desc))


# --- reading boxes from the SVG -------------------------------------------------------


@dataclass(frozen=True)
class Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlap(self, other: Box) -> float:
        w = min(self.right, other.right) - max(self.left, other.left)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return w * h if w > 0 and h > 0 else 0.0


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in (root.get("viewBox") or "").split())
    return x, y, w, h


def text_boxes(root: ET.Element) -> list[Box]:
    """Every <text>'s box: lines from its tspans (dy), font size and anchor as inherited."""
    boxes: list[Box] = []

    def walk(el: ET.Element, size: float, anchor: str) -> None:
        size = float(el.get("font-size", size))
        anchor = el.get("text-anchor", anchor)
        if el.tag != "text":
            for child in el:
                walk(child, size, anchor)
            return
        x, y = float(el.get("x", 0)), float(el.get("y", 0))
        spans = list(el.iter("tspan"))
        lines = [("".join(t.itertext()), float(t.get("dy", 0))) for t in spans] or [
            ("".join(el.itertext()), 0.0)
        ]
        baselines = list(itertools.accumulate(dy for _, dy in lines))
        width = max(text_width(line, size) for line, _ in lines)
        left = {"start": x, "end": x - width}.get(anchor, x - width / 2)
        boxes.append(
            Box(
                " ".join(line for line, _ in lines),
                left - overhang(size),
                y + baselines[0] - TEXT_ASCENT * size,
                left + width + overhang(size),
                y + baselines[-1] + TEXT_DESCENT * size,
            )
        )

    walk(root, 16.0, "start")
    return boxes


def ring(root: ET.Element) -> tuple[float, float, float]:
    """The radar's centre and outer radius, from its first spoke (the first line drawn)."""
    first = next(root.iter("line"))
    cx, cy = float(first.get("x1", 0)), float(first.get("y1", 0))
    r = math.hypot(float(first.get("x2", 0)) - cx, float(first.get("y2", 0)) - cy)
    return cx, cy, r


def problems(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    x0, y0, w, h = view_box(root)
    boxes = text_boxes(root)
    found = [
        f"outside the {w:g}x{h:g} drawing: {b}"
        for b in boxes
        if b.left < x0 or b.top < y0 or b.right > x0 + w or b.bottom > y0 + h
    ]
    for a, b in itertools.combinations(boxes, 2):
        if a.overlap(b) > 0:
            found.append(f"overlap: {a.text[:40]!r} and {b.text[:40]!r}")
    return found


# --- geometry for every count and length ----------------------------------------------------


@pytest.mark.parametrize("two", [False, True], ids=["one-series", "two-series"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", range(1, 13))
def test_labels_stay_inside_and_never_overlap(n: int, kind: str, two: bool) -> None:
    labels = titles(kind, n)
    svg = chart(labels, two)
    assert problems(svg) == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", range(3, 13))
def test_labels_keep_off_the_chart(n: int, kind: str) -> None:
    """No spoke label reaches over the outer ring, where the lines and markers are."""
    root = ET.fromstring(chart(titles(kind, n)))
    cx, cy, r = ring(root)
    assert r == pytest.approx(140)
    for box in text_boxes(root):
        if box.text.endswith("%"):  # the ring values sit inside, by design
            continue
        dx = max(box.left - cx, 0.0, cx - box.right)
        dy = max(box.top - cy, 0.0, cy - box.bottom)
        assert math.hypot(dx, dy) >= r, f"{box.text[:40]!r} is over the chart"


def lines_of(el: ET.Element) -> list[str]:
    return ["".join(s.itertext()) for s in el.iter("tspan")]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", range(3, 13))
def test_every_title_is_shown_at_its_spoke_or_in_the_key(n: int, kind: str) -> None:
    labels = titles(kind, n)
    root = ET.fromstring(chart(labels, two=False))
    group = next(g for g in root.iter("g") if g.get("font-size") == "14")
    texts = list(group.iter("text"))
    squash = [re.sub(r"\s+", "", label) for label in labels]
    spokes = [re.sub(r"\s+", "", "".join(lines_of(t))) for t in texts[:n]]
    if spokes == squash:  # whole titles, wrapped, at the spokes
        assert len(texts) == n
        return
    # Numbered spokes, then the key: a number and its title, per theme.
    assert spokes == [str(i + 1) for i in range(n)]
    key = texts[n:]
    assert len(key) == 2 * n
    for i, label in enumerate(labels):
        number, entry = key[2 * i], key[2 * i + 1]
        assert "".join(number.itertext()) == str(i + 1)
        shown = " ".join(lines_of(entry))
        assert len(lines_of(entry)) <= 4
        if shown.endswith("…"):  # shortened: a start of the title (the table has it whole)
            assert re.sub(r"\s+", "", label).startswith(re.sub(r"\s+|…", "", shown))
        else:
            assert re.sub(r"\s+", "", shown) == squash[i]


def test_short_titles_are_written_at_their_spokes() -> None:
    for n in range(3, 13):
        labels = titles("short", n)
        root = ET.fromstring(chart(labels))
        assert all(label in (t.text for t in root.iter("tspan")) for label in labels)


def test_titles_too_long_for_the_spokes_are_numbered_and_keyed() -> None:
    labels = titles("140", 9)
    root = ET.fromstring(chart(labels))
    texts = [" ".join(lines_of(t)) or (t.text or "") for t in root.iter("text")]
    assert [str(i) for i in range(1, 10)] == texts[:9]
    assert texts[9:11] == ["1", labels[0]]  # the key: "1", then the first title whole


def test_a_title_longer_than_four_lines_is_shortened_in_the_key() -> None:
    labels = [title(random.Random(i), 600) for i in range(5)]
    svg = chart(labels, two=False)
    assert problems(svg) == []
    root = ET.fromstring(svg)
    entries = [t for t in root.iter("text") if len(lines_of(t)) >= 4]
    assert len(entries) == 5
    for label, entry in zip(labels, entries, strict=True):
        lines = lines_of(entry)
        assert len(lines) == 4 and lines[-1].endswith("…")
        assert label.replace(" ", "").startswith("".join(lines)[:-1].replace(" ", ""))
    desc = root.find("desc")
    assert desc is not None and all(label in (desc.text or "") for label in labels)


def test_no_score_notes_are_placed_like_labels() -> None:
    note = "no score: This self-check, Earlier self-check"
    for n in (3, 5, 12):
        labels = titles("60", n)
        values: list[float | None] = [None] * n
        series = [("This self-check", values), ("Earlier self-check", values)]
        svg = str(radar_svg(labels, series, title="T", desc="D."))
        assert problems(svg) == []
        noted = [
            " ".join(s.text or "" for s in t.iter("tspan") if s.get("font-style") == "italic")
            for t in ET.fromstring(svg).iter("text")
        ]
        assert [text for text in noted if text] == [note] * n


def test_a_long_legend_name_wraps_inside_the_drawing() -> None:
    name = "Earlier self-check of " + "a very long respondent name " * 6
    svg = str(
        radar_svg(["A", "B", "C"], [("Now", [1, 2, 3]), (name, [3, 2, 1])], title="T", desc="D")
    )
    assert problems(svg) == []
    assert name.split()[-1] in svg


def test_the_layout_is_the_same_every_time() -> None:
    labels = titles("60", 9)
    assert chart(labels) == chart(list(labels))


def test_hostile_titles_are_escaped_in_labels_and_key() -> None:
    for n in (2, 4, 12):
        labels = [f"{HOSTILE} {i} " + "x" * 80 for i in range(n)]
        svg = chart(labels)
        assert "<script>" not in svg
        root = ET.fromstring(svg)
        assert any(HOSTILE in "".join(t.itertext()) for t in root.iter("text"))
        assert problems(svg) == []


# --- one or two themes: bars ------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2])
def test_fewer_than_three_themes_are_bars_scaled_to_their_value(n: int) -> None:
    labels = titles("60", n)
    series = series_for(n, two=True)
    svg = str(radar_svg(labels, series, title="Scores", desc="D."))
    root = ET.fromstring(svg)
    assert "bars" in (root.get("class") or "").split()
    assert root.find("polygon") is None and not list(root.iter("polygon"))
    assert root.get("role") == "img" and root.find("title") is not None
    rects = list(root.iter("rect"))
    tracks = [r for r in rects if r.get("stroke")]
    fills = [r for r in rects if not r.get("stroke")]
    present = [v for i in range(n) for _, values in series if (v := values[i]) is not None]
    assert len(tracks) == n * len(series) and len(fills) == len(present)
    track = float(tracks[0].get("width", 0))
    assert [float(r.get("width", 0)) / track for r in fills] == pytest.approx(
        [v / 100 for v in present], abs=0.005
    )
    texts = ["".join(t.itertext()) for t in root.iter("text")]
    for label in labels:
        assert label in texts
    assert texts.count("This self-check") == n and texts.count("Earlier self-check") == n
    if n == 2:  # the earlier self-check has no score for theme 2
        assert "no score" in texts
        assert (root.find("desc").text or "").endswith(  # type: ignore[union-attr]
            f"No score, so no bar, for: {labels[1]} (Earlier self-check)."
        )


# --- the estimate, against the fonts ---------------------------------------------------

FONTS = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Italic.ttf"),
]


def advance(path: Path, text: str, size: float) -> float:
    """The drawn width of `text`: the sum of its glyphs' advance widths in the font file."""
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    per_em = font["head"].unitsPerEm
    return size * sum(metrics[cmap[ord(c)]][0] for c in text if ord(c) in cmap) / per_em


@pytest.fixture(scope="module")
def fonts() -> list[Path]:
    present = [p for p in FONTS if p.is_file()]
    if not present:
        pytest.skip("neither DejaVu Sans nor Liberation Sans is installed (fonts-dejavu-core)")
    return present


def test_the_estimate_is_never_narrower_than_the_fonts(fonts: list[Path]) -> None:
    samples = [
        string.printable.strip(),
        *(c * 10 for c in string.printable.strip()),
        "Équipe, café, naïve: über façade",
        "no score: This self-check, Earlier self-check",
        *titles("140", 6),
        *titles("capitals", 6),
        *titles("one-word", 2),
    ]
    for path in fonts:
        for sample in samples:
            drawn = advance(path, sample, 14)
            estimate = text_width(sample, 14)
            assert estimate >= drawn, f"{path.name}: {sample[:30]!r} {estimate} < {drawn}"
    # ...and not so loose that it wastes the room: ordinary titles within 35 % of DejaVu Sans.
    for sample in titles("140", 6):
        assert text_width(sample, 14) <= 1.35 * advance(fonts[0], sample, 14)


def test_the_line_box_is_never_shorter_than_the_fonts(fonts: list[Path]) -> None:
    from fontTools.ttLib import TTFont

    for path in fonts:
        font = TTFont(path)
        per_em = font["head"].unitsPerEm
        ascent, descent = font["hhea"].ascent / per_em, -font["hhea"].descent / per_em
        assert ascent <= TEXT_ASCENT, path.name
        assert descent <= TEXT_DESCENT, path.name


def test_the_overhang_covers_ink_past_the_advance(fonts: list[Path]) -> None:
    """Italic f and j reach past their advance; the box allows for it at every size drawn."""
    from fontTools.ttLib import TTFont

    for path in fonts:
        font = TTFont(path)
        per_em, cmap = font["head"].unitsPerEm, font.getBestCmap()
        glyphs, metrics = font["glyf"], font["hmtx"]
        reach = 0.0
        for char in string.printable.strip():
            glyph = glyphs[cmap[ord(char)]]
            advance_width = metrics[cmap[ord(char)]][0]
            reach = max(reach, (glyph.xMax - advance_width) / per_em, -glyph.xMin / per_em)
        for size in (11, 14):
            assert reach * size + 1 <= overhang(size), f"{path.name} at {size}"
