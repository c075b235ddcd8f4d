"""The command line: options in, calls out, exit codes back.

Only typer and the standard library are imported here at module level, so
that `--help`, `--version` and shell completion stay fast; each command
imports what it needs (pydantic, yaml, jinja2, rich) when it runs.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand

from lpc_assess import __version__
from lpc_assess.writers.terminal import say

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer.models import CommandFunctionType

    from lpc_assess.diagnostics import Diagnostic

# The tool uses no pydantic plugins; skipping their discovery saves ~10 ms
# on every command that loads a framework. A user's own setting wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


class _Command(TyperCommand):
    """Help that reads as people write it (tests/cli/test_help.py).

    The usage line names arguments plainly (`report ANSWERS`, where typer 0.28
    writes `{ANSWERS}` for a required one), and a command list shows each
    command's first paragraph whole, never cut with "..." at some width.
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return self.short_help
        return " ".join((self.help or "").split("\n\n")[0].split())


class _App(typer.Typer):
    """A Typer app whose commands are `_Command`s."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or _Command, **kwargs)


app = _App(
    name="lpc-assess",
    help="Self-assessment for leadership in personalised care: take the self-check, "
    "score answers and teams, write development reports, and validate framework files.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: Rich is not imported for --help
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FrameworkOption = Annotated[
    str | None,
    typer.Option(
        "--framework",
        "-f",
        metavar="FRAMEWORK",
        help="A framework folder, its framework.yaml, or an id under ./frameworks/ "
        "or among the built-ins. Default: personalised-care.",
    ),
]


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class DiagnosticFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class SchemaKind(str, Enum):
    framework = "framework"
    theme = "theme"
    answers = "answers"


class BlankFormat(str, Enum):
    csv = "csv"
    yaml = "yaml"


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


class DocumentFormat(str, Enum):
    md = "md"
    html = "html"


def _fail(diagnostics: list[Diagnostic], code: int = 1) -> NoReturn:
    for diagnostic in diagnostics:
        say(diagnostic.text())
    raise typer.Exit(code)


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
    from lpc_assess.model.framework import discover_frameworks

    found = discover_frameworks()
    if not found:
        say("no frameworks found")
        raise typer.Exit(1)
    width = max(len(f.id) for f in found)
    for info in found:
        print(f"{info.id:<{width}}  {info.version:<6} {info.title}  ({info.origin}: {info.where})")


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
    from lpc_assess.model.framework import load_framework

    try:
        loaded = load_framework(framework)
    except InputError as exc:
        _fail(exc.diagnostics)
    if fmt is OutputFormat.json:
        import json

        print(json.dumps(loaded.as_dict(), indent=2, ensure_ascii=False))
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
    sys.stdout.write(RENDERERS[fmt.value](diagnostics))
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
    from lpc_assess.model.framework import load_framework

    try:
        loaded = load_framework(framework)
    except InputError as exc:
        _fail(exc.diagnostics)
    sys.stdout.write(blank_text(loaded, fmt.value))


@app.command()
def report(
    answers: Annotated[
        Path, typer.Argument(metavar="ANSWERS", help="An answers file (YAML or JSON).")
    ],
    framework: FrameworkOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", metavar="md|html|json", help="md, html or json.")
    ] = ReportFormat.md,
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

    raise typer.Exit(
        run_report(
            answers=answers,
            framework=framework,
            fmt=fmt.value,
            output=output,
            compare=compare,
            template=template,
        )
    )


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
) -> None:
    """Take the self-check in the terminal.

    Every answer is saved at once; an unfinished answers file is resumed.
    """
    from lpc_assess.commands.take import run_take

    raise typer.Exit(run_take(framework=framework, answers=answers, report=report_path))


def _at_least_one(value: int) -> int:
    # A check of our own rather than `min=1`, whose help reads "[x>=1]".
    if value < 1:
        raise typer.BadParameter(f"must be 1 or more, not {value}")
    return value


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
        typer.Option("--format", metavar="md|html", help="Report format: md or html."),
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
            callback=_at_least_one,
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
    encoding: Annotated[
        str, typer.Option("--encoding", metavar="ENCODING", help="Encoding of CSV files.")
    ] = "utf-8",
    mapping: Annotated[
        Path | None,
        typer.Option("--map", metavar="FILE", help="YAML mapping of CSV header -> indicator id."),
    ] = None,
    id_column: Annotated[
        str | None,
        typer.Option("--id-column", metavar="COLUMN", help="CSV column of respondent ids."),
    ] = None,
    name_column: Annotated[
        str | None,
        typer.Option("--name-column", metavar="COLUMN", help="CSV column of names."),
    ] = None,
    subject_column: Annotated[
        str | None,
        typer.Option(
            "--subject-column", metavar="COLUMN", help="CSV column naming the 360 subject."
        ),
    ] = None,
    relationship_column: Annotated[
        str | None,
        typer.Option(
            "--relationship-column",
            metavar="COLUMN",
            help="CSV column of the rater's relationship.",
        ),
    ] = None,
) -> None:
    """Score a team from answers files, folders and CSV exports.

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
    )
    from lpc_assess.writers.progress import progress_for
    from lpc_assess.writers.terminal import print_summary_table

    result = run_batch(options, progress_for)
    sys.stdout.write(result.output)
    for line in result.messages:
        say(line)
    if result.table is not None:
        print_summary_table(result.table, sys.stdout)
    raise typer.Exit(result.exit_code)


new_app = _App(
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

    result = create(folder, source)
    for path in result.written:
        print(path)
    for line in result.messages:
        say(line)
    raise typer.Exit(result.exit_code)


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
