"""A file that this tool wrote (a scores file, a batch summary), found among the inputs.

A folder of answers often also holds the scores file and summary of an
earlier run (`batch team/ --scores team/scores.csv`). Read as an export or
an answers file, each would be rejected with a string of errors; it is not
anyone's answers, so it is skipped with one line instead
(docs/answers-and-imports.md, "Files the tool wrote").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.diagnostics import Diagnostic
    from lpc_assess.inputs.source import RejectedRow
    from lpc_assess.scoring.scored import ScoredChunk

PEEK = 512  # bytes read to recognise a file
# The scores CSV: `id,name,<theme>_percent,<theme>_band,...,overall_percent,overall_band`.
_SCORES_HEADER = re.compile(rb"^(\xef\xbb\xbf)?id,name,[^\r\n]*_percent,[^\r\n]*_band[,\r\n]")
# The summary JSON: a `framework` object (an answers file names its framework with text).
_SUMMARY_START = re.compile(rb'^\s*\{\s*"framework"\s*:\s*\{\s*"id"')


def written_by_us(path: Path) -> str | None:
    """What the file is when this tool wrote it ("a scores file"), else None."""
    try:
        with path.open("rb") as handle:
            start = handle.read(PEEK)
    except OSError:
        return None  # reading it properly reports why
    suffix = path.suffix.lower()
    if suffix == ".csv" and _SCORES_HEADER.match(start):
        return "a scores file (batch --scores)"
    if suffix == ".json" and _SUMMARY_START.match(start):
        return "a batch summary (batch --summary)"
    return None


class OwnOutput:
    """A source with no responses and one note saying why the file was skipped."""

    def __init__(self, shown: str, what: str, size: int) -> None:
        self._notes = [f"{shown}: skipped: it is {what} written by lpc-assess, not answers"]
        self.size = size

    @property
    def notes(self) -> list[str]:
        return self._notes

    @property
    def problems(self) -> list[Diagnostic]:
        return []

    @property
    def ignored_columns(self) -> list[str]:
        return []

    def chunks(
        self, on_progress: Callable[[int], None] | None = None
    ) -> Iterator[ScoredChunk | RejectedRow]:
        if on_progress is not None:
            on_progress(self.size)
        yield from ()
