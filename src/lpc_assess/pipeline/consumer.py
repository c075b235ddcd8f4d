"""The one interface of the team pipeline: a consumer takes scored chunks, then finishes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from lpc_assess.scoring.scored import ScoredChunk


class Consumer(Protocol):
    """Takes every accepted chunk of scored responses, then finishes once at the end."""

    def add(self, chunk: ScoredChunk) -> None: ...

    def finish(self) -> None: ...
