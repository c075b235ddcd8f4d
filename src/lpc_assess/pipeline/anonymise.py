"""`--anonymise`: aliases instead of names and ids, and no free text, before any output."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.scoring.scored import ScoredChunk


class Anonymiser:
    """`Respondent 1..N`, in the order responses are accepted (no table: memory stays flat).

    360 subjects keep one alias across outputs: a subject's own (self)
    response gives it its alias; `subject()` numbers the others on demand.
    """

    def __init__(self) -> None:
        self.count = 0
        self._subjects: dict[str, str] = {}

    def apply(self, chunk: ScoredChunk) -> None:
        """Replace the ids and names of a chunk by aliases, and drop its free text."""
        first = self.count + 1
        self.count += len(chunk)
        chunk.ids = [f"Respondent {k}" for k in range(first, self.count + 1)]
        chunk.names = list(chunk.ids)
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
                    notes={},
                    pledge=None,
                    source=None,
                )
                for r, alias in zip(chunk.responses, chunk.ids, strict=True)
            ]

    def subject(self, subject_id: str) -> str:
        if subject_id not in self._subjects:
            self.count += 1
            self._subjects[subject_id] = f"Respondent {self.count}"
        return self._subjects[subject_id]
