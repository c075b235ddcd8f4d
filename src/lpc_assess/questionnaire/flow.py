"""The questionnaire: a loop of statements, reflections and a pledge over a `Prompt`.

`Questionnaire` asks; every answer is handed at once to a `save` callback.
A new self-check first asks for the person's name and follows up the last
self-check's pledge (`pledge.py`). It knows nothing of files or terminals:
`take.py` is the command around it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Literal

from lpc_assess.questionnaire.facets import FacetQuestions
from lpc_assess.questionnaire.keys import (
    BACK,
    HELP,
    QUIT,
    SKIP,
    Action,
    closest,
    free_text,
    normal,
    printable,
)
from lpc_assess.questionnaire.prompts import Prompt

if TYPE_CHECKING:
    from lpc_assess.model.answers import Response
    from lpc_assess.model.framework import Framework, Indicator, Theme
    from lpc_assess.questionnaire.pledge import EarlierSelfCheck

# Longer scales are shown as their two ends; `?` lists every point.
_LISTED_POINTS = 11


class SaveError(Exception):
    """The answers file could not be written; the message says which and why."""


class Outcome(Enum):
    COMPLETED = "completed"
    QUIT = "quit"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Step:
    """One stop of the flow: a statement, a facet question (facets.py), a theme's
    reflection, or the pledge."""

    kind: Literal["statement", "facet", "reflection", "pledge"]
    theme: Theme | None = None
    indicator: Indicator | None = None
    number: int = 0  # the statement's place in its theme, from 1


def build_steps(framework: Framework) -> list[Step]:
    """Every statement in order, each theme's reflection after it, then the pledge."""
    steps: list[Step] = []
    for theme in framework.themes:
        for number, indicator in enumerate(theme.indicators, start=1):
            steps.append(Step("statement", theme, indicator, number))
        facets = len(framework.facets.items) if framework.facets is not None else 0
        steps.extend(Step("facet", theme, None, number) for number in range(1, facets + 1))
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
        today: Callable[[], dt.date] = dt.date.today,
        earlier: EarlierSelfCheck | None = None,
    ) -> None:
        self.framework = framework
        self.response = response
        self.prompt = prompt
        self.save = save
        self.clock = clock
        self.today = today
        self.earlier = earlier
        self.steps = build_steps(framework)
        self.facet_questions = FacetQuestions(framework, response, prompt, save)
        scale = framework.scale
        self._range = (
            f"{scale.min}-{scale.max}" if scale.min >= 0 else f"{scale.min} to {scale.max}"
        )
        keys = "s, b, ?, q" if scale.skip else "b, ?, q"
        self._answer_text = f"Your answer ({self._range}, {keys}): "

    # --- where we are ------------------------------------------------------------------

    @property
    def replied(self) -> int:
        """Statements answered or skipped: where the questionnaire has got to."""
        ids = set(self.framework.indicator_ids)
        return sum(1 for key in self.response.answers if key in ids)

    @property
    def answered(self) -> int:
        """Statements answered (a skip is not an answer)."""
        ids = set(self.framework.indicator_ids)
        return sum(
            1 for key, value in self.response.answers.items() if key in ids and value is not None
        )

    @property
    def progress_text(self) -> str:
        """`7 of 24 answered`, and how many were skipped, when any were."""
        skipped = self.replied - self.answered
        return f"{self.answered} of {self.total} answered" + (
            f", {skipped} skipped" if skipped else ""
        )

    @property
    def total(self) -> int:
        return len(self.framework.indicators)

    def resume_index(self) -> int:
        """The step to start at: the first unanswered statement (or, when its theme's
        reflection before it has no note yet, that reflection); with every statement
        answered, the first step after the last statement."""
        for i, step in enumerate(self.steps):
            if self._open(step):
                before = self.steps[i - 1] if i else None
                if (
                    before
                    and before.kind == "reflection"
                    and before.theme
                    and before.theme.id not in self.response.notes
                    and self.replied
                ):
                    return i - 1
                return i
        last = max(i for i, s in enumerate(self.steps) if s.kind in ("statement", "facet"))
        after = self.steps[last + 1]
        if after.kind == "reflection" and after.theme and after.theme.id in self.response.notes:
            return last + 2
        return last + 1

    def _open(self, step: Step) -> bool:
        """A statement or facet question still to answer."""
        if step.kind == "facet" and step.theme is not None:
            return not self.facet_questions.answered(step.theme, step.number)
        return (
            step.kind == "statement"
            and step.indicator is not None
            and step.indicator.id not in self.response.answers
        )

    def _previous_statement(self, index: int) -> int | None:
        for i in range(index - 1, -1, -1):
            if self.steps[i].kind in ("statement", "facet"):
                return i
        return None

    # --- the loop ----------------------------------------------------------------------

    def run(self, start: int = 0, *, new: bool = False) -> Outcome:
        """Ask from step `start` to the end; stamp `completed` when the end is reached.

        A `new` self-check first asks for the name and follows up `earlier`.
        """
        index = start
        try:
            if new and self._opening() == "quit":
                self.save()
                return Outcome.QUIT
            while index < len(self.steps):
                step = self.steps[index]
                back_to = self._previous_statement(index)
                if step.kind == "statement":
                    action = self._statement(step, can_go_back=back_to is not None)
                elif step.kind == "facet" and step.theme is not None:
                    action = self.facet_questions.ask(
                        step.theme, step.number, can_go_back=back_to is not None
                    )
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
            f"{self.answered}/{self.total} answered"
            + (f", {self.replied - self.answered} skipped" if self.replied > self.answered else ""),
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
            if key in QUIT:
                return "quit"
            if key in BACK:
                if can_go_back:
                    return "back"
                say("This is the first statement: there is nothing before it.", style="italic")
                continue
            if key in HELP:
                self._help(indicator)
                continue
            if not key and has_answer:
                return "next"
            if key in SKIP or (scale.skip and key == normal(scale.skip)):
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
        text = normal(reply)
        for value, label in scale.labels.items():
            if text == normal(label):
                return value
        match = re.fullmatch(r"([+-]?\d{1,6})\s*[.):=-]?\s*(.*)", text)
        if not match:
            return None
        value = int(match.group(1))
        if not scale.min <= value <= scale.max:
            return None
        rest = match.group(2)
        return value if not rest or rest == normal(self.framework.label(value)) else None

    def _hint(self, reply: str) -> str:
        """What to type instead; `did you mean` when the reply is close to a label."""
        scale = self.framework.scale
        if re.fullmatch(r"[+-]?\d+", reply.strip()):
            return (
                f"{reply.strip()} is not on the scale: type a number from {scale.min} to "
                f"{scale.max}, or ? for help."
            )
        labels = {self.framework.label(v): v for v in range(scale.min, scale.max + 1)}
        meant = None
        if not re.match(r"\s*[+-]?\d", reply):  # `4 Nevr` names a number: no guessing
            meant = closest(reply, [*labels, *([scale.skip] if scale.skip else [])])
        if meant is not None and meant in labels:
            return (
                f"Did you mean {labels[meant]} {meant}? Type {labels[meant]} and press Enter, "
                "or ? for help."
            )
        if meant is not None:  # the skip answer
            return f"Did you mean {meant}? Type s and press Enter, or ? for help."
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

    # --- name, follow-up, reflection and pledge --------------------------------------------

    def _opening(self) -> Action:
        """The name, then the follow-up of the earlier self-check, if there is one."""
        say = self.prompt.say
        say()
        while True:
            name = free_text(
                self.prompt,
                "Your name, for your report (Enter to skip): ",
                "Your name is shown on your report and kept in your answers file. "
                "Press Enter to leave it out.",
            )
            if name == "quit":
                return "quit"
            if name != "back":
                break
            say("This is the first question: there is nothing before it.", style="italic")
        if name:
            self.response.respondent_name = printable(name)
            self.save()
        if self.earlier is None:
            return "next"
        from lpc_assess.questionnaire.pledge import ask_follow_up

        return ask_follow_up(self.prompt, self.response, self.earlier, self.save)

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
        reply = free_text(
            self.prompt,
            "Your thoughts (Enter to skip): ",
            "Write a sentence or two and press Enter, or press Enter to skip.",
        )
        if reply == "quit" or reply == "back":
            return "quit" if reply == "quit" else "back"
        if reply:
            self.response.notes[theme.id] = reply
            self.save()
        return "next"

    def _pledge(self) -> Action:
        from lpc_assess.questionnaire.pledge import PledgeStep

        return PledgeStep(self.prompt, self.response, self.save, self.today).run()
