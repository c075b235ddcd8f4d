"""The dates a person may type for a pledge's "by when".

`read_date` understands day first, as in the UK (`31/12/2026`, `31.12.26`,
`31/12`), ISO dates (`2026-12-31`), a day and a month in words (`31 December`,
`Dec 31st 2026`), spans (`in 4 weeks`, `in two months`, `in a fortnight`),
`today`, `tomorrow`, `next week`, a weekday (`Friday`, `next Friday`) and ends
of months (`the end of June`, `end of the month`). A leading `by` is ignored.
See docs/taking-the-self-check.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from lpc_assess.model.pledge import MONTHS

# A pledge is for the weeks ahead; a date further off than this is most likely a typo.
MAX_YEARS = 5

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS.update({name[:3]: n for name, n in list(_MONTH_NUMBERS.items())})
_MONTH_NUMBERS["sept"] = 9
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(?P<year>\d{4}))?"


class DateProblem(ValueError):
    """A by-when that cannot be used; the message says why, with an example."""


def examples(today: dt.date) -> str:
    """Three ways to write the date four weeks on: `21/12/2026 (day first), 2026-12-21 or
    in 4 weeks`."""
    later = today + dt.timedelta(weeks=4)
    day_first = f"{later.day:02d}/{later.month:02d}/{later.year}"
    return f"{day_first} (day first), {later.isoformat()} or in 4 weeks"


def parse_date(text: str, today: dt.date) -> dt.date | None:
    """The date `text` names, past or future; None when it names none."""
    words = " ".join(text.lower().replace(",", " , ").split()).replace(" ,", ",")
    words = re.sub(r"^(?:by|on|before)\s+", "", words).rstrip(" .!")
    try:
        return _parse(words, today)
    except (ValueError, OverflowError):  # 31/02/2026, a year 0, a year past 9999
        return None


def read_date(text: str, today: dt.date) -> dt.date:
    """The date `text` names, from today on; DateProblem when it is unreadable, past or far off."""
    found = parse_date(text, today)
    if found is None:
        raise DateProblem(
            f"I could not read {text.strip()!r} as a date. Type it like {examples(today)}."
        )
    if found < today:
        raise DateProblem(
            f"{shown(found)} has already passed. Choose a date from today on, "
            f"for example {examples(today)}."
        )
    if found > _add_months(today, 12 * MAX_YEARS):
        raise DateProblem(
            f"{shown(found)} is more than {MAX_YEARS} years away. Choose a nearer date, "
            f"for example {examples(today)}."
        )
    return found


def shown(day: dt.date) -> str:
    """`Thursday 31 December 2026`: a date as the person is shown it back."""
    return f"{_WEEKDAYS[day.weekday()].title()} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _parse(words: str, today: dt.date) -> dt.date | None:
    for parse in (_named, _span, _numeric, _in_words, _weekday, _month_end):
        found = parse(words, today)
        if found is not None:
            return found
    return None


def _named(words: str, today: dt.date) -> dt.date | None:
    named = {
        "today": today,
        "tomorrow": today + dt.timedelta(days=1),
        "next week": today + dt.timedelta(weeks=1),
        "next month": _add_months(today, 1),
        "a fortnight": today + dt.timedelta(weeks=2),
        "in a fortnight": today + dt.timedelta(weeks=2),
    }
    return named.get(words)


def _span(words: str, today: dt.date) -> dt.date | None:
    """`in 4 weeks`, `in two months`, `3 days`."""
    match = re.fullmatch(
        r"(?:in\s+)?(?:the\s+next\s+)?(\d{1,3}|[a-z]+)\s+(day|week|month|year)s?(?:\s+time)?",
        words,
    )
    if not match:
        return None
    amount = _NUMBERS.get(match.group(1)) or (
        int(match.group(1)) if match.group(1).isdigit() else None
    )
    if amount is None:
        return None
    unit = match.group(2)
    if unit == "day":
        return today + dt.timedelta(days=amount)
    if unit == "week":
        return today + dt.timedelta(weeks=amount)
    return _add_months(today, amount * (12 if unit == "year" else 1))


def _numeric(words: str, today: dt.date) -> dt.date | None:
    """`2026-12-31`; day first: `31/12/2026`, `31.12.26`, `31-12`."""
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", words)
    if iso:
        return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    match = re.fullmatch(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*\2\s*(\d{2}|\d{4}))?", words)
    if not match:
        return None
    day, month = int(match.group(1)), int(match.group(3))
    if match.group(4) is None:
        return _next_occurrence(day, month, today)
    year = int(match.group(4))
    return dt.date(year + 2000 if year < 100 else year, month, day)


def _in_words(words: str, today: dt.date) -> dt.date | None:
    """`31 December 2026`, `31st of Dec`, `December 31, 2026`."""
    for pattern in (
        rf"{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}",
        rf"{_MONTH}\s+{_DAY}{_YEAR}",
    ):
        match = re.fullmatch(pattern, words)
        if match:
            day, month = int(match.group("day")), _MONTH_NUMBERS[match.group("month")]
            if match.group("year"):
                return dt.date(int(match.group("year")), month, day)
            return _next_occurrence(day, month, today)
    return None


def _weekday(words: str, today: dt.date) -> dt.date | None:
    """`Friday`, `this Friday`, `next Friday`: the first such day after today."""
    match = re.fullmatch(r"(?:(?:this|next|on)\s+)?(" + "|".join(_WEEKDAYS) + ")", words)
    if not match:
        return None
    ahead = (_WEEKDAYS.index(match.group(1)) - today.weekday()) % 7 or 7
    return today + dt.timedelta(days=ahead)


def _month_end(words: str, today: dt.date) -> dt.date | None:
    """`the end of June`, `end of the month`, `end of next month`."""
    match = re.fullmatch(r"(?:the\s+)?end\s+of\s+(?:the\s+)?(.+)", words)
    if not match:
        return None
    what = match.group(1)
    if what in ("month", "this month"):
        return _last_day(today.year, today.month)
    if what == "next month":
        later = _add_months(today, 1)
        return _last_day(later.year, later.month)
    named = re.fullmatch(_MONTH + r"(?:\s+(?P<year>\d{4}))?", what)
    if not named:
        return None
    month = _MONTH_NUMBERS[named.group("month")]
    if named.group("year"):
        return _last_day(int(named.group("year")), month)
    end = _last_day(today.year, month)
    return end if end >= today else _last_day(today.year + 1, month)


def _next_occurrence(day: int, month: int, today: dt.date) -> dt.date:
    """The day and month given, this year if it is still to come, else next year."""
    this_year = dt.date(today.year, month, day) if _valid(today.year, month, day) else None
    if this_year is not None and this_year >= today:
        return this_year
    return dt.date(today.year + 1, month, day)


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
