"""Reading an untrusted input file's bytes: regular files only, within a size limit.

A FIFO, device or socket given as an input is refused before it is opened:
opening a FIFO for reading blocks until a writer comes, and a device can be
endless. `documents.read_text` and `csv_text.check_file` both start here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lpc_assess.diagnostics import Diagnostic, InputError

MAX_BYTES = 1 << 20  # 1 MiB

Position = tuple[int, int]


def error(path: str, position: Position | None, code: str, message: str) -> Diagnostic:
    line, col = position if position else (None, None)
    return Diagnostic(path, line, col, "error", code, message)


def display_path(path: Path) -> str:
    """How a path is shown in messages: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def not_regular(shown: str, mode: int) -> InputError:
    """The one diagnostic for an input that is a FIFO, a device or a socket."""
    return InputError(
        [
            error(
                shown,
                None,
                "not-a-regular-file",
                f"is {_kind(mode)}, not a regular file; only regular files are read",
            )
        ]
    )


def require_regular(path: Path, shown: str) -> os.stat_result:
    """Stat `path` (links followed) and refuse anything but a regular file, before any open.

    Opening a FIFO for reading blocks until a writer comes, a device can be
    endless: neither is ever opened. Raises InputError; OSError from stat passes.
    """
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise InputError([error(shown, None, "not-a-file", "is a folder, not a file")])
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(shown, info.st_mode)
    return info


def read_bytes(path: Path, *, label: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """Read a whole input file of at most `limit` bytes, or raise InputError saying why not.

    Only a regular file is read: a FIFO, device or socket is refused unopened.
    """
    shown = label or display_path(path)
    try:
        if not path.exists():
            if path.is_symlink():
                raise InputError(
                    [error(shown, None, "unreadable", "a broken link or a symlink loop")]
                )
            raise InputError([error(shown, None, "not-found", "no such file")])
        size = require_regular(path, shown).st_size
        if size > limit:
            raise InputError(
                [
                    error(
                        shown,
                        None,
                        "too-large",
                        f"file is {size:,} bytes; the limit is {limit:,} bytes",
                    )
                ]
            )
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, the
        # open returns at once instead of waiting for a writer, and fstat refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise not_regular(shown, mode)
            raw = handle.read(limit + 1)  # a file can grow after its size was read
    except InputError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError([error(shown, None, "unreadable", f"cannot read: {reason}")]) from None
    except RuntimeError:  # symlink loop on some Python versions
        raise InputError([error(shown, None, "unreadable", "cannot read: symlink loop")]) from None
    if len(raw) > limit:
        raise InputError(
            [error(shown, None, "too-large", f"file is over the {limit:,}-byte limit")]
        )
    return raw
