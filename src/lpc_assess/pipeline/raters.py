"""360 feedback in a batch: rater responses grouped by subject, and the 360 reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lpc_assess.diagnostics import Diagnostic, quote_cell
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
    no comments at all. One rater, one voice: a response that the collector
    refuses (a second one from the same rater about the same subject, or a
    second self-assessment) becomes a diagnostic, and `add()` hands back the
    chunk without it, so that no other consumer counts it either.
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
        # One line per subject whose groups were merged or left out, for the terminal.
        self.messages: list[str] = []
        self.first: list[Path] = []

    def add(
        self, chunk: ScoredChunk, reject: Callable[[list[Diagnostic]], None] | None = None
    ) -> ScoredChunk:
        """Collect every 360 response of a chunk (those with a subject).

        Returns the chunk without the responses the collector refused; each of
        those goes to `reject` as one diagnostic (docs/360-feedback.md).
        """
        from lpc_assess.scoring.scored import ScoredChunk

        kept = []
        for record in chunk.records():
            problem = self._collect(record) if record.subject is not None else None
            if problem is None:
                kept.append(record)
            elif reject is not None:
                reject([problem])
        if len(kept) == len(chunk):
            return chunk
        return ScoredChunk.of(chunk.scorer, kept, chunk.source)

    def _collect(self, record: ScoredResponse) -> Diagnostic | None:
        from lpc_assess.scoring.person import score_response
        from lpc_assess.scoring.threesixty import redact_names, subject_key

        subject, relationship = record.subject, record.relationship
        assert subject is not None and relationship is not None  # pragma: no mutate (typing)
        answers = record.answers(self.framework)
        # Comments lose the rater's own name and id. (A subject's own notes, from a `self`
        # response, belong to their own report: the collector never shows them.)
        given = record.response.notes if record.response is not None else {}
        who = [record.respondent_id, record.name]
        refusal = self.collector.add(
            subject,
            relationship,
            score_response(self.framework, answers),
            {key: redact_names(text, who) for key, text in given.items()},
            rater=_rater_id(record),
            origin=_origin(record),
        )
        if refusal is not None:
            first = f" ({refusal.first.removeprefix(quote_cell(record.source) + ', ')})"
            shown = quote_cell(refusal.subject)
            if refusal.code == "duplicate-rater":  # a form sent twice: a warning
                message = (
                    f"{shown} was already rated by this rater{first}: one response per "
                    "rater and subject counts, so this one is left out"
                )
                return Diagnostic(
                    record.source, None, None, "warning", refusal.code, message, record.row
                )
            message = (
                f"{shown} already has a self-assessment{first}: a subject has one, "
                "so this one is left out"
            )
            return Diagnostic(record.source, None, None, "error", refusal.code, message, record.row)
        if relationship == "self" and record.name:
            self._names.setdefault(subject_key(subject), record.name)
        return None

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
        for ident, label, feedback in labelled:
            entry = feedback.to_json()
            entry["id"] = ident
            subjects.append(entry)
            self.messages.extend(_group_lines(label, feedback.merged, feedback.dropped, self))
        self.summary.subjects = subjects
        self.team_rows = team_subjects_context(
            self.framework, [(label, feedback) for _ident, label, feedback in labelled]
        )
        if self.reports is not None:
            self._write_reports(self.reports, labelled)

    def _write_reports(self, reports: PersonReports, labelled: list[tuple[str, str, Any]]) -> None:
        from lpc_assess.reports.subject import render_subject
        from lpc_assess.writers.files import slugify

        for ident, label, feedback in labelled:
            # (no mutate: take() lower-cases the name again, so the fallback's case is moot)
            slug = slugify(ident, fallback="subject")  # pragma: no mutate
            stem = reports.names.take(f"{slug}-360")
            path = reports.folder / f"{stem}.{reports.fmt}"
            self.written += 1
            if len(self.first) < LISTED_PLANNED:
                self.first.append(reports.out_dir / path.name)
            if reports.dry_run:
                continue
            text = render_subject(
                self.framework,
                feedback,
                reports.kind,
                display=label,
                min_raters=self.min_raters,
                show_notes=self.anonymiser is None,
            )
            reports.save(path, text)


def _rater_id(record: ScoredResponse) -> str | None:
    """Who gave a response: its respondent id, or None for the `row-N` made up for a CSV row."""
    if record.response is None and record.respondent_id == f"row-{record.row}":
        return None  # no id given: rows of two files would share it, so it names no one
    return record.respondent_id


def _origin(record: ScoredResponse) -> str:
    """Where a response came from, as a message quotes it: `"file"` or `"file", row N`.

    A message about a row of the same file shortens it to `row N`.
    """
    where = quote_cell(record.source)
    return where if record.row is None else f"{where}, row {record.row}"


def _group_lines(
    label: str, merged: list[str], dropped: list[str], feedback: RaterFeedback
) -> list[str]:
    """What the terminal is told about a subject's groups too small to show alone."""
    from lpc_assess.reports.subject import GROUP_LABELS

    def names(groups: list[str]) -> str:
        return ", ".join(GROUP_LABELS.get(g, g).lower() for g in groups)

    lines = []
    fewer = f"fewer than {feedback.min_raters} raters"
    if merged:
        lines.append(f"360 {label}: {names(merged)} had {fewer}: counted with all others")
    if dropped:
        lines.append(
            f"360 {label}: {names(dropped)} had {fewer} even counted with others: "
            "left out of every report"
        )
    return lines


def _natural_key(text: str) -> list[Any]:
    """`Respondent 2` before `Respondent 10`; otherwise without regard to case."""
    import re

    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]
