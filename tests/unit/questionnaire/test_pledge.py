"""The pledge step and the follow-up of the last pledge, over a scripted prompt."""

from __future__ import annotations

import datetime as dt

import pytest

from lpc_assess.model.answers import Response
from lpc_assess.model.pledge import Pledge, PreviousPledge
from lpc_assess.questionnaire.pledge import (
    EarlierSelfCheck,
    PledgeStep,
    ask_follow_up,
    split_pledge_text,
)
from lpc_assess.questionnaire.prompts import ScriptedPrompt

TODAY = dt.date(2026, 11, 23)  # a Monday
DEC_31 = dt.date(2026, 12, 31)


class Saves:
    """Records the pledge each time the step saves."""

    def __init__(self, response: Response) -> None:
        self.response = response
        self.pledges: list[Pledge | None] = []
        self.previous: list[PreviousPledge | None] = []

    def __call__(self) -> None:
        self.pledges.append(self.response.pledge)
        self.previous.append(self.response.previous_pledge)


def pledge(lines: list[str], response: Response | None = None) -> tuple[str, Response, Saves]:
    response = response or Response(framework_id="x")
    prompt = ScriptedPrompt(lines)
    saves = Saves(response)
    action = PledgeStep(prompt, response, saves, lambda: TODAY).run()
    return action, response, saves, prompt  # type: ignore[return-value]


def test_three_parts_each_saved_as_it_is_given() -> None:
    action, response, saves, prompt = pledge(
        ["Ask two people what matters", "my team", "31/12/2026"]
    )
    assert action == "next"
    assert response.pledge == Pledge("Ask two people what matters", "my team", DEC_31)
    assert saves.pledges == [
        Pledge("Ask two people what matters"),
        Pledge("Ask two people what matters", "my team"),
        Pledge("Ask two people what matters", "my team", DEC_31),
    ]
    assert prompt.asked == [
        "What will you do? (Enter to skip): ",
        "With whom? (Enter to skip): ",
        "By when? A date (Enter to skip): ",
    ]
    assert "By Thursday 31 December 2026." in prompt.shown
    assert "Your pledge: Ask two people what matters, with my team, by 31 December 2026." in (
        prompt.shown
    )


def test_the_example_holds_only_what_to_do() -> None:
    _, _, _, prompt = pledge([""])
    example = next(line for line in prompt.shown if "for example" in line)
    assert "with" not in example.split("for example")[1].split('"')[1]
    assert " by " not in example.split('"')[1]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1/1/2026", "Thursday 1 January 2026 has already passed. Choose a date from today on"),
        ("soonish", "I could not read 'soonish' as a date. Type it like 21/12/2026 (day first)"),
    ],
)
def test_a_past_or_unreadable_date_is_asked_again_with_an_example(typed: str, message: str) -> None:
    action, response, _, prompt = pledge(["Run a huddle", "", typed, "in 4 weeks"])
    assert action == "next"
    assert response.pledge == Pledge("Run a huddle", None, dt.date(2026, 12, 21))
    assert any(line.startswith(message) for line in prompt.shown)
    assert "2026-12-21 or in 4 weeks" in prompt.transcript
    assert prompt.asked.count("By when? A date (Enter to skip): ") == 2


def test_enter_skips_with_whom_and_by_when() -> None:
    action, response, saves, prompt = pledge(["Run a huddle", "", ""])
    assert action == "next"
    assert response.pledge == Pledge("Run a huddle")
    assert len(saves.pledges) == 1
    assert "Your pledge: Run a huddle." in prompt.shown


def test_enter_at_the_first_question_makes_no_pledge() -> None:
    action, response, saves, _ = pledge([""])
    assert action == "next" and response.pledge is None and saves.pledges == []


def test_the_issue_example_says_each_part_once() -> None:
    # Who and when typed into the first answer, then who again, more fully.
    _, response, _, prompt = pledge(
        [
            "Ask three people what matters to them with my two HCAs, by 31 December",
            "My two HCAs, Jo and Priya",
            "",  # Enter keeps 31 December, taken from the first answer
        ]
    )
    assert response.pledge == Pledge(
        "Ask three people what matters to them", "My two HCAs, Jo and Priya", DEC_31
    )
    assert prompt.asked[2] == "By when? A date (Enter keeps 31 December 2026): "
    assert (
        "Your pledge: Ask three people what matters to them, with My two HCAs, Jo and Priya, "
        "by 31 December 2026." in prompt.shown
    )


def test_a_later_by_when_replaces_one_in_the_text() -> None:
    _, response, _, _ = pledge(["Run a huddle by 1/1/2020", "", "Friday"])
    assert response.pledge == Pledge("Run a huddle", None, dt.date(2026, 11, 27))


@pytest.mark.parametrize(
    "text, parts",
    [
        ("Ask two people, with my team, by 31/12/2026", ("Ask two people", "my team", DEC_31)),
        ("Ask two people by Friday.", ("Ask two people", None, dt.date(2026, 11, 27))),
        # `with` without a comma is part of what to do.
        (
            "Start each review with what matters",
            ("Start each review with what matters", None, None),
        ),
        # `by` and something that is no date: part of what to do.
        ("Learn by doing", ("Learn by doing", None, None)),
        # A date in the past is left in the text, for the by-when question to put right.
        ("Ask by 1/1/2020", ("Ask by 1/1/2020", None, None)),
    ],
)
def test_split_takes_out_only_a_trailing_who_and_when(
    text: str, parts: tuple[str, str | None, dt.date | None]
) -> None:
    assert split_pledge_text(text, TODAY) == parts


