"""The facet questions of `take`: after a theme's statements, one question per facet.

`Questionnaire` (flow.py) makes a `facet` step for each facet of each theme,
between the theme's statements and its reflection, and hands it to
`FacetQuestions.ask`. The keys are the statements' keys (a number or a label,
`s` when the facet scale has a skip answer, `b`, `?`, `q`, Enter to keep an
answer); each answer is saved at once. docs/facets.md says what the answers
are for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from lpc_assess.model.framework import fill
from lpc_assess.questionnaire.keys import BACK, HELP, QUIT, SKIP, Action, closest, normal

if TYPE_CHECKING:
    from lpc_assess.model.answers import Response
    from lpc_assess.model.framework import FacetItem, Facets, Framework, Theme
    from lpc_assess.questionnaire.prompts import Prompt


class FacetQuestions:
    """Asks a theme's facet questions through `prompt`, recording into `response.facets`."""

    def __init__(
        self,
        framework: Framework,
        response: Response,
        prompt: Prompt,
        save: Callable[[], None],
    ) -> None:
        self.framework = framework
        self.response = response
        self.prompt = prompt
        self.save = save

    @property
    def facets(self) -> Facets:
        assert self.framework.facets is not None
        return self.framework.facets

    def items(self) -> list[FacetItem]:
        """The facets, in the order they are asked; none when the framework has none."""
        return list(self.framework.facets.items) if self.framework.facets is not None else []

    def answered(self, theme: Theme, number: int) -> bool:
        """Whether facet `number` (from 1) of `theme` has an answer (a skip counts)."""
        item = self.facets.items[number - 1]
        return item.id in self.response.facets.get(theme.id, {})

    # --- asking -------------------------------------------------------------------------

    def scale_line(self) -> str:
        scale = self.facets.scale
        text = ", ".join(f"{v} {scale.label(v)}" for v in range(scale.min, scale.max + 1))
        return text + (f"; s {scale.skip}" if scale.skip else "")

    def describe(self, value: int | None) -> str:
        scale = self.facets.scale
        if value is None:
            return f"{scale.skip or 'skip'} (skipped)"
        return f"{value} {scale.label(value)}"

    def ask(self, theme: Theme, number: int, *, can_go_back: bool) -> Action:
        """Ask facet `number` (from 1) of `theme`; what the flow should do next."""
        item = self.facets.items[number - 1]
        scale = self.facets.scale
        say = self.prompt.say
        say()
        if number == 1:
            say(
                f"Next, {len(self.facets.items)} questions about {theme.title} as a whole. "
                "They tell the report what holds you back on this theme, and so what kind "
                "of step would help."
            )
        say(
            f"{theme.title} · about this theme · {number} of {len(self.facets.items)}", style="bold"
        )
        say(fill(item.prompt, theme.title))
        say("  " + self.scale_line())
        given = self.response.facets.get(theme.id, {})
        has_answer = item.id in given
        if has_answer:
            say(f"Your answer so far: {self.describe(given[item.id])}. Enter keeps it.")
        keys = "s, b, ?, q" if scale.skip else "b, ?, q"
        question = f"Your answer ({scale.min}-{scale.max}, {keys}): "
        while True:
            reply = self.prompt.ask(question).strip()
            key = reply.lower()
            if key in QUIT:
                return "quit"
            if key in BACK:
                if can_go_back:
                    return "back"
                say("This is the first question: there is nothing before it.", style="italic")
                continue
            if key in HELP:
                self._help()
                continue
            if not key and has_answer:
                return "next"
            if key in SKIP or (scale.skip and key == normal(scale.skip)):
                if scale.skip:
                    self._record(theme, item, None)
                    return "next"
                say(
                    f"There is no skip answer here: choose the number from {scale.min} to "
                    f"{scale.max} closest to how you see it.",
                    style="italic",
                )
                continue
            value = self.parse_value(reply)
            if value is not None:
                self._record(theme, item, value)
                return "next"
            say(self._hint(reply), style="italic")

    def parse_value(self, reply: str) -> int | None:
        """A point of the facet scale from `4`, `Agree`, `4 Agree` or `4. Agree`; else None."""
        scale = self.facets.scale
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
        return value if not rest or rest == normal(scale.label(value)) else None

    def _hint(self, reply: str) -> str:
        """What to type instead; `did you mean` when the reply is close to a label."""
        scale = self.facets.scale
        labels = {scale.label(v): v for v in range(scale.min, scale.max + 1)}
        meant = None if re.fullmatch(r"[+-]?\d+", reply.strip()) else closest(reply, labels)
        if meant is not None:
            return (
                f"Did you mean {labels[meant]} {meant}? Type {labels[meant]} and press Enter, "
                "or ? for help."
            )
        return f"Type a number from {scale.min} to {scale.max} and press Enter, or ? for help."

    def _help(self) -> None:
        say = self.prompt.say
        scale = self.facets.scale
        say(
            "These questions are about the theme as a whole, not one statement: how far you "
            "know what it asks, can do it, want to, and feel confident to."
        )
        say(f"Answer with a number, or its words: {self.scale_line()}.")
        keys = ["b goes back to the previous question", "q saves and quits"]
        if scale.skip:
            keys.insert(0, f"s answers {scale.skip} (skip)")
        say("Keys: " + "; ".join(keys) + ".")

    def _record(self, theme: Theme, item: FacetItem, value: int | None) -> None:
        answers = {**self.response.facets.get(theme.id, {}), item.id: value}
        facets = {**self.response.facets, theme.id: answers}
        # Kept in framework order, so the file reads like the questionnaire.
        self.response.facets = {
            t.id: {i.id: facets[t.id][i.id] for i in self.facets.items if i.id in facets[t.id]}
            for t in self.framework.themes
            if t.id in facets
        }
        self.save()
