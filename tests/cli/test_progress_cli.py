"""`lpc-assess progress` through the real command line, on answers folders and Forms exports.

Every figure is checked against an independent computation: the files are
read here with the yaml and csv modules, each person's percents worked out by
hand from the framework (keyed values, half a theme needed, weighted overall),
people matched by the rules of docs/programme-evaluation.md, and the figures
taken from scipy's paired t-test and numpy.

tests/data/progress holds a small framework of its own (two themes of weights
2 and 1, a reverse-keyed statement, two facets), a `before` and an `after`
folder of answers files (a duplicate id, ids differing in case and spaces, a
360 rating of someone else, a self rating, a theme left unscored on one
side, an e-mail missing, an answers file that is rejected), and two
Microsoft Forms exports of the same people (a duplicate e-mail, a row with
no e-mail, a row rejected).
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from scipy import stats
from typer.testing import CliRunner

from lpc_assess.cli import app
from tests.conftest import DATA, run_cli

runner = CliRunner()
HERE = DATA / "progress"
FRAMEWORK = HERE / "framework"
SPEC = yaml.safe_load((FRAMEWORK / "framework.yaml").read_text(encoding="utf-8"))
THEMES = [t["id"] for t in SPEC["themes"]]
FACETS = [f["id"] for f in SPEC["facets"]["items"]]
LABELS = {label.casefold(): int(v) for v, label in SPEC["scale"]["labels"].items()}
STATEMENTS = {i["statement"]: i["id"] for t in SPEC["themes"] for i in t["indicators"]}
NAMES = ["Ana Silva", "Ben Okafor", "Cara Jones", "Dev Patel", "Ema Novak", "Finn Lee"]
NAMES += ["Gus Moyo", "Pat Rater", "Hal Berg", "Ivy Ross"]


def progress(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["progress", *map(str, args)])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# --- the independent computation -------------------------------------------------------------

Percents = tuple[float | None, ...]


def percents(answers: dict[str, Any]) -> Percents:
    """(theme percents..., overall) by hand: keyed mean of the answered, half needed."""
    low, high = SPEC["scale"]["min"], SPEC["scale"]["max"]
    out: list[float | None] = []
    for theme in SPEC["themes"]:
        keyed = []
        for item in theme["indicators"]:
            value = answers.get(item["id"])
            if isinstance(value, int):
                keyed.append(low + high - value if item.get("reverse") else value)
        if keyed and len(keyed) / len(theme["indicators"]) >= SPEC["scoring"]["min_answered"]:
            out.append(100 * (sum(keyed) / len(keyed) - low) / (high - low))
        else:
            out.append(None)
    weights = [t.get("weight", 1) for t in SPEC["themes"]]
    scored = [(w, p) for w, p in zip(weights, out, strict=True) if p is not None]
    overall = sum(w * p for w, p in scored) / sum(w for w, _ in scored) if scored else None
    return (*out, overall)


def facet_percents(facets: dict[str, dict[str, int]] | None) -> Percents:
    low, high = SPEC["facets"]["scale"]["min"], SPEC["facets"]["scale"]["max"]
    given = facets or {}
    return tuple(
        None if (v := given.get(t, {}).get(f)) is None else 100 * (v - low) / (high - low)
        for t in THEMES
        for f in FACETS
    )


def key_of(value: object) -> str | None:
    text = str(value).strip().casefold() if value is not None else ""
    return text or None


def answers_side(folder: Path, match: str) -> tuple[dict[str, Any], list[Any]]:
    """Key -> (percents, facet percents) of one folder of answers files; and the unkeyed."""
    people: dict[str, Any] = {}
    unkeyed: list[Any] = []
    for path in sorted(folder.iterdir()):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        values = data["answers"]
        if any(isinstance(v, int) and not 1 <= v <= 5 for v in values.values()):
            continue  # rejected: an answer off the scale
        rater = data.get("rater")
        if rater and rater["relationship"] != "self":
            continue  # a 360 rating of someone else
        respondent = data.get("respondent", {})
        key = key_of(respondent.get(match))
        entry = (percents(values), facet_percents(data.get("facets")))
        if key is None:
            unkeyed.append(entry)
        else:
            people[key] = entry  # the later file wins
    return people, unkeyed


def forms_side(path: Path, match: str) -> tuple[dict[str, Any], list[Any]]:
    """The same for a Microsoft Forms export: labels to values, rows in order."""
    column = {"email": "Email", "name": "Name", "id": "ID"}[match]
    people: dict[str, Any] = {}
    unkeyed: list[Any] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            values: dict[str, Any] = {}
            bad = False
            for header, cell in row.items():
                if header in STATEMENTS and cell.strip() and cell != "Not applicable":
                    if cell.strip().casefold() not in LABELS:
                        bad = True
                    else:
                        values[STATEMENTS[header]] = LABELS[cell.strip().casefold()]
            if bad:
                continue
            key = key_of(row[column])
            entry = (percents(values), facet_percents(None))
            if key is None:
                unkeyed.append(entry)
            else:
                people[key] = entry
    return people, unkeyed


def expected(before: Any, after: Any, m: int, facet: bool = False) -> dict[str, Any]:
    """One measure's figures: numpy for the means, scipy's ttest_rel for the interval."""
    part = 1 if facet else 0
    (bp, bu), (ap, au) = before, after
    side_b = [e[part][m] for e in [*bp.values(), *bu] if e[part][m] is not None]
    side_a = [e[part][m] for e in [*ap.values(), *au] if e[part][m] is not None]
    pairs = [
        (bp[k][part][m], ap[k][part][m])
        for k in bp.keys() & ap.keys()
        if bp[k][part][m] is not None and ap[k][part][m] is not None
    ]
    b = np.array([x for x, _ in pairs])
    a = np.array([y for _, y in pairs])
    d = a - b
    out: dict[str, Any] = {
        "before_n": len(side_b),
        "before_mean": float(np.mean(side_b)) if side_b else None,
        "after_n": len(side_a),
        "after_mean": float(np.mean(side_a)) if side_a else None,
        "n": len(pairs),
        "before": float(b.mean()) if len(pairs) else None,
        "after": float(a.mean()) if len(pairs) else None,
        "change": float(d.mean()) if len(pairs) else None,
        "improved": int((d > 5 + 1e-9).sum()),
        "declined": int((d < -5 - 1e-9).sum()),
        "sd": None,
        "ci": None,
        "dz": None,
        "g": None,
    }
    out["same"] = len(pairs) - out["improved"] - out["declined"]
    if len(pairs) >= 2 and np.ptp(d) > 1e-9:
        interval = stats.ttest_rel(a, b).confidence_interval(0.95)
        out["sd"] = float(np.std(d, ddof=1))
        out["ci"] = [float(interval.low), float(interval.high)]
        out["dz"] = float(d.mean() / np.std(d, ddof=1))
    if len(side_b) >= 2 and len(side_a) >= 2:
        n1, n2 = len(side_b), len(side_a)
        pooled = math.sqrt(
            ((n1 - 1) * np.var(side_b, ddof=1) + (n2 - 1) * np.var(side_a, ddof=1)) / (n1 + n2 - 2)
        )
        if pooled > 0:
            j = 1 - 3 / (4 * (n1 + n2) - 9)
            out["g"] = j * (np.mean(side_a) - np.mean(side_b)) / pooled
    return out


def check(measure: dict[str, Any], want: dict[str, Any]) -> None:
    approx = {"rel": 1e-9, "abs": 1e-9}
    got = measure["matched"]
    for key in ("before_n", "after_n"):
        assert measure[key] == want[key], key
    for key in ("before_mean", "after_mean"):
        assert measure[key] == (None if want[key] is None else pytest.approx(want[key], **approx))
    for key in ("n", "improved", "same", "declined"):
        assert got[key] == want[key], key
    for key in ("before", "after", "change", "sd", "dz"):
        assert got[key] == (None if want[key] is None else pytest.approx(want[key], **approx)), key
    assert got["ci"] == (None if want["ci"] is None else pytest.approx(want["ci"], **approx))
    g = measure["cohort"]["g"]
    assert g == (None if want["g"] is None else pytest.approx(want["g"], **approx))


def check_all(data: dict[str, Any], before: Any, after: Any) -> None:
    assert [t["id"] for t in data["themes"]] == THEMES
    for m, theme in enumerate(data["themes"]):
        check(theme, expected(before, after, m))
    check(data["overall"], expected(before, after, len(THEMES)))
    assert "id" not in data["overall"]


# --- answers folders --------------------------------------------------------------------------


def test_answers_folders_matched_by_id(tmp_path: Path) -> None:
    code, out, err = progress(HERE / "before", HERE / "after", "-f", FRAMEWORK, "--format", "json")
    assert code == 1  # an answers file was rejected
    data = json.loads(out)
    before, after = answers_side(HERE / "before", "id"), answers_side(HERE / "after", "id")
    assert data["framework"] == {"id": "programme-check", "version": "1.0"}
    assert data["match"] == "id"
    # 9 files before, one of them a 360 rating of someone else; 8 after, one rejected.
    assert data["before"] == {"responses": 8, "rejected": 0}
    assert data["after"] == {"responses": 7, "rejected": 1}
    # Ana twice before (A-001, a-001: the later counts); Dev only before; Hal only after.
    assert (data["matched"], data["only_before"], data["only_after"]) == (6, 1, 1)
    assert len(before[0]) == 7 and len(after[0]) == 7
    check_all(data, before, after)
    # Ema's "sharing" is unscored before (one statement of three): 5 pairs, not 6.
    assert data["themes"][1]["matched"]["n"] == 5
    assert data["themes"][0]["matched"]["n"] == 6
    lines = err.splitlines()
    assert any(
        "07-ana-again.yaml: warning[duplicate-person]: the same id as "
        "tests/data/progress/before/01-ana.yaml" in line
        for line in lines
    ), err
    assert "before: left out 1 360 rating(s) of someone else" in err
    assert any("09-broken.json" in line and "answer-out-of-scale" in line for line in lines)
    assert lines[-1] == (
        "before: 8 response(s); after: 7 response(s), 1 rejected; "
        "6 matched by id, 1 only before, 1 only after"
    )
    codes = [(e["source"], e["code"], e["severity"]) for e in data["errors"]]
    assert ("before: input 7", "duplicate-person", "warning") in codes
    assert ("after: input 8", "answer-out-of-scale", "error") in codes
    # The JSON names the earlier file by its number, not by its (personal) file name.
    messages = {e["code"]: e["message"] for e in data["errors"]}
    assert messages["duplicate-person"] == (
        "the same id as before: input 1: this later response counts, the earlier one is left out"
    )


def test_the_later_of_two_responses_counts() -> None:
    code, out, _ = progress(HERE / "before", HERE / "after", "-f", FRAMEWORK, "--format", "json")
    data = json.loads(out)
    ana_first = percents(yaml.safe_load((HERE / "before/01-ana.yaml").read_text())["answers"])
    ana_later = percents(yaml.safe_load((HERE / "before/07-ana-again.yaml").read_text())["answers"])
    assert ana_first != ana_later
    # Swap which file comes later: the figures must follow the later one.
    before, after = answers_side(HERE / "before", "id"), answers_side(HERE / "after", "id")
    assert before[0]["a-001"][0] == ana_later
    check_all(data, before, after)


def test_facets_per_theme_and_facet() -> None:
    code, out, _ = progress(HERE / "before", HERE / "after", "-f", FRAMEWORK, "--format", "json")
    data = json.loads(out)
    before, after = answers_side(HERE / "before", "id"), answers_side(HERE / "after", "id")
    assert [t["id"] for t in data["facets"]["themes"]] == THEMES
    for t, theme in enumerate(data["facets"]["themes"]):
        assert [f["id"] for f in theme["facets"]] == FACETS
        for f, facet in enumerate(theme["facets"]):
            check(facet, expected(before, after, t * len(FACETS) + f, facet=True))
    # Ana, Ben and Cara answered Listening's facets both times; Cara no Sharing facet.
    assert data["facets"]["themes"][0]["facets"][0]["matched"]["n"] == 3
    assert data["facets"]["themes"][1]["facets"][0]["matched"]["n"] == 2


def test_facets_from_exports(tmp_path: Path) -> None:
    """Facet columns of an export (`Listening - Knowledge`, `sharing.will`, ...) count too."""
    import random

    rng = random.Random(4)
    facet_headers = {
        ("listening", "knowledge"): "Listening - Knowledge",
        ("listening", "will"): "listening.will",
        ("sharing", "knowledge"): "Sharing power: Knowledge",
        ("sharing", "will"): "sharing.will",
    }
    header = ["Email", *STATEMENTS, *facet_headers.values()]
    sides = {}
    for side in ("before", "after"):
        path = tmp_path / f"{side}.csv"
        people: dict[str, Any] = {}
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for n in range(12):
                values = [rng.randint(1, 5) for _ in STATEMENTS]
                facets = [rng.choice([None, 1, 2, 3, 4, 5]) for _ in facet_headers]
                writer.writerow(
                    [f"p{n}@example.org", *values, *("" if f is None else f for f in facets)]
                )
                given: dict[str, dict[str, int]] = {}
                for (theme, facet), value in zip(facet_headers, facets, strict=True):
                    if value is not None:
                        given.setdefault(theme, {})[facet] = value
                answers = dict(zip(STATEMENTS.values(), values, strict=True))
                people[f"p{n}@example.org"] = (percents(answers), facet_percents(given))
        sides[side] = (people, [])
    code, out, err = progress(
        tmp_path / "before.csv", tmp_path / "after.csv", "-f", FRAMEWORK,
        "--match", "email", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    check_all(data, sides["before"], sides["after"])
    for t, theme in enumerate(data["facets"]["themes"]):
        for f, facet in enumerate(theme["facets"]):
            check(facet, expected(sides["before"], sides["after"], t * len(FACETS) + f, facet=True))


def test_a_framework_without_facets_has_null_facets(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(FRAMEWORK, plain)
    text = (plain / "framework.yaml").read_text(encoding="utf-8")
    (plain / "framework.yaml").write_text(text[: text.index("facets:")], encoding="utf-8")
    before, after = tmp_path / "before", tmp_path / "after"
    for side in (before, after):
        side.mkdir()
        for path in (HERE / side.name).glob("0[1-3]*"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data.pop("facets", None)
            (side / f"{path.stem}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = progress(before, after, "-f", plain, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["facets"] is None
    check_all(data, answers_side(before, "id"), answers_side(after, "id"))


# --- Microsoft Forms exports --------------------------------------------------------------------


def test_forms_exports_matched_by_email() -> None:
    code, out, err = progress(
        HERE / "forms-before.csv",
        HERE / "forms-after.csv",
        "-f",
        FRAMEWORK,
        "--match",
        "email",
        "--format",
        "json",
    )
    assert code == 1  # a row was rejected
    data = json.loads(out)
    before = forms_side(HERE / "forms-before.csv", "email")
    after = forms_side(HERE / "forms-after.csv", "email")
    assert data["before"] == {"responses": 7, "rejected": 0}
    assert data["after"] == {"responses": 5, "rejected": 1}
    # ana (twice, the later row counts), ben, cara, ema; dev and the row without an e-mail
    # only before; hal only after.
    assert (data["matched"], data["only_before"], data["only_after"]) == (4, 2, 1)
    check_all(data, before, after)
    assert "forms-before.csv: row 7: warning[duplicate-person]: the same e-mail as row 2" in err
    assert "forms-before.csv: warning[no-match-key]: 1 response(s) have no e-mail" in err
    assert "forms-after.csv: row 7, column" in err
    entries = {(e["source"], e["row"], e["code"]) for e in data["errors"]}
    assert ("before: input 1", 7, "duplicate-person") in entries
    assert ("after: input 1", 7, "not-an-answer") in entries


def test_forms_ids_are_response_numbers_and_say_so() -> None:
    code, out, err = progress(HERE / "forms-before.csv", HERE / "forms-after.csv", "-f", FRAMEWORK)
    assert code == 1
    warning = "warning[numbered-ids]: the ids run 1, 2, 3... down the rows"
    assert err.count(warning) == 2
    assert "use --match email or name" in err


def test_answers_before_and_a_forms_export_after_matched_by_name() -> None:
    code, out, err = progress(
        HERE / "before",
        HERE / "forms-after.csv",
        "-f",
        FRAMEWORK,
        "--match",
        "name",
        "--format",
        "json",
    )
    data = json.loads(out)
    before = answers_side(HERE / "before", "name")
    after = forms_side(HERE / "forms-after.csv", "name")
    # Names: Ana (twice before), Ben, Cara, Ema matched; Dev, Finn, Gus only before; Hal after.
    assert (data["matched"], data["only_before"], data["only_after"]) == (4, 3, 1)
    check_all(data, before, after)
    assert "6 matched" not in err and "4 matched by name" in err


def test_answers_before_and_a_forms_export_after_matched_by_email() -> None:
    code, out, err = progress(
        HERE / "before",
        HERE / "forms-after.csv",
        "-f",
        FRAMEWORK,
        "--match",
        "email",
        "--format",
        "json",
    )
    data = json.loads(out)
    before = answers_side(HERE / "before", "email")
    after = forms_side(HERE / "forms-after.csv", "email")
    assert len(before[1]) == 1  # Finn has no e-mail before: counted, not matched
    assert (data["matched"], data["only_before"], data["only_after"]) == (4, 3, 1)
    check_all(data, before, after)
    assert "06-finn.yaml: warning[no-match-key]: 1 response(s) have no e-mail" in err


def test_an_export_without_an_email_column(tmp_path: Path) -> None:
    export = tmp_path / "no-email.csv"
    with (HERE / "forms-before.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [[c for i, c in enumerate(r) if i != 3] for r in csv.reader(handle)]
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, out, err = progress(export, HERE / "forms-after.csv", "-f", FRAMEWORK, "--match", "email")
    assert code == 1
    assert (
        "no-email.csv: error[no-email-column]: no e-mail column (looked for Email or "
        "Email address or E-mail or E-mail address); name it with --id-column" in err
    )
    assert "nothing to compare: no usable self response on the before side" in err
    # --id-column names the key column when it has another header.
    renamed = tmp_path / "renamed.csv"
    text = (HERE / "forms-before.csv").read_text(encoding="utf-8-sig")
    renamed.write_text(text.replace(",Email,", ",Work e-mail,", 1), encoding="utf-8")
    code, out, err = progress(
        renamed,
        HERE / "forms-after.csv",
        "-f",
        FRAMEWORK,
        "--match",
        "email",
        "--id-column",
        "Work e-mail",
        "--format",
        "json",
    )
    assert json.loads(out)["matched"] == 4, err


def test_a_forms_workbook_after_a_csv_export(tmp_path: Path) -> None:
    """The after round saved as .xlsx (on a second sheet): read as batch reads workbooks."""
    import datetime as dt

    from tests.unit.inputs.xlsx_writer import write_xlsx

    with (HERE / "forms-after.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows: list[list[Any]] = list(csv.reader(handle))
    for row in rows[1:]:
        row[0] = int(row[0])  # Forms writes the ID and the times as numbers and dates
        row[1] = row[2] = dt.datetime(2026, 9, 14, 10, 0)
    workbook = write_xlsx(
        tmp_path / "after.xlsx", [("Summary", [["Exported from Forms"]]), ("Responses", rows)]
    )
    args = [HERE / "forms-before.csv", workbook, "-f", FRAMEWORK, "--match", "email"]
    code, out, err = progress(*args, "--sheet", "Responses", "--format", "json")
    data = json.loads(out)
    assert data["after"] == {"responses": 5, "rejected": 1}, err
    assert (data["matched"], data["only_before"], data["only_after"]) == (4, 2, 1)
    check_all(
        data,
        forms_side(HERE / "forms-before.csv", "email"),
        forms_side(HERE / "forms-after.csv", "email"),
    )
    assert "after.xlsx: row 7, column" in err  # the rejected row, numbered as Excel shows it


# --- a larger generated cohort ------------------------------------------------------------------


def _generated(tmp_path: Path, seed: int = 11) -> tuple[Path, Path]:
    """60 people before, 50 after (45 of them matched), ids in varied case and spacing."""
    import random

    rng = random.Random(seed)
    ids = [i["id"] for t in SPEC["themes"] for i in t["indicators"]]
    labels = {int(k): v for k, v in SPEC["scale"]["labels"].items()}
    header = ["Respondent", *[i["statement"] for t in SPEC["themes"] for i in t["indicators"]]]
    files = []
    for side, people in (("before", range(60)), ("after", range(15, 65))):
        path = tmp_path / f"{side}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for person in people:
                base = person % 5
                shift = 1 if side == "after" and rng.random() < 0.6 else 0
                values = [min(5, max(1, base + rng.randint(0, 2) + shift)) for _ in ids]
                cells = [labels[v] if rng.random() < 0.5 else str(v) for v in values]
                if rng.random() < 0.1:
                    cells[3:] = ["", "", ""]  # "sharing" unscored
                rid = f"p-{person:03}"
                shown = f"  {rid.upper()} " if rng.random() < 0.5 else rid
                writer.writerow([shown, *cells])
        files.append(path)
    return files[0], files[1]


def test_a_generated_cohort_against_scipy(tmp_path: Path) -> None:
    before_csv, after_csv = _generated(tmp_path)
    code, out, err = progress(
        before_csv, after_csv, "-f", FRAMEWORK, "--id-column", "Respondent", "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["matched"], data["only_before"], data["only_after"]) == (45, 15, 5)

    def side(path: Path) -> tuple[dict[str, Any], list[Any]]:
        people = {}
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            for row in reader:
                values = {}
                for head, cell in zip(header[1:], row[1:], strict=True):
                    if cell:
                        number = int(cell) if cell.isdigit() else LABELS[cell.casefold()]
                        values[STATEMENTS[head]] = number
                people[row[0].strip().casefold()] = (percents(values), facet_percents(None))
        return people, []

    check_all(data, side(before_csv), side(after_csv))
    assert data["themes"][0]["matched"]["ci"] is not None


# --- small cohorts: the nulls -------------------------------------------------------------------


def _write_answers(folder: Path, name: str, rid: str, values: list[int | None]) -> None:
    folder.mkdir(exist_ok=True)
    ids = [i["id"] for t in SPEC["themes"] for i in t["indicators"]]
    data = {
        "framework": "programme-check",
        "respondent": {"id": rid},
        "answers": {i: v for i, v in zip(ids, values, strict=True) if v is not None},
    }
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def test_one_person_matched_and_sides_too_small_give_nulls(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    _write_answers(before, "a", "one", [2, 2, 4, 2, 2, 2])
    _write_answers(after, "a", "ONE", [4, 4, 2, 3, 3, 3])
    _write_answers(after, "b", "two", [5, 5, 1, 5, 5, 5])
    code, out, err = progress(before, after, "-f", FRAMEWORK, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    overall = data["overall"]
    assert overall["before_n"] == 1 and overall["after_n"] == 2
    assert overall["matched"]["n"] == 1
    assert overall["matched"]["change"] == pytest.approx(
        percents(
            {
                "asks-first": 4,
                "checks-back": 4,
                "talks-over": 2,
                "plans-together": 3,
                "shares-decisions": 3,
                "invites-challenge": 3,
            }
        )[-1]
        - percents(
            {
                "asks-first": 2,
                "checks-back": 2,
                "talks-over": 4,
                "plans-together": 2,
                "shares-decisions": 2,
                "invites-challenge": 2,
            }
        )[-1]
    )
    assert (overall["matched"]["sd"], overall["matched"]["ci"], overall["matched"]["dz"]) == (
        None,
        None,
        None,
    )
    assert overall["cohort"]["g"] is None  # one person before
    code, md, _ = progress(before, after, "-f", FRAMEWORK)
    assert "The one person who answered both times scored" in md
    assert "One person is too few for a confidence interval." in md
    assert "Too few people on one side for Hedges' g" in md


def test_no_one_matched_and_everyone_changing_alike(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    _write_answers(before, "a", "a", [2, 2, 4, 2, 2, 2])
    _write_answers(before, "b", "b", [3, 3, 3, 3, 3, 3])
    _write_answers(after, "a", "c", [3, 3, 3, 3, 3, 3])
    _write_answers(after, "b", "d", [4, 4, 2, 4, 4, 4])
    code, out, err = progress(before, after, "-f", FRAMEWORK, "--format", "json")
    data = json.loads(out)
    assert data["matched"] == 0 and code == 0
    assert data["overall"]["matched"] == {
        "n": 0,
        "before": None,
        "after": None,
        "change": None,
        "sd": None,
        "ci": None,
        "dz": None,
        "improved": 0,
        "same": 0,
        "declined": 0,
    }
    assert "warning: no one was matched" in err
    # Now the same people, each 25 points higher on every theme: sd 0, no interval.
    _write_answers(after, "a", "a", [3, 3, 3, 3, 3, 3])
    _write_answers(after, "b", "b", [4, 4, 2, 4, 4, 4])
    code, out, err = progress(before, after, "-f", FRAMEWORK, "--format", "json")
    data = json.loads(out)
    for measure in [*data["themes"], data["overall"]]:
        matched = measure["matched"]
        assert matched["n"] == 2 and matched["change"] == pytest.approx(25.0)
        assert (matched["sd"], matched["ci"], matched["dz"]) == (None, None, None)
        assert matched["improved"] == 2
    code, md, _ = progress(before, after, "-f", FRAMEWORK)
    assert "Everyone changed by exactly the same amount" in md


# --- reports: words, privacy, formats ------------------------------------------------------------


def _run_all_formats(tmp_path: Path) -> dict[str, str]:
    texts = {}
    for fmt in ("md", "html", "json"):
        target = tmp_path / f"progress.{fmt}"
        code, out, err = progress(
            HERE / "before", HERE / "after", "-f", FRAMEWORK, "--format", fmt, "-o", target
        )
        assert code == 1 and out == ""
        assert err.splitlines()[-1] == f"wrote {target}"
        assert target.stat().st_mode & 0o777 == 0o600
        texts[fmt] = target.read_text(encoding="utf-8")
        texts[f"{fmt} stderr"] = err
    return texts


def test_no_name_email_or_id_in_any_output(tmp_path: Path) -> None:
    texts = _run_all_formats(tmp_path)
    secrets = [*NAMES, *(n.split()[0] for n in NAMES)]
    for path in (*(HERE / "before").iterdir(), *(HERE / "after").iterdir()):
        respondent = yaml.safe_load(path.read_text(encoding="utf-8")).get("respondent", {})
        secrets += [str(respondent.get(k, "")).strip() for k in ("id", "email")]
        secrets.append(path.stem)
    secrets = [s for s in secrets if s]
    for fmt in ("md", "html", "json"):
        text = texts[fmt].casefold()
        leaked = [s for s in secrets if re.search(rf"\b{re.escape(s.casefold())}\b", text)]
        assert leaked == [], (fmt, leaked)
    # On the terminal, inputs are named by their paths, but no name or e-mail is quoted.
    for fmt in ("md", "html", "json"):
        err = texts[f"{fmt} stderr"]
        assert not [s for s in [*NAMES, "@"] if s in err]


def test_the_report_says_it_in_plain_words(tmp_path: Path) -> None:
    texts = _run_all_formats(tmp_path)
    data = json.loads(texts["json"])
    listening = data["themes"][0]["matched"]
    low, high = (f"{v:.1f}" for v in listening["ci"])  # no half-way values here
    sentence = (
        f"The {listening['n']} people who answered both times scored on average "
        f"{abs(listening['change']):.1f} points higher on Listening; 95% CI {low} to {high}."
    )
    for fmt in ("md", "html"):
        assert sentence in texts[fmt], fmt
        for words in (
            "Self-report",
            "Response shift",
            "No comparison group",
            "1 person answered only before and 1 person only after",
            "Hedges' g",
        ):
            assert words in texts[fmt], (fmt, words)
    assert texts["html"].count("<svg") == len(THEMES) + 1
    assert "<script" not in texts["html"]


def test_each_chart_draws_the_figures_where_they_belong(tmp_path: Path) -> None:
    """The dumbbells' points and bracket, measured on the SVG against the JSON figures.

    The axis runs from x = 60 (0 %) to x = 540 (100 %): a percent p sits at 60 + 4.8 p.
    """
    texts = _run_all_formats(tmp_path)
    data = json.loads(texts["json"])
    charts = re.findall(r'<svg class="chart dumbbell".*?</svg>', texts["html"], re.S)
    measures = [data["overall"], *data["themes"]]
    titles = ["Overall", "Listening", "Sharing power"]
    assert len(charts) == len(measures)

    def x(percent: float) -> float:
        return 60 + 480 * percent / 100

    for svg, measure, title in zip(charts, measures, titles, strict=True):
        assert "<title id=" in svg and f">{title}: before and after</title>" in svg
        circles = [float(v) for v in re.findall(r'<circle cx="([\d.]+)" cy="(?:44|94)"', svg)]
        diamonds = [
            float(v) for v in re.findall(r'<polygon points="([\d.]+),[\d.]+ [^"]*" fill', svg)
        ]
        m = measure["matched"]
        # Row 1: the matched people; row 2: everyone (before circle, after diamond).
        assert circles == pytest.approx([x(m["before"]), x(measure["before_mean"])], abs=0.01)
        assert diamonds[:2] == pytest.approx([x(m["after"]), x(measure["after_mean"])], abs=0.01)
        bracket = re.search(r'<path d="M([\d.]+) 51V61M[\d.]+ 56H([\d.]+)M', svg)
        assert bracket is not None
        low, high = (float(v) for v in bracket.groups())
        assert (low, high) == pytest.approx(
            [x(m["before"] + m["ci"][0]), x(m["before"] + m["ci"][1])], abs=0.01
        )


def test_usage_errors_write_nothing(tmp_path: Path) -> None:
    before = tmp_path / "before"
    shutil.copytree(HERE / "before", before)
    cases = [
        ([before, before], "BEFORE and AFTER are the same"),
        ([before, HERE / "after", "-o", before / "report.md"], "is inside an input"),
        (
            [HERE / "forms-before.csv", HERE / "forms-after.csv", "-o", HERE / "forms-after.csv"],
            "is an input",
        ),
        ([before, HERE / "after", "--format", "pdf"], "--output"),
        ([before, tmp_path / "missing"], "no such file or folder"),
        ([before, HERE / "after", "-o", tmp_path / "no" / "such" / "x.md"], "does not exist"),
    ]
    listing = sorted(p.name for p in tmp_path.rglob("*"))
    for args, message in cases:
        code, out, err = progress(*args, "-f", FRAMEWORK)
        assert code == 2, (args, err)
        assert message in err and err.startswith("lpc-assess progress: "), err
        assert len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing
    code, _, err = progress(before, HERE / "after", "--match", "mail")
    assert code == 2 and "mail" in err


def test_pipes_and_link_loops_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo, loop = tmp_path / "fifo", tmp_path / "loop"
    os.mkfifo(fifo)
    loop.symlink_to(tmp_path / "loop-2")
    (tmp_path / "loop-2").symlink_to(loop)
    folder = HERE / "before"
    for args, code, message in (
        ([folder, HERE / "after", "-o", fifo], 2, "--output " + str(fifo) + ": is a named pipe"),
        ([folder, HERE / "after", "-o", loop], 2, "--output " + str(loop) + ":"),
        ([loop, HERE / "after"], 2, f"{loop}: no such file or folder"),
        ([fifo, HERE / "after"], 1, "is a named pipe (FIFO), not a regular file"),
    ):
        result = run_cli("progress", *map(str, args), "-f", str(FRAMEWORK), timeout=60)
        assert result.returncode == code, result.stderr
        assert message in result.stderr
        assert "internal error" not in result.stderr
    # A character device is written in place, never replaced.
    result = run_cli("progress", str(folder), str(HERE / "after"), "-f", str(FRAMEWORK),
                     "-o", os.devnull)  # fmt: skip
    assert result.returncode == 1 and Path(os.devnull).is_char_device()


# --- PDF --------------------------------------------------------------------------------------


def _weasyprint_hidden(tmp_path: Path) -> dict[str, str]:
    """An environment where `import weasyprint` fails, as without the pdf extra."""
    shadow = tmp_path / "shadow"
    (shadow / "weasyprint").mkdir(parents=True)
    (shadow / "weasyprint" / "__init__.py").write_text(
        "raise ImportError('No module named weasyprint')\n", encoding="utf-8"
    )
    paths = [str(shadow), str(Path(__file__).resolve().parents[2] / "src")]
    return {"PYTHONPATH": os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")])}


def test_pdf_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    from lpc_assess.writers.pdf import INSTALL_HINT

    target = tmp_path / "progress.pdf"
    result = run_cli(
        "progress",
        str(HERE / "before"),
        str(HERE / "after"),
        "-f",
        str(FRAMEWORK),
        "--format",
        "pdf",
        "-o",
        str(target),
        env=_weasyprint_hidden(tmp_path),
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"lpc-assess progress: {INSTALL_HINT}"]
    assert not target.exists() and result.stdout == ""


def _poppler(*args: str) -> str:
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} (poppler-utils) is not installed")
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdf_and_html(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    from lpc_assess.writers.pdf import pdf_available

    if not pdf_available():
        pytest.skip("the pdf extra (WeasyPrint) is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    pdf, html = folder / "progress.pdf", folder / "progress.html"
    for fmt, target in (("pdf", pdf), ("html", html)):
        code, _, err = progress(
            HERE / "before", HERE / "after", "-f", FRAMEWORK, "--format", fmt, "-o", target
        )
        assert code == 1 and target.is_file(), err  # 1: an input was rejected
    assert pdf.stat().st_mode & 0o777 == 0o600
    yield pdf, html.read_text(encoding="utf-8")


def test_pdf_has_title_tags_and_pages(pdf_and_html: tuple[Path, str]) -> None:
    pdf, _ = pdf_and_html
    info = dict(
        (k.strip(), v.strip())
        for k, _, v in (line.partition(":") for line in _poppler("pdfinfo", str(pdf)).splitlines())
    )
    assert info["Title"] == "Programme progress – Programme check"
    assert info["Tagged"] == "yes"
    assert info["Page size"].endswith("(A4)")
    assert 1 <= int(info["Pages"]) <= 6


def test_pdf_text_is_the_html_text(pdf_and_html: tuple[Path, str]) -> None:
    pdf, html = pdf_and_html
    text = " ".join(_poppler("pdftotext", "-layout", str(pdf), "-").split())
    for heading in (
        "Programme progress: before and after",
        "Summary",
        "Listening",
        "Sharing power",
        "Before you draw conclusions",
        "How this was worked out",
    ):
        assert heading in text and heading in html
    data = json.loads(
        progress(HERE / "before", HERE / "after", "-f", FRAMEWORK, "--format", "json")[1]
    )
    for measure in [*data["themes"], data["overall"]]:
        low, high = (f"{v:.1f}" for v in measure["matched"]["ci"])
        assert f"{low} to {high}" in text and f"{low} to {high}" in html
