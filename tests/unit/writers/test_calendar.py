"""The pledge reminder: an RFC 5545 file, read back by icalendar and checked line by line."""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path

import icalendar

from lpc_assess.model.pledge import Pledge
from lpc_assess.writers.calendar import (
    calendar_path,
    pledge_calendar,
    pledge_uid,
    write_pledge_calendar,
)

DEC_31 = dt.date(2026, 12, 31)
STAMP = dt.datetime(2026, 11, 23, 10, 14, tzinfo=dt.timezone.utc)
COMMAND = "cd '/home/sam/my answers' && lpc-assess take --previous lpc-answers-2026-11-23.yaml"
PLEDGE = Pledge("Ask two people what matters; then, tell the team", "Jo, Priya", DEC_31)


def event_of(data: bytes) -> icalendar.cal.Component:
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return events[0]


def test_the_event_reads_back_with_icalendar() -> None:
    data = pledge_calendar(PLEDGE, on=DEC_31, uid="u-1", command=COMMAND, stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//lpc-assess//")
    event = event_of(data)
    # An all-day event: dates, not times, and it lasts the one day.
    assert event.decoded("DTSTART") == DEC_31
    assert not isinstance(event.decoded("DTSTART"), dt.datetime)
    assert event.decoded("DTEND") == dt.date(2027, 1, 1)
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["UID"]) == "u-1"
    assert str(event["SUMMARY"]) == (
        "Review your pledge: Ask two people what matters; then, tell the team"
    )
    description = str(event["DESCRIPTION"])
    assert description.startswith(
        "Your pledge: Ask two people what matters; then, tell the team, with Jo, Priya, "
        "by 31 December 2026.\n\n"
    )
    assert description.rstrip().endswith(COMMAND)  # whole, on a line of its own
    alarms = [c for c in event.walk() if c.name == "VALARM"]
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == dt.timedelta(hours=9)


def test_the_text_follows_rfc_5545() -> None:
    data = pledge_calendar(PLEDGE, on=DEC_31, uid="u-1", command=COMMAND, stamp=STAMP)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    # Every line ends with CRLF (no bare LF or CR inside), and none is longer than 75 octets.
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    # Unfold (a line that starts with a space continues the one before), then read the text.
    text = data.decode("utf-8").replace("\r\n ", "")
    content = text.split("\r\n")
    assert "VERSION:2.0" in content
    assert "DTSTART;VALUE=DATE:20261231" in content
    assert "DTEND;VALUE=DATE:20270101" in content
    assert "DTSTAMP:20261123T101400Z" in content
    assert "UID:u-1" in content
    assert content.index("BEGIN:VEVENT") < content.index("DTSTART;VALUE=DATE:20261231")
    # TEXT values escape commas, semicolons and new lines.
    summary = next(line for line in content if line.startswith("SUMMARY:"))
    assert (
        summary
        == "SUMMARY:Review your pledge: Ask two people what matters\\; then\\, tell the team"
    )
    description = next(line for line in content if line.startswith("DESCRIPTION:Your pledge"))
    assert "\\n\\n" in description and "with Jo\\, Priya\\," in description
    assert re.fullmatch(
        r"PRODID:-//lpc-assess//lpc-assess [^/]+//EN",
        next(line for line in content if line.startswith("PRODID:")),
    )


def test_the_uid_stays_the_same_for_the_same_answers_file(tmp_path: Path) -> None:
    answers = tmp_path / "lpc-answers-2026-11-23.yaml"
    path = calendar_path(answers)
    assert path == tmp_path / "lpc-answers-2026-11-23-pledge.ics"
    uids = []
    for stamp in (STAMP, STAMP + dt.timedelta(days=1)):
        write_pledge_calendar(
            path, PLEDGE, on=DEC_31, answers=answers, command=COMMAND, stamp=stamp
        )
        uids.append(str(event_of(path.read_bytes())["UID"]))
    assert uids[0] == uids[1] == pledge_uid(answers)
    assert pledge_uid(tmp_path / "other.yaml") != uids[0]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", uids[0])


def test_the_file_is_private_and_written_in_one_step(tmp_path: Path) -> None:
    path = tmp_path / "a-pledge.ics"
    path.write_text("old")
    write_pledge_calendar(
        path, PLEDGE, on=DEC_31, answers=tmp_path / "a.yaml", command=COMMAND, stamp=STAMP
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-pledge.ics"]  # no temporary left


def test_text_from_the_person_cannot_add_properties_or_escapes() -> None:
    pledge = Pledge("Ask\r\nEND:VEVENT\r\nBEGIN:VEVENT\x1b[2J " + "x" * 100)
    data = pledge_calendar(pledge, on=DEC_31, uid="u", command="c", stamp=STAMP)
    text = data.decode("utf-8").replace("\r\n ", "")
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert "\x1b" not in text
    summary = str(event_of(data)["SUMMARY"])
    assert summary.startswith("Review your pledge: Ask END:VEVENT BEGIN:VEVENT [2J x")
    assert summary.endswith("…") and len(summary) == len("Review your pledge: ") + 60
