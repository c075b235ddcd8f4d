"""Excel workbooks (.xlsx) -> scored responses: one sheet, read as a table of cell text.

docs/answers-and-imports.md ("Excel workbooks"). `open_workbook()` checks the
file first (`xlsx_package.read_package`: nothing unbounded reaches the
reader), loads the chosen sheet with python-calamine (imported here only,
when a workbook is read), takes the first row with anything in it as the
header (three rows for a Qualtrics export) and matches it as a CSV header is
matched. The rows below become cell text as Excel shows it (numbers as
typed, dates as `2026-11-20 09:14:40`, error cells as `#N/A`) and go through
the same compiled path as a CSV export (`table.Table`), numbered as Excel
numbers them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lpc_assess.diagnostics import InputError, quote_cell
from lpc_assess.inputs.columns import _Columns, match_columns, normalise_header
from lpc_assess.inputs.reading import display_path
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.inputs.table import Table, UnreadableRow, qualtrics_rows
from lpc_assess.inputs.xlsx_package import problem, read_package, sheet_parts

if TYPE_CHECKING:
    from lpc_assess.inputs.options import CsvOptions
    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.compiled import CompiledScorer
    from lpc_assess.scoring.scored import ScoredChunk

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

# Formats calamine could read but that are refused, each with what to do instead.
OTHER_SPREADSHEETS = {
    ".xls": "an Excel 97-2003 workbook (.xls)",
    ".xlsb": "an Excel binary workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".fods": "an OpenDocument spreadsheet (.fods)",
    ".numbers": "an Apple Numbers spreadsheet",
}

_HALF_SECOND = dt.timedelta(microseconds=500_000)


def other_spreadsheet(path: Path) -> InputError | None:
    """The one line for a spreadsheet format that is not read, or None for any other file."""
    kind = OTHER_SPREADSHEETS.get(path.suffix.lower())
    if kind is None:
        return None
    return problem(
        display_path(path),
        "unsupported-input",
        f"this is {kind}, which is not read: save it as an Excel workbook (.xlsx) "
        "or as CSV UTF-8, and give that file",
    )


def cell_text(value: object) -> str:
    """A cell as Excel shows it, as text: `4`, `3.5`, `TRUE`, `2026-11-20 09:14:40`."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")  # what Excel shows: 0.1 + 0.2 is 0.3
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):  # to the nearest second, as the completion times of CSV
        return (value + _HALF_SECOND).replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)  # a duration


def _texts(row: list[Any]) -> list[str]:
    return [v if v.__class__ is str else cell_text(v) for v in row]


class _SheetRows:
    """A sheet's rows from a given row on, as cell text: a `RowReader` for `Table.stream`."""

    __slots__ = ("_rows", "_errors", "_number", "_total", "_size")

    def __init__(
        self,
        rows: Iterator[list[Any]],
        errors: dict[int, list[tuple[int, str]]],
        number: int,
        total: int,
        size: int,
    ) -> None:
        self._rows = rows
        self._errors = errors  # Excel row -> (index in the row, text) of each error cell
        self._number = number  # the Excel row number of the next row
        self._total = max(total, 1)
        self._size = size

    def read_into(self, rows: list[list[str]], count: int) -> None:
        start = len(rows)
        try:
            rows.extend(map(_texts, islice(self._rows, count)))
        except BaseException as exc:  # a Rust panic arrives as a BaseException
            if _passes(exc):
                raise
            raise UnreadableRow(f"the workbook reader stopped ({_reason(exc)})") from None
        if self._errors:
            for offset, row in enumerate(rows[start:]):
                for at, text in self._errors.get(self._number + offset, ()):
                    if at < len(row):
                        row[at] = text
        self._number += len(rows) - start

    def position(self) -> int:
        return self._size * min(self._number - 1, self._total) // self._total


class Workbook(Table):
    """One sheet of a checked workbook, compiled for streaming. Made by `open_workbook()`."""

    def __init__(
        self,
        source: str,
        sheet: Any,
        name: str,
        header_row: int,
        header_rows: int,
        errors: dict[int, list[tuple[int, str]]],
        columns: _Columns,
        framework: Framework,
        scorer: CompiledScorer,
        *,
        size: int,
        allow_missing: bool,
        notes: list[str],
    ) -> None:
        super().__init__(
            source,
            columns,
            framework,
            scorer,
            size,
            allow_missing=allow_missing,
            where=f"sheet {quote_cell(name)}",
        )
        self.sheet = sheet
        self.sheet_name = name
        self.header_row = header_row  # the Excel row number of the (first) header row
        self.header_rows = header_rows
        self.errors = errors
        self._notes.extend(notes)

    def chunks(
        self, on_progress: Callable[[int], None] | None = None
    ) -> Iterator[ScoredChunk | RejectedRow]:
        """The rows below the header, numbered as Excel numbers them."""
        first = self.header_row + self.header_rows  # the row after the header
        total = self.sheet.height + (self.sheet.start or (0, 0))[0]
        rows = islice(self.sheet.iter_rows(), first - 1, None)
        reader = _SheetRows(rows, self.errors, first, total, self.size)
        yield from self.stream(reader, first, on_progress, statement_row=self.header_rows == 1)
        if on_progress is not None:
            on_progress(self.size)


