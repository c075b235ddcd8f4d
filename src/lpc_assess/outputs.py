"""Machine-readable batch outputs: the scores file (CSV or JSONL), the summary JSON,
and the team summary table for the terminal.

The scores file is streamed: one row per scored response, written as it is
produced, into a temporary file that replaces the target only when the batch
has finished (so a reader never sees half a file, and an interrupted run
leaves the previous file alone).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from bisect import bisect_right
from itertools import accumulate
from operator import attrgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol, cast

from lpc_assess.files import atomic_write

if TYPE_CHECKING:
    from lpc_assess.batch import PeopleTable
    from lpc_assess.framework import Framework
    from lpc_assess.team import (
        IndicatorStats,
        OverallOutcome,
        ScoredChunk,
        ScoredResponse,
        TeamSummary,
        ThemeStats,
    )

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_START = frozenset("=+-@\t\r")
_FORMULA_STARTS = tuple(sorted(_FORMULA_START))
_QUOTED_IF = '",\r\n'  # as _NEEDS_QUOTES
_AFTER_NUL = tuple("\x00" + c for c in _FORMULA_STARTS)  # a cell's start, in joined cells
_csv_of = attrgetter("csv")
_row_end_of = attrgetter("row_end")
_NEEDS_QUOTES = re.compile(r'[",\r\n]')
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_JSON_CACHE_LIMIT = 1 << 15


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
    return [*columns, "overall_percent", "overall_band"]


class ScoresWriter(Protocol):
    """Where scored responses go, one at a time; `commit()` makes the file appear."""

    path: Path

    def write(self, record: ScoredResponse) -> None: ...

    def write_chunk(self, chunk: ScoredChunk) -> None: ...

    def commit(self) -> None: ...

    def abort(self) -> None: ...


class _StreamedFile:
    """A temporary file next to `path`, renamed over it on `commit()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        folder = path.parent if str(path.parent) else Path(".")
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        self._tmp = Path(name)
        self.handle: IO[str] = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self._tmp.unlink()


class CsvScoresWriter(_StreamedFile):
    """The scores file as CSV (UTF-8, comma, CRLF), with formula cells neutralised."""

    def __init__(self, path: Path, framework: Framework) -> None:
        super().__init__(path)
        self._write = self.handle.write
        self._write(",".join(score_columns(framework)) + "\r\n")

    def write(self, record: ScoredResponse) -> None:
        # Only id and name can hold text from the input; the rest of the row is
        # numbers and band ids, joined once per distinct outcome.
        self._write(
            f"{csv_cell(record.respondent_id)},{csv_cell(record.name or '')},"
            f"{record.overall.csv_tail}\r\n"
        )

    def write_chunk(self, chunk: ScoredChunk) -> None:
        # One join per row: id, name, then the cells that each shared theme pattern
        # and overall cell carry as text already (the overall one with the CRLF).
        names = chunk.names
        texts = [n or "" for n in names] if None in names else cast("list[str]", names)
        rows = zip(
            _safe_cells(chunk.ids),
            _safe_cells(texts),
            *[map(_csv_of, column) for column in chunk.patterns],
            map(_row_end_of, chunk.overall.cells),
            strict=True,
        )
        self._write("".join(map(",".join, rows)))  # one write per chunk, not per row


def _safe_cells(cells: list[str]) -> list[str]:
    """`csv_cell` of each cell. Most ids and names need nothing, so the column is
    checked at once, and only the cells that need it are changed."""
    joined = "\x00".join(cells)  # no cell holds a NUL: CSV exports with one are refused
    formula = joined.startswith(_FORMULA_STARTS) or any(s in joined for s in _AFTER_NUL)
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

    def __init__(self, path: Path, framework: Framework) -> None:
        super().__init__(path)
        self._keys = [json.dumps(k) for k in score_columns(framework)[2:]]
        self._tails: dict[OverallOutcome, str] = {}

    def _tail(self, outcome: OverallOutcome) -> str:
        tail = self._tails.get(outcome)
        if tail is None:
            values = []
            for i, cell in enumerate(outcome.cells):
                if not cell:
                    values.append("null")
                elif i % 2:
                    values.append(json.dumps(cell))
                else:
                    values.append(cell)  # a float's repr is a JSON number
            tail = ", ".join(f"{k}: {v}" for k, v in zip(self._keys, values, strict=True)) + "}\n"
            if len(self._tails) < _JSON_CACHE_LIMIT:
                self._tails[outcome] = tail
        return tail

    def write_chunk(self, chunk: ScoredChunk) -> None:
        for record in chunk.records():
            self.write(record)

    def write(self, record: ScoredResponse) -> None:
        head = json.dumps({"id": record.respondent_id, "name": record.name}, ensure_ascii=False)
        self.handle.write(head[:-1] + ", " + self._tail(record.overall))


def open_scores(path: Path, framework: Framework) -> ScoresWriter:
    """A streaming writer for `--scores`, by extension: `.jsonl` is JSON Lines, else CSV."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return JsonlScoresWriter(path, framework)
    return CsvScoresWriter(path, framework)


def summary_text(summary: TeamSummary) -> str:
    """The `--summary` JSON document (PRODUCT.md §5), numbers unrounded."""
    return json.dumps(summary.to_json(), indent=2, ensure_ascii=False) + "\n"


def write_summary(path: Path, summary: TeamSummary) -> None:
    atomic_write(path, summary_text(summary))


# --- the terminal table ---------------------------------------------------------------------


def _fixed(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def summary_rows(summary: TeamSummary) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the team summary table (rounded for reading)."""
    header = ["theme", "n", "mean", "sd", "median", "min", "max", "percent", "alpha"]
    rows = []
    for stats in summary.themes():
        rows.append(
            [
                stats.title,
                str(stats.n),
                _fixed(stats.mean),
                _fixed(stats.sd),
                _fixed(stats.median),
                _fixed(stats.min),
                _fixed(stats.max),
                _fixed(stats.percent, 1),
                _fixed(stats.alpha),
            ]
        )
    overall = summary.overall_percent
    rows.append(["Overall", str(summary.overall_n), "", "", "", "", "", _fixed(overall, 1), ""])
    return header, rows


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns aligned with spaces: for pipes, files and screen readers."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)]) + "\n"


def print_summary_table(summary: TeamSummary, stream: Any) -> None:
    """The team summary on `stream`: a Rich table on a terminal, aligned text otherwise."""
    from lpc_assess.console import make_console

    header, rows = summary_rows(summary)
    title = (
        f"{summary.framework.title}: {summary.responses} response(s)"
        f"{f', {summary.rejected} rejected' if summary.rejected else ''}"
    )
    isatty = getattr(stream, "isatty", None)
    if not (callable(isatty) and isatty()) or os.environ.get("TERM") == "dumb":
        stream.write(title + "\n" + plain_table(header, rows))
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    make_console(stream).print(table)


# --- the team report ------------------------------------------------------------------------

ALPHA_RELIABLE = 0.7
ALPHA_FEW = 30  # below this many people alpha moves a lot from one group to the next
LOWEST_SHOWN = 5


def _alpha_note(stats: ThemeStats) -> str:
    """Plain words on what this theme's alpha can and cannot say."""
    if stats.alpha is None:
        if stats.k < 2:
            return "Not computed: the theme has fewer than two statements."
        if stats.alpha_n < 3:
            return "Not computed: fewer than three people answered every statement of this theme."
        return "Not computed: everyone's total for this theme was the same."
    notes = []
    if stats.alpha < ALPHA_RELIABLE:
        notes.append(
            f"Below {ALPHA_RELIABLE}: for this group, the theme's statements may not "
            "hang together, so read its score with care."
        )
    if stats.alpha_n < ALPHA_FEW:
        notes.append(
            f"From only {stats.alpha_n} people: alpha from a handful of people is "
            "unstable and can change a lot with one more response."
        )
    return " ".join(notes) or "The theme's statements hang together well for this group."


def _shares(counts: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    from lpc_assess.render import number_text

    total = sum(c for _, _, c in counts)
    return [
        {
            "key": key,
            "label": label,
            "count": count,
            "share_text": f"{number_text(100 * count / total)}%" if total else "-",
        }
        for key, label, count in counts
    ]


def team_context(
    framework: Framework, summary: TeamSummary, people: PeopleTable, *, anonymised: bool, kind: str
) -> dict[str, Any]:
    """Everything the team report shows, as plain data for team.<fmt>.j2."""
    import datetime as dt

    from lpc_assess import charts
    from lpc_assess.batch import PEOPLE_LIMIT
    from lpc_assess.render import clean_text, date_text, number_text, percent_text
    from lpc_assess.scoring import band_for

    html = kind == "html"
    bands = framework.bands
    band_label = {b.id: clean_text(b.label) for b in bands}
    scale = framework.scale
    points = list(range(scale.min, scale.max + 1))
    point_label = {str(v): f"{v} {clean_text(framework.label(v))}" for v in points}

    def band_text(percent: float | None) -> str:
        band = band_for(bands, percent)
        return band_label[band.id] if band is not None else "no score"

    themes: list[dict[str, Any]] = []
    for stats in summary.themes():
        title = clean_text(stats.title)
        shares = _shares([(b.id, band_label[b.id], stats.bands.get(b.id, 0)) for b in bands])
        themes.append(
            {
                "id": stats.id,
                "title": title,
                "n": stats.n,
                "mean_text": number_text(stats.mean, 2) or "-",
                "sd_text": number_text(stats.sd, 2) or "-",
                "median_text": number_text(stats.median, 2) or "-",
                "min_text": number_text(stats.min, 2) or "-",
                "max_text": number_text(stats.max, 2) or "-",
                "percent": stats.percent,
                "percent_text": percent_text(stats.percent),
                "band_text": band_text(stats.percent),
                "alpha": stats.alpha,
                "alpha_text": number_text(stats.alpha, 2) or "not computed",
                "alpha_n": stats.alpha_n,
                "alpha_note": _alpha_note(stats),
                "k": stats.k,
                "bands": shares,
                "band_chart": charts.stacked_bar_svg(
                    {b["key"]: b["count"] for b in shares},
                    band_label,
                    title=f"{title}: people in each band",
                    desc=f"How many of the {stats.n} people with a {title} score are in each band.",
                )
                if html
                else None,
            }
        )
    indicator_stats = summary.indicators()
    by_theme: list[dict[str, Any]] = []
    for theme in framework.themes:
        items = []
        for item in indicator_stats:
            if item.theme.id == theme.id:
                items.append(_indicator_context(item, points, point_label, html, charts))
        by_theme.append({"id": theme.id, "title": clean_text(theme.title), "statements": items})
    answered = [s for s in indicator_stats if s.n and s.percent is not None]
    lowest = sorted(answered, key=lambda s: s.percent or 0.0)[:LOWEST_SHOWN]
    overall = summary.overall_percent
    overall_shares = _shares(
        [(b.id, band_label[b.id], summary.overall_bands.get(b.id, 0)) for b in bands]
    )
    theme_titles = [str(t["title"]) for t in themes]
    theme_percents: list[float | None] = [t["percent"] for t in themes]
    people_rows = []
    if people.shown:
        for row in people.rows:
            label = row.id if anonymised or not row.name else f"{row.name} ({row.id})"
            people_rows.append(
                {
                    "label": clean_text(label),
                    "cells": [percent_text(p) for p in row.themes],
                    "overall_text": percent_text(row.overall),
                }
            )
    if people.total > PEOPLE_LIMIT:
        people_note = (
            f"The table of people by theme is left out: it has room for "
            f"{PEOPLE_LIMIT} people and this team has {people.total}. The scores "
            "file (--scores) has one row per person."
        )
    elif anonymised:
        people_note = "Names and ids are replaced; rows are sorted by overall score, highest first."
    else:
        people_note = ""
    return {
        "framework": {
            "id": framework.id,
            "title": clean_text(framework.title),
            "version": framework.version,
        },
        "date": date_text(dt.date.today()),
        "counts": {
            "responses": summary.responses,
            "rejected": summary.rejected,
            "scored": summary.overall_n,
        },
        "overall": {
            "percent": overall,
            "percent_text": percent_text(overall),
            "band_text": band_text(overall),
            "n": summary.overall_n,
            "bands": overall_shares,
            "band_chart": charts.stacked_bar_svg(
                {b["key"]: b["count"] for b in overall_shares},
                band_label,
                title="Overall: people in each band",
                desc="How many people with an overall score are in each band.",
            )
            if html
            else None,
        },
        "themes": themes,
        "radar": charts.radar_svg(
            theme_titles,
            [("Team mean", theme_percents)],
            title="Team mean score by theme",
            desc="The team's mean percent for each theme; the table gives the same numbers.",
        )
        if html and len(themes) >= 3
        else None,
        "alpha": {"reliable": ALPHA_RELIABLE, "few": ALPHA_FEW},
        "indicators": by_theme,
        "scale": [{"value": v, "label": clean_text(framework.label(v))} for v in points],
        "lowest": [
            {
                "id": s.id,
                "statement": clean_text(s.indicator.statement),
                "theme_title": clean_text(s.theme.title),
                "n": s.n,
                "mean_text": number_text(s.mean, 2),
                "percent_text": percent_text(s.percent),
                "reverse": s.indicator.reverse,
                "actions": [clean_text(a) for a in s.indicator.actions],
            }
            for s in lowest
        ],
        "people": {
            "shown": people.shown and bool(people_rows),
            "total": people.total,
            "columns": theme_titles,
            "rows": people_rows,
            "note": people_note,
            "anonymised": anonymised,
        },
        "bands": [{"label": band_label[b.id], "from_text": f"{b.from_:g}"} for b in bands],
    }


def _indicator_context(
    stats: IndicatorStats, points: list[int], point_label: dict[str, str], html: bool, charts: Any
) -> dict[str, Any]:
    from lpc_assess.render import clean_text, number_text, percent_text

    statement = clean_text(stats.indicator.statement)
    shares = _shares([(str(v), point_label[str(v)], stats.counts.get(v, 0)) for v in points])
    return {
        "id": stats.id,
        "statement": statement,
        "n": stats.n,
        "reverse": stats.indicator.reverse,
        "mean_text": number_text(stats.mean, 2) or "-",
        "percent": stats.percent,
        "percent_text": percent_text(stats.percent),
        "counts": shares,
        "chart": charts.stacked_bar_svg(
            {c["key"]: c["count"] for c in shares},
            point_label,
            title=f"Answers to: {statement}",
            desc=f"How many of the {stats.n} people who answered gave each answer.",
        )
        if html
        else None,
    }


def render_team(
    framework: Framework, summary: TeamSummary, people: PeopleTable, fmt: str, *, anonymised: bool
) -> str:
    """The team report as Markdown or HTML, from `team.<fmt>.j2`."""
    from lpc_assess.render import render_template

    kind: Literal["html", "md"] = "html" if fmt == "html" else "md"
    context = team_context(framework, summary, people, anonymised=anonymised, kind=kind)
    return render_template(kind, f"team.{kind}.j2", context)


def write_team_report(
    path: Path,
    framework: Framework,
    summary: TeamSummary,
    people: PeopleTable,
    fmt: str,
    *,
    anonymised: bool,
) -> None:
    atomic_write(path, render_team(framework, summary, people, fmt, anonymised=anonymised))
