"""The commands `take` prints name the program as the person can type it, quoted for a shell."""

from __future__ import annotations

import os
import shlex
import stat
from pathlib import Path

import pytest

from lpc_assess.questionnaire.invocation import (
    program_words,
    report_command,
    resume_command,
    retake_command,
)


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_make_run_gives_the_venv_path_from_the_project_folder(tmp_path: Path) -> None:
    # `make run` runs `.venv/bin/lpc-assess take`: that is what argv[0] holds.
    executable(tmp_path / ".venv" / "bin" / "lpc-assess")
    for argv0 in (".venv/bin/lpc-assess", str(tmp_path / ".venv" / "bin" / "lpc-assess")):
        assert program_words(argv0, cwd=str(tmp_path), search="") == [".venv/bin/lpc-assess"]


def test_a_program_found_on_the_path_is_named_bare(tmp_path: Path) -> None:
    program = executable(tmp_path / "bin" / "lpc-assess")
    search = str(tmp_path / "bin")
    assert program_words(str(program), cwd="/", search=search) == ["lpc-assess"]
    # A later shell (a calendar's reminder, weeks on) may have another PATH.
    assert program_words(str(program), cwd="/", search=search, anywhere=True) == [str(program)]


def test_another_program_of_the_same_name_on_the_path_is_not_this_one(tmp_path: Path) -> None:
    executable(tmp_path / "elsewhere" / "lpc-assess")
    ours = executable(tmp_path / "work" / "venv" / "bin" / "lpc-assess")
    words = program_words(str(ours), cwd=str(tmp_path / "work"), search=str(tmp_path / "elsewhere"))
    assert words == ["venv/bin/lpc-assess"]


def test_outside_the_folder_or_for_anywhere_the_path_is_absolute(tmp_path: Path) -> None:
    ours = executable(tmp_path / "tools" / "lpc-assess")
    (tmp_path / "answers").mkdir()
    assert program_words(str(ours), cwd=str(tmp_path / "answers"), search="") == [str(ours)]
    assert program_words("tools/lpc-assess", cwd=str(tmp_path), search="", anywhere=True) == [
        str(ours)
    ]


def test_a_program_in_the_folder_itself_gets_dot_slash(tmp_path: Path) -> None:
    executable(tmp_path / "lpc-assess")
    assert program_words(str(tmp_path / "lpc-assess"), cwd=str(tmp_path), search="") == [
        "./lpc-assess"
    ]


def test_python_dash_m_names_the_interpreter_and_the_module(tmp_path: Path) -> None:
    python = executable(tmp_path / ".venv" / "bin" / "python")
    words = program_words(
        "/somewhere/src/lpc_assess/__main__.py",
        executable=str(python),
        cwd=str(tmp_path),
        search="",
    )
    assert words == [".venv/bin/python", "-m", "lpc_assess"]


def test_a_bare_name_is_left_as_it_is() -> None:
    assert program_words("lpc-assess", cwd="/", search="") == ["lpc-assess"]


@pytest.mark.parametrize("folder", ["my answers", "it's here", "plain"])
def test_commands_split_back_into_the_same_words(folder: str) -> None:
    program = [f"/opt/{folder}/bin/lpc-assess"]
    answers = Path(folder) / "lpc-answers-2026-11-23.yaml"
    command = resume_command(
        "./frameworks/ours", answers, Path(folder) / "r.md", program=program, previous=answers
    )
    assert shlex.split(command) == [
        *program,
        "take",
        "--framework",
        "./frameworks/ours",
        "--answers",
        str(answers),
        "--report",
        f"{folder}/r.md",
        "--previous",
        str(answers),
    ]
    report = report_command(answers, "md", Path("r.md"), program=program, compare=answers)
    assert shlex.split(report) == [
        *program,
        "report",
        str(answers),
        "--format",
        "md",
        "--output",
        "r.md",
        "--compare",
        str(answers),
    ]


def test_the_default_framework_is_not_named() -> None:
    assert resume_command("personalised-care", Path("a.yaml"), None) == (
        "lpc-assess take --answers a.yaml"
    )


def test_the_retake_command_works_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "my answers"
    (folder / "frameworks" / "ours").mkdir(parents=True)
    monkeypatch.chdir(folder)
    command = retake_command(
        "frameworks/ours", Path("lpc-answers-2026-11-23.yaml"), program=["/opt/bin/lpc-assess"]
    )
    words = shlex.split(command)
    assert words[:3] == ["cd", str(folder), "&&"]
    assert words[3:] == [
        "/opt/bin/lpc-assess",
        "take",
        "--framework",
        str(folder / "frameworks" / "ours"),
        "--previous",
        "lpc-answers-2026-11-23.yaml",
    ]
    # An id stays an id; the default framework is not named.
    assert "--framework" not in retake_command(None, Path("a.yaml"))
    assert "--framework my-id" in retake_command("my-id", Path("a.yaml"))
    assert os.path.isabs(shlex.split(retake_command(None, Path("a.yaml")))[1])
