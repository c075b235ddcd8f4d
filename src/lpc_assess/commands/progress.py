"""`progress`: a cohort before and after a programme (docs/programme-evaluation.md).

Each side (BEFORE, AFTER: a file or a folder) is read as `batch` reads its
inputs: `expand_inputs`, then each file opened by `open_source` as a stream of
scored chunks, with the same spreadsheet options, into a `pipeline.cohort.Cohort`
that keeps each person's percents under their key. People are matched by
`--match id|email|name`; the figures are `scoring.progress`'s, the report and
JSON `reports.progress`'s. Nothing here prints: `cli.py` shows the result. No
name, e-mail or cell text reaches any output.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from lpc_assess.commands.batch import UsageError
from lpc_assess.commands.result import CommandResult
from lpc_assess.diagnostics import InputError, row_problem
from lpc_assess.inputs.columns import spreadsheet_options
from lpc_assess.pipeline.cohort import KEY_WORDS, Cohort

if TYPE_CHECKING:
    from lpc_assess.inputs.options import CsvOptions
    from lpc_assess.inputs.source import Source
    from lpc_assess.model.framework import Framework
    from lpc_assess.reports.progress import ProgressFigures
    from lpc_assess.scoring.compiled import CompiledScorer
    from lpc_assess.writers.progress import Progress

MATCH_KEYS = ("id", "email", "name")
FORMATS = ("md", "html", "json", "pdf")
# With --match email, a spreadsheet's key column is the first of these headers it has
# (Microsoft Forms writes "Email", Google Forms "Email address"), unless --id-column names it.
EMAIL_COLUMNS = ("Email", "Email address", "E-mail", "E-mail address")


@dataclass
class ProgressOptions:
    """Everything `lpc-assess progress` was asked to do (built by cli.py)."""

    before: Path
    after: Path
    framework: str | None = None
    match: str = "id"
    fmt: str = "md"
    output: Path | None = None
    encoding: str = "utf-8"
    mapping: Path | None = None
    id_column: str | None = None
    name_column: str | None = None
    subject_column: str | None = None
    relationship_column: str | None = None
    sheet: str | None = None
    allow_missing: bool = False


ProgressResult = CommandResult


@dataclass
class SideReader:
    """How the inputs of both sides are opened: the framework, its scorer, the CSV options."""

    framework: Framework
    scorer: CompiledScorer
    csv_options: CsvOptions
    key_columns: Sequence[str] | None  # with --match email: the e-mail column's headers

    def read(self, cohort: Cohort, path: Path, advance: Callable[[int], None]) -> None:
        """Every response of one input file into `cohort`; problems recorded, never raised."""
        from lpc_assess.inputs.reading import display_path
        from lpc_assess.inputs.sources import read_input

        number = cohort.begin(display_path(path))
        read = read_input(
            path,
            lambda path: self.open(path, cohort.sources[-1]),
            advance,
            lambda chunk: cohort.add(chunk, number),
            lambda row: cohort.reject(row.problems, number),
        )
        cohort.notes.extend(read.notes)
        if read.failure:
            cohort.reject(read.failure, number)
        for problem in read.problems:  # warnings: complete once the rows are read
            cohort.problem(problem, number)
        cohort.end(number)

    def open(self, path: Path, shown: str) -> Source:
        """`path` as a source; with --match email, a spreadsheet keyed by its e-mail column."""
        from lpc_assess.inputs.sources import open_source

        if self.key_columns is None:
            return open_source(path, self.framework, self.scorer, self.csv_options)
        for column in self.key_columns:
            try:
                options = dataclasses.replace(self.csv_options, id_column=column)
                return open_source(path, self.framework, self.scorer, options)
            except InputError as exc:
                if any(d.code != "no-such-column" for d in exc.diagnostics):
                    raise
        raise InputError(
            [
                row_problem(
                    shown,
                    None,
                    None,
                    "no-email-column",
                    f"no e-mail column (looked for {' or '.join(self.key_columns)}); "
                    "name it with --id-column, or match by id or name",
                )
            ]
        )


# --- the command ---------------------------------------------------------------------------


def _resolved(path: Path) -> Path | None:
    """`path` with its links followed; None for a link loop or a path that cannot be read."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def check_options(options: ProgressOptions) -> None:
    """Refuse options that cannot work, before reading anything (UsageError)."""
    if options.match not in MATCH_KEYS:
        raise UsageError(f"--match {options.match}: use id, email or name")
    if options.fmt not in FORMATS:
        raise UsageError(f"--format {options.fmt}: use md, html, json or pdf")
    sides = [options.before, options.after]
    places = [_resolved(side) for side in sides]
    for side, place in zip(sides, places, strict=True):
        if place is None or not side.exists():
            raise UsageError(f"{side}: no such file or folder")
    if places[0] == places[1]:
        raise UsageError("BEFORE and AFTER are the same; give the two rounds' files or folders")
    output = options.output
    if options.fmt == "pdf":
        from lpc_assess.writers.pdf import INSTALL_HINT, pdf_available

        if not pdf_available():
            raise UsageError(INSTALL_HINT)
        if output is None:
            raise UsageError("--format pdf writes a file: give --output FILE.pdf")
    if output is None:
        return
    from lpc_assess.writers.files import inside, output_target

    try:
        output_target(output)  # a folder, FIFO or socket is refused; /dev/null is fine
    except OSError as exc:
        raise UsageError(f"--output {output}: {exc.strerror or exc}") from None
    parent = output.parent if str(output.parent) else Path(".")
    target = _resolved(output)
    if not parent.is_dir() or target is None:
        raise UsageError(f"--output {output}: the folder {parent} does not exist")
    for side, place in zip(sides, places, strict=True):
        if target == place or (side.is_dir() and inside(side, output)):
            raise UsageError(
                f"--output {output}: is {'inside ' if side.is_dir() else ''}an input "
                f"({side}); write the report somewhere else"
            )


