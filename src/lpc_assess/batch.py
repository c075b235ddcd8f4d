"""`batch`: score a team from answers files, folders and CSV exports, in one streaming pass.

PRODUCT.md §6. Inputs are expanded into files; each file becomes scored
responses (`ScoredResponse`), one at a time, which go to every *sink* that
the options ask for: the team statistics, the scores file, per-person
reports, the people-by-themes table and the 360 collector. Nothing holds all
responses: memory depends on the framework, not on the number of responses.
Problems are collected (capped) and listed at the end; one bad input never
stops the rest.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lpc_assess.diagnostics import Diagnostic, InputError
from lpc_assess.tabular import Problem, RejectedRow

if TYPE_CHECKING:
    from lpc_assess.framework import Framework
    from lpc_assess.outputs import ScoresWriter
    from lpc_assess.tabular import CsvOptions
    from lpc_assess.team import CompiledScorer, ScoredChunk, ScoredResponse, TeamSummary

ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
FOLDER_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
SCORES_SUFFIXES = (".csv", ".jsonl", ".ndjson")
MAX_PROBLEMS = 1000  # listed in full; beyond this only counted (memory stays flat)
PEOPLE_LIMIT = 300  # the team report's people-by-themes table is left out above this
_LISTED_PLANNED = 10


@dataclass
class BatchOptions:
    """Everything `lpc-assess batch` was asked to do (built by cli.py)."""

    inputs: list[Path]
    framework: str | None
    out_dir: Path | None
    fmt: str
    summary: Path | None
    scores: Path | None
    min_raters: int
    anonymise: bool
    dry_run: bool
    encoding: str
    mapping: Path | None
    id_column: str | None
    name_column: str | None
    subject_column: str | None
    relationship_column: str | None


class UsageError(Exception):
    """An option that cannot work (exit code 2)."""


class RecordSink(Protocol):
    """Something that takes every accepted response, then finishes once at the end."""

    def add(self, record: ScoredResponse) -> None: ...

    def add_chunk(self, chunk: ScoredChunk) -> None: ...

    def finish(self, run: BatchRun) -> None: ...


# --- inputs --------------------------------------------------------------------------------


def expand_inputs(paths: list[Path], exclude: set[Path]) -> tuple[list[Path], list[Problem]]:
    """Files to read, in order: given files, and every answers/CSV file in given folders.

    Folders are walked in sorted order, skipping hidden files and folders;
    each file is read once; `exclude` (this run's own outputs) is skipped.
    """
    from lpc_assess.loading import display_path

    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()

    def take(path: Path) -> None:
        key = path.resolve()
        if key not in seen and key not in exclude:
            seen.add(key)
            files.append(path)

    for given in paths:
        if given.is_dir():
            found = sorted(_walk(given))
            if not found:
                problems.append(
                    Problem(
                        display_path(given),
                        None,
                        None,
                        "no answers files or CSV exports (.yaml, .yml, .json, .csv) in this folder",
                    )
                )
            for path in found:
                take(path)
        elif given.is_file():
            take(given)
        elif given.exists():
            problems.append(Problem(str(given), None, None, "not a regular file or a folder"))
        else:
            problems.append(Problem(str(given), None, None, "no such file or folder"))
    return files, problems


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in FOLDER_SUFFIXES:
                yield Path(root) / name


# --- sinks ---------------------------------------------------------------------------------


class Anonymiser:
    """`Respondent 1..N`, in the order responses are accepted (no table: memory stays flat).

    360 subjects keep one alias across outputs: a subject's own (self)
    response gives it its alias; `subject()` numbers the others on demand.
    """

    def __init__(self) -> None:
        self.count = 0
        self._subjects: dict[str, str] = {}

    def apply(self, record: ScoredResponse) -> None:
        self.count += 1
        alias = f"Respondent {self.count}"
        if record.subject is not None and record.relationship == "self":
            self._subjects.setdefault(record.subject, alias)
        record.respondent_id = record.name = alias
        if record.response is not None:
            # Free text could name anyone; an anonymised output carries none of it.
            record.response = dataclasses.replace(
                record.response,
                respondent_id=alias,
                respondent_name=alias,
                notes={},
                pledge=None,
                source=None,
            )

    def apply_chunk(self, chunk: ScoredChunk) -> None:
        """Aliases for a chunk without 360 data (answers files' free text is dropped)."""
        first = self.count + 1
        self.count += len(chunk)
        chunk.ids = [f"Respondent {k}" for k in range(first, self.count + 1)]
        chunk.names = list(chunk.ids)
        if chunk.responses is not None:
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


class PersonReports:
    """One report per respondent in `--out-dir`, written as each response is scored."""

    def __init__(self, framework: Framework, out_dir: Path, fmt: str, dry_run: bool) -> None:
        from lpc_assess.files import UniqueNames

        self.framework = framework
        self.out_dir = out_dir
        self.fmt = fmt
        self.dry_run = dry_run
        self.names = UniqueNames()
        self.names.take("team")  # the team report's name is never a person's
        self.written = 0
        self.first: list[Path] = []

    def add(self, record: ScoredResponse) -> None:
        path = self.out_dir / f"{self.names.take(record.respondent_id)}.{self.fmt}"
        self.written += 1
        if len(self.first) < _LISTED_PLANNED:
            self.first.append(path)
        if self.dry_run:
            return
        from lpc_assess.files import atomic_write
        from lpc_assess.person_report import render_person
        from lpc_assess.scoring import score_response

        response = record.to_response(self.framework)
        score = score_response(self.framework, response.answers)
        atomic_write(path, render_person(self.framework, response, score, self.fmt))

    def add_chunk(self, chunk: ScoredChunk) -> None:
        for record in chunk.records():
            self.add(record)

    def finish(self, run: BatchRun) -> None:
        pass


@dataclass
class PersonRow:
    """One row of the team report's people-by-themes table."""

    id: str
    name: str | None
    themes: list[float | None]
    overall: float | None


class PeopleTable:
    """The first PEOPLE_LIMIT + 1 responses, enough to know whether the table is shown."""

    def __init__(self) -> None:
        self.rows: list[PersonRow] = []
        self.total = 0

    def add(self, record: ScoredResponse) -> None:
        self.total += 1
        if len(self.rows) <= PEOPLE_LIMIT:
            self.rows.append(
                PersonRow(
                    record.respondent_id,
                    record.name,
                    [p.outcome.percent for p in record.patterns],
                    record.overall.percent,
                )
            )

    def add_chunk(self, chunk: ScoredChunk) -> None:
        room = PEOPLE_LIMIT + 1 - len(self.rows)
        self.total += len(chunk)
        if room > 0:
            for record in islice(chunk.records(), room):
                self.rows.append(
                    PersonRow(
                        record.respondent_id,
                        record.name,
                        [p.outcome.percent for p in record.patterns],
                        record.overall.percent,
                    )
                )

    @property
    def shown(self) -> bool:
        return 0 < self.total <= PEOPLE_LIMIT

    def finish(self, run: BatchRun) -> None:
        if run.options.anonymise:
            # Sorted by score, so that row order says nothing about who is who.
            self.rows.sort(
                key=lambda r: (
                    r.overall is None,
                    -(r.overall or 0.0),
                    [-(p or 0.0) for p in r.themes],
                )
            )


class RaterFeedback:
    """The 360 hook: responses with a `rater` go here, grouped by subject.

    At the end it fills `TeamSummary.subjects` (PRODUCT.md §5), writes one
    360 report per subject in `--out-dir` (`<subject>-360.<fmt>`, named
    through `PersonReports.names` so it never overwrites a person's report),
    and gives the team report its 360 rows. The grouping, threshold and gaps
    live in `threesixty.py`: a group left out there reaches no output here.
    Raters' comments lose the rater's own name and id; anonymised runs show
    no comments at all.
    """

    def __init__(self, framework: Framework, min_raters: int) -> None:
        from lpc_assess.threesixty import FeedbackCollector

        self.framework = framework
        self.min_raters = min_raters
        self.collector = FeedbackCollector(framework, min_raters)
        self._names: dict[str, str] = {}  # subject key -> the subject's own name (self response)
        self.team_rows: list[dict[str, Any]] = []
        self.written = 0
        self.first: list[Path] = []

    def add(self, record: ScoredResponse) -> None:
        from lpc_assess.scoring import score_response
        from lpc_assess.threesixty import redact_names, subject_key

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

    def finish(self, run: BatchRun) -> None:
        from lpc_assess.subject_report import team_subjects_context
        from lpc_assess.threesixty import subject_key

        labelled = []
        # Aliases are handed out in the order subjects were first seen, never by their ids.
        for feedback in self.collector.subjects():
            if run.anonymiser is not None:
                ident = label = run.anonymiser.subject(feedback.id)
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
        run.summary.subjects = subjects
        self.team_rows = team_subjects_context(
            self.framework, [(label, feedback) for _ident, label, feedback in labelled]
        )
        if run.reports is not None:
            self._write_reports(run, labelled)

    def _write_reports(self, run: BatchRun, labelled: list[tuple[str, str, Any]]) -> None:
        from lpc_assess.files import atomic_write, slugify
        from lpc_assess.subject_report import render_subject

        assert run.reports is not None
        options = run.options
        for ident, label, feedback in labelled:
            stem = run.reports.names.take(f"{slugify(ident, fallback='subject')}-360")
            path = run.reports.out_dir / f"{stem}.{options.fmt}"
            self.written += 1
            if len(self.first) < _LISTED_PLANNED:
                self.first.append(path)
            if options.dry_run:
                continue
            text = render_subject(
                self.framework,
                feedback,
                options.fmt,
                display=label,
                min_raters=self.min_raters,
                show_notes=run.anonymiser is None,
            )
            atomic_write(path, text)

    def write_team_report(self, run: BatchRun, path: Path) -> None:
        """The team report with its 360 section (the rest as `outputs.render_team` makes it)."""
        from typing import Literal

        from lpc_assess.files import atomic_write
        from lpc_assess.outputs import team_context
        from lpc_assess.render import render_template

        kind: Literal["html", "md"] = "html" if run.options.fmt == "html" else "md"
        context = team_context(
            run.framework,
            run.summary,
            run.people,
            anonymised=run.anonymiser is not None,
            kind=kind,
        )
        context["threesixty"] = {"rows": self.team_rows, "min_raters": self.min_raters}
        atomic_write(path, render_template(kind, f"team.{kind}.j2", context))


def _natural_key(text: str) -> list[Any]:
    """`Respondent 2` before `Respondent 10`; otherwise without regard to case."""
    import re

    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


# --- the run -------------------------------------------------------------------------------


class Progress(Protocol):
    def advance(self, amount: int) -> None: ...

    def close(self) -> None: ...


class _NoProgress:
    def advance(self, amount: int) -> None:
        pass

    def close(self) -> None:
        pass


class _RichProgress:
    """A progress bar on stderr, by bytes of input read."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

        from lpc_assess.console import stderr_console

        self._bar = Progress(
            TextColumn("scoring"),
            BarColumn(),
            TaskProgressColumn(),
            console=stderr_console(),
            transient=True,
        )
        self._task = self._bar.add_task("scoring", total=max(total, 1))
        self._bar.start()

    def advance(self, amount: int) -> None:
        self._bar.advance(self._task, amount)

    def close(self) -> None:
        self._bar.stop()


def _progress_for(files: list[Path]) -> Progress:
    isatty = getattr(sys.stderr, "isatty", None)
    if not (callable(isatty) and isatty()) or os.environ.get("TERM") == "dumb":
        return _NoProgress()
    total = 0
    for path in files:
        total += _size(path)
    return _RichProgress(total)


class BatchRun:
    """One batch: the framework, the sinks, and what went wrong."""

    def __init__(
        self,
        options: BatchOptions,
        framework: Framework,
        csv_options: CsvOptions,
    ) -> None:
        from lpc_assess.team import CompiledScorer, TeamSummary

        self.options = options
        self.framework = framework
        self.csv_options = csv_options
        self.scorer: CompiledScorer = CompiledScorer(framework)
        self.summary: TeamSummary = TeamSummary(framework)
        self.anonymiser = Anonymiser() if options.anonymise else None
        self.notes: list[str] = []
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.inputs = 0
        self.people = PeopleTable()
        self.scores: ScoresWriter | None = None
        self.reports: PersonReports | None = None
        self.raters: RaterFeedback | None = None
        self.sinks: list[RecordSink] = [self.people]
        if options.out_dir is not None:
            self.reports = PersonReports(framework, options.out_dir, options.fmt, options.dry_run)
            self.sinks.append(self.reports)
        if options.scores is not None and not options.dry_run:
            from lpc_assess.outputs import open_scores

            self.scores = open_scores(options.scores, framework)
        self.scored_rows = 0
        self.ratings = 0  # 360 responses about someone else

    # Problems and responses -------------------------------------------------------------

    def problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def reject(self, problems: list[Problem]) -> None:
        self.summary.rejected += 1
        for problem in problems:
            self.problem(problem)

    def accept(self, record: ScoredResponse) -> None:
        """Send one scored response where it belongs.

        A 360 rater's response about someone else goes to the 360 collector
        only: it is not that rater's own self-check, so it gets no report, no
        row in the scores file and no place in the team statistics.
        """
        if record.subject is not None:
            if self.raters is None:
                self.raters = RaterFeedback(self.framework, self.options.min_raters)
            self.raters.add(record)
            if record.relationship != "self":
                self.scored_rows += 1
                self.ratings += 1
                return
        if self.anonymiser is not None:
            self.anonymiser.apply(record)
        self.scored_rows += 1
        self.summary.add(record)
        if self.scores is not None:
            self.scores.write(record)
        for sink in self.sinks:
            sink.add(record)

    def accept_chunk(self, chunk: ScoredChunk) -> None:
        """Send a chunk of scored responses where they belong, column-wise when possible."""
        if chunk.subjects is not None:
            for record in chunk.records():  # 360 data: routed one by one
                self.accept(record)
            return
        if self.anonymiser is not None:
            self.anonymiser.apply_chunk(chunk)
        self.scored_rows += len(chunk)
        self.summary.add_chunk(chunk)
        if self.scores is not None:
            self.scores.write_chunk(chunk)
        for sink in self.sinks:
            sink.add_chunk(chunk)

    # Reading ----------------------------------------------------------------------------

    def read(self, path: Path, advance: Callable[[int], None]) -> None:
        """Score every response of one input file; problems are recorded, never raised."""
        from lpc_assess.loading import display_path

        self.inputs += 1
        suffix = path.suffix.lower()
        try:
            if suffix in ANSWERS_SUFFIXES:
                self._read_answers(path)
            elif suffix in CSV_SUFFIXES:
                self._read_csv(path, advance)
                return
            else:
                self.reject(
                    [
                        Problem(
                            display_path(path),
                            None,
                            None,
                            "not an answers file or CSV export (use .yaml, .yml, .json or .csv)",
                        )
                    ]
                )
        except InputError as exc:
            self.reject([_from_diagnostic(d) for d in exc.diagnostics])
        size = _size(path)
        advance(size)

    def _read_answers(self, path: Path) -> None:
        from lpc_assess.answers import load_answers
        from lpc_assess.loading import display_path
        from lpc_assess.team import record_from_response

        response, warnings = load_answers(path, self.framework)
        self.notes.extend(d.text() for d in warnings)
        shown = display_path(path)
        rid = response.respondent_id or path.stem
        self.accept(record_from_response(self.scorer, response, respondent_id=rid, source=shown))

    def _read_csv(self, path: Path, advance: Callable[[int], None]) -> None:
        from lpc_assess.tabular import open_export

        export = open_export(path, self.framework, self.scorer, self.csv_options)
        self.notes.extend(export.notes)
        done = 0

        def progress(position: int) -> None:
            nonlocal done
            advance(position - done)
            done = position

        for item in export.chunks(progress):
            if isinstance(item, RejectedRow):
                self.reject(item.problems)
            else:
                self.accept_chunk(item)

    # Finishing --------------------------------------------------------------------------

    def finish(self) -> None:
        """Close the sinks, then fill the summary's errors."""
        for sink in self.sinks:
            sink.finish(self)
        if self.raters is not None:
            self.raters.finish(self)
        anonymised = self.anonymiser is not None
        self.summary.errors = [_problem_json(p, anonymised, i) for i, p in enumerate(self.problems)]
        self.summary.errors_omitted = self.problem_count - len(self.problems)


def _problem_json(problem: Problem, anonymised: bool, index: int) -> dict[str, Any]:
    data = problem.to_json()
    if anonymised and problem.row is None:
        # An answers file is often named after its person: say which problem, not whose.
        data["source"] = f"input {index + 1}"
    return data


def _from_diagnostic(d: Diagnostic) -> Problem:
    where = ""
    if d.line is not None:
        where = f"line {d.line}" + (f", column {d.col}" if d.col is not None else "") + ": "
    return Problem(d.path, None, None, where + d.message, d.text())


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# --- the command ---------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def check_outputs(options: BatchOptions) -> None:
    """Refuse output options that cannot work, before reading anything (UsageError)."""
    if options.scores is not None and options.scores.suffix.lower() not in SCORES_SUFFIXES:
        raise UsageError(f"--scores {options.scores}: the file name must end in .csv or .jsonl")
    named = [
        (flag, path)
        for flag, path in (("--summary", options.summary), ("--scores", options.scores))
        if path is not None
    ]
    for flag, path in named:
        if path.is_dir():
            raise UsageError(f"{flag} {path}: is a folder; give a file name")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir() and not _made_by_out_dir(parent, options.out_dir):
            raise UsageError(f"{flag} {path}: the folder {parent} does not exist")
    if len(named) == 2 and named[0][1].resolve() == named[1][1].resolve():
        raise UsageError("--summary and --scores name the same file")
    out = options.out_dir
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"--out-dir {out}: exists and is not a folder")
    if options.fmt not in ("md", "html"):
        raise UsageError(f"--format {options.fmt}: use md or html")


def _made_by_out_dir(folder: Path, out_dir: Path | None) -> bool:
    """True when `folder` is `--out-dir` or inside it (the run creates it)."""
    if out_dir is None:
        return False
    folder, out_dir = folder.resolve(), out_dir.resolve()
    return folder == out_dir or out_dir in folder.parents


def run_batch(options: BatchOptions) -> int:
    """Run `batch`; returns the exit code (0 fine, 1 something rejected or nothing scored,
    2 unusable options, 130 interrupted)."""
    try:
        check_outputs(options)
    except UsageError as exc:
        _say(f"lpc-assess batch: {exc}")
        return 2
    from lpc_assess.framework import load_framework
    from lpc_assess.tabular import CsvOptions, load_mapping

    try:
        framework = load_framework(options.framework)
        mapping = load_mapping(options.mapping, framework) if options.mapping else {}
    except InputError as exc:
        for diagnostic in exc.diagnostics:
            _say(diagnostic.text())
        return 1
    csv_options = CsvOptions(
        encoding=options.encoding,
        mapping=mapping,
        id_column=options.id_column,
        name_column=options.name_column,
        subject_column=options.subject_column,
        relationship_column=options.relationship_column,
    )
    outputs = {p.resolve() for p in (options.summary, options.scores) if p is not None}
    files, missing = expand_inputs(options.inputs, outputs)
    if options.out_dir is not None and not options.dry_run:
        try:
            options.out_dir.mkdir(parents=True, exist_ok=True)
            for path in (options.summary, options.scores):
                if path is not None and _made_by_out_dir(path.parent, options.out_dir):
                    path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _say(
                f"lpc-assess batch: --out-dir {options.out_dir}: cannot create it: "
                f"{exc.strerror or exc}"
            )
            return 1
    run: BatchRun | None = None
    # Scoring makes many small, long-lived objects (shared patterns) and no reference
    # cycles; the default collector thresholds would re-scan them over and over.
    old_thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        run = BatchRun(options, framework, csv_options)
        for problem in missing:
            run.reject([problem])
        progress = _progress_for(files)
        try:
            for path in files:
                run.read(path, progress.advance)
        finally:
            progress.close()
        run.finish()
        return _conclude(run)
    except KeyboardInterrupt:
        if run is not None and run.scores is not None:
            run.scores.abort()
        _say("interrupted: nothing more was written")
        return 130
    except OSError as exc:
        if run is not None and run.scores is not None:
            run.scores.abort()
        where = f" {exc.filename}" if exc.filename else ""
        _say(f"lpc-assess batch: cannot write{where}: {exc.strerror or exc}")
        return 1
    finally:
        gc.set_threshold(*old_thresholds)
        gc.unfreeze()


def _conclude(run: BatchRun) -> int:
    """Write the end-of-run outputs, list every problem, and choose the exit code."""
    options = run.options
    summary = run.summary
    nothing = run.scored_rows == 0
    written: list[str] = []
    if not nothing:
        written = _write_outputs(run)
    elif run.scores is not None:
        run.scores.abort()
    for note in run.notes:
        _say(note)
    for problem in run.problems:
        _say(problem.line())
    omitted = run.problem_count - len(run.problems)
    if omitted:
        _say(f"... and {omitted:,} more problem(s), not listed")
    for line in written:
        _say(line)
    if nothing:
        _say(
            "nothing to score: no response was accepted"
            + (f" ({summary.rejected} rejected)" if summary.rejected else "")
        )
        return 1
    ratings = f" and {run.ratings} 360 rating(s) of others" if run.ratings else ""
    _say(
        f"scored {summary.responses} response(s){ratings} from {run.inputs} input(s)"
        + (f"; {summary.rejected} rejected" if summary.rejected else "")
        + (" (dry run: nothing written)" if options.dry_run else "")
    )
    return 1 if summary.rejected else 0


def _write_outputs(run: BatchRun) -> list[str]:
    from lpc_assess.outputs import print_summary_table, write_summary, write_team_report

    options = run.options
    lines = []
    verb = "would write" if options.dry_run else "wrote"
    team_path = None
    if options.out_dir is not None:
        team_path = options.out_dir / f"team.{options.fmt}"
        if not options.dry_run and run.raters is not None:
            run.raters.write_team_report(run, team_path)  # with its 360 section
        elif not options.dry_run:
            write_team_report(
                team_path,
                run.framework,
                run.summary,
                run.people,
                options.fmt,
                anonymised=run.anonymiser is not None,
            )
        reports = run.reports
        count = reports.written if reports is not None else 0
        if run.raters is not None:
            lines.append(
                f"{verb} {team_path}, {count} person report(s) and "
                f"{run.raters.written} 360 report(s) in {options.out_dir}"
            )
        else:
            lines.append(f"{verb} {team_path} and {count} person report(s) in {options.out_dir}")
    if run.scores is not None:
        run.scores.commit()
        lines.append(f"{verb} scores to {options.scores}")
    elif options.scores is not None:
        lines.append(f"{verb} scores to {options.scores}")
    if options.summary is not None:
        if not options.dry_run:
            write_summary(options.summary, run.summary)
        lines.append(f"{verb} the team summary to {options.summary}")
    if options.dry_run:
        for line in lines:
            print(line)
        if run.reports is not None:
            for path in run.reports.first:
                print(f"  {path}")
            if run.reports.written > len(run.reports.first):
                print(f"  ... and {run.reports.written - len(run.reports.first)} more")
        if run.raters is not None:
            for path in run.raters.first:
                print(f"  {path}")
            if run.raters.written > len(run.raters.first):
                print(f"  ... and {run.raters.written - len(run.raters.first)} more")
        lines = []
    if options.out_dir is None and options.summary is None and options.scores is None:
        print_summary_table(run.summary, sys.stdout)
    return lines
