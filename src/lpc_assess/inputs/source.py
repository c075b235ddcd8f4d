"""The one interface every input format implements (docs/architecture.md, "Where to add things").

A source is one input file, already checked and compiled against the
framework: `notes` says what the terminal should know about it (ignored
columns, warnings), and `chunks()` streams its responses as `ScoredChunk`s
and its bad rows as `RejectedRow`s. `inputs.sources.open_source` picks the
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


class Source(Protocol):
    """One input file of responses, ready to stream."""

    @property
    def notes(self) -> list[str]:
        """One line each for the terminal about this input (ignored columns, warnings)."""
        ...

    def chunks(
        self, on_progress: Callable[[int], None] | None = None
    ) -> Iterator[ScoredChunk | RejectedRow]:
        """The responses in input order; `on_progress` gets the bytes read so far."""
        ...
