"""CSV text read safely: size, encoding, NUL bytes, the delimiter, the header, and rows.

`check_file` refuses what is not a readable text file before anything is parsed;
`Records` yields rows exactly as `csv.reader(strict=True)` would, faster, and
never holds more than one row's worth of text: a row over `MAX_CELL`
characters or with more than `MAX_CELLS` cells is `RowTooLarge`
(docs/answers-and-imports.md, "Rows that are left out").
"""

from __future__ import annotations

import codecs
import csv
import functools
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path
from typing import TextIO

from lpc_assess.diagnostics import Diagnostic, InputError
from lpc_assess.inputs.reading import error, require_regular

MAX_CELL = 1 << 20  # 1 MiB: the longest cell, and the longest row, in characters
MAX_CELLS = 10_000  # the most cells one row may have
MAX_FILE = 2 << 30  # 2 GiB
DELIMITERS = (",", ";", "\t")


class RowTooLarge(Exception):
    """A row over a limit: longer than `MAX_CELL` characters (`row-too-long`) or with
    more than `MAX_CELLS` cells (`row-too-wide`). The text says which.

    `resumable` is True when the reader found where the row ends (it ends a line
    that has no quote character), so the rows after it can still be read.
    """

    def __init__(self, code: str, reason: str, *, resumable: bool) -> None:
        super().__init__(reason)
        self.code = code
        self.resumable = resumable


class Records:
    """The rows of a CSV export, exactly as `csv.reader(strict=True)` gives them, faster.

    A line without a quote character is one row whose cells are the line
    split on the delimiter: that is all csv.reader would make of it, and
    `str.split` does it in a fraction of the time. Any other line goes to a
    real csv.reader, which takes as many further lines as its quoted cells
    run on to (and raises csv.Error where it would). Lines are as
    `newline=""` gives them, so a row ends where csv.reader's would.

    Memory is bounded: a line is read at most `MAX_CELL` characters at a time,
    and a row over the limits raises `RowTooLarge` after the rows before it
    are in the list. When the row was one line without a quote character the
    rest of that line is skipped, unread into memory, and reading can go on.
    """

    __slots__ = (
        "_lines",
        "_read",
        "_pending",
        "_reader",
        "_delimiter",
        "_limit",
        "_plain",
        "_fed",
    )

    def __init__(self, text: TextIO | Iterator[str], delimiter: str) -> None:
        # The most a line read may hold: a row at the limit, and its line ending.
        self._limit = MAX_CELL + 2
        readline = getattr(text, "readline", None)
        if readline is not None:
            self._read = functools.partial(readline, self._limit)
        else:  # any iterator of lines (its lines are already whole in memory)
            self._read = functools.partial(next, iter(text), "")
        self._lines: Iterator[str] = iter(self._read, "")
        self._pending: str | None = None
        self._delimiter = delimiter
        self._reader = csv.reader(self, delimiter=delimiter, strict=True)
        # A line shorter than this is within both limits: it cannot hold MAX_CELLS cells.
        self._plain = min(MAX_CELL, MAX_CELLS)
        self._fed = 0  # characters handed to the csv.reader for the current row

    def __iter__(self) -> Records:
        return self

    def __next__(self) -> str:
        """The next line, for the csv.reader: the one handed over first, then the
        lines its quoted cells run on to (RowTooLarge once they pass the limit)."""
        line = self._pending
        if line is None:
            line = next(self._lines)
        else:
            self._pending = None
        self._fed += len(line)
        if self._fed > self._limit:
            raise RowTooLarge(
                "row-too-long",
                f"the row is longer than the limit of {MAX_CELL:,} characters, inside "
                "a quoted cell, so where it ends is unclear",
                resumable=False,
            )
        return line

    def read_into(self, rows: list[list[str]], count: int) -> None:
        """Append up to `count` rows to `rows` (fewer at the end of the file).

        Raises csv.Error for a row csv.reader cannot read, and RowTooLarge for
        a row over the limits; the rows before it are in `rows` by then.
        """
        append = rows.append
        delimiter = self._delimiter
        plain = self._plain
        for line in islice(self._lines, count):
            if '"' in line or len(line) >= plain:
                append(self._careful(line))
            else:
                line = line.rstrip("\r\n")
                append(line.split(delimiter) if line else [])

    def _careful(self, line: str) -> list[str]:
        """The row that starts with `line`: one with a quote, or a long one."""
        if len(line.rstrip("\r\n")) > MAX_CELL:
            quoted = self._skip_line(line) or '"' in line
            raise RowTooLarge(
                "row-too-long",
                f"the row is longer than the limit of {MAX_CELL:,} characters"
                + (", and has a quote character, so where it ends is unclear" if quoted else ""),
                resumable=not quoted,
            )
        if '"' in line:
            self._pending = line
            self._fed = 0
            row: list[str] = next(self._reader)
        else:
            line = line.rstrip("\r\n")
            cells = line.count(self._delimiter) + 1
            if cells > MAX_CELLS:  # counted first: the cells are never made
                raise _too_wide(cells)
            row = line.split(self._delimiter) if line else []
        if len(row) > MAX_CELLS:
            raise _too_wide(len(row))
        return row

    def _ends_line(self, text: str) -> bool:
        """True when `text`, as readline gave it, reaches the end of its line."""
        # A lone \r ends a line only if readline did not stop at the limit just after it
        # (a \n may follow); at the end of the file `text` is simply what was left.
        return text.endswith("\n") or (text.endswith("\r") and len(text) < self._limit)

    def _skip_line(self, text: str) -> bool:
        """`text` began a line over the limit: read on, a piece at a time, to the end of
        that line; True if the rest holds a quote character. Nothing of it is kept."""
        quoted = False
        while not self._ends_line(text):
            if text.endswith("\r"):  # cut just after a \r: the line ends there or at a \n
                after = self._read()
                if after and after != "\n":  # it ended at the \r: `after` is the next line
                    self._lines = chain((after,), self._lines)
                break
            text = self._read()
            if not text:
                break
            quoted = quoted or '"' in text
        return quoted


