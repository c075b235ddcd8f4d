"""The radar's labels as Chromium draws them (getBBox), for 1 to 12 themes and long titles.

The unit tests (tests/unit/reports/test_radar.py) place every label by an
estimate of its width; here the browser measures what it really draws. For
every chart of 1 to 12 themes, with short, 60- and 140-character titles,
titles in capitals and titles of one long word, in the fonts the chart asks
for and in each of the two it may fall back to: no text leaves the drawing,
no two texts overlap, and each one drawn fits inside the box the estimate
gave it. Then person reports built by the real command line from frameworks
of 1, 2, 3, 9 and 12 themes with 140-character titles pass the same checks as
every other report (tests/browser/page_checks.py) and axe-core.
"""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser import page_checks
from tests.browser.conftest import AXE
from tests.conftest import run_cli
from tests.unit.reports.test_radar import KINDS, Box, chart, text_boxes, titles, view_box

pytestmark = pytest.mark.slow

# Each text element's box in the SVG's own units (the viewBox's).
MEASURE = """() => [...document.querySelectorAll('svg')].map((svg) => {
  const box = svg.viewBox.baseVal;
  return {
    viewBox: [box.x, box.y, box.width, box.height],
    texts: [...svg.querySelectorAll('text')].map((t) => {
      const b = t.getBBox();
      return {text: t.textContent, x: b.x, y: b.y, width: b.width, height: b.height};
    }),
  };
})"""
# What font a text is drawn in, when the page names one family only.
FONT_FACES = {
    None: "",  # as the chart asks: Arial, else Liberation Sans, else DejaVu Sans
    "DejaVu Sans": "svg.chart { font-family: 'DejaVu Sans' !important; }",
    "Liberation Sans": "svg.chart { font-family: 'Liberation Sans' !important; }",
}
SLACK = 0.5  # px: rounding in getBBox
SCALE = ["Never", "Rarely", "Sometimes", "Often", "Always"]


def drawn(browser: Any, svgs: list[str], css: str) -> list[dict[str, Any]]:
    """Each SVG drawn 600 px wide (one CSS px per viewBox unit), and its texts' boxes."""
    body = "".join(f'<div style="width:600px">{svg}</div>' for svg in svgs)
    page = browser.new_page(viewport={"width": 640, "height": 900})
    try:
        page.set_content(
            f'<!DOCTYPE html><html lang="en"><head><style>body {{ margin: 0; }} {css}'
            f"</style></head><body>{body}</body></html>"
        )
        page.evaluate("() => document.fonts.ready")
        result: list[dict[str, Any]] = page.evaluate(MEASURE)
        return result
    finally:
        page.close()


def as_box(text: dict[str, Any]) -> Box:
    x, y = text["x"], text["y"]
    return Box(text["text"], x, y, x + text["width"], y + text["height"])


@pytest.mark.parametrize("font", list(FONT_FACES), ids=lambda f: f or "as-asked")
@pytest.mark.parametrize("kind", KINDS)
def test_labels_drawn_inside_apart_and_within_their_estimate(
    browser: Any, kind: str, font: str | None
) -> None:
    cases = [(n, two) for n in range(1, 13) for two in (1, 2)]
    svgs = [chart(titles(kind, n), two=two == 2) for n, two in cases]
    problems: list[str] = []
    measured_all = drawn(browser, svgs, FONT_FACES[font])
    for (n, two), svg, measured in zip(cases, svgs, measured_all, strict=True):
        root = ET.fromstring(svg)
        name = f"{n} themes, {two} series"
        x0, y0, w, h = view_box(root)
        assert measured["viewBox"] == [x0, y0, w, h]
        real = [as_box(t) for t in measured["texts"]]
        estimated = text_boxes(root)
        assert [b.text.replace(" ", "") for b in estimated] == [
            b.text.replace(" ", "") for b in real
        ]
        for b in real:
            if b.left < x0 - SLACK or b.top < y0 - SLACK:
                problems.append(f"{name}: {b.text[:30]!r} leaves the drawing at the top or left")
            if b.right > x0 + w + SLACK or b.bottom > y0 + h + SLACK:
                problems.append(f"{name}: {b.text[:30]!r} leaves the drawing at {b}")
        for a, b in itertools.combinations(real, 2):
            across = min(a.right, b.right) - max(a.left, b.left)
            down = min(a.bottom, b.bottom) - max(a.top, b.top)
            if across > SLACK and down > SLACK:
                problems.append(f"{name}: {a.text[:30]!r} and {b.text[:30]!r} overlap")
        for r, e in zip(real, estimated, strict=True):
            inside = (
                r.left >= e.left - SLACK
                and r.right <= e.right + SLACK
                and r.top >= e.top - SLACK
                and r.bottom <= e.bottom + SLACK
            )
            if not inside:
                problems.append(f"{name}: {r.text[:30]!r} drawn {r}, estimated {e}")
    assert not problems, "\n".join(problems)


