"""SVG charts from numbers: well-formed, accessible, escaped, and drawn where the numbers say."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from lpc_assess.reports.charts import SERIES_STYLES, radar_svg

HOSTILE = '<script>alert(1)</script> & "quotes" {{ 7*7 }}'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == "svg"
    return root


def assert_accessible(root: ET.Element, title: str) -> None:
    assert root.get("role") == "img"
    title_el, desc_el = root.find("title"), root.find("desc")
    assert title_el is not None and desc_el is not None
    assert title_el.text == title
    assert desc_el.text
    labelled = (root.get("aria-labelledby") or "").split()
    assert labelled == [title_el.get("id"), desc_el.get("id")]


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter("text")]


# --- radar ------------------------------------------------------------------------------


def test_radar_is_markup_well_formed_and_accessible() -> None:
    svg = radar_svg(["A", "B", "C", "D"], [("Now", [10, 20, 30, 40])], title="T", desc="D")
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert_accessible(root, "T")
    assert root.find("desc") is not None and root.find("desc").text == "D"  # type: ignore[union-attr]


def test_radar_points_sit_at_their_percent_of_the_radius() -> None:
    # Axis 0 points straight up from the centre (300, 215), radius 140.
    root = parse(radar_svg(["A", "B", "C", "D"], [("Now", [100, 50, 0, 25])], title="T", desc="D"))
    circles = [(float(c.get("cx", 0)), float(c.get("cy", 0))) for c in root.iter("circle")]
    assert (300.0, 75.0) in circles  # 100 % on axis 0: (300, 215 - 140)
    assert (370.0, 215.0) in circles  # 50 % on axis 1 (right): (300 + 70, 215)
    assert (300.0, 215.0) in circles  # 0 % on axis 2: the centre
    assert (265.0, 215.0) in circles  # 25 % on axis 3 (left): (300 - 35, 215)


def test_radar_clamps_values_outside_0_to_100() -> None:
    root = parse(radar_svg(["A", "B", "C"], [("Now", [150, -20, 50])], title="T", desc="D"))
    circles = {(float(c.get("cx", 0)), float(c.get("cy", 0))) for c in root.iter("circle")}
    assert (300.0, 75.0) in circles
    assert (300.0, 215.0) in circles


def test_series_differ_by_dash_and_marker_and_have_a_legend() -> None:
    svg = radar_svg(
        ["A", "B", "C", "D"],
        [("This self-check", [60, 70, 80, 90]), ("Earlier self-check", [50, 50, 50, 50])],
        title="T",
        desc="D",
    )
    root = parse(svg)
    polygons = [p for p in root.iter("polygon") if p.get("stroke-width") == "2.5"]
    dashes = {p.get("stroke-dasharray") for p in polygons}
    assert dashes == {None, SERIES_STYLES[1].dash}
    assert len(list(root.iter("rect"))) >= 4  # the second series' square markers
    assert "This self-check" in texts(root) and "Earlier self-check" in texts(root)


def test_missing_values_leave_a_gap_and_say_so() -> None:
    svg = radar_svg(
        ["Being", "Relating", "Leading", "Delivering"],
        [("Now", [60, 70, None, 90]), ("Before", [50, None, 50, 50])],
        title="T",
        desc="Scores.",
    )
    root = parse(svg)
    desc = root.find("desc")
    assert desc is not None
    assert desc.text == (
        "Scores. No score, so no point on the chart, for: Relating (Before); Leading (Now)."
    )
    # no closed shape for a series with a gap, only the segments between present points
    assert not [p for p in root.iter("polygon") if p.get("stroke-width") == "2.5"]
    paths = [p.get("d", "") for p in root.iter("path") if p.get("stroke-width") == "2.5"]
    assert len(paths) == 2
    assert all(d.count("M") == 2 for d in paths)  # 4 axes, 1 gap: 2 segments each
    joined = " ".join(texts(root))
    assert "no score: Now" in joined and "no score: Before" in joined


def test_one_series_gap_is_noted_as_no_score() -> None:
    root = parse(radar_svg(["A", "B", "C"], [("Now", [None, 50, 50])], title="T", desc="D."))
    assert any("no score" in t for t in texts(root))
    assert root.find("desc").text.endswith("for: A.")  # type: ignore[union-attr]


@pytest.mark.parametrize("labels", [["Only"], ["One", "Two"]])
def test_radar_with_fewer_than_three_axes_draws_bars(labels: list[str]) -> None:
    root = parse(radar_svg(labels, [("Now", [50.0] * len(labels))], title="T", desc="D"))
    assert_accessible(root, "T")
    assert len([r for r in root.iter("rect") if not r.get("stroke")]) == len(labels)


def test_radar_escapes_every_text() -> None:
    svg = radar_svg([HOSTILE, "B", "C"], [(HOSTILE, [1, 2, 3])], title=HOSTILE, desc=HOSTILE)
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find("title").text == HOSTILE  # type: ignore[union-attr]
    assert HOSTILE in texts(root)  # the legend, escaped in markup and intact as text


def test_long_labels_wrap_onto_lines() -> None:
    root = parse(
        radar_svg(
            ["Relating and Communicating", "B", "C"], [("Now", [1, 2, 3])], title="T", desc="D"
        )
    )
    tspans = ["".join(t.itertext()) for t in root.iter("tspan")]
    assert "Relating and" in tspans and "Communicating" in tspans
