"""CSV exports (Microsoft Forms, Google Forms, LimeSurvey, Qualtrics, `blank`) -> scored responses.

docs/answers-and-imports.md. `open_export()` checks a file and compiles it once: it finds
the delimiter, recognises a Qualtrics header (three rows), matches header cells to
indicators, and builds a `Table` (inputs/table.py), which streams the rows
below the header. Rows come from `Records`: csv.reader's rows, a line without
quotes simply split.
"""

from __future__ import annotations

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


class _CsvRows:
    """`Records` as a `RowReader`: csv.Error becomes UnreadableRow with a plain reason."""

    __slots__ = ("_records", "_raw")

    def __init__(self, records: Records, raw: BinaryIO) -> None:
        self._records = records
        self._raw = raw

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
    ) -> Iterator[ScoredChunk | RejectedRow]:
        """Stream the data rows: `ScoredChunk`s of good rows, and a `RejectedRow` per bad one.

        Rows are numbered as a spreadsheet shows them (the header is row 1, a
        cell with line breaks is still one row). `on_progress` gets the bytes
        read so far after each chunk. A row over the limits (`MAX_CELL`
        characters, `MAX_CELLS` cells) is rejected alone, in bounded memory,
        when it is a line without quotes; a row the CSV reader cannot parse (a
        quote never closed, an over-long quoted cell) ends the file with one
        problem.
        """
        old_limit = csv.field_size_limit(MAX_CELL)
        try:
            with self.path.open("rb") as raw:
                text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
                reader = _CsvRows(Records(text, self.delimiter), raw)
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
            on_progress(self.size)


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
