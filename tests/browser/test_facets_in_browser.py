"""The facet sections of the HTML reports (docs/facets.md), checked in headless Chromium
as the other reports are: axe-core finds nothing, text has enough contrast (the shaded
team table included), no request leaves the page, and the page reflows at 320 px.

Two reports, built by the real command line: one person's report of the built-in
framework with every facet answered, and the team report of 12 people with facets.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser import page_checks
from tests.browser.conftest import AXE
from tests.conftest import DATA, run_cli

pytestmark = pytest.mark.slow

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
FACETS = ("knowledge", "skill", "will", "confidence")
THEMES = ("being", "relating-and-communicating", "leading-and-visioning", "delivering")


@pytest.fixture(scope="module")
def chromium(browser: Any) -> Any:
    """The session's Chromium (tests/browser/conftest.py): one Playwright for every module."""
    return browser


def _run(*args: str) -> None:
    result = run_cli(*args, timeout=300)
    assert result.returncode == 0, f"lpc-assess {' '.join(args)}:\n{result.stderr}"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("facets")
    person = root / "person.html"
    _run("report", str(DATA / "valid" / "facets" / "builtin-alex.yaml"), "--format", "html",
         "--output", str(person))  # fmt: skip
    ids = json.loads(run_cli("show", "--format", "json").stdout)["themes"]
    rng = random.Random(16)
    team = root / "team"
    team.mkdir()
    for n in range(12):
        data = {
            "framework": "personalised-care",
            "respondent": {"id": f"p{n}", "name": f"Person {n}"},
            "answers": {i["id"]: rng.randint(1, 5) for t in ids for i in t["indicators"]},
            # Every mean shade appears: some themes answered low, some high.
            "facets": {
                theme: {f: rng.randint(1, 2) if k % 2 else rng.randint(4, 5) for f in FACETS}
                for k, theme in enumerate(THEMES)
            },
        }
        (team / f"p{n}.json").write_text(json.dumps(data))
    out = root / "out"
    _run("batch", str(team), "--out-dir", str(out), "--format", "html")
    return {"person": person, "team": out / "team.html"}


@contextmanager
def opened(browser: Any, path: Path, width: int = 1024) -> Iterator[tuple[Any, list[str]]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(path.as_uri())
        yield page, requests
    finally:
        page.close()


@pytest.mark.parametrize("name", ["person", "team"])
def test_facet_section_is_accessible(chromium: Any, pages: dict[str, Path], name: str) -> None:
    path = pages[name]
    heading = (
        "What holds you back, theme by theme" if name == "person" else "What holds the team back"
    )
    with opened(chromium, path) as (page, requests):
        assert page.get_by_role("heading", name=heading).count() == 1
        structure = page.evaluate(page_checks.STRUCTURE)  # before axe adds its script
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
    violations = [
        f"{v['id']}: {v['help']} - first: {v['nodes'][0]['html'][:160]}"
        for v in result["violations"]
    ]
    assert not violations, "axe-core found:\n" + "\n".join(violations)
    assert not structure, "\n".join(structure)
    assert [url for url in requests if url != path.as_uri() and not url.startswith("data:")] == []


@pytest.mark.parametrize("name", ["person", "team"])
@pytest.mark.parametrize("width", [1024, 320])
def test_facet_text_has_contrast_and_reflows(
    chromium: Any, pages: dict[str, Path], name: str, width: int
) -> None:
    section = "facets" if name == "person" else "team-facets"
    with opened(chromium, pages[name], width) as (page, _):
        contrast = page.evaluate(page_checks.TEXT_CONTRAST)
        # Reflow is checked on the facet section alone: the rest of each report has its
        # own browser tests (test_reports_in_browser.py).
        page.evaluate(
            "(id) => document.querySelectorAll('main > section').forEach("
            "(s) => { if (s.getAttribute('aria-labelledby') !== id) s.remove(); })",
            section,
        )
        assert page.locator(f"section[aria-labelledby={section}]").count() == 1
        sideways = page.evaluate(page_checks.NO_SIDEWAYS_SCROLL) if width == 320 else []
    assert not contrast, "\n".join(contrast)
    assert not sideways, "\n".join(sideways)


def test_the_team_table_is_shaded_with_its_numbers_written(
    chromium: Any, pages: dict[str, Path]
) -> None:
    with opened(chromium, pages["team"]) as (page, _):
        cells = page.evaluate(
            """() => [...document.querySelectorAll('#team-facet-table tbody td.heat')].map(
                (td) => ({text: td.innerText, css: td.className,
                          background: getComputedStyle(td).backgroundColor}))"""
        )
    assert len(cells) == len(THEMES) * len(FACETS)
    shades: dict[int, set[str]] = {}
    for cell in cells:
        figure = re.search(r"(\d+\.\d)%", cell["text"])
        assert figure, cell  # the figure is in the cell
        # Shaded as the people-by-theme heatmap: by the built-in bands (from 0, 40, 60, 80).
        band = sum(1 for start in (0, 40, 60, 80) if float(figure.group(1)) >= start) - 1
        assert f"heat-{band}" in cell["css"].split(), cell
        shades.setdefault(band, set()).add(cell["background"])
    # Low themes (answers 1-2: 0 to 25%) and high ones (4-5: 75 to 100%) are shaded apart,
    # one shade per band.
    assert len(shades) >= 2 and all(len(found) == 1 for found in shades.values())
