"""HTML reports checked as a person would: in headless Chromium (Debian's package).

For each report (person short and long, team, 360 subject): axe-core finds no
WCAG 2.0/2.1/2.2 A or AA violation; the page makes no network request; at 320
px wide nothing scrolls sideways; printed to A4, no chart and no table row is
split across pages. Full-page screenshots are left in tests/artifacts/.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run_cli

CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

pytestmark = pytest.mark.slow


def _require(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; under CI the browser tests must run")
    pytest.skip(f"{what} is missing (CI would fail here)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require(Path(CHROMIUM).exists(), "Chromium (/usr/bin/chromium)")
    _require(AXE.exists(), "axe-core (npm install axe-core)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _ids() -> list[str]:
    result = run_cli("show", "--format", "json")
    import json

    data = json.loads(result.stdout)
    return [i["id"] for t in data["themes"] for i in t["indicators"]]


def _answers(path: Path, respondent: str, name: str, values: dict[str, Any], **extra: Any) -> Path:
    import json

    data = {
        "framework": "personalised-care",
        "framework_version": "1.0",
        "respondent": {"id": respondent, "name": name},
        "completed": "2026-11-22T10:14:00Z",
        "answers": values,
        **extra,
    }
    path.write_text(json.dumps(data))
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reports")
    ids = _ids()
    rng = random.Random(3)
    out: dict[str, Path] = {}

    short = _answers(root / "short.json", "sam", "Sam", {i: 3 for i in ids[:14]})
    out["person-short"] = root / "person-short.html"
    run_cli("report", str(short), "--format", "html", "--output", str(out["person-short"]))

    long_notes = {
        "being": "A long reflection. " * 60,
        "delivering": "Another <b>one</b> & more. " * 40,
    }
    earlier = _answers(
        root / "earlier.json", "alex-smith", "Alex Smith", {i: rng.randint(1, 5) for i in ids}
    )
    later = _answers(
        root / "later.json",
        "alex-smith",
        "Alex Smith Longname-Hyphenated-Surname",
        {i: rng.choice([1, 2, 3, 4, 5, "skip"]) for i in ids},
        notes=long_notes,
        pledge="By March I will co-host a conversation " * 8,
    )
    out["person-long"] = root / "person-long.html"
    run_cli(
        "report",
        str(later),
        "--format",
        "html",
        "--compare",
        str(earlier),
        "--output",
        str(out["person-long"]),
    )

    team = root / "team"
    team.mkdir()
    for n in range(24):
        _answers(
            team / f"p{n:02}.json",
            f"person-{n:02}",
            f"Person {n:02}",
            {i: rng.randint(1, 5) for i in ids},
        )
    for n, rel in enumerate(
        [
            "self",
            "manager",
            "peer",
            "peer",
            "peer",
            "direct-report",
            "direct-report",
            "direct-report",
        ]
    ):
        _answers(
            team / f"r{n}.json",
            f"rater-{n}",
            f"Rater {n}",
            {i: rng.randint(2, 5) for i in ids},
            rater={"subject": "person-00", "relationship": rel},
        )
    out_dir = root / "out"
    run_cli("batch", str(team), "--out-dir", str(out_dir), "--format", "html")
    if (out_dir / "team.html").exists():
        out["team"] = out_dir / "team.html"
    subject = sorted(out_dir.glob("*360*.html"))
    if subject:
        out["subject-360"] = subject[0]
    return out


REPORTS = ["person-short", "person-long", "team", "subject-360"]


def _page(browser: Any, path: Path, width: int = 1024) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return page, requests


@pytest.mark.parametrize("name", REPORTS)
def test_report_is_accessible_self_contained_and_reflows(
    browser: Any, reports: dict[str, Path], name: str
) -> None:
    if name not in reports:
        pytest.fail(f"the {name} report was not written")
    path = reports[name]
    page, requests = _page(browser, path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['html'][:120]})"
        for v in result["violations"]
    ]
    assert violations == []
    assert [url for url in requests if url != path.as_uri()] == []
    page.close()

    narrow, requests = _page(browser, path, width=320)
    overflow = narrow.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    narrow.screenshot(path=str(ARTIFACTS / f"{name}-320px.png"), full_page=True)
    assert overflow <= 0, f"scrolls sideways by {overflow}px at 320px wide"
    narrow.close()


MARK = """() => {
  let n = 0;
  const mark = (el, where, text) => {
    const s = document.createElement('span');
    s.textContent = text; s.style.fontSize = '6px';
    where === 'start' ? el.prepend(s) : el.append(s);
  };
  for (const row of document.querySelectorAll('tr')) {
    const cells = row.querySelectorAll('th, td');
    if (!cells.length) continue;
    n += 1;
    mark(cells[0], 'start', `QQR${n}S`); mark(cells[cells.length - 1], 'end', `QQR${n}E`);
  }
  for (const svg of document.querySelectorAll('svg')) {
    n += 1;
    const holder = svg.closest('figure') || svg.parentElement;
    const before = document.createElement('span'); before.textContent = `QQR${n}S`;
    before.style.fontSize = '6px'; svg.before(before);
    const after = document.createElement('span'); after.textContent = `QQR${n}E`;
    after.style.fontSize = '6px'; svg.after(after);
    void holder;
  }
  return n;
}"""


@pytest.mark.parametrize("name", REPORTS)
def test_printed_a4_splits_no_chart_and_no_table_row(
    browser: Any, reports: dict[str, Path], name: str, tmp_path: Path
) -> None:
    if name not in reports:
        pytest.fail(f"the {name} report was not written")
    _require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    page, _ = _page(browser, reports[name])
    count = page.evaluate(MARK)
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    shutil.copy(pdf, ARTIFACTS / f"{name}.pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    where: dict[str, int] = {}
    for number, content in enumerate(pages, start=1):
        for marker in re.findall(r"QQR\d+[SE]", content.replace(" ", "")):
            where.setdefault(marker, number)
    assert count > 0
    split = [
        f"item {i}: pages {where.get(f'QQR{i}S')}-{where.get(f'QQR{i}E')}"
        for i in range(1, count + 1)
        if where.get(f"QQR{i}S") != where.get(f"QQR{i}E")
    ]
    assert split == [], f"{len(pages) - 1} pages"