def _too_wide(cells: int) -> RowTooLarge:
    return RowTooLarge(
        "row-too-wide",
        f"the row has {cells:,} cells; the limit is {MAX_CELLS:,}",
        resumable=True,
    )


def read_head(
    path: Path, source: str, encoding: str, delimiter: str, count: int = 1
) -> list[list[str]]:
    """The header row and up to `count - 1` rows after it, each cell stripped.

    InputError if the header cannot be read, is over the limits, or is empty;
    a later row that cannot be read ends the list (it is reported when the
    rows are streamed).
    """
    old_limit = csv.field_size_limit(MAX_CELL)
    rows: list[list[str]] = []
    try:
        with path.open("r", encoding=encoding, newline="") as handle:
            records = Records(handle, delimiter)
            while len(rows) < count:
                read: list[list[str]] = []
                records.read_into(read, 1)
                if not read:
                    break
                rows.append([cell.strip() for cell in read[0]])
    except (csv.Error, RowTooLarge) as exc:
        if not rows:
            code = exc.code if isinstance(exc, RowTooLarge) else "csv-syntax"
            raise InputError(
                [_error(source, 1, code, f"cannot read the header row: {exc}")]
            ) from None
    finally:
        csv.field_size_limit(old_limit)
    if not rows or not any(rows[0]):
        raise InputError(
            [_error(source, 1, "no-header", "the first row must be a header naming the columns")]
        )
    return rows


def read_header(path: Path, source: str, encoding: str, delimiter: str) -> list[str]:
    """The header row, each cell stripped (InputError if it is missing or unreadable)."""
    return read_head(path, source, encoding, delimiter)[0]


