"""The instrument analysis report (`analyse --format html`) checked in headless Chromium.

The same checks as the other reports (tests/browser/test_reports_in_browser.py):
axe-core finds nothing, no script and no request, enough contrast, reflow at
320 px, visible focus, and A4 printing that splits no table row. Two reports:
the pilot of tests/data/analyse (every kind of flag, a theme that cannot be
computed) and the bfi data set (2,800 responses, five full themes), when the
shared data is here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser import page_checks
from tests.browser import test_reports_in_browser as shared
from tests.browser.conftest import ARTIFACTS, AXE, require
from tests.cli.test_analyse_cli import BFI_CSV
from tests.conftest import DATA, run_cli

pytestmark = pytest.mark.slow

PILOT = DATA / "analyse" / "pilot"


def _build(name: str, path: Path, *args: str) -> Path:
    result = run_cli("analyse", *args, "--format", "html", "--output", str(path), timeout=300)
    assert result.returncode == 0, f"building {name}: {result.stderr}"
    assert path.is_file(), f"building {name}: {path} was not written"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / path.name).write_bytes(path.read_bytes())
    return path


@pytest.fixture(scope="module", params=["analysis-pilot", "analysis-bfi"])
def analysis(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    name = request.param
    root = tmp_path_factory.mktemp(name)
    if name == "analysis-pilot":
        return _build(name, root / f"{name}.html", str(PILOT / "pilot.csv"), "-f", str(PILOT))
    if not BFI_CSV.exists():
        pytest.skip("the shared bfi data set is not here")
    framework = str(DATA / "frameworks" / "bfi")
    return _build(name, root / f"{name}.html", str(BFI_CSV), "-f", framework, "--id-column", "X")


def test_axe_finds_no_violation(browser: Any, analysis: Path) -> None:
    with shared.opened(browser, analysis) as (page, _):
        page.screenshot(path=str(ARTIFACTS / f"{analysis.stem}.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']})",
            shared.AXE_TAGS,
        )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} - first: {v['nodes'][0]['html'][:160]}"
        for v in result["violations"]
    ]
    assert not violations, "axe-core found:\n" + "\n".join(violations)
    undecided = [
        f"{v['id']}: {node['html'][:160]}" for v in result["incomplete"] for node in v["nodes"]
    ]
    assert not undecided, "axe-core could not decide:\n" + "\n".join(undecided)


def test_flags_come_first_and_the_page_is_self_contained(browser: Any, analysis: Path) -> None:
    with shared.opened(browser, analysis) as (page, requests):
        problems = page.evaluate(page_checks.STRUCTURE)
        page.wait_for_load_state("networkidle")
        headings = page.evaluate("() => [...document.querySelectorAll('h2')].map(h => h.id)")
        scripts = page.evaluate("() => document.querySelectorAll('script').length")
    elsewhere = [
        url for url in requests if url != analysis.as_uri() and not url.startswith("data:")
    ]
    assert not elsewhere, "the page made requests:\n" + "\n".join(elsewhere)
    assert not problems, "\n".join(problems)
    assert scripts == 0
    assert headings[:2] == ["first", "reading"]
    assert all(h.startswith("theme-") for h in headings[2:]) and len(headings) > 2


def test_text_has_enough_contrast(browser: Any, analysis: Path) -> None:
    for width in (1024, 320):
        with shared.opened(browser, analysis, width) as (page, _):
            problems = page.evaluate(page_checks.TEXT_CONTRAST)
        assert not problems, f"at {width}px wide:\n" + "\n".join(problems)


def test_reflows_at_320px(browser: Any, analysis: Path) -> None:
    with shared.opened(browser, analysis, width=320) as (page, _):
        page.screenshot(path=str(ARTIFACTS / f"{analysis.stem}-320px.png"), full_page=True)
        problems = page.evaluate(page_checks.NO_SIDEWAYS_SCROLL)
    assert not problems, "\n".join(problems)


def test_keyboard_focus_is_visible_and_targets_are_large(browser: Any, analysis: Path) -> None:
    problems: list[str] = []
    stops = 0
    with shared.opened(browser, analysis) as (page, _):
        first = None
        for _ in range(200):
            page.keyboard.press("Tab")
            focused = page.evaluate(page_checks.FOCUSED)
            if focused is None or focused["key"] == first:
                break
            first = first or focused["key"]
            stops += 1
            problems.extend(focused["problems"])
    assert stops > 0, "nothing takes keyboard focus (not even the skip link)"
    assert not problems, "\n".join(problems)


def test_printed_a4_splits_no_table_row(browser: Any, analysis: Path, tmp_path: Path) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (apt-get install poppler-utils)")
    marked = tmp_path / f"{analysis.stem}-marked.pdf"
    with shared.opened(browser, analysis) as (page, _):
        page.pdf(path=str(ARTIFACTS / f"{analysis.stem}.pdf"), format="A4", print_background=True)
        items = page.evaluate(page_checks.PRINT_MARKERS)
        page.pdf(path=str(marked), format="A4", print_background=True)
    text = subprocess.run(
        ["pdftotext", str(marked), "-"], capture_output=True, text=True, check=True
    ).stdout
    where: dict[str, int] = {}
    for number, content in enumerate(text.split("\f"), start=1):
        for marker in re.findall(r"QQ\d+[SE]", re.sub(r"\s", "", content)):
            where.setdefault(marker, number)
    assert items, "nothing to check on the printed pages"
    lost = [f"{kind} {n} ({label})" for kind, n, label in items if f"QQ{n}S" not in where]
    assert not lost, "markers missing from the PDF text:\n" + "\n".join(lost)
    split = [
        f"{kind} {label!r}: pages {where.get(f'QQ{n}S')}-{where.get(f'QQ{n}E')}"
        for kind, n, label in items
        if where.get(f"QQ{n}S") != where.get(f"QQ{n}E")
    ]
    assert not split, "split across pages:\n" + "\n".join(split)
