"""The command line: options in, calls out, exit codes back.

Only typer and the standard library are imported here at module level, so
that `--help`, `--version` and shell completion stay fast; each command
imports what it needs (pydantic, yaml, jinja2, rich) when it runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from lpc_assess import __version__
from lpc_assess.cli_options import (
    AllowMissingOption,
    AnalysisFormat,
    AnalysisFormatOption,
    BlankFormat,
    DiagnosticFormat,
    DocumentFormat,
    EncodingOption,
    FrameworkOption,
    HelpfulApp,
    IdColumnOption,
    MapOption,
    MatchKey,
    NameColumnOption,
    OutputFormat,
    ProgressFormat,
    ProgressFormatOption,
    RelationshipColumnOption,
    ReportFormat,
    ReportFormatOption,
    SchemaKind,
    SheetOption,
    SubjectColumnOption,
    at_least_one,
    format_for,
)
from lpc_assess.commands.result import CommandResult
from lpc_assess.writers.terminal import say, write_out

if TYPE_CHECKING:
    from lpc_assess.diagnostics import Diagnostic

# The tool uses no pydantic plugins; skipping their discovery saves ~10 ms
# on every command that loads a framework. A user's own setting wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


app = HelpfulApp(
    name="lpc-assess",
    help="Self-assessment for leadership in personalised care: take the self-check, "
    "score answers and teams, write development reports, and validate framework files.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: Rich is not imported for --help
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show(result: CommandResult, *, data: bool = False) -> NoReturn:
    """Print a command's result (messages on stderr, output on stdout) and exit with its code.

    `data`: the output is a report or a form, kept byte for byte when redirected.
    """
    for line in result.messages:
        say(line)
    write_out(result.output, data=data)
    raise typer.Exit(result.exit_code)


def _fail(diagnostics: list[Diagnostic], code: int = 1) -> NoReturn:
    _show(CommandResult(code, [d.text() for d in diagnostics]))


def _version(value: bool) -> None:
    if value:
        print(f"lpc-assess {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Self-assessment for leadership in personalised care."""


@app.command()
def frameworks() -> None:
    """List the built-in and local frameworks, one line each.

    Local frameworks are the folders under ./frameworks/ that hold a framework.yaml.
    """
    from lpc_assess.model.lookup import discover_frameworks

    found = discover_frameworks()
    if not found:
        say("no frameworks found")
        raise typer.Exit(1)
    width = max(len(f.id) for f in found)
    for info in found:
        write_out(
            f"{info.id:<{width}}  {info.version:<6} {info.title}  ({info.origin}: {info.where})\n"
        )


