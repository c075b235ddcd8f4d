"""A 360 group merged or left out is said on the terminal, in the summary and at the top
of the subject's report: the harshest raters are never dropped without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli

TEAM = DATA / "360" / "team"  # Sam: a manager, three peers, one direct report


@pytest.mark.parametrize(
    ("min_raters", "merged", "left_out", "line"),
    [
        (3, [], ["direct-report"], "direct reports had fewer than 3 raters even counted with"),
        (4, ["peer", "direct-report"], [], "peers, direct reports had fewer than 4 raters"),
        (9, [], ["peer", "direct-report"], "left out of every report"),
    ],
)
def test_merged_and_left_out_groups_are_said_everywhere(
    tmp_path: Path, min_raters: int, merged: list[str], left_out: list[str], line: str
) -> None:
    out, summary = tmp_path / "out", tmp_path / "s.json"
    result = run_cli(
        "batch", str(TEAM), "--min-raters", str(min_raters), "--out-dir", str(out),
        "--format", "md", "--summary", str(summary),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    said = [x for x in result.stderr.splitlines() if x.startswith("360 Sam Jones (sam): ")]
    assert any(line in x for x in said), said
    (subject,) = json.loads(summary.read_text(encoding="utf-8"))["subjects"]
    assert (subject["merged"], subject["left_out"]) == (merged, left_out)
    report = (out / "sam-360.md").read_text(encoding="utf-8")
    top = report.split("## Your view and others' view")[0]  # before the first table
    if merged:
        assert "counted with all others, not shown as a group of their own" in top
    if left_out:
        assert "left out of this report" in top
    if left_out:
        team = (out / "team.md").read_text(encoding="utf-8")
        assert "left out (too few raters)" in team
