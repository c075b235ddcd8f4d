"""Cell decoding: numbers, labels, "4 - Often", missing tokens, and completion dates."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from lpc_assess.diagnostics import quote_cell
from lpc_assess.inputs.columns import _TRAILING, fold_typography
from lpc_assess.model.framework import Framework

MISSING = ("", "na", "n/a", "-", "skip")

CACHE_LIMIT = 1 << 15


_NUMBER_LABEL = re.compile(r"^([+-]?\d+)\s*(?:[-\u2013\u2014.:)=]\s*|\s+)(.+)$")


_INTEGER = re.compile(r"^[+-]?\d+(?:\.0*)?$")


def _plain(text: str) -> str:
    """Cell or label text compared as headers are: typography folded, spacing and case ignored."""
    return " ".join(fold_typography(text).split()).casefold()


class CellDecoder:
    """Cell text -> answer on the scale, None (unanswered), or a reason it is not an answer.

    `table` holds every usual spelling of a good answer, so the hot loop can
    look cells up directly; anything else goes through `decode()` once, and a
    good answer is then added to `table` (up to a limit).
    """

    def __init__(self, framework: Framework) -> None:
        scale = framework.scale
        self.low, self.high = scale.min, scale.max
        self.labels = {v: scale.labels[v] for v in range(scale.min, scale.max + 1)}
        self._by_label = {_plain(lb): v for v, lb in self.labels.items()}
        missing = set(MISSING)
        if scale.skip:
            missing.add(_plain(scale.skip))
        self._missing = missing
        self.table: dict[str, int | None] = {}
        for value, label in self.labels.items():
            for text in (
                str(value),
                label,
                label.casefold(),
                label.upper(),
                label.title(),
                f"{value} - {label}",
                f"{value}. {label}",
                f"{value} {label}",
                f"{value} \u2013 {label}",
                f"{value}-{label}",
                f"{value}: {label}",
            ):
                self.table[text] = value
        for token in missing:
            for text in (token, token.upper(), token.title()):
                self.table[text] = None
        if scale.skip:
            self.table[scale.skip] = None
        self._bad: dict[str, str] = {}

    def decode(self, cell: str) -> int | str | None:
        """The answer for `cell`: an int, None when unanswered, or a message (str) if bad."""
        if cell in self.table:
            return self.table[cell]
        if cell in self._bad:
            return self._bad[cell]
        result = self._work_out(cell)
        if isinstance(result, str):
            if len(self._bad) < CACHE_LIMIT:
                self._bad[cell] = result
        elif len(self.table) < CACHE_LIMIT:
            self.table[cell] = result
        return result

    def _work_out(self, cell: str) -> int | str | None:
        text = _plain(cell)
        if text in self._missing:
            return None
        if text in self._by_label:
            return self._by_label[text]
        if _INTEGER.match(text):
            number = int(float(text)) if "." in text else int(text)
            if self.low <= number <= self.high:
                return number
            return f"{quote_cell(cell)} is outside the scale {self.low}..{self.high}"
        both = _NUMBER_LABEL.match(text)
        if both:
            number, label = int(both.group(1)), both.group(2).rstrip(_TRAILING)
            if number in self.labels and self._by_label.get(label) == number:
                return number
            if number in self.labels and label in self._by_label:
                return (
                    f"{quote_cell(cell)}: the number and the label disagree "
                    f"({number} is {self.labels[number]!r})"
                )
        hint = ""
        if len(text) < 60:
            close = difflib.get_close_matches(text, list(self._by_label), n=1, cutoff=0.6)
            if close:
                hint = f" (did you mean {self.labels[self._by_label[close[0]]]!r}?)"
        shown = quote_cell(cell if len(cell) <= 60 else cell[:57] + "...")
        return (
            f"{shown} is not an answer: use a number {self.low}..{self.high} or a label "
            f"({', '.join(self.labels.values())}){hint}"
        )


class DateReader:
    """Completion times as form tools write them -> datetimes, read only for reports.

    ISO (`2026-11-21 09:30:00`, LimeSurvey), year first (`2026/11/21 10:11:00 AM
    GMT`, Google Forms), and day or month first (`11/20/26 9:14:40`, Microsoft
    Forms, in the owner's locale). Day-first or month-first is learnt from the
    values: once one has a first part over 12 it is day-first, and so on; until
    then an ambiguous date is not guessed (None).
    """

    def __init__(self) -> None:
        self.day_first: bool | None = None

    def __call__(self, text: str) -> dt.datetime | None:
        match = _DATE.match(text.strip())
        if not match:
            return None
        a, b, c = (int(match.group(i)) for i in (1, 2, 3))
        hour, minute = int(match.group(4) or 0), int(match.group(5) or 0)
        second = int(match.group(6) or 0)
        pm = (match.group(7) or "").lower()
        if pm and hour == 12:
            hour = 0
        if pm == "pm":
            hour += 12
        if len(match.group(1)) == 4:
            year, month, day = a, b, c
        else:
            year = c + 2000 if c < 100 else c
            if a > 12:
                self.day_first = True
            elif b > 12:
                self.day_first = False
            elif a != b and self.day_first is None:
                return None
            day, month = (a, b) if self.day_first or a == b else (b, a)
        try:
            return dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None


_DATE = re.compile(
    r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\.\d+)?\s*([AaPp][Mm])?)?"
)
