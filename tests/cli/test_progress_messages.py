"""progress hides what a cell held, never what the user needs to fix the run."""

from __future__ import annotations

from tests.conftest import DATA, run_cli

PROGRESS = DATA / "progress"


def test_a_wrong_framework_is_named() -> None:
    result = run_cli("progress", str(PROGRESS / "before"), str(PROGRESS / "after"))
    assert result.returncode == 1
    assert "[cell text hidden]" not in result.stderr
    assert "answers are for framework 'programme-check', not 'personalised-care'" in result.stderr


def test_unmatched_headers_are_shown() -> None:
    result = run_cli(
        "progress", str(PROGRESS / "forms-before.csv"), str(PROGRESS / "forms-after.csv")
    )
    assert result.returncode == 1
    assert "[cell text hidden]" not in result.stderr
    assert "personalised-care" in result.stderr
