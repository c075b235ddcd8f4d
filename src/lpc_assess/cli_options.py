"""The options, choices and help style of the command line, shared by `cli.py`'s commands.

Typer reads options from annotations: each `...Option` here is one option as
every command that takes it spells it (flag, metavar, help, check), and each
`Enum` is the list of values a `--format` or `--match` accepts. Only typer and
the standard library are imported (start-up speed: see `cli.py`).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer.models import CommandFunctionType


class HelpfulCommand(TyperCommand):
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


class HelpfulApp(typer.Typer):
    """A Typer app whose commands are `HelpfulCommand`s."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or HelpfulCommand, **kwargs)


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
    pdf = "pdf"


class DocumentFormat(str, Enum):
    md = "md"
    html = "html"
    pdf = "pdf"


def _text_encoding(value: str) -> str:
    """--encoding must name a text encoding: `rot13` or `base64` are usage errors."""
    from lpc_assess.inputs.options import text_encoding

    try:
        return text_encoding(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


# The spreadsheet options of every command that reads responses (batch, progress).
EncodingOption = Annotated[
    str,
    typer.Option(
        "--encoding",
        metavar="ENCODING",
        help="Encoding of CSV files.",
        callback=_text_encoding,
    ),
]
MapOption = Annotated[
    Path | None,
    typer.Option("--map", metavar="FILE", help="YAML mapping of CSV header -> indicator id."),
]
IdColumnOption = Annotated[
    str | None,
    typer.Option("--id-column", metavar="COLUMN", help="CSV column of respondent ids."),
]
NameColumnOption = Annotated[
    str | None,
    typer.Option("--name-column", metavar="COLUMN", help="CSV column of names."),
]
SubjectColumnOption = Annotated[
    str | None,
    typer.Option("--subject-column", metavar="COLUMN", help="CSV column naming the 360 subject."),
]
RelationshipColumnOption = Annotated[
    str | None,
    typer.Option(
        "--relationship-column",
        metavar="COLUMN",
        help="CSV column of the rater's relationship.",
    ),
]


SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="SHEET",
        help="Workbook sheet to read, by name or number (default: the first).",
    ),
]


AllowMissingOption = Annotated[
    bool,
    typer.Option(
        "--allow-missing",
        help="Score an export that has no column for some statements (they count as unanswered).",
    ),
]


def at_least_one(value: int) -> int:
    # A check of our own rather than `min=1`, whose help reads "[x>=1]".
    if value < 1:
        raise typer.BadParameter(f"must be 1 or more, not {value}")
    return value


class AnalysisFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    github = "github"


class MatchKey(str, Enum):
    id = "id"
    email = "email"
    name = "name"


class ProgressFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    pdf = "pdf"


ReportFormatOption = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        metavar="md|html|json|pdf",
        help="md, html, json or pdf (pdf needs the pdf extra). "
        "Default: from the --output name (.html, .json, .pdf), else md.",
    ),
]

AnalysisFormatOption = Annotated[
    AnalysisFormat | None,
    typer.Option(
        "--format",
        metavar="md|html|json|github",
        help="md, html, json, or github (the flags as annotations on the theme files). "
        "Default: from the --output name, else md.",
    ),
]

ProgressFormatOption = Annotated[
    ProgressFormat | None,
    typer.Option(
        "--format",
        metavar="md|html|json|pdf",
        help="md, html, json or pdf. Default: from the --output name, else md.",
    ),
]


SUFFIX_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".pdf": "pdf",
}


def format_for(given: Enum | None, output: Path | None, choices: type[Enum]) -> str:
    """The output format: --format, else what the --output name says, else md.

    `report me.yaml -o me.html` writes HTML. A name that says one format and a
    --format that says another (`-o me.html --format md`) is a usage error.
    """
    named = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    allowed = {choice.value for choice in choices}
    if given is None:
        return named if named is not None and named in allowed else "md"
    if named is not None and named != given.value and output is not None:
        raise typer.BadParameter(
            f"{output} ends in {output.suffix} but --format is {given.value}: "
            f"give --format {named}, or another file name",
            param_hint="'--output'",
        )
    return str(given.value)
