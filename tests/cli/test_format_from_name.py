"""The output's file name chooses the format; a name and a --format that disagree are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli

ALEX = DATA / "answers" / "alex.yaml"
PILOT = DATA / "analyse" / "pilot"


@pytest.mark.parametrize(
    ("name", "starts"),
    [("me.html", "<!DOCTYPE html>"), ("me.md", "# "), ("me.json", "{"), ("me.txt", "# ")],
)
def test_report_format_follows_the_output_name(tmp_path: Path, name: str, starts: str) -> None:
    out = tmp_path / name
    result = run_cli("report", str(ALEX), "--output", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith(starts)
    if name.endswith(".json"):
        assert json.loads(text)["respondent"]["id"] == "alex-smith"


@pytest.mark.parametrize("command", ["report", "analyse"])
def test_a_name_and_a_format_that_disagree_are_a_usage_error(tmp_path: Path, command: str) -> None:
    out = tmp_path / "me.html"
    given = {
        "report": [str(ALEX)],
        "analyse": [str(PILOT / "pilot.csv"), "--framework", str(PILOT)],
    }[command]
    result = run_cli(command, *given, "--format", "md", "--output", str(out))
    assert result.returncode == 2
    assert "ends in .html but --format is md: give --format html" in result.stderr
    assert not out.exists()


def test_an_explicit_format_with_an_agreeing_or_plain_name_works(tmp_path: Path) -> None:
    for name in ("r.html", "r.report"):
        out = tmp_path / name
        result = run_cli("report", str(ALEX), "--format", "html", "--output", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
