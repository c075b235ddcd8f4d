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
