"""Writing files safely: atomic replacement, private permissions, safe names."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path

# Names Windows refuses whatever the extension; never used for a report.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


class NotARegularFile(OSError):
    """An output path that is a FIFO, socket or block device: never written, never replaced.

    An OSError, so every caller's "cannot write" handling reports it in one line;
    its `filename` is the path and its `strerror` says what the path is.
    """

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(
            errno.EINVAL,
            f"is {what}, not a regular file; choose another output path",
            str(path),
        )


def output_target(path: Path) -> bool:
    """How an output path is written: False to write-and-rename (a regular file or a
    new path), True to write in place (an existing character device, e.g. /dev/null).

    Raises IsADirectoryError for a folder and NotARegularFile for a FIFO, a socket
    or a block device: replacing one would destroy it, and opening a FIFO for
    writing blocks until someone reads it.
    """
    try:
        mode = os.stat(path).st_mode  # links followed: a link to /dev/null is a device
    except FileNotFoundError:
        return False  # a new file (or a broken link, replaced as before)
    if stat.S_ISREG(mode):
        return False
    if stat.S_ISCHR(mode):
        return True
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    if stat.S_ISFIFO(mode):
        raise NotARegularFile(path, "a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        raise NotARegularFile(path, "a socket")
    raise NotARegularFile(path, "a block device" if stat.S_ISBLK(mode) else "a special file")


def open_in_place(path: Path) -> int:
    """Open an existing character device for writing, checking it still is one."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO would not block
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISCHR(mode):
            raise NotARegularFile(path, "no longer a character device")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def atomic_write(path: Path, data: str | bytes, *, private: bool = True) -> None:
    """Replace `path` with `data` so that a reader sees the old or the new file, never half.

    The data goes to a temporary file in the same folder, is flushed and
    fsynced, then renamed over `path`. Private by default: the file is created
    with mode 0600 (readable only by its owner) before any data is written,
    since what the tool writes is personal data. `private=False` (framework
    files from `new`) gives the usual mode that the umask allows.
    On failure the temporary file is removed and the previous file is intact.

    Only a regular file or a new path is replaced: an existing character device
    (/dev/null, a terminal) is written in place; a folder, FIFO, socket or
    block device is refused with an OSError naming the path (see `output_target`).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output_target(path):
        with os.fdopen(open_in_place(path), "wb") as device:
            device.write(payload)
        return
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp already creates the file 0600; widen it only for shared outputs.
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if private:
        os.chmod(path, 0o600)
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def slugify(value: str, *, fallback: str = "respondent", max_length: int = 80) -> str:
    """A file-name-safe slug: ASCII lowercase letters, digits and hyphens only.

    Never empty, never `.`/`..`, never a Windows reserved device name.
    """
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_length].strip("-")
    if not text:
        text = fallback
    if text in _RESERVED:
        text = f"{text}-file"
    return text


class UniqueNames:
    """Hands out distinct slugs: a second `alex` becomes `alex-2`."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, value: str, *, fallback: str = "respondent") -> str:
        base = slugify(value, fallback=fallback)
        name, n = base, 1
        while name in self._taken:
            n += 1
            name = f"{base}-{n}"
        self._taken.add(name)
        return name


def inside(folder: Path, candidate: Path) -> bool:
    """True when `candidate` resolves to a path inside `folder` (symlinks followed)."""
    try:
        candidate.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


class StagingFolder:
    """All-or-nothing output folder: files are written into a hidden staging folder
    inside `target`, and moved into `target` only by `commit()`.

    `abort()` (Ctrl-C, a crash, a failed write) removes the staging folder, and
    `target` too when this run created it and it is empty: the folder then
    holds exactly what it held before. The staging folder is private (0700).
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.created = not target.exists()
        target.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=".lpc-assess-staging-", dir=target))

    def commit(self) -> None:
        """Move every staged file into the target folder, then remove the staging folder."""
        for staged in sorted(self.path.iterdir()):
            os.replace(staged, self.target / staged.name)
        self.path.rmdir()

    def abort(self) -> None:
        import shutil

        shutil.rmtree(self.path, ignore_errors=True)
        if self.created:
            with contextlib.suppress(OSError):
                self.target.rmdir()  # only when empty
