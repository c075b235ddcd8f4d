"""The team report's Data checks: everything in the inputs that was not used as given.

Nothing a coach gives the tool is lost quietly (docs/reports.md, "Data
checks"): each rejected file or row, each statement without a column, each
column that was not read, and each 360 rater group merged into another or
left out is listed here, as it is on the terminal and in the summary. In an
anonymised report a rejected row is named by its source, row and column only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lpc_assess.diagnostics import Diagnostic

LISTED = 200  # problems listed in the report; the rest are counted (all are in the summary)


def data_checks_context(
    problems: Sequence[Diagnostic],
    omitted: int,
    ignored: Sequence[Mapping[str, Any]],
    subjects: Sequence[Mapping[str, Any]],
    *,
    anonymised: bool,
    names: Mapping[tuple[str, int], str] | None = None,
) -> dict[str, Any]:
    """Plain data for `_data_checks.*.j2`: rejected inputs and rows, missing and ignored
    columns, and 360 groups merged or left out."""
    from lpc_assess.reports.templates import clean_text

    missing = [p for p in problems if p.code == "missing-column"]
    others = [p for p in problems if p.code != "missing-column"]
    rows = []
    for index, problem in enumerate(others[:LISTED]):
        source = problem.path
        if anonymised and problem.row is None:
            source = f"input {index + 1}"  # an answers file is often named after its person
        where = []
        if problem.row is not None:
            where.append(f"row {problem.row}")
        elif problem.line is not None:
            where.append(f"line {problem.line}")
        if problem.column:
            where.append(f"column “{clean_text(problem.column)}”")
        name = (names or {}).get((problem.path, problem.row)) if problem.row else None
        if name and not anonymised:
            where.insert(0, clean_text(name))
        rows.append(
            {
                "source": clean_text(source),
                "where": ", ".join(where),
                "severity": problem.severity,
                "code": problem.code,
                "message": clean_text(problem.message),
            }
        )
    groups = []
    for subject in subjects:
        merged = list(subject.get("merged") or [])
        left_out = list(subject.get("left_out") or [])
        if merged or left_out:
            groups.append(
                {
                    "subject": clean_text(str(subject.get("label") or subject.get("id") or "")),
                    "merged": merged,
                    "left_out": left_out,
                }
            )
    return {
        "rows": rows,
        "omitted": max(0, len(others) - LISTED) + omitted,
        "missing": [
            {"source": clean_text(p.path), "severity": p.severity, "message": clean_text(p.message)}
            for p in missing
        ],
        "ignored": [
            {
                "source": clean_text(str(i["source"])),
                "columns": [clean_text(c) for c in i["columns"]],
            }
            for i in ignored
        ],
        "groups": groups,
        "clean": not (rows or missing or ignored or groups or omitted),
    }
