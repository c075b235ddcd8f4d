"""The keys every prompt of the questionnaire understands, and small helpers they share.

`q` saves and quits, `b` goes back, `?` helps, `s` skips (docs/taking-the-self-check.md).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Literal

from lpc_assess.questionnaire.prompts import Prompt

QUIT = frozenset({"q", "quit"})
BACK = frozenset({"b", "back"})
HELP = frozenset({"?", "h", "help"})
SKIP = frozenset({"s", "skip"})

Action = Literal["next", "back", "quit"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normal(text: str) -> str:
    """Lower case, single spaces: how typed answers are compared."""
    return " ".join(text.lower().split())


def printable(text: str) -> str:
    """Text from a file, safe to show on a terminal: no control characters, one line."""
    return " ".join(_CONTROL.sub(" ", text).split())


def closest(reply: str, choices: Iterable[str]) -> str | None:
    """The choice `reply` most probably misspells (`sometims` -> `Sometimes`), or None."""
    by_key = {normal(choice): choice for choice in choices}
    found = difflib.get_close_matches(normal(reply), list(by_key), n=1, cutoff=0.6)
    return by_key[found[0]] if found else None


def free_text(prompt: Prompt, question: str, hint: str) -> str:
    """One line of free text; `quit` or `back` for those keys, '' when skipped with Enter."""
    while True:
        reply = prompt.ask(question).strip()
        key = reply.lower()
        if key in QUIT:
            return "quit"
        if key in BACK:
            return "back"
        if key in HELP:
            prompt.say(f"{hint} b goes back; q saves and quits.")
            continue
        return reply
