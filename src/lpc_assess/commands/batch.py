"""`batch`: score a team from answers files, folders and CSV exports, in one streaming pass.

Inputs are expanded into files (`inputs.sources`); each file is a source of
scored chunks (`scoring.scored.ScoredChunk`: numbers only, many responses at a
time), and every chunk goes to each consumer of the team pipeline that the
options ask for: the team statistics, the scores file, the people table,
per-person reports and the 360 collector. Each consumer has one method for
chunks (`pipeline.consumer.Consumer`). Nothing holds all responses: memory
depends on the framework, not on the number of responses. Problems are
diagnostics, collected (capped) and handed back in the result; one bad input
never stops the rest. Nothing here prints: `cli.py` shows the result.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from lpc_assess.commands.result import CommandResult
from lpc_assess.diagnostics import Diagnostic, InputError, redacted, summary_entry
from lpc_assess.inputs.sources import expand_inputs
from lpc_assess.pipeline.anonymise import Anonymiser
from lpc_assess.pipeline.identity import PeopleSeen
from lpc_assess.pipeline.people import PeopleTable
from lpc_assess.pipeline.person_reports import PersonReports
from lpc_assess.pipeline.raters import RaterFeedback

if TYPE_CHECKING:
    from lpc_assess.inputs.options import CsvOptions
    from lpc_assess.inputs.source import RejectedRow, Source
    from lpc_assess.model.framework import Framework
    from lpc_assess.pipeline.consumer import Consumer
    from lpc_assess.scoring.compiled import CompiledScorer
    from lpc_assess.scoring.facet_summary import FacetSummary
    from lpc_assess.scoring.scored import ScoredChunk
    from lpc_assess.scoring.team import TeamSummary
    from lpc_assess.writers.files import StagingFolder
    from lpc_assess.writers.progress import Progress
    from lpc_assess.writers.scores import ScoresWriter

SCORES_SUFFIXES = (".csv", ".jsonl", ".ndjson")
MAX_PROBLEMS = 1000  # listed in full; beyond this only counted (memory stays flat)


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
    sheet: str | None = None  # --sheet NAME|NUMBER, for workbooks
    allow_missing: bool = False  # --allow-missing


class UsageError(Exception):
    """An option that cannot work (exit code 2)."""


@dataclass
class BatchResult(CommandResult):
    """What `batch` did: the exit code, lines for stderr, text for stdout, and the table."""

    output: str = ""
    table: TeamSummary | None = None  # shown as a table when no output file was asked for


@dataclass
class PartResult:
    """What one half of a file read in two counted (pipeline/halves.py)."""

    summary: TeamSummary
    people: PeopleTable
    facets: FacetSummary | None
    problems: list[Diagnostic]
    problem_count: int
    names: dict[tuple[str, int], str]
    scored_rows: int


class BatchRun:
    """One batch: the framework, the pipeline's consumers, and what went wrong."""

    def __init__(
        self,
        options: BatchOptions,
        framework: Framework,
        csv_options: CsvOptions,
        staging: StagingFolder | None = None,
        *,
        part: Path | None = None,
    ) -> None:
        """`part`: this run is one half of a file read in two (pipeline/halves.py), and
        its rows of the scores file go there."""
        from lpc_assess.scoring.compiled import CompiledScorer
        from lpc_assess.scoring.team import TeamSummary

        self.options = options
        self.framework = framework
        self.csv_options = csv_options
        self.staging = staging
        self.scorer: CompiledScorer = CompiledScorer(framework)
        self.summary: TeamSummary = TeamSummary(framework)
        self.anonymiser = Anonymiser(self.scorer) if options.anonymise else None
        self.notes: list[str] = []
        self.problems: list[Diagnostic] = []
        self.problem_count = 0
        self.inputs = 0
        self.people = PeopleTable(anonymised=options.anonymise)
        self.seen = PeopleSeen()
        # The names of rejected rows, for the team report's Data checks (never anonymised).
        self.names: dict[tuple[str, int], str] = {}
        self.scores: ScoresWriter | None = None
        self.reports: PersonReports | None = None
        self.raters: RaterFeedback | None = None
        self.consumers: list[Consumer] = [self.summary, self.people]
        self.facets: FacetSummary | None = None
        if framework.facets is not None:  # docs/facets.md: the team's facet statistics
            from lpc_assess.scoring.facet_summary import FacetSummary

            self.facets = FacetSummary(framework)
            self.consumers.append(self.facets)
        if options.out_dir is not None:
            folder = staging.path if staging is not None else None
            self.reports = PersonReports(
                framework, options.out_dir, options.fmt, options.dry_run, folder
            )
            self.consumers.append(self.reports)
        if options.scores is not None and not options.dry_run:
            from lpc_assess.writers.scores import open_scores

            self.scores = open_scores(options.scores, framework, part)
            self.consumers.append(self.scores)
        self.scored_rows = 0
        self.ratings = 0  # 360 responses about someone else
        # One CSV export and nothing that needs every row in one place: it may be read
        # in two halves at once (set by run_batch).
        self.may_split = False
        self.shown = ""  # the input being read, as the user named it

    # Problems and responses -------------------------------------------------------------

    def problem(self, problem: Diagnostic) -> None:
        if self.anonymiser is not None:
            problem = redacted(problem)  # no cell text in an anonymised run's outputs
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def reject(self, problems: list[Diagnostic]) -> None:
        self.summary.rejected += 1
        for problem in problems:
            self.problem(problem)

    def accept(self, chunk: ScoredChunk) -> None:
        """Send a chunk of scored responses to every consumer.

        A 360 rater's response about someone else goes to the 360 collector
        only: it is not that rater's own self-check, so it gets no report, no
        row in the scores file and no place in the team statistics.
        """
        if chunk.subjects is not None:
            if self.raters is None:
                self.raters = RaterFeedback(
                    self.framework,
                    self.options.min_raters,
                    summary=self.summary,
                    anonymiser=self.anonymiser,
                    reports=self.reports,
                )
            chunk = self.raters.add(chunk, self.reject)  # without what one rater sent twice
            self.seen.rated(chunk)
            own = chunk.own_responses()
            others = len(chunk) - len(own)
            self.scored_rows += others
            self.ratings += others
            if not len(own):
                return
            chunk = own
        self.scored_rows += len(chunk)
        for problem in self.seen.add(chunk):
            self.problem(problem)
        if self.anonymiser is not None:
            self.anonymiser.hold(chunk)  # released shuffled and aliased by finish()
            return
        for consumer in self.consumers:
            consumer.add(chunk)

    # Reading ----------------------------------------------------------------------------

    def read(self, path: Path, advance: Callable[[int], None]) -> None:
        """Score every response of one input file; problems are recorded, never raised."""
        from lpc_assess.inputs.reading import display_path
        from lpc_assess.inputs.sources import InputRead, open_source, read_input

        self.inputs += 1
        self.shown = shown = display_path(path)

        opened: Source | None = None

        def opener(path: Path) -> Source:
            if opened is not None:  # opened already, for reading in halves
                return opened
            return open_source(path, self.framework, self.scorer, self.csv_options)

        read = None
        if self.may_split:
            with contextlib.suppress(InputError):  # if so, reading it whole says why
                opened = opener(path)
            if opened is not None and self._halves(opened, advance):
                read = InputRead(opened)
        if read is None:
            read = read_input(path, opener, advance, self.accept, self.reject_row)
        self.notes.extend(read.notes)
        if read.source is not None and read.source.ignored_columns:
            self.summary.ignored_columns.append(
                {"source": shown, "columns": list(read.source.ignored_columns)}
            )
        if read.failure:
            self.reject(read.failure)
            return
        for problem in read.problems:  # warnings: complete once the rows are read
            self.problem(problem)
        numbered = self.seen.numbered(shown)
        if numbered is not None:
            self.problem(numbered)

    def reject_row(self, row: RejectedRow) -> None:
        self.reject(row.problems)
        if row.name and self.anonymiser is None and len(self.names) < MAX_PROBLEMS:
            self.names[(self.shown, row.row)] = row.name

    # Reading one large CSV export in two halves (pipeline/halves.py) ---------------------

    def _halves(self, source: Source, advance: Callable[[int], None]) -> bool:
        from lpc_assess.inputs.csv_export import CsvExport
        from lpc_assess.inputs.sources import ByteProgress
        from lpc_assess.pipeline.halves import read_in_halves

        if not isinstance(source, CsvExport):
            return False
        progress = ByteProgress(advance)
        if read_in_halves(self, source, progress, self.options.scores):
            return True
        progress.rewind()  # read whole after all: from the start again
        return False

    def part(self, rows: Path | None) -> BatchRun:
        """An empty run like this one, for one half of the input (its scores rows to `rows`)."""
        part = BatchRun(self.options, self.framework, self.csv_options, part=rows)
        part.shown = self.shown
        return part

    def result(self) -> PartResult:
        """This half's counts, picklable: its consumers finished, its scores rows closed."""
        self._finish_consumers()
        if self.scores is not None:
            self.scores.commit()  # a part's rows: closed in place, not renamed
        return PartResult(
            self.summary,
            self.people,
            self.facets,
            self.problems,
            self.problem_count,
            self.names,
            self.scored_rows,
        )

    def absorb(self, result: object, rows: Path | None) -> None:
        """Add a half's result (and its scores rows) as if its chunks had come here."""
        assert isinstance(result, PartResult)
        self.summary.merge(result.summary)
        self.people.merge(result.people)
        if self.facets is not None and result.facets is not None:
            self.facets.merge(result.facets)
        if self.scores is not None and rows is not None:
            self.scores.append_part(rows)
        for problem in result.problems:
            self.problem(problem)
        self.problem_count += result.problem_count - len(result.problems)
        for key, name in result.names.items():
            if len(self.names) < MAX_PROBLEMS:
                self.names[key] = name
        self.scored_rows += result.scored_rows

    # Finishing --------------------------------------------------------------------------

    def finish(self) -> None:
        """Finish the consumers, then fill the summary's errors."""
        if self.anonymiser is not None:
            for chunk in self.anonymiser.release():
                for consumer in self.consumers:
                    consumer.add(chunk)
        self._finish_consumers()
        if self.raters is not None:
            self.raters.finish()
            self.notes.extend(self.raters.messages)
        if self.facets is not None:
            self.summary.facets = self.facets.to_json()
        anonymised = self.anonymiser is not None
        self.summary.errors = [_error_entry(p, anonymised, i) for i, p in enumerate(self.problems)]
        self.summary.errors_omitted = self.problem_count - len(self.problems)

    def _finish_consumers(self) -> None:
        for consumer in self.consumers:
            if consumer is not self.scores:  # the scores file is committed with the outputs
                consumer.finish()

    def abort(self) -> None:
        """Leave every output as it was: no scores file, nothing new in --out-dir."""
        if self.scores is not None:
            self.scores.abort()
        if self.staging is not None:
            self.staging.abort()


