"""`lpc-assess analyse` through the real command line (docs/instrument-analysis.md).

The bfi data set of R's psych package goes in as the CSV file it is, with the
bfi framework of tests/data/frameworks/bfi; every figure that comes out is
checked against psych's published `alpha()` output for the five bfi scales, to
the decimals psych prints, and against the independent reference of
tests/unit/scoring/test_instrument.py to 1e-9. A small pilot
(tests/data/analyse/pilot) checks the flags, the GitHub annotations and the
reports.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from lpc_assess.cli import app
from tests.conftest import DATA, REPO, run_cli
from tests.unit.scoring.test_instrument import assert_matches_reference, psych_alpha

runner = CliRunner()
BFI_FRAMEWORK = Path("tests/data/frameworks/bfi")
PILOT = Path("tests/data/analyse/pilot")
PILOT_CSV = PILOT / "pilot.csv"
# shared/ stands beside the repository (in CI too); /work/shared on the developers' machines.
BFI_CSV = next(
    (
        p
        for p in (REPO.parent / "shared" / "data" / "bfi.csv", Path("/work/shared/data/bfi.csv"))
        if p.exists()
    ),
    Path("/work/shared/data/bfi.csv"),
)
needs_bfi = pytest.mark.skipif(not BFI_CSV.exists(), reason="the shared bfi data set is not here")

SCALES = {
    "agreeableness": "A",
    "conscientiousness": "C",
    "extraversion": "E",
    "neuroticism": "N",
    "openness": "O",
}
REVERSED = {"A1", "C4", "C5", "E1", "E2", "O2", "O5"}


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA.parent.parent)


def analyse(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["analyse", *map(str, args)])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# --- psych's published output for the bfi scales ------------------------------------------------
#
# From the README of github.com/jimmyrigby94/regcleaner, which runs `psych::alpha()`
# on each bfi scale with its reverse items turned round (named A1_r, ...) and
# prints the results. The first table is printed to 7 digits. That output was
# made with psych before 2.4, which took R as cov2cor(C); psych now correlates
# each pair on its complete cases. The figures that come from covariances
# alone (raw alpha, ase, mean, sd, r.drop, raw.r, n, item mean and sd,
# frequencies) are the same either way and are checked on the tool's output;
# the correlation-based ones check the reference implementation, computed the
# old way, which then checks the tool computed the current way.

TOTALS = {  # raw_alpha std.alpha G6(smc) average_r S/N ase mean sd median_r
    "A": "0.7030184 0.7130286 0.6827627 0.3319677 2.484668 0.008951774 4.652095 0.8984019 "
    "0.3376233",
    "C": "0.7267350 0.7300726 0.6942276 0.3510454 2.704700 0.008116697 4.265732 0.9513469 "
    "0.3400043",
    "E": "0.7617328 0.7617951 0.7265955 0.3901001 3.198066 0.007027046 4.145083 1.0609041 "
    "0.3817637",
    "N": "0.8139629 0.8146747 0.7991260 0.4678539 4.395917 0.005607097 3.162268 1.1963314 "
    "0.4136794",
    "O": "0.6001725 0.6072684 0.5681398 0.2362061 1.546268 0.011858651 4.586649 0.8083739 "
    "0.2261315",
}
TOTAL_NAMES = ("raw_alpha", "std_alpha", "g6", "average_r", "s_n", "ase", "mean", "sd", "median_r")
COVARIANCE_ONLY = ("raw_alpha", "ase", "mean", "sd")

DROPPED = """
A1 0.72 0.73 0.67 0.40 2.6 | A2 0.62 0.63 0.58 0.29 1.7 | A3 0.60 0.61 0.56 0.28 1.6
A4 0.69 0.69 0.65 0.36 2.3 | A5 0.64 0.66 0.61 0.32 1.9
C1 0.69 0.70 0.64 0.36 2.3 | C2 0.67 0.67 0.62 0.34 2.1 | C3 0.69 0.69 0.64 0.36 2.3
C4 0.65 0.66 0.60 0.33 2.0 | C5 0.69 0.69 0.63 0.36 2.2
E1 0.73 0.73 0.67 0.40 2.6 | E2 0.69 0.69 0.63 0.36 2.3 | E3 0.73 0.73 0.67 0.40 2.7
E4 0.70 0.70 0.65 0.37 2.4 | E5 0.74 0.74 0.69 0.42 2.9
N1 0.76 0.76 0.71 0.44 3.1 | N2 0.76 0.76 0.72 0.45 3.2 | N3 0.76 0.76 0.73 0.44 3.1
N4 0.80 0.80 0.77 0.50 3.9 | N5 0.81 0.81 0.79 0.52 4.3
O1 0.53 0.53 0.48 0.22 1.1 | O2 0.57 0.57 0.51 0.25 1.3 | O3 0.50 0.50 0.44 0.20 1.0
O4 0.61 0.62 0.56 0.29 1.6 | O5 0.51 0.53 0.47 0.22 1.1
"""
DROPPED_NAMES = ("raw_alpha", "std_alpha", "g6", "average_r", "s_n")

ITEMS = """
A1 2784 0.58 0.57 0.38 0.31 4.6 1.4 | A2 2773 0.73 0.75 0.67 0.56 4.8 1.2
A3 2774 0.76 0.77 0.71 0.59 4.6 1.3 | A4 2781 0.65 0.63 0.47 0.39 4.7 1.5
A5 2784 0.69 0.70 0.60 0.49 4.6 1.3
C1 2779 0.65 0.67 0.54 0.45 4.5 1.2 | C2 2776 0.70 0.71 0.60 0.50 4.4 1.3
C3 2780 0.66 0.67 0.54 0.46 4.3 1.3 | C4 2774 0.74 0.73 0.64 0.55 4.4 1.4
C5 2784 0.72 0.68 0.57 0.48 3.7 1.6
E1 2777 0.72 0.70 0.59 0.52 4.0 1.6 | E2 2784 0.78 0.76 0.69 0.61 3.9 1.6
E3 2775 0.68 0.70 0.58 0.50 4.0 1.4 | E4 2791 0.75 0.75 0.66 0.58 4.4 1.5
E5 2779 0.64 0.66 0.52 0.45 4.4 1.3
N1 2778 0.80 0.80 0.76 0.67 2.9 1.6 | N2 2779 0.79 0.79 0.75 0.65 3.5 1.5
N3 2789 0.81 0.81 0.74 0.67 3.2 1.6 | N4 2764 0.72 0.71 0.60 0.54 3.2 1.6
N5 2771 0.68 0.67 0.53 0.49 3.0 1.6
O1 2778 0.62 0.65 0.52 0.39 4.8 1.1 | O2 2800 0.65 0.60 0.43 0.33 4.3 1.6
O3 2772 0.67 0.69 0.59 0.45 4.4 1.2 | O4 2786 0.50 0.52 0.29 0.22 4.9 1.2
O5 2780 0.67 0.66 0.52 0.42 4.5 1.3
"""
ITEM_NAMES = ("n", "raw_r", "std_r", "r_cor", "r_drop", "mean", "sd")

# Shares of the keyed answers 1..6 (psych was given the reversed columns), then `miss`.
FREQUENCIES = """
A1 0.03 0.08 0.12 0.14 0.29 0.33 0.01 | A2 0.02 0.05 0.05 0.20 0.37 0.31 0.01
A3 0.03 0.06 0.07 0.20 0.36 0.27 0.01 | A4 0.05 0.08 0.07 0.16 0.24 0.41 0.01
A5 0.02 0.07 0.09 0.22 0.35 0.25 0.01
C1 0.03 0.06 0.10 0.24 0.37 0.21 0.01 | C2 0.03 0.09 0.11 0.23 0.35 0.20 0.01
C3 0.03 0.09 0.11 0.27 0.34 0.17 0.01 | C4 0.02 0.08 0.16 0.17 0.29 0.28 0.01
C5 0.10 0.17 0.22 0.12 0.20 0.18 0.01
E1 0.09 0.13 0.16 0.15 0.23 0.24 0.01 | E2 0.09 0.14 0.22 0.12 0.24 0.19 0.01
E3 0.05 0.11 0.15 0.30 0.27 0.13 0.01 | E4 0.05 0.09 0.10 0.16 0.34 0.26 0.00
E5 0.03 0.08 0.10 0.22 0.34 0.22 0.01
N1 0.24 0.24 0.15 0.19 0.12 0.07 0.01 | N2 0.12 0.19 0.15 0.26 0.18 0.10 0.01
N3 0.18 0.23 0.13 0.21 0.16 0.09 0.00 | N4 0.17 0.24 0.15 0.22 0.14 0.09 0.01
N5 0.24 0.24 0.14 0.18 0.12 0.09 0.01
O1 0.01 0.04 0.08 0.22 0.33 0.33 0.01 | O2 0.06 0.10 0.16 0.14 0.26 0.29 0.00
O3 0.03 0.05 0.11 0.28 0.34 0.20 0.01 | O4 0.02 0.04 0.06 0.17 0.32 0.39 0.01
O5 0.03 0.07 0.13 0.19 0.32 0.27 0.01
"""


def printed(table: str) -> dict[str, list[str]]:
    rows = [r.split() for line in table.strip().splitlines() for r in line.split("|")]
    return {row[0]: row[1:] for row in rows}


def close_to_print(value: float, text: str) -> bool:
    """`value` would print as `text` (rounded to the decimals shown, half a unit either way)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return abs(value - float(text)) <= 0.5 * 10**-decimals + 1e-9


