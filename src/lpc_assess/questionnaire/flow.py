"""The questionnaire: a loop of statements, reflections and a pledge over a `Prompt`.

`Questionnaire` asks; every answer is handed at once to a `save` callback.
It knows nothing of files or terminals: `take.py` is the command around it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Literal

from lpc_assess.questionnaire.prompts import Prompt

if TYPE_CHECKING:
    from lpc_assess.model.answers import Response
    from lpc_assess.model.framework import Framework, Indicator, Theme

# Longer scales are shown as their two ends; `?` lists every point.
_LISTED_POINTS = 11
_QUIT = {"q", "quit"}
_BACK = {"b", "back"}
_HELP = {"?", "h", "help"}
_SKIP = {"s", "skip"}

Action = Literal["next", "back", "quit"]


class SaveError(Exception):
    """The answers file could not be written; the message says which and why."""


class Outcome(Enum):
    COMPLETED = "completed"
    QUIT = "quit"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Step:
    """One stop of the flow: a statement, a theme's reflection, or the pledge."""

    kind: Literal["statement", "reflection", "pledge"]
    theme: Theme | None = None
    indicator: Indicator | None = None
    number: int = 0  # the statement's place in its theme, from 1


def build_steps(framework: Framework) -> list[Step]:
    """Every statement in order, each theme's reflection after it, then the pledge."""
    steps: list[Step] = []
    for theme in framework.themes:
        for number, indicator in enumerate(theme.indicators, start=1):
            steps.append(Step("statement", theme, indicator, number))
        if theme.reflection:
            steps.append(Step("reflection", theme))
    steps.append(Step("pledge"))
    return steps


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class Questionnaire:
    """Asks `framework`'s statements through `prompt`, recording into `response`.

    `save()` is called after every change to `response`; `run()` returns how
    the flow ended. Only `ask` may raise KeyboardInterrupt or EOFError, and
    either ends the flow as INTERRUPTED after one more save.
    """

    def __init__(
        self,
        framework: Framework,
        response: Response,
        prompt: Prompt,
        save: Callable[[], None],
        *,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.framework = framework
        self.response = response
        self.prompt = prompt
        self.save = save
        self.clock = clock
        self.steps = build_steps(framework)
        scale = framework.scale
        self._range = (
            f"{scale.min}-{scale.max}" if scale.min >= 0 else f"{scale.min} to {scale.max}"
        )
        keys = "s, b, ?, q" if scale.skip else "b, ?, q"
        self._answer_text = f"Your answer ({self._range}, {keys}): "

    # --- where we are ------------------------------------------------------------------

    @property
    def answered(self) -> int:
        ids = set(self.framework.indicator_ids)
        return sum(1 for key in self.response.answers if key in ids)

    @property
    def total(self) -> int:
        return len(self.framework.indicators)

    def resume_index(self) -> int:
        """The step to start at: the first unanswered statement (or, when its theme's
        reflection before it has no note yet, that reflection); with every statement
        answered, the first step after the last statement."""
        for i, step in enumerate(self.steps):
            if (
                step.kind == "statement"
                and step.indicator
                and step.indicator.id not in self.response.answers
            ):
                before = self.steps[i - 1] if i else None
                if (
                    before
                    and before.kind == "reflection"
                    and before.theme
                    and before.theme.id not in self.response.notes
                    and self.answered
                ):
                    return i - 1
                return i
        last = max(i for i, s in enumerate(self.steps) if s.kind == "statement")
        after = self.steps[last + 1]
        if after.kind == "reflection" and after.theme and after.theme.id in self.response.notes:
            return last + 2
        return last + 1

    def _previous_statement(self, index: int) -> int | None:
        for i in range(index - 1, -1, -1):
            if self.steps[i].kind == "statement":
                return i
        return None

    # --- the loop ----------------------------------------------------------------------

    def run(self, start: int = 0) -> Outcome:
        """Ask from step `start` to the end; stamp `completed` when the end is reached."""
        index = start
        try:
            while index < len(self.steps):
                step = self.steps[index]
                back_to = self._previous_statement(index)
                if step.kind == "statement":
                    action = self._statement(step, can_go_back=back_to is not None)
                elif step.kind == "reflection":
                    action = self._reflection(step)
                else:
                    action = self._pledge()
                if action == "quit":
                    self.save()
                    return Outcome.QUIT
                if action == "back" and back_to is not None:
                    index = back_to
                else:
                    index += 1
        except (KeyboardInterrupt, EOFError):
            self.save()
            return Outcome.INTERRUPTED
        self.response.completed = self.clock()
        self.save()
        return Outcome.COMPLETED

    # --- statements --------------------------------------------------------------------

    def scale_line(self, *, full: bool = False) -> str:
        scale = self.framework.scale
        points = range(scale.min, scale.max + 1)
        if full or len(points) <= _LISTED_POINTS:
            text = ", ".join(f"{v} {self.framework.label(v)}" for v in points)
        else:
            text = (
                f"{scale.min} {self.framework.label(scale.min)} to "
                f"{scale.max} {self.framework.label(scale.max)} (? lists every point)"
            )
        if scale.skip:
            text += f"; s {scale.skip}"
        return text

    def describe(self, value: int | None) -> str:
        if value is None:
            return f"{self.framework.scale.skip or 'skip'} (skipped)"
        return f"{value} {self.framework.label(value)}"

    def _record(self, indicator_id: str, value: int | None) -> None:
        answers = dict(self.response.answers)
        answers[indicator_id] = value
        # Kept in framework order, so the file reads like the questionnaire.
        self.response.answers = {
            i: answers[i] for i in self.framework.indicator_ids if i in answers
        }
        self.save()

    def _statement(self, step: Step, *, can_go_back: bool) -> Action:
        assert step.theme is not None and step.indicator is not None
        theme, indicator = step.theme, step.indicator
        say = self.prompt.say
        say()
        say(
            f"{theme.title} · {step.number} of {len(theme.indicators)} · "
            f"{self.answered}/{self.total} answered",
            style="bold",
        )
        say(indicator.statement)
        say("  " + self.scale_line())
        has_answer = indicator.id in self.response.answers
        if has_answer:
            say(
                f"Your answer so far: {self.describe(self.response.answers[indicator.id])}. "
                "Enter keeps it."
            )
        scale = self.framework.scale
        while True:
            reply = self.prompt.ask(self._answer_text).strip()
            key = reply.lower()
            if key in _QUIT:
                return "quit"
            if key in _BACK:
                if can_go_back:
                    return "back"
                say("This is the first statement: there is nothing before it.", style="italic")
                continue
            if key in _HELP:
                self._help(indicator)
                continue
            if not key and has_answer:
                return "next"
            if key in _SKIP or (scale.skip and key == _normal(scale.skip)):
                if scale.skip:
                    self._record(indicator.id, None)
                    return "next"
                say(
                    f"This self-check has no skip answer: choose the number from {self._range} "
                    "closest to how things usually are.",
                    style="italic",
                )
                continue
            value = self.parse_value(reply)
            if value is not None:
                self._record(indicator.id, value)
                return "next"
            say(self._hint(reply), style="italic")

    def parse_value(self, reply: str) -> int | None:
        """A point of the scale from `4`, `Often`, `4 Often` or `4. Often`; None otherwise."""
        scale = self.framework.scale
        text = _normal(reply)
        for value, label in scale.labels.items():
            if text == _normal(label):
                return value
        match = re.fullmatch(r"([+-]?\d{1,6})\s*[.):=-]?\s*(.*)", text)
        if not match:
            return None
        value = int(match.group(1))
        if not scale.min <= value <= scale.max:
            return None
        rest = match.group(2)
        return value if not rest or rest == _normal(self.framework.label(value)) else None

    def _hint(self, reply: str) -> str:
        scale = self.framework.scale
        if re.fullmatch(r"[+-]?\d+", reply.strip()):
            return (
                f"{reply.strip()} is not on the scale: type a number from {scale.min} to "
                f"{scale.max}, or ? for help."
            )
        return f"Type a number from {scale.min} to {scale.max} and press Enter, or ? for help."

    def _help(self, indicator: Indicator) -> None:
        say = self.prompt.say
        scale = self.framework.scale
        say(
            indicator.help.strip()
            if indicator.help
            else "There is no more detail for this "
            "statement: answer from your own experience over the last few months."
        )
        say(f"Answer with a number, or its words: {self.scale_line(full=True)}.")
        keys = ["b goes back to the previous statement", "q saves and quits"]
        if scale.skip:
            keys.insert(0, f"s answers {scale.skip} (skip)")
        say("Keys: " + "; ".join(keys) + ".")

    # --- reflection and pledge ---------------------------------------------------------

    def _reflection(self, step: Step) -> Action:
        theme = step.theme
        assert theme is not None and theme.reflection is not None
        say = self.prompt.say
        say()
        say(f"A moment to reflect on {theme.title} (optional)", style="bold")
        say(theme.reflection)
        earlier = self.response.notes.get(theme.id)
        if earlier:
            say(f"Your note so far: {earlier}  (Enter keeps it.)")
        reply = self._free_text(
            "Your thoughts (Enter to skip): ",
            "Write a sentence or two and press Enter, or press Enter to skip.",
        )
        if reply == "quit" or reply == "back":
            return "quit" if reply == "quit" else "back"
        if reply:
            self.response.notes[theme.id] = reply
            self.save()
        return "next"

    def _free_text(self, question: str, hint: str) -> str:
        """Free text for a reflection or a pledge; `quit`/`back` for those keys, '' to skip."""
        while True:
            reply = self.prompt.ask(question).strip()
            key = reply.lower()
            if key in _QUIT:
                return "quit"
            if key in _BACK:
                return "back"
            if key in _HELP:
                self.prompt.say(f"{hint} b goes back to the last statement; q saves and quits.")
                continue
            return reply

    def _pledge(self) -> Action:
        say = self.prompt.say
        say()
        say("Your pledge (optional)", style="bold")
        say("What is one thing you will do in the next few weeks to make care more personal?")
        say(
            "A pledge is easier to keep when it says what you will do, with whom, and by when: "
            'for example, "Ask two people I support what a good day looks like, with my team, '
            'by the end of the month."'
        )
        if self.response.pledge:
            say(f"Your pledge so far: {self.response.pledge}  (Enter keeps it.)")
        while True:
            what = self._free_text(
                "What will you do? (Enter to skip): ",
                "Write one thing you will do and press Enter, or press Enter to skip.",
            )
            if what == "quit" or what == "back":
                return "quit" if what == "quit" else "back"
            if not what:
                return "next"
            self.response.pledge = what
            self.save()
            parts = [what.rstrip(". ")]
            for question, word in (
                ("With whom? (Enter to skip): ", "with"),
                ("By when? (Enter to skip): ", "by"),
            ):
                extra = self.prompt.ask(question).strip()
                if extra.lower() in _QUIT:
                    return "quit"
                if extra.lower() in _BACK:
                    break
                if extra:
                    parts.append(f"{word} {_drop_word(extra, word)}")
                    self.response.pledge = ", ".join(parts) + "."
                    self.save()
            else:
                say(f"Your pledge: {self.response.pledge}")
                return "next"
            say("Let's write the pledge again.")


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _drop_word(text: str, word: str) -> str:
    """`with my team` -> `my team` for the `with` question, so it is not said twice."""
    head, _, rest = text.partition(" ")
    return rest.strip() if head.lower() == word and rest.strip() else text
