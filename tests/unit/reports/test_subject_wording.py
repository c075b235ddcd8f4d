"""360 wording: a difference of more than 10 points is never called close; below the
blind-spot threshold it is a difference worth talking about."""

from __future__ import annotations

import pytest

from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.reports.subject import CLOSE_TEXT, WORTH_TEXT, gap_words, render_subject
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.threesixty import THIRD, FeedbackCollector, SubjectFeedback
from tests.conftest import DATA


@pytest.mark.parametrize(
    ("gap", "flag", "words"),
    [
        (0.0, None, CLOSE_TEXT),
        (10.0, None, CLOSE_TEXT),
        (-10.0, None, CLOSE_TEXT),
        (10.0 + 1e-12, None, CLOSE_TEXT),  # 10 that floating point nudged up is still 10
        (10.1, None, WORTH_TEXT),
        (-10.1, None, WORTH_TEXT),
        (THIRD, None, WORTH_TEXT),  # exactly a third is no blind spot, and far from close
        (-THIRD, None, WORTH_TEXT),
        (THIRD + 0.1, "blind-spot", "Blind spot"),
        (-THIRD - 0.1, "hidden-strength", "Hidden strength"),
        (None, None, "No difference to show"),
    ],
)
def test_what_a_difference_is_called(gap: float | None, flag: str | None, words: str) -> None:
    assert gap_words(gap, flag) == words


@pytest.fixture(scope="module")
def mini() -> Framework:
    # one theme "alpha" with statements a-one, a-two, a-three on a 1-5 scale
    return load_framework(str(DATA / "valid" / "mini"))


def feedback(
    mini: Framework, own: tuple[int, ...], peers: list[tuple[int, ...]]
) -> SubjectFeedback:
    collector = FeedbackCollector(mini, min_raters=3)
    items = ("a-one", "a-two", "a-three")
    collector.add("sam", "self", score_response(mini, dict(zip(items, own, strict=True))))
    for n, values in enumerate(peers):
        answers = dict(zip(items, values, strict=True))
        collector.add("sam", "peer", score_response(mini, answers), rater=f"peer-{n}")
    (subject,) = collector.subjects()
    return subject


def report(mini: Framework, subject: SubjectFeedback, fmt: str = "md") -> str:
    return render_subject(mini, subject, fmt, display="Sam", min_raters=3)


def test_ten_points_apart_is_close(mini: Framework) -> None:
    # You: (3, 3, 3) = 50 %. Five peers: four at (2, 3, 3) = 41.67 % and one at
    # (2, 2, 3) = 33.33 %: (4 * 41.667 + 33.333) / 5 = 40 %, ten points below you.
    subject = feedback(mini, (3, 3, 3), [(2, 3, 3)] * 4 + [(2, 2, 3)])
    assert subject.gaps["alpha"] == pytest.approx(10.0)
    text = report(mini, subject)
    assert "| +10.0 | Views are close |" in text
    assert "Differences worth talking about" not in text


def test_more_than_ten_points_is_worth_talking_about(mini: Framework) -> None:
    # You (4, 4, 4) = 75 %; three peers (3, 3, 3) = 50 %: 25 points, under a third.
    subject = feedback(mini, (4, 4, 4), [(3, 3, 3)] * 3)
    assert subject.gaps["alpha"] == pytest.approx(25.0)
    assert subject.blind_spots == [] and subject.hidden_strengths == []
    for fmt in ("md", "html"):
        text = report(mini, subject, fmt)
        assert "Views are close" not in text
        assert WORTH_TEXT in text
        assert "Differences worth talking about" in text
        assert "you 75.0%, all others 50.0% (25.0 points lower)" in text


def test_exactly_a_third_apart_is_worth_talking_about_and_not_a_blind_spot(
    mini: Framework,
) -> None:
    # You (5, 5, 5) = 100 %; peers (4, 4, 3) = 66.67 %: exactly a third.
    subject = feedback(mini, (5, 5, 5), [(4, 4, 3)] * 3)
    assert subject.gaps["alpha"] == pytest.approx(THIRD)
    assert subject.blind_spots == []
    text = report(mini, subject)
    assert "| +33.3 | A difference worth talking about |" in text


def test_a_blind_spot_stays_a_blind_spot(mini: Framework) -> None:
    subject = feedback(mini, (5, 5, 5), [(2, 2, 2)] * 3)  # 100 % against 25 %
    assert subject.blind_spots == ["alpha"]
    text = report(mini, subject)
    assert "| +75.0 | Blind spot |" in text
    assert "Differences worth talking about" not in text