def bfi_matrix(scale: str) -> np.ndarray:
    """One scale's keyed answers straight from the CSV (7 − answer for the reverse items)."""
    with BFI_CSV.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [f"{scale}{i}" for i in range(1, 6)]
    return np.array(
        [
            [
                np.nan
                if row[n] == "NA"
                else (7 - float(row[n]) if n in REVERSED else float(row[n]))
                for n in names
            ]
            for row in rows
        ]
    )


@pytest.fixture(scope="module")
def bfi_json() -> dict[str, Any]:
    """The bfi analysis as JSON, from a real `lpc-assess` process."""
    result = run_cli(
        "analyse",
        str(BFI_CSV),
        "--framework",
        str(DATA / "frameworks" / "bfi"),
        "--id-column",
        "X",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@needs_bfi
def test_bfi_against_psychs_published_figures(bfi_json: dict[str, Any]) -> None:
    assert bfi_json["responses"] == 2800 and bfi_json["rejected"] == 0
    items = printed(ITEMS)
    dropped = printed(DROPPED)
    frequencies = printed(FREQUENCIES)
    for theme in bfi_json["themes"]:
        letter = SCALES[theme["id"]]
        published = dict(zip(TOTAL_NAMES, TOTALS[letter].split(), strict=True))
        for name in COVARIANCE_ONLY:
            assert close_to_print(theme[name], published[name]), (theme["id"], name)
        assert theme["n"] == 2800
        for indicator in theme["indicators"]:
            name = indicator["id"].upper()
            row = dict(zip(ITEM_NAMES, items[name], strict=True))
            assert indicator["n"] == int(row["n"])
            for figure in ("raw_r", "r_drop", "mean", "sd"):
                assert close_to_print(indicator[figure], row[figure]), (name, figure)
            assert close_to_print(indicator["alpha_if_dropped"]["raw_alpha"], dropped[name][0]), (
                name
            )
            shares = frequencies[name]
            for point in range(1, 7):
                # psych counted keyed answers; the tool shows the answers as given.
                keyed = 7 - point if name in REVERSED else point
                assert close_to_print(indicator["frequencies"][str(point)], shares[keyed - 1])
            assert close_to_print(indicator["frequencies"]["missing"], shares[6])


@needs_bfi
def test_the_reference_reproduces_the_published_figures_the_old_way() -> None:
    """The reference, with R = cov2cor(C) as psych then did, gives psych's printed output."""
    items = printed(ITEMS)
    dropped = printed(DROPPED)
    for letter, line in TOTALS.items():
        reference = psych_alpha(bfi_matrix(letter), cor_from_cov=True)
        for name, text in zip(TOTAL_NAMES, line.split(), strict=True):
            # Seven significant digits.
            assert reference[name] == pytest.approx(float(text), rel=6e-7), (letter, name)
        for i, item in enumerate(reference["items"]):
            name = f"{letter}{i + 1}"
            row = dict(zip(ITEM_NAMES, items[name], strict=True))
            for figure in ("std_r", "r_cor"):
                assert close_to_print(item[figure], row[figure]), (name, figure)
            for figure, text in zip(DROPPED_NAMES, dropped[name], strict=True):
                assert close_to_print(item["alpha_if_dropped"][figure], text), (name, figure)


@needs_bfi
def test_bfi_equals_the_reference_as_psych_computes_now(bfi_json: dict[str, Any]) -> None:
    for theme in bfi_json["themes"]:
        reference = psych_alpha(bfi_matrix(SCALES[theme["id"]]))
        assert_matches_reference(theme, reference)
    # The one flag on bfi: openness, whose alpha psych gives as 0.60.
    flags = [(t["id"], f["code"]) for t in bfi_json["themes"] for f in t["flags"]]
    assert flags == [("openness", "low-alpha")]


# --- the pilot: flags, annotations, reports ---------------------------------------------------


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_a_pilot_flags_what_to_rewrite() -> None:
    code, out, err = analyse(PILOT_CSV, "--framework", PILOT, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["responses"] == 12
    flags = {(t["id"], f["indicator"], f["code"]) for t in data["themes"] for f in t["flags"]}
    assert flags == {
        ("listening", None, "low-alpha"),
        ("listening", "talks-over", "negative-r-drop"),
        ("listening", "talks-over", "alpha-if-dropped"),
        ("planning", "records-goals", "alpha-if-dropped"),
        ("planning", "records-goals", "end-of-scale"),
        ("reflecting", None, "not-computable"),
    }
    listening = data["themes"][0]
    talks_over = listening["indicators"][3]
    assert talks_over["r_drop"] < 0
    # The reference agrees on the pilot too (talks-over as answered: not marked reverse).
    with PILOT_CSV.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = ["asks-first", "reflects-back", "waits", "talks-over"]
    matrix = np.array([[float(r[n]) if r[n] else np.nan for n in names] for r in rows], dtype=float)
    assert_matches_reference(listening, psych_alpha(matrix))
    reflecting = data["themes"][2]
    assert reflecting["raw_alpha"] is None and reflecting["indicators"][0]["n"] == 12
    assert "analysed 12 self response(s) from 1 input(s); 6 flag(s)" in err


def test_github_annotations_point_at_the_indicators_lines() -> None:
    code, out, err = analyse(PILOT_CSV, "--framework", PILOT, "--format", "github")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 6
    listening = PILOT / "listening.yaml"
    talks_over = line_of(listening, "id: talks-over")
    assert (
        f"::warning file={listening},line={talks_over},col=5,title=negative-r-drop::"
        "negative-r-drop: indicator 'talks-over': its answers run against the rest"
    ) in out
    records = line_of(PILOT / "planning.yaml", "id: records-goals")
    end = next(line for line in lines if "title=end-of-scale" in line)
    assert f"file={PILOT / 'planning.yaml'},line={records}," in end
    assert "75%25 of its answers are at the top" in end  # % escaped as GitHub requires
    theme = next(line for line in lines if "title=low-alpha" in line)
    assert f"file={listening},line={line_of(listening, 'id: listening')}," in theme
    # An inline theme: the line of its id in framework.yaml.
    inline = next(line for line in lines if "title=not-computable" in line)
    framework_line = line_of(PILOT / "framework.yaml", "id: reflecting")
    assert f"file={PILOT / 'framework.yaml'},line={framework_line}," in inline
    assert all(line.startswith("::warning ") for line in lines)


def test_markdown_report_puts_the_flags_first() -> None:
    code, out, err = analyse(PILOT_CSV, "--framework", PILOT)
    assert code == 0, err
    first = out.index("## What to look at first")
    reading = out.index("## How to read this")
    assert first < reading < out.index("## Listening")
    assert "keyed the wrong way" in out[first:reading]
    assert "“I finish people's sentences for them.” (`talks-over`)" in out[first:reading]
    table = out[out.index("## Listening") :]
    row = next(line for line in table.splitlines() if "(`talks-over`)" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    # Statement, answered, mean, goes with the rest, alpha without it, lowest, highest, missing.
    assert cells[1] == "12"
    assert cells[3].startswith("-")
    assert "runs against the theme" in cells[-1]
    assert "**Not computed:** the theme has one indicator" in out


def test_html_report_is_written_privately(tmp_path: Path) -> None:
    target = tmp_path / "analysis.html"
    code, out, err = analyse(PILOT_CSV, "--framework", PILOT, "--format", "html", "-o", target)
    assert code == 0, err
    assert out == ""
    assert f"wrote the analysis to {target}" in err
    html = target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "<script" not in html.lower()
    assert (
        html.index('id="first"') < html.index('id="reading"') < html.index('id="theme-listening"')
    )
    assert "I finish people&#39;s sentences for them." in html


# --- reading as batch does --------------------------------------------------------------------


def test_ratings_of_others_are_left_out_with_a_line(tmp_path: Path) -> None:
    with PILOT_CSV.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header = [rows[0][0], "about", "relationship", *rows[0][1:]]
    own = [[r[0], r[0], "self", *r[1:]] for r in rows[1:]]
    # Three colleagues rate p01, all at the top: left out, or they would change the figures.
    others = [[f"peer{n}", "p01", "peer", *["5"] * 8] for n in range(3)]
    export = tmp_path / "with-360.csv"
    with export.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *own, *others])
    args = ["--framework", PILOT, "--format", "json"]
    columns = ["--subject-column", "about", "--relationship-column", "relationship"]
    code, out, err = analyse(export, *args, *columns)
    assert code == 0, err
    assert "left out 3 360 rating(s) of someone else" in err
    mixed = json.loads(out)
    plain = json.loads(analyse(PILOT_CSV, *args)[1])
    assert mixed["responses"] == 12 and mixed["ratings_of_others"] == 3
    assert mixed["themes"] == plain["themes"]


def test_folders_answers_files_and_rejected_rows(tmp_path: Path) -> None:
    folder = tmp_path / "pilot"
    folder.mkdir()
    with PILOT_CSV.open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows.insert(3, ["bad", "7", "x", "3", "3", "3", "3", "3", "3"])  # off the scale
    with (folder / "export.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    answers = {
        "framework": "pilot",
        "framework_version": "0.1",
        "respondent": {"id": "extra"},
        "answers": {"asks-first": 4, "reflects-back": 4, "waits": 3, "talks-over": 2},
    }
    (folder / "extra.json").write_text(json.dumps(answers), encoding="utf-8")
    code, out, err = analyse(folder, "--framework", PILOT, "--format", "json")
    assert code == 1  # something was rejected
    data = json.loads(out)
    assert data["responses"] == 13 and data["rejected"] == 1
    assert "export.csv: row 4" in err
    assert "analysed 13 self response(s) from 2 input(s); 1 rejected" in err
    assert data["themes"][0]["indicators"][2]["n"] == 12  # `waits`: 11 in the CSV, 1 in the file


def test_nothing_to_analyse(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id,asks-first\nz,9\n", encoding="utf-8")
    code, out, err = analyse(empty, "--framework", PILOT)
    assert code == 1 and out == ""
    assert "nothing to analyse: no self response was accepted (1 rejected)" in err


def test_the_output_never_replaces_an_input(tmp_path: Path) -> None:
    copy = tmp_path / "pilot.csv"
    copy.write_bytes(PILOT_CSV.read_bytes())
    code, _, err = analyse(copy, "--framework", PILOT, "-o", copy)
    assert code == 2
    assert f"--output {copy}: is an input, which this command reads" in err
    assert copy.read_bytes() == PILOT_CSV.read_bytes()
    theme_file = PILOT / "listening.yaml"
    before = theme_file.read_bytes()
    code, _, err = analyse(PILOT_CSV, "--framework", PILOT, "-o", theme_file)
    assert code == 2 and f"--output {theme_file}: is a framework file, which this" in err
    assert theme_file.read_bytes() == before


def test_a_bad_format_or_output_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, _, _ = analyse(PILOT_CSV, "--framework", PILOT, "--format", "pdf")
    assert code == 2
    code, _, err = analyse(PILOT_CSV, "--framework", PILOT, "-o", tmp_path / "no" / "a.md")
    assert code == 2 and "does not exist" in err


def test_numpy_is_imported_by_the_analysis_only() -> None:
    """Every module of the package, the analysis's own included, imports without numpy:
    it is imported inside the functions that do the matrix work, when they run."""
    code = (
        "import sys, pkgutil, importlib, lpc_assess\n"
        "for m in pkgutil.walk_packages(lpc_assess.__path__, 'lpc_assess.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "print('numpy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=True,
    )
    assert result.stdout.strip() == "False"
