"""One answers file (YAML or JSON) as a source of one scored response."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lpc_assess.inputs.reading import display_path

if TYPE_CHECKING:
    from lpc_assess.diagnostics import Diagnostic
    from lpc_assess.inputs.source import RejectedRow
    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.compiled import CompiledScorer
    from lpc_assess.scoring.scored import ScoredChunk


class AnswersFile:
    """An answers file, loaded and checked when opened (InputError if it cannot be used)."""

    def __init__(self, path: Path, framework: Framework, scorer: CompiledScorer) -> None:
        from lpc_assess.model.answers import load_answers

        self.path = path
        self.source = display_path(path)
        self.scorer = scorer
        self.response, warnings = load_answers(path, framework)
        self.size = path.stat().st_size
        self._problems: list[Diagnostic] = list(warnings)

    @property
    def notes(self) -> list[str]:
        return []

    @property
    def problems(self) -> list[Diagnostic]:
        return list(self._problems)

    @property
    def ignored_columns(self) -> list[str]:
        return []

    def chunks(
        self, on_progress: Callable[[int], None] | None = None
    ) -> Iterator[ScoredChunk | RejectedRow]:
        from lpc_assess.scoring.scored import ScoredChunk, record_from_response

        rid = self.response.respondent_id or self.path.stem
        record = record_from_response(
            self.scorer, self.response, respondent_id=rid, source=self.source
        )
        yield ScoredChunk.of(self.scorer, [record], self.source)
        if on_progress is not None:
            on_progress(self.size)
