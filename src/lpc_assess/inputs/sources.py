"""The inputs of a batch: given files, and the answers files and exports in given folders."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lpc_assess.diagnostics import Diagnostic, row_problem

if TYPE_CHECKING:
    pass


ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")


CSV_SUFFIXES = (".csv", ".tsv", ".txt")


FOLDER_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


def expand_inputs(paths: list[Path], exclude: set[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Files to read, in order: given files, and every answers/CSV file in given folders.

    Folders are walked in sorted order, skipping hidden files and folders;
    each file is read once; `exclude` (this run's own outputs) is skipped.
    """
    from lpc_assess.inputs.documents import display_path

    files: list[Path] = []
    problems: list[Diagnostic] = []
    seen: set[Path] = set()

    def take(path: Path) -> None:
        key = path.resolve()
        if key not in seen and key not in exclude:
            seen.add(key)
            files.append(path)

    for given in paths:
        if given.is_dir():
            found: list[Path] = []
            special = 0
            for path, mode in sorted(_walk(given)):
                if mode is None or stat.S_ISREG(mode):
                    found.append(path)  # unreadable entries are reported when read
                else:
                    special += 1
                    problems.append(_not_regular(display_path(path), mode))
            if not found and not special:
                problems.append(
                    row_problem(
                        display_path(given),
                        None,
                        None,
                        "empty-folder",
                        "no answers files or CSV exports (.yaml, .yml, .json, .csv) in this folder",
                    )
                )
            for path in found:
                take(path)
        elif given.is_file():
            take(given)
        elif given.exists():
            problems.append(_not_regular(str(given), given.stat().st_mode))
        else:
            problems.append(
                row_problem(str(given), None, None, "no-such-file", "no such file or folder")
            )
    return files, problems


def _not_regular(shown: str, mode: int) -> Diagnostic:
    """A FIFO, device or socket: reported, and never opened (a FIFO would block the run)."""
    from lpc_assess.inputs.reading import not_regular

    (problem,) = not_regular(shown, mode).diagnostics
    return problem


def _walk(folder: Path) -> Iterator[tuple[Path, int | None]]:
    """Each candidate file in `folder` with its mode (links followed; None if stat fails)."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in FOLDER_SUFFIXES:
                path = Path(root) / name
                try:
                    mode: int | None = os.stat(path).st_mode
                except OSError:
                    mode = None
                yield path, mode
