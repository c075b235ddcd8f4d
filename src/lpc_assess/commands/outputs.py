"""Outputs never clobber inputs or each other (docs/files-and-privacy.md).

Every command that writes files checks, before reading or writing anything,
that no output path is one of its inputs (answers, CSV exports, framework
files, templates, `--map`) or another of its outputs. Either is a usage error
(exit 2): a report written over the answers it came from would lose them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

FRAMEWORK_SUFFIXES = (".yaml", ".yml", ".json")


class OutputClash(Exception):
    """An output path that is an input or another output; str() is the one-line message."""


def same_file(a: Path, b: Path) -> bool:
    """True when `a` and `b` name one file (links and `..` followed; need not exist)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False


def framework_inputs(spec: str | None) -> list[Path]:
    """The files a framework is read from: its framework.yaml and every file beside it."""
    from lpc_assess.diagnostics import InputError
    from lpc_assess.model.lookup import framework_file

    try:
        main = framework_file(spec)
    except InputError:
        return []  # reported when the framework is loaded
    files = [main]
    folder = main.parent
    if main.name == "framework.yaml" and folder.is_dir():
        files += [
            p
            for p in sorted(folder.rglob("*"))
            if p.suffix.lower() in FRAMEWORK_SUFFIXES and p.is_file()
        ]
    return files


def template_inputs(folder: Path | None) -> list[Path]:
    """The template files of `--template`, if any."""
    if folder is None or not folder.is_dir():
        return []
    return [p for p in sorted(folder.iterdir()) if p.is_file()]


def check_outputs(
    outputs: Sequence[tuple[str, Path | None]],
    inputs: Iterable[tuple[str, Path | None]],
) -> None:
    """OutputClash if an output is an input, or two outputs are one file.

    `outputs` and `inputs` pair what the user typed (`--output`, `ANSWERS`) with the path.
    """
    given = [(flag, path) for flag, path in outputs if path is not None]
    read = [(what, path) for what, path in inputs if path is not None]
    for flag, path in given:
        if _is_device(path):
            continue  # /dev/null, /dev/stdout: written in place, never replaced
        for what, source in read:
            if same_file(path, source):
                raise OutputClash(
                    f"{flag} {path}: is {what}, which this command reads; "
                    "writing there would destroy it. Choose another file name"
                )
    for i, (flag, path) in enumerate(given):
        for other_flag, other in given[i + 1 :]:
            if not _is_device(path) and same_file(path, other):
                raise OutputClash(
                    f"{flag} {path} and {other_flag} {other} name the same file; "
                    "give each output its own file"
                )


def _is_device(path: Path) -> bool:
    import stat

    try:
        return stat.S_ISCHR(path.stat().st_mode)
    except OSError:
        return False
