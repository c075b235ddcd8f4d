"""360 rules of docs/scoring.md: thresholds, the manager exemption, pooling, gaps, no leaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpc_assess.model.answers import normalise_relationship
from lpc_assess.model.framework import Framework, load_framework
from lpc_assess.reports.subject import render_subject, team_subjects_context
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.threesixty import (
    THIRD,
    FeedbackCollector,
    SubjectFeedback,
    classify_gap,
    redact_names,
)
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


# --- relationships, subjects, counts, names --------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("self", "self"),
        ("Myself", "self"),
        ("manager", "manager"),
        ("Line Manager", "manager"),
        ("LINE_MANAGER", "manager"),
        ("peer", "peer"),
        ("Colleague", "peer"),
        ("direct-report", "direct-report"),
        ("Direct report", "direct-report"),
        ("  direct   REPORT ", "direct-report"),
        ("report", "direct-report"),
        ("other", "other"),
        ("Other", "other"),
        ("cousin", None),
        ("", None),
        ("self manager", None),
    ],
)
def test_relationship_spellings(given: str, expected: str | None) -> None:
    assert normalise_relationship(given) == expected


def test_an_unknown_relationship_is_an_error_never_silently_dropped(mini: Framework) -> None:
    collector = FeedbackCollector(mini)
    with pytest.raises(ValueError, match="unknown relationship 'cousin'"):
        add(collector, mini, "cousin", (3, 3, 3))
    add(collector, mini, "Line manager", (3, 3, 3))
    (subject,) = collector.subjects()
    assert list(subject.groups) == ["manager"]


def test_subjects_match_without_regard_to_case_and_show_their_own_spelling(
    mini: Framework,
) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "peer", (3, 3, 3), subject="sam  jones")
    add(collector, mini, "peer", (3, 3, 3), subject="SAM JONES")
    add(collector, mini, "self", (4, 4, 4), subject=" Sam Jones ")
    add(collector, mini, "peer", (3, 3, 3), subject="sam jones")
    (subject,) = collector.subjects()
    assert subject.id == "Sam Jones"  # the self response's spelling
    assert subject.groups["peer"].n == 3


def test_a_manager_group_of_two_is_shown_below_the_minimum(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "manager", (2, 2, 2))
    add(collector, mini, "manager", (4, 4, 4))
    (subject,) = collector.subjects()
    assert subject.groups["manager"].n == 2
    assert subject.groups["manager"].themes["alpha"] == 50.0


def test_what_is_dropped_is_named_by_group(mini: Framework) -> None:
    # merged groups alone (no `other` of their own) are dropped under their own names
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "peer", (3, 3, 3))
    add(collector, mini, "direct-report", (3, 3, 3))
    (subject,) = collector.subjects()
    assert (subject.merged, subject.dropped, subject.groups) == ([], ["peer", "direct-report"], {})
    # a lone `other` is dropped as `other`
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "other", (3, 3, 3))
    (subject,) = collector.subjects()
    assert (subject.merged, subject.dropped, subject.others.n) == ([], ["other"], 0)
    assert subject.to_json()["others"] == {"n": 0, "themes": {"alpha": None}}


def test_counts_are_of_answers_as_given_means_of_keyed_values(tmp_path: Path) -> None:
    folder = tmp_path / "rev"
    folder.mkdir()
    (folder / "framework.yaml").write_text(
        (DATA / "valid" / "mini" / "framework.yaml")
        .read_text()
        .replace("id: mini", "id: rev")
        .replace(
            "{id: a-three, statement: I do the third thing.,",
            "{id: a-three, reverse: true, statement: I do the third thing.,",
        )
    )
    framework = load_framework(str(folder))
    collector = FeedbackCollector(framework, min_raters=3)
    for _ in range(3):
        add(collector, framework, "peer", (3, 3, 1))
    (subject,) = collector.subjects()
    assert subject.others.counts["a-three"] == {1: 3}  # answered 1 ...
    assert subject.others.indicators["a-three"] == 5.0  # ... which counts as 5


def test_redact_names_takes_out_a_raters_own_names_and_id() -> None:
    text = "Jo here. jo bloggs agrees, JO-7 too. Joanna and jolly Jo-Anne stay; so does bloggs."
    assert redact_names(text, ["jo-7", "Jo Bloggs", None, ""]) == (
        "[name removed] here. [name removed] agrees, [name removed] too. "
        "Joanna and jolly Jo-Anne stay; so does bloggs."
    )
    # an id's pieces are not names: "net" stays, the whole id goes
    assert redact_names("the net result, says a.b@nhs.net", ["a.b@nhs.net"]) == (
        "the net result, says [name removed]"
    )
    assert redact_names("nothing to take out", []) == "nothing to take out"


# --- the subject's report ---------------------------------------------------------------------


def _sam(mini: Framework, *, note: str = "peer note") -> SubjectFeedback:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "self", (5, 5, 5))
    for _ in range(3):
        add(collector, mini, "peer", (4, 3, 3), note=note)
    add(collector, mini, "direct-report", (1, 1, 1), note="UNIQUE-DROPPED-NOTE")
    (subject,) = collector.subjects()
    return subject


def test_subject_report_shows_groups_gaps_and_what_was_left_out(mini: Framework) -> None:
    text = render_subject(mini, _sam(mini), "md", display="Sam", min_raters=3)
    assert text.startswith("# 360-degree feedback for Sam\n")
    assert "| Alpha | 100.0% | 58.3% | 58.3% | +41.7 | Blind spot |" in text
    assert "| Theme | You | Peers (3) | All others (3) | Difference (points) |" in text
    assert "Direct reports: fewer than 3 people, even counted together" in text
    assert "UNIQUE-DROPPED-NOTE" not in text
    assert "- peer note" in text
    # statements: 3 peers answered (4, 3, 3); no count of the dropped rater's 1s
    assert "| I do the first thing. | 5.0 | 4.00 | 3 | 0 | 0 | 0 | 3 | 0 |" in text
    assert "| I do the second thing. | 5.0 | 3.00 | 3 | 0 | 0 | 3 | 0 | 0 |" in text


def test_subject_report_escapes_input_and_can_leave_notes_out(mini: Framework) -> None:
    hostile = "<script>alert(1)</script> | # not a heading"
    subject = _sam(mini, note=hostile)
    html = render_subject(mini, subject, "html", display="<b>Sam</b>", min_raters=3)
    assert "<script>" not in html and "<b>Sam</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Sam&lt;/b&gt;" in html
    md = render_subject(mini, subject, "md", display="Sam", min_raters=3)
    assert "\\<script\\>alert(1)\\</script\\> \\| # not a heading" in md
    hidden = render_subject(mini, subject, "md", display="Sam", min_raters=3, show_notes=False)
    assert "alert(1)" not in hidden
    assert "Written comments are left out of anonymised reports." in hidden


def test_subject_report_without_self_or_without_others(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    add(collector, mini, "manager", (2, 2, 2))
    add(collector, mini, "self", (4, 4, 4), subject="kim")
    sam, kim = collector.subjects()
    text = render_subject(mini, sam, "md", display="sam", min_raters=3)
    assert "| Theme | Manager (1) | All others (1) |" in text
    assert "There is no self-assessment from you in this batch" in text
    assert "Blind spots" not in text
    text = render_subject(mini, kim, "md", display="kim", min_raters=3)
    assert "There is not enough feedback from others to show yet" in text
    assert "| Theme | You |" in text
    assert "## Answers to each statement" not in text


def test_team_rows_are_theme_weighted_means(mini: Framework) -> None:
    subject = _sam(mini)
    [row] = team_subjects_context(mini, [("Sam", subject)])
    assert row == {
        "label": "Sam",
        "self_text": "100.0%",
        "others_text": "58.3%",
        "n": 3,
        "blind_spots": ["Alpha"],
        "hidden_strengths": [],
    }