def open_workbook(
    path: Path, framework: Framework, scorer: CompiledScorer, options: CsvOptions
) -> Workbook:
    """Check a workbook, load its sheet and match its header; InputError if it cannot be used."""
    source = display_path(path)
    package = read_package(path, source)
    import io

    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(package.data)) as book:
            names = list(book.sheet_names)
            index = _choose_sheet(book, names, options.sheet, source)
            sheet = book.get_sheet_by_index(index)
    except BaseException as exc:  # a Rust panic arrives as a BaseException
        if _passes(exc):
            raise
        raise problem(
            source,
            "not-a-workbook",
            f"the workbook cannot be read ({_reason(exc)}); open it in Excel and save it again "
            "as .xlsx, or save the sheet as CSV",
        ) from None
    name = names[index]
    parts = sheet_parts(package)
    scan = package.sheets.get(parts[index]) if index < len(parts) else None
    size = len(package.data)
    del package
    start_row, start_col = sheet.start or (0, 0)
    errors: dict[int, list[tuple[int, str]]] = {}
    for (row, col), text in (scan.errors if scan else {}).items():
        if col >= start_col:
            errors.setdefault(row + 1, []).append((col - start_col, text))
    header_row, head = _header(sheet, errors, source, name)
    header_rows, alternates = 1, None
    if qualtrics_rows(head):
        header_rows, alternates = 3, head[1]
    notes = []
    others = ", ".join(quote_cell(n) for n in names if n != name)
    if others and options.sheet is None:
        notes.append(
            f"{source}: reading sheet {quote_cell(name)}; not reading {others} "
            "(choose a sheet with --sheet)"
        )
    if header_rows == 3:
        notes.append(
            f"{source}: a Qualtrics export: rows {header_row + 1} and {header_row + 2} "
            "(question texts, import ids) are part of the header"
        )
    try:
        columns = match_columns(head[0], framework, options, source, alternates)
        return Workbook(
            source,
            sheet,
            name,
            header_row,
            header_rows,
            errors,
            columns,
            framework,
            scorer,
            size=size,
            allow_missing=options.allow_missing,
            notes=notes,
        )
    except InputError as exc:
        if not others or options.sheet is not None:
            raise
        # Perhaps the wrong sheet: say which was read, and which others there are.
        hint = (
            f" (sheet {quote_cell(name)} was read; the workbook also has {others}: choose one "
            "with --sheet)"
        )
        raise InputError([replace(d, message=d.message + hint) for d in exc.diagnostics]) from None


def _passes(exc: BaseException) -> bool:
    """True for what must not be turned into a message: our own errors, Ctrl-C, exits."""
    return isinstance(
        exc, InputError | KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError
    )


def _reason(exc: BaseException) -> str:
    """The reader's own words, on one line and short; shown escaped as any message is."""
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _choose_sheet(book: Any, names: list[str], wanted: str | None, source: str) -> int:
    """The index of the sheet to read: `--sheet` by name or number, else the first one shown."""
    listed = ", ".join(quote_cell(n) for n in names[:8]) + (" ..." if len(names) > 8 else "")
    if not names:
        raise problem(source, "empty-sheet", "the workbook has no sheets")
    if wanted is None:
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        shown = [
            i
            for i, meta in enumerate(book.sheets_metadata)
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
        ]
        return shown[0] if shown else 0
    if wanted in names:
        return names.index(wanted)
    folded = [normalise_header(n) for n in names]
    if normalise_header(wanted) in folded:
        return folded.index(normalise_header(wanted))
    text = wanted.strip()
    if text.isdigit() and 1 <= int(text) <= len(names):
        return int(text) - 1
    if text.isdigit():
        why = f"the workbook has {len(names)} sheet(s): {listed}"
    else:
        why = f"there is no such sheet (the sheets are {listed})"
    raise problem(source, "no-such-sheet", f"--sheet {quote_cell(wanted)}: {why}")


def _header(
    sheet: Any, errors: dict[int, list[tuple[int, str]]], source: str, name: str
) -> tuple[int, list[list[str]]]:
    """The Excel row number of the header (the first row with anything in it), and that row
    with the two after it, as stripped cell text."""
    shown = quote_cell(name)
    if sheet.start is None or sheet.height == 0:
        raise problem(source, "empty-sheet", f"sheet {shown} is empty")
    reader = _SheetRows(iter(sheet.iter_rows()), errors, 1, 1, 0)
    number = 0
    while True:
        rows: list[list[str]] = []
        try:
            reader.read_into(rows, 1)
        except UnreadableRow as exc:
            raise problem(source, "not-a-workbook", f"sheet {shown}: {exc}") from None
        if not rows:
            raise problem(source, "empty-sheet", f"sheet {shown} is empty")
        number += 1
        if any(cell.strip() for cell in rows[0]):
            break
    head = [[cell.strip() for cell in rows[0]]]
    more: list[list[str]] = []
    reader.read_into(more, 2)
    head.extend([cell.strip() for cell in row] for row in more)
    return number, head
