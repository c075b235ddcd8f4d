"""360 rules of docs/scoring.md: thresholds, the manager exemption, pooling, gaps, no leaks."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import pytest

from lpc_assess.model.answers import normalise_relationship
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.reports.subject import render_subject, team_subjects_context
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.threesixty import (
    MAX_INDICATOR_GAPS,
    THIRD,
    FeedbackCollector,
    Refusal,
    SubjectFeedback,
    classify_gap,
    redact_names,
    subject_key,
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
        "merged": [],
        "left_out": [],
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


# --- one rater, one voice (docs/360-feedback.md) ---------------------------------------------


def rate(
    collector: FeedbackCollector,
    framework: Framework,
    rater: str | None,
    relationship: str,
    values: tuple[int, int, int],
    *,
    subject: str = "sam",
    origin: str | None = None,
    note: str | None = None,
) -> Refusal | None:
    answers = dict(zip(("a-one", "a-two", "a-three"), values, strict=True))
    return collector.add(
        subject,
        relationship,
        score_response(framework, answers),
        {"alpha": note} if note else {},
        rater=rater,
        origin=origin or rater or "",
    )


def test_a_rater_who_answers_twice_counts_once_so_two_peers_stay_two(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    assert rate(collector, mini, "sam", "self", (3, 3, 3)) is None
    assert rate(collector, mini, "pat", "peer", (5, 5, 5), origin="first.csv row 2") is None
    assert rate(collector, mini, "pia", "peer", (1, 1, 1)) is None
    # Pat again, with other answers: refused, and the response that counts is named.
    again = rate(collector, mini, "Pat ", "peer", (1, 1, 1), note="PAT-AGAIN")
    assert again == Refusal("duplicate-rater", "sam", "first.csv row 2")
    (subject,) = collector.subjects()
    # Two distinct peers are below the threshold: merged into `other` (2), then left out,
    # so nothing is shown and Pat cannot work out Pia's answers by subtraction.
    assert subject.groups == {}
    assert subject.dropped == ["peer"]
    assert subject.others.n == 0
    assert "PAT-AGAIN" not in repr(subject)


def test_raters_are_matched_like_subjects_and_a_missing_id_is_a_rater_of_its_own(
    mini: Framework,
) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    assert rate(collector, mini, "Pat.Ode@NHS.net", "peer", (5, 5, 5)) is None
    refused = rate(collector, mini, " pat.ode@nhs.net", "colleague", (1, 1, 1), origin="b")
    assert refused is not None and refused.code == "duplicate-rater"
    assert refused.first == "Pat.Ode@NHS.net"
    # Without an id, nothing says two responses share a rater: each counts.
    for _ in range(2):
        assert rate(collector, mini, None, "peer", (3, 3, 3)) is None
    # The same rater about someone else is another voice, not a duplicate.
    assert rate(collector, mini, "pat.ode@nhs.net", "peer", (2, 2, 2), subject="kim") is None
    sam, kim = collector.subjects()
    assert sam.groups["peer"].n == 3  # Pat once and the two without an id
    # (5 + 3 + 3) / 3 keyed on every statement: 11/3 -> (11/3 - 1) * 25 percent
    assert sam.groups["peer"].themes["alpha"] == pytest.approx((11 / 3 - 1) * 25)
    assert kim.groups == {} and kim.dropped == ["peer"]


def test_a_subject_has_one_self_assessment_and_a_second_is_refused(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    assert rate(collector, mini, "sam", "self", (5, 5, 5), subject="Sam", origin="sam.yaml") is None
    # Another id marking itself `self` for Sam: refused with Sam's name, never averaged in.
    other = rate(collector, mini, "eve", "myself", (1, 1, 1), subject="SAM")
    assert other == Refusal("duplicate-self", "Sam", "sam.yaml")
    # Sam sending the self-assessment again is a duplicate of Sam's own voice.
    again = rate(collector, mini, "sam", "self", (1, 1, 1), subject="sam")
    assert again is not None and again.code == "duplicate-rater"
    # Sam rating himself as a peer is refused too: one voice per subject.
    assert rate(collector, mini, "sam", "peer", (5, 5, 5)) == Refusal(
        "duplicate-rater", "Sam", "sam.yaml"
    )
    # Eve was refused, so Eve has not been heard about Sam and may still rate Sam as a peer.
    assert rate(collector, mini, "eve", "peer", (2, 2, 2)) is None
    (subject,) = collector.subjects()
    assert subject.self_n == 1
    assert subject.self_themes == {"alpha": 100.0}  # (5 - 1) * 25, not the mean of 100 and 0
    assert subject.self_items == {"a-one": 5.0, "a-two": 5.0, "a-three": 5.0}


def test_without_an_id_a_second_self_is_still_refused(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    assert rate(collector, mini, None, "self", (2, 2, 2), origin="row 2") is None
    assert rate(collector, mini, None, "self", (4, 4, 4), origin="row 3") == Refusal(
        "duplicate-self", "sam", "row 2"
    )
    (subject,) = collector.subjects()
    assert (subject.self_n, subject.self_themes) == (1, {"alpha": 25.0})


def test_a_refusal_without_an_origin_names_none(mini: Framework) -> None:
    collector = FeedbackCollector(mini)
    score = score_response(mini, {"a-one": 3})
    assert collector.add("sam", "self", score) is None
    assert collector.add("sam", "self", score) == Refusal("duplicate-self", "sam", "")


def test_a_subject_without_a_self_assessment_has_none(mini: Framework) -> None:
    collector = FeedbackCollector(mini)
    rate(collector, mini, "m", "manager", (4, 4, 4))
    (subject,) = collector.subjects()
    assert (subject.self_n, subject.self_themes, subject.self_items) == (0, None, {})
    assert subject.gaps == {"alpha": None} and subject.indicator_gaps == []


# --- what the mutation run showed unguarded (docs/mutation-testing.md) ----------------------


def keyed_mean(rows: list[tuple[int, int, int]], at: int) -> float:
    return statistics.mean(row[at] for row in rows)


def test_pooled_and_merged_groups_add_indicator_sums_counts_and_notes(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    manager = (4, 4, 2)
    peers = [(4, 5, 1), (3, 5, 2), (3, 4, 2)]
    reports = [(2, 1, 5), (5, 2, 5)]  # two direct reports: merged into `other`
    other = (1, 3, 4)
    rate(collector, mini, "self", "self", (5, 3, 1))
    rate(collector, mini, "m", "manager", manager, note="from the manager")
    for k, values in enumerate(peers):
        rate(collector, mini, f"p{k}", "peer", values, note=f"peer {k}")
    for k, values in enumerate(reports):
        rate(collector, mini, f"d{k}", "direct-report", values, note=f"report {k}")
    rate(collector, mini, "o", "other", other, note="an other")
    (subject,) = collector.subjects()
    assert list(subject.groups) == ["manager", "peer", "other"]
    assert [g.name for g in subject.groups.values()] == ["manager", "peer", "other"]
    assert subject.others.name == "others"
    merged = [*reports, other]
    everyone = [manager, *peers, *merged]
    ids = ("a-one", "a-two", "a-three")
    for group, rows in ((subject.groups["other"], merged), (subject.others, everyone)):
        assert group.n == len(rows)
        for at, indicator in enumerate(ids):
            assert group.indicators[indicator] == pytest.approx(keyed_mean(rows, at))
            answers = [row[at] for row in rows]
            assert group.counts[indicator] == dict(sorted(Counter(answers).items()))
    # manager 4 and peers 4, 3, 3 on the first statement
    assert subject.groups["peer"].indicators["a-one"] == pytest.approx(10 / 3)
    assert subject.others.notes == sorted(
        ["from the manager", "peer 0", "peer 1", "peer 2", "report 0", "report 1", "an other"]
    )
    assert subject.groups["other"].notes == ["an other", "report 0", "report 1"]
    # The gaps per statement, largest first: self minus the mean over all seven raters.
    expected = [
        (indicator, mine, keyed_mean(everyone, at), mine - keyed_mean(everyone, at))
        for at, (indicator, mine) in enumerate(zip(ids, (5, 3, 1), strict=True))
    ]
    expected.sort(key=lambda g: -abs(g[3]))
    got = [(g.id, g.self_value, g.others_mean, g.gap) for g in subject.indicator_gaps]
    assert got == [pytest.approx(e) for e in expected]


def test_manager_and_three_peers_pool_to_the_others_mean_of_each_statement(
    mini: Framework,
) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    rate(collector, mini, "m", "manager", (4, 4, 4))
    for k, value in enumerate((4, 3, 3)):
        rate(collector, mini, f"p{k}", "peer", (value, value, value))
    (subject,) = collector.subjects()
    assert subject.others.indicators["a-one"] == 3.5
    assert subject.others.counts["a-one"] == {3: 2, 4: 2}
    assert subject.groups["manager"].counts["a-one"] == {4: 1}


def test_a_statement_answered_the_same_by_self_and_others_is_no_gap(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    rate(collector, mini, "s", "self", (3, 4, 1))
    for k in range(3):
        rate(collector, mini, f"p{k}", "peer", (3, 2 + k, 2))  # a-two: mean 3, so 4 - 3 = 1
    (subject,) = collector.subjects()
    assert [(g.id, g.gap) for g in subject.indicator_gaps] == [("a-two", 1.0), ("a-three", -1.0)]


def test_only_the_first_five_statements_are_listed_as_gaps(tmp_path: Path) -> None:
    folder = tmp_path / "wide"
    folder.mkdir()
    statements = "\n".join(
        f"      - {{id: s{k}, statement: Statement {k}., actions: [Try it.]}}" for k in range(7)
    )
    (folder / "framework.yaml").write_text(
        (DATA / "valid" / "mini" / "framework.yaml").read_text().split("    indicators:\n")[0]
        + "    indicators:\n"
        + statements
        + "\n"
    )
    framework = load_framework(str(folder))
    collector = FeedbackCollector(framework, min_raters=3)
    own = {f"s{k}": 5 for k in range(7)}
    collector.add("sam", "self", score_response(framework, own))
    for _ in range(3):  # gaps 4, 3, 2, 1, 0.. statement by statement: s0 .. s6 -> 4,3,2,1,0,0,0
        answers = {f"s{k}": min(5, 1 + k) for k in range(7)}
        collector.add("sam", "peer", score_response(framework, answers))
    (subject,) = collector.subjects()
    assert [(g.id, g.gap) for g in subject.indicator_gaps] == [
        ("s0", 4.0),
        ("s1", 3.0),
        ("s2", 2.0),
        ("s3", 1.0),
    ]
    assert MAX_INDICATOR_GAPS == 5
    collector = FeedbackCollector(framework, min_raters=3)
    collector.add("kim", "self", score_response(framework, own))
    for _ in range(3):  # every statement 1: seven gaps of 4, the first five listed
        collector.add("kim", "peer", score_response(framework, dict.fromkeys(own, 1)))
    (subject,) = collector.subjects()
    assert [g.id for g in subject.indicator_gaps] == ["s0", "s1", "s2", "s3", "s4"]


def test_comments_of_only_spaces_are_not_kept(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=3)
    for k, note in enumerate(("   ", "\n\t", "kept")):
        rate(collector, mini, f"p{k}", "peer", (3, 3, 3), note=note)
    (subject,) = collector.subjects()
    assert subject.groups["peer"].notes == ["kept"]
    assert subject.others.notes == ["kept"]


def test_the_default_threshold_is_three_raters(mini: Framework) -> None:
    collector = FeedbackCollector(mini)
    for k in range(3):
        rate(collector, mini, f"p{k}", "peer", (3, 3, 3))
    for k in range(2):
        rate(collector, mini, f"d{k}", "direct-report", (3, 3, 3))
    (subject,) = collector.subjects()
    assert list(subject.groups) == ["peer"]
    assert subject.dropped == ["direct-report"]


def test_the_threshold_is_at_least_one(mini: Framework) -> None:
    collector = FeedbackCollector(mini, min_raters=0)
    rate(collector, mini, "p", "peer", (3, 3, 3))
    (subject,) = collector.subjects()
    assert collector.min_raters == 1
    assert list(subject.groups) == ["peer"]


def test_subject_key_folds_case_and_runs_of_spaces() -> None:
    assert subject_key("  Sam \t  JONES ") == "sam jones"
    assert subject_key("Straße") == subject_key("STRASSE") == "strasse"


def test_an_unknown_relationship_lists_the_known_ones(mini: Framework) -> None:
    collector = FeedbackCollector(mini)
    with pytest.raises(ValueError) as raised:
        add(collector, mini, "cousin", (3, 3, 3))
    assert str(raised.value) == (
        "unknown relationship 'cousin': use one of self, manager, peer, direct-report, other"
    )


def test_a_gap_just_past_the_tolerance_of_one_third_is_not_flagged() -> None:
    assert classify_gap(THIRD + 1e-9) is None
    assert classify_gap(-THIRD - 1e-9) is None
    assert classify_gap(THIRD + 2e-9) == "blind-spot"
    assert classify_gap(-THIRD - 2e-9) == "hidden-strength"
    assert classify_gap(None) is None


# --- names in comments ---------------------------------------------------------------------


def test_a_short_id_listed_first_does_not_stop_the_names_after_it() -> None:
    assert redact_names("Jo Bloggs here", ["7", "Jo Bloggs"]) == "[name removed] here"
    assert redact_names("7 of 10", ["7"]) == "7 of 10"  # one character: left alone


def test_two_letter_names_and_ids_are_taken_out() -> None:
    assert redact_names("Thanks, Al", ["Al"]) == "Thanks, [name removed]"
    assert redact_names("signed: al", ["Al"]) == "signed: [name removed]"
    assert redact_names("Thanks, Al. Also from Bo", ["Al Smith", "b7"]) == (
        "Thanks, [name removed]. Also from Bo"
    )


def test_the_longest_name_is_taken_out_first() -> None:
    # "jo" first would leave "bloggs": the part "Bloggs" is only taken out as written.
    assert redact_names("jo bloggs said so", ["jo", "Jo Bloggs"]) == "[name removed] said so"
    assert redact_names("jo bloggs said so", ["Jo Bloggs", "jo"]) == "[name removed] said so"


def test_parts_of_a_name_are_taken_out_only_as_written() -> None:
    text = "Bloggs agrees; bloggs is a word here, and so is BLOGGS"
    assert redact_names(text, ["Jo Bloggs"]) == (
        "[name removed] agrees; bloggs is a word here, and so is BLOGGS"
    )


def test_a_name_with_stray_punctuation_or_spacing_is_still_found() -> None:
    # "Pat." as typed in a form: the whole, dot included, and the word "Pat" on its own
    assert redact_names("Pat here, Pat.", ["Pat."]) == "[name removed] here, [name removed]"
    assert redact_names("from Jo\n  Bloggs", ["jo  bloggs"]) == "from [name removed]"
