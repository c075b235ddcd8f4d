"""A pledge: what the person will do, with whom and by when, and the sentence it makes.

The answers-file model (`answers.py`) reads and writes these; the questionnaire
asks for them, the reports and the calendar reminder show `Pledge.sentence()`.
See docs/taking-the-self-check.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

# How a person may say their earlier pledge went.
OUTCOMES = ("done", "partly", "not yet")
_DATE_END = r"(?![0-9])"


@dataclass(frozen=True)
class Pledge:
    """What the person will do, with whom (optional) and by when (optional).

    A plain-text pledge from an older answers file is a Pledge with text only.
    """

    text: str
    with_whom: str | None = None
    by_when: dt.date | None = None

    def sentence(self) -> str:
        """One sentence from the parts, each said once: `Ask two people, with my team,
        by 31 December 2026.` A part the text already holds is not added again."""
        what = " ".join(self.text.split())
        parts = [what.rstrip(" .,;:")]
        who = _without_word(" ".join((self.with_whom or "").split()), "with").rstrip(" .,;:")
        if who and _words(who) not in _words(what):
            parts.append(f"with {who}")
        if self.by_when is not None and not mentions_date(what, self.by_when):
            parts.append(f"by {date_words(self.by_when)}")
        if len(parts) == 1:
            return what if what.endswith((".", "!", "?")) else what + "."
        return ", ".join(parts) + "."

    def to_data(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "with_whom": self.with_whom,
            "by_when": self.by_when.isoformat() if self.by_when else None,
        }


@dataclass(frozen=True)
class PreviousPledge(Pledge):
    """The earlier self-check's pledge, its outcome and note, and which file it came from."""

    outcome: str | None = None
    note: str | None = None
    source: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {
            **super().to_data(),
            "outcome": self.outcome,
            "note": self.note,
            "source": self.source,
        }


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_words(day: dt.date) -> str:
    """`31 December 2026` (English month names, whatever the locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def mentions_date(text: str, day: dt.date) -> bool:
    """True when `text` already names `day` (`31 December`, `Dec 31`, `31/12`, `2026-12-31`)."""
    month = MONTHS[day.month - 1].lower()
    mon = month[:3]
    forms = [
        rf"{day.day}(?:st|nd|rd|th)? (?:of )?(?:{month}|{mon})\b",
        rf"(?:{month}|{mon}) {day.day}(?:st|nd|rd|th)?{_DATE_END}",
        rf"0?{day.day}[/.-]0?{day.month}{_DATE_END}",
        re.escape(day.isoformat()),
    ]
    lowered = " ".join(text.lower().split())
    return any(re.search(rf"(?<![0-9]){form}", lowered) for form in forms)


def _words(text: str) -> str:
    """Lower-case words only, for telling whether one part already holds another."""
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


def _without_word(text: str, word: str) -> str:
    """`with my team` -> `my team`, so that the sentence does not say `with with`."""
    head, _, rest = text.partition(" ")
    return rest.strip() if head.lower() == word and rest.strip() else text
