"""CSV exports (Microsoft Forms, Google Forms, LimeSurvey, Qualtrics, `blank`) -> scored responses.

docs/answers-and-imports.md. `open_export()` checks a file and compiles it once: it finds
the delimiter, recognises a Qualtrics header (three rows), matches header cells to
indicators, and builds a `Table` (inputs/table.py), which streams the rows
below the header. Rows come from `Records`: csv.reader's rows, a line without
quotes simply split.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from lpc_assess.diagnostics import InputError
from lpc_assess.inputs.columns import _Columns, match_columns
from lpc_assess.inputs.csv_text import (
    DELIMITERS,
    MAX_CELL,
    Records,
    RowTooLarge,
    check_file,
    read_head,
    sniff_delimiter,
)
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.inputs.reading import display_path
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.inputs.table import CHUNK_ROWS, Table, UnreadableRow, qualtrics_rows
from lpc_assess.model.framework import Framework
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.scored import ScoredChunk

__all__ = [
    "CHUNK_ROWS",
    "CsvExport",
    "CsvOptions",
    "Records",
    "RejectedRow",
    "open_export",
    "sniff_delimiter",
]


class WindowCut(Exception):
    """The end of a window (`CsvExport.chunks(end=...)`) fell inside a quoted cell: the
    window does not end where a row ends, and its rows are not to be used."""


class _CsvRows:
    """`Records` as a `RowReader`: csv.Error becomes UnreadableRow with a plain reason."""

    __slots__ = ("_records", "_raw", "_window")

    def __init__(self, records: Records, raw: BinaryIO, *, window: bool = False) -> None:
        self._records = records
        self._raw = raw
        self._window = window  # the text ends before the file does

    def read_into(self, rows: list[list[str]], count: int) -> None:
        try:
            self._records.read_into(rows, count)
        except RowTooLarge as exc:
            raise UnreadableRow(str(exc), exc.code, resumable=exc.resumable) from None
        except csv.Error as exc:
            reason = str(exc)
            if "field larger" in reason:
                reason = f"a cell is over the {MAX_CELL:,}-character limit"
            elif "unexpected end of data" in reason:
                if self._window:
                    raise WindowCut(reason) from None
                reason = "the file ends inside a quoted cell (a quote is not closed)"
            raise UnreadableRow(reason) from None

    def position(self) -> int:
        return self._raw.tell()


class CsvExport(Table):
    """One checked CSV export, compiled for streaming. Made by `open_export()`.

    `header_rows` is how many rows the header takes: 1, or 3 for Qualtrics.
    """

    def __init__(
        self,
        path: Path,
        source: str,
        encoding: str,
        delimiter: str,
        columns: _Columns,
        framework: Framework,
        scorer: CompiledScorer,
        *,
        header_rows: int = 1,
        allow_missing: bool = False,
    ) -> None:
        super().__init__(
            source,
            columns,
            framework,
            scorer,
            path.stat().st_size,
            allow_missing=allow_missing,
        )
        self.path = path
        self.encoding = encoding
        # The UTF and single-byte codecs never decode to a lone surrogate; utf-7 and the
        # escape codecs can (docs/answers-and-imports.md, "Encodings").
        self.check_surrogates = not _never_surrogates(encoding)
        self.delimiter = delimiter
        self.header_rows = header_rows
        if header_rows == 3:
            self._notes.append(
                f"{source}: a Qualtrics export: rows 2 and 3 (question texts, import ids) "
                "are part of the header"
            )

    def chunks(
        self,
        on_progress: Callable[[int], None] | None = None,
        *,
        start: tuple[int, int] | None = None,
        end: int | None = None,
    ) -> Iterator[ScoredChunk | RejectedRow]:
        """Stream the data rows: `ScoredChunk`s of good rows, and a `RejectedRow` per bad one.

        Rows are numbered as a spreadsheet shows them (the header is row 1, a
        cell with line breaks is still one row). `on_progress` gets the bytes
        read so far after each chunk. A row over the limits (`MAX_CELL`
        characters, `MAX_CELLS` cells) is rejected alone, in bounded memory,
        when it is a line without quotes; a row the CSV reader cannot parse (a
        quote never closed, an over-long quoted cell) ends the file with one
        problem.

        A part of the file (pipeline/halves.py): `end` stops at that byte, and
        raises WindowCut if a quoted cell runs on past it; `start`, a
        `(byte, row number)` pair from `split_point()`, begins there instead
        of after the header.
        """
        old_limit = csv.field_size_limit(MAX_CELL)
        try:
            with self.path.open("rb") as raw:
                stream: BinaryIO = raw
                if start is not None:
                    raw.seek(start[0])
                if end is not None:
                    stream = io.BufferedReader(_Window(raw, end))
                encoding = self.encoding
                if start is not None and codecs.lookup(encoding).name == "utf-8-sig":
                    encoding = "utf-8"  # a U+FEFF there is text, not a byte order mark
                text = io.TextIOWrapper(stream, encoding=encoding, newline="")
                reader = _CsvRows(Records(text, self.delimiter), raw, window=end is not None)
                if start is not None:
                    yield from self.stream(reader, start[1], on_progress, statement_row=False)
                    return
                try:
                    reader.read_into([], self.header_rows)  # already read and matched
                except UnreadableRow as exc:
                    yield self._unreadable(UnreadableRow(str(exc), exc.code), 1)
                    return
                yield from self.stream(
                    reader,
                    self.header_rows + 1,
                    on_progress,
                    statement_row=self.header_rows == 1,
                )
        finally:
            csv.field_size_limit(old_limit)
        if on_progress is not None:
            on_progress(self.size if end is None else end)

    def split_point(self) -> tuple[int, int] | None:
        """Where a second reader could start on this export: the byte just after the
        first row end past the middle, and the row number there; None when the file
        is under SPLIT_BYTES or cannot be cut safely (none within MAX_CELL bytes).

        A line end is a row end when an even number of quote characters comes
        before it (quoted cells hold pairs of them). That holds for every
        export that quotes as RFC 4180 does; for one that does not, the reader
        of the first half finds it out (WindowCut, or another row count), and
        the file is read whole. Lone carriage returns, which end rows too,
        and codecs other than UTF-8 are not cut.
        """
        if self.size < SPLIT_BYTES or codecs.lookup(self.encoding).name not in _SPLIT_CODECS:
            return None
        middle = self.size // 2
        at = quotes = rows = 0  # bytes read; quote characters and row ends among them
        with self.path.open("rb") as raw:
            while at <= middle + MAX_CELL:
                block = raw.read(1 << 18)
                if not block:
                    return None
                if block.count(b"\r") != block.count(b"\r\n") or block.endswith(b"\r"):
                    return None  # a lone carriage return (or one this block cut in two)
                if at + len(block) > middle:
                    # Past the middle: line by line, to the first line end outside quotes.
                    lines = block[max(0, middle - at) :].split(b"\n")
                    head = block[: max(0, middle - at)]
                    quotes, rows = _count(head, quotes, rows)
                    at += len(head)
                    for line in lines[:-1]:
                        quotes, rows = _count(line + b"\n", quotes, rows)
                        at += len(line) + 1
                        if quotes % 2 == 0:
                            return (at, rows + 1) if at < self.size else None
                    quotes, rows = _count(lines[-1], quotes, rows)
                    at += len(lines[-1])
                else:
                    quotes, rows = _count(block, quotes, rows)
                    at += len(block)
        return None


def _count(text: bytes, quotes: int, rows: int) -> tuple[int, int]:
    """Quote characters and row ends (line ends outside quotes) after `text`, given those
    before it."""
    parts = text.split(b'"')
    # Outside quotes: parts[0::2] after an even number of quotes, else parts[1::2].
    rows += sum(part.count(b"\n") for part in parts[quotes % 2 :: 2])
    return quotes + len(parts) - 1, rows


# A CSV export this large (about 3,500 responses) may be read in two halves at once: below
# it, starting a second process costs more than it saves (measured: 1k responses 9 ms
# slower in halves, 10k 40 ms faster).
SPLIT_BYTES = 1 << 20
_SPLIT_CODECS = ("utf-8", "utf-8-sig")


class _Window(io.RawIOBase):
    """A binary file seen up to byte `end`: the text of the first half (pipeline/halves.py)."""

    def __init__(self, raw: BinaryIO, end: int) -> None:
        super().__init__()
        self._raw = raw
        self._end = end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        left = self._end - self._raw.tell()
        if left <= 0:
            return 0
        read: int = self._raw.readinto(memoryview(buffer)[:left])  # type: ignore[attr-defined]
        return read


def _never_surrogates(encoding: str) -> bool:
    import codecs

    name = codecs.lookup(encoding).name
    return name.startswith(("utf-8", "utf-16", "utf-32")) or name not in SURROGATE_CODECS


# Codecs that can decode bytes to a lone surrogate (U+D800..U+DFFF).
SURROGATE_CODECS = frozenset({"utf-7", "unicode-escape", "raw-unicode-escape"})


def open_export(
    path: Path, framework: Framework, scorer: CompiledScorer, options: CsvOptions
) -> CsvExport:
    """Check a CSV export and compile it for `chunks()`; InputError if the file is unusable.

    Reads the whole file once to check its size, encoding and NUL bytes, so
    that a bad file is rejected before any of its rows is counted.
    """
    source = display_path(path)
    encoding = check_file(path, source, options.encoding)
    with path.open("r", encoding=encoding, newline="") as handle:
        head = handle.read(1 << 16)
    likely = sniff_delimiter(head)
    # Statements often hold commas, so counting is not enough: the delimiter is the
    # one under which the header names the most statements (the count breaks ties).
    best: tuple[int, int, str, _Columns | InputError, int] | None = None
    for rank, delimiter in enumerate([likely, *(d for d in DELIMITERS if d != likely)]):
        header_rows = 1
        try:
            rows = read_head(path, source, encoding, delimiter, 3)
            alternates = None
            if qualtrics_rows(rows):
                header_rows, alternates = 3, rows[1]
            columns: _Columns | InputError = match_columns(
                rows[0], framework, options, source, alternates
            )
        except InputError as exc:
            columns = exc
        found = len(columns.indicators) if isinstance(columns, _Columns) else 0
        if best is None or (found, -rank) > (best[0], best[1]):
            best = (found, -rank, delimiter, columns, header_rows)
        if found == len(framework.indicators):
            break  # every statement found: another delimiter could only tie, and lose the tie
    assert best is not None
    _, _, delimiter, chosen, header_rows = best
    if isinstance(chosen, InputError):
        raise chosen
    return CsvExport(
        path,
        source,
        encoding,
        delimiter,
        chosen,
        framework,
        scorer,
        header_rows=header_rows,
        allow_missing=options.allow_missing,
    )
