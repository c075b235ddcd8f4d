"""The `progress` report in headless Chromium, checked as the other HTML reports are.

Two reports, built by the real command line: the test cohort of
tests/data/progress (answers folders, facets, a rejected file, people not
matched), and a tiny one where almost every figure is null (one person
matched, one person before). For each: axe-core finds no WCAG A/AA or
best-practice violation; SVG text has enough contrast; the dumbbell charts
are named images with a table in their section and labels that are neither
clipped nor overlapping; no script and no request; nothing scrolls sideways
at 320 px; focus is visible; printed to A4, no chart or table row is split.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser import page_checks
from tests.browser.conftest import ARTIFACTS, AXE, require
from tests.conftest import DATA, run_cli

pytestmark = pytest.mark.slow

HERE = DATA / "progress"
FRAMEWORK = HERE / "framework"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def _build(target: Path, before: Path, after: Path) -> Path:
    result = run_cli(
        "progress", str(before), str(after), "-f", str(FRAMEWORK), "--format", "html",
        "-o", str(target),
    )  # fmt: skip
    assert result.returncode in (0, 1) and target.is_file(), result.stderr
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("progress")
    reports = {"progress-cohort": _build(root / "cohort.html", HERE / "before", HERE / "after")}
    before, after = root / "before", root / "after"
    for folder, people in ((before, {"a": [2, 2, 4, 2, 2, 2]}), (after, {"a": [4, 4, 2, 3, 3, 3]})):
        folder.mkdir()
        for rid, values in people.items():
            ids = [i["id"] for t in yaml.safe_load(
                (FRAMEWORK / "framework.yaml").read_text(encoding="utf-8")
            )["themes"] for i in t["indicators"]]  # fmt: skip
            data = {"framework": "programme-check", "respondent": {"id": rid},
                    "answers": dict(zip(ids, values, strict=True))}  # fmt: skip
            (folder / f"{rid}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    reports["progress-nulls"] = _build(root / "nulls.html", before, after)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in reports.items():
        (ARTIFACTS / f"{name}.html").write_bytes(path.read_bytes())
    return reports


@pytest.fixture(params=["progress-cohort", "progress-nulls"])
def report(request: pytest.FixtureRequest, built: dict[str, Path]) -> tuple[str, Path]:
    return request.param, built[request.param]


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


def test_axe_finds_no_violation(browser: Any, report: tuple[str, Path]) -> None:
    name, path = report
    with opened(browser, path) as (page, _):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']})",
            AXE_TAGS,
        )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} - first: {v['nodes'][0]['html'][:160]}"
        for v in result["violations"]
    ]
    assert not violations, "axe-core found:\n" + "\n".join(violations)
    undecided = [
        f"{v['id']}: {node['html'][:160]}"
        for v in result["incomplete"]
        for node in v["nodes"]
        if not (v["id"] == "color-contrast" and re.match(r"<(text|tspan)\b", node["html"]))
    ]
    assert not undecided, "axe-core could not decide:\n" + "\n".join(undecided)


def test_page_is_self_contained_and_structured(browser: Any, report: tuple[str, Path]) -> None:
    _, path = report
    with opened(browser, path) as (page, requests):
        problems = page.evaluate(page_checks.STRUCTURE)
        page.wait_for_load_state("networkidle")
    elsewhere = [url for url in requests if url != path.as_uri() and not url.startswith("data:")]
    assert not elsewhere and not problems, "\n".join([*elsewhere, *problems])


def test_text_has_enough_contrast(browser: Any, report: tuple[str, Path]) -> None:
    for width in (1024, 320):
        with opened(browser, report[1], width) as (page, _):
            problems = page.evaluate(page_checks.TEXT_CONTRAST)
        assert not problems, f"at {width}px wide:\n" + "\n".join(problems)


def test_charts_are_named_and_their_labels_legible(browser: Any, report: tuple[str, Path]) -> None:
    with opened(browser, report[1]) as (page, _):
        problems = page.evaluate(page_checks.CHART_LABELS)
        charts = page.evaluate("() => document.querySelectorAll('svg.dumbbell').length")
    assert not problems, "\n".join(problems)
    assert charts == 3  # overall and the two themes


def test_reflows_at_320px(browser: Any, report: tuple[str, Path]) -> None:
    name, path = report
    with opened(browser, path, width=320) as (page, _):
        page.screenshot(path=str(ARTIFACTS / f"{name}-320px.png"), full_page=True)
        problems = page.evaluate(page_checks.NO_SIDEWAYS_SCROLL)
    assert not problems, "\n".join(problems)


def test_keyboard_focus_is_visible_and_targets_are_large(
    browser: Any, report: tuple[str, Path]
) -> None:
    problems: list[str] = []
    stops = 0
    with opened(browser, report[1]) as (page, _):
        first = None
        for _ in range(100):
            page.keyboard.press("Tab")
            focused = page.evaluate(page_checks.FOCUSED)
            if focused is None or focused["key"] == first:
                break
            first = first or focused["key"]
            stops += 1
            problems.extend(focused["problems"])
    assert stops > 0 and not problems, "\n".join(problems)


def test_printed_a4_splits_no_chart_or_table_row(
    browser: Any, report: tuple[str, Path], tmp_path: Path
) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (apt-get install poppler-utils)")
    name, path = report
    marked = tmp_path / f"{name}-marked.pdf"
    with opened(browser, path) as (page, _):
        items = page.evaluate(page_checks.PRINT_MARKERS)
        page.pdf(path=str(marked), format="A4", print_background=True)
    text = subprocess.run(
        ["pdftotext", str(marked), "-"], capture_output=True, text=True, check=True
    ).stdout
    where: dict[str, int] = {}
    for number, content in enumerate(text.split("\f"), start=1):
        for marker in re.findall(r"QQ\d+[SE]", re.sub(r"\s", "", content)):
            where.setdefault(marker, number)
    assert items
    split = [
        f"{kind} {label!r}: pages {where.get(f'QQ{n}S')}-{where.get(f'QQ{n}E')}"
        for kind, n, label in items
        if where.get(f"QQ{n}S") is None or where.get(f"QQ{n}S") != where.get(f"QQ{n}E")
    ]
    assert not split, "split across pages:\n" + "\n".join(split)
