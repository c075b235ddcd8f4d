"""Scoring, docs/scoring.md, against figures worked out by hand.

Two small frameworks under tests/data/frameworks/:

one-to-five (scale 1..5, min_answered 0.5; bands low 0, mid 40, solid 70, high 75)
  alpha  a1, a2, a3 (reverse), a4 (weight 2)          theme weight 1
  beta   b1, b2, b3, min_answered 1.0                  theme weight 3
  gamma  g1 (a one-indicator theme)                    theme weight 1
  delta  d1, d2                                        theme weight 1

zero-based (scale 0..4, no skip, min_answered 0.6; bands start 0, mid 50, top 87.5)
  one    z1, z2 (reverse), z3
  two    y1
"""

from __future__ import annotations

import pytest

from lpc_assess.model.framework import Framework, Indicator, Theme
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.person import (
    band_for,
    compare_scores,
    keyed_value,
    overall_percent,
    percent_of,
    score_response,
    score_theme,
)
from tests.conftest import DATA

FRAMEWORKS = DATA / "frameworks"


@pytest.fixture(scope="module")
def five() -> Framework:
    return load_framework(str(FRAMEWORKS / "one-to-five"))


@pytest.fixture(scope="module")
def zero() -> Framework:
    return load_framework(str(FRAMEWORKS / "zero-based" / "framework.yaml"))


def indicator(framework: Framework, indicator_id: str) -> Indicator:
    return next(i for i in framework.indicators if i.id == indicator_id)


def theme(framework: Framework, theme_id: str) -> Theme:
    return next(t for t in framework.themes if t.id == theme_id)


# --- keyed values ------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "keyed"), [(1, 5), (2, 4), (3, 3), (4, 2), (5, 1)])
def test_reverse_item_is_keyed_min_plus_max_minus_answer_on_1_to_5(
    five: Framework, answer: int, keyed: int
) -> None:
    assert keyed_value(five, indicator(five, "a3"), answer) == keyed
    assert keyed_value(five, indicator(five, "a1"), answer) == answer


@pytest.mark.parametrize(("answer", "keyed"), [(0, 4), (1, 3), (2, 2), (3, 1), (4, 0)])
def test_reverse_item_on_a_zero_based_scale(zero: Framework, answer: int, keyed: int) -> None:
    # min + max - v = 0 + 4 - v
    assert keyed_value(zero, indicator(zero, "z2"), answer) == keyed
    assert keyed_value(zero, indicator(zero, "z1"), answer) == answer


# --- theme mean, percent, weights ----------------------------------------------------------


def test_weighted_mean_with_a_reverse_item_and_a_weight(five: Framework) -> None:
    # a1=4, a2=2, a3=2 (reverse -> 4), a4=5 (weight 2):
    # (4 + 2 + 4 + 2*5) / (1 + 1 + 1 + 2) = 20 / 5 = 4.0 -> 100 * (4 - 1) / 4 = 75.0
    result = score_theme(five, theme(five, "alpha"), {"a1": 4, "a2": 2, "a3": 2, "a4": 5})
    assert (result.answered, result.total) == (4, 4)
    assert result.mean == 4.0
    assert result.percent == 75.0


def test_percent_on_a_zero_based_scale(zero: Framework) -> None:
    # z1=3, z2=1 (reverse -> 3), z3=4: 10 / 3 = 3.3333 -> 100 * 3.3333 / 4 = 83.333
    result = score_theme(zero, theme(zero, "one"), {"z1": 3, "z2": 1, "z3": 4})
    assert result.mean == pytest.approx(10 / 3)
    assert result.percent == pytest.approx(250 / 3)
    assert result.band is not None and result.band.id == "mid"


def test_zero_is_an_answer_not_a_missing_value(zero: Framework) -> None:
    result = score_theme(zero, theme(zero, "two"), {"y1": 0})
    assert result.answered == 1
    assert result.mean == 0.0
    assert result.percent == 0.0
    assert result.band is not None and result.band.id == "start"


def test_percent_of_the_scale_ends(five: Framework, zero: Framework) -> None:
    assert percent_of(five, 1) == 0.0
    assert percent_of(five, 5) == 100.0
    assert percent_of(five, 3) == 50.0
    assert percent_of(zero, 0) == 0.0
    assert percent_of(zero, 3) == 75.0


def test_skips_and_absent_answers_are_left_out_of_the_mean(five: Framework) -> None:
    # Only a1=5 and a4=3 (weight 2) count: (5 + 6) / 3 = 3.6667 -> 66.667 %
    result = score_theme(five, theme(five, "alpha"), {"a1": 5, "a2": None, "a4": 3})
    assert result.answered == 2
    assert result.mean == pytest.approx(11 / 3)
    assert result.percent == pytest.approx(200 / 3)


# --- min_answered ----------------------------------------------------------------------------