def _framework(root: Path, n: int) -> tuple[Path, Path, Path]:
    """A framework of `n` themes with 140-character titles, and two answers files for it."""
    themes = [
        {
            "id": f"t{i}",
            "title": titles("140", n)[i],
            "indicators": [
                {
                    "id": f"t{i}-{j}",
                    "statement": f"I do thing {j} of theme {i}.",
                    "actions": ["Try."],
                }
                for j in range(2)
            ],
        }
        for i in range(n)
    ]
    framework = {
        "id": "long-titles",
        "title": "Long titles",
        "version": "1.0",
        "scale": {
            "min": 1,
            "max": 5,
            "labels": dict(enumerate(SCALE, start=1)),
            "skip": "Does not apply",
        },
        "bands": [
            {"id": "low", "label": "Low", "from": 0},
            {"id": "high", "label": "High", "from": 60},
        ],
        "themes": themes,
    }
    folder = root / f"long-{n}"
    folder.mkdir()
    path = folder / "framework.yaml"
    path.write_text(yaml.safe_dump(framework), encoding="utf-8")
    answers = []
    for name, offset in (("now", 0), ("earlier", 2)):
        values = {f"t{i}-{j}": 1 + (i + j + offset) % 5 for i in range(n) for j in range(2)}
        if name == "earlier":
            values.update({"t0-0": "skip", "t0-1": "skip"})  # theme 1 earlier: no score
        file = folder / f"{name}.json"
        file.write_text(
            json.dumps(
                {
                    "framework": "long-titles",
                    "framework_version": "1.0",
                    "respondent": {"id": "sam", "name": "Sam"},
                    "completed": "2026-11-22T10:14:00Z",
                    "answers": values,
                }
            ),
            encoding="utf-8",
        )
        answers.append(file)
    return path, answers[0], answers[1]


@pytest.mark.parametrize("n", [1, 2, 3, 9, 12])
def test_person_reports_with_long_titles_pass_the_report_checks(
    browser: Any, tmp_path: Path, n: int
) -> None:
    framework, now, earlier = _framework(tmp_path, n)
    out = tmp_path / "report.html"
    args = ["report", str(now), "-f", str(framework), "--compare", str(earlier)]
    result = run_cli(*args, "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert ("Bar chart of the theme scores" in html) == (n < 3)
    assert ('class="chart radar bars"' in html) == (n < 3)
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    try:
        page.goto(out.as_uri())
        problems = page.evaluate(page_checks.CHART_LABELS)
        problems += page.evaluate(page_checks.TEXT_CONTRAST)
        page.add_script_tag(path=str(AXE))
        axe = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})"
        )
    finally:
        page.close()
    problems += [f"axe: {v['id']}: {v['nodes'][0]['html'][:120]}" for v in axe["violations"]]
    assert not problems, "\n".join(problems)
