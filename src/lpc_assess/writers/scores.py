"""Machine-readable batch outputs: the scores file (CSV or JSONL), the summary JSON,
and the team summary table for the terminal.

The scores file is streamed: one row per scored response, written as it is
produced, into a private temporary file (0600) that replaces the target only
when the batch has finished (so a reader never sees half a file, and an
interrupted run leaves the previous file alone).

The scoring objects carry numbers only; the text of the file is made here. In
CSV a percent has at most two decimals, rounded half up as people do by hand
(docs/scoring.md); JSON Lines keeps full precision. Responses share theme
outcomes and overall cells, so each one's text is made once and remembered.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from bisect import bisect_right
from itertools import accumulate
from operator import attrgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, cast

from lpc_assess.scoring.compiled import Memo
from lpc_assess.scoring.rounding import round_half_up

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.compiled import OverallCell, OverallOutcome, ThemeOutcome
    from lpc_assess.scoring.scored import ScoredChunk
    from lpc_assess.writers.facet_scores import FacetCells


# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_START = frozenset("=+-@\t\r")


_FORMULA_STARTS = tuple(sorted(_FORMULA_START))


_QUOTED_IF = '",\r\n'  # as _NEEDS_QUOTES


# A formula's first character at a cell's start, in cells joined with NUL (after the first).
_AFTER_NUL = re.compile("\x00[" + re.escape("".join(_FORMULA_STARTS)) + "]")


_outcome_of = attrgetter("outcome")


_NEEDS_QUOTES = re.compile(r'[",\r\n]')


_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


_JSON_CACHE_LIMIT = 1 << 15


def percent_cell(percent: float | None) -> str:
    """A percent as the scores CSV shows it: at most two decimals, half up; "" if unscored.

    55.00000000000001 -> "55", 66.666... -> "66.67", 62.125 -> "62.13".
    """
    if percent is None:
        return ""
    text = format(round_half_up(percent, 2), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _theme_cells(outcome: ThemeOutcome) -> str:
    return f"{percent_cell(outcome.percent)},{outcome.band_id}"


def _row_end(cell: OverallCell) -> str:
    """The last cells of a scores-file row: the overall percent and band, and the CRLF."""
    return f"{percent_cell(cell.percent)},{cell.band_id}\r\n"


def neutralise(cell: str) -> str:
    """`'`-prefix a cell that a spreadsheet would run as a formula (a plain number is left)."""
    if cell[:1] in _FORMULA_START and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def score_columns(framework: Framework) -> list[str]:
    """Header of the scores file: id, name, per theme percent and band, overall."""
    columns = ["id", "name"]
    for theme in framework.themes:
        columns += [f"{theme.id}_percent", f"{theme.id}_band"]
    from lpc_assess.writers.facet_scores import facet_columns

    return [*columns, "overall_percent", "overall_band", *facet_columns(framework)]


class ScoresWriter(Protocol):
    """A consumer that streams each chunk into a temporary file; `commit()` makes the
    file appear, once the whole batch has succeeded, and `abort()` removes it."""

    path: Path

    def add(self, chunk: ScoredChunk) -> None: ...

    def finish(self) -> None: ...

    def append_part(self, part: Path) -> None: ...

    def commit(self) -> None: ...

    def abort(self) -> None: ...


class _StreamedFile:
    """A temporary file next to `path`, renamed over it on `commit()`.

    An existing character device (/dev/null) is written in place instead; a
    folder, FIFO or socket is refused with an OSError (see `files.output_target`).
    """

    def __init__(self, path: Path, part: Path | None = None) -> None:
        from lpc_assess.writers.files import open_in_place, output_target

        self.path = path
        self._tmp: Path | None = None
        self._part = part is not None
        self.handle: IO[str]
        if part is not None:  # the rows of one part of the batch, for `append_part`
            self._tmp = part  # made 0600 by whoever chose it (pipeline/halves.py)
            self.handle = open(part, "w", encoding="utf-8", newline="")  # noqa: SIM115
            return
        if output_target(path):
            self.handle = open(  # noqa: SIM115
                open_in_place(path), "w", encoding="utf-8", newline=""
            )
            return
        folder = path.parent if str(path.parent) else Path(".")
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        # mkstemp makes the file 0600: scores are personal data.
        self._tmp = Path(name)
        self.handle = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def finish(self) -> None:
        """Nothing to do: the batch commits the file with its other outputs."""

    def append_part(self, part: Path) -> None:
        """The rows a writer made with `part=` streamed there, after the rows so far
        (pipeline/halves.py); the part file is removed."""
        self.handle.flush()  # the text so far, then the part's bytes after it
        with open(part, "rb") as rows:
            shutil.copyfileobj(rows, self.handle.buffer, 1 << 16)  # type: ignore[attr-defined]
        part.unlink()

    def commit(self) -> None:
        if self._tmp is None or self._part:  # a device, written in place; or a part's rows
            self.handle.close()
            return
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.unlink()


class CsvScoresWriter(_StreamedFile):
    """The scores file as CSV (UTF-8, comma, CRLF), with formula cells neutralised."""

    def __init__(self, path: Path, framework: Framework, part: Path | None = None) -> None:
        super().__init__(path, part)
        self._write = self.handle.write
        if part is None:
            self._write(",".join(score_columns(framework)) + "\r\n")
        # Text of each shared theme outcome and overall cell, made once (capped).
        self._themes: Memo[ThemeOutcome, str] = Memo(_theme_cells)
        self._ends: Memo[OverallCell, str] = Memo(_row_end)
        self._facets: FacetCells | None = None
        if framework.facets is not None:  # facet columns end the row (facet_scores.py)
            from lpc_assess.writers.facet_scores import FacetCells

            self._facets = FacetCells(framework, percent_cell)
            self._ends = Memo(lambda cell: _row_end(cell).removesuffix("\r\n"))

    def add(self, chunk: ScoredChunk) -> None:
        # One join per row: id, name, then the remembered text of each shared
        # theme outcome and overall cell (the overall one with the CRLF).
        names = chunk.names
        texts = [n or "" for n in names] if None in names else cast("list[str]", names)
        theme_text = self._themes.__getitem__
        rows = zip(
            _safe_cells(chunk.ids),
            _safe_cells(texts),
            *[map(theme_text, map(_outcome_of, column)) for column in chunk.patterns],
            map(self._ends.__getitem__, chunk.overall.cells),
            *([self._facets.csv_column(chunk)] if self._facets is not None else []),
            strict=True,
        )
        self._write("".join(map(",".join, rows)))  # one write per chunk, not per row


def _safe_cells(cells: list[str]) -> list[str]:
    """`csv_cell` of each cell. Most ids and names need nothing, so the column is
    checked at once, and only the cells that need it are changed."""
    joined = "\x00".join(cells)  # no cell holds a NUL: CSV exports with one are refused
    # One search for a NUL and what follows it: NULs separate every cell, so six substring
    # searches, one per character, would each stop at every cell.
    formula = joined.startswith(_FORMULA_STARTS) or _AFTER_NUL.search(joined) is not None
    # Substring searches: much faster than a regular expression over the whole column.
    quotes = [char for char in _QUOTED_IF if char in joined]
    if not (formula or quotes):
        return cells
    flagged = set()
    if quotes:
        # Where each cell starts in `joined`: a character found is inside its cell.
        starts = list(accumulate(map((1).__add__, map(len, cells)), initial=0))
        for char in quotes:
            at = joined.find(char)
            while at >= 0:
                flagged.add(bisect_right(starts, at) - 1)
                at = joined.find(char, at + 1)
    if formula:
        flagged.update(i for i, cell in enumerate(cells) if cell[:1] in _FORMULA_START)
    out = list(cells)
    for at in flagged:
        out[at] = csv_cell(cells[at])
    return out


def csv_cell(text: str) -> str:
    """One CSV cell: formula-neutralised, then quoted when it must be (as csv.writer does)."""
    if text[:1] in _FORMULA_START:
        text = neutralise(text)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


class JsonlScoresWriter(_StreamedFile):
    """The scores file as JSON Lines: one object per response, with the CSV's keys.

    Values are typed (numbers, null) and not neutralised: JSON is read by programs.
    """

    def __init__(self, path: Path, framework: Framework, part: Path | None = None) -> None:
        super().__init__(path, part)
        self._keys = [json.dumps(k) for k in score_columns(framework)[2:]]
        self._tails: dict[OverallOutcome, str] = {}
        self._facets: FacetCells | None = None
        if framework.facets is not None:  # facet members end the object (facet_scores.py)
            from lpc_assess.writers.facet_scores import FacetCells

            self._facets = FacetCells(framework, percent_cell)
            self._keys = self._keys[: len(self._keys) - len(self._facets.columns)]

    def _tail(self, outcome: OverallOutcome) -> str:
        tail = self._tails.get(outcome)
        if tail is None:
            values: list[object] = []
            for theme in outcome.themes:
                values += [theme.percent, theme.band_id or None]
            values += [outcome.percent, outcome.band_id or None]
            tail = (
                ", ".join(f"{k}: {json.dumps(v)}" for k, v in zip(self._keys, values, strict=True))
                + "}\n"
            )
            if len(self._tails) < _JSON_CACHE_LIMIT:
                self._tails[outcome] = tail
        return tail

    def add(self, chunk: ScoredChunk) -> None:
        for record in chunk.records():
            head = json.dumps({"id": record.respondent_id, "name": record.name}, ensure_ascii=False)
            line = head[:-1] + ", " + self._tail(record.overall)
            if self._facets is not None:
                line = line[:-2] + ", " + self._facets.json_members(record.facets) + "}\n"
            self.handle.write(line)


def open_scores(path: Path, framework: Framework, part: Path | None = None) -> ScoresWriter:
    """A streaming writer for `--scores`, by extension: `.jsonl` is JSON Lines, else CSV.

    With `part`, the rows go to that file instead, without a header, for the
    writer of the whole file to `append_part` (pipeline/halves.py).
    """
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return JsonlScoresWriter(path, framework, part)
    return CsvScoresWriter(path, framework, part)
