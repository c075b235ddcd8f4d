"""The figures of `progress` (scoring/progress.py) against independent computations.

The paired figures are checked against scipy's paired t-test (`ttest_rel`, its
confidence interval) and numpy's sample sd; Hedges' g against a direct
computation with numpy; a small case against a hand calculation and the
published t table; and every null of docs/programme-evaluation.md.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from scipy import stats

from lpc_assess.scoring.progress import (
    compare,
    compare_cohorts,
    hedges_g,
    paired_change,
    sample_sd,
)


def _cohort(rng: random.Random, n: int, shift: float) -> list[tuple[float, float]]:
    """Pairs of percents as a 1-5 scale gives them: theme means of six answers."""

    def percent(values: list[int]) -> float:
        return 100.0 * (sum(values) / len(values) - 1) / 4

    pairs = []
    for _ in range(n):
        before = [rng.randint(1, 4) for _ in range(6)]
        after = [min(5, max(1, v + round(rng.gauss(shift, 1)))) for v in before]
        pairs.append((percent(before), percent(after)))
    return pairs


@pytest.mark.parametrize(
    ("seed", "n", "shift"), [(1, 2, 0.5), (2, 7, 0.3), (3, 40, 0.0), (4, 250, -0.4)]
)
def test_paired_figures_agree_with_scipy_ttest_rel(seed: int, n: int, shift: float) -> None:
    pairs = _cohort(random.Random(seed), n, shift)
    before = np.array([b for b, _ in pairs])
    after = np.array([a for _, a in pairs])
    changes = after - before
    result = paired_change(pairs)
    test = stats.ttest_rel(after, before)
    interval = test.confidence_interval(0.95)
    sd = float(np.std(changes, ddof=1))
    assert result.n == n
    assert result.before == pytest.approx(before.mean(), rel=1e-12)
    assert result.after == pytest.approx(after.mean(), rel=1e-12)
    assert result.change == pytest.approx(changes.mean(), rel=1e-12, abs=1e-12)
    assert result.sd == pytest.approx(sd, rel=1e-12)
    assert result.ci is not None
    assert result.ci[0] == pytest.approx(interval.low, rel=1e-9, abs=1e-9)
    assert result.ci[1] == pytest.approx(interval.high, rel=1e-9, abs=1e-9)
    assert result.dz == pytest.approx(changes.mean() / sd, rel=1e-12, abs=1e-12)
    # dz is also the t statistic over the square root of n.
    assert result.dz == pytest.approx(test.statistic / math.sqrt(n), rel=1e-9, abs=1e-12)
    assert result.improved == int((changes > 5 + 1e-9).sum())
    assert result.declined == int((changes < -5 - 1e-9).sum())
    assert result.improved + result.same + result.declined == n


def test_a_small_case_by_hand() -> None:
    # Changes 10, 5 and 20: mean 35/3; deviations -5/3, -20/3, 25/3; sd = sqrt(1050/9 / 2).
    result = paired_change([(50.0, 60.0), (40.0, 45.0), (30.0, 50.0)])
    sd = math.sqrt((25 / 9 + 400 / 9 + 625 / 9) / 2)
    assert result.change == pytest.approx(35 / 3)
    assert result.sd == pytest.approx(sd)
    assert result.dz == pytest.approx((35 / 3) / sd)
    # t(0.975, 2 df) = 4.303 in every published table.
    half = 4.303 * sd / math.sqrt(3)
    assert result.ci is not None
    assert result.ci[0] == pytest.approx(35 / 3 - half, abs=2e-3)
    assert result.ci[1] == pytest.approx(35 / 3 + half, abs=2e-3)
    # +10 and +20 improved; +5 exactly is within the +-5 points, so "same".
    assert (result.improved, result.same, result.declined) == (2, 1, 0)
    assert (result.before, result.after) == (pytest.approx(40.0), pytest.approx(155 / 3))


def test_five_points_with_float_noise_is_the_same() -> None:
    noisy_five = 100 * (3.2 - 1) / 4 - 100 * (3.0 - 1) / 4
    assert noisy_five > 5  # 5.000000000000007: the noise the rule must ignore
    result = paired_change([(50.0, 50.0 + noisy_five), (50.0, 44.99999999999999), (50.0, 55.01)])
    assert (result.improved, result.same, result.declined) == (1, 2, 0)
    declines = paired_change([(60.0, 54.99), (60.0, 55.0)])
    assert (declines.improved, declines.same, declines.declined) == (0, 1, 1)


def test_no_one_matched_gives_nulls_and_zero_counts() -> None:
    result = paired_change([])
    assert result.to_json() == {
        "n": 0,
        "before": None,
        "after": None,
        "change": None,
        "sd": None,
        "ci": None,
        "dz": None,
        "improved": 0,
        "same": 0,
        "declined": 0,
    }


def test_one_person_has_a_change_but_no_sd_interval_or_dz() -> None:
    result = paired_change([(37.5, 62.5)])
    assert result.to_json() == {
        "n": 1,
        "before": 37.5,
        "after": 62.5,
        "change": 25.0,
        "sd": None,
        "ci": None,
        "dz": None,
        "improved": 1,
        "same": 0,
        "declined": 0,
    }


def test_everyone_changing_alike_gives_no_sd_interval_or_dz() -> None:
    # The same change of 25/3 points, reached from different floats (float noise included).
    pairs = [
        (100 * (2 - 1) / 4, 100 * (2 + 1 / 3 - 1) / 4),
        (100 * (3 - 1) / 4, 100 * (3 + 1 / 3 - 1) / 4),
        (100 * (4 - 1) / 4, 100 * (4 + 1 / 3 - 1) / 4),
    ]
    changes = [a - b for b, a in pairs]
    assert len(set(changes)) > 1  # the floats differ in their last bits
    result = paired_change(pairs)
    assert result.change == pytest.approx(25 / 3)
    assert (result.sd, result.ci, result.dz) == (None, None, None)
    assert result.improved == 3


def _hedges_by_hand(x: list[float], y: list[float]) -> float:
    a, b = np.array(x), np.array(y)
    n1, n2 = len(a), len(b)
    pooled = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    j = 1 - 3 / (4 * (n1 + n2) - 9)
    return float(j * (b.mean() - a.mean()) / pooled)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_hedges_g_against_a_direct_computation(seed: int) -> None:
    rng = random.Random(seed)
    before = [rng.uniform(20, 70) for _ in range(rng.randint(2, 60))]
    after = [rng.uniform(30, 90) for _ in range(rng.randint(2, 60))]
    assert hedges_g(before, after) == pytest.approx(_hedges_by_hand(before, after), rel=1e-12)


def test_hedges_g_small_sample_correction_by_hand() -> None:
    # Means 2 and 4, each sd 1 (n 3 each): d = 2; J = 1 - 3 / (4 * 6 - 9) = 0.8.
    assert hedges_g([1.0, 2.0, 3.0], [3.0, 4.0, 5.0]) == pytest.approx(1.6)
    assert hedges_g([3.0, 4.0, 5.0], [1.0, 2.0, 3.0]) == pytest.approx(-1.6)


def test_hedges_g_is_null_below_two_a_side_or_without_spread() -> None:
    assert hedges_g([50.0], [60.0, 70.0]) is None
    assert hedges_g([50.0, 60.0], []) is None
    assert hedges_g([50.0, 50.0], [50.0, 50.0, 50.0]) is None
    # One side without spread is fine: the other side's sd pools.
    assert hedges_g([50.0, 50.0], [40.0, 60.0]) == pytest.approx(0.0)


def test_sample_sd_matches_numpy_and_is_exact_zero_for_equal_values() -> None:
    values = [12.5, 37.5, 41.66666666666667, 100.0, 0.0]
    assert sample_sd(values) == pytest.approx(float(np.std(values, ddof=1)), rel=1e-12)
    assert sample_sd([0.1] * 7) == 0.0
    assert sample_sd([3.0]) is None


def test_compare_leaves_each_measure_its_own_people() -> None:
    # Three measures; None is "no score" for that measure only.
    before = [(50.0, None, 40.0), (60.0, 30.0, 45.0), (70.0, 40.0, None)]
    after = [(55.0, 35.0, 50.0), (80.0, None, 55.0), (90.0, 45.0, 60.0), (20.0, 20.0, 20.0)]
    # The first three after are the three before, in the same order.
    first, second, third = compare_cohorts(["a", "b", None], before, after, before, after[:3])
    assert (first.before_n, first.after_n, first.matched.n) == (3, 4, 3)
    assert first.before_mean == pytest.approx(60.0)
    assert first.after_mean == pytest.approx(245 / 4)
    assert first.matched.change == pytest.approx((5 + 20 + 20) / 3)
    # b: person 1 has no score before, person 2 none after: only person 3 is paired.
    assert (second.before_n, second.after_n, second.matched.n) == (2, 3, 1)
    assert second.matched.change == pytest.approx(5.0)
    assert second.matched.sd is None
    assert second.g == pytest.approx(_hedges_by_hand([30.0, 40.0], [35.0, 45.0, 20.0]))
    assert (third.before_n, third.after_n, third.matched.n) == (2, 4, 2)
    assert third.to_json()["matched"]["change"] == pytest.approx(10.0)
    assert "id" not in third.to_json()
    assert first.to_json()["id"] == "a"


def test_the_json_keys_of_a_measure() -> None:
    data = compare("being", [50.0, 60.0], [55.0, 75.0], [(50.0, 55.0), (60.0, 75.0)]).to_json()
    assert list(data) == [
        "id",
        "before_n",
        "before_mean",
        "after_n",
        "after_mean",
        "matched",
        "cohort",
    ]
    assert list(data["matched"]) == [
        "n",
        "before",
        "after",
        "change",
        "sd",
        "ci",
        "dz",
        "improved",
        "same",
        "declined",
    ]
    assert list(data["cohort"]) == ["g"]
    assert isinstance(data["matched"]["ci"], list) and len(data["matched"]["ci"]) == 2