def sniff_delimiter(head: str) -> str:
    """Comma, semicolon or tab: whichever the header line has most of, outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in head:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char in "\r\n":
                break
            if char in counts:
                counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def check_file(path: Path, source: str, encoding: str) -> str:
    """Size, encoding and NUL checks over the whole file; the codec name to read it with.

    Only a regular file is opened: a FIFO, device or socket is refused first.
    """
    try:
        size = require_regular(path, source).st_size  # a FIFO or device is never opened
        if size > MAX_FILE:
            raise InputError(
                [
                    error(
                        source,
                        None,
                        "too-large",
                        f"file is {size:,} bytes; the limit for a CSV export is {MAX_FILE:,} bytes",
                    )
                ]
            )
        with path.open("rb") as handle:
            start = handle.read(4)
            if start in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):  # a zip (.xlsx) or OLE (.xls) file
                raise InputError(
                    [
                        error(
                            source,
                            None,
                            "binary-file",
                            "this is a spreadsheet file (such as an Excel workbook), not CSV "
                            "text: give it its own name (.xlsx), or save it as CSV UTF-8",
                        )
                    ]
                )
            codec = _codec(start, encoding, source)
            decoder = codecs.getincrementaldecoder(codec)("strict")
            wide = codec.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))  # NULs are normal
            # ASCII is valid UTF-8: such a block needs no decoding, unless it has to
            # finish a character that the block before it began.
            utf8 = codec in ("utf-8", "utf-8-sig")
            handle.seek(0)
            line = 1  # of the start of `block`, once the skipped blocks' lines are added
            position = 0  # of the start of `block`
            skipped: list[tuple[int, int]] = []  # ASCII blocks whose lines were not counted
            seen_text = False

            def line_here() -> int:
                # Only a problem needs a line number: count the skipped blocks' lines now.
                counted = line
                for offset, length in skipped:
                    handle.seek(offset)
                    counted += handle.read(length).count(b"\n")
                return counted

            while True:
                handle.seek(position)
                block = handle.read(1 << 20)
                final = not block
                if not wide and b"\x00" in block:
                    at = line_here() + block.count(b"\n", 0, block.index(b"\x00"))
                    raise _nul_byte(source, at)
                if utf8 and not final and block.isascii() and not decoder.getstate()[0]:
                    seen_text = seen_text or bool(block.decode("ascii").strip())
                    skipped.append((position, len(block)))
                    position += len(block)
                    continue
                position += len(block)
                try:
                    text = decoder.decode(block, final=final)
                except UnicodeDecodeError as exc:
                    where = line_here() + block.count(b"\n", 0, max(0, exc.start))
                    bad = block[exc.start : exc.start + 1].hex()
                    raise InputError(
                        [
                            _error(
                                source,
                                where,
                                "encoding",
                                f"line {where} is not valid {codec} (byte 0x{bad}); "
                                "save the file as UTF-8, or give its encoding "
                                "with --encoding (e.g. cp1252)",
                            )
                        ]
                    ) from None
                if "\x00" in text:
                    at = line_here() + text.count("\n", 0, text.index("\x00"))
                    raise _nul_byte(source, at)
                seen_text = seen_text or bool(text.strip())
                line += text.count("\n")
                if final:
                    break
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError([error(source, None, "unreadable", f"cannot read: {reason}")]) from None
    if not seen_text:
        raise InputError([error(source, None, "empty-file", "file is empty")])
    return codec


def _codec(start: bytes, encoding: str, source: str) -> str:
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not start.startswith(
        codecs.BOM_UTF32_LE
    ):
        return "utf-16"  # Excel's "Unicode text" export, whatever --encoding says
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            [error(source, None, "encoding", f"unknown encoding {encoding!r} (--encoding)")]
        ) from None
    return "utf-8-sig" if name in ("utf-8", "utf-8-sig") else name


def _nul_byte(source: str, line: int) -> InputError:
    return InputError(
        [
            _error(
                source,
                line,
                "nul-byte",
                "contains a NUL byte: this looks like a binary file, not a CSV export",
            )
        ]
    )


def _error(source: str, line: int | None, code: str, message: str) -> Diagnostic:
    return Diagnostic(source, line, None, "error", code, message)
