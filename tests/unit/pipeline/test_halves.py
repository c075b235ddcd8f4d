"""A large CSV export read in two halves by two processes gives exactly what one reader
gives, and anything unexpected means the file is read whole (pipeline/halves.py)."""

from __future__ import annotations

import csv
import io
import json
import os
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lpc_assess.commands.batch as batch_module
import lpc_assess.inputs.csv_export as csv_export
import lpc_assess.pipeline.halves as halves
from lpc_assess.cli import app
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.inputs.sources import open_source
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.compiled import CompiledScorer

runner = CliRunner()
FRAMEWORK = load_framework(None)
LABELS = ["Not yet", "Rarely", "Sometimes", "Often", "Consistently"]
COMMENTS = [
    "",
    "",
    "Fine",
    '"Two lines,\nwith a comma"',
    '"We say ""what matters"" a lot\r\nand mean it"',
    '"Three\n\nlines"',
]

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or halves.cores() < 2, reason="needs fork and two cores"
)


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def export(path: Path, rows: int, seed: int = 7, *, extra: dict[int, str] | None = None) -> Path:
    """A Forms-like export: quoted multi-line comments, blank ids (row-N), a blank line,
    and a row with a cell no scale has, in both halves. `extra`: row index -> raw line."""
    rng = random.Random(seed)
    statements = [i.statement for i in FRAMEWORK.indicators]
    header = ["ID", "Name", *statements, "Anything else?"]
    lines = [",".join(_cell(h) for h in header)]
    for n in range(rows):
        if extra and n in extra:
            lines.append(extra[n])
            continue
        answers = [rng.choice(LABELS + [""]) for _ in statements]
        if n % 997 == 500:
            answers[3] = "Maybe"  # rejected: not on the scale
        ident = "" if n % 101 == 50 else str(n + 1)
        name = rng.choice(["Ann Lee", "Bo Chan", "Cy Obi", "Dee Roy"])
        lines.append(",".join([ident, name, *answers, rng.choice(COMMENTS)]))
        if n == rows // 3:
            lines.append("")  # a blank line: a row that is not read
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture
def small_halves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of any size are cut in two (the real threshold is 8 MiB)."""
    monkeypatch.setattr(csv_export, "SPLIT_BYTES", 1)


def _batch(folder: Path, source: Path, *extra: str) -> tuple[str, bytes, bytes]:
    folder.mkdir()
    result = runner.invoke(
        app,
        [
            "batch",
            str(source),
            "--summary",
            str(folder / "summary.json"),
            "--scores",
            str(folder / "scores.csv"),
            *extra,
        ],
    )
    output = result.output.replace(str(folder), "OUT")
    summary = (folder / "summary.json").read_bytes()
    scores = (folder / "scores.csv").read_bytes()
    leftovers = sorted(p.name for p in folder.iterdir())
    assert leftovers == ["scores.csv", "summary.json"], leftovers  # no part files left
    assert (folder / "scores.csv").stat().st_mode & 0o777 == 0o600
    return output, summary, scores


def _whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_module, "_may_split", lambda options, files: False)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record what each attempt to read in halves returned."""
    seen: list[bool] = []
    real = halves.read_in_halves

    def spy(*args: object, **kwargs: object) -> bool:
        done = real(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(done)
        return done

    monkeypatch.setattr(halves, "read_in_halves", spy)
    return seen


def test_two_halves_give_what_one_reader_gives(
    tmp_path: Path, small_halves: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = export(tmp_path / "export.csv", 3000)
    seen = _counting(monkeypatch)
    halved = _batch(tmp_path / "halves", source)
    assert seen == [True]
    _whole(monkeypatch)
    whole = _batch(tmp_path / "whole", source)
    assert halved == whole  # messages, summary and scores, byte for byte
    output, summary, scores = halved
    assert "scored 2997 response(s) from 1 input(s); 3 rejected" in output
    # Rows numbered as one reader numbers them, in the second half too (csv.reader's count).
    table = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))
    cut = _source(source).split_point()
    assert cut is not None
    maybe = [n for n, row in enumerate(table, 1) if "Maybe" in row]
    assert [e["row"] for e in json.loads(summary)["errors"]] == maybe
    assert maybe[-1] > cut[1]
    blank = [n for n, row in enumerate(table, 1) if row and row[0] == "" and "Maybe" not in row]
    assert blank[-1] > cut[1]
    for n in blank:  # a blank id is named after its row
        assert f"\r\nrow-{n},".encode() in scores


def test_json_lines_scores_too(
    tmp_path: Path, small_halves: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = export(tmp_path / "export.csv", 800, seed=3)
    seen = _counting(monkeypatch)
    first = runner.invoke(app, ["batch", str(source), "--scores", str(tmp_path / "a.jsonl")])
    _whole(monkeypatch)
    second = runner.invoke(app, ["batch", str(source), "--scores", str(tmp_path / "b.jsonl")])
    assert seen == [True]
    assert first.output.replace("a.jsonl", "b.jsonl") == second.output
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def _source(path: Path) -> csv_export.CsvExport:
    scorer = CompiledScorer(FRAMEWORK)
    source = open_source(path, FRAMEWORK, scorer, CsvOptions())
    assert isinstance(source, csv_export.CsvExport)
    return source


def test_the_cut_is_after_a_row_and_numbers_the_row_there(tmp_path: Path, small_halves: None):
    source = _source(export(tmp_path / "export.csv", 400, seed=5))
    cut = source.split_point()
    assert cut is not None
    start, row = cut
    data = source.path.read_bytes()
    assert data[start - 1 : start] == b"\n" and start >= len(data) // 2
    # As csv.reader counts rows: the header is row 1.
    before = list(csv.reader(io.StringIO(data[:start].decode("utf-8"), newline="")))
    assert row == len(before) + 1
    after = next(csv.reader(io.StringIO(data[start:].decode("utf-8"), newline="")))
    assert after == list(csv.reader(io.StringIO(data.decode(), newline="")))[row - 1]


@pytest.mark.parametrize(
    ("why", "change"),
    [
        ("under the threshold", None),
        ("a lone carriage return", lambda data: data.replace(b"\r\n", b"\r", 5)),
        ("UTF-16", "utf-16"),
    ],
)
def test_some_files_are_never_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why, change):
    path = export(tmp_path / "export.csv", 300)
    if why != "under the threshold":
        monkeypatch.setattr(csv_export, "SPLIT_BYTES", 1)
    if callable(change):
        path.write_bytes(change(path.read_bytes()))
    elif change == "utf-16":
        path.write_text(path.read_text(encoding="utf-8"), encoding="utf-16", newline="")
    assert _source(path).split_point() is None, why


