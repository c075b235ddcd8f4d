"""The pledge at the end of a self-check, and the follow-up of the last one at the start.

The pledge is asked in three parts, each optional but the first: what the person
will do, with whom, and by when (a date, read by `dates.read_date`). The
follow-up shows the pledge of the earlier self-check and asks how it went.
Both save after every part. See docs/taking-the-self-check.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from lpc_assess.model.pledge import OUTCOMES, Pledge, PreviousPledge, date_words
from lpc_assess.questionnaire.dates import DateProblem, examples, parse_date, read_date, shown
from lpc_assess.questionnaire.keys import (
    BACK,
    HELP,
    QUIT,
    Action,
    closest,
    free_text,
    normal,
    printable,
)
from lpc_assess.questionnaire.prompts import Prompt

if TYPE_CHECKING:
    from lpc_assess.model.answers import Response

_OUTCOME_WORDS = {
    "done": "done",
    "d": "done",
    "yes": "done",
    "y": "done",
    "did it": "done",
    "partly": "partly",
    "p": "partly",
    "part": "partly",
    "partially": "partly",
    "some": "partly",
    "not yet": "not yet",
    "not-yet": "not yet",
    "notyet": "not yet",
    "not done": "not yet",
    "n": "not yet",
    "no": "not yet",
}


@dataclass(frozen=True)
class EarlierSelfCheck:
    """The completed self-check a new one follows: how to name it, and its pledge."""

    shown_as: str  # the file, as the person would recognise it
    source: str  # the file, as previous_pledge.source records it
    completed: dt.datetime | None
    pledge: Pledge | None


def split_pledge_text(text: str, today: dt.date) -> tuple[str, str | None, dt.date | None]:
    """What, with whom and by when, from a first answer that holds all three.

    `Ask two people, with my team, by 31/12/2026` -> (`Ask two people`,
    `my team`, 2026-12-31). Only a trailing `by <a date from today on>` and a
    trailing `, with <someone>` are taken out; anything else stays in the text.
    """
    rest, who, when = " ".join(text.split()), None, None
    by = re.fullmatch(r"(?P<rest>.+?)[,;]?\s+by\s+(?P<when>[^,;]+?)[.!]?", rest, re.IGNORECASE)
    if by:
        try:
            when = read_date(by.group("when"), today)
            rest = by.group("rest")
        except DateProblem:
            pass
    with_ = re.fullmatch(r"(?P<rest>.+?)[,;]\s*with\s+(?P<who>[^,;]+?)[.!]?", rest, re.IGNORECASE)
    if with_:
        rest, who = with_.group("rest"), with_.group("who")
    return rest.rstrip(" ,;"), who, when


def _without_by(text: str, today: dt.date) -> str:
    """Drop a trailing `by <a date>` from the text once the by-when answer gives the date."""
    match = re.fullmatch(r"(?P<rest>.+?)[,;]?\s+by\s+(?P<when>[^,;]+?)[.!]?", text, re.IGNORECASE)
    if match and parse_date(match.group("when"), today) is not None:
        return match.group("rest")
    return text


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


def _without_with(text: str, who: str) -> str:
    """Drop a trailing `with my team` from the text when the with-whom answer says it
    (`My team, Jo and Priya`): the sentence says it once, in full."""
    match = re.fullmatch(r"(?P<rest>.+?),?\s+with\s+(?P<who>[^,;]+?)[.!]?", text, re.IGNORECASE)
    if match and _words(match.group("who")) in _words(who):
        return match.group("rest")
    return text


class PledgeStep:
    """Asks the pledge into `response.pledge`, calling `save` after every part."""

    def __init__(
        self,
        prompt: Prompt,
        response: Response,
        save: Callable[[], None],
        today: Callable[[], dt.date],
    ) -> None:
        self.prompt = prompt
        self.response = response
        self.save = save
        self.today = today

    def _set(self, pledge: Pledge) -> None:
        self.response.pledge = pledge
        self.save()

    def run(self) -> Action:
        say = self.prompt.say
        say()
        say("Your pledge (optional)", style="bold")
        say("What is one thing you will do in the next few weeks to make care more personal?")
        say(
            "First say what you will do, for example: "
            '"Ask two people I support what a good day looks like." '
            "Then you can say who with, and by when."
        )
        if self.response.pledge:
            say(f"Your pledge so far: {printable(self.response.pledge.sentence())}")
            say("Press Enter to keep it, or write a new one.")
        stage = "what"
        while True:
            if stage == "what":
                written = self._what()
                if written != "written":
                    return written
                stage = "who"
            elif stage == "who":
                action = self._who()
                if action == "quit":
                    return "quit"
                stage = "what" if action == "back" else "when"
            else:
                action = self._when()
                if action == "quit":
                    return "quit"
                if action == "back":
                    stage = "who"
                    continue
                assert self.response.pledge is not None
                say(f"Your pledge: {printable(self.response.pledge.sentence())}", style="bold")
                return "next"

    def _what(self) -> Action | Literal["written"]:
        """`written` when a new pledge was begun; else what the flow does next."""
        what = free_text(
            self.prompt,
            "What will you do? (Enter to skip): ",
            "Write one thing you will do and press Enter, or press Enter to skip.",
        )
        if what in ("quit", "back"):
            return "quit" if what == "quit" else "back"
        if what:
            text, who, when = split_pledge_text(printable(what), self.today())
            self._set(Pledge(text=text, with_whom=who, by_when=when))
            return "written"
        if self.response.pledge is not None:  # kept as it was
            self.prompt.say(f"Your pledge: {printable(self.response.pledge.sentence())}")
        return "next"

    def _who(self) -> Action:
        pledge = self.response.pledge
        assert pledge is not None
        keeps = (
            f"Enter keeps {printable(pledge.with_whom)}" if pledge.with_whom else "Enter to skip"
        )
        who = free_text(
            self.prompt,
            f"With whom? ({keeps}): ",
            "Name the people you will do it with (my team, Jo and Priya), or press Enter.",
        )
        if who in ("quit", "back"):
            return "quit" if who == "quit" else "back"
        if who:
            who = re.sub(r"^with\s+", "", printable(who), flags=re.IGNORECASE) or who
            self._set(
                dataclasses.replace(pledge, text=_without_with(pledge.text, who), with_whom=who)
            )
        return "next"

    def _when(self) -> Action:
        pledge = self.response.pledge
        assert pledge is not None
        keeps = f"Enter keeps {date_words(pledge.by_when)}" if pledge.by_when else "Enter to skip"
        while True:
            reply = self.prompt.ask(f"By when? A date ({keeps}): ").strip()
            key = reply.lower()
            if key in QUIT:
                return "quit"
            if key in BACK:
                return "back"
            if key in HELP:
                self.prompt.say(
                    f"A date from today on, such as {examples(self.today())}; "
                    "or press Enter. b goes back; q saves and quits."
                )
                continue
            if not reply:
                return "next"
            try:
                when = read_date(reply, self.today())
            except DateProblem as exc:
                self.prompt.say(str(exc), style="italic")
                continue
            self.prompt.say(f"By {shown(when)}.")
            text = _without_by(pledge.text, self.today())
            self._set(dataclasses.replace(pledge, text=text, by_when=when))
            return "next"


def ask_follow_up(
    prompt: Prompt, response: Response, earlier: EarlierSelfCheck, save: Callable[[], None]
) -> Action:
    """Show the earlier self-check and its pledge; ask how the pledge went, and for a note.

    Stores `response.previous_pledge` (saved at once) when the earlier one had a pledge.
    """
    say = prompt.say
    say()
    say("Since your last self-check", style="bold")
    when = f", completed on {date_words(earlier.completed)}" if earlier.completed else ""
    say(
        f"Your last self-check is in {printable(earlier.shown_as)}{when}. "
        "Your report will show what has changed since."
    )
    pledge = earlier.pledge
    if pledge is None:
        say("You made no pledge then.")
        return "next"
    say(f"Your pledge then: {printable(pledge.sentence())}")
    previous = PreviousPledge(
        text=pledge.text,
        with_whom=pledge.with_whom,
        by_when=pledge.by_when,
        source=earlier.source,
    )
    response.previous_pledge = previous
    save()
    while True:
        outcome = _outcome(prompt)
        if outcome == "quit":
            return "quit"
        previous = dataclasses.replace(previous, outcome=outcome or None)
        response.previous_pledge = previous
        save()
        note = free_text(
            prompt,
            "Anything to note about how it went? (Enter to skip): ",
            "A sentence on what helped or got in the way, or press Enter to skip.",
        )
        if note == "quit":
            return "quit"
        if note == "back":
            continue
        if note:
            response.previous_pledge = dataclasses.replace(previous, note=note)
            save()
        return "next"


def _outcome(prompt: Prompt) -> str:
    """`done`, `partly` or `not yet`; '' when skipped; `quit` for q."""
    choices = ", ".join(OUTCOMES[:-1]) + f" or {OUTCOMES[-1]}"
    while True:
        reply = prompt.ask(f"How did it go? ({choices}; Enter to skip): ").strip()
        key = normal(reply)
        if key in QUIT:
            return "quit"
        if key in BACK:
            prompt.say("This is the first question: there is nothing before it.", style="italic")
            continue
        if not key:
            return ""
        if key in _OUTCOME_WORDS:
            return _OUTCOME_WORDS[key]
        if key in HELP:
            prompt.say(f"Type {choices}, or press Enter to skip. q saves and quits.")
            continue
        meant = closest(key, [*OUTCOMES, *_OUTCOME_WORDS])
        suggestion = f"Did you mean {_OUTCOME_WORDS[meant]}? " if meant else ""
        prompt.say(f"{suggestion}Type {choices}, or press Enter to skip.", style="italic")
