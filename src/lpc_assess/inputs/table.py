"""A table of responses (a CSV export, a workbook sheet) -> scored chunks, by one compiled path.

docs/answers-and-imports.md. A format reads its header, matches it
(`columns.match_columns`) and builds a `Table`; `Table.stream()` then takes
the rows below the header from any `RowReader` (lists of cell text, in
order, numbered as a spreadsheet shows them) and yields `ScoredChunk`s and
`RejectedRow`s, with nothing per row but C-level look-ups: each cell's value
from a table of spellings, then a theme's values straight to the shared
`ThemePattern` that scores them. Unusual cells (`often`, ` 4 - Often `) take a
slower path once and are remembered; a bad cell rejects its row, never the
table. `csv_export.CsvExport` and `workbook.Workbook` are the two formats.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import starmap
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, Protocol

from lpc_assess.diagnostics import Diagnostic, InputError, quote_cell, row_problem
from lpc_assess.inputs.cells import CACHE_LIMIT, CellDecoder, DateReader
from lpc_assess.inputs.columns import LISTED, _Columns, normalise_header
from lpc_assess.inputs.missing_columns import missing_columns
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.model.framework import Framework
from lpc_assess.scoring.compiled import CompiledScorer, Memo, ThemePattern
from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse

if TYPE_CHECKING:
    from lpc_assess.inputs.facet_cells import FacetCells
    from lpc_assess.scoring.facets import FacetRow

CHUNK_ROWS = 256  # rows scored together: enough to amortise, small enough for the CPU cache


_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_encodable(source: str, row: int) -> Diagnostic:
    return row_problem(
        source,
        row,
        None,
        "not-encodable",
        "a cell holds a lone surrogate, text that cannot be written out again as UTF-8 "
        "(check --encoding): this row is left out",
    )


class UnreadableRow(Exception):
    """A reader cannot read its next row; the text says why, `code` is the diagnostic's.

    `resumable`: the reader found where the row ends, so only this row is lost
    and the rows after it can still be read (a CSV row over the limits, on a
    line of its own). Otherwise none after it can be read.
    """

    def __init__(
        self, reason: str, code: str = "unreadable-row", *, resumable: bool = False
    ) -> None:
        super().__init__(reason)
        self.code = code
        self.resumable = resumable


class RowReader(Protocol):
    """The rows of a table below its header, as lists of cell text."""

    def read_into(self, rows: list[list[str]], count: int) -> None:
        """Append up to `count` rows (fewer at the end); UnreadableRow after the good ones
        (and, when it is resumable, the next call goes on after the bad row)."""
        ...

    def position(self) -> int:
        """How far the input has been read, in bytes of the file, for progress."""
        ...


def _one_cell(at: int, row: list[str]) -> tuple[str]:
    return (row[at],)


@dataclass
class _ThemePlan:
    """Where one theme's answers sit in a row's decoded values, and their patterns."""

    index: int
    take: Callable[[tuple[int | None, ...]], tuple[int | None, ...]]  # this theme's slice
    memo: Memo[tuple[int | None, ...], ThemePattern]  # slice of values -> pattern


class Table:
    """One checked table of responses, compiled for streaming (the base of each tabular format).

    Compiled once: an itemgetter picks the answer cells of a row (theme by
    theme, in framework order), a dictionary turns each cell into its value,
    a slice per theme takes that theme's values, and a memo turns them into
    the shared `ThemePattern`. `stream()` applies these to hundreds of rows
    at a time with `map`, so that the work per row runs in C.

    Raises InputError when a statement has no column, unless `allow_missing`
    (then a warning in `problems`). `where` names the part of the file read
    (`sheet "Form1"`) in messages about the whole table.
    """

    def __init__(
        self,
        source: str,
        columns: _Columns,
        framework: Framework,
        scorer: CompiledScorer,
        size: int,
        *,
        allow_missing: bool = False,
        where: str | None = None,
    ) -> None:
        # True when the encoding can decode to a lone surrogate (utf-7, unicode-escape):
        # such a cell cannot be written out again, so its row is left out.
        self.check_surrogates = False
        missing = missing_columns(framework, columns, source, allow_missing)
        if missing and not allow_missing:
            raise InputError(missing)
        self.source = source
        self.columns = columns
        self.framework = framework
        self.scorer = scorer
        self.size = size
        self.where = where
        self.decoder = CellDecoder(framework)
        self.dates = DateReader()
        self._problems: list[Diagnostic] = missing
        self._notes: list[str] = []
        self._seen = False  # a response or a rejected row below the header
        self.last_row = 0  # the number of the last row `stream()` read to its end
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
        self.facet_cells: FacetCells | None = None
        if columns.facets and framework.facets is not None:  # docs/facets.md
            from lpc_assess.inputs.facet_cells import FacetCells

            self.facet_cells = FacetCells(framework, columns.facets, columns.header)
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

    # What the terminal and the summary are told ----------------------------------------------

    @property
    def notes(self) -> list[str]:
        """What the terminal should say about this table's columns (one line each)."""
        out = list(self._notes)
        ignored = self.columns.ignored
        if ignored:
            shown = ", ".join(quote_cell(h) for h in ignored[:LISTED])
            more = f" and {len(ignored) - LISTED} more" if len(ignored) > LISTED else ""
            out.append(
                f"{self.source}: ignoring {len(ignored)} column(s) that match no "
                f"statement: {shown}{more}"
            )
        return out

    @property
    def problems(self) -> list[Diagnostic]:
        """Warnings about the table as a whole: statements without a column (with
        `--allow-missing`), no responses below the header. Complete once the rows are read."""
        return list(self._problems)

    @property
    def ignored_columns(self) -> list[str]:
        """The headers of the columns not read (comments, metadata), in order."""
        return list(self.columns.ignored)

    # Streaming --------------------------------------------------------------------------------

    def rows(self) -> Iterator[ScoredResponse | RejectedRow]:
        """The same as `chunks()`, one response at a time."""
        for item in self.chunks():
            if isinstance(item, RejectedRow):
                yield item
            else:
                yield from item.records()

    def chunks(
        self, on_progress: Callable[[int], None] | None = None
    ) -> Iterator[ScoredChunk | RejectedRow]:
        raise NotImplementedError  # each format opens its reader and calls stream()

    def _unreadable(self, problem: UnreadableRow, at: int) -> RejectedRow:
        if problem.resumable:
            message = f"{problem}: this row was left out, the rows after it were read"
        else:
            message = f"cannot read this row: {problem}; the rest of the file was not read"
        return RejectedRow(at, [row_problem(self.source, at, None, problem.code, message)])

    def _no_responses(self) -> None:
        if any(p.code == "no-responses" for p in self._problems):
            return  # the rows were read before
        where = f" in {self.where}" if self.where else ""
        self._problems.append(
            Diagnostic(
                self.source,
                None,
                None,
                "warning",
                "no-responses",
                f"no responses{where}: there is no row below the header",
            )
        )

    def stream(
        self,
        reader: RowReader,
        next_row: int,
        on_progress: Callable[[int], None] | None,
        *,
        statement_row: bool = True,
    ) -> Iterator[ScoredChunk | RejectedRow]:
        """Stream the rows below the header: `ScoredChunk`s of good rows, a `RejectedRow` each
        for bad ones.

        `next_row` is the number of the first row `reader` gives, as a
        spreadsheet shows it; rows after it are numbered on from there.
        `on_progress` gets `reader.position()` after each chunk. With
        `statement_row`, a first row that repeats the statements (as
        `blank --format csv` writes it) is skipped.
        """
        row_number = next_row - 1  # of the last row read
        first: list[list[str]] = []
        try:
            reader.read_into(first, 1)
        except UnreadableRow as exc:
            self._seen = True
            row_number += 1
            yield self._unreadable(exc, row_number)
            if not exc.resumable:
                return
        else:
            if statement_row and first and self._is_statement_row(first[0]):
                row_number += 1
                first = []
        # 360 rater columns need a look at each row: that path is row by row.
        per_row = self.columns.subject is not None or self.columns.relationship is not None
        while True:
            batch, first = first, []
            failure = None
            try:  # on an error, the rows read before it are kept
                reader.read_into(batch, CHUNK_ROWS - len(batch))
            except UnreadableRow as exc:
                failure = exc
            start = row_number + 1
            row_number += len(batch)
            if batch:
                odd = self.check_surrogates and _SURROGATE.search("\x00".join(map("".join, batch)))
                chunk = None if per_row or odd else self._fast(batch, start)
                if chunk is not None:
                    self._seen = True
                    yield chunk
                else:
                    yield from self._row_by_row(batch, start)
            if failure is not None:
                self._seen = True
                row_number += 1
                yield self._unreadable(failure, row_number)
                if not failure.resumable:
                    return
                continue  # the bad row alone is lost: read on after it
            if len(batch) < CHUNK_ROWS:
                break
            if on_progress is not None:
                on_progress(reader.position())
        self.last_row = row_number  # of the last row read (pipeline/halves.py checks it)
        if not self._seen:
            self._no_responses()

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
        facets = None
        if self.facet_cells is not None:
            try:
                facets = self.facet_cells.column(batch)
            except KeyError:  # as above: the careful path works it out
                return None
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
            facets=facets if facets is not None and any(facets) else None,
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
            if self.check_surrogates and _SURROGATE.search("".join(row)):
                self._seen = True
                yield RejectedRow(row_number, [_not_encodable(self.source, row_number)])
                continue
            if len(row) != width:
                if not any(row):
                    continue
                if len(row) > width and any(row[width:]):
                    self._seen = True
                    yield self._too_long(row, row_number)
                    continue
                row = (row + pad)[:width]  # missing cells are unanswered; empty extra ones ignored
            elif not any(row):
                continue  # a blank row, such as the trailing ",,,," of some exports
            self._seen = True
            try:
                values = tuple(map(lookup, self._pick(row)))
            except KeyError:
                decoded = self._decode_row(row, row_number)
                if isinstance(decoded, RejectedRow):
                    yield self._named(decoded, row)
                    continue
                values = decoded
            facets: FacetRow | None = None
            if self.facet_cells is not None:
                read = self.facet_cells.row(row, row_number, self.source)
                if isinstance(read, list):
                    yield self._named(RejectedRow(row_number, read), row)
                    continue
                facets = read
            subject, relationship, problem = self._rater(row, row_number)
            if problem is not None:
                yield self._named(RejectedRow(row_number, [problem]), row)
                continue
            if facets is not None and relationship not in (None, "self"):
                self._rater_facets(row_number)
                facets = None
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
                    facets,
                )
            )
        if good:
            yield ScoredChunk.of(self.scorer, good, self.source)

    def _rater_facets(self, row_number: int) -> None:
        """A 360 rating of someone else with facet answers: they are left out (facets are a
        self-assessment), with one warning per table, naming the first such row."""
        if not any(p.code == "rater-facets" for p in self._problems):
            self._problems.append(
                Diagnostic(
                    self.source,
                    None,
                    None,
                    "warning",
                    "rater-facets",
                    f"facets are a self-assessment: the facet answers of 360 ratings of "
                    f"someone else are ignored (the first in row {row_number})",
                )
            )

    def _named(self, rejected: RejectedRow, row: list[str]) -> RejectedRow:
        """`rejected` with the person's name from the row, for the team report's Data checks."""
        at = self.columns.name
        name = row[at].strip() if at is not None and at < len(row) else ""
        return dataclasses.replace(rejected, name=name) if name else rejected

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


def qualtrics_rows(rows: list[list[str]]) -> bool:
    """True when `rows` (the first three rows of a table) are a Qualtrics export's header.

    Qualtrics writes export tags, then question texts, then a row of
    `{"ImportId": ...}` objects; the third row is what gives it away.
    """
    if len(rows) < 3:
        return False
    cells = [c.strip() for c in rows[2] if c.strip()]
    marked = sum(1 for c in cells if c.startswith("{") and '"ImportId"' in c)
    return bool(cells) and marked * 2 >= len(cells)
