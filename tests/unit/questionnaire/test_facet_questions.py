"""The facet questions of `take` (questionnaire/facets.py, docs/facets.md) over a scripted
prompt: where they come, the facet scale, `b` across them, skip, saving and resuming."""

from __future__ import annotations

import copy

import pytest

from lpc_assess.model.answers import Response
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.questionnaire.flow import Outcome, Questionnaire, build_steps
from lpc_assess.questionnaire.prompts import ScriptedPrompt
from tests.conftest import DATA

MINI = DATA / "valid" / "facets"


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(str(MINI))


def test_facet_questions_come_after_a_themes_statements(mini: Framework) -> None:
    steps = [(s.kind, s.theme.id if s.theme else None, s.number) for s in build_steps(mini)]
    assert steps == [
        ("statement", "listening", 1),
        ("statement", "listening", 2),
        ("statement", "listening", 3),
        ("facet", "listening", 1),
        ("facet", "listening", 2),
        ("facet", "listening", 3),
        ("statement", "planning", 1),
        ("statement", "planning", 2),
        ("statement", "planning", 3),
        ("facet", "planning", 1),
        ("facet", "planning", 2),
        ("facet", "planning", 3),
        ("pledge", None, 0),
    ]


def test_the_builtin_framework_asks_them_before_the_reflection() -> None:
    framework = load_framework(None)
    kinds = [s.kind for s in build_steps(framework) if s.theme and s.theme.id == "being"]
    assert kinds == ["statement"] * 6 + ["facet"] * 4 + ["reflection"]


def _run(
    framework: Framework, response: Response, lines: list[str]
) -> tuple[Outcome, ScriptedPrompt, list[Response]]:
    prompt = ScriptedPrompt(lines)
    saves: list[Response] = []
    flow = Questionnaire(framework, response, prompt, lambda: saves.append(copy.deepcopy(response)))
    outcome = flow.run(flow.resume_index())
    return outcome, prompt, saves


def test_answers_back_skip_and_quit(mini: Framework) -> None:
    response = Response(framework_id=mini.id)
    script = [
        *("4", "4", "4"),  # listening's statements
        "5",  # know
        "b",  # back from can to know
        "2",  # know again, changed
        "Mostly",  # can: a label of the facet scale
        "s",  # want: the facet scale's skip
        *("3", "3", "3"),  # planning's statements
        "b",  # back from the first facet to the last statement
        "",  # Enter keeps the statement's answer
        "7",  # off the facet scale
        "Completly",  # a misspelt label
        "6",
        "q",
    ]
    outcome, prompt, saves = _run(mini, response, script)
    assert outcome is Outcome.QUIT
    assert response.facets == {
        "listening": {"know": 2, "can": 4, "want": None},
        "planning": {"know": 6},
    }
    assert response.answers["writes-goals"] == 3
    # Every facet answer was saved as soon as it was given.
    facet_saves = [s.facets for s in saves if s.facets]
    assert facet_saves[0] == {"listening": {"know": 5}}
    assert {"listening": {"know": 2, "can": 4, "want": None}} in facet_saves
    shown = prompt.transcript
    assert shown.count("Next, 3 questions about Listening as a whole.") == 2  # asked twice
    assert "Listening · about this theme · 2 of 3" in shown
    assert "I have practised Listening." in shown
    assert (
        "  0 Not at all, 1 Hardly, 2 A little, 3 Partly, 4 Mostly, 5 Very much, 6 Completely; "
        "s Cannot say"
    ) in shown
    assert "Your answer so far: 5 Very much. Enter keeps it." in shown
    assert "Type a number from 0 to 6 and press Enter, or ? for help." in shown
    assert "Did you mean 6 Completely? Type 6 and press Enter, or ? for help." in shown
    assert prompt.asked.count("Your answer (0-6, s, b, ?, q): ") == 10


def test_resume_starts_at_the_first_facet_still_to_answer(mini: Framework) -> None:
    response = Response(
        framework_id=mini.id,
        answers={i: 3 for i in mini.indicator_ids},
        facets={"listening": {"know": 1, "can": 1, "want": 1}, "planning": {"know": 2}},
    )
    flow = Questionnaire(mini, response, ScriptedPrompt([]), lambda: None)
    step = flow.steps[flow.resume_index()]
    assert (step.kind, step.theme and step.theme.id, step.number) == ("facet", "planning", 2)
    # With every statement and facet answered, it goes on to the pledge.
    response.facets["planning"] = {"know": 2, "can": None, "want": 6}
    assert flow.steps[flow.resume_index()].kind == "pledge"


def test_help_and_the_first_question_with_nothing_before_it(mini: Framework) -> None:
    response = Response(framework_id=mini.id, answers={i: 3 for i in mini.indicator_ids})
    flow = Questionnaire(mini, response, ScriptedPrompt([]), lambda: None)
    prompt = ScriptedPrompt(["?", "0", "q"])
    flow.facet_questions.prompt = prompt
    (listening, _planning) = mini.themes
    assert flow.facet_questions.ask(listening, 1, can_go_back=False) == "next"
    assert "These questions are about the theme as a whole" in prompt.transcript
    assert "Keys: s answers Cannot say (skip); b goes back" in prompt.transcript
    prompt.lines = ["b", "q"]
    assert flow.facet_questions.ask(listening, 2, can_go_back=False) == "quit"
    assert "This is the first question: there is nothing before it." in prompt.transcript
    assert response.facets == {"listening": {"know": 0}}
