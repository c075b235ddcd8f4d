"""A large CSV export read by two processes at once, one half each, then put together.

`batch` of a single CSV export of 1 MiB or more (about 3,500 responses), on a
machine with two or more cores, reads it in two halves: this process the
first, a forked child the second. Each half goes into a part of the batch of
its own (team statistics, people, problems, and its rows of the scores file
in a private file beside it), and the child's part comes back pickled. The
parts are added to the batch, first half first, only when everything checks
out: the first half ended exactly where the second began (`WindowCut`
otherwise), on the row number the second was numbered from, and the child
finished. Anything else, and this returns False: the caller reads the file
whole, as always, so the outputs are exactly those of one reader
(tests/unit/pipeline/test_halves.py compares them byte for byte).

Left out, read whole: anonymised runs, `--out-dir`, 360 columns, more than
one input, a scores file on a device, and files that cannot be cut safely
(`CsvExport.split_point`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lpc_assess.inputs.csv_export import CsvExport, WindowCut
from lpc_assess.inputs.source import RejectedRow

if TYPE_CHECKING:
    from lpc_assess.scoring.scored import ScoredChunk


class Part(Protocol):
    """What a half is read into: a batch of its own, later added to the whole one."""

    def accept(self, chunk: ScoredChunk) -> None: ...

    def reject_row(self, row: RejectedRow) -> None: ...

    def result(self) -> object:
        """What the part counted, picklable (its rows of the scores file closed)."""
        ...

    def abort(self) -> None:
        """Close its rows of the scores file, and remove them."""
        ...


class Whole(Protocol):
    """The batch the halves are added to."""

    def part(self, rows: Path | None) -> Part: ...

    def absorb(self, result: object, rows: Path | None) -> None: ...


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def read_in_halves(
    whole: Whole,
    source: CsvExport,
    progress: Callable[[int], None],
    scores: Path | None,
) -> bool:
    """Read `source` in two halves into `whole`; False (and `whole` untouched) when it was
    not, or not safely, done: then the caller reads it whole."""
    if not hasattr(os, "fork") or cores() < 2:
        return False
    if source.columns.subject is not None or source.columns.relationship is not None:
        return False  # 360 rows take the row-by-row path and the 360 collector
    cut = source.split_point()
    if cut is None:
        return False
    start, row = cut
    rows: list[Path | None] = [None, None]
    parts: list[Part] = []
    done = False
    try:
        if scores is not None:
            rows = [_private_file(scores) for _ in range(2)]
        first, second = whole.part(rows[0]), whole.part(rows[1])
        parts = [first, second]
        try:
            child = _Child(lambda: _fill(second, source.chunks(start=(start, row))))
        except OSError:  # no process to spare (EAGAIN, ENOMEM): one reader will do
            return False
        try:
            _fill(first, source.chunks(progress, end=start))
            if source.last_row != row - 1:
                return False  # the halves do not meet on the row the second began with
            mine = first.result()
            theirs = child.result()
        except WindowCut:
            return False  # the middle was inside a quoted cell after all
        finally:
            child.stop()
        if theirs is None:
            return False
        whole.absorb(mine, rows[0])
        whole.absorb(theirs, rows[1])
        done = True
    finally:
        for part in parts:
            part.abort()  # this process's handles on the rows files closed
        for path in rows:
            if path is not None:
                with contextlib.suppress(OSError):
                    path.unlink()  # absorbed (then already gone), or not to be used
    progress(source.size)
    return done


def _fill(part: Part, items: Iterator[ScoredChunk | RejectedRow]) -> Part:
    for item in items:
        if isinstance(item, RejectedRow):
            part.reject_row(item)
        else:
            part.accept(item)
    return part


def _private_file(beside: Path) -> Path:
    """An empty file only this user can read, next to the scores file (same disk)."""
    fd, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".part", dir=beside.parent)
    os.close(fd)
    return Path(name)


class _Child:
    """`work()` run in a forked child; its part comes back pickled through a pipe."""

    def __init__(self, work: Callable[[], Part]) -> None:
        read_end, write_end = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if self.pid == 0:  # the child: never returns
            os.close(read_end)
            code = 1
            try:
                result = work().result()
                with os.fdopen(write_end, "wb") as out:
                    pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            except BaseException:  # noqa: BLE001 - any failure: the parent reads the file whole
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self._pipe = os.fdopen(read_end, "rb")
        self._done = False

    def result(self) -> object | None:
        """The child's part's result; None if it failed."""
        data = self._pipe.read()
        self._pipe.close()
        _, status = os.waitpid(self.pid, 0)
        self._done = True
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return None
        result: object = pickle.loads(data)  # noqa: S301 - our own child's bytes, via a pipe
        return result

    def stop(self) -> None:
        """Make sure the child is gone (after an error or Ctrl-C in this process)."""
        if self._done:
            return
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self._pipe.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._done = True
