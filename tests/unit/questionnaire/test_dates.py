"""The dates a person may type for a pledge's "by when", read against a calendar by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from lpc_assess.questionnaire.dates import DateProblem, examples, parse_date, read_date, shown

# Monday 23 November 2026 (checked: `cal 11 2026`).
TODAY = dt.date(2026, 11, 23)
D = dt.date


@pytest.mark.parametrize(
    "typed, expected",
    [
        # The three forms the prompt shows.
        ("31/12/2026", D(2026, 12, 31)),
        ("2026-12-31", D(2026, 12, 31)),
        ("in 4 weeks", D(2026, 12, 21)),
        # Day first, other separators, short years, no year.
        ("1/2/2027", D(2027, 2, 1)),
        ("01.02.2027", D(2027, 2, 1)),
        ("31-12-26", D(2026, 12, 31)),
        ("31/12", D(2026, 12, 31)),
        ("1/1", D(2027, 1, 1)),  # already past this year: next year
        ("23/11", D(2026, 11, 23)),  # today counts
        # Words.
        ("31 December", D(2026, 12, 31)),
        ("31st of Dec 2026", D(2026, 12, 31)),
        ("December 31, 2026", D(2026, 12, 31)),
        ("Sept 1", D(2027, 9, 1)),
        ("30 June", D(2027, 6, 30)),
        # Spans.
        ("in two weeks", D(2026, 12, 7)),
        ("in a fortnight", D(2026, 12, 7)),
        ("10 days", D(2026, 12, 3)),
        ("in 2 months", D(2027, 1, 23)),
        ("in a year", D(2027, 11, 23)),
        ("in the next 3 weeks", D(2026, 12, 14)),
        # Named days.
        ("today", D(2026, 11, 23)),
        ("tomorrow", D(2026, 11, 24)),
        ("next week", D(2026, 11, 30)),
        ("Friday", D(2026, 11, 27)),
        ("next Monday", D(2026, 11, 30)),  # today is a Monday: the next one
        ("the end of the month", D(2026, 11, 30)),
        ("end of next month", D(2026, 12, 31)),
        ("the end of June", D(2027, 6, 30)),
        ("end of February 2028", D(2028, 2, 29)),  # a leap year
        # A leading "by", capitals, spaces and a full stop are all fine.
        ("  By 31/12/2026. ", D(2026, 12, 31)),
        ("BY FRIDAY", D(2026, 11, 27)),
    ],
)
def test_the_forms_a_person_may_type(typed: str, expected: dt.date) -> None:
    assert read_date(typed, TODAY) == expected


def test_a_month_on_from_the_31st_is_the_last_day_of_a_shorter_month() -> None:
    assert read_date("in 1 month", dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert read_date("in 1 month", dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    "typed", ["sometime", "12/31/2026", "31/11/2026", "2026-02-30", "soon-ish", "in many weeks", ""]
)
def test_what_is_not_a_date_is_asked_again_with_examples(typed: str) -> None:
    with pytest.raises(DateProblem) as caught:
        read_date(typed, TODAY)
    message = str(caught.value)
    assert message.startswith(f"I could not read {typed.strip()!r} as a date.")
    # Four weeks on from today, written three ways.
    assert "21/12/2026 (day first), 2026-12-21 or in 4 weeks" in message


@pytest.mark.parametrize("typed", ["22/11/2026", "2020-01-01", "1/1/2026"])
def test_a_date_in_the_past_is_asked_again(typed: str) -> None:
    with pytest.raises(DateProblem) as caught:
        read_date(typed, TODAY)
    assert "has already passed. Choose a date from today on, for example 21/12/2026" in str(
        caught.value
    )


def test_a_date_years_away_is_taken_for_a_typo() -> None:
    with pytest.raises(DateProblem, match="is more than 5 years away"):
        read_date("31/12/2062", TODAY)
    assert read_date("23/11/2031", TODAY) == dt.date(2031, 11, 23)  # five years is fine


def test_parse_date_reads_past_dates_too() -> None:
    assert parse_date("by 1/1/2020", TODAY) == dt.date(2020, 1, 1)
    assert parse_date("doing it well", TODAY) is None


def test_dates_are_shown_back_with_their_weekday() -> None:
    assert shown(dt.date(2026, 12, 31)) == "Thursday 31 December 2026"
    assert examples(dt.date(2026, 12, 20)) == "17/01/2027 (day first), 2027-01-17 or in 4 weeks"
