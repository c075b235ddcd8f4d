"""The inputs of a batch: given files, the files in given folders, and a source for each.

`expand_inputs` turns the paths a user gave into files; `open_source` opens one
file as the `Source` (inputs/source.py) of its format, chosen by its suffix.
A new format is one class and one line in `open_source`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lpc_assess.diagnostics import Diagnostic, row_problem

if TYPE_CHECKING:
    from lpc_assess.inputs.options import CsvOptions
    from lpc_assess.inputs.source import RejectedRow, Source
    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.compiled import CompiledScorer
    from lpc_assess.scoring.scored import ScoredChunk


ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")


CSV_SUFFIXES = (".csv", ".tsv", ".txt")


# In folders: the formats read, and the spreadsheet formats that are not (each gets a line
# saying how to save it, rather than passing unseen).
FOLDER_SUFFIXES = (
    ".yaml",
    ".yml",
    ".json",
    ".csv",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".xlsb",
    ".ods",
    ".numbers",
)


def open_source(
    path: Path, framework: Framework, scorer: CompiledScorer, options: CsvOptions
) -> Source:
    """`path` opened as the source of its format; InputError if it cannot be read."""
    from lpc_assess.diagnostics import InputError
    from lpc_assess.inputs.reading import display_path

    suffix = path.suffix.lower()
    from lpc_assess.inputs.own_output import OwnOutput, written_by_us

    what = written_by_us(path)
    if what is not None:
        return OwnOutput(display_path(path), what, path.stat().st_size)
    if suffix in ANSWERS_SUFFIXES:
        from lpc_assess.inputs.answers_file import AnswersFile

        return AnswersFile(path, framework, scorer)
    if suffix in CSV_SUFFIXES:
        from lpc_assess.inputs.csv_export import open_export

        return open_export(path, framework, scorer, options)
    from lpc_assess.inputs.workbook import WORKBOOK_SUFFIXES, open_workbook, other_spreadsheet

    if suffix in WORKBOOK_SUFFIXES:
        return open_workbook(path, framework, scorer, options)
    refused = other_spreadsheet(path)
    if refused is not None:
        raise refused
    raise InputError(
        [
            row_problem(
                display_path(path),
                None,
                None,
                "unsupported-input",
                "not an answers file, CSV export or Excel workbook "
                "(use .yaml, .yml, .json, .csv or .xlsx)",
            )
        ]
    )


@dataclass
class InputRead:
    """What reading one input gave besides its responses.

    `source` is None when the input could not be opened. `failure` holds the
    diagnostics that rejected the input as a whole (empty when it was read);
    `problems` the source's warnings, complete once its rows were read.
    """

    source: Source | None
    failure: list[Diagnostic] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return self.source.notes if self.source is not None else []

    @property
    def problems(self) -> list[Diagnostic]:
        return self.source.problems if self.source is not None and not self.failure else []


class ByteProgress:
    """A source's `on_progress` (bytes read so far) as the steps `advance` takes."""

    def __init__(self, advance: Callable[[int], None]) -> None:
        self.advance = advance
        self.done = 0

    def __call__(self, position: int) -> None:
        self.advance(position - self.done)
        self.done = position

    def rewind(self) -> None:
        """Back to nothing read (the input is read again from its start)."""
        self(0)


def read_input(
    path: Path,
    opener: Callable[[Path], Source],
    advance: Callable[[int], None],
    take: Callable[[ScoredChunk], None],
    reject: Callable[[RejectedRow], None],
) -> InputRead:
    """Stream one input: each chunk to `take`, each bad row to `reject`.

    What `batch`, `progress` and `analyse` share: `advance` gets the bytes read
    since its last call (the whole file when the input is refused), and an
    input that cannot be used is returned as a failure, never raised.
    """
    from lpc_assess.diagnostics import InputError
    from lpc_assess.inputs.source import RejectedRow

    progress = ByteProgress(advance)
    source = None
    try:
        source = opener(path)
        for item in source.chunks(progress):
            if isinstance(item, RejectedRow):
                reject(item)
            else:
                take(item)
    except InputError as exc:
        with contextlib.suppress(OSError):
            progress(path.stat().st_size)  # the whole file counts as read
        return InputRead(source, exc.diagnostics)
    return InputRead(source)


def expand_inputs(paths: list[Path], exclude: set[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Files to read, in order: given files, and every answers file, CSV export and
    spreadsheet in given folders.

    Folders are walked in sorted order, skipping hidden files and folders and
    Excel's `~$` lock files; each file is read once; `exclude` (this run's own
    outputs) is skipped.
    """
    from lpc_assess.inputs.reading import display_path

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
                        "no answers files, CSV exports or workbooks (.yaml, .yml, .json, .csv, "
                        ".xlsx) in this folder",
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
            if name.startswith((".", "~$")):
                continue  # hidden, or the lock file Excel keeps beside an open workbook
            if Path(name).suffix.lower() in FOLDER_SUFFIXES:
                path = Path(root) / name
                try:
                    mode: int | None = os.stat(path).st_mode
                except OSError:
                    mode = None
                yield path, mode
