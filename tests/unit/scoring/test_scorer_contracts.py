"""What the reference scorer (scoring/person.py) and its fast path (scoring/compiled.py)
promise beyond the numbers: what a score carries, and what each refuses.

Found unguarded by mutation testing (docs/mutation-testing.md). The figures come from
the one-to-five framework of tests/data/frameworks (see tests/unit/scoring/test_person.py).
"""

from __future__ import annotations

import pytest

from lpc_assess.model.framework import Band, Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.compiled import CompiledScorer, Memo
from lpc_assess.scoring.person import band_for, score_response, score_theme
from tests.conftest import DATA
from tests.unit.scoring.test_team import make_framework


@pytest.fixture(scope="module")
def five() -> Framework:
    # alpha: a1, a2, a3 (reverse), a4 (weight 2); beta (theme weight 3, every statement needed)
    return load_framework(str(DATA / "frameworks" / "one-to-five"))


# --- person.py -------------------------------------------------------------------------------


def test_a_theme_score_carries_its_title_and_weight_scored_or_not(five: Framework) -> None:
    beta = next(t for t in five.themes if t.id == "beta")
    assert beta.weight == 3
    scored = score_theme(five, beta, {"b1": 5, "b2": 5, "b3": 5})
    unscored = score_theme(five, beta, {"b1": 5, "b2": 5})  # 2 of 3, below min_answered 1.0
    assert (scored.title, scored.weight, scored.percent) == (beta.title, 3, 100.0)
    assert (unscored.title, unscored.weight, unscored.percent) == (beta.title, 3, None)
    assert (unscored.answered, unscored.total, unscored.mean, unscored.band) == (2, 3, None, None)


def test_each_answered_statement_knows_its_theme(five: Framework) -> None:
    answers = {"a1": 4, "a3": 2, "b2": 1}
    score = score_response(five, answers)
    by_theme = {i.id: t.id for t in five.themes for i in t.indicators}
    assert [(item.id, item.theme.id) for item in score.items] == [
        (key, by_theme[key]) for key in ("a1", "a3", "b2")
    ]
    assert [item.indicator.id for item in score.items] == ["a1", "a3", "b2"]


def test_a_percent_below_every_band_has_no_band() -> None:
    bands = [
        Band(id="mid", label="Mid", from_=40),
        Band(id="top", label="Top", from_=80),
    ]
    assert band_for(bands, 39.9) is None
    assert band_for(bands, 40.0) is bands[0]
    assert band_for(bands, None) is None


# --- compiled.py -----------------------------------------------------------------------------


def test_a_memo_keeps_at_most_its_limit_and_still_answers() -> None:
    made: list[int] = []

    def make(key: int) -> int:
        made.append(key)
        return key * key

    memo: Memo[int, int] = Memo(make, limit=2)
    assert [memo[k] for k in (1, 2, 3, 1, 3)] == [1, 4, 9, 1, 9]
    assert dict(memo) == {1: 1, 2: 4}  # 3 was made twice: there was no room to keep it
    assert made == [1, 2, 3, 3]
    assert memo.limit == 2


def test_a_pattern_of_the_wrong_length_is_refused() -> None:
    # Weighted statements: the mean pairs each answer with its weight, one for one.
    framework = make_framework([[(False, 1.0), (False, 2.0)]])
    scorer = CompiledScorer(framework)
    assert scorer.pattern(0, (3, 5)).outcome.mean == pytest.approx((3 + 2 * 5) / 3)
    with pytest.raises(ValueError, match="zip"):
        scorer.pattern(0, (3,))


def test_an_overall_score_needs_one_pattern_per_theme() -> None:
    framework = make_framework([[(False, 1.0)], [(False, 1.0)], [(False, 1.0)]])
    scorer = CompiledScorer(framework)
    patterns, overall = scorer.score_answers({"t0-i0": 5, "t1-i0": 1})  # t2 unanswered
    assert overall.percent == 50.0  # (100 + 0) / 2, the unscored theme left out
    with pytest.raises(ValueError, match="zip"):
        scorer.overall(patterns[1:])
    with pytest.raises(ValueError, match="zip"):
        scorer.overall_columns([[patterns[0]], [patterns[1], patterns[1]], [patterns[2]]])
