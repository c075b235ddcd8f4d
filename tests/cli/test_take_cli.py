"""`take` as a real process with piped input: a whole self-check, leaving early, resuming,
the pledge reminder, the follow-up of the last self-check, and the commands it prints,
pasted into a real shell."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import yaml

from lpc_assess.model.lookup import load_framework
from lpc_assess.questionnaire.flow import build_steps
from tests.conftest import DATA, REPO, run_cli

BUILTIN = load_framework(None)
IDS = BUILTIN.indicator_ids
THEMES = [theme.id for theme in BUILTIN.themes]
VALUES = [1, 2, 3, 4, 5, 4] * 4
PLEDGE = ["Ask two people what matters", "my team", "31/12/2099", "in 4 weeks"]
SCRIPT_DIR = Path(sys.executable).parent  # where pip put the lpc-assess script


def script(
    values: list[int],
    *,
    name: str | None = "",
    notes: bool = True,
    pledge: list[str] | None = None,
    before: list[str] | None = None,
) -> str:
    """Input lines for the built-in framework: the name (None: not asked), any lines
    `before` the statements, then each theme's answers, facet questions (answered 3)
    and reflection, then the pledge (Enter: none)."""
    lines = ([] if name is None else [name]) + (before or [])
    answers = iter(values)
    for step in build_steps(BUILTIN):
        if step.kind == "statement":
            lines.append(str(next(answers)))
        elif step.kind == "reflection":
            assert step.theme is not None
            lines.append(f"A thought on {step.theme.id}" if notes else "")
        elif step.kind == "pledge":
            lines += pledge if pledge is not None else [""]
        else:
            lines.append("3")
    return "\n".join(lines) + "\n"


def until(count: int) -> list[str]:
    """The name, then every line up to and with the `count`-th statement's answer."""
    lines, answered = [""], 0
    for line, step in zip(
        script(VALUES, name=None).splitlines(), build_steps(BUILTIN), strict=False
    ):
        if answered == count:
            break
        lines.append(line)
        answered += step.kind == "statement"
    return lines