def run_progress(
    options: ProgressOptions, progress: Callable[[list[Path]], Progress]
) -> ProgressResult:
    """Run `progress`: exit code 0 fine, 1 an input rejected or a side empty, 2 unusable
    options, 130 interrupted. `progress` makes the progress display."""
    from lpc_assess.commands.outputs import OutputClash, check_outputs, framework_inputs

    try:
        check_options(options)
        check_outputs(
            [("--output", options.output)],
            [
                *(("a framework file", p) for p in framework_inputs(options.framework)),
                ("the --map file", options.mapping),
            ],
        )
    except (UsageError, OutputClash) as exc:
        return ProgressResult(2, [f"lpc-assess progress: {exc}"])
    from lpc_assess.inputs.sources import expand_inputs
    from lpc_assess.model.lookup import load_framework
    from lpc_assess.scoring.compiled import CompiledScorer

    try:
        framework = load_framework(options.framework)
        csv_options = spreadsheet_options(options, framework)
    except InputError as exc:
        return ProgressResult(1, [d.text() for d in exc.diagnostics])
    key_columns = None
    if options.match == "email":
        # --id-column names the e-mail column when an export calls it something else.
        named = [options.id_column] if options.id_column else []
        key_columns = [*named, *(c for c in EMAIL_COLUMNS if c not in named)]
    reader = SideReader(framework, CompiledScorer(framework), csv_options, key_columns)
    cohorts = [Cohort(side, options.match, framework) for side in ("before", "after")]
    inputs = []
    for cohort, given in zip(cohorts, (options.before, options.after), strict=True):
        files, missing = expand_inputs([given], set())
        for problem in missing:
            cohort.reject([problem], None)
        inputs.append(files)
    try:
        display = progress([*inputs[0], *inputs[1]])
        try:
            for cohort, files in zip(cohorts, inputs, strict=True):
                for path in files:
                    reader.read(cohort, path, display.advance)
        finally:
            display.close()
    except KeyboardInterrupt:
        return ProgressResult(130, ["interrupted: nothing was written"])
    return _conclude(options, framework, cohorts[0], cohorts[1])


