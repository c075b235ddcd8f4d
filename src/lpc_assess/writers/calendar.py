"""A reminder of a pledge for the person's calendar: one all-day event, RFC 5545.

`take` writes it beside the answers as `<answers stem>-pledge.ics` (mode 0600,
atomically). The event falls on the pledge's by-when date; its description holds
the pledge and the command that takes the self-check again and compares. The
UID comes from the answers file's place on disk, so a file written again for
the same answers replaces the event in a calendar rather than adding a second.
The text is built by `icalendar` (imported here only), which escapes, folds
long lines and ends them with CRLF. See docs/taking-the-self-check.md.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.model.pledge import Pledge

SUMMARY_TEXT = 60  # characters of the pledge in the event's title
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def calendar_path(answers: Path) -> Path:
    """`lpc-answers-2026-11-23.yaml` -> `lpc-answers-2026-11-23-pledge.ics`, beside it."""
    return answers.with_name(f"{answers.stem}-pledge.ics")


def pledge_uid(answers: Path) -> str:
    """A UUID from the answers file's absolute path: the same file, the same event."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, answers.resolve().as_uri()))


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def summary(pledge: Pledge) -> str:
    """`Review your pledge: Ask two people what a good day looks like`."""
    text = _one_line(pledge.text).rstrip(" .,;:")
    if len(text) > SUMMARY_TEXT:
        text = text[: SUMMARY_TEXT - 1].rstrip(" ,;:") + "…"
    return f"Review your pledge: {text}"


def description(pledge: Pledge, command: str) -> str:
    return (
        f"Your pledge: {_one_line(pledge.sentence())}\n\n"
        "How did it go? Take the self-check again: it asks how your pledge went, and your "
        "report shows what has changed since. In a terminal, run:\n\n"
        f"{command}\n"
    )


def pledge_calendar(
    pledge: Pledge, *, on: dt.date, uid: str, command: str, stamp: dt.datetime
) -> bytes:
    """The iCalendar text of one all-day event on `on`, with a reminder at 09:00 that day."""
    from icalendar import Alarm, Calendar, Event

    from lpc_assess import __version__

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(dt.timezone.utc))
    event.add("dtstart", on)
    event.add("dtend", on + dt.timedelta(days=1))
    event.add("summary", summary(pledge))
    event.add("description", description(pledge, command))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary(pledge))
    alarm.add("trigger", dt.timedelta(hours=9))  # from the start of the day
    event.add_component(alarm)
    calendar = Calendar()
    calendar.add("prodid", f"-//lpc-assess//lpc-assess {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def write_pledge_calendar(
    path: Path,
    pledge: Pledge,
    *,
    on: dt.date,
    answers: Path,
    command: str,
    stamp: dt.datetime,
) -> None:
    """Write the reminder to `path`: atomically, readable only by its owner (0600)."""
    from lpc_assess.writers.files import atomic_write

    data = pledge_calendar(pledge, on=on, uid=pledge_uid(answers), command=command, stamp=stamp)
    atomic_write(path, data, private=True)
