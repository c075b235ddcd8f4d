"""The Likert chart: segments as long as their share, placed on a centre line, in scale order.

Every expected coordinate here is worked out by hand from the chart's layout
(docs/reports.md): the bars run from the end of the row labels to x = 665;
each side of the centre line reaches the largest share any row has on that
side, rounded up to 25 percent.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from lpc_assess.reports import likert
from lpc_assess.reports.likert import MARK_TEXT, LikertRow, likert_svg

HOSTILE = '<script>alert(1)</script> & "quotes" {{ 7*7 }}'
FIVE = ["1 Not yet", "2 Rarely", "3 Sometimes", "4 Often", "5 Consistently"]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == "svg"
    return root


def segments(root: ET.Element, row: int = 0) -> list[tuple[int, float, float]]:
    """(category, x, width) of each segment of one row, left to right."""
    found = [
        (int(r.get("data-category", -1)), float(r.get("x", 0)), float(r.get("width", 0)))
        for r in root.iter("rect")
        if r.get("class") == "seg" and r.get("data-row") == str(row)
    ]
    return sorted(found, key=lambda s: s[1])


def centre_x(root: ET.Element) -> float:
    (line,) = [ln for ln in root.iter("line") if ln.get("class") == "centre"]
    assert line.get("x1") == line.get("x2")
    return float(line.get("x1", 0))


def pattern_fills(root: ET.Element) -> dict[str, str]:
    """Pattern id -> the colour of its tile."""
    out = {}
    for pattern in root.iter("pattern"):
        tile = pattern.find("rect")
        assert tile is not None
        out[pattern.get("id", "")] = tile.get("fill", "")
    return out


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance, written out here rather than taken from the module."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --- geometry, by hand ------------------------------------------------------------------------


def test_an_odd_scale_by_hand() -> None:
    # Counts 2, 4, 2, 3, 1 of 12 answers. Left of the line: 2 + 4 and half of the middle 2,
    # so 7/12 = 58.3 %, rounded up to a 75 % axis; right: 5/12 = 41.7 %, a 50 % axis.
    # The label "Short" is under 8 characters: the bars start at 16 + ceil(6.2 * 8) = 66,
    # so 100 percent of the axis (75 + 50 = 125) takes 665 - 66 = 599 units: 4.792 a percent.
    root = parse(likert_svg([LikertRow("Short", [2, 4, 2, 3, 1])], FIVE, title="T", desc="D."))
    unit = 599 / 125
    centre = 66 + 75 * unit  # 425.4
    assert centre_x(root) == pytest.approx(centre, abs=0.01)
    segs = segments(root)
    assert [c for c, _, _ in segs] == [0, 1, 2, 3, 4]  # scale order, left to right
    expected_widths = [100 * n / 12 * unit for n in (2, 4, 2, 3, 1)]  # 79.87, 159.73, ...
    assert [w for _, _, w in segs] == pytest.approx(expected_widths, abs=0.01)
    start = centre - 100 * 7 / 12 * unit  # 145.87
    assert segs[0][1] == pytest.approx(start, abs=0.01)
    for (_, x, w), (_, next_x, _) in zip(segs, segs[1:], strict=False):
        assert x + w == pytest.approx(next_x, abs=0.02)  # no gaps, no overlaps
    # The middle answer straddles the line, half on each side.
    _, mid_x, mid_w = segs[2]
    assert mid_x + mid_w / 2 == pytest.approx(centre, abs=0.02)
    # The axis is labelled 75 % to the left and 50 % to the right, every 25 %.
    axis = [t.text for t in root.iter("text") if t.text and t.text.endswith("%")]
    assert axis == ["75%", "50%", "25%", "0%", "25%", "50%"]


def test_an_even_scale_puts_the_line_between_the_halves() -> None:
    # 4 points, counts 1, 3, 4, 2 of 10: 40 % left (a 50 % axis), 60 % right (a 75 % axis).
    categories = ["1 Never", "2 Seldom", "3 Often", "4 Always"]
    root = parse(likert_svg([LikertRow("Short", [1, 3, 4, 2])], categories, title="T", desc="D."))
    unit = 599 / 125
    centre = 66 + 50 * unit
    assert centre_x(root) == pytest.approx(centre, abs=0.01)
    segs = segments(root)
    # categories 0 and 1 end exactly on the line; 2 starts there
    _, x1, w1 = segs[1]
    assert x1 + w1 == pytest.approx(centre, abs=0.02)
    assert segs[2][1] == pytest.approx(centre, abs=0.02)
    assert [w for _, _, w in segs] == pytest.approx([10 * unit, 30 * unit, 40 * unit, 20 * unit])


def test_segment_widths_are_proportional_to_counts_in_every_row() -> None:
    rows = [
        LikertRow("First statement", [0, 1, 5, 5, 1]),
        LikertRow("Second statement", [6, 0, 0, 0, 6]),
        LikertRow("Third statement", [3, 3, 0, 3, 3]),
    ]
    root = parse(likert_svg(rows, FIVE, title="T", desc="D."))
    centre = centre_x(root)
    full = None
    for i, row in enumerate(rows):
        segs = segments(root, i)
        total = sum(row.counts)
        assert [c for c, _, _ in segs] == [j for j, n in enumerate(row.counts) if n]
        width = sum(w for _, _, w in segs)
        full = full or width
        assert width == pytest.approx(full, abs=0.05)  # every bar is 100 % of its answers
        for category, _, w in segs:
            assert w / width == pytest.approx(row.counts[category] / total, abs=1e-3)
        # what lies left of the line is the lower half plus half the middle
        left = sum(min(w, max(0.0, centre - x)) for _, x, w in segs)
        lower = row.counts[0] + row.counts[1] + row.counts[2] / 2
        assert left / width == pytest.approx(lower / total, abs=1e-3)


def test_without_a_centre_line_bars_start_at_the_left_edge() -> None:
    rows = [LikertRow("Being", [2, 7, 3, 0]), LikertRow("Overall", [2, 9, 1, 0])]
    root = parse(
        likert_svg(
            rows,
            ["Emerging", "Developing", "Established", "Leading"],
            title="T",
            desc="D.",
            diverging=False,
        )
    )
    assert not [ln for ln in root.iter("line") if ln.get("class") == "centre"]
    for i in range(2):
        segs = segments(root, i)
        assert segs[0][1] == pytest.approx(66)  # "Overall" is under 8 characters
        assert sum(w for _, _, w in segs) == pytest.approx(599, abs=0.05)
    assert [w for _, _, w in segments(root, 0)] == pytest.approx(
        [599 * n / 12 for n in (2, 7, 3)], abs=0.01
    )


def test_long_labels_wrap_and_push_the_bars_right() -> None:
    label = "I look for the barriers around a person, rather than at their condition, when I think"
    root = parse(likert_svg([LikertRow(label, [1, 1, 1, 1, 1])], FIVE, title="T", desc="D."))
    lines = ["".join(t.itertext()) for t in root.iter("tspan")]
    assert " ".join(lines) == label
    assert all(len(line) <= likert.LABEL_CHARS for line in lines)
    longest = max(len(line) for line in lines)
    assert segments(root)[0][1] >= 16 + 6.2 * longest  # bars start right of the label


# --- colours, patterns, legend ------------------------------------------------------------


@pytest.mark.parametrize("points", [2, 3, 4, 5, 7, 11])
def test_colours_run_light_to_dark_in_scale_order(points: int) -> None:
    categories = [str(p) for p in range(points)]
    root = parse(likert_svg([LikertRow("S", [1] * points)], categories, title="T", desc="D."))
    fills = pattern_fills(root)
    by_category = [
        fills[s.get("fill", "")[5:-1]]
        for s in sorted(
            (r for r in root.iter("rect") if r.get("class") == "seg"),
            key=lambda r: int(r.get("data-category", 0)),
        )
    ]
    lum = [relative_luminance(c) for c in by_category]
    assert lum == sorted(lum, reverse=True) and len(set(lum)) == points  # lightest first


def test_each_category_has_its_own_pattern_and_one_legend_serves_every_row() -> None:
    rows = [LikertRow(f"Statement {i}", [1, 2, 3, 2, 1]) for i in range(6)]
    svg = likert_svg(rows, FIVE, title="T", desc="D.")
    root = parse(svg)
    patterns = list(root.iter("pattern"))
    bodies = {
        ET.tostring(p).decode().split(">", 1)[1].replace(p.get("id", ""), "") for p in patterns
    }
    marks = {re.sub(r'fill="#[0-9a-f]{6}"', "", b, count=1) for b in bodies}
    assert len(patterns) == 5 and len(marks) == 5  # the marks alone tell them apart
    swatches = [r for r in root.iter("rect") if r.get("class") == "swatch"]
    assert [int(s.get("data-category", -1)) for s in swatches] == [0, 1, 2, 3, 4]
    legend = [t.text for t in root.iter("text") if t.text in FIVE]
    assert legend == FIVE  # once each, in scale order
    for segment in (r for r in root.iter("rect") if r.get("class") == "seg"):
        category = int(segment.get("data-category", -1))
        assert segment.get("fill") == swatches[category].get("fill")


def test_a_reverse_keyed_row_is_marked_in_words() -> None:
    rows = [LikertRow("Plain", [1, 1, 1, 1, 1]), LikertRow("Turned", [1, 1, 1, 1, 1], True)]
    root = parse(likert_svg(rows, FIVE, title="T", desc="D."))
    labels = [t for t in root.iter("text") if t.get("class") == "row-label"]
    assert MARK_TEXT not in "".join(labels[0].itertext())
    assert MARK_TEXT in "".join(labels[1].itertext())


def test_a_row_without_answers_says_so() -> None:
    rows = [LikertRow("Answered", [1, 0, 0, 0, 1]), LikertRow("Nobody", [0, 0, 0, 0, 0])]
    root = parse(likert_svg(rows, FIVE, title="T", desc="D."))
    assert not segments(root, 1)
    assert "no answers" in [t.text for t in root.iter("text")]


# --- accessible and safe ------------------------------------------------------------------


def test_the_chart_is_a_named_image_with_a_description() -> None:
    svg = likert_svg([LikertRow("S", [1, 2, 3, 2, 1])], FIVE, title="Being", desc="Answers.")
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root.find("title"), root.find("desc")
    assert title is not None and desc is not None
    assert title.text == "Being"
    assert desc.text is not None and desc.text.startswith("Answers.")
    assert "centre line" in desc.text and "middle answer split" in desc.text
    assert (root.get("aria-labelledby") or "").split() == [title.get("id"), desc.get("id")]


def test_ids_are_unique_between_charts_and_every_reference_is_defined() -> None:
    one = likert_svg([LikertRow("A", [1, 2])], ["a", "b"], title="One", desc="D.")
    two = likert_svg([LikertRow("A", [1, 2])], ["a", "b"], title="Two", desc="D.")
    ids_one = set(re.findall(r'id="([^"]+)"', one))
    assert not ids_one & set(re.findall(r'id="([^"]+)"', two))
    for ref in re.findall(r"url\(#([^)]+)\)", one):
        assert ref in ids_one


def test_every_text_is_escaped() -> None:
    svg = likert_svg([LikertRow(HOSTILE, [1, 1])], [HOSTILE, "b"], title=HOSTILE, desc=HOSTILE)
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find("title").text == HOSTILE  # type: ignore[union-attr]
    assert HOSTILE in [t.text for t in root.iter("text")]  # the legend, intact as text


def test_missing_and_negative_counts_count_as_none() -> None:
    rows = [LikertRow("Short", [1, -3])]  # two counts for five categories, one of them negative
    root = parse(likert_svg(rows, FIVE, title="T", desc="D."))
    assert [c for c, _, _ in segments(root)] == [0]
    assert len(list(root.iter("pattern"))) == 5  # the legend still has every category
