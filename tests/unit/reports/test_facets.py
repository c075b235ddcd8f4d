"""The facet sections of the reports: their data (reports/facets.py) and their templates
(`_facets.*.j2`, `_team_facets.*.j2`), on tests/data/valid/facets (docs/facets.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpc_assess.model.answers import Response
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.reports.facets import person_facets_context, team_facets_context
from lpc_assess.reports.person import render_person
from lpc_assess.reports.templates import render_template
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.facet_summary import FacetSummary
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.scored import ScoredChunk, record_from_response
from tests.conftest import DATA

MINI = DATA / "valid" / "facets"


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(str(MINI))


def test_team_cells_are_shaded_by_the_band_of_their_mean(mini: Framework) -> None:
    # The mini framework's bands: Low from 0, High from 50 (tests/data/valid/facets). On its
    # 0-6 facet scale, 3 is 50% and 4 is 66.7%; 2 and 3 average (33.3 + 50) / 2 = 41.7%.
    people: list[dict[str, dict[str, int | None]]] = [
        {"listening": {"know": 3, "can": 2, "want": 4}},
        {"listening": {"know": 3, "can": 3, "want": 4}},
    ]
    context = team_facets_context(mini, _summary(mini, people))
    assert context is not None
    listening, planning = context["themes"]
    # know 50.0 (exactly on High's lower boundary), can 41.7 (Low), want 66.7 (High)
    assert [c["percent_text"] for c in listening["cells"]] == ["50.0%", "41.7%", "66.7%"]
    assert [c["css"] for c in listening["cells"]] == ["heat heat-1", "heat heat-0", "heat heat-1"]
    # Nobody answered Planning: no figure and no shade.
    assert {c["css"] for c in planning["cells"]} == {"heat heat-none"}
    assert [k["range_text"] for k in context["key"]] == ["0–50%", "50–100%"]
    assert [k["css"] for k in context["key"]] == ["heat heat-0", "heat heat-1"]


def test_person_section_data(mini: Framework) -> None:
    answers: dict[str, dict[str, int | None]] = {
        "listening": {"know": 1, "can": 5, "want": 6},
        "planning": {"know": 6, "can": 6, "want": 6},
    }
    context = person_facets_context(mini, answers)
    assert context is not None
    assert [c["label"] for c in context["columns"]] == ["Know-how", "Practice", "Drive"]
    assert [c["kind"] for c in context["columns"]] == ["ability", "ability", "willingness"]
    listening, planning = context["themes"]
    # know 16.7, can 83.3 -> ability 50 < 60; want 100 -> guide; know is the lowest, and
    # listening has its own actions for know.
    assert [c["percent_text"] for c in listening["cells"]] == ["16.7%", "83.3%", "100.0%"]
    assert (listening["ability_text"], listening["willingness_text"]) == ("50.0%", "100.0%")
    assert listening["quadrant"] == "guide"
    assert listening["limiting"] == {
        "id": "know",
        "label": "Know-how",
        "kind": "ability",
        "actions": ["Read the Listening guide."],
    }
    assert planning["quadrant"] == "delegate" and planning["limiting"] is None
    assert planning["at_top"] is True
    # Each quadrant once, in the framework's order of quadrants, with its themes.
    assert context["places"] == [
        {"id": "delegate", "themes": ["Planning"]},
        {"id": "guide", "themes": ["Listening"]},
    ]
    assert context["unplaced"] == []
    assert context["threshold_text"] == "60%"
    assert [o["percent_text"] for o in context["overall"]] == ["37.5%", "87.5%", "100.0%"]


def test_a_quadrant_two_themes_share_is_explained_once(mini: Framework) -> None:
    # Both themes able and willing (threshold 60): one explanation naming both; the
    # limiting facets and their actions still come theme by theme.
    answers: dict[str, dict[str, int | None]] = {
        "listening": {"know": 5, "can": 6, "want": 6},
        "planning": {"know": 6, "can": 4, "want": 6},
    }
    context = person_facets_context(mini, answers)
    assert context is not None
    assert context["places"] == [{"id": "delegate", "themes": ["Listening", "Planning"]}]
    for kind in ("md", "html"):
        text = render_template(kind, f"_facets.{kind}.j2", {"facets": context})  # type: ignore[arg-type]
        assert text.count("Stretch yourself") == 1, kind
        assert "(Listening and Planning)" in text
        assert text.count("holds you back most") == 2  # know in Listening, can in Planning
        assert "Read the Listening guide." in text


def test_person_section_without_answers_says_so(mini: Framework) -> None:
    context = person_facets_context(mini, {"listening": {"can": None}})
    assert context is not None and context["answered"] is False
    assert context["places"] == [] and context["unplaced"] == ["Listening", "Planning"]
    assert context["themes"][0]["cells"][1]["answer_text"] == "skipped"
    for kind in ("md", "html"):
        text = render_template(kind, f"_facets.{kind}.j2", {"facets": context})  # type: ignore[arg-type]
        assert "You did not answer the questions about know-how, practice and drive" in text


def test_without_facets_the_section_is_left_out() -> None:
    framework = load_framework(str(DATA / "valid" / "mini"))
    assert person_facets_context(framework, {}) is None
    for kind in ("md", "html"):
        assert render_template(kind, f"_facets.{kind}.j2", {"facets": None}).strip() == ""  # type: ignore[arg-type]
        # A team report made without the facet data at all renders too.
        assert render_template(kind, f"_team_facets.{kind}.j2", {}).strip() == ""  # type: ignore[arg-type]


def _summary(framework: Framework, people: list[dict[str, dict[str, int | None]]]) -> FacetSummary:
    scorer = CompiledScorer(framework)
    records = [
        record_from_response(
            scorer,
            Response(framework_id=framework.id, facets=facets),
            respondent_id=f"p{i}",
            source="t",
        )
        for i, facets in enumerate(people)
    ]
    summary = FacetSummary(framework)
    summary.add(ScoredChunk.of(scorer, records, "t"))
    summary.finish()
    return summary


def test_team_section_names_every_facet_tied_for_most_limiting(mini: Framework) -> None:
    people: list[dict[str, dict[str, int | None]]] = [
        {"listening": {"know": 1, "can": 4, "want": 5}},  # know limits; ability 41.7 -> guide
        {"listening": {"know": 5, "can": 5, "want": 2}},  # want limits; excite
        {"listening": {"know": 6, "can": 6, "want": 6}},  # nothing limits; delegate
        {"planning": {"know": 6}},
    ]
    context = team_facets_context(mini, _summary(mini, people))
    assert context is not None
    listening, planning = context["themes"]
    assert [q["count"] for q in listening["quadrants"]] == [1, 1, 1, 0]
    assert [c["id"] for c in listening["most_limiting"]] == ["know", "want"]
    assert listening["most_limiting_count"] == 1
    assert listening["kinds"] == ["ability", "willingness"]
    # means: know (16.67 + 83.33 + 100) / 3 = 66.67, in the band High (from 50); 3 of the
    # 4 people answered it, so its n is written.
    know = listening["cells"][0]
    assert (know["n"], know["percent_text"], know["css"], know["n_shown"]) == (
        3,
        "66.7%",
        "heat heat-1",
        True,
    )
    assert context["n_varies"] is True
    # Know-how and Drive tie (the facet ids know and want); each kind of programme once.
    assert [(h["kind"], h["labels"], h["themes"]) for h in context["helps"]] == [
        ("ability", ["Know-how"], ["Listening"]),
        ("willingness", ["Drive"], ["Listening"]),
    ]
    assert planning["most_limiting"] == [] and planning["n"] == 1
    assert context["responses"] == 4


def test_team_section_renders_in_both_formats(mini: Framework) -> None:
    people: list[dict[str, dict[str, int | None]]] = [
        {"listening": {"know": 1, "can": 4, "want": 5}},
        {"listening": {"know": 2, "can": 1, "want": 5}},
    ]
    context = team_facets_context(mini, _summary(mini, people))
    md = render_template("md", "_team_facets.md.j2", {"facets": context})
    # Both people answered every Listening facet: n is said once, not in each cell.
    assert "over all 2. The last column" in md
    assert "| Listening | 25.0% | 41.7% | 83.3% | Know-how and Practice, for 1 person each |" in md
    assert "| Listening | 0 | 2 | 0 | 0 |" in md  # both keen and still learning (guide)
    # Know-how and Practice are both ability facets: their programme is named once.
    assert md.count("What fits: learning and practice") == 1
    assert "- **Know-how or Practice** held the most people back in Listening." in md
    html = render_template("html", "_team_facets.html.j2", {"facets": context})
    assert '<td role="cell" class="num heat heat-0">' in html  # 25%: the band Low
    assert '<td role="cell" class="num heat heat-1">' in html  # 83.3%: the band High
    assert "style=" not in html  # shaded by the heatmap's classes, not inline


def test_hostile_facet_text_is_escaped(mini: Framework, tmp_path: Path) -> None:
    text = (MINI / "framework.yaml").read_text()
    text = text.replace("label: Know-how", 'label: "<img src=x onerror=alert(1)>"')
    text = text.replace("Read the {theme} guide.", "Read <script>alert(2)</script> on {theme}.")
    (tmp_path / "framework.yaml").write_text(text)
    framework = load_framework(str(tmp_path))
    response = Response(framework_id=framework.id, facets={"listening": {"know": 0, "want": 3}})
    score = score_response(framework, response.answers)
    html = render_person(framework, response, score, "html")
    assert "<script>alert(2)" not in html and "&lt;script&gt;alert(2)" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    md = render_person(framework, response, score, "md")
    assert "<script>" not in md and "\\<script\\>alert(2)\\</script\\>" in md
