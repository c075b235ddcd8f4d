"""What a 360 report says about privacy, and about a missing self-assessment, is true."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli

TEAM = DATA / "360" / "team"


def subject_report(
    tmp_path: Path, *, keep_self: bool, fmt: str, min_raters: int = 3, manager: bool = True
) -> str:
    folder = tmp_path / "in"
    shutil.copytree(TEAM, folder)
    if not keep_self:
        (folder / "sam-self.yaml").unlink()
    if not manager:  # a manager is shown even alone; without one, nothing is shown here
        (folder / "r-manager.yaml").unlink()
    out = tmp_path / "out"
    result = run_cli(
        "batch", str(folder), "--out-dir", str(out), "--format", fmt,
        "--min-raters", str(min_raters),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return (out / f"sam-360.{fmt}").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_group_of_one_is_said_to_be_readable_as_that_person(tmp_path: Path, fmt: str) -> None:
    text = subject_report(tmp_path, keep_self=True, fmt=fmt)
    assert "manager (1)" in text
    assert "neither can anyone else" not in text
    assert "Where a group is one person (manager), their answers are shown as theirs" in text
    assert "In the other groups, answers are shown only as averages of at least 3 people." in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_self_assessment_is_never_said_to_be_below(tmp_path: Path, fmt: str) -> None:
    text = subject_report(tmp_path, keep_self=False, fmt=fmt, min_raters=9, manager=False)
    assert "not enough feedback from others to show yet" in text
    assert "self-assessment is below" not in text
    with_self = subject_report(tmp_path / "b", keep_self=True, fmt=fmt, min_raters=9, manager=False)
    assert "Your own self-assessment is below." in with_self
