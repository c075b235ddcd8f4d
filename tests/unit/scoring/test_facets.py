"""Facet scoring (docs/facets.md) against hand calculations, and the team's facet statistics
against an independent computation (`statistics`, `fractions`).

The framework is tests/data/valid/facets: a facet scale of 0 to 6 (percent = 100 v / 6),
threshold 60, facets know and can (ability) and want (willingness), themes listening
(weight 3) and planning (weight 1).
"""

from __future__ import annotations

import random
import statistics
from fractions import Fraction
from pathlib import Path

import pytest

from lpc_assess.model.answers import Response
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring import facet_summary
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.facet_summary import FacetSummary
from lpc_assess.scoring.facets import (
    facet_answers,
    facet_row,
    facets_json,
    quadrant_for,
    score_facets,
)
from lpc_assess.scoring.scored import ScoredChunk, record_from_response
from tests.conftest import DATA

MINI = DATA / "valid" / "facets"


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(str(MINI))


def _listening(framework: Framework, **values: int | None) -> dict[str, object]:
    score = score_facets(framework, {"listening": values})
    assert score is not None
    return score.theme("listening").to_json()


def test_each_quadrant_with_its_limiting_facet(mini: Framework) -> None:
    # know 5, can 4 -> 83.33 and 66.67, ability 75; want 4 -> 66.67: both >= 60.
    # can and want tie for the lowest (66.67): can comes first in the framework.
    assert _listening(mini, know=5, can=4, want=4) == {
        "know": pytest.approx(500 / 6),
        "can": pytest.approx(400 / 6),
        "want": pytest.approx(400 / 6),
        "ability": pytest.approx(75.0),
        "willingness": pytest.approx(400 / 6),
        "quadrant": "delegate",
        "limiting": "can",
    }
    # ability (16.67 + 33.33) / 2 = 25 < 60, willingness 100 -> guide; know is lowest.
    guide = _listening(mini, know=1, can=2, want=6)
    assert (guide["ability"], guide["willingness"]) == (pytest.approx(25.0), 100.0)
    assert (guide["quadrant"], guide["limiting"]) == ("guide", "know")
    # ability 100, willingness 50 -> excite; want is lowest.
    excite = _listening(mini, know=6, can=6, want=3)
    assert (excite["ability"], excite["willingness"]) == (100.0, 50.0)
    assert (excite["quadrant"], excite["limiting"]) == ("excite", "want")
    # ability (0 + 50) / 2 = 25, willingness 33.33 -> direct; know (0) is lowest.
    direct = _listening(mini, know=0, can=3, want=2)
    assert (direct["ability"], direct["willingness"]) == (25.0, pytest.approx(200 / 6))
    assert (direct["quadrant"], direct["limiting"]) == ("direct", "know")


def test_one_side_unanswered_has_no_quadrant_but_a_limiting_facet(mini: Framework) -> None:
    assert _listening(mini, know=2) == {
        "know": pytest.approx(200 / 6),
        "can": None,
        "want": None,
        "ability": pytest.approx(200 / 6),
        "willingness": None,
        "quadrant": None,
        "limiting": "know",
    }
    # A skip (None) is unanswered too.
    only_want = _listening(mini, know=None, can=None, want=5)
    assert (only_want["ability"], only_want["quadrant"], only_want["limiting"]) == (
        None,
        None,
        "want",
    )


def test_nothing_limits_when_every_answer_is_at_the_top(mini: Framework) -> None:
    top = _listening(mini, know=6, can=6, want=6)
    assert (top["quadrant"], top["limiting"]) == ("delegate", None)
    # Answered facets all at the top, one unanswered: still nothing limits.
    assert _listening(mini, know=6, want=6)["limiting"] is None
    assert _listening(mini) == {
        "know": None,
        "can": None,
        "want": None,
        "ability": None,
        "willingness": None,
        "quadrant": None,
        "limiting": None,
    }


def _with_threshold(tmp_path: Path, threshold: str) -> Framework:
    text = (MINI / "framework.yaml").read_text().replace("threshold: 60", f"threshold: {threshold}")
    (tmp_path / "framework.yaml").write_text(text)
    return load_framework(str(tmp_path))