def test_exactly_min_answered_is_scored(five: Framework) -> None:
    # 2 of 4 = 0.5, and min_answered is 0.5: scored. (3 + 5) / 2 = 4 -> 75 %
    result = score_theme(five, theme(five, "alpha"), {"a1": 3, "a2": 5})
    assert result.answered == 2
    assert result.percent == 75.0


def test_below_min_answered_is_not_scored(five: Framework) -> None:
    result = score_theme(five, theme(five, "alpha"), {"a1": 3, "a2": None, "a3": None})
    assert result.answered == 1
    assert (result.mean, result.percent, result.band) == (None, None, None)
    assert not result.scored


def test_per_theme_min_answered_overrides_the_framework(five: Framework) -> None:
    # beta needs all three (1.0): 2 of 3 is not enough although 0.667 >= 0.5.
    short = score_theme(five, theme(five, "beta"), {"b1": 3, "b2": 3})
    assert short.percent is None
    full = score_theme(five, theme(five, "beta"), {"b1": 3, "b2": 3, "b3": 3})
    assert full.percent == 50.0


def test_min_answered_on_the_zero_based_framework(zero: Framework) -> None:
    # min_answered 0.6: 2 of 3 (0.667) is scored, 1 of 3 (0.333) is not.
    two = score_theme(zero, theme(zero, "one"), {"z1": 0, "z3": 2})
    assert two.percent == 25.0  # (0 + 2) / 2 = 1 -> 100 * 1 / 4
    one = score_theme(zero, theme(zero, "one"), {"z1": 4})
    assert one.percent is None


def test_fully_skipped_theme_is_not_scored(five: Framework) -> None:
    result = score_theme(five, theme(five, "delta"), {"d1": None, "d2": None})
    assert (result.answered, result.total, result.percent) == (0, 2, None)


def test_one_indicator_theme(five: Framework) -> None:
    assert score_theme(five, theme(five, "gamma"), {"g1": 2}).percent == 25.0
    assert score_theme(five, theme(five, "gamma"), {}).percent is None


# --- bands -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0.0, "low"),
        (39.999, "low"),
        (40.0, "mid"),
        (69.99, "mid"),
        (70.0, "solid"),
        (74.99, "solid"),
        (75.0, "high"),
        (100.0, "high"),
    ],
)
def test_band_boundaries_are_inclusive(five: Framework, percent: float, band: str) -> None:
    found = band_for(five.bands, percent)
    assert found is not None and found.id == band


def test_band_of_none_is_none(five: Framework) -> None:
    assert band_for(five.bands, None) is None


def test_a_weighted_mean_landing_on_a_boundary_is_in_the_higher_band(five: Framework) -> None:
    # a1=5, a2=4, a3=2 (-> 4), a4=3 (weight 2): (5 + 4 + 4 + 6) / 5 = 3.8 -> 70.0 exactly
    result = score_theme(five, theme(five, "alpha"), {"a1": 5, "a2": 4, "a3": 2, "a4": 3})
    assert result.percent == pytest.approx(70.0)
    assert result.band is not None and result.band.id == "solid"


def test_float_noise_does_not_push_a_boundary_score_down_a_band(five: Framework) -> None:
    # Fractional weights can leave a percent a hair below a boundary it is on by hand
    # (float error); that hair does not move it down a band.
    noisy = 70.0 - 1e-12
    assert noisy < 70.0
    found = band_for(five.bands, noisy)
    assert found is not None and found.id == "solid"
    # A real difference (a thousandth of a point) is not noise.
    below = band_for(five.bands, 69.999)
    assert below is not None and below.id == "mid"


def test_zero_based_boundaries(zero: Framework) -> None:
    half = score_theme(zero, theme(zero, "two"), {"y1": 2})
    assert half.percent == 50.0
    assert half.band is not None and half.band.id == "mid"
    # 3.5 is not reachable with one item; 7/2 over two of three items of theme one is:
    # z1=4, z3=3 -> 3.5 -> 87.5 %, exactly the start of "top"
    top = score_theme(zero, theme(zero, "one"), {"z1": 4, "z3": 3})
    assert top.percent == 87.5
    assert top.band is not None and top.band.id == "top"


# --- a whole response ---------------------------------------------------------------------------

ANSWERS: dict[str, int | None] = {
    # alpha: 75.0 (see above)
    "a1": 4,
    "a2": 2,
    "a3": 2,
    "a4": 5,
    # beta: 3, 3, 3 -> 50.0
    "b1": 3,
    "b2": 3,
    "b3": 3,
    # gamma: 1 -> 0.0
    "g1": 1,
    # delta: both skipped -> not scored
    "d1": None,
    "d2": None,
}


def test_overall_is_the_theme_weighted_mean_of_scored_themes(five: Framework) -> None:
    # (1 * 75 + 3 * 50 + 1 * 0) / (1 + 3 + 1) = 225 / 5 = 45.0; delta is left out.
    result = score_response(five, ANSWERS)
    assert [t.percent for t in result.themes] == [75.0, 50.0, 0.0, None]
    assert result.overall_percent == 45.0
    assert result.overall_band is not None and result.overall_band.id == "mid"
    assert result.complete is False


