"""`analyse`: how a framework's statements work once answered (docs/instrument-analysis.md).

Inputs are read exactly as `batch` reads them (`inputs.sources`: answers files,
folders and spreadsheet exports, with the same spreadsheet options): every
accepted self response goes to `scoring.instrument.InstrumentData`; a 360
rating of someone else is left out and counted; a bad row is listed and
counted. Then each theme gets psych's `alpha()` figures and its flags, written
as JSON, Markdown, HTML or GitHub annotations. Nothing here prints: `cli.py`
shows the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lpc_assess.commands.result import CommandResult
from lpc_assess.diagnostics import Diagnostic, InputError

if TYPE_CHECKING:
    from lpc_assess.inputs.documents import Document
    from lpc_assess.inputs.options import CsvOptions
    from lpc_assess.inputs.source import Source
    from lpc_assess.model.framework import Framework
    from lpc_assess.reports.analysis import Flag
    from lpc_assess.scoring.compiled import CompiledScorer
    from lpc_assess.scoring.instrument import InstrumentData, ThemeAnalysis
    from lpc_assess.scoring.scored import ScoredChunk
    from lpc_assess.writers.progress import Progress

FORMATS = ("md", "html", "json", "github")


@dataclass
class AnalyseOptions:
    """Everything `lpc-assess analyse` was asked to do (built by cli.py)."""

    inputs: list[Path]
    framework: str | None
    fmt: str
    output: Path | None
    encoding: str = "utf-8"
    mapping: Path | None = None
    id_column: str | None = None
    name_column: str | None = None
    subject_column: str | None = None
    relationship_column: str | None = None
    sheet: str | None = None  # --sheet NAME|NUMBER, for workbooks
    allow_missing: bool = False  # --allow-missing


AnalyseResult = CommandResult


class _Reading:
    """The responses of every input, as `batch` reads them, into the instrument data."""

    def __init__(self, framework: Framework, csv_options: CsvOptions) -> None:
        from lpc_assess.scoring.compiled import CompiledScorer
        from lpc_assess.scoring.instrument import InstrumentData

        self.framework = framework
        self.csv_options = csv_options
        self.scorer: CompiledScorer = CompiledScorer(framework)
        self.data: InstrumentData = InstrumentData(framework)
        self.notes: list[str] = []
        self.problems: list[Diagnostic] = []
        self.problem_count = 0
        self.rejected = 0
        self.ratings_of_others = 0
        self.inputs = 0

    def problem(self, problem: Diagnostic) -> None:
        from lpc_assess.commands.batch import MAX_PROBLEMS

        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def reject(self, problems: list[Diagnostic]) -> None:
        self.rejected += 1
        for problem in problems:
            self.problem(problem)

    def read(self, path: Path, advance: Callable[[int], None]) -> None:
        """Every response of one input; problems are recorded, never raised."""
        from lpc_assess.inputs.sources import open_source, read_input

        self.inputs += 1

        def own(chunk: ScoredChunk) -> None:
            mine = chunk.own_responses()  # self responses only: 360 ratings of others out
            self.ratings_of_others += len(chunk) - len(mine)
            if len(mine):
                self.data.add(mine)

        def opener(path: Path) -> Source:
            return open_source(path, self.framework, self.scorer, self.csv_options)

        read = read_input(path, opener, advance, own, lambda row: self.reject(row.problems))
        self.notes.extend(read.notes)
        if read.failure:
            self.reject(read.failure)
        for problem in read.problems:  # warnings (--allow-missing, versions): listed too
            self.problem(problem)


def _check(options: AnalyseOptions) -> str | None:
    """What is wrong with the options before anything is read (exit code 2), or None."""
    if options.fmt not in FORMATS:
        return f"--format {options.fmt}: use md, html, json or github"
    output = options.output
    if output is not None:
        if output.is_dir():
            return f"--output {output}: is a folder; give a file name"
        parent = output.parent if str(output.parent) else Path(".")
        if not parent.is_dir():
            return f"--output {output}: the folder {parent} does not exist"
    return None


def run_analyse(
    options: AnalyseOptions, progress: Callable[[list[Path]], Progress]
) -> AnalyseResult:
    """Run `analyse`: exit code 0 fine, 1 something rejected or nothing to analyse,
    2 unusable options, 130 interrupted. `progress` makes the progress display."""
    from lpc_assess.inputs.columns import spreadsheet_options
    from lpc_assess.inputs.sources import expand_inputs
    from lpc_assess.model.lookup import load_framework

    problem = _check(options)
    if problem:
        return AnalyseResult(2, [f"lpc-assess analyse: {problem}"])
    try:
        framework = load_framework(options.framework)
        csv_options = spreadsheet_options(options, framework)
    except InputError as exc:
        return AnalyseResult(1, [d.text() for d in exc.diagnostics])
    files, missing = expand_inputs(options.inputs, set())
    places = _theme_places(framework)
    from lpc_assess.commands.outputs import OutputClash, check_outputs, framework_inputs

    try:  # files found in folders too: a pilot's folder may hold the output's name
        check_outputs(
            [("--output", options.output)],
            [
                *(("an input", p) for p in files),
                *(("a framework file", p) for p in framework_inputs(options.framework)),
                ("the --map file", options.mapping),
            ],
        )
    except OutputClash as exc:
        return AnalyseResult(2, [f"lpc-assess analyse: {exc}"])
    reading = _Reading(framework, csv_options)
    for problem_ in missing:
        reading.reject([problem_])
    display = progress(files)
    try:
        for path in files:
            reading.read(path, display.advance)
    except KeyboardInterrupt:
        return AnalyseResult(130, ["interrupted: nothing was written"])
    finally:
        display.close()
    return _conclude(options, framework, reading, places)


def _conclude(
    options: AnalyseOptions,
    framework: Framework,
    reading: _Reading,
    places: dict[str, ThemePlace],
) -> AnalyseResult:
    from lpc_assess.reports.analysis import analysis_flags

    result = AnalyseResult(0)
    say = result.messages.append
    for note in reading.notes:
        say(note)
    for problem in reading.problems:
        say(problem.text())
    omitted = reading.problem_count - len(reading.problems)
    if omitted:
        say(f"... and {omitted:,} more problem(s), not listed")
    if reading.ratings_of_others:
        say(
            f"left out {reading.ratings_of_others} 360 rating(s) of someone else: "
            "the analysis uses self responses only"
        )
    responses = reading.data.responses
    if responses == 0:
        say(
            "nothing to analyse: no self response was accepted"
            + (f" ({reading.rejected} rejected)" if reading.rejected else "")
        )
        result.exit_code = 1
        return result
    analyses = reading.data.analyse(framework)
    flags = [
        analysis_flags(theme, analysis, framework)
        for theme, analysis in zip(framework.themes, analyses, strict=True)
    ]
    counts = {
        "responses": responses,
        "rejected": reading.rejected,
        "ratings_of_others": reading.ratings_of_others,
    }
    text = _render(options.fmt, framework, analyses, flags, counts, places)
    raised = sum(len(f) for f in flags)
    say(
        f"analysed {responses} self response(s) from {reading.inputs} input(s)"
        + (f"; {reading.rejected} rejected" if reading.rejected else "")
        + f"; {raised} flag(s)"
    )
    if options.output is None:
        result.output = text
    else:
        from lpc_assess.writers.files import atomic_write

        try:
            atomic_write(options.output, text)
        except OSError as exc:
            say(f"lpc-assess analyse: cannot write {options.output}: {exc.strerror or exc}")
            result.exit_code = 1
            return result
        say(f"wrote the analysis to {options.output}")
    result.exit_code = 1 if reading.rejected else 0
    return result


def _render(
    fmt: str,
    framework: Framework,
    analyses: list[ThemeAnalysis],
    flags: list[list[Flag]],
    counts: dict[str, int],
    places: dict[str, ThemePlace],
) -> str:
    """The analysis in the asked format, as text."""
    if fmt == "github":
        from lpc_assess.diagnostics import render_github

        return render_github(_annotations(framework, flags, places))
    if fmt == "json":
        import json

        from lpc_assess.reports.analysis import analysis_json

        data = analysis_json(framework, analyses, flags, **counts)
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    from typing import Literal

    from lpc_assess.reports.analysis import analysis_context
    from lpc_assess.reports.templates import render_template

    kind: Literal["html", "md"] = "html" if fmt == "html" else "md"
    context = analysis_context(framework, analyses, flags, **counts)
    return render_template(kind, f"analysis.{kind}.j2", context)


# --- where each flag points: the indicator's line in its theme file ----------------------------


@dataclass(frozen=True)
class ThemePlace:
    """Where a theme is written: its file, that file's document, and the theme's place in it."""

    file: Path
    doc: Document
    base: tuple[str | int, ...]  # () for a theme file; ("themes", i) for an inline theme


def _theme_places(framework: Framework) -> dict[str, ThemePlace]:
    """Theme id -> where the theme is written, as `validate` locates its diagnostics.

    The framework has just been checked, so every file reads; should one not
    (it changed meanwhile), that theme's flags point at the framework file.
    """
    from lpc_assess.inputs.documents import display_path, load_document

    places: dict[str, ThemePlace] = {}
    source = framework.source
    if source is None:
        return places
    try:
        doc = load_document(source, label=display_path(source))
    except InputError:
        return places
    entries = doc.data.get("themes")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            places[entry["id"]] = ThemePlace(source, doc, ("themes", i))
        elif isinstance(entry, str):
            file = source.parent / entry
            try:
                theme_doc = load_document(file, label=display_path(file))
            except InputError:
                continue
            if isinstance(theme_doc.data.get("id"), str):
                places[theme_doc.data["id"]] = ThemePlace(file, theme_doc, ())
    return places


def _annotations(
    framework: Framework, flags: list[list[Flag]], places: dict[str, ThemePlace]
) -> list[Diagnostic]:
    """Every flag as a warning at its indicator's line (or its theme's id line)."""
    from lpc_assess.inputs.documents import display_path

    fallback = display_path(framework.source) if framework.source else framework.id
    out: list[Diagnostic] = []
    for theme, theme_flags in zip(framework.themes, flags, strict=True):
        place = places.get(theme.id)
        index = {indicator.id: j for j, indicator in enumerate(theme.indicators)}
        for flag in theme_flags:
            loc: tuple[str | int, ...]
            if flag.indicator is None:
                about, loc = f"theme {theme.id!r}", ("id",)
            else:
                about, loc = f"indicator {flag.indicator!r}", ("indicators", index[flag.indicator])
            message = f"{about}: {flag.message}"
            if place is None:
                out.append(Diagnostic(fallback, None, None, "warning", flag.code, message))
            else:
                out.append(place.doc.warning((*place.base, *loc), flag.code, message))
    return out