def test_a_side_exactly_at_the_threshold_is_high(tmp_path: Path) -> None:
    framework = _with_threshold(tmp_path, "50")
    # know 3, can 3 -> ability exactly 50; want 3 -> 50: both at the threshold.
    assert _listening(framework, know=3, can=3, want=3)["quadrant"] == "delegate"
    # One point below on either side is low.
    assert _listening(framework, know=3, can=2, want=3)["quadrant"] == "guide"
    assert _listening(framework, know=3, can=3, want=2)["quadrant"] == "excite"


def test_float_noise_does_not_move_a_side_below_the_threshold(tmp_path: Path) -> None:
    # 200/3 as the threshold; know 3 and can 5 average exactly 200/3 too, but in floats
    # (50 + 83.33333333333333) / 2 = 66.66666666666666, a hair below 66.66666666666667.
    framework = _with_threshold(tmp_path, "66.66666666666667")
    ability = (100.0 * 3 / 6 + 100.0 * 5 / 6) / 2
    assert ability < 200 / 3  # the noise is real
    assert _listening(framework, know=3, can=5, want=6)["quadrant"] == "delegate"
    assert quadrant_for(ability, 100.0, 200 / 3) == "delegate"
    assert quadrant_for(66.66, 100.0, 200 / 3) == "guide"


def test_overall_is_theme_weighted_over_the_themes_where_a_facet_is_answered(
    mini: Framework,
) -> None:
    score = facets_json(
        mini,
        {
            "listening": {"know": 6, "can": None, "want": None},
            "planning": {"know": 3, "can": 0},
        },
    )
    assert score is not None
    # know: (3 x 100 + 1 x 50) / (3 + 1) = 87.5; can: planning alone, 0; want: nowhere.
    assert score["overall"] == {"know": 87.5, "can": 0.0, "want": None}
    assert list(score["themes"]) == ["listening", "planning"]


def test_no_facets_in_the_framework_gives_null() -> None:
    framework = load_framework(str(DATA / "valid" / "mini"))
    assert facets_json(framework, {}) is None and score_facets(framework, {}) is None


def test_facet_rows_carry_answers_through_a_batch_and_back(mini: Framework) -> None:
    answers: dict[str, dict[str, int | None]] = {"planning": {"want": 2, "know": 0}}
    row = facet_row(mini, answers)
    assert row == ((None, None, None), (0, None, 2))
    assert facet_answers(mini, row) == {"planning": {"know": 0, "want": 2}}
    assert facet_row(mini, {}) is None
    assert facet_row(mini, {"listening": {"know": None}}) is None


# --- the team -------------------------------------------------------------------------------


def _chunk(framework: Framework, people: list[dict[str, dict[str, int | None]]]) -> ScoredChunk:
    scorer = CompiledScorer(framework)
    records = [
        record_from_response(
            scorer,
            Response(framework_id=framework.id, answers={"asks-first": 3}, facets=facets),
            respondent_id=f"p{i}",
            source="test",
        )
        for i, facets in enumerate(people)
    ]
    return ScoredChunk.of(scorer, records, "test")


