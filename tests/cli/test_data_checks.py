"""Nothing is lost quietly: what was not used is in the summary and the team report.

A rejected row, a statement without a column (--allow-missing), a column that was
not read: each is listed on the terminal, in the summary (`errors` with severity
and code, `ignored_columns`) and in the team report's Data checks section.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli

FORMS = DATA / "csv" / "ms-forms.csv"
TEAM = DATA / "batch" / "team"


def without_column(tmp_path: Path, index: int) -> tuple[Path, str]:
    """ms-forms.csv without its `index`-th column; the header of that column."""
    with FORMS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    dropped = rows[0][index]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([r[:index] + r[index + 1 :] for r in rows])
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, dropped


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_loss_is_in_the_summary_and_the_data_checks(tmp_path: Path, fmt: str) -> None:
    export, dropped = without_column(tmp_path, 8)
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    result = run_cli(
        "batch", str(export), "--allow-missing", "--out-dir", str(out), "--format", fmt,
        "--summary", str(summary),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # row 4 is rejected
    data = json.loads(summary.read_text(encoding="utf-8"))
    codes = [(e["severity"], e["code"], e["row"]) for e in data["errors"]]
    assert ("error", "not-an-answer", 4) in codes
    assert ("warning", "missing-column", None) in codes
    # ID and Name are read (as the id and name); the metadata and the comment are not.
    assert data["ignored_columns"] == [
        {
            "source": str(export),
            "columns": [
                "Start time",
                "Completion time",
                "Email",
                "Last modified time",
                "Anything else you want to tell us?",
            ],
        }
    ]
    report = (out / f"team.{fmt}").read_text(encoding="utf-8")
    assert "Data checks" in report
    assert "not-an-answer" in report and "row 4" in report
    assert "Chris O" in report[report.rindex("Data checks") :]  # the rejected row's person
    assert "Statements without a column" in report
    assert "Columns not read" in report and "Email" in report
    # The statement that had no column is named in the report.
    statement = next(e["message"] for e in data["errors"] if e["code"] == "missing-column")
    assert statement.split("(")[0].strip()[:20] in report.replace("\\", "")


def test_a_clean_batch_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("batch", str(TEAM), "--out-dir", str(out), "--format", "md")
    assert result.returncode == 0, result.stderr
    report = (out / "team.md").read_text(encoding="utf-8")
    assert "## Data checks" in report
    assert "Every input was read in full" in report


def test_anonymised_data_checks_quote_no_cell(tmp_path: Path) -> None:
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    result = run_cli(
        "batch", str(FORMS), "--anonymise", "--out-dir", str(out), "--format", "md",
        "--summary", str(summary),
    )  # fmt: skip
    assert result.returncode == 1
    report = (out / "team.md").read_text(encoding="utf-8")
    text = report + summary.read_text(encoding="utf-8") + result.stderr
    assert "Somtimes" not in text  # the cell's text, a typo here, could be a name
    assert "Neil" not in report  # nor the rejected row's person
    assert "[cell text hidden]" in report.replace("\\", "")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_overall_mean_over_incomplete_scores_says_so(tmp_path: Path, fmt: str) -> None:
    """Gil Ross (row 8 of the export) answered one theme only: his overall is incomplete."""
    out = tmp_path / "out"
    result = run_cli(
        "batch", str(TEAM), str(FORMS), "--out-dir", str(out), "--format", fmt
    )  # fmt: skip
    assert result.returncode == 1  # row 4 of the export
    report = (out / f"team.{fmt}").read_text(encoding="utf-8")
    assert "1 of these overall scores leaves out a theme that had too few answers" in report
    clean = tmp_path / "clean"
    run_cli("batch", str(TEAM), "--out-dir", str(clean), "--format", fmt)
    assert "overall scores leave" not in (clean / f"team.{fmt}").read_text(encoding="utf-8")
    assert "overall scores leaves" not in (clean / f"team.{fmt}").read_text(encoding="utf-8")


def test_a_missing_column_names_the_closest_unused_header(tmp_path: Path) -> None:
    with FORMS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    typo = rows[0][7].replace("notice", "notise")
    rows[0][7] = typo
    export = tmp_path / "typo.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = run_cli("batch", str(export))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert "error[missing-column]: no column for statement 'notices-own-assumptions'" in first
    assert f'the closest unused column is "{typo[:77]}..."' in first
    # A header about something else is not offered.
    assert 'closest unused column is "Email' not in result.stderr
