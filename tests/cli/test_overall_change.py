"""--compare shows the overall change too, between two complete self-checks only."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from lpc_assess.reports.templates import change_text
from tests.conftest import DATA, run_cli

ALEX = DATA / "answers" / "alex.yaml"


def test_the_overall_row_shows_the_change(tmp_path: Path) -> None:
    data = yaml.safe_load(ALEX.read_text(encoding="utf-8"))
    for indicator in list(data["answers"])[:8]:
        value = data["answers"][indicator]
        data["answers"][indicator] = 1 if value is None else max(1, value - 2)
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(yaml.safe_dump(data), encoding="utf-8")
    now = json.loads(run_cli("report", str(ALEX), "--format", "json").stdout)
    then = json.loads(run_cli("report", str(earlier), "--format", "json").stdout)
    assert now["overall"]["complete"] and then["overall"]["complete"]
    expected = change_text(now["overall"]["percent"] - then["overall"]["percent"])
    assert expected.startswith("+")  # lower answers earlier: a rise
    result = run_cli("report", str(ALEX), "--compare", str(earlier), "--format", "md")
    row = next(line for line in result.stdout.splitlines() if line.startswith("| **Overall**"))
    cells = [cell.strip() for cell in row.split("|")[1:-1]]
    earlier_text = f"{then['overall']['percent']:.1f}%"
    assert cells[-2:] == [earlier_text, expected.replace("+", "\\+")] or cells[-2:] == [
        earlier_text,
        expected,
    ]
