"""The same person twice, and ids that number rows: said, never counted silently."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from tests.conftest import DATA, run_cli

FORMS = DATA / "csv" / "ms-forms.csv"
RATERS = DATA / "360" / "raters.csv"
SHOWN = "tests/data/csv/ms-forms.csv"  # as given, relative to the folder the run is in


def test_the_same_export_twice_warns_for_every_person(tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    shutil.copy(FORMS, copy)
    result = run_cli("batch", str(FORMS), str(copy))
    lines = [x for x in result.stderr.splitlines() if "warning[duplicate-person]" in x]
    # Six people in the export (row 4 is rejected in both, so it is no one's duplicate).
    assert len(lines) == 6
    assert lines[0] == (
        f"{copy}: row 2: warning[duplicate-person]: the same name as in {SHOWN}: both are "
        "counted; if they are one person, remove one of the two"
    )
    assert "scored 12 response(s) from 2 input(s); 2 rejected" in result.stderr


def test_one_name_twice_within_one_export_is_two_people(tmp_path: Path) -> None:
    """A large team has two Sarah Smiths: rows of one export are not compared by name."""
    lines = FORMS.read_text(encoding="utf-8-sig").splitlines()
    twice = tmp_path / "twice.csv"
    twice.write_text("\n".join([*lines, lines[1].replace("1,", "99,", 1)]) + "\n", "utf-8")
    result = run_cli("batch", str(twice))
    assert "duplicate-person" not in result.stderr
    assert "scored 7 response(s)" in result.stderr


def test_different_people_give_no_warning() -> None:
    result = run_cli("batch", str(DATA / "batch" / "team"))
    assert result.returncode == 0
    assert "duplicate-person" not in result.stderr


def forms_numbered(tmp_path: Path) -> Path:
    """raters.csv as Microsoft Forms gives it: the ID column numbers the responses."""
    with RATERS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    for number, row in enumerate(rows[1:], start=1):
        row[0] = str(number)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "forms-360.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_numbered_rater_ids_are_warned_about(tmp_path: Path) -> None:
    export = forms_numbered(tmp_path)
    result = run_cli(
        "batch", str(export), "--subject-column", "Who is this feedback about?",
        "--relationship-column", "Your relationship to them",
    )  # fmt: skip
    assert (
        f"{export}: warning[numbered-ids]: the rater ids run 1, 2, 3... down the rows"
        in result.stderr
    )
    plain = run_cli(
        "batch", str(RATERS), "--subject-column", "Who is this feedback about?",
        "--relationship-column", "Your relationship to them",
    )  # fmt: skip
    assert "numbered-ids" not in plain.stderr
