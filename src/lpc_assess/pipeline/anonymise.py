"""`--anonymise`: aliases instead of names and ids, and no free text, before any output.

Aliases (`Respondent 1..N`) are given in a random order, not in input order:
"Respondent 1" must not mean "the first row of the export" to anyone who has
seen it. So the anonymiser holds the scored responses (numbers and ids only,
a few hundred bytes each) until every input has been read, shuffles them with
the operating system's random source, and only then hands them, aliased, to
the rest of the pipeline in alias order (docs/files-and-privacy.md). This is
the one stage whose memory grows with the team.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.scoring.compiled import CompiledScorer
    from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse

CHUNK = 256  # responses per chunk handed on, as the sources make them
SOURCE = "anonymised"  # a released chunk's source: where a response came from is not kept


class Anonymiser:
    """Holds a batch's own responses, then releases them shuffled and aliased.

    360 subjects keep one alias across outputs: a subject's own (self)
    response gives it its alias; `subject()` numbers the others on demand,
    after every respondent.
    """

    def __init__(self, scorer: CompiledScorer) -> None:
        self.scorer = scorer
        self.count = 0
        self._held: list[ScoredResponse] = []
        self._subjects: dict[str, str] = {}

    def hold(self, chunk: ScoredChunk) -> None:
        """Keep a chunk's responses until `release()`."""
        self._held.extend(chunk.records())

    def release(self) -> Iterator[ScoredChunk]:
        """Every held response, in a random order, aliased `Respondent 1..N` in that order."""
        held, self._held = self._held, []
        import secrets  # only an anonymised run needs the OS random source

        secrets.SystemRandom().shuffle(held)
        from lpc_assess.scoring.scored import ScoredChunk

        for start in range(0, len(held), CHUNK):
            chunk = ScoredChunk.of(self.scorer, held[start : start + CHUNK], SOURCE)
            self.apply(chunk)
            yield chunk

    def apply(self, chunk: ScoredChunk) -> None:
        """Replace the ids and names of a chunk by the next aliases, and drop its free text."""
        first = self.count + 1
        self.count += len(chunk)
        chunk.ids = [f"Respondent {k}" for k in range(first, self.count + 1)]
        chunk.names = list(chunk.ids)
        chunk.rows = [None] * len(chunk)
        chunk.submitted = None
        if chunk.subjects is not None and chunk.relationships is not None:
            for subject, relationship, alias in zip(
                chunk.subjects, chunk.relationships, chunk.ids, strict=True
            ):
                if subject is not None and relationship == "self":
                    self._subjects.setdefault(subject, alias)
        if chunk.responses is not None:
            # Free text could name anyone; an anonymised output carries none of it.
            chunk.responses = [
                None
                if r is None
                else dataclasses.replace(
                    r,
                    respondent_id=alias,
                    respondent_name=alias,
                    respondent_email=None,
                    notes={},
                    pledge=None,
                    previous_pledge=None,
                    source=None,
                    completed=None,
                )
                for r, alias in zip(chunk.responses, chunk.ids, strict=True)
            ]

    def subject(self, subject_id: str) -> str:
        if subject_id not in self._subjects:
            self.count += 1
            self._subjects[subject_id] = f"Respondent {self.count}"
        return self._subjects[subject_id]
