"""CSV exports (Microsoft Forms, Google Forms, LimeSurvey, `blank`) -> scored responses.

docs/answers-and-imports.md. `open_export()` checks a file and compiles it once: it finds
the delimiter, matches header cells to indicators, and builds lookup tables.
`CsvExport.chunks()` then streams the rows (`Records`: csv.reader's rows, a
line without quotes simply split) as `ScoredChunk`s and `RejectedRow`s, with
nothing per row but C-level look-ups: each cell's value from a table of
spellings, then a theme's values straight to the shared `ThemePattern` that
scores them. Unusual cells (`often`, ` 4 - Often `) take a slower path once
and are remembered; a bad cell rejects its row, never the file.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import starmap
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

from lpc_assess.diagnostics import Diagnostic, InputError, quote_cell, row_problem
from lpc_assess.inputs.cells import CACHE_LIMIT, CellDecoder, DateReader
from lpc_assess.inputs.columns import LISTED, _Columns, match_columns, normalise_header
from lpc_assess.inputs.csv_text import (
    DELIMITERS,
    MAX_CELL,
    Records,
    check_file,
    read_header,
    sniff_delimiter,
)
from lpc_assess.inputs.documents import display_path
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.model.framework import Framework
from lpc_assess.scoring.compiled import CompiledScorer, Memo, ThemePattern
from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse

CHUNK_ROWS = 256  # rows scored together: enough to amortise, small enough for the CPU cache


def _one_cell(at: int, row: list[str]) -> tuple[str]:
    return (row[at],)


@dataclass
class _ThemePlan:
    """Where one theme's answers sit in a row's decoded values, and their patterns."""

    index: int
    take: Callable[[tuple[int | None, ...]], tuple[int | None, ...]]  # this theme's slice
    memo: Memo[tuple[int | None, ...], ThemePattern]  # slice of values -> pattern


class CsvExport:
    """One checked CSV export, compiled for streaming. Made by `open_export()`.

    Compiled once: an itemgetter picks the answer cells of a row (theme by
    theme, in framework order), a dictionary turns each cell into its value,
    a slice per theme takes that theme's values, and a memo turns them into
    the shared `ThemePattern`. `chunks()` applies these to hundreds of rows
    at a time with `map`, so that the work per row runs in C.
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
    ) -> None:
        self.path = path
        self.source = source
        self.encoding = encoding
        self.delimiter = delimiter
        self.columns = columns
        self.framework = framework
        self.scorer = scorer
        self.decoder = CellDecoder(framework)
        self.dates = DateReader()
        self.size = path.stat().st_size
        self.answer_columns: list[int] = []
        self.plans: list[_ThemePlan] = []
        for t, theme in enumerate(framework.themes):
            start = len(self.answer_columns)
            slots: list[int | None] = []
            for indicator in theme.indicators:
                at = columns.indicators.get(indicator.id)
                slots.append(None if at is None else len(self.answer_columns) - start)
                if at is not None:
                    self.answer_columns.append(at)
            take = itemgetter(slice(start, len(self.answer_columns)))
            if None in slots:  # some indicators have no column: they are unanswered
                memo = Memo(functools.partial(self._expand, t, tuple(slots)), CACHE_LIMIT)
            else:
                memo = scorer.patterns[t]
            self.plans.append(_ThemePlan(t, take, memo))
        cols = self.answer_columns
        self._pick: Callable[[list[str]], tuple[str, ...]]
        if len(cols) > 1:
            self._pick = itemgetter(*cols)
        else:  # an itemgetter of one index gives the cell itself, not a tuple
            self._pick = functools.partial(_one_cell, cols[0])

    def _expand(
        self, theme_index: int, slots: tuple[int | None, ...], key: tuple[int | None, ...]
    ) -> ThemePattern:
        values = tuple(None if slot is None else key[slot] for slot in slots)
        return self.scorer.pattern(theme_index, values)

    @property
    def notes(self) -> list[str]:
        """What the terminal should say about this file's columns (one line each)."""
        out = []
        ignored = self.columns.ignored
        if ignored:
            shown = ", ".join(quote_cell(h) for h in ignored[:LISTED])
            more = f" and {len(ignored) - LISTED} more" if len(ignored) > LISTED else ""
            out.append(
                f"{self.source}: ignoring {len(ignored)} column(s) that match no "
                f"statement: {shown}{more}"
            )
        missing = [i.id for i in self.framework.indicators if i.id not in self.columns.indicators]
        if missing:
            shown = ", ".join(missing[:LISTED])
            more = f" and {len(missing) - LISTED} more" if len(missing) > LISTED else ""
            out.append(
                f"{self.source}: warning: no column for {len(missing)} statement(s), "
                f"counted as unanswered: {shown}{more} (use --map to name columns)"
            )
        return out

    def chunks(
        self,
        on_progress: Callable[[int], None] | None = None,
    ) -> Iterator[ScoredChunk | RejectedRow]:
        """Stream the data rows: `ScoredChunk`s of good rows, and a `RejectedRow` per bad one.

        Rows are numbered as a spreadsheet shows them (the header is row 1, a
        cell with line breaks is still one row). `on_progress` gets the bytes
        read so far after each chunk. A row the CSV reader cannot parse (a
        quote never closed, a cell over 1 MiB) ends the file with one problem.
        """
        old_limit = csv.field_size_limit(MAX_CELL)
        try:
            with self.path.open("rb") as raw:
                text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
                yield from self._chunks(Records(text, self.delimiter), raw, on_progress)
        finally:
            csv.field_size_limit(old_limit)
        if on_progress is not None:
            on_progress(self.size)

    def rows(self) -> Iterator[ScoredResponse | RejectedRow]:
        """The same as `chunks()`, one response at a time."""
        for item in self.chunks():
            if isinstance(item, RejectedRow):
                yield item
            else:
                yield from item.records()

    def _unreadable(self, reason: str, at: int) -> RejectedRow:
        if "field larger" in reason:
            reason = f"a cell is over the {MAX_CELL:,}-byte limit"
        elif "unexpected end of data" in reason:
            reason = "the file ends inside a quoted cell (a quote is not closed)"
        message = f"cannot read this row: {reason}; the rest of the file was not read"
        return RejectedRow(at, [row_problem(self.source, at, None, "unreadable-row", message)])

    def _chunks(
        self,
        records: Records,
        raw: Any,
        on_progress: Callable[[int], None] | None,
    ) -> Iterator[ScoredChunk | RejectedRow]:
        row_number = 1  # of the last row read
        head: list[list[str]] = []
        try:
            records.read_into(head, 2)  # the header, already matched, and the first row
        except csv.Error as exc:
            yield self._unreadable(str(exc), row_number + len(head))
            return
        if len(head) < 2:
            return
        first: list[str] | None = head[1]
        if self._is_statement_row(head[1]):
            row_number += 1
            first = None
        # 360 rater columns need a look at each row: that path is row by row.
        per_row = self.columns.subject is not None or self.columns.relationship is not None
        while True:
            batch: list[list[str]] = []
            failure = None
            want = CHUNK_ROWS
            if first is not None:
                batch.append(first)
                first, want = None, CHUNK_ROWS - 1
            try:
                records.read_into(batch, want)  # on an error, the rows read before it are kept
            except csv.Error as exc:
                failure = str(exc)
            start = row_number + 1
            row_number += len(batch)
            if batch:
                chunk = None if per_row else self._fast(batch, start)
                if chunk is not None:
                    yield chunk
                else:
                    yield from self._row_by_row(batch, start)
            if failure is not None:
                yield self._unreadable(failure, row_number + 1)
                return
            if len(batch) < CHUNK_ROWS:
                return
            if on_progress is not None:
                on_progress(raw.tell())

    def _fast(self, batch: list[list[str]], start: int) -> ScoredChunk | None:
        """Score a batch of well-formed rows column-wise; None if any row is unusual.

        Unusual: a short, long or blank row, or a cell that is not in the
        look-up table yet (then the row-by-row path works it out or rejects it).
        """
        width = self.columns.width
        lengths = set(map(len, batch))
        if lengths != {width} or not all(map(any, batch)):
            return None
        # For each row: its answer cells, then itemgetter(*cells)(table) = their values.
        try:
            values = list(
                map(
                    methodcaller("__call__", self.decoder.table),
                    starmap(itemgetter, map(self._pick, batch)),
                )
            )
        except KeyError:  # a cell not in the table yet: the careful path works it out
            return None
        if len(self.answer_columns) == 1:  # itemgetter of one key gives no tuple
            values = [(v,) for v in values]
        patterns = [list(map(plan.memo.__getitem__, map(plan.take, values))) for plan in self.plans]
        ids, names = self._people(batch, start)
        return ScoredChunk(
            self.scorer,
            self.source,
            range(start, start + len(batch)),
            ids,
            names,
            patterns,
            self.scorer.overall_columns(patterns),
            submitted=self._submitted(batch),
            read_date=self.dates,
        )

    def _submitted(self, batch: list[list[str]]) -> list[str] | None:
        at = self.columns.submitted
        return None if at is None else list(map(itemgetter(at), batch))

    def _people(self, batch: list[list[str]], start: int) -> tuple[list[str], list[str | None]]:
        """Respondent ids (`row-N` where there is none) and names of a batch of rows."""
        id_at, name_at = self.columns.id, self.columns.name
        if id_at is None:
            ids = [f"row-{n}" for n in range(start, start + len(batch))]
        else:
            ids = list(map(str.strip, map(itemgetter(id_at), batch)))
            if "" in ids:
                ids = [i or f"row-{n}" for n, i in enumerate(ids, start)]
        if name_at is None:
            return ids, [None] * len(batch)
        names: list[str | None] = list(map(str.strip, map(itemgetter(name_at), batch)))
        if "" in names:
            names = [n or None for n in names]
        return ids, names

    def _row_by_row(
        self, batch: list[list[str]], start: int
    ) -> Iterator[ScoredChunk | RejectedRow]:
        """The careful path: ragged and blank rows, unusual cells, 360 rater columns."""
        width = self.columns.width
        pad = [""] * width
        lookup = self.decoder.table.__getitem__
        good: list[ScoredResponse] = []
        for row_number, row in enumerate(batch, start):
            if len(row) != width:
                if not any(row):
                    continue
                if len(row) > width and any(row[width:]):
                    yield self._too_long(row, row_number)
                    continue
                row = (row + pad)[:width]  # missing cells are unanswered; empty extra ones ignored
            elif not any(row):
                continue  # a blank row, such as the trailing ",,,," of some exports
            try:
                values = tuple(map(lookup, self._pick(row)))
            except KeyError:
                decoded = self._decode_row(row, row_number)
                if isinstance(decoded, RejectedRow):
                    yield decoded
                    continue
                values = decoded
            subject, relationship, problem = self._rater(row, row_number)
            if problem is not None:
                yield RejectedRow(row_number, [problem])
                continue
            patterns = tuple(plan.memo[plan.take(values)] for plan in self.plans)
            ids, names = self._people([row], row_number)
            good.append(
                ScoredResponse(
                    ids[0],
                    names[0],
                    subject,
                    relationship,
                    self.source,
                    row_number,
                    patterns,
                    self.scorer.overall(patterns),
                    None,
                    row[self.columns.submitted] if self.columns.submitted is not None else None,
                    self.dates,
                )
            )
        if good:
            yield ScoredChunk.of(self.scorer, good, self.source)

    def _too_long(self, row: list[str], row_number: int) -> RejectedRow:
        # Extra filled cells mean the columns may have shifted (a comma in an unquoted
        # cell, say): the answers could land under the wrong statements.
        message = (
            f"the row has {len(row)} cells but the header has {self.columns.width}, so its "
            "cells may not be under the right columns (is a comma missing its quotes?)"
        )
        return RejectedRow(
            row_number, [row_problem(self.source, row_number, None, "too-many-cells", message)]
        )

    def _decode_row(self, row: list[str], row_number: int) -> tuple[int | None, ...] | RejectedRow:
        decoded = [self.decoder.decode(row[at]) for at in self.answer_columns]
        problems = [
            row_problem(self.source, row_number, self.columns.header[at], "not-an-answer", value)
            for at, value in zip(self.answer_columns, decoded, strict=True)
            if isinstance(value, str)
        ]
        if problems:
            return RejectedRow(row_number, problems)
        return tuple(decoded)  # type: ignore[arg-type]

    def _rater(
        self,
        row: list[str],
        row_number: int,
    ) -> tuple[str | None, str | None, Diagnostic | None]:
        cols = self.columns
        subject = row[cols.subject].strip() if cols.subject is not None else ""
        given = row[cols.relationship].strip() if cols.relationship is not None else ""
        if not subject and not given:
            return None, None, None
        if not subject or not given:
            missing = cols.subject if not subject else cols.relationship
            what = "subject" if not subject else "relationship"
            header = cols.header[missing] if missing is not None else what
            return (
                None,
                None,
                row_problem(
                    self.source,
                    row_number,
                    header,
                    "incomplete-rater",
                    f"a 360 response needs both a subject and a relationship; the {what} is empty",
                ),
            )
        # answers.py builds the answers-file model (pydantic): only 360 files need this much of it.
        from lpc_assess.model.answers import RELATIONSHIPS, normalise_relationship

        relationship = normalise_relationship(given)
        if relationship is None:
            assert cols.relationship is not None
            return (
                None,
                None,
                row_problem(
                    self.source,
                    row_number,
                    cols.header[cols.relationship],
                    "unknown-relationship",
                    f"unknown relationship {quote_cell(given)}: use one of "
                    + ", ".join(RELATIONSHIPS),
                ),
            )
        return subject, relationship, None

    def _is_statement_row(self, row: list[str]) -> bool:
        """The second row of `blank --format csv`: each indicator's statement, no answers."""
        seen = False
        for indicator in self.framework.indicators:
            at = self.columns.indicators.get(indicator.id)
            if at is None or at >= len(row) or not row[at].strip():
                continue
            cell, statement = normalise_header(row[at]), normalise_header(indicator.statement)
            # `blank` writes a statement a spreadsheet would run as a formula with a `'`.
            if cell != statement and cell != "'" + statement:
                return False
            seen = True
        return seen


def open_export(
    path: Path, framework: Framework, scorer: CompiledScorer, options: CsvOptions
) -> CsvExport:
    """Check a CSV export and compile it for `rows()`; InputError if the file is unusable.

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
    best: tuple[int, int, str, _Columns | InputError] | None = None
    for rank, delimiter in enumerate([likely, *(d for d in DELIMITERS if d != likely)]):
        try:
            header = read_header(path, source, encoding, delimiter)
            columns: _Columns | InputError = match_columns(header, framework, options, source)
        except InputError as exc:
            columns = exc
        found = len(columns.indicators) if isinstance(columns, _Columns) else 0
        if best is None or (found, -rank) > (best[0], best[1]):
            best = (found, -rank, delimiter, columns)
    assert best is not None
    _, _, delimiter, chosen = best
    if isinstance(chosen, InputError):
        raise chosen
    return CsvExport(path, source, encoding, delimiter, chosen, framework, scorer)