def _error_entry(problem: Diagnostic, anonymised: bool, index: int) -> dict[str, object]:
    data = summary_entry(problem)
    if anonymised and problem.row is None:
        # An answers file is often named after its person: say which problem, not whose.
        data["source"] = f"input {index + 1}"
    return data


# --- the command ---------------------------------------------------------------------------


def check_batch_outputs(options: BatchOptions) -> None:
    """Refuse output options that cannot work, before reading anything (UsageError)."""
    if options.fmt not in ("md", "html", "pdf"):
        raise UsageError(f"--format {options.fmt}: use md, html or pdf")
    if options.fmt == "pdf":
        from lpc_assess.writers.pdf import INSTALL_HINT, pdf_available

        if not pdf_available():
            raise UsageError(INSTALL_HINT)
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
    from lpc_assess.commands.outputs import OutputClash, check_outputs, framework_inputs

    team = options.out_dir / f"team.{options.fmt}" if options.out_dir is not None else None
    try:
        check_outputs(
            [*named, ("--out-dir", team)],
            [
                *(("an input", p) for p in options.inputs if not p.is_dir()),
                *(("a framework file", p) for p in framework_inputs(options.framework)),
                ("the --map file", options.mapping),
            ],
        )
    except OutputClash as exc:
        raise UsageError(str(exc)) from None
    out = options.out_dir
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"--out-dir {out}: exists and is not a folder")