def test_b_goes_back_one_question_and_q_quits() -> None:
    action, response, _, prompt = pledge(["Run a huddle", "my team", "b", "b", "Run two", "", "q"])
    assert action == "quit"
    assert response.pledge == Pledge("Run two")
    assert prompt.asked[1:4] == [
        "With whom? (Enter to skip): ",
        "By when? A date (Enter to skip): ",
        "With whom? (Enter keeps my team): ",
    ]
    assert pledge(["b"])[0] == "back"  # to the last statement, before the pledge


def test_a_pledge_so_far_is_kept_with_enter() -> None:
    response = Response(framework_id="x", pledge=Pledge("Run a huddle", "my team", DEC_31))
    action, response, saves, prompt = pledge([""], response)
    assert action == "next"
    assert response.pledge == Pledge("Run a huddle", "my team", DEC_31)
    assert saves.pledges == []
    assert "Your pledge so far: Run a huddle, with my team, by 31 December 2026." in prompt.shown


def test_question_mark_explains_the_date_forms() -> None:
    _, _, _, prompt = pledge(["Run a huddle", "", "?", ""])
    assert any("A date from today on, such as 21/12/2026" in line for line in prompt.shown)


# --- the follow-up -----------------------------------------------------------------------------

EARLIER = EarlierSelfCheck(
    shown_as="old/lpc-answers-2026-10-01.yaml",
    source="old/lpc-answers-2026-10-01.yaml",
    completed=dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.timezone.utc),
    pledge=Pledge("Listen first", "my team", dt.date(2026, 11, 1)),
)


def follow_up(lines: list[str], earlier: EarlierSelfCheck = EARLIER):  # type: ignore[no-untyped-def]
    response = Response(framework_id="x")
    prompt = ScriptedPrompt(lines)
    saves = Saves(response)
    action = ask_follow_up(prompt, response, earlier, saves)
    return action, response, saves, prompt


@pytest.mark.parametrize(
    "typed, outcome",
    [("done", "done"), ("Partly", "partly"), ("not yet", "not yet"), ("n", "not yet")],
)
def test_the_follow_up_asks_how_the_pledge_went(typed: str, outcome: str) -> None:
    action, response, _, prompt = follow_up([typed, "It helped"])
    assert action == "next"
    assert response.previous_pledge == PreviousPledge(
        "Listen first",
        "my team",
        dt.date(2026, 11, 1),
        outcome,
        "It helped",
        "old/lpc-answers-2026-10-01.yaml",
    )
    shown = prompt.transcript
    assert (
        "Your last self-check is in old/lpc-answers-2026-10-01.yaml, completed on 1 October 2026"
        in (shown)
    )
    assert "Your pledge then: Listen first, with my team, by 1 November 2026." in shown
    assert prompt.asked[0] == "How did it go? (done, partly or not yet; Enter to skip): "


def test_the_follow_up_suggests_the_outcome_meant() -> None:
    _, response, _, prompt = follow_up(["prtly", "maybe", "partly", ""])
    assert "Did you mean partly? Type done, partly or not yet, or press Enter to skip." in (
        prompt.shown
    )
    assert "Type done, partly or not yet, or press Enter to skip." in prompt.shown  # maybe
    assert response.previous_pledge is not None
    assert response.previous_pledge.outcome == "partly"
    assert response.previous_pledge.note is None


def test_the_follow_up_can_be_skipped_and_is_still_recorded() -> None:
    action, response, saves, _ = follow_up(["", ""])
    assert action == "next"
    assert response.previous_pledge is not None
    assert response.previous_pledge.outcome is None and response.previous_pledge.note is None
    assert response.previous_pledge.text == "Listen first"
    assert saves.previous[0] is not None  # saved as soon as it was shown


def test_q_in_the_follow_up_keeps_what_was_said() -> None:
    action, response, _, _ = follow_up(["done", "q"])
    assert action == "quit"
    assert response.previous_pledge is not None and response.previous_pledge.outcome == "done"


def test_no_questions_when_the_earlier_self_check_had_no_pledge() -> None:
    earlier = EarlierSelfCheck("a.yaml", "a.yaml", None, None)
    action, response, saves, prompt = follow_up([], earlier)
    assert action == "next" and prompt.asked == [] and saves.previous == []
    assert response.previous_pledge is None
    assert "You made no pledge then." in prompt.shown
    assert "Your report will show what has changed since." in prompt.transcript


def test_text_from_the_earlier_file_reaches_the_terminal_without_escapes() -> None:
    earlier = EarlierSelfCheck("a.yaml", "a.yaml", None, Pledge("Listen\x1b[2J first"))
    _, _, _, prompt = follow_up(["", ""], earlier)
    assert "\x1b" not in prompt.transcript
    assert "Your pledge then: Listen [2J first." in prompt.shown
