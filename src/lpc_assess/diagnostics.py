"""Diagnostics are values: a problem found in an input, and its renderers.

The same `Diagnostic` serves framework files, answers files and CSV rows;
text, JSON and GitHub-annotation output are three views of one list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
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

    @property
    def where(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def as_error(self) -> Diagnostic:
        return Diagnostic(self.path, self.line, self.col, "error", self.code, self.message)

    def text(self) -> str:
        return f"{self.where}: {self.severity}[{self.code}]: {self.message}"


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
    return json.dumps([asdict(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


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
