"""360 rules of PRODUCT.md §5: thresholds, the manager exemption, pooling, gaps, no leaks."""

from __future__ import annotations

import pytest

from lpc_assess.framework import Framework, load_framework
from lpc_assess.scoring import score_response
from lpc_assess.threesixty import THIRD, FeedbackCollector, classify_gap
from tests.conftest import DATA


@pytest.fixture(scope="module")
def mini() -> Framework:
    # one theme "alpha" with indicators a-one, a-two, a-three on a 1-5 scale
    return load_framework(str(DATA / "valid" / "mini"))


def add(
    collector: FeedbackCollector,
    framework: Framework,
    relationship: str,
    values: tuple[int, int, int],
    note: str | None = None,
    subject: str = "sam",
) -> None:
    answers = dict(zip(("a-one", "a-two", "a-three"), values, strict=True))
    notes = {"alpha": note} if note else {}
    collector.add(subject, relationship, score_response(framework, answers), notes)


def test_group_at_exactly_the_minimum_is_shown_one_below_is_merged(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "self", (4, 4, 4))
    for _ in range(3):
        add(collector, mini, "peer", (3, 3, 3))
    for _ in range(2):
        add(collector, mini, "direct-report", (5, 5, 5))
    add(collector, mini, "other", (1, 1, 1))
    (subject,) = collector.subjects()
    assert list(subject.groups) == ["peer", "other"]
    assert subject.groups["peer"].n == 3
    # two direct reports + one other = 3: the merged `other` is shown
    assert subject.groups["other"].n == 3
    assert subject.groups["other"].themes["alpha"] == pytest.approx((100 + 100 + 0) / 3)
    assert subject.merged == ["direct-report"]
    assert subject.dropped == []


def test_merged_other_still_too_small_is_dropped_and_leaves_no_trace(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "self", (4, 4, 4))
    for _ in range(3):
        add(collector, mini, "peer", (3, 4, 3), note="peer note")
    add(collector, mini, "direct-report", (1, 1, 1), note="UNIQUE-DROPPED-NOTE")
    add(collector, mini, "other", (1, 1, 1))
    (subject,) = collector.subjects()
    assert list(subject.groups) == ["peer"]
    assert subject.dropped == ["direct-report", "other"]
    assert subject.others.n == 3
    data = repr(subject)
    assert "UNIQUE-DROPPED-NOTE" not in data
    # no count of the dropped raters' answer 1 anywhere
    assert all(1 not in counts for counts in subject.others.counts.values())
    # peers (3, 4, 3): mean 10/3, percent (10/3 - 1) * 25 = 175/3
    assert subject.to_json()["others"] == {"n": 3, "themes": {"alpha": pytest.approx(175 / 3)}}


def test_manager_is_shown_with_one_rater(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "manager", (2, 2, 2))
    (subject,) = collector.subjects()
    assert subject.groups["manager"].n == 1
    assert subject.groups["manager"].themes["alpha"] == 25.0
    assert subject.self_themes is None


def test_others_pools_raters_not_group_means(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "self", (3, 3, 3))
    add(collector, mini, "manager", (1, 1, 1))  # 0 %
    for _ in range(3):
        add(collector, mini, "peer", (5, 5, 5))  # 100 %
    (subject,) = collector.subjects()
    # pooled over 4 raters: (0 + 3 * 100) / 4 = 75, not the mean of group means (50)
    assert subject.others.n == 4
    assert subject.others.themes["alpha"] == 75.0
    assert subject.to_json() == {
        "id": "sam",
        "self": {"alpha": 50.0},
        "groups": {
            "manager": {"n": 1, "themes": {"alpha": 0.0}},
            "peer": {"n": 3, "themes": {"alpha": 100.0}},
        },
        "others": {"n": 4, "themes": {"alpha": 75.0}},
        "blind_spots": [],
        "hidden_strengths": [],
    }


def test_exactly_one_third_is_not_flagged_beyond_it_is(mini: Framework) -> None:
    # self 100 %; others (4,4,3) -> mean 11/3 -> 66.67 %: the gap is exactly one third
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "self", (5, 5, 5))
    for _ in range(3):
        add(collector, mini, "peer", (4, 4, 3))
    (subject,) = collector.subjects()
    assert subject.gaps["alpha"] == pytest.approx(THIRD)
    assert subject.blind_spots == []
    # others (4,3,3) -> 58.33 %: 41.67 points below self -> blind spot
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "self", (5, 5, 5))
    for _ in range(3):
        add(collector, mini, "peer", (4, 3, 3))
    (subject,) = collector.subjects()
    assert subject.blind_spots == ["alpha"]
    # and the mirror image: self far below others is a hidden strength
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "self", (1, 1, 2))
    for _ in range(3):
        add(collector, mini, "peer", (4, 4, 4))
    (subject,) = collector.subjects()
    assert subject.hidden_strengths == ["alpha"]
    assert classify_gap(-THIRD) is None and classify_gap(THIRD + 0.01) == "blind-spot"


def test_indicator_gaps_are_largest_first(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "self", (5, 3, 2))
    for _ in range(3):
        add(collector, mini, "peer", (2, 3, 3))
    (subject,) = collector.subjects()
    assert [(g.id, g.gap) for g in subject.indicator_gaps] == [("a-one", 3.0), ("a-three", -1.0)]


def test_notes_are_unattributed_and_sorted(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    for text in ("zebra", "apple", "mango"):
        add(collector, mini, "peer", (3, 3, 3), note=text)
    (subject,) = collector.subjects()
    assert subject.groups["peer"].notes == ["apple", "mango", "zebra"]


def test_subjects_are_independent(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=1)
    add(collector, mini, "peer", (5, 5, 5), subject="a")
    add(collector, mini, "peer", (1, 1, 1), subject="b")
    a, b = collector.subjects()
    assert (a.id, a.others.themes["alpha"]) == ("a", 100.0)
    assert (b.id, b.others.themes["alpha"]) == ("b", 0.0)
