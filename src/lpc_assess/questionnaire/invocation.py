"""The commands `take` prints, written so that pasting them into a shell works.

The program is named as it was invoked, turned into what the person can type
where they are: `lpc-assess` when that name on the PATH is this program,
`.venv/bin/lpc-assess` after `make run`, `python -m lpc_assess` as
`.venv/bin/python -m lpc_assess`, an absolute path otherwise. Every word is
quoted for a POSIX shell (`'my answers.yaml'`). The command in the calendar
reminder must work from any folder and any shell, weeks later: it uses
absolute paths only.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_PROGRAM = ("lpc-assess",)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _typable(path: str, cwd: str, search: str | None, *, anywhere: bool) -> str:
    """`path` of an executable as a person types it: absolute when it must work `anywhere`
    (the PATH of a later shell may differ); else its bare name when the PATH finds this
    very file by that name; else relative to `cwd` (`./x`, `.venv/bin/x`) when inside it."""
    if os.sep not in path:
        return path
    absolute = os.path.normpath(os.path.join(cwd, path))
    if anywhere:
        return absolute
    name = os.path.basename(path)
    found = shutil.which(name, path=search)
    if found and _same_file(found, absolute):
        return name
    relative = os.path.relpath(absolute, cwd)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return absolute
    return relative if os.sep in relative else os.curdir + os.sep + relative


def program_words(
    argv0: str | None = None,
    *,
    executable: str | None = None,
    cwd: str | None = None,
    search: str | None = None,
    anywhere: bool = False,
) -> list[str]:
    """The words that run this program again, as it was invoked (`sys.argv[0]`).

    `anywhere=True` gives words that work from any folder. `search` is the PATH
    to look in (default: the environment's).
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    cwd = os.getcwd() if cwd is None else cwd
    if not argv0 or os.path.basename(argv0) in ("__main__.py", "-c", "-m"):
        # python -m lpc_assess: the interpreter, then the module.
        interpreter = executable or sys.executable or "python3"
        return [_typable(interpreter, cwd, search, anywhere=anywhere), "-m", "lpc_assess"]
    return [_typable(argv0, cwd, search, anywhere=anywhere)]


def resume_command(
    framework: str | None,
    answers: Path,
    report: Path | None,
    *,
    program: Sequence[str] = DEFAULT_PROGRAM,
    previous: Path | None = None,
) -> str:
    """The exact command that carries on with `answers`."""
    from lpc_assess.model.lookup import DEFAULT_FRAMEWORK

    words = [*program, "take"]
    if framework and framework != DEFAULT_FRAMEWORK:
        words += ["--framework", framework]
    words += ["--answers", str(answers)]
    if report is not None:
        words += ["--report", str(report)]
    if previous is not None:
        words += ["--previous", str(previous)]
    return shlex.join(words)


def report_command(
    answers: Path,
    fmt: str,
    output: Path,
    *,
    program: Sequence[str] = DEFAULT_PROGRAM,
    framework: str | None = None,
    compare: Path | None = None,
) -> str:
    """The command that writes the report of a complete answers file."""
    from lpc_assess.model.lookup import DEFAULT_FRAMEWORK

    words = [*program, "report", str(answers)]
    if framework and framework != DEFAULT_FRAMEWORK:
        words += ["--framework", framework]
    words += ["--format", fmt, "--output", str(output)]
    if compare is not None:
        words += ["--compare", str(compare)]
    return shlex.join(words)


def retake_command(
    framework: str | None, answers: Path, *, program: Sequence[str] = DEFAULT_PROGRAM
) -> str:
    """From any folder: go to the answers' folder and take the self-check again, following
    up `answers` (its pledge, and the comparison). `program` should be `anywhere` words."""
    from lpc_assess.model.lookup import DEFAULT_FRAMEWORK

    folder = answers.resolve().parent
    words = [*program, "take"]
    if framework and framework != DEFAULT_FRAMEWORK:
        given = Path(framework)
        words += ["--framework", str(given.resolve()) if given.exists() else framework]
    words += ["--previous", answers.name]
    return f"cd {shlex.quote(str(folder))} && {shlex.join(words)}"
