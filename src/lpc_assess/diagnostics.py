"""Diagnostics are values: every problem the tool reports, and its renderers.

One `Diagnostic` type serves framework files, answers files, spreadsheet rows
and outputs: a path, a line and column (documents) or a row and column header
(spreadsheets), a severity and a stable code. Text, JSON and GitHub-annotation
output are three views of one list; `summary_entry` is the batch summary's view.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one input, located as precisely as the input allows."""

    path: str
    line: int | None
    col: int | None
    severity: Severity
    code: str
    message: str
    row: int | None = None  # a spreadsheet row, numbered as the spreadsheet shows it
    column: str | None = None  # a spreadsheet column, by its header

    @property
    def where(self) -> str:
        if self.row is not None or self.column is not None:
            where = self.path
            if self.row is not None:
                where += f": row {self.row}"
            if self.column is not None:
                where += f", column {quote_cell(self.column)}"
            return where
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def as_error(self) -> Diagnostic:
        return replace(self, severity="error")

    def text(self) -> str:
        if self.row is not None or self.column is not None:
            if self.severity == "warning":  # a row left out says so; a row kept, why not
                return f"{self.where}: warning[{self.code}]: {self.message}"
            return f"{self.where}: {self.message}"
        return f"{self.where}: {self.severity}[{self.code}]: {self.message}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        for key in ("row", "column"):
            if data[key] is None:
                del data[key]
        return data


def row_problem(
    path: str, row: int | None, column: str | None, code: str, message: str
) -> Diagnostic:
    """A spreadsheet row (or a whole input, row None) that was left out: an error."""
    return Diagnostic(path, None, None, "error", code, message, row, column)


def quote_cell(text: str) -> str:
    """A cell's text as the terminal shows it: in double quotes, on one line."""
    return '"' + text.replace('"', '""').replace("\n", " ") + '"'


def summary_entry(d: Diagnostic) -> dict[str, object]:
    """The batch summary's `errors` entry for one diagnostic (docs/commands.md, batch)."""
    where = ""
    if d.row is None and d.column is None and d.line is not None:
        where = f"line {d.line}" + (f", column {d.col}" if d.col is not None else "") + ": "
    return {
        "source": d.path,
        "row": d.row,
        "column": d.column,
        "severity": d.severity,
        "code": d.code,
        "message": where + d.message,
    }


# A cell's text as messages quote it: "text" (quote_cell) or 'text' (repr).
_QUOTED = re.compile(r""""(?:[^"]|"")*"|'(?:[^'\\]|\\.)*'""")

HIDDEN = "[cell text hidden]"


def redacted(d: Diagnostic) -> Diagnostic:
    """`d` without any quoted text: an anonymised run never repeats what a cell held.

    Which row and column stays; what was in it (a name, an e-mail, a comment
    about someone) does not, in the summary or on screen.
    """
    return replace(d, message=_QUOTED.sub(HIDDEN, d.message))


class InputError(Exception):
    """Raised when an input cannot be used; carries its diagnostics."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(d.text() for d in self.diagnostics))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def promote_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning becomes an error."""
    return [d.as_error() for d in diagnostics]


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(d.text() + "\n" for d in diagnostics)


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def _github_escape(value: str, *, prop: bool) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        props = [f"file={_github_escape(d.path, prop=True)}"]
        if d.line is not None:
            props.append(f"line={d.line}")
        if d.col is not None:
            props.append(f"col={d.col}")
        props.append(f"title={_github_escape(d.code, prop=True)}")
        message = _github_escape(f"{d.code}: {d.message}", prop=False)
        lines.append(f"::{d.severity} {','.join(props)}::{message}\n")
    return "".join(lines)


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """` (did you mean 'x'?)` when a close choice exists, else ``."""
    import difflib

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
