"""`--out-dir`: one development report per respondent, written as each chunk arrives.

Reports are written into `folder` (the batch's staging folder, moved into
`--out-dir` only when the batch completes) and named after the person: their
name when the input has one, else their id (`aisha-khan.html`), made safe and
unique (`writers/files.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse

LISTED_PLANNED = 10  # a dry run lists this many of the files it would write


class PersonReports:
    """One report per respondent in `--out-dir`, written as each response is scored."""

    def __init__(
        self, framework: Framework, out_dir: Path, fmt: str, dry_run: bool, folder: Path | None
    ) -> None:
        from lpc_assess.writers.files import UniqueNames

        self.framework = framework
        self.out_dir = out_dir  # where the reports end up (shown to the user)
        self.folder = folder or out_dir  # where they are written now
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
        name = f"{self.names.take(record.name or record.respondent_id)}.{self.fmt}"
        self.written += 1
        if len(self.first) < LISTED_PLANNED:
            self.first.append(self.out_dir / name)
        path = self.folder / name
        if self.dry_run:
            return
        from lpc_assess.reports.person import render_person
        from lpc_assess.scoring.person import score_response

        response = record.to_response(self.framework)
        score = score_response(self.framework, response.answers)
        self.save(path, render_person(self.framework, response, score, self.kind))

    @property
    def kind(self) -> str:
        """The template kind the reports are rendered from: a PDF is made from the HTML."""
        return "html" if self.fmt == "pdf" else self.fmt

    def save(self, path: Path, text: str) -> None:
        """Write one rendered report (`kind`) as `fmt`: atomically, private, PDF if asked."""
        if self.fmt == "pdf":
            from lpc_assess.writers.pdf import write_pdf

            write_pdf(text, path)
        else:
            from lpc_assess.writers.files import atomic_write

            atomic_write(path, text)

    def finish(self) -> None:
        pass