def _expected(
    framework: Framework, people: list[dict[str, dict[str, int | None]]]
) -> dict[str, object]:
    """The summary's facets, worked out directly from the rules, one person at a time."""
    assert framework.facets is not None
    items = framework.facets.items
    threshold = Fraction(str(framework.facets.threshold))
    out: dict[str, object] = {}
    for theme in framework.themes:
        percents: dict[str, list[Fraction]] = {i.id: [] for i in items}
        quadrants = dict.fromkeys(("delegate", "guide", "excite", "direct"), 0)
        limiting = dict.fromkeys((i.id for i in items), 0)
        for person in people:
            given = {k: v for k, v in person.get(theme.id, {}).items() if v is not None}
            mine = {k: Fraction(100 * v, 6) for k, v in given.items()}
            for k, p in mine.items():
                percents[k].append(p)
            sides = {
                side: [mine[i.id] for i in items if i.side == side and i.id in mine]
                for side in ("ability", "willingness")
            }
            if sides["ability"] and sides["willingness"]:
                able = sum(sides["ability"]) / len(sides["ability"]) >= threshold
                willing = sum(sides["willingness"]) / len(sides["willingness"]) >= threshold
                quadrants[
                    {(1, 1): "delegate", (0, 1): "guide", (1, 0): "excite", (0, 0): "direct"}[
                        (int(able), int(willing))
                    ]
                ] += 1
            if mine and any(v != 6 for v in given.values()):
                low = min(mine.values())
                limiting[next(i.id for i in items if mine.get(i.id) == low)] += 1
        entry: dict[str, object] = {}
        for item in items:
            values = [float(p) for p in percents[item.id]]
            entry[item.id] = {
                "n": len(values),
                "mean": statistics.mean(values) if values else None,
                "sd": statistics.stdev(values) if len(values) > 1 else None,
            }
        entry["quadrants"] = quadrants
        entry["limiting"] = limiting
        out[theme.id] = entry
    return {"themes": out}


def _random_people(seed: int, n: int) -> list[dict[str, dict[str, int | None]]]:
    rng = random.Random(seed)
    people = []
    for _ in range(n):
        person: dict[str, dict[str, int | None]] = {}
        for theme in ("listening", "planning"):
            values = {
                f: rng.choice([None, 0, 1, 2, 3, 4, 5, 6, 6]) for f in ("know", "can", "want")
            }
            if rng.random() < 0.9:
                person[theme] = values
        people.append(person)
    return people


def _close(got: object, want: object) -> None:
    if isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want)
        for key in want:
            _close(got[key], want[key])
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12)
    else:
        assert got == want


def test_team_statistics_match_an_independent_computation(mini: Framework) -> None:
    people = _random_people(7, 250)
    summary = FacetSummary(mini)
    for start in range(0, len(people), 64):
        summary.add(_chunk(mini, people[start : start + 64]))
    summary.finish()
    _close(summary.to_json(), _expected(mini, people))
    assert summary.responses == sum(
        1 for p in people if any(v is not None for t in p.values() for v in t.values())
    )


def test_folding_early_gives_the_same_statistics(
    mini: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = _random_people(11, 120)
    whole = FacetSummary(mini)
    whole.add(_chunk(mini, people))
    whole.finish()
    monkeypatch.setattr(facet_summary, "FOLD_LIMIT", 3)
    folded = FacetSummary(mini)
    for start in range(0, len(people), 10):
        folded.add(_chunk(mini, people[start : start + 10]))
    folded.finish()
    assert folded.to_json() == whole.to_json()


def test_counts_include_zeros_and_a_lone_answer_has_no_sd(mini: Framework) -> None:
    summary = FacetSummary(mini)
    summary.add(_chunk(mini, [{"listening": {"know": 6, "can": 6, "want": 6}}, {}]))
    summary.finish()
    data = summary.to_json()["themes"]
    assert data["listening"] == {
        "know": {"n": 1, "mean": 100.0, "sd": None},
        "can": {"n": 1, "mean": 100.0, "sd": None},
        "want": {"n": 1, "mean": 100.0, "sd": None},
        "quadrants": {"delegate": 1, "guide": 0, "excite": 0, "direct": 0},
        "limiting": {"know": 0, "can": 0, "want": 0},
    }
    assert data["planning"]["know"] == {"n": 0, "mean": None, "sd": None}
    assert summary.responses == 1


def test_two_facet_summaries_merged_are_one_of_everything(mini: Framework) -> None:
    """A batch read in two halves merges the halves' facet counts (pipeline/halves.py)."""
    people = _random_people(13, 150)
    whole, first, second = FacetSummary(mini), FacetSummary(mini), FacetSummary(mini)
    whole.add(_chunk(mini, people))
    first.add(_chunk(mini, people[:70]))
    second.add(_chunk(mini, people[70:]))
    first.merge(second)
    whole.finish()
    assert first.to_json() == whole.to_json()
    assert first.responses == whole.responses
