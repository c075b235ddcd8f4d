"""Statements without a column in an export: one `missing-column` diagnostic each.

An error that keeps the file from being scored, or with `--allow-missing` a
warning (docs/answers-and-imports.md, "Nothing is lost quietly"). Each names
the closest unused header, so that a typo or a reworded form question shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lpc_assess.diagnostics import Diagnostic, quote_cell

if TYPE_CHECKING:
    from lpc_assess.inputs.columns import _Columns
    from lpc_assess.model.framework import Framework


def _closest_column(statement: str, unused: list[str]) -> str | None:
    """The unused header most like `statement` (a typo, a reworded form), if any is close."""
    import difflib

    from lpc_assess.inputs.columns import normalise_header

    wanted = normalise_header(statement)
    best, score = None, 0.75  # below this, a header is about something else
    for header in unused:
        ratio = difflib.SequenceMatcher(None, wanted, normalise_header(header)).ratio()
        if ratio > score:
            best, score = header, ratio
    return best


def missing_columns(
    framework: Framework, columns: _Columns, source: str, allow_missing: bool
) -> list[Diagnostic]:
    """One `missing-column` per statement with no column: an error, or with `--allow-missing` a
    warning (the statement then counts as unanswered in every row)."""
    out = []
    for indicator in framework.indicators:
        if indicator.id not in columns.missing:
            continue
        statement = indicator.statement
        if len(statement) > 80:
            statement = statement[:77] + "..."
        named = f"no column for statement {indicator.id!r} ({quote_cell(statement)})"
        near = _closest_column(indicator.statement, columns.ignored)
        if near is not None:
            shown = near if len(near) <= 80 else near[:77] + "..."
            named += f"; the closest unused column is {quote_cell(shown)}"
        if allow_missing:
            out.append(
                Diagnostic(
                    source,
                    None,
                    None,
                    "warning",
                    "missing-column",
                    f"{named}: counted as unanswered in every row (--allow-missing)",
                )
            )
        else:
            out.append(
                Diagnostic(
                    source,
                    None,
                    None,
                    "error",
                    "missing-column",
                    f"{named}, so this file was not scored: correct the header, name the "
                    "column with --map, or give --allow-missing to score without it",
                )
            )
    return out
