"""Every command over every hostile input that fits it (tests/data/hostile/).

For each run: exit code 1 or 2; a clear message naming the input; no
traceback; done in under 5 seconds; nothing written outside the requested
output; no code run. Failing writes leave the previous file intact.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO

HOSTILE = DATA / "hostile"
# Valid inputs with hostile content: they must work, and the content must stay inert.
INERT = {"template-injection.yaml", "formula.csv"}
YAMLISH = sorted(
    p.name for p in HOSTILE.iterdir() if p.suffix in (".yaml", ".json") and p.name not in INERT
)
CSVS = sorted(p.name for p in HOSTILE.iterdir() if p.suffix == ".csv" and p.name not in INERT)
GENERATED = ["big.yaml", "big-cell.csv", "loop.yaml", "missing.yaml", "folder.yaml"]


def make_generated(root: Path) -> None:
    """Entries too big to commit or that git cannot hold."""
    (root / "big.yaml").write_bytes(
        b"framework: personalised-care\nnotes: {x: '" + b"x" * (2 << 20) + b"'}\n"
    )
    (root / "big-cell.csv").write_text(
        'id,knows-what-matters\nr1,"' + "x" * (3 << 20) + '"\n', encoding="utf-8"
    )
    (root / "loop.yaml").symlink_to(root / "loop.yaml")
    (root / "folder.yaml").mkdir()


def snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if not p.is_symlink() or p.exists()}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO / "src")}
    env.pop("GITHUB_ACTIONS", None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "lpc_assess", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
        stdin=subprocess.DEVNULL,
    )
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"{args} took {elapsed:.1f}s"
    return result


def check_refused(result: subprocess.CompletedProcess[str], name: str) -> None:
    assert result.returncode in (1, 2), (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr, result.stderr
    assert name.split(".")[0] in result.stderr, result.stderr
    assert not any(len(line) > 2000 for line in result.stderr.splitlines())


@pytest.fixture
def arena(tmp_path: Path) -> Path:
    """A working folder holding a copy of the corpus and the generated entries."""
    for entry in HOSTILE.iterdir():
        shutil.copy(entry, tmp_path / entry.name)
    make_generated(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", [*YAMLISH, *GENERATED])
def test_report_refuses_hostile_answers(arena: Path, name: str) -> None:
    before = snapshot(arena)
    result = run(["report", name, "--format", "html", "--output", "out.html"], arena)
    check_refused(result, name)
    assert snapshot(arena) == before
    assert not (arena / "PWNED").exists()


@pytest.mark.parametrize("name", [*YAMLISH, *GENERATED])
def test_validate_and_show_refuse_hostile_frameworks(arena: Path, name: str) -> None:
    source = arena / name
    folder = arena / "fw"
    folder.mkdir()
    if source.is_symlink() or source.is_dir() or not source.exists():
        target = folder / "framework.yaml"
        if source.is_dir():
            target.mkdir()
        elif source.is_symlink():
            target.symlink_to(target)
    else:
        shutil.copy(source, folder / "framework.yaml")
    before = snapshot(arena)
    for args in (
        ["validate", "fw"],
        ["show", "fw"],
        ["blank", "--framework", "fw", "--format", "yaml"],
    ):
        result = run(args, arena)
        check_refused(result, "framework")
    assert snapshot(arena) == before
    assert not (arena / "PWNED").exists()


@pytest.mark.parametrize(
    "name", [n for n in YAMLISH if n.endswith(".yaml")] + ["big.yaml", "loop.yaml"]
)
def test_take_refuses_a_hostile_answers_file_and_keeps_it(arena: Path, name: str) -> None:
    path = arena / name
    content = path.read_bytes() if path.exists() and path.is_file() else None
    result = run(["take", "--answers", name], arena)
    check_refused(result, name)
    if content is not None:
        assert path.read_bytes() == content
    assert not (arena / "PWNED").exists()


@pytest.mark.parametrize("name", [*CSVS, "big-cell.csv", *YAMLISH, "missing.yaml", "folder.yaml"])
def test_batch_rejects_hostile_inputs_and_writes_only_what_was_asked(
    arena: Path, name: str
) -> None:
    out = arena / "out"
    before = snapshot(arena)
    result = run(["batch", name, "--summary", "out/summary.json", "--out-dir", "out"], arena)
    check_refused(result, name)
    written = snapshot(arena) - before
    assert all(p == "out" or p.startswith("out/") for p in written), written
    assert not (arena / "PWNED").exists()
    if out.exists():
        for file in out.rglob("*"):
            assert not file.name.startswith("."), f"temporary file left: {file}"


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_template_syntax_in_answers_stays_as_typed(arena: Path, fmt: str) -> None:
    result = run(["report", "template-injection.yaml", "--format", fmt], arena)
    assert result.returncode == 0, result.stderr
    import html

    shown = html.unescape(result.stdout).replace("\\", "")
    if fmt == "json":
        shown = shown.replace("\\u003c", "<").replace("\\u003e", ">")
    assert "{{ 7*7 }}" in shown  # the respondent id, as typed
    if fmt != "json":  # the JSON of §5 carries no pledge
        assert "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}" in shown
    assert not (arena / "PWNED").exists()


def test_output_path_that_is_a_folder(tmp_path: Path) -> None:
    answers = DATA / "answers" / "alex.yaml"
    if not answers.exists():
        pytest.skip("no answers fixture")
    (tmp_path / "out.html").mkdir()
    result = run(["report", str(answers), "--format", "html", "--output", "out.html"], tmp_path)
    assert result.returncode == 1
    assert "out.html" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_output_folder(tmp_path: Path) -> None:  # pragma: no cover - root here
    answers = DATA / "answers" / "alex.yaml"
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = run(["report", str(answers), "--output", "locked/r.md"], tmp_path)
        assert result.returncode == 1 and "locked" in result.stderr
    finally:
        locked.chmod(stat.S_IRWXU)


def test_read_only_output_folder_as_root_is_simulated(tmp_path: Path) -> None:
    """Root ignores folder permissions, so make the write fail another way: a full 'disk'."""
    answers = DATA / "answers" / "alex.yaml"
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    result = run(["report", str(answers), "--output", "/dev/full/r.md"], tmp_path)
    assert result.returncode == 1
    assert "/dev/full" in result.stderr and "Traceback" not in result.stderr


def test_a_write_failing_half_way_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one writer (files.atomic_write) either replaces the file whole or not at all."""
    from lpc_assess.writers import files

    target = tmp_path / "report.md"
    target.write_text("previous report\n")
    real_write = os.write

    class Boom(OSError):
        pass

    def failing_fsync(fd: int) -> None:
        raise Boom(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", failing_fsync)
    with pytest.raises(Boom):
        files.atomic_write(target, "new report that is much longer\n" * 1000)
    assert target.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
    assert real_write is os.write


# --- Special files: only regular files are read, and outputs never replace one. ---


def run_quick(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI; a FIFO opened for reading would block, so the timeout is short."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO / "src")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "lpc_assess", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=10,
        stdin=subprocess.DEVNULL,
    )


def make_null_device(path: Path) -> None:
    """A twin of /dev/null (character device 1, 3): needs root, as in CI here."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:  # pragma: no cover - root in CI
        pytest.skip("making a device needs root")


@pytest.fixture
def special(tmp_path: Path) -> Path:
    """A folder with a framework, an answers file, and FIFOs/devices where inputs go."""
    shutil.copytree(BUILTIN_FRAMEWORK, tmp_path / "fw")
    shutil.copytree(BUILTIN_FRAMEWORK, tmp_path / "fw-fifo")
    (tmp_path / "fw-fifo" / "framework.yaml").unlink()
    os.mkfifo(tmp_path / "fw-fifo" / "framework.yaml")
    shutil.copytree(BUILTIN_FRAMEWORK, tmp_path / "fw-theme")
    (tmp_path / "fw-theme" / "being.yaml").unlink()
    os.mkfifo(tmp_path / "fw-theme" / "being.yaml")
    shutil.copy(DATA / "answers" / "alex.yaml", tmp_path / "alex.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "team").mkdir()
    shutil.copy(DATA / "answers" / "alex.yaml", tmp_path / "team" / "alex.yaml")
    os.mkfifo(tmp_path / "team" / "pipe.csv")
    return tmp_path


BUILTIN_FRAMEWORK = REPO / "frameworks" / "personalised-care"


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "fw-fifo"],
        ["validate", "fw-theme"],
        ["show", "fw-fifo"],
        ["blank", "--framework", "fw-theme", "--format", "csv"],
        ["report", "alex.yaml", "--framework", "fw-theme"],
        ["report", "pipe.yaml"],
        ["report", "alex.yaml", "--compare", "pipe.yaml"],
        ["take", "--answers", "pipe.yaml"],
        ["batch", "pipe.csv"],
        ["batch", "team"],
        ["batch", "alex.yaml", "--map", "pipe.yaml"],
    ],
    ids=" ".join,
)
def test_a_fifo_input_is_refused_unopened(special: Path, args: list[str]) -> None:
    started = time.monotonic()
    result = run_quick(args, special)
    assert time.monotonic() - started < 5
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if "not-a-regular-file" in line]
    assert len(lines) == 1, output
    assert "named pipe" in lines[0]


@pytest.mark.parametrize("args", [["report", "dev.yaml"], ["batch", "dev.csv"]], ids=" ".join)
def test_a_device_input_is_refused_unopened(tmp_path: Path, args: list[str]) -> None:
    make_null_device(tmp_path / args[1])
    result = run_quick(args, tmp_path)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "not-a-regular-file" in line]
    assert len(lines) == 1 and args[1] in lines[0], result.stderr


def test_a_device_output_is_written_in_place(tmp_path: Path) -> None:
    shutil.copy(DATA / "answers" / "alex.yaml", tmp_path / "alex.yaml")
    for name in ("null", "null2.csv"):
        make_null_device(tmp_path / name)
    report = run_quick(["report", "alex.yaml", "--output", "null"], tmp_path)
    assert report.returncode == 0, report.stderr
    batch = run_quick(
        ["batch", "alex.yaml", "--summary", "null", "--scores", "null2.csv"], tmp_path
    )
    assert batch.returncode == 0, batch.stderr
    for name in ("null", "null2.csv"):
        assert stat.S_ISCHR((tmp_path / name).stat().st_mode), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alex.yaml", "null", "null2.csv"]


@pytest.mark.parametrize(
    "args",
    [
        ["report", "alex.yaml", "--output", "out.fifo"],
        ["batch", "alex.yaml", "--summary", "out.fifo"],
        ["batch", "alex.yaml", "--scores", "out.fifo.csv"],
        ["batch", "alex.yaml", "--scores", "out.fifo.jsonl"],
    ],
    ids=" ".join,
)
def test_a_fifo_output_is_refused(tmp_path: Path, args: list[str]) -> None:
    shutil.copy(DATA / "answers" / "alex.yaml", tmp_path / "alex.yaml")
    fifo = tmp_path / args[-1]
    os.mkfifo(fifo)
    result = run_quick(args, tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{args[-1]}" in result.stderr and "named pipe" in result.stderr, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alex.yaml", args[-1]]


def test_atomic_write_refuses_a_socket(tmp_path: Path) -> None:
    import socket

    from lpc_assess.writers.files import NotARegularFile, atomic_write

    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(NotARegularFile) as caught:
            atomic_write(path, "text")
    assert caught.value.filename == str(path) and "socket" in str(caught.value.strerror)
    assert stat.S_ISSOCK(path.stat().st_mode)


# --- YAML aliases: the text they expand to is budgeted. ---


def alias_bomb(references: int) -> str:
    anchor = "x" * 4900
    items = ", ".join(["*a"] * references)
    return f"framework: personalised-care\nnotes:\n  a: &a '{anchor}'\n  b: [{items}]\n"


def test_aliases_expanding_to_too_much_text_are_refused_quickly() -> None:
    from lpc_assess.diagnostics import InputError
    from lpc_assess.inputs.documents import parse_yaml

    text = alias_bomb(190_000)  # ~770 KB that would expand to ~930 MB of text
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "bomb.yaml")
    assert time.monotonic() - started < 2
    (problem,) = caught.value.diagnostics
    assert problem.code == "too-much-expansion"
    assert problem.line == 4 and problem.col is not None


def test_aliases_are_budgeted_against_a_small_files_size() -> None:
    from lpc_assess.diagnostics import InputError
    from lpc_assess.inputs.documents import parse_yaml

    text = alias_bomb(12)  # 5 KB, expanding to ~59 KB: over 10 x its size
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "small.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["too-much-expansion"]


def test_a_document_with_a_few_aliases_still_loads() -> None:
    from lpc_assess.inputs.documents import parse_yaml

    text = "base: &b {x: 'some words', y: [1, 2]}\nuse: [*b, *b, *b]\nlong: &l 'text'\nagain: *l\n"
    document = parse_yaml(text, "ok.yaml")
    assert document.data["use"] == [{"x": "some words", "y": [1, 2]}] * 3
    assert document.data["again"] == "text"


def test_report_refuses_an_alias_bomb_answers_file(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(alias_bomb(190_000), encoding="utf-8")
    result = run(["report", "bomb.yaml", "--output", "out.md"], tmp_path)
    assert result.returncode == 1
    assert "bomb.yaml:4:" in result.stderr and "too-much-expansion" in result.stderr
    assert not (tmp_path / "out.md").exists()


# --- Every CSV written neutralises formulas. ---


def test_blank_csv_neutralises_formula_statements(tmp_path: Path) -> None:
    import csv
    import io

    import yaml

    folder = tmp_path / "fw"
    shutil.copytree(BUILTIN_FRAMEWORK, folder)
    theme = yaml.safe_load((folder / "being.yaml").read_text(encoding="utf-8"))
    formulas = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]
    for indicator, formula in zip(theme["indicators"], formulas, strict=False):
        indicator["statement"] = formula
    (folder / "being.yaml").write_text(yaml.safe_dump(theme), encoding="utf-8")
    result = run(["blank", "--framework", "fw", "--format", "csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    header, statements = list(csv.reader(io.StringIO(result.stdout)))
    for formula in formulas:
        assert "'" + formula in statements
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in [*header, *statements])
    # A filled-in copy is still read by batch: the statement row is known and skipped.
    answers = ",".join(["r1", "Robin", *["3"] * (len(header) - 2)])
    (tmp_path / "filled.csv").write_text(result.stdout + answers + "\n", encoding="utf-8")
    scored = run(["batch", "filled.csv", "--framework", "fw"], tmp_path)
    assert scored.returncode == 0, scored.stderr
    assert "scored 1 response" in scored.stdout + scored.stderr