@app.command()
def show(
    framework: Annotated[
        str | None,
        typer.Argument(
            metavar="[FRAMEWORK]", help="Folder, framework.yaml or id. Default: personalised-care."
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", metavar="text|json", help="text (a tree) or json."),
    ] = OutputFormat.text,
) -> None:
    """Show a framework's themes and statements, as a tree or as JSON."""
    from lpc_assess.diagnostics import InputError
    from lpc_assess.model.lookup import load_framework

    try:
        loaded = load_framework(framework)
    except InputError as exc:
        _fail(exc.diagnostics)
    if fmt is OutputFormat.json:
        import json

        write_out(json.dumps(loaded.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    from lpc_assess.writers.terminal import framework_tree, stdout_console

    stdout_console().print(framework_tree(loaded))


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Framework folders, framework.yaml files, or folders holding "
            "framework folders. Default: ./frameworks",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[
        DiagnosticFormat | None,
        typer.Option(
            "--format",
            metavar="text|json|github",
            help="text, json or github (default: github under GitHub Actions, else text).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check framework files and report every problem.

    Each problem is shown with its file, line and column, and a stable code.
    """
    from lpc_assess.commands.validate import validate_paths
    from lpc_assess.diagnostics import RENDERERS, has_errors, promote_warnings

    if fmt is None:
        fmt = (
            DiagnosticFormat.github
            if os.environ.get("GITHUB_ACTIONS") == "true"
            else DiagnosticFormat.text
        )
    if not paths:
        if not Path("frameworks").is_dir():
            say("nothing to validate: give a framework folder or file (there is no ./frameworks)")
            raise typer.Exit(2)
        paths = [Path("frameworks")]
    checked, diagnostics = validate_paths(paths)
    if strict:
        diagnostics = promote_warnings(diagnostics)
    write_out(RENDERERS[fmt.value](diagnostics))
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    say(f"{checked} framework(s) checked: {errors} error(s), {warnings} warning(s)")
    raise typer.Exit(1 if has_errors(diagnostics) else 0)


@app.command()
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(metavar="KIND", help="framework, theme or answers.")
    ],
) -> None:
    """Print the JSON Schema of a file format (draft-07).

    Editors use it to check framework, theme and answers files as they are typed.
    """
    from lpc_assess.model.schema import schema_text

    sys.stdout.write(schema_text(kind.value))


@app.command()
def blank(
    fmt: Annotated[BlankFormat, typer.Option("--format", metavar="csv|yaml", help="csv or yaml.")],
    framework: FrameworkOption = None,
) -> None:
    """Print an empty answers template, as CSV or YAML.

    CSV: a header with one column per statement, then a row of the statements.
    YAML: an answers file to fill in.
    """
    from lpc_assess.commands.blank import blank_text
    from lpc_assess.diagnostics import InputError
    from lpc_assess.model.lookup import load_framework

    try:
        loaded = load_framework(framework)
    except InputError as exc:
        _fail(exc.diagnostics)
    write_out(blank_text(loaded, fmt.value), data=True)


@app.command()
def report(
    answers: Annotated[
        Path, typer.Argument(metavar="ANSWERS", help="An answers file (YAML or JSON).")
    ],
    framework: FrameworkOption = None,
    fmt: ReportFormatOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare", metavar="EARLIER_ANSWERS", help="An earlier answers file to compare with."
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="DIR",
            help="A folder of templates overriding the built-in ones by file name.",
        ),
    ] = None,
) -> None:
    """Score one answers file and write its development report."""
    from lpc_assess.commands.report import run_report

    result = run_report(
        answers=answers,
        framework=framework,
        fmt=format_for(fmt, output, ReportFormat),
        output=output,
        compare=compare,
        template=template,
    )
    _show(result, data=True)


@app.command()
def take(
    framework: FrameworkOption = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Answers file to write (and resume). Default: ./lpc-answers-YYYY-MM-DD.yaml",
        ),
    ] = None,
    report_path: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Where to write the report (.html or .md). Default: next to the answers, as HTML.",
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            metavar="FILE",
            help="The earlier self-check to follow up and compare with. Default: the newest "
            "completed lpc-answers-*.yaml next to the answers.",
        ),
    ] = None,
) -> None:
    """Take the self-check in the terminal.

    Every answer is saved at once; an unfinished answers file is resumed. A new
    self-check asks how the pledge of the last one went; after a pledge, a
    calendar reminder is written next to the answers.
    """
    from lpc_assess.commands.take import run_take

    raise typer.Exit(
        run_take(framework=framework, answers=answers, report=report_path, previous=previous)
    )


@app.command()
def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT...", help="Answers files, folders of them, and CSV exports."),
    ],
    framework: FrameworkOption = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            metavar="DIR",
            help="Write the team report and one report per person here.",
        ),
    ] = None,
    fmt: Annotated[
        DocumentFormat,
        typer.Option(
            "--format",
            metavar="md|html|pdf",
            help="Report format: md, html or pdf (pdf needs the pdf extra).",
        ),
    ] = DocumentFormat.html,
    summary: Annotated[
        Path | None,
        typer.Option("--summary", metavar="FILE.json", help="Write the team statistics as JSON."),
    ] = None,
    scores: Annotated[
        Path | None,
        typer.Option(
            "--scores", metavar="FILE", help="Write one row per response (.csv or .jsonl)."
        ),
    ] = None,
    min_raters: Annotated[
        int,
        typer.Option(
            "--min-raters",
            metavar="N",
            callback=at_least_one,
            help="Smallest 360 rater group that is shown (1 or more).",
        ),
    ] = 3,
    anonymise: Annotated[
        bool,
        typer.Option(
            "--anonymise", help="Replace names and ids by Respondent 1..N in every output."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and check everything; write nothing.")
    ] = False,
    encoding: EncodingOption = "utf-8",
    mapping: MapOption = None,
    id_column: IdColumnOption = None,
    name_column: NameColumnOption = None,
    subject_column: SubjectColumnOption = None,
    relationship_column: RelationshipColumnOption = None,
    sheet: SheetOption = None,
    allow_missing: AllowMissingOption = False,
) -> None:
    """Score a team from answers files, folders, CSV exports and Excel workbooks.

    One bad input never stops the rest; with no output option it prints the team table.
    """
    from lpc_assess.commands.batch import BatchOptions, run_batch

    options = BatchOptions(
        inputs=list(inputs),
        framework=framework,
        out_dir=out_dir,
        fmt=fmt.value,
        summary=summary,
        scores=scores,
        min_raters=min_raters,
        anonymise=anonymise,
        dry_run=dry_run,
        encoding=encoding,
        mapping=mapping,
        id_column=id_column,
        name_column=name_column,
        subject_column=subject_column,
        relationship_column=relationship_column,
        sheet=sheet,
        allow_missing=allow_missing,
    )
    from lpc_assess.writers.progress import progress_for
    from lpc_assess.writers.terminal import print_summary_table

    result = run_batch(options, progress_for)
    if result.table is not None:
        print_summary_table(result.table, sys.stdout)
    _show(result)


@app.command()
def analyse(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT...", help="Answers files, folders of them, and CSV exports."),
    ],
    framework: FrameworkOption = None,
    fmt: AnalysisFormatOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    encoding: EncodingOption = "utf-8",
    mapping: MapOption = None,
    id_column: IdColumnOption = None,
    name_column: NameColumnOption = None,
    subject_column: SubjectColumnOption = None,
    relationship_column: RelationshipColumnOption = None,
    sheet: SheetOption = None,
    allow_missing: AllowMissingOption = False,
) -> None:
    """Check how a framework's statements work, from a pilot's answers (as R's psych::alpha).

    Per theme: alpha, G6 and the other reliability figures; per statement: how it
    goes with the rest, alpha without it, and its answers; and flags saying what to
    rewrite. Self responses only.
    """
    from lpc_assess.commands.analyse import AnalyseOptions, run_analyse
    from lpc_assess.writers.progress import progress_for

    options = AnalyseOptions(
        inputs=list(inputs),
        framework=framework,
        fmt=format_for(fmt, output, AnalysisFormat),
        output=output,
        encoding=encoding,
        mapping=mapping,
        id_column=id_column,
        name_column=name_column,
        subject_column=subject_column,
        relationship_column=relationship_column,
        sheet=sheet,
        allow_missing=allow_missing,
    )
    _show(run_analyse(options, progress_for), data=True)


@app.command()
def progress(
    before: Annotated[
        Path,
        typer.Argument(
            metavar="BEFORE", help="The first round: an answers file, a folder, or an export."
        ),
    ],
    after: Annotated[
        Path,
        typer.Argument(
            metavar="AFTER", help="The second round: an answers file, a folder, or an export."
        ),
    ],
    framework: FrameworkOption = None,
    match: Annotated[
        MatchKey,
        typer.Option(
            "--match",
            metavar="id|email|name",
            help="How a person is found in both rounds (trimmed, any case): id, email or name.",
        ),
    ] = MatchKey.id,
    fmt: ProgressFormatOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write here instead of stdout (pdf needs it)."
        ),
    ] = None,
    encoding: EncodingOption = "utf-8",
    mapping: MapOption = None,
    id_column: IdColumnOption = None,
    name_column: NameColumnOption = None,
    subject_column: SubjectColumnOption = None,
    relationship_column: RelationshipColumnOption = None,
    sheet: SheetOption = None,
    allow_missing: AllowMissingOption = False,
) -> None:
    """Compare a cohort before and after a programme: what changed, with its uncertainty.

    People are matched across the two rounds; per theme and overall: the mean change
    with its 95% confidence interval, dz, how many improved, and Hedges' g for the
    cohorts. Self responses only; no names in the report.
    """
    from lpc_assess.commands.progress import ProgressOptions, run_progress
    from lpc_assess.writers.progress import progress_for

    options = ProgressOptions(
        before=before,
        after=after,
        framework=framework,
        match=match.value,
        fmt=format_for(fmt, output, ProgressFormat),
        output=output,
        encoding=encoding,
        mapping=mapping,
        id_column=id_column,
        name_column=name_column,
        subject_column=subject_column,
        relationship_column=relationship_column,
        sheet=sheet,
        allow_missing=allow_missing,
    )
    _show(run_progress(options, progress_for), data=True)


new_app = HelpfulApp(
    name="new",
    help="Create files to start from: a framework folder.",
    short_help="Create files to start from: a framework folder.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(new_app)


@new_app.command("framework")
def new_framework(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="The folder to create (new, or empty).")
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FRAMEWORK",
            help="Copy this framework (a folder, its framework.yaml, or an id) "
            "instead of writing a one-theme example.",
        ),
    ] = None,
) -> None:
    """Create a framework folder that passes validate --strict.

    A copy of --from (ids kept, title marked as a copy), or a minimal one-theme
    example. The JSON Schemas are written to DIR/schemas/, and each YAML file's
    $schema modeline points at them, so an editor checks the files as you type.
    """
    from lpc_assess.commands.new import new_framework as create

    made = create(folder, source)
    written = "".join(f"{path}\n" for path in made.written)
    _show(CommandResult(made.exit_code, made.messages, written))


INTERNAL_ERROR = "lpc-assess: internal error"


def main() -> None:
    """Console-script entry point.

    The commands turn every bad input into one-line diagnostics themselves;
    this is the last net, so that even a bug shows one line instead of a
    traceback (set LPC_DEBUG=1 to see the traceback).
    """
    try:
        app()
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last net; tests fail on this line
        if os.environ.get("LPC_DEBUG"):
            raise
        say(
            f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc} (please report this; "
            "LPC_DEBUG=1 shows the details)"
        )
        sys.exit(1)
