"""Writing files safely: atomic replacement, private permissions, safe names."""

from __future__ import annotations

import contextlib
import os
import re
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


def atomic_write(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Replace `path` with `data` so that a reader sees the old or the new file, never half.

    The data goes to a temporary file in the same folder, is flushed and
    fsynced, then renamed over `path`. With `private`, the file is created
    with mode 0600 (readable only by its owner) before any data is written.
    On failure the temporary file is removed and the previous file is intact.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a file")
    payload = data.encode("utf-8") if isinstance(data, str) else data
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
