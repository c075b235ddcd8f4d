"""Safe file writing: atomic replacement, private modes, safe names."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from lpc_assess.writers import files
from lpc_assess.writers.files import UniqueNames, atomic_write, inside, slugify


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_private_write_is_readable_only_by_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    atomic_write(target, "a: 1\n", private=True)
    assert target.read_text() == "a: 1\n"
    assert mode(target) == 0o600


def test_private_write_tightens_an_existing_open_file(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("old\n")
    target.chmod(0o644)
    atomic_write(target, "new\n", private=True)
    assert target.read_text() == "new\n"
    assert mode(target) == 0o600


def test_writes_are_private_by_default_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        atomic_write(tmp_path / "report.html", b"<p>hi</p>")
    finally:
        os.umask(old)
    assert mode(tmp_path / "report.html") == 0o600
    assert (tmp_path / "report.html").read_bytes() == b"<p>hi</p>"


def test_shared_write_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "framework.yaml", b"id: x\n", private=False)
    finally:
        os.umask(old)
    assert mode(tmp_path / "framework.yaml") == 0o644


def test_unicode_text_is_written_as_utf8(tmp_path: Path) -> None:
    atomic_write(tmp_path / "n.yaml", "pledge: café – ✓\n", private=True)
    assert (tmp_path / "n.yaml").read_bytes() == "pledge: café – ✓\n".encode()


def test_a_relative_path_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    atomic_write(Path("here.yaml"), "x\n", private=True)
    assert (tmp_path / "here.yaml").read_text() == "x\n"
    assert leftovers(tmp_path) == []


def test_a_failing_rename_leaves_the_previous_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "answers.yaml"
    atomic_write(target, "answers: {a: 1}\n", private=True)

    def fail(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, "answers: {a: 1, b: 2}\n", private=True)
    assert target.read_text() == "answers: {a: 1}\n"
    assert mode(target) == 0o600
    assert leftovers(tmp_path) == []


def test_ctrl_c_in_the_middle_of_a_write_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("previous\n")
    written: list[int] = []

    def interrupted_fsync(fd: int) -> None:
        # The new data has been written to the temporary file, not yet renamed.
        written.append(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "next\n" * 1000, private=True)
    assert written
    assert target.read_text() == "previous\n"
    assert leftovers(tmp_path) == []


def test_a_folder_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic_write(tmp_path / "d", "x")
    assert (tmp_path / "d").is_dir()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "value, slug",
    [
        ("Alex Smith", "alex-smith"),
        ("  Zoë O'Brien  ", "zoe-o-brien"),
        ("../x", "x"),
        ("../../etc/passwd", "etc-passwd"),
        ("con", "con-file"),
        ("NUL", "nul-file"),
        ("com1", "com1-file"),
        ("", "respondent"),
        ("..", "respondent"),
        ("名前", "respondent"),
    ],
)
def test_slugify(value: str, slug: str) -> None:
    assert slugify(value) == slug


def test_slugify_fallback_and_length() -> None:
    assert slugify("!!!", fallback="team") == "team"
    long = slugify("a" * 50 + " " + "b" * 50, max_length=60)
    assert len(long) <= 60 and not long.endswith("-")


def test_unique_names_never_hand_out_the_same_name_twice() -> None:
    names = UniqueNames()
    taken = [names.take(v) for v in ["alex", "Alex", "ALEX!", "", "", "con"]]
    assert taken == ["alex", "alex-2", "alex-3", "respondent", "respondent-2", "con-file"]
    assert len(set(taken)) == len(taken)


def test_inside(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    assert inside(tmp_path, tmp_path / "a" / "b.yaml")
    assert not inside(tmp_path / "a", tmp_path / "a" / ".." / "b.yaml")
    (tmp_path / "a" / "link").symlink_to(tmp_path)
    assert not inside(tmp_path / "a", tmp_path / "a" / "link" / "x")
