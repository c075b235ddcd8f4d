"""Team statistics (scoring/team.py) where the mutation run found them unguarded.

Each figure is checked against a computation that does not use the package: the
`statistics` module, exact fractions, a square root to 80 digits with `decimal`, or
a count by hand.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

import lpc_assess.scoring.team as team_module
from lpc_assess.model.framework import Framework
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.scored import ScoredChunk
from lpc_assess.scoring.team import TeamSummary, _sqrt_fraction
from tests.unit.scoring.test_team import make_framework, random_answers, record, single


def decimal_sqrt(value: Fraction) -> float:
    """The square root of `value` to 80 digits, then rounded once to a float."""
    with localcontext() as context:
        context.prec = 80
        return float((Decimal(value.numerator) / Decimal(value.denominator)).sqrt())


def team(framework: Framework, answers: list[dict[str, int]]) -> TeamSummary:
    scorer = CompiledScorer(framework)
    summary = TeamSummary(framework)
    for k, given in enumerate(answers):
        summary.add(single(scorer, given, f"p{k}"))
    return summary


# --- the square root behind every sd ---------------------------------------------------------


def test_the_square_root_of_a_fraction_is_correctly_rounded() -> None:
    rng = random.Random(2024)
    for _ in range(20_000):
        value = Fraction(
            rng.randint(1, 10 ** rng.randint(1, 30)), rng.randint(1, 10 ** rng.randint(1, 30))
        )
        assert _sqrt_fraction(value) == decimal_sqrt(value), value
    # A root whose truncated bits end exactly at a tie: it was rounded down, 1 ulp off.
    awkward = Fraction(1, 173172297647531716071)
    assert _sqrt_fraction(awkward) == decimal_sqrt(awkward) == 7.599076041914307e-11


@pytest.mark.parametrize(
    ("value", "root"),
    [
        (Fraction(0), 0.0),
        (Fraction(1), 1.0),
        (Fraction(9, 4), 1.5),
        (Fraction(1, 2**200), 2.0**-100),
        (Fraction(2**300), 2.0**150),
        (Fraction(12345**2), 12345.0),
        # 2**53 + 1 is halfway between two floats: an exact root rounds half to even
        (Fraction((2**53 + 1) ** 2), 2.0**53),
    ],
)
def test_exact_square_roots(value: Fraction, root: float) -> None:
    assert _sqrt_fraction(value) == root


def test_the_team_sd_is_the_correctly_rounded_sample_sd() -> None:
    framework = make_framework([[(False, 1.0)] * 3, [(True, 1.0), (False, 2.0)]])
    rng = random.Random(5)
    answers = [random_answers(framework, rng, blank=0.2) for _ in range(300)]
    summary = team(framework, answers)
    for t, stats in enumerate(summary.themes()):
        means = [
            Fraction(m)
            for m in (score_response(framework, a).themes[t].mean for a in answers)
            if m is not None
        ]
        n = len(means)
        centre = sum(means, Fraction(0)) / n
        variance = sum(((m - centre) ** 2 for m in means), Fraction(0)) / (n - 1)
        assert stats.n == n
        assert stats.sd == decimal_sqrt(variance)


# --- indicators ------------------------------------------------------------------------------


@pytest.mark.parametrize(("low", "high"), [(1, 5), (0, 3), (-2, 2)])
def test_indicator_percent_is_the_mean_keyed_value_on_the_range(low: int, high: int) -> None:
    framework = make_framework([[(False, 1.0), (True, 1.0), (False, 1.0)]], low=low, high=high)
    rng = random.Random(high - low)
    answers = [random_answers(framework, rng, blank=0.3) for _ in range(40)]
    answers.append({})  # no answer at all: in no indicator's n
    summary = team(framework, answers)
    indicators = summary.indicators()
    theme = framework.themes[0]
    assert [s.theme for s in indicators] == [theme] * 3
    for stats, indicator in zip(indicators, theme.indicators, strict=True):
        given = [a[indicator.id] for a in answers if indicator.id in a]
        keyed = [low + high - v if indicator.reverse else v for v in given]
        mean = statistics.mean(Fraction(k) for k in keyed)
        assert stats.indicator is indicator
        assert stats.n == len(given)
        assert stats.mean == pytest.approx(float(mean), rel=1e-15)
        assert stats.percent == float(100 * (mean - low) / (high - low))
        assert stats.counts == {v: given.count(v) for v in range(low, high + 1)}


def test_an_unanswered_indicator_has_no_mean_and_no_percent() -> None:
    framework = make_framework([[(False, 1.0), (False, 1.0)]])
    summary = team(framework, [{"t0-i0": 4}, {"t0-i0": 2}])
    first, never = summary.indicators()
    assert (first.n, first.mean, first.percent) == (2, 3.0, 50.0)
    assert (never.n, never.mean, never.percent) == (0, None, None)
    assert never.counts == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


# --- themes: bands, titles, the exact sums behind alpha ------------------------------------


def test_band_counts_list_every_band_and_an_empty_one_is_zero() -> None:
    # bands from 0, 40, 60 and 80 %: every theme mean below lands in b0 or b2, none in b1, b3
    framework = make_framework([[(False, 1.0)] * 2, [(False, 1.0)]])
    answers = [
        {"t0-i0": 1, "t0-i1": 1, "t1-i0": 1},  # 0 %: b0
        {"t0-i0": 1, "t0-i1": 2, "t1-i0": 4},  # 12.5 %: b0; 75 %: b2
        {"t0-i0": 3, "t0-i1": 4, "t1-i0": 4},  # 62.5 %: b2; b2
        {"t0-i0": 4, "t0-i1": 3, "t1-i0": 3},  # 62.5 %: b2; 50 %: b1
    ]
    summary = team(framework, answers)
    first, second = summary.themes()
    assert first.bands == {"b0": 2, "b1": 0, "b2": 2, "b3": 0}
    assert second.bands == {"b0": 1, "b1": 1, "b2": 2, "b3": 0}
    assert (first.title, first.k, second.title, second.k) == ("Theme 0", 2, "Theme 1", 1)
    references = [score_response(framework, a) for a in answers]
    overall = Counter(r.overall_band.id for r in references if r.overall_band is not None)
    # Four distinct overall percents, two of them in one band: counts add up per band.
    assert len({r.overall_percent for r in references}) == 4
    # overall: 0, (12.5 + 75) / 2 = 43.75, 68.75 and (62.5 + 50) / 2 = 56.25 percent
    assert summary.overall_bands == overall == Counter({"b0": 1, "b1": 2, "b2": 1})
    assert summary.overall_n == 4


def test_responses_without_an_overall_score_are_in_no_band() -> None:
    framework = make_framework([[(False, 1.0)] * 2])
    summary = team(framework, [{}, {"t0-i0": 5, "t0-i1": 5}, {}])
    assert summary.responses == 3
    assert summary.overall_n == 1
    assert summary.overall_bands == Counter({"b3": 1})
    assert summary.overall_percent == 100.0


def test_alpha_rests_on_exact_sums_of_keyed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    # Folded into the sums every few patterns, so that sums of several folds are added up.
    monkeypatch.setattr(team_module, "FOLD_LIMIT", 2)
    framework = make_framework([[(False, 1.0), (True, 1.0), (False, 1.0)]])
    rng = random.Random(9)
    answers = [random_answers(framework, rng, blank=0.1) for _ in range(60)]
    summary = team(framework, answers)
    [stats] = summary.themes()
    ids = [i.id for i in framework.themes[0].indicators]
    complete = [
        [6 - a[i] if k == 1 else a[i] for k, i in enumerate(ids)]  # the second is reversed
        for a in answers
        if all(i in a for i in ids)
    ]
    sums = summary._sums[0]
    assert sums.alpha_n == stats.alpha_n == len(complete)
    assert sums.item_sum == [sum(row[k] for row in complete) for k in range(3)]
    assert sums.item_squares == [sum(row[k] ** 2 for row in complete) for k in range(3)]
    assert sums.total_sum == sum(sum(row) for row in complete)
    assert sums.total_squares == sum(sum(row) ** 2 for row in complete)
    item_variance = sum(statistics.variance([row[k] for row in complete]) for k in range(3))
    total_variance = statistics.variance([sum(row) for row in complete])
    assert stats.alpha == pytest.approx(1.5 * (1 - item_variance / total_variance), rel=1e-12)


# --- what the summary says about itself ------------------------------------------------------


def test_a_fresh_summary_has_nothing_rejected_and_no_omitted_errors() -> None:
    framework = make_framework([[(False, 1.0)]])
    summary = TeamSummary(framework)
    data = summary.to_json()
    assert (data["responses"], data["rejected"], data["errors"]) == (0, 0, [])
    assert "errors_omitted" not in data and summary.errors_omitted == 0
    assert data["facets"] is None and data["subjects"] == []
    summary.errors_omitted = 3
    assert summary.to_json()["errors_omitted"] == 3


def test_a_chunk_scored_with_another_framework_is_refused() -> None:
    framework = make_framework([[(False, 1.0)], [(False, 1.0)]])
    other = make_framework([[(False, 1.0)]])
    scorer = CompiledScorer(other)
    chunk = ScoredChunk.of(scorer, [record(scorer, {"t0-i0": 3})], "test")
    summary = TeamSummary(framework)
    with pytest.raises(ValueError, match="zip"):
        summary.add(chunk)
    # As many themes, other statements: refused when the counts are added up.
    longer = make_framework([[(False, 1.0)] * 2])
    summary = TeamSummary(longer)
    summary.add(chunk)
    with pytest.raises(ValueError, match="patterns of \\[1\\] answers in a theme of 2"):
        summary.themes()


def test_alpha_refuses_item_sums_and_squares_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="zip"):
        team_module.cronbach_alpha(2, 4, [10, 12], [30], 22, 130)
