"""progress hides what a cell held, never what the user needs to fix the run."""

from __future__ import annotations

from pathlib import Path

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


def test_the_output_never_replaces_a_framework_file(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "progress"
    shutil.copytree(PROGRESS, copy)
    main = copy / "framework" / "framework.yaml"
    before = main.read_bytes()
    result = run_cli(
        "progress", str(copy / "before"), str(copy / "after"), "--framework",
        str(copy / "framework"), "--format", "md", "--output", str(main),
    )  # fmt: skip
    assert result.returncode == 2
    assert f"--output {main}: is a framework file, which this command reads" in result.stderr
    assert main.read_bytes() == before
