"""The team report's HTML: one Likert chart per theme that agrees with the table beside it,
the people-by-themes heatmap shaded by band, and the alpha notes said once."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.pipeline.people import PeopleTable
from lpc_assess.reports.heatmap import band_index, band_shades, heat_cell, heat_css
from lpc_assess.reports.likert import MARK_TEXT
from lpc_assess.reports.team import _alpha_notes, render_team
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse
from lpc_assess.scoring.team import TeamSummary, ThemeStats

TEXT, WHITE = "#212b32", "#ffffff"


@pytest.fixture(scope="module")
def builtin() -> Framework:
    return load_framework(None)


def relative_luminance(colour: str) -> float:
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def ratio(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class Tables(HTMLParser):
    """Every table of a page: its class, and its rows as lists of cell (class, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[tuple[str, str]]]]] = []
        self._cell: list[str] | None = None
        self._cell_class = ""
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append((a.get("class") or "", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell, self._cell_class = [], a.get("class") or ""
        elif tag == "span" and "cell-heading" in (a.get("class") or ""):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append((self._cell_class, "".join(self._cell).strip()))
            self._cell = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def team_html(framework: Framework, answers: list[dict[str, int | None]]) -> str:
    scorer = CompiledScorer(framework)
    records = []
    for n, values in enumerate(answers):
        patterns, overall = scorer.score_answers(values)
        records.append(
            ScoredResponse(f"p{n}", f"Person {n}", None, None, "test", None, patterns, overall)
        )
    chunk = ScoredChunk.of(scorer, records, "test")
    summary, people = TeamSummary(framework), PeopleTable()
    for consumer in (summary, people):
        consumer.add(chunk)
        consumer.finish()
    return render_team(framework, summary, people, "html", anonymised=False)


def ids(framework: Framework, theme: int) -> list[str]:
    return [i.id for i in framework.themes[theme].indicators]


# --- the heatmap --------------------------------------------------------------------------


def test_heatmap_cells_are_shaded_by_the_band_of_their_number(builtin: Framework) -> None:
    # Being has six statements and no reverse one. Five answered out of six:
    # the mean is sum / 5 and the score 100 * (mean - 1) / 4, so sums of 13, 17 and 21
    # give exactly 40 %, 60 % and 80 %: each on a band's lower boundary, hence in that band.
    being = ids(builtin, 0)
    rows = [
        dict(zip(being, [3, 3, 3, 2, 2], strict=False)),  # 40 %: Developing
        dict(zip(being, [4, 4, 3, 3, 3], strict=False)),  # 60 %: Established
        dict(zip(being, [5, 4, 4, 4, 4], strict=False)),  # 80 %: Leading
        dict(zip(being, [2, 3, 3, 2, 2], strict=False)),  # 12 / 5 = 2.4: 35 %, Emerging
        {i: 5 for i in being},  # 100 %
    ]
    parser = Tables()
    parser.feed(team_html(builtin, rows))
    (heatmap,) = [rows for css, rows in parser.tables if "heatmap" in css]
    being_cells = [row[1] for row in heatmap[1:]]  # after the header; column 1 is Being
    assert being_cells == [
        ("num heat heat-1", "40.0%"),
        ("num heat heat-2", "60.0%"),
        ("num heat heat-3", "80.0%"),
        ("num heat heat-0", "35.0%"),
        ("num heat heat-3", "100.0%"),
    ]
    # Themes nobody answered have no score and no shade; overall follows Being alone.
    assert {row[2] for row in heatmap[1:]} == {("num heat heat-none", "no score")}
    thresholds = [0, 40, 60, 80]
    for row in heatmap[1:]:
        for css, text in row[1:]:
            if text != "no score":
                value = float(text.rstrip("%"))
                expected = sum(1 for t in thresholds if value >= t) - 1
                assert css == f"num heat heat-{expected}"


def test_band_index_agrees_with_the_scoring_boundaries(builtin: Framework) -> None:
    bands = builtin.bands
    assert [band_index(bands, p) for p in (0, 39.99, 40, 59.9, 60, 80, 100)] == [
        0, 0, 1, 1, 2, 3, 3,
    ]  # fmt: skip
    assert band_index(bands, None) is None
    labels = [b.label for b in bands]
    assert heat_cell(bands, 40.0, labels) == {
        "text": "40.0%",
        "band": "Developing",
        "css": "heat heat-1",
    }
    assert heat_cell(bands, None, labels)["css"] == "heat heat-none"


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 8])
def test_shades_run_light_to_dark_and_their_numbers_stay_readable(count: int) -> None:
    shades = band_shades(count)
    assert len(shades) == count
    lum = [relative_luminance(bg) for bg, _ in shades]
    assert lum == sorted(lum, reverse=True)
    for background, text in shades:
        assert text in (TEXT, WHITE)
        assert ratio(background, text) >= 4.5
    css = heat_css(count)
    for i, (background, text) in enumerate(shades):
        assert f".heat-{i} {{ background-color: {background}; color: {text}; }}" in css
    assert "print-color-adjust: exact" in css