def _made_by_out_dir(folder: Path, out_dir: Path | None) -> bool:
    """True when `folder` is `--out-dir` or inside it (the run creates it)."""
    if out_dir is None:
        return False
    folder, out_dir = folder.resolve(), out_dir.resolve()
    return folder == out_dir or out_dir in folder.parents


def run_batch(options: BatchOptions, progress: Callable[[list[Path]], Progress]) -> BatchResult:
    """Run `batch`: exit code 0 fine, 1 something rejected or nothing scored,
    2 unusable options, 130 interrupted. `progress` makes the progress display."""
    try:
        check_batch_outputs(options)
    except UsageError as exc:
        return BatchResult(2, [f"lpc-assess batch: {exc}"])
    from lpc_assess.inputs.columns import spreadsheet_options
    from lpc_assess.model.lookup import load_framework

    try:
        framework = load_framework(options.framework)
        csv_options = spreadsheet_options(options, framework)
    except InputError as exc:
        return BatchResult(1, [d.text() for d in exc.diagnostics])
    outputs = {p.resolve() for p in (options.summary, options.scores) if p is not None}
    files, missing = expand_inputs(options.inputs, outputs)
    staging: StagingFolder | None = None
    if options.out_dir is not None and not options.dry_run:
        from lpc_assess.writers.files import StagingFolder

        try:
            staging = StagingFolder(options.out_dir)
            for path in (options.summary, options.scores):
                if path is not None and _made_by_out_dir(path.parent, options.out_dir):
                    path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return BatchResult(
                1,
                [
                    f"lpc-assess batch: --out-dir {options.out_dir}: cannot create it: "
                    f"{exc.strerror or exc}"
                ],
            )
    run: BatchRun | None = None
    # Scoring makes many small, long-lived objects (shared patterns) and no reference
    # cycles; the default collector thresholds would re-scan them over and over.
    old_thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        run = BatchRun(options, framework, csv_options, staging)
        run.may_split = _may_split(options, files)
        for problem in missing:
            run.reject([problem])
        display = progress(files)
        try:
            for path in files:
                run.read(path, display.advance)
        finally:
            display.close()
        run.finish()
        return _conclude(run)
    except KeyboardInterrupt:
        if run is not None:
            run.abort()
        elif staging is not None:
            staging.abort()
        return BatchResult(130, ["interrupted: nothing was written"])
    except OSError as exc:
        if run is not None:
            run.abort()
        elif staging is not None:
            staging.abort()
        where = f" {exc.filename}" if exc.filename else ""
        return BatchResult(1, [f"lpc-assess batch: cannot write{where}: {exc.strerror or exc}"])
    finally:
        gc.set_threshold(*old_thresholds)
        gc.unfreeze()


