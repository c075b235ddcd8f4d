"""Bounded rows: a CSV row over the limits is left out alone, in bounded memory.

A row with more than 10,000 cells (`row-too-wide`) or more than 1 MiB of text
(`row-too-long`) is rejected with its row number; when it is a line without a
quote character the rows after it are still read and scored. The tool never
holds the whole row: a line of 64 million commas leaves the peak memory of the
run far below what the line alone would take. Real CLI runs, in subprocesses;
the scores of the rows around the bad ones are checked against the reference
scorer (scoring/person.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import lpc_assess.inputs.csv_text as csv_text
from lpc_assess.inputs.csv_text import Records, RowTooLarge
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.person import score_response

# The peak memory a run may take, whatever one row holds: a small batch alone takes
# about 50 MB; holding a 64 MB line and its 64 million cells would take over 600 MB.
MEMORY_BOUND = 160 * 1024 * 1024


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework(None)


def good_rows(framework: Framework, first: int, count: int) -> dict[str, dict[str, int]]:
    """Answers of `count` people (ids p<first>...): every statement, labels varied."""
    out = {}
    for k in range(first, first + count):
        indicators = enumerate(framework.indicators)
        out[f"p{k}"] = {indicator.id: 1 + (k * 3 + j * 7) % 5 for j, indicator in indicators}
    return out


def line_of(framework: Framework, person: str, answers: dict[str, int]) -> str:
    labels = framework.scale.labels
    cells = [labels[answers[i.id]] for i in framework.indicators]
    return f"{person},Person {person}," + ",".join(cells) + "\n"


def write_export(path: Path, framework: Framework, bad: list[str]) -> dict[str, dict[str, int]]:
    """An export whose rows 2-4 are good, then each bad line followed by two good rows.

    The bad lines are written piece by piece, never built whole in this process.
    Returns the answers of the good rows.
    """
    people = good_rows(framework, 0, 3 + 2 * len(bad))
    order = iter(people.items())
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,name," + ",".join(i.id for i in framework.indicators) + "\n")
        for _ in range(3):
            out.write(line_of(framework, *next(order)))
        for kind in bad:
            if kind == "wide":  # 20,000 short cells: about 40 KB
                out.write("wide,Wide," + ",".join(["Often"] * 19_998) + "\n")
            elif kind == "long":  # 5 MiB in a few cells, no quote
                out.write("long,Long,Often,")
                piece = "x" * (1 << 20)
                for _ in range(5):
                    out.write(piece)
                out.write(",Often\n")
            elif kind == "commas":  # 64 million commas on one line, as an attacker sends
                piece = "," * (1 << 20)
                for _ in range(64):
                    out.write(piece)
                out.write("\n")
            for _ in range(2):
                out.write(line_of(framework, *next(order)))
    return people


# Started with `python -S`, this small process runs the command and reports the command's
# own peak memory from wait4(). Measured from pytest itself, the figure would include
# pytest's memory: a child's peak counts what it had before exec (as bench/run.py notes).
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    try:
        out = os.open(os.devnull, os.O_WRONLY)
        err = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_measured(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Run the real CLI; its exit code, stderr, and its own peak resident memory in bytes."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    err = cwd / "stderr.txt"
    launched = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, str(err), sys.executable, "-m", "lpc_assess"] + args,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    code, peak = (int(word) for word in launched.stdout.split())
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
    return code, err.read_text(encoding="utf-8"), peak * scale


def check_scores(folder: Path, framework: Framework, people: dict[str, dict[str, int]]) -> None:
    """Every good row is in the scores file, in order, with the reference's overall percent."""
    with (folder / "scores.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == list(people)
    for row in rows:
        reference = score_response(framework, people[row["id"]])
        assert reference.overall_percent is not None
        assert abs(float(row["overall_percent"]) - reference.overall_percent) <= 0.005
        for theme in reference.themes:
            assert theme.percent is not None
            assert abs(float(row[f"{theme.id}_percent"]) - theme.percent) <= 0.005


def test_a_wide_row_and_a_long_row_are_left_out_alone(tmp_path: Path, framework: Framework) -> None:
    people = write_export(tmp_path / "export.csv", framework, ["wide", "long"])
    code, stderr, peak = run_measured(
        ["batch", "export.csv", "--summary", "summary.json", "--scores", "scores.csv"], tmp_path
    )
    assert code == 1, stderr  # rows were rejected
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["responses"] == len(people) == 7
    assert summary["rejected"] == 2
    assert [(e["row"], e["code"]) for e in summary["errors"]] == [
        (5, "row-too-wide"),
        (8, "row-too-long"),
    ]
    assert "20,000 cells" in summary["errors"][0]["message"]
    assert "1,048,576 characters" in summary["errors"][1]["message"]
    assert "export.csv: row 5" in stderr and "export.csv: row 8" in stderr
    assert "rest of the file" not in stderr
    check_scores(tmp_path, framework, people)
    assert peak < MEMORY_BOUND


def test_a_line_of_64_million_commas_stays_in_bounded_memory(
    tmp_path: Path, framework: Framework
) -> None:
    people = write_export(tmp_path / "export.csv", framework, ["commas", "wide"])
    size = (tmp_path / "export.csv").stat().st_size
    assert size > 64 * 1024 * 1024
    code, stderr, peak = run_measured(
        ["batch", "export.csv", "--summary", "summary.json", "--scores", "scores.csv"], tmp_path
    )
    assert code == 1, stderr
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert [(e["row"], e["code"]) for e in summary["errors"]] == [
        (5, "row-too-long"),  # over both limits: its length is found first
        (8, "row-too-wide"),
    ]
    check_scores(tmp_path, framework, people)
    # The line alone is 64 MiB of text; holding it and its cells would be ten times more.
    assert peak < MEMORY_BOUND < size * 3


def test_a_header_over_the_limits_is_refused(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text(
        "id," + ",".join(f"q{k}" for k in range(12_000)) + "\nr1,4\n", encoding="utf-8"
    )
    code, stderr, _ = run_measured(["batch", "export.csv", "--summary", "s.json"], tmp_path)
    assert code == 1
    assert "row-too-wide" in stderr or "12,001 cells" in stderr
    assert "Traceback" not in stderr


def test_a_long_row_with_a_quote_ends_the_reading(tmp_path: Path, framework: Framework) -> None:
    """A quote in an over-long row leaves unclear where the row ends: nothing after it is
    guessed at; the rows before it are kept."""
    people = good_rows(framework, 0, 2)
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,name," + ",".join(i.id for i in framework.indicators) + "\n")
        for person, answers in people.items():
            out.write(line_of(framework, person, answers))
        out.write('long,Long,"' + "x" * (2 << 20) + '"\n')
        out.write(line_of(framework, "p9", people["p0"]))
    code, _, _ = run_measured(
        ["batch", "export.csv", "--summary", "summary.json", "--scores", "scores.csv"], tmp_path
    )
    assert code == 1
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["responses"] == 2
    [problem] = summary["errors"]
    assert (problem["row"], problem["code"]) == (4, "row-too-long")
    assert "the rest of the file was not read" in problem["message"]
    check_scores(tmp_path, framework, people)


# --- the edges of the limits, in the reader itself -----------------------------------------

LIMIT = 40  # a small MAX_CELL, so that every edge is a short string


def reference_rows(text: str) -> list[list[str] | str]:
    """Lines as csv.reader splits them (no quotes here): cells, or "long" past the limit."""
    out: list[list[str] | str] = []
    for line in io.StringIO(text, newline=""):
        content = line.rstrip("\r\n")
        out.append("long" if len(content) > LIMIT else content.split(",") if content else [])
    return out


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("extra", range(-2, 4))
@pytest.mark.parametrize("step", [1, 3])
def test_rows_at_the_edge_of_the_limit(
    monkeypatch: pytest.MonkeyPatch, ending: str, extra: int, step: int
) -> None:
    """Lines just under, at and over the limit, with each line ending, whatever the
    number of rows asked for at a time: each long one is left out alone and the rows
    after it are the next ones (a \\r\\n cut in two by the limit is one line ending)."""
    monkeypatch.setattr(csv_text, "MAX_CELL", LIMIT)
    edge = "a," + "b" * (LIMIT - 2 + extra)
    text = ending.join(["h,i", "1,2", edge, "3,4", edge + edge, "5,6", edge]) + ending
    expected = reference_rows(text)
    got: list[list[str] | str] = []
    records = Records(io.StringIO(text, newline=""), ",")
    while True:
        rows: list[list[str]] = []
        try:
            records.read_into(rows, step)
        except RowTooLarge as exc:
            assert exc.code == "row-too-long" and exc.resumable
            got.extend(rows)
            got.append("long")
            continue
        got.extend(rows)
        if len(rows) < step:
            break
    assert got == expected


def test_too_many_cells_at_the_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_text, "MAX_CELLS", 5)
    text = 'a,b,c,d,e\na,b,c,d,e,f\n"a",b,c,d,e,f\nz\n'
    records = Records(io.StringIO(text, newline=""), ",")
    rows: list[list[str]] = []
    for _ in range(2):  # unquoted, then quoted: each alone, and reading goes on
        with pytest.raises(RowTooLarge) as caught:
            records.read_into(rows, 5)
        assert caught.value.code == "row-too-wide" and caught.value.resumable
        assert "6 cells" in str(caught.value)
    records.read_into(rows, 5)
    assert rows == [["a", "b", "c", "d", "e"], ["z"]]


def test_a_quoted_cell_running_over_the_limit_stops_the_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(csv_text, "MAX_CELL", LIMIT)
    text = 'a,b\n"' + "\n".join(["x" * 10] * 8) + '",b\nc,d\n'
    records = Records(io.StringIO(text, newline=""), ",")
    rows: list[list[str]] = []
    with pytest.raises(RowTooLarge) as caught:
        records.read_into(rows, 5)
    assert rows == [["a", "b"]]
    assert caught.value.code == "row-too-long" and not caught.value.resumable