def test_a_quote_in_an_unquoted_cell_means_the_file_is_read_whole(
    tmp_path: Path, small_halves: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A literal quote (12" ruler, unquoted) makes the count of quotes odd before the middle,
    so the cut falls inside a quoted comment: the first half ends inside a row, and the
    halves are thrown away unused."""
    rows = 600
    probe = export(tmp_path / "probe.csv", rows)
    middle_row = probe.read_bytes()[: probe.stat().st_size // 2].count(b"\n") - 1
    answers = ",".join(["Often"] * len(FRAMEWORK.indicators))
    extra = {
        10: f'11,Ann Lee,{answers},A 12" ruler',
        middle_row - 3: f'{middle_row - 2},Bo Chan,{answers},"'
        + "\n".join(["a long comment"] * 80)
        + '"',
    }
    source = export(tmp_path / "export.csv", rows, extra=extra)
    seen = _counting(monkeypatch)
    halved = _batch(tmp_path / "halves", source)
    _whole(monkeypatch)
    whole = _batch(tmp_path / "whole", source)
    assert seen == [False]
    assert halved == whole


def test_a_failed_second_half_means_the_file_is_read_whole(
    tmp_path: Path, small_halves: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = export(tmp_path / "export.csv", 500)
    real = csv_export.CsvExport.chunks

    def chunks(self, on_progress=None, *, start=None, end=None):  # type: ignore[no-untyped-def]
        if start is not None:
            raise MemoryError("the child runs out")
        return real(self, on_progress, start=start, end=end)

    monkeypatch.setattr(csv_export.CsvExport, "chunks", chunks)
    seen = _counting(monkeypatch)
    halved = _batch(tmp_path / "halves", source)
    monkeypatch.setattr(csv_export.CsvExport, "chunks", real)
    _whole(monkeypatch)
    assert seen == [False]
    assert halved == _batch(tmp_path / "whole", source)


@pytest.mark.parametrize(
    "options",
    [["--anonymise"], ["--out-dir", "reports"], ["--scores", "null.csv"]],
    ids=["anonymise", "out-dir", "device"],
)
def test_runs_that_need_every_response_in_one_place_are_not_cut(
    tmp_path: Path, small_halves: None, monkeypatch: pytest.MonkeyPatch, options: list[str]
) -> None:
    source = export(tmp_path / "export.csv", 300)
    seen = _counting(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "null.csv").symlink_to("/dev/null")  # a device: written in place
    result = runner.invoke(app, ["batch", str(source), *options])
    assert "scored" in result.output
    assert seen == []


def test_two_inputs_are_not_cut(
    tmp_path: Path, small_halves: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export(tmp_path / "a.csv", 300)
    second = export(tmp_path / "b.csv", 300, seed=9)
    seen = _counting(monkeypatch)
    result = runner.invoke(app, ["batch", str(first), str(second)])
    assert "scored" in result.output
    assert seen == []


def test_ctrl_c_in_the_first_half_leaves_nothing_behind(
    tmp_path: Path, small_halves: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = export(tmp_path / "export.csv", 2000)
    parent = os.getpid()
    real = halves._fill

    def interrupted(part, items):  # type: ignore[no-untyped-def]
        if os.getpid() == parent:
            raise KeyboardInterrupt
        return real(part, items)

    monkeypatch.setattr(halves, "_fill", interrupted)
    children: list[int] = []
    start_child = halves._Child.__init__

    def remember(self, work):  # type: ignore[no-untyped-def]
        start_child(self, work)
        children.append(self.pid)

    monkeypatch.setattr(halves._Child, "__init__", remember)
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(
        app,
        ["batch", str(source), "--scores", str(out / "s.csv"), "--summary", str(out / "s.json")],
    )
    assert result.exit_code == 130
    assert "interrupted: nothing was written" in result.output
    assert list(out.iterdir()) == []  # no scores, no summary, no part files
    assert len(children) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # the child was stopped and reaped


def test_the_people_table_of_two_halves_is_that_of_one(tmp_path: Path) -> None:
    from lpc_assess.pipeline.people import PEOPLE_LIMIT, PeopleTable, PersonRow

    def table(ids: range) -> PeopleTable:
        people = PeopleTable()
        people.rows = [PersonRow(str(i), None, [], None) for i in ids][: PEOPLE_LIMIT + 1]
        people.total = len(ids)
        return people

    for cut in (0, 10, PEOPLE_LIMIT, PEOPLE_LIMIT + 5):
        first, whole = table(range(cut)), table(range(PEOPLE_LIMIT + 40))
        first.merge(table(range(cut, PEOPLE_LIMIT + 40)))
        assert [r.id for r in first.rows] == [r.id for r in whole.rows]
        assert first.total == whole.total and first.shown == whole.shown