def _may_split(options: BatchOptions, files: list[Path]) -> bool:
    """Whether the input may be read in two halves at once (pipeline/halves.py): one
    input, and no step that needs every response in one process (anonymising holds
    them all; person reports are written as they come)."""
    if len(files) != 1 or options.anonymise or options.out_dir is not None:
        return False
    from lpc_assess.writers.files import output_target

    return options.scores is None or options.dry_run or not output_target(options.scores)


def _conclude(run: BatchRun) -> BatchResult:
    """Write the end-of-run outputs, list every problem, and choose the exit code."""
    options = run.options
    summary = run.summary
    nothing = run.scored_rows == 0
    result = BatchResult(0)
    written: list[str] = []
    if not nothing:
        written = _write_outputs(run, result)
    else:
        run.abort()
    say = result.messages.append
    for note in run.notes:
        say(note)
    for problem in run.problems:
        say(problem.text())
    omitted = run.problem_count - len(run.problems)
    if omitted:
        say(f"... and {omitted:,} more problem(s), not listed")
    for line in written:
        say(line)
    if nothing:
        asked = [o for o in (options.out_dir, options.summary, options.scores) if o is not None]
        say(
            "nothing to score: no response was accepted"
            + (f" ({summary.rejected} rejected)" if summary.rejected else "")
            + ("; nothing was written" if asked else "")
        )
        result.exit_code = 1
        return result
    ratings = f" and {run.ratings} 360 rating(s) of others" if run.ratings else ""
    say(
        f"scored {summary.responses} response(s){ratings} from {run.inputs} input(s)"
        + (f"; {summary.rejected} rejected" if summary.rejected else "")
        + (" (dry run: nothing written)" if options.dry_run else "")
    )
    result.exit_code = 1 if summary.rejected else 0
    return result


def _write_team_report(run: BatchRun, path: Path) -> None:
    """The team report, with its 360 section when the batch had 360 data."""
    from lpc_assess.reports.team import team_context
    from lpc_assess.reports.templates import render_template
    from lpc_assess.writers.files import atomic_write

    kind: Literal["html", "md"] = "md" if run.options.fmt == "md" else "html"  # pdf: from html
    context = team_context(
        run.framework,
        run.summary,
        run.people,
        anonymised=run.anonymiser is not None,
        kind=kind,
    )
    if run.raters is not None:
        context["threesixty"] = {"rows": run.raters.team_rows, "min_raters": run.raters.min_raters}
    from lpc_assess.reports.data_checks import data_checks_context

    context["data_checks"] = data_checks_context(
        run.problems,
        run.problem_count - len(run.problems),
        run.summary.ignored_columns,
        run.summary.subjects,
        anonymised=run.anonymiser is not None,
        names=run.names,
    )
    if run.facets is not None:
        from lpc_assess.reports.facets import team_facets_context

        context["facets"] = team_facets_context(run.framework, run.facets)
    text = render_template(kind, f"team.{kind}.j2", context)
    if run.options.fmt == "pdf":
        from lpc_assess.writers.pdf import write_pdf

        write_pdf(text, path)
    else:
        atomic_write(path, text)


def _write_outputs(run: BatchRun, result: BatchResult) -> list[str]:
    from lpc_assess.writers.summary import write_summary

    options = run.options
    lines = []
    verb = "would write" if options.dry_run else "wrote"
    if options.out_dir is not None:
        team_path = options.out_dir / f"team.{options.fmt}"
        if run.staging is not None:
            _write_team_report(run, run.staging.path / team_path.name)
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
    if run.staging is not None:
        run.staging.commit()  # last: --out-dir changes only when everything else is written
    if options.dry_run:
        planned = list(lines)
        for listing in (run.reports, run.raters):
            if listing is not None:
                planned += [f"  {path}" for path in listing.first]
                if listing.written > len(listing.first):
                    planned.append(f"  ... and {listing.written - len(listing.first)} more")
        result.output += "".join(line + "\n" for line in planned)
        lines = []
    if options.out_dir is None and options.summary is None and options.scores is None:
        result.table = run.summary
    return lines