def test_the_heatmap_styles_are_in_the_page(builtin: Framework) -> None:
    html = team_html(builtin, [{i: 3 for i in ids(builtin, 0)}])
    style = html[html.index("<style>") : html.index("</style>")]
    for i in range(len(builtin.bands)):
        assert f".heat-{i} {{" in style


# --- the Likert charts ----------------------------------------------------------------------


def charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r'<svg class="chart likert".*?</svg>', html, re.S)]


def test_one_likert_chart_per_theme_agrees_with_the_table_beside_it(builtin: Framework) -> None:
    # Four people; the first statement of each theme gets 1, 3, 3 and 5.
    people = []
    for person, value in enumerate((1, 3, 3, 5)):
        answers: dict[str, int | None] = {}
        for t in range(len(builtin.themes)):
            theme = ids(builtin, t)
            answers[theme[0]] = value
            for j, item in enumerate(theme[1:]):
                answers[item] = 1 + (person + j) % 5
        people.append(answers)
    html = team_html(builtin, people)
    found = charts(html)
    band_chart, theme_charts = found[0], found[1:]
    assert "band" in (band_chart.findtext("title") or "")
    assert len(theme_charts) == len(builtin.themes)
    parser = Tables()
    parser.feed(html)
    tables = [rows for css, rows in parser.tables if "counts" in css]
    assert len(tables) == len(builtin.themes)
    for chart, table, theme in zip(theme_charts, tables, builtin.themes, strict=True):
        assert chart.findtext("title") == f"{theme.title}: answers to each statement"
        labels = [
            "".join(t.itertext()) for t in chart.iter("text") if t.get("class") == "row-label"
        ]
        assert len(labels) == len(theme.indicators) == len(table) - 1
        for row_index, (indicator, row) in enumerate(zip(theme.indicators, table[1:], strict=True)):
            assert row[0][1].startswith(indicator.statement)
            assert labels[row_index].startswith(indicator.statement[:20])
            assert (MARK_TEXT in labels[row_index]) == indicator.reverse
            counts = [int(text) for _, text in row[1:6]]
            segs = {
                int(r.get("data-category", -1)): float(r.get("width", 0))
                for r in chart.iter("rect")
                if r.get("class") == "seg" and r.get("data-row") == str(row_index)
            }
            total = sum(segs.values())
            assert set(segs) == {c for c, n in enumerate(counts) if n}
            for category, width in segs.items():
                assert width / total == pytest.approx(counts[category] / sum(counts), abs=1e-3)
        # the first statement: 1, 3, 3, 5 counted by hand
        assert [int(text) for _, text in table[1][1:6]] == [1, 0, 2, 0, 1]
    assert any(i.reverse for t in builtin.themes for i in t.indicators)


def test_no_chart_carries_a_legend_per_statement(builtin: Framework) -> None:
    html = team_html(builtin, [{i.id: 4 for t in builtin.themes for i in t.indicators}])
    # one legend per chart: 4 theme charts + the band chart, never one per statement
    assert html.count('<g class="legend"') == len(builtin.themes) + 1


# --- alpha, said once ------------------------------------------------------------------------


def stats(title: str, alpha: float | None, alpha_n: int, k: int = 6) -> ThemeStats:
    return ThemeStats(title.lower(), title, alpha_n, None, None, None, None, None, None, {},
                      alpha, alpha_n, k)  # fmt: skip


def test_alpha_notes_name_the_themes_each_note_is_about() -> None:
    notes = _alpha_notes(
        [stats("Being", 0.5, 12), stats("Relating", 0.8, 12), stats("Leading", None, 2)]
    )
    assert notes == [
        "Below 0.7 for Being: the statements may not hang together for this group, so read "
        "its score with care.",
        "From only 12 people for Being and Relating: alpha from a handful of people is unstable.",
        "Not computed for Leading: fewer than three people answered every statement.",
    ]


def test_a_note_for_every_theme_says_so_once() -> None:
    notes = _alpha_notes([stats("A", 0.9, 40), stats("B", 0.95, 45)])
    assert notes == ["The statements hang together well for this group in every theme."]
    notes = _alpha_notes([stats("A", 0.2, 5), stats("B", 0.1, 9)])
    assert notes[0].startswith("Below 0.7 for every theme:") and "those scores" in notes[0]
    assert notes[1] == (
        "From only 5 to 9 people for every theme: alpha from a handful of people is unstable."
    )
