"""The team summary: its JSON file, and its rows as a plain-text table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from lpc_assess.scoring.rounding import round_half_up
from lpc_assess.writers.files import atomic_write

if TYPE_CHECKING:
    from lpc_assess.scoring.team import TeamSummary


def summary_text(summary: TeamSummary) -> str:
    """The `--summary` JSON document (docs/scoring.md), numbers unrounded."""
    return json.dumps(summary.to_json(), indent=2, ensure_ascii=False) + "\n"


def write_summary(path: Path, summary: TeamSummary) -> None:
    atomic_write(path, summary_text(summary))


def _fixed(value: float | None, digits: int = 2) -> str:
    """Rounded half up, as the reports round (56.25 -> 56.3), with `digits` decimals."""
    return "-" if value is None else str(round_half_up(value, digits))


def summary_rows(summary: TeamSummary) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the team summary table (rounded for reading)."""
    header = ["theme", "n", "mean", "sd", "median", "min", "max", "percent", "alpha"]
    rows = []
    for stats in summary.themes():
        rows.append(
            [
                stats.title,
                str(stats.n),
                _fixed(stats.mean),
                _fixed(stats.sd),
                _fixed(stats.median),
                _fixed(stats.min),
                _fixed(stats.max),
                _fixed(stats.percent, 1),
                _fixed(stats.alpha),
            ]
        )
    overall = summary.overall_percent
    rows.append(["Overall", str(summary.overall_n), "", "", "", "", "", _fixed(overall, 1), ""])
    return header, rows


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns aligned with spaces: for pipes, files and screen readers."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)]) + "\n"
