"""The facet questions of `take` in a real terminal (docs/facets.md): asked after a
theme's statements on the facet scale, `b` across them, `q`, and a resume that starts at
the facet still to answer. The terminal helpers are those of test_take_tmux.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_take_tmux import Terminal, load, terminal  # noqa: F401 (a fixture)
from tests.conftest import DATA

pytestmark = pytest.mark.slow

MINI = DATA / "valid" / "facets"
PROMPT = "Your answer ("


def statements(term: Terminal, theme: str, value: str) -> None:
    for number in (1, 2, 3):
        term.wait_for_prompt(f"{theme} · {number} of 3", PROMPT)
        term.type(value)


def test_facet_questions_back_quit_and_resume(terminal: Terminal) -> None:  # noqa: F811
    args = ("take", "--framework", str(MINI), "--answers", "a.yaml", "--report", "a.md")
    terminal.start(*args)
    terminal.wait_for_prompt("", "Your name")
    terminal.type("")
    statements(terminal, "Listening", "4")
    terminal.wait_for_prompt("Next, 3 questions about Listening as a whole.", PROMPT)
    screen = terminal.screen()
    assert "I know how Listening is done well." in screen
    assert "0 Not at all, 1 Hardly, 2 A little, 3 Partly, 4 Mostly, 5 Very much" in screen
    terminal.type("5")
    terminal.wait_for_prompt("Listening · about this theme · 2 of 3", PROMPT)
    terminal.type("b")  # back to the first facet question
    terminal.wait_for_prompt("Your answer so far: 5 Very much. Enter keeps it.", PROMPT)
    terminal.type("2")
    terminal.wait_for_prompt("I have practised Listening.", PROMPT)
    terminal.type("Mostly")
    terminal.wait_for_prompt("Listening · about this theme · 3 of 3", PROMPT)
    terminal.type("q")
    assert terminal.status() == 0
    data = load(terminal.cwd / "a.yaml")
    assert data["facets"] == {"listening": {"know": 2, "can": 4}}
    assert "completed" not in data
    terminal.stop()

    terminal.start(*args)  # an unfinished answers file is resumed
    terminal.wait_for_prompt("Listening · about this theme · 3 of 3", PROMPT)
    assert "I want to get better at Listening." in terminal.screen()
    terminal.type("s")  # the facet scale's skip answer
    statements(terminal, "Planning", "2")
    for number, value in ((1, "6"), (2, "0"), (3, "3")):
        terminal.wait_for_prompt(f"Planning · about this theme · {number} of 3", PROMPT)
        terminal.type(value)
    terminal.wait_for_prompt("Your pledge (optional)", "What will you do?")
    terminal.type("")
    assert terminal.status() == 0
    data = load(terminal.cwd / "a.yaml")
    assert data["facets"] == {
        "listening": {"know": 2, "can": 4, "want": "skip"},
        "planning": {"know": 6, "can": 0, "want": 3},
    }
    assert "completed" in data
    report = Path(terminal.cwd / "a.md").read_text()
    # Planning: know 100, can 0 -> ability 50 < 60; want 50 < 60: new ground, and `can`
    # (Practice) holds it back.
    assert "- **New ground** (Planning): " in report
    assert "**Planning:** practice holds you back most" in report
    assert "- Practise Planning twice this week." in report