def answers_file(folder: Path) -> Path:
    found = sorted(folder.glob("lpc-answers-*.yaml"))
    assert len(found) == 1, found
    return found[0]


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def shell(command: str, cwd: Path, input: str) -> subprocess.CompletedProcess[str]:
    """Paste `command` into a POSIX shell in `cwd`, as a person would."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=cwd,
        input=input,
        text=True,
        capture_output=True,
        env=env,
        timeout=60,
    )


def printed(prefix: str, out: str) -> str:
    """The command printed after `prefix` (one line)."""
    line = next(line for line in out.splitlines() if line.startswith(prefix))
    return line[len(prefix) :]


def test_a_whole_self_check_with_piped_input(tmp_path: Path) -> None:
    today = dt.date.today()
    result = run_cli(
        "take",
        cwd=tmp_path,
        input=script(VALUES, name="Alex Smith", pledge=PLEDGE),
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    path = answers_file(tmp_path)
    assert path.name == f"lpc-answers-{today.isoformat()}.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = load(path)
    assert data["framework"] == "personalised-care"
    assert data["respondent"] == {"name": "Alex Smith"}
    assert data["answers"] == dict(zip(IDS, VALUES, strict=True))
    assert data["notes"] == {theme: f"A thought on {theme}" for theme in THEMES}
    four_weeks = today + dt.timedelta(weeks=4)
    assert data["pledge"] == {
        "text": "Ask two people what matters",
        "with_whom": "my team",
        "by_when": four_weeks.isoformat(),
    }
    assert "started" in data and "completed" in data
    report = path.with_suffix(".html")
    html = report.read_text()
    assert "<html" in html.lower() and "Leadership for Personalised Care" in html
    assert "Alex Smith" in html
    day = f"{four_weeks.day} {four_weeks:%B %Y}"
    assert f"Ask two people what matters, with my team, by {day}." in html
    out = result.stdout
    assert "Being · 1 of 6 · 0/24 answered" in out
    assert "Delivering · 6 of 6 · 23/24 answered" in out
    assert "31/12/2099" in out and "is more than 5 years away" in out  # asked again
    assert "Your results" in out and "Overall" in out
    assert f"Your report: {report.name}" in out
    assert "\x1b[" not in out  # not a terminal: plain text
    # The reminder: beside the answers, private, on the pledge's date.
    ics = tmp_path / f"{path.stem}-pledge.ics"
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600
    event = next(iter(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")))
    assert event.decoded("DTSTART") == four_weeks
    assert str(event["SUMMARY"]) == "Review your pledge: Ask two people what matters"
    assert f"with my team, by {day}." in str(event["DESCRIPTION"])
    assert f"A reminder to look back at your pledge, on {day}: {ics.name}" in out


def test_the_command_in_the_reminder_takes_the_self_check_again_from_anywhere(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "my answers"
    folder.mkdir()
    first = run_cli("take", cwd=folder, input=script(VALUES, pledge=["Listen first", "", ""]))
    assert first.returncode == 0, first.stderr
    ics = next(folder.glob("*-pledge.ics"))
    description = str(
        next(iter(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")))["DESCRIPTION"]
    )
    command = description.rstrip().splitlines()[-1]
    assert command.startswith(f"cd '{folder}' && ")
    assert "take --previous lpc-answers-" in command
    # Pasted into a shell in another folder: a new self-check beside the first one, in a
    # new file (the day's file is complete), that asks how the pledge went.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    again = shell(command, elsewhere, script([5] * 24, before=["n", "done", "It went well"]))
    assert again.returncode == 0, again.stderr
    assert "Your pledge then: Listen first." in again.stdout
    second = next(folder.glob("lpc-answers-*-2.yaml"))
    assert load(second)["previous_pledge"]["outcome"] == "done"
    assert list(elsewhere.iterdir()) == []


def test_a_second_self_check_on_the_same_day_follows_up_the_first(tmp_path: Path) -> None:
    first = run_cli("take", cwd=tmp_path, input=script(VALUES, pledge=["Listen first", "", ""]))
    assert first.returncode == 0, first.stderr
    earlier = answers_file(tmp_path)
    # The day's file is complete: `n` (or Enter) starts lpc-answers-<day>-2.yaml.
    result = run_cli(
        "take",
        cwd=tmp_path,
        input=script([5] * 24, name=None, before=["", "Sam", "prtly", "partly", "One visit"]),
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    new = earlier.with_name(f"{earlier.stem}-2.yaml")
    assert f"{earlier.name} holds a self-check completed on" in out
    assert f"n  start a new self-check in {new.name} (the report compares the two)" in out
    assert "Did you mean partly?" in out
    assert load(earlier)["answers"] == dict(zip(IDS, VALUES, strict=True))  # untouched
    data = load(new)
    assert data["respondent"] == {"name": "Sam"}
    assert data["answers"] == dict.fromkeys(IDS, 5)
    assert data["previous_pledge"] == {
        "text": "Listen first",
        "with_whom": None,
        "by_when": None,
        "outcome": "partly",
        "note": "One visit",
        "source": earlier.name,
    }
    html = new.with_suffix(".html").read_text()
    assert "Your pledge last time" in html and "partly done" in html and "One visit" in html
    # Compared with the first: Being was 1,2,3,4,5,4 (one reverse-keyed statement) and is
    # now 5 everywhere; the change is in the report's table, as with --compare.
    compared = run_cli(
        "report", new.name, "--compare", earlier.name, "--format", "json", cwd=tmp_path
    )
    import json

    changes = json.loads(compared.stdout)["comparison"]["themes"]
    for theme in BUILTIN.themes:
        assert f"{changes[theme.id]:+.1f}" in html or f"{changes[theme.id]:.1f}" in html
    assert "Change" in html


def test_stopping_half_way_saves_and_the_printed_command_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "with space"
    folder.mkdir()
    lines = script(VALUES).splitlines()
    first_half = lines[:11]  # the name, Being's six, its facets and reflection; some more
    result = run_cli(
        "take", "--answers", "my answers.yaml", cwd=folder, input="\n".join(first_half) + "\n"
    )
    assert result.returncode == 130
    assert "Traceback" not in result.stderr
    path = folder / "my answers.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = load(path)
    assert "completed" not in data
    answered = len(data["answers"])
    command = printed("To carry on, run: ", result.stdout)
    assert command.endswith("take --answers 'my answers.yaml'")
    assert not path.with_suffix(".html").exists()

    # The command, pasted into a shell in the same folder, carries on where it stopped.
    rest = lines[len(first_half) :]
    resumed = shell(command, folder, "\n".join(rest) + "\n")
    assert resumed.returncode == 0, resumed.stderr
    assert f"Resuming: {answered} of 24 answered." in resumed.stdout
    data = load(path)
    assert data["answers"] == dict(zip(IDS, VALUES, strict=True))
    assert len(data["notes"]) == 4 and "completed" in data
    assert path.with_suffix(".html").exists()


def test_the_program_is_named_as_make_run_invokes_it(tmp_path: Path) -> None:
    # `make run` runs `.venv/bin/lpc-assess take` from the project folder; here a
    # project folder of our own, with a space, whose .venv/bin/lpc-assess is the real one.
    project = tmp_path / "my project"
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "lpc-assess").symlink_to(SCRIPT_DIR / "lpc-assess")
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "PATH": "/usr/bin:/bin",  # no lpc-assess on it, as after a fresh clone
    }
    result = subprocess.run(
        [".venv/bin/lpc-assess", "take"],
        cwd=project,
        input="\n4\nq\n",
        text=True,
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    command = printed("To carry on, run: ", result.stdout)
    assert re.fullmatch(r"\.venv/bin/lpc-assess take --answers lpc-answers-[0-9-]+\.yaml", command)
    resumed = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=project,
        input="3\nq\n",
        text=True,
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming: 1 of 24 answered." in resumed.stdout
    assert list(load(answers_file(project))["answers"].values()) == [4, 3]


def test_answers_and_report_where_asked_in_markdown(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = run_cli(
        "take",
        "--answers",
        "me.yaml",
        "--report",
        "out/me.md",
        cwd=tmp_path,
        input=script(VALUES, notes=False),
    )
    assert result.returncode == 0, result.stderr
    assert load(tmp_path / "me.yaml")["answers"] == dict(zip(IDS, VALUES, strict=True))
    assert "notes" not in load(tmp_path / "me.yaml")
    markdown = (tmp_path / "out" / "me.md").read_text()
    assert "Leadership for Personalised Care" in markdown and "<html" not in markdown.lower()
    assert "Your report: out/me.md" in result.stdout
    assert not list(tmp_path.glob("*.ics"))  # no pledge, no reminder


def test_another_framework_and_its_resume_command(tmp_path: Path) -> None:
    framework = str(DATA / "frameworks" / "no-skip")
    result = run_cli(
        "take",
        "--framework",
        framework,
        "--answers",
        "small.yaml",
        cwd=tmp_path,
        input="\ns\n2\nq\n",
    )
    assert result.returncode == 0
    assert "This self-check has no skip answer" in result.stdout
    assert f"take --framework {framework} --answers small.yaml" in result.stdout
    assert load(tmp_path / "small.yaml")["answers"] == {"a-one": 2}


def test_a_complete_file_is_kept_when_nobody_answers(tmp_path: Path) -> None:
    assert (
        run_cli("take", "--answers", "a.yaml", cwd=tmp_path, input=script(VALUES)).returncode == 0
    )
    before = (tmp_path / "a.yaml").read_bytes()
    result = run_cli("take", "--answers", "a.yaml", cwd=tmp_path, input="")
    assert result.returncode == 1
    assert "a.yaml was kept as it is (no answer to 'new, replace or keep?')" in result.stderr
    assert "take --answers a-2.yaml" in result.stderr
    assert (tmp_path / "a.yaml").read_bytes() == before
    assert not (tmp_path / "a-2.yaml").exists()


def test_previous_names_the_self_check_to_compare_with(tmp_path: Path) -> None:
    first = run_cli(
        "take", "--answers", "old.yaml", cwd=tmp_path, input=script(VALUES, pledge=["Go", "", ""])
    )
    assert first.returncode == 0, first.stderr
    result = run_cli(
        "take",
        "--answers",
        "new.yaml",
        "--previous",
        "old.yaml",
        cwd=tmp_path,
        input=script([5] * 24, before=["not yet", ""]),
    )
    assert result.returncode == 0, result.stderr
    assert load(tmp_path / "new.yaml")["previous_pledge"]["outcome"] == "not yet"
    assert "your self-check of" in (tmp_path / "new.html").read_text()


def test_a_broken_answers_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("framework: personalised-care\nanswers: {listens-frist: 4}\n")
    result = run_cli("take", "--answers", "a.yaml", cwd=tmp_path, input="4\n")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "a.yaml:2:11: error[unknown-indicator]: unknown indicator 'listens-frist' "
        "(did you mean 'listens-first'?)"
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert "listens-frist" in (tmp_path / "a.yaml").read_text()


def test_no_input_at_all_still_exits_cleanly(tmp_path: Path) -> None:
    result = run_cli("take", cwd=tmp_path, input="")
    assert result.returncode == 130
    assert "Traceback" not in result.stderr
    assert "lpc_assess take --answers lpc-answers-" in result.stdout


def test_the_readme_shows_what_take_prints_when_it_stops(tmp_path: Path) -> None:
    """The README's example of stopping is what the tool prints, word for word."""
    readme = (REPO / "README.md").read_text()
    block = readme.split("**Stopping and carrying on.**")[1].split("```")[1].strip("\n")
    example = block.splitlines()
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "lpc-assess").symlink_to(SCRIPT_DIR / "lpc-assess")
    answers = re.search(r"lpc-answers-\d{4}-\d{2}-\d{2}\.yaml", block)
    assert answers is not None
    count = int(re.search(r"(\d+) of 24 answered", block).group(1))  # type: ignore[union-attr]
    lines = until(count)
    stop = "q" if example[0].startswith("Saved:") else None
    result = subprocess.run(
        [".venv/bin/lpc-assess", "take", "--answers", answers.group(0)],
        cwd=tmp_path,
        input="\n".join(lines + ([stop] if stop else [])) + "\n",
        text=True,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    out = result.stdout.splitlines()
    for line in example:
        assert line in out, (line, out[-4:])


def test_gitignore_covers_what_take_writes_beside_the_answers() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        return
    day = "lpc-answers-2026-11-23"
    names = [
        f"{day}.yaml",
        f"{day}-2.yaml",
        f"{day}.html",
        f"{day}-2.html",
        f"{day}.md",
        f"{day}-pledge.ics",
        f"{day}-2-pledge.ics",
        f"sub/{day}.html",
    ]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--verbose", "--non-matching", *names],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    not_ignored = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert not_ignored == []