def test_complete_when_every_theme_is_scored(five: Framework) -> None:
    answers = {**ANSWERS, "d1": 5, "d2": None}  # 1 of 2 = 0.5: scored, 100 %
    result = score_response(five, answers)
    assert result.theme("delta").percent == 100.0
    assert result.complete is True
    # (75 + 3 * 50 + 0 + 100) / 6 = 325 / 6
    assert result.overall_percent == pytest.approx(325 / 6)


def test_overall_is_none_when_no_theme_is_scored(five: Framework) -> None:
    result = score_response(five, {"d1": None})
    assert result.overall_percent is None
    assert result.overall_band is None
    assert result.complete is False
    assert overall_percent(result.themes) is None


def test_strengths_highest_keyed_values_ties_in_framework_order(five: Framework) -> None:
    # keyed: a1 4, a2 2, a3 4 (reverse of 2), a4 5, b1-b3 3, g1 1
    result = score_response(five, ANSWERS)
    assert [(i.id, i.value) for i in result.strengths] == [("a4", 5), ("a1", 4), ("a3", 4)]


def test_priorities_lowest_keyed_values_ties_in_framework_order(five: Framework) -> None:
    result = score_response(five, ANSWERS)
    assert [(i.id, i.value) for i in result.priorities] == [("g1", 1), ("a2", 2), ("b1", 3)]
    assert list(result.priorities[1].indicator.actions) == ["Try a2 first.", "Try a2 second."]


def test_strengths_never_at_the_scale_minimum(five: Framework) -> None:
    result = score_response(five, {"a1": 1, "a2": 1, "a3": 5, "g1": 2})  # a3 reverse: keyed 1
    assert [(i.id, i.value) for i in result.strengths] == [("g1", 2)]


def test_priorities_never_at_the_scale_maximum(five: Framework) -> None:
    # a3 answered 1 is keyed 5: not a priority, although the raw answer is the lowest.
    result = score_response(five, {"a1": 5, "a3": 1, "b1": 4})
    assert [(i.id, i.value) for i in result.priorities] == [("b1", 4)]
    assert [(i.id, i.value) for i in result.strengths] == [("a1", 5), ("a3", 5), ("b1", 4)]


def test_all_at_the_top_or_bottom_gives_no_priorities_or_no_strengths(zero: Framework) -> None:
    top = score_response(zero, {"z1": 4, "z2": 0, "z3": 4, "y1": 4})
    assert top.priorities == []
    assert len(top.strengths) == 3
    bottom = score_response(zero, {"z1": 0, "z2": 4, "z3": 0, "y1": 0})
    assert bottom.strengths == []
    assert [i.id for i in bottom.priorities] == ["z1", "z2", "z3"]


def test_skipped_items_are_neither_strengths_nor_priorities(five: Framework) -> None:
    result = score_response(five, {"a1": None, "a2": 3})
    assert [i.id for i in result.strengths] == ["a2"]
    assert [i.id for i in result.priorities] == ["a2"]


def test_zero_based_whole_response(zero: Framework) -> None:
    # one: z1=3, z2=1 (-> 3), z3=4 -> 10/3 -> 83.333 (mid); two: y1=0 -> 0 (start)
    # overall (83.333 + 0) / 2 = 41.667 (start)
    result = score_response(zero, {"z1": 3, "z2": 1, "z3": 4, "y1": 0})
    assert result.overall_percent == pytest.approx(125 / 3)
    assert result.overall_band is not None and result.overall_band.id == "start"
    assert result.complete
    # y1 is at the minimum (0): never a strength; z3 at the maximum: never a priority
    assert [(i.id, i.value) for i in result.strengths] == [("z3", 4), ("z1", 3), ("z2", 3)]
    assert [(i.id, i.value) for i in result.priorities] == [("y1", 0), ("z1", 3), ("z2", 3)]


# --- comparison ---------------------------------------------------------------------------------


def test_comparison_in_percentage_points_with_null_sides(five: Framework) -> None:
    now = score_response(five, ANSWERS)  # alpha 75, beta 50, gamma 0, delta none
    before = score_response(
        five,
        {"a1": 3, "a2": 3, "a3": 3, "a4": 3, "b1": 3, "g1": 2, "d1": 4, "d2": 4},
    )  # alpha 50, beta none (1 of 3), gamma 25, delta 75
    assert compare_scores(now, before) == {
        "alpha": 25.0,
        "beta": None,  # no earlier score
        "gamma": -25.0,
        "delta": None,  # no score now
    }


def test_comparison_with_itself_is_zero(zero: Framework) -> None:
    now = score_response(zero, {"z1": 1, "z2": 2, "z3": 3, "y1": 4})
    assert compare_scores(now, now) == {"one": 0.0, "two": 0.0}
