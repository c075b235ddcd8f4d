"""HTML reports checked as a person would: in headless Chromium (Debian's package).

For each report in REPORTS (person short and long, team small and large, a
360 subject): axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation, nor a
best-practice one (heading order, landmarks, empty headers); text, SVG text
included, has enough contrast; charts are named images whose labels are
neither clipped nor overlapping; the page has no script and makes no network
request; at 320 px wide nothing scrolls sideways; every link shows its focus
and is a 24 px target; printed to A4, no chart and no table row is split
across pages and no heading is left at the foot of one.

The team report's Likert charts are images the browser names and describes,
one row per statement; its heatmap's numbers are text, each cell shaded by the
band of its number. A 12-person team report prints on at most 6 A4 pages and a
full person report (facet questions answered too) on at most 5, in Chromium and
in WeasyPrint alike, and the charts' words come out of both.

Full-page screenshots, the printed PDF and small pictures of its pages are
left in tests/artifacts/, for a person to look at.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser import page_checks
from tests.browser.conftest import ARTIFACTS, AXE, require

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Beyond WCAG's own tags: heading-order, region, landmark-*, empty-table-header, ...
AXE_TAGS = [*WCAG_TAGS, "best-practice"]

pytestmark = pytest.mark.slow

THEMES = ["Being", "Relating and Communicating", "Leading and Visioning", "Delivering"]
BAND_STARTS = [0, 40, 60, 80]  # the built-in framework's bands


@contextmanager
def opened(browser: Any, path: Path, width: int = 1024) -> Iterator[tuple[Any, list[str]]]:
    """A page showing `path` at `width` CSS px, and the list of every request it makes."""
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
        f"{v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} nodes, "
        f"first: {v['nodes'][0]['html'][:160]}"
        for v in result["violations"]
    ]
    assert not violations, "axe-core found:\n" + "\n".join(violations)
    # What axe cannot decide must be decided elsewhere: contrast of SVG text is
    # measured by test_text_has_enough_contrast; anything else is a failure here.
    undecided = [
        f"{v['id']}: {node['html'][:160]}"
        for v in result["incomplete"]
        for node in v["nodes"]
        if not (v["id"] == "color-contrast" and re.match(r"<(text|tspan)\b", node["html"]))
    ]
    assert not undecided, "axe-core could not decide:\n" + "\n".join(undecided)


def test_page_is_self_contained_and_structured(browser: Any, report: tuple[str, Path]) -> None:
    name, path = report
    with opened(browser, path) as (page, requests):
        problems = page.evaluate(page_checks.STRUCTURE)
        page.wait_for_load_state("networkidle")
    elsewhere = [url for url in requests if url != path.as_uri() and not url.startswith("data:")]
    assert not elsewhere, "the page made requests:\n" + "\n".join(elsewhere)
    assert not problems, "\n".join(problems)


def test_text_has_enough_contrast(browser: Any, report: tuple[str, Path]) -> None:
    for width in (1024, 320):
        with opened(browser, report[1], width) as (page, _):
            problems = page.evaluate(page_checks.TEXT_CONTRAST)
        assert not problems, f"at {width}px wide:\n" + "\n".join(problems)


def test_charts_are_named_and_their_labels_legible(browser: Any, report: tuple[str, Path]) -> None:
    with opened(browser, report[1]) as (page, _):
        problems = page.evaluate(page_checks.CHART_LABELS)
    assert not problems, "\n".join(problems)


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


def test_printed_a4_splits_no_chart_or_table_row(
    browser: Any, report: tuple[str, Path], tmp_path: Path
) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (apt-get install poppler-utils)")
    name, path = report
    clean = ARTIFACTS / f"{name}.pdf"
    marked = tmp_path / f"{name}-marked.pdf"
    with opened(browser, path) as (page, _):
        page.pdf(path=str(clean), format="A4", print_background=True)
        items = page.evaluate(page_checks.PRINT_MARKERS)
        page.pdf(path=str(marked), format="A4", print_background=True)
    for old in ARTIFACTS.glob(f"{name}-print-*.png"):
        old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", str(clean), str(ARTIFACTS / f"{name}-print")],
            check=True,
        )
    text = subprocess.run(
        ["pdftotext", str(marked), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    where: dict[str, int] = {}
    for number, content in enumerate(pages, start=1):
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
    assert not split, f"split across pages ({len(pages) - 1} in all):\n" + "\n".join(split)
    if name == "team-large":
        # The report is there to print a people-by-themes table over several pages.
        people = {where[f"QQ{n}S"] for kind, n, label in items if label.startswith("Person ")}
        assert len(people) > 1, "the people-by-themes table fits on one page: make the team larger"


# --- the team report's Likert charts and heatmap -----------------------------------------------


def test_likert_charts_are_named_images_with_a_description(browser: Any, reports: Any) -> None:
    path = reports.paths.get("team-large")
    if path is None:
        pytest.fail(reports.problems.get("team-large", "team-large was not built"), pytrace=False)
    with opened(browser, path) as (page, _):
        for theme in THEMES:
            chart = page.get_by_role("img", name=f"{theme}: answers to each statement")
            assert chart.count() == 1, f"no chart named for {theme}"
            # the name the browser gives it holds the description too (aria-labelledby)
            name = chart.aria_snapshot()
            assert "centre line" in name and "the table beside the chart" in name, name
        bands = page.get_by_role("img", name="People in each band, by theme and overall")
        assert bands.count() == 1
        shown = page.evaluate(page_checks.LIKERT_ROWS)
    # every statement is a row of its theme's chart, with its label shown in full
    assert [len(rows) for rows in shown] == [6, 6, 6, 6]
    assert all(row["segments"] and row["label"] for rows in shown for row in rows)
    assert sum(row["marked"] for rows in shown for row in rows) == 1  # the reverse-keyed one


def test_heatmap_numbers_are_text_and_cells_are_shaded_by_band(browser: Any, reports: Any) -> None:
    path = reports.paths.get("team-large")
    if path is None:
        pytest.fail(reports.problems.get("team-large", "team-large was not built"), pytrace=False)
    with opened(browser, path) as (page, _):
        cells = page.evaluate(page_checks.HEAT_CELLS)
    assert len(cells) >= 60 * 5 and len(cells) % 5 == 0  # 4 themes and overall, per person
    shades: dict[int, set[str]] = {}
    for cell in cells:
        if cell["text"] == "no score":
            assert cell["band"] == "none"
            continue
        value = float(cell["text"].rstrip("%"))  # the number is text in the cell
        expected = sum(1 for start in BAND_STARTS if value >= start) - 1
        assert cell["band"] == str(expected), cell
        shades.setdefault(expected, set()).add(cell["background"])
    # one shade per band, darker band by band
    assert all(len(found) == 1 for found in shades.values())
    lightness = [page_checks.luminance(next(iter(shades[i]))) for i in sorted(shades)]
    assert lightness == sorted(lightness, reverse=True) and len(lightness) >= 3


# --- page counts, in Chromium and in WeasyPrint -------------------------------------------------


@pytest.fixture(scope="module")
def twelve(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The 12-person team report and its twelve person reports (HTML), by the real CLI.

    Every person answered every statement and every theme's facet questions, and wrote
    reflections and a pledge (tests/cli/test_pdf_cli.py, `write_full_answers`): the
    longest reports the built-in framework makes.
    """
    from tests.cli.test_pdf_cli import write_team
    from tests.conftest import run_cli

    root = tmp_path_factory.mktemp("twelve")
    out = root / "out"
    result = run_cli("batch", str(write_team(root / "team")), "--out-dir", str(out), timeout=300)
    assert result.returncode == 0, result.stderr
    people = sorted(p for p in out.glob("*.html") if p.name != "team.html")
    assert len(people) == 12
    for path in [out / "team.html", *people]:  # the facet sections are in them, answered
        source = path.read_text(encoding="utf-8")
        assert 'id="team-facet-table"' in source or 'id="facet-table"' in source, path.name
    return {"team": [out / "team.html"], "person": people}


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize(("which", "most"), [("team", 6), ("person", 5)])
def test_reports_print_on_few_a4_pages_in_chromium_and_weasyprint(
    browser: Any, twelve: dict[str, list[Path]], tmp_path: Path, which: str, most: int
) -> None:
    """With the facet questions answered: the team report, and every person's report."""
    require(shutil.which("pdfinfo") is not None, "pdfinfo (apt-get install poppler-utils)")
    from lpc_assess.writers.pdf import html_to_pdf, pdf_available

    require(pdf_available(), "WeasyPrint (pip install -e '.[pdf]', or make test)")
    counts: dict[str, int] = {}
    for path in twelve[which]:
        printed = tmp_path / f"{path.stem}-chromium.pdf"
        with opened(browser, path) as (page, _):
            page.pdf(path=str(printed), format="A4", print_background=True)
        written = tmp_path / f"{path.stem}-weasyprint.pdf"
        written.write_bytes(html_to_pdf(path.read_text(encoding="utf-8")))
        counts[printed.name], counts[written.name] = _pages(printed), _pages(written)
    for engine in ("chromium", "weasyprint"):  # the longest of each, for a person to look at
        longest = max((n for n in counts if n.endswith(f"-{engine}.pdf")), key=counts.__getitem__)
        shutil.copy(tmp_path / longest, ARTIFACTS / f"twelve-{which}-{engine}.pdf")
    over = {name: pages for name, pages in counts.items() if pages > most}
    assert not over, f"more than {most} A4 pages: {over}"