def figures(
    options: ProgressOptions, framework: Framework, before: Cohort, after: Cohort
) -> ProgressFigures:
    """The comparison of the two sides, as the report and the JSON take it."""
    from lpc_assess.reports.progress import FacetFigures, ProgressFigures
    from lpc_assess.scoring.progress import compare_cohorts

    keys = list(before.people.keys() & after.people.keys())
    matched = [list(map(side.people.__getitem__, keys)) for side in (before, after)]
    everyone = before.everyone(), after.everyone()
    themes = list(framework.themes)
    ids: list[str | None] = [t.id for t in themes]
    percents = attrgetter("percents")
    found = compare_cohorts(
        [*ids, None],  # None: the overall percent
        *([list(map(percents, people)) for people in (*everyone, *matched)]),
    )
    facets = None
    items = framework.facets.items if framework.facets is not None else []
    if items:
        # A side without any facet answer has only Nones there: no need to read them.
        rows = attrgetter("facets")
        both = before.facets_seen and after.facets_seen
        by_facet = compare_cohorts(
            [f"{t.id}.{item.id}" for t in themes for item in items],
            list(map(rows, everyone[0])) if before.facets_seen else [],
            list(map(rows, everyone[1])) if after.facets_seen else [],
            list(map(rows, matched[0])) if both else [],
            list(map(rows, matched[1])) if both else [],
        )
        width = len(items)
        facets = [
            FacetFigures(
                theme.id,
                theme.title,
                [(item.id, item.label) for item in items],
                by_facet[t * width : (t + 1) * width],
            )
            for t, theme in enumerate(themes)
        ]
    people_before, people_after = before.counts().people, after.counts().people
    return ProgressFigures(
        framework=framework,
        match=options.match,
        before=before.counts(),
        after=after.counts(),
        matched=len(keys),
        only_before=people_before - len(keys),
        only_after=people_after - len(keys),
        themes=found[: len(themes)],
        overall=found[len(themes)],
        facets=facets,
        errors=[*before.error_entries(), *after.error_entries()],
        errors_omitted=before.problem_count
        + after.problem_count
        - len(before.problems)
        - len(after.problems),
    )


def _conclude(
    options: ProgressOptions, framework: Framework, before: Cohort, after: Cohort
) -> ProgressResult:
    """List every problem, write the report, and choose the exit code."""
    result = ProgressResult(0)
    say = result.messages.append
    for cohort in (before, after):
        for note in cohort.notes:
            say(note)
        for _, problem in cohort.problems:
            say(problem.text())
    omitted = sum(c.problem_count - len(c.problems) for c in (before, after))
    if omitted:
        say(f"... and {omitted:,} more problem(s), not listed")
    for cohort in (before, after):
        if cohort.others:
            say(
                f"{cohort.side}: left out {cohort.others} 360 rating(s) of someone else: "
                "progress compares people's own self-checks"
            )
    empty = [c.side for c in (before, after) if not c.responses]
    if empty:
        which = " and the ".join(empty)
        say(f"nothing to compare: no usable self response on the {which} side (nothing written)")
        result.exit_code = 1
        return result
    found = figures(options, framework, before, after)
    try:
        written = _write(options, found, result)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        say(f"lpc-assess progress: cannot write{where}: {exc.strerror or exc}")
        result.exit_code = 1
        return result
    sides = []
    for cohort, counts in ((before, found.before), (after, found.after)):
        rejected = f", {counts.rejected} rejected" if counts.rejected else ""
        sides.append(f"{cohort.side}: {counts.responses} response(s){rejected}")
    say(
        "; ".join(sides) + f"; {found.matched} matched by {KEY_WORDS[options.match]}, "
        f"{found.only_before} only before, {found.only_after} only after"
    )
    if not found.matched:
        say(
            f"warning: no one was matched: check that both rounds carry the same "
            f"{KEY_WORDS[options.match]} (--match id, email or name)"
        )
    if written:
        say(written)
    result.exit_code = 1 if before.rejected or after.rejected else 0
    return result


def _write(options: ProgressOptions, found: ProgressFigures, result: ProgressResult) -> str:
    """The report on stdout (in `result.output`) or in --output; the line that says so."""
    from lpc_assess.reports.progress import render_progress

    if options.fmt == "pdf":
        from lpc_assess.writers.pdf import write_pdf

        assert options.output is not None  # check_options asks for it
        write_pdf(render_progress(found, "html"), options.output)
    else:
        text = render_progress(found, options.fmt)
        if options.output is None:
            result.output = text
            return ""
        from lpc_assess.writers.files import atomic_write

        atomic_write(options.output, text, private=True)
    return f"wrote {options.output}"
