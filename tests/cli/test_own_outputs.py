"""A scores file or summary from an earlier run, left in the folder, is skipped with a line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import DATA, run_cli


def test_an_earlier_runs_outputs_are_skipped_not_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    shutil.copytree(DATA / "batch" / "team", folder)
    first = run_cli(
        "batch", str(folder), "--scores", str(folder / "scores.csv"),
        "--summary", str(folder / "summary.json"),
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    again = tmp_path / "again.json"
    second = run_cli("batch", str(folder), "--summary", str(again))
    assert second.returncode == 0, second.stderr
    assert (
        f"{folder / 'scores.csv'}: skipped: it is a scores file (batch --scores) written by "
        "lpc-assess, not answers" in second.stderr
    )
    assert f"{folder / 'summary.json'}: skipped: it is a batch summary" in second.stderr
    data = json.loads(again.read_text(encoding="utf-8"))
    assert (data["responses"], data["rejected"], data["errors"]) == (4, 0, [])


def test_an_answers_file_and_an_export_are_not_taken_for_outputs(tmp_path: Path) -> None:
    result = run_cli(
        "batch", str(DATA / "answers" / "alex.json"), str(DATA / "csv" / "google-forms.csv")
    )
    assert "skipped" not in result.stderr