def test_charts_draw_the_same_words_in_chromium_and_weasyprint(
    browser: Any, twelve: dict[str, list[Path]], tmp_path: Path
) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (apt-get install poppler-utils)")
    from lpc_assess.writers.pdf import html_to_pdf, pdf_available

    require(pdf_available(), "WeasyPrint (pip install -e '.[pdf]', or make test)")
    source = twelve["team"][0].read_text(encoding="utf-8")
    printed = tmp_path / "chromium.pdf"
    with opened(browser, twelve["team"][0]) as (page, _):
        page.pdf(path=str(printed), format="A4", print_background=True)
    written = tmp_path / "weasyprint.pdf"
    written.write_bytes(html_to_pdf(source))
    texts = {}
    for name, pdf in (("chromium", printed), ("weasyprint", written)):
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        texts[name] = " ".join(out.stdout.split())
    drawn: Counter[str] = Counter()
    for svg in re.findall(r'<svg class="chart likert".*?</svg>', source, re.S):
        for word in re.findall(r"<(?:text|tspan)\b[^>]*>([^<]+)</", svg):
            drawn[" ".join(html.unescape(word).split())] += 1
    assert len(drawn) > 40  # legends, axes and every statement's label lines
    for word, times in sorted(drawn.items()):
        # at least as often as the charts draw it (a table may hold the same words)
        for engine, text in texts.items():
            assert text.count(word) >= times, f"{engine}: {word!r} {text.count(word)}/{times}"
