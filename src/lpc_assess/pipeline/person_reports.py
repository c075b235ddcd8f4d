"""`--out-dir`: one development report per respondent, written as each chunk arrives."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse

LISTED_PLANNED = 10  # a dry run lists this many of the files it would write


class PersonReports:
    """One report per respondent in `--out-dir`, written as each response is scored."""

    def __init__(self, framework: Framework, out_dir: Path, fmt: str, dry_run: bool) -> None:
        from lpc_assess.writers.files import UniqueNames

        self.framework = framework
        self.out_dir = out_dir
        self.fmt = fmt
        self.dry_run = dry_run
        self.names = UniqueNames()
        self.names.take("team")  # the team report's name is never a person's
        self.written = 0
        self.first: list[Path] = []

    def add(self, chunk: ScoredChunk) -> None:
        for record in chunk.records():
            self._write(record)

    def _write(self, record: ScoredResponse) -> None:
        path = self.out_dir / f"{self.names.take(record.respondent_id)}.{self.fmt}"
        self.written += 1
        if len(self.first) < LISTED_PLANNED:
            self.first.append(path)
        if self.dry_run:
            return
        from lpc_assess.reports.person import render_person
        from lpc_assess.scoring.person import score_response
        from lpc_assess.writers.files import atomic_write

        response = record.to_response(self.framework)
        score = score_response(self.framework, response.answers)
        atomic_write(path, render_person(self.framework, response, score, self.fmt))

    def finish(self) -> None:
        pass
