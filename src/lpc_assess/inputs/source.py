"""The one interface every input format implements (docs/architecture.md, "Where to add things").

A source is one input file, already checked and compiled against the
framework: `notes` says what the terminal should know about it (ignored
columns, the sheet read), `problems` holds its warnings as diagnostics (for
the terminal and the summary), `ignored_columns` names the columns it did not
read, and `chunks()` streams its responses as `ScoredChunk`s and its bad rows
as `RejectedRow`s. `inputs.sources.open_source` picks the
format by the file's suffix; `batch`, `progress` and `analyse` read every
format through it alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from lpc_assess.diagnostics import Diagnostic
    from lpc_assess.scoring.scored import ScoredChunk


@dataclass(frozen=True)
class RejectedRow:
    """A row (or a whole answers file) left out because of its problems; each is listed."""

    row: int
    problems: list[Diagnostic]
    name: str | None = None  # the person's name from the row, when it could be read


class Source(Protocol):
    """One input file of responses, ready to stream."""

    @property
    def notes(self) -> list[str]:
        """One line each for the terminal about this input (ignored columns, the sheet read).

        Not problems: those are in `problems`, so that nothing is said twice.
        """
        ...

    @property
    def problems(self) -> list[Diagnostic]:
        """Warnings about the input as a whole, as diagnostics: a statement without a column
        under `--allow-missing`, no responses below a header, a framework version that differs.

        Complete once `chunks()` is exhausted (a table learns it has no rows by reading).
        """
        ...

    @property
    def ignored_columns(self) -> list[str]:
        """Headers of the columns that were not read (comments, metadata); [] for answers files."""
        ...

    def chunks(
        self, on_progress: Callable[[int], None] | None = None
    ) -> Iterator[ScoredChunk | RejectedRow]:
        """The responses in input order; `on_progress` gets the bytes read so far."""
        ...
