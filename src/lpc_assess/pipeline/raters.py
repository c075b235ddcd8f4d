"""360 feedback in a batch: rater responses grouped by subject, and the 360 reports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lpc_assess.pipeline.person_reports import LISTED_PLANNED

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework
    from lpc_assess.pipeline.anonymise import Anonymiser
    from lpc_assess.pipeline.person_reports import PersonReports
    from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse
    from lpc_assess.scoring.team import TeamSummary


class RaterFeedback:
    """The 360 hook: responses with a `rater` go here, grouped by subject.

    At the end it fills `TeamSummary.subjects` (docs/360-feedback.md), writes one
    360 report per subject in `--out-dir` (`<subject>-360.<fmt>`, named
    through `PersonReports.names` so it never overwrites a person's report),
    and gives the team report its 360 rows. The grouping, threshold and gaps
    live in `threesixty.py`: a group left out there reaches no output here.
    Raters' comments lose the rater's own name and id; anonymised runs show
    no comments at all.
    """

    def __init__(
        self,
        framework: Framework,
        min_raters: int,
        *,
        summary: TeamSummary,
        anonymiser: Anonymiser | None = None,
        reports: PersonReports | None = None,
    ) -> None:
        from lpc_assess.scoring.threesixty import FeedbackCollector

        self.framework = framework
        self.min_raters = min_raters
        self.summary = summary
        self.anonymiser = anonymiser
        self.reports = reports
        self.collector = FeedbackCollector(framework, min_raters)
        self._names: dict[str, str] = {}  # subject key -> the subject's own name (self response)
        self.team_rows: list[dict[str, Any]] = []
        self.written = 0
        self.first: list[Path] = []

    def add(self, chunk: ScoredChunk) -> None:
        """Collect every 360 response of a chunk (those with a subject)."""
        for record in chunk.records():
            if record.subject is not None:
                self._collect(record)

    def _collect(self, record: ScoredResponse) -> None:
        from lpc_assess.scoring.person import score_response
        from lpc_assess.scoring.threesixty import redact_names, subject_key

        assert record.subject is not None and record.relationship is not None
        answers = record.answers(self.framework)
        notes: dict[str, str] = {}
        if record.relationship == "self":
            # The subject's own notes belong to their own report, not to the 360 one.
            if record.name:
                self._names.setdefault(subject_key(record.subject), record.name)
        elif record.response is not None:
            who = [record.respondent_id, record.name]
            notes = {k: redact_names(v, who) for k, v in record.response.notes.items()}
        self.collector.add(
            record.subject, record.relationship, score_response(self.framework, answers), notes
        )

    def finish(self) -> None:
        from lpc_assess.reports.subject import team_subjects_context
        from lpc_assess.scoring.threesixty import subject_key

        labelled = []
        # Aliases are handed out in the order subjects were first seen, never by their ids.
        for feedback in self.collector.subjects():
            if self.anonymiser is not None:
                ident = label = self.anonymiser.subject(feedback.id)
            else:
                ident = feedback.id
                name = self._names.get(subject_key(feedback.id))
                label = f"{name} ({ident})" if name and name != ident else ident
            labelled.append((ident, label, feedback))
        labelled.sort(key=lambda item: _natural_key(item[0]))
        subjects = []
        for ident, _label, feedback in labelled:
            entry = feedback.to_json()
            entry["id"] = ident
            subjects.append(entry)
        self.summary.subjects = subjects
        self.team_rows = team_subjects_context(
            self.framework, [(label, feedback) for _ident, label, feedback in labelled]
        )
        if self.reports is not None:
            self._write_reports(self.reports, labelled)

    def _write_reports(self, reports: PersonReports, labelled: list[tuple[str, str, Any]]) -> None:
        from lpc_assess.reports.subject import render_subject
        from lpc_assess.writers.files import atomic_write, slugify

        for ident, label, feedback in labelled:
            stem = reports.names.take(f"{slugify(ident, fallback='subject')}-360")
            path = reports.out_dir / f"{stem}.{reports.fmt}"
            self.written += 1
            if len(self.first) < LISTED_PLANNED:
                self.first.append(path)
            if reports.dry_run:
                continue
            text = render_subject(
                self.framework,
                feedback,
                reports.fmt,
                display=label,
                min_raters=self.min_raters,
                show_notes=self.anonymiser is None,
            )
            atomic_write(path, text)


def _natural_key(text: str) -> list[Any]:
    """`Respondent 2` before `Respondent 10`; otherwise without regard to case."""
    import re

    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]
