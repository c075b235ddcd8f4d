"""Progress on stderr while a batch reads its inputs: a bar on a terminal, else nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    pass


class Progress(Protocol):
    def advance(self, amount: int) -> None: ...

    def close(self) -> None: ...


class _NoProgress:
    def advance(self, amount: int) -> None:
        pass

    def close(self) -> None:
        pass


class _RichProgress:
    """A progress bar on stderr, by bytes of input read."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

        from lpc_assess.writers.terminal import stderr_console

        self._bar = Progress(
            TextColumn("scoring"),
            BarColumn(),
            TaskProgressColumn(),
            console=stderr_console(),
            transient=True,
        )
        self._task = self._bar.add_task("scoring", total=max(total, 1))
        self._bar.start()

    def advance(self, amount: int) -> None:
        self._bar.advance(self._task, amount)

    def close(self) -> None:
        self._bar.stop()


def progress_for(files: list[Path]) -> Progress:
    """A bar on stderr when it is a terminal (by bytes of input), else no display."""
    from lpc_assess.writers.terminal import is_terminal

    if not is_terminal(sys.stderr):
        return _NoProgress()
    total = 0
    for path in files:
        total += file_size(path)
    return _RichProgress(total)


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
