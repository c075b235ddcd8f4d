"""Facets in the model: the built-in framework's facets, the rules on theme files, and
the `facets` of answers files (codes and positions), as docs/framework-format.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpc_assess.diagnostics import InputError, render_text
from lpc_assess.inputs.documents import parse_yaml
from lpc_assess.model.answers import dump_answers, parse_answers
from lpc_assess.model.framework import Framework
from lpc_assess.model.framework_check import check_framework
from lpc_assess.model.lookup import load_framework
from tests.conftest import BUILTIN, DATA, REPO

FACETS_MINI = DATA / "valid" / "facets"


@pytest.fixture(scope="module")
def builtin() -> Framework:
    return load_framework(str(BUILTIN))


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(str(FACETS_MINI))


# --- the built-in framework -----------------------------------------------------------------


def test_builtin_framework_asks_knowledge_skill_will_and_confidence(builtin: Framework) -> None:
    facets = builtin.facets
    assert facets is not None
    assert [(i.id, i.label, i.side) for i in facets.items] == [
        ("knowledge", "Knowledge", "ability"),
        ("skill", "Skill", "ability"),
        ("will", "Will", "willingness"),
        ("confidence", "Confidence", "willingness"),
    ]
    assert facets.threshold == 50
    assert (facets.scale.min, facets.scale.max) == (1, 5)
    assert (
        facets.scale.labels[1] == "Strongly disagree" and facets.scale.labels[5] == "Strongly agree"
    )
    for item in facets.items:
        # Each prompt names the theme and is a first-person statement to agree with.
        assert item.prompt.count("{theme}") == 1 and item.prompt.startswith("I ")
        assert len(item.actions) == 2
    # Themes that need their own suggestions have them, for facets the framework declares.
    own = {t.id: sorted(t.facet_actions) for t in builtin.themes}
    assert own == {
        "being": ["knowledge", "will"],
        "relating-and-communicating": ["skill"],
        "leading-and-visioning": ["confidence"],
        "delivering": ["knowledge"],
    }
    being = builtin.themes[0]
    knowledge = facets.item("knowledge")
    assert builtin.facet_actions(being, knowledge) == list(being.facet_actions["knowledge"])
    skill = facets.item("skill")
    filled = builtin.facet_actions(being, skill)
    assert filled[0].startswith("Choose one Being statement") and "{theme}" not in filled[0]


def test_builtin_reverse_statement_reads_as_a_frequency(builtin: Framework) -> None:
    """The one reverse item no longer reads as an aim ("Not yet ... I work it out myself")."""
    (reverse,) = [i for i in builtin.indicators if i.reverse]
    assert reverse.id == "decides-for-people"  # ids stay stable
    assert "I find myself" in reverse.statement


def test_builtin_facets_are_not_copied_from_the_seeds(builtin: Framework) -> None:
    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside the repository")
    source = " ".join(" ".join(p.read_text().split()) for p in seeds.glob("*.txt")).lower()
    assert builtin.facets is not None
    texts = [t for i in builtin.facets.items for t in (i.prompt, *i.actions)]
    texts += [a for t in builtin.themes for actions in t.facet_actions.values() for a in actions]
    for text in texts:
        words = text.lower().split()
        for start in range(max(0, len(words) - 9)):
            assert " ".join(words[start : start + 10]) not in source, text


def test_the_framework_as_json_carries_its_facets(mini: Framework) -> None:
    data = mini.as_dict()
    assert data["facets"]["threshold"] == 60
    assert [i["id"] for i in data["facets"]["items"]] == ["know", "can", "want"]
    assert data["themes"][0]["facet_actions"] == {"know": ["Read the {theme} guide."]}


# --- rules in theme files -------------------------------------------------------------------


def test_facet_actions_in_a_theme_file_are_checked_where_they_are_written(tmp_path: Path) -> None:
    framework = (FACETS_MINI / "framework.yaml").read_text()
    start = framework.index("  - id: planning")
    end = framework.index("facets:")
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "framework.yaml").write_text(
        framework[:start] + "  - planning.yaml\n" + framework[end:]
    )
    (folder / "planning.yaml").write_text(
        "id: planning\n"
        "title: Planning\n"
        "indicators:\n"
        "  - {id: shares-plans, statement: I share plans., actions: [Share one.]}\n"
        "  - {id: reviews-plans, statement: I review plans., actions: [Review one.]}\n"
        "  - {id: writes-goals, statement: I write goals., actions: [Write one.]}\n"
        "facet_actions:\n"
        "  can:\n"
        "    - Plan with {person}.\n"
        "  wants: [More.]\n"
    )
    found = check_framework(folder).diagnostics
    shown = render_text(sorted(found, key=lambda d: (d.path, d.line or 0, d.col or 0)))
    assert shown.replace(str(folder) + "/", "") == (
        "planning.yaml:9:7: error[facet-placeholder]: unknown placeholder {person}: "
        "{theme} is the only one (it becomes the theme's title)\n"
        "planning.yaml:10:3: error[unknown-facet]: theme 'planning' has actions for facet "
        "'wants', which is not a facet of this framework (did you mean 'want'?)\n"
    )
    assert all(d.path.endswith("planning.yaml") for d in found)


@pytest.mark.parametrize("threshold", [0, 100, 37.5])
def test_threshold_may_be_anywhere_from_0_to_100(tmp_path: Path, threshold: float) -> None:
    text = (
        (FACETS_MINI / "framework.yaml")
        .read_text()
        .replace("threshold: 60", f"threshold: {threshold}")
    )
    (tmp_path / "framework.yaml").write_text(text)
    check = check_framework(tmp_path)
    assert check.diagnostics == [] and check.framework is not None
    assert check.framework.facets is not None and check.framework.facets.threshold == threshold


def test_threshold_defaults_to_50(tmp_path: Path) -> None:
    text = (FACETS_MINI / "framework.yaml").read_text().replace("  threshold: 60\n", "")
    (tmp_path / "framework.yaml").write_text(text)
    framework = load_framework(str(tmp_path))
    assert framework.facets is not None and framework.facets.threshold == 50


def test_a_negative_threshold_is_out_of_range(tmp_path: Path) -> None:
    text = (FACETS_MINI / "framework.yaml").read_text().replace("threshold: 60", "threshold: -1")
    (tmp_path / "framework.yaml").write_text(text)
    (found,) = check_framework(tmp_path).diagnostics
    line = text.splitlines().index("  threshold: -1") + 1
    assert (found.code, found.line, found.col) == ("out-of-range", line, 14)


def test_a_huge_facet_scale_is_refused_without_listing_its_points(tmp_path: Path) -> None:
    text = (
        (FACETS_MINI / "framework.yaml")
        .read_text()
        .replace("    max: 6\n", "    max: 100000000000000000000\n")
    )
    (tmp_path / "framework.yaml").write_text(text)
    (found,) = check_framework(tmp_path).diagnostics
    assert found.code == "scale-range"
    assert found.message == "a scale may have at most 101 points"


# --- answers ----------------------------------------------------------------------------------


def _parse(framework: Framework, text: str) -> tuple[object, list[str]]:
    doc = parse_yaml(text, "a.yaml")
    try:
        response, warnings = parse_answers(doc, framework)
    except InputError as exc:
        return None, [d.text() for d in exc.diagnostics]
    return response, [d.text() for d in warnings]


def test_facet_answers_are_read_in_framework_order(mini: Framework) -> None:
    response, problems = _parse(
        mini,
        "framework: facets-mini\n"
        "facets:\n"
        "  planning: {want: 6, know: 0}\n"
        "  listening: {can: skip, know: 3, want: null}\n",
    )
    assert problems == []
    assert response.facets == {  # type: ignore[attr-defined]
        "listening": {"know": 3, "can": None},
        "planning": {"know": 0, "want": 6},
    }


def test_every_bad_facet_answer_is_an_error_at_its_place(mini: Framework) -> None:
    _, problems = _parse(
        mini,
        "framework: facets-mini\n"
        "facets:\n"
        "  listenin: {know: 3}\n"
        "  listening: {knwo: 3, can: 7, want: yes}\n"
        "  planning: {know: 2.5, can: Mostly, want: -1}\n"
        "  planning-too: 3\n",
    )
    assert problems == [
        "a.yaml:3:3: error[unknown-theme]: facets for 'listenin', which is not a theme of "
        "this framework (did you mean 'listening'?)",
        "a.yaml:4:15: error[unknown-facet]: unknown facet 'knwo' (did you mean 'know'?)",
        "a.yaml:4:29: error[answer-out-of-scale]: answer 7 to 'listening.can' is outside the "
        "facet scale 0..6",
        "a.yaml:4:38: error[invalid-answer]: answer to 'listening.want' must be a whole number "
        "from 0 to 6 or 'skip', not true/false value true (YAML reads an unquoted yes/no/on/off "
        "as true/false)",
        "a.yaml:5:20: error[invalid-answer]: answer to 'planning.know' must be a whole number "
        "from 0 to 6 or 'skip', not number 2.5",
        "a.yaml:5:30: error[invalid-answer]: answer to 'planning.can' must be a whole number "
        "from 0 to 6 or 'skip', not text 'Mostly'",
        "a.yaml:5:44: error[answer-out-of-scale]: answer -1 to 'planning.want' is outside the "
        "facet scale 0..6",
        "a.yaml:6:3: error[unknown-theme]: facets for 'planning-too', which is not a theme of "
        "this framework (did you mean 'planning'?)",
    ]


def test_skip_needs_a_skip_on_the_facet_scale(builtin: Framework) -> None:
    _, problems = _parse(
        builtin, "framework: personalised-care\nfacets:\n  being: {knowledge: skip}\n"
    )
    assert problems == [
        "a.yaml:3:22: error[skip-not-allowed]: 'being.knowledge' is skipped, but the facet "
        "scale offers no skip answer"
    ]


def test_facets_for_a_framework_without_facets_are_an_error() -> None:
    framework = load_framework(str(DATA / "valid" / "mini"))
    _, problems = _parse(framework, "framework: mini\nfacets:\n  alpha: {knowledge: 3}\n")
    assert problems == [
        "a.yaml:2:1: error[unknown-facet]: this framework has no facets, so 'facets' "
        "cannot be answered"
    ]
    response, problems = _parse(framework, "framework: mini\nfacets: {}\n")
    assert problems == [] and response.facets == {}  # type: ignore[attr-defined]


def test_facets_that_are_not_a_mapping_are_a_wrong_type(mini: Framework) -> None:
    _, problems = _parse(mini, "framework: facets-mini\nfacets: [know]\n")
    assert problems == [
        "a.yaml:2:9: error[wrong-type]: 'facets' must be a mapping of theme ids, not a list"
    ]


def test_a_raters_facets_are_ignored_with_a_warning(mini: Framework) -> None:
    response, warnings = _parse(
        mini,
        "framework: facets-mini\n"
        "rater: {subject: sam, relationship: peer}\n"
        "answers: {asks-first: 4}\n"
        "facets:\n"
        "  listening: {know: 3}\n",
    )
    assert warnings == [
        "a.yaml:4:1: warning[rater-facets]: facets are a self-assessment: the facets in this "
        "360 rating of 'sam' are ignored"
    ]
    assert response.facets == {} and response.answers == {"asks-first": 4}  # type: ignore[attr-defined]
    own, warnings = _parse(
        mini,
        "framework: facets-mini\n"
        "rater: {subject: sam, relationship: self}\n"
        "facets:\n"
        "  listening: {know: 3}\n",
    )
    assert warnings == [] and own.facets == {"listening": {"know": 3}}  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_facets_are_written_back_as_they_were_read(mini: Framework, fmt: str) -> None:
    response, _ = _parse(
        mini,
        "framework: facets-mini\n"
        "facets:\n"
        "  listening: {know: 3, can: skip}\n"
        "  planning: {want: 0}\n",
    )
    text = dump_answers(response, fmt=fmt)  # type: ignore[arg-type]
    doc = parse_yaml(text, "b.yaml")  # JSON is YAML
    assert doc.data["facets"] == {"listening": {"know": 3, "can": "skip"}, "planning": {"want": 0}}
    again, warnings = parse_answers(doc, mini)
    assert warnings == [] and again.facets == response.facets  # type: ignore[attr-defined]
