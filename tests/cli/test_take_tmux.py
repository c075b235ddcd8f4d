"""`take` in a real terminal: tmux runs it, the test reads the screen and types.

The runs: a whole self-check with a name, a pledge in parts, a date asked again
and the calendar reminder read back; stop with `q` and resume by pasting the
printed command into a shell (in a folder with a space in its name); stop with
Ctrl-C; a second self-check in the same folder that follows up the first and
compares with it; a misspelt answer. Each waits for what the screen shows
rather than for a fixed time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml

from lpc_assess.model.lookup import load_framework

pytestmark = pytest.mark.slow

BUILTIN = load_framework(None)
IDS = BUILTIN.indicator_ids
THEMES = ["Being", "Relating and Communicating", "Leading and Visioning", "Delivering"]
FACETS = len(BUILTIN.facets.items) if BUILTIN.facets is not None else 0
STEP_TIMEOUT = 10.0
# Scoring, the report and the reminder at the end take longer on a busy machine.
END_TIMEOUT = 60.0
# A prompt line with something typed after it.
ANSWERED = re.compile(
    r"^(Your answer \(|Your thoughts|What will you do\?|With whom\?|By when\?|Your name"
    r"|How did it go\?|Anything to note|New, replace or keep\?).*[:\]] \S"
)


class Terminal:
    """One tmux server of our own (its own socket), running one command at a time."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        # A server of our own on a socket of our own (short path: sockets have a length limit).
        self.socket_dir = Path(tempfile.mkdtemp(prefix="lpc-tmux-"))
        self.socket = str(self.socket_dir / "socket")
        self.session = ""
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR")}
        self.env.update({"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=STEP_TIMEOUT,
        )
        assert result.returncode == 0, f"tmux {args[0]} failed: {result.stderr}"
        return result.stdout

    def start(self, *args: str, program: list[str] | None = None) -> None:
        """Run `lpc-assess ARGS` (`program`: as `python -m lpc_assess`, unless given);
        afterwards the shell writes its exit status to `status`."""
        (self.cwd / "status").unlink(missing_ok=True)
        command = shlex.join([*(program or [sys.executable, "-m", "lpc_assess"]), *args])
        # `trap : INT` keeps the shell alive through Ctrl-C (Python still gets it, with
        # its default handler) so that it can record the status; `sleep` keeps the
        # screen readable after the program ends.
        shell = (
            f"trap : INT; {command}; code=$?; "
            'echo "EXIT=$code" > status; echo "EXIT=$code"; exec sleep 600'
        )
        self.session = f"take-{uuid.uuid4().hex[:8]}"
        self.tmux(
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            str(self.cwd),
            shell,
        )

    def paste(self, command: str) -> None:
        """Run `command` in a shell, as if pasted: the status is written as `start` does."""
        (self.cwd / "status").unlink(missing_ok=True)
        shell = (
            f"trap : INT; {command}; code=$?; "
            'echo "EXIT=$code" > status; echo "EXIT=$code"; exec sleep 600'
        )
        self.session = f"take-{uuid.uuid4().hex[:8]}"
        self.tmux(
            "new-session", "-d", "-s", self.session, "-x", "120", "-y", "40",
            "-c", str(self.cwd), "/bin/sh", "-c", shell,
        )  # fmt: skip

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.session)

    def wait_for(
        self, check: Callable[[str], bool] | str, what: str = "", *, timeout: float = STEP_TIMEOUT
    ) -> str:
        deadline = time.monotonic() + timeout
        if isinstance(check, str):
            # Long lines are wrapped between words on a terminal: compare the words.
            words = " ".join(check.split())

            def test(screen: str) -> bool:
                return words in " ".join(screen.split())
        else:
            test = check
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if test(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what or check!r}; the screen:\n{screen}")

    def wait_for_prompt(self, marker: str, prompt: str) -> None:
        """Wait until `marker` is shown after the last answered prompt, and the last line
        is `prompt` waiting for input (nothing typed after it yet)."""

        def ready(screen: str) -> bool:
            lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
            if not lines or not lines[-1].startswith(prompt) or not lines[-1].endswith((":", "]")):
                return False
            answered = [i for i, line in enumerate(lines[:-1]) if ANSWERED.match(line)]
            since = lines[answered[-1] + 1 :] if answered else lines
            return " ".join(marker.split()) in " ".join(" ".join(since).split())

        self.wait_for(ready, f"{marker!r} then the prompt {prompt!r}")

    def type(self, text: str) -> None:
        if text:
            self.tmux("send-keys", "-t", self.session, "-l", text)
        self.tmux("send-keys", "-t", self.session, "Enter")

    def status(self) -> int:
        self.wait_for("EXIT=", "the program to end")
        deadline = time.monotonic() + STEP_TIMEOUT
        status_file = self.cwd / "status"
        while not status_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return int(status_file.read_text().strip().removeprefix("EXIT="))

    def stop(self) -> None:
        if self.session:
            subprocess.run(
                ["tmux", "-S", self.socket, "kill-session", "-t", self.session],
                capture_output=True,
                env=self.env,
                timeout=STEP_TIMEOUT,
            )
            self.session = ""

    def close(self) -> None:
        self.stop()
        subprocess.run(
            ["tmux", "-S", self.socket, "kill-server"],
            capture_output=True,
            env=self.env,
            timeout=STEP_TIMEOUT,
        )
        shutil.rmtree(self.socket_dir, ignore_errors=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is needed for the terminal test under CI (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    term = Terminal(tmp_path)
    try:
        yield term
    finally:
        term.close()


def answer(term: Terminal, k: int, value: str) -> None:
    """Answer the statement shown as `k/24 answered`."""
    term.wait_for_prompt(f"· {k}/24 answered", "Your answer (")
    term.type(value)


def answer_range(
    term: Terminal, values: dict[int, int], start: int, stop: int, notes: dict[int, str]
) -> None:
    for k in range(start, stop):
        answer(term, k, str(values[k]))
        if k % 6 == 5:  # the last statement of a theme: its facet questions, its reflection
            theme = THEMES[k // 6]
            for number in range(1, FACETS + 1):
                term.wait_for_prompt(f"{theme} · about this theme · {number} of", "Your answer (")
                term.type("3")
            term.wait_for_prompt(f"A moment to reflect on {theme}", "Your thoughts")
            term.type(notes.get(k // 6, ""))


def name(term: Terminal, text: str = "") -> None:
    term.wait_for_prompt("Nothing is sent anywhere", "Your name")
    term.type(text)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def test_a_whole_self_check_in_a_terminal(terminal: Terminal) -> None:
    values = {k: (k % 5) + 1 for k in range(24)}
    terminal.start("take", "--answers", "a.yaml")
    terminal.wait_for("Nothing is sent anywhere", "the introduction")
    name(terminal, "Alex Smith")
    answer(terminal, 0, "4")
    answer(terminal, 1, "x")  # not an answer: a hint, then the same prompt again
    terminal.wait_for("Type a number from 1 to 5")
    terminal.type("b")  # back to the first statement, and change it
    terminal.wait_for("Your answer so far: 4 Often. Enter keeps it.")
    terminal.type(str(values[0]))
    answer_range(terminal, values, 1, 24, notes={0: "People would say I listen.", 3: "Audits"})
    terminal.wait_for_prompt("Your pledge (optional)", "What will you do?")
    terminal.type("Start each review with what matters")
    terminal.wait_for_prompt("With whom?", "With whom?")
    terminal.type("the team")
    terminal.wait_for_prompt("By when?", "By when?")
    terminal.type("1/1/2020")  # in the past: asked again, with an example
    terminal.wait_for_prompt("has already passed. Choose a date from today on", "By when?")
    terminal.type("31/12/2099")  # too far off: asked again
    terminal.wait_for_prompt("is more than 5 years away", "By when?")
    terminal.type("in 4 weeks")
    screen = terminal.wait_for(
        "A reminder to look back at your pledge", "the reminder", timeout=END_TIMEOUT
    )
    assert terminal.status() == 0
    assert "Your results" in screen and "Overall" in screen
    assert "Your report: a.html" in screen
    assert "Traceback" not in screen
    on = dt.date.today() + dt.timedelta(weeks=4)
    day = f"{on.day} {on:%B %Y}"
    data = load(terminal.cwd / "a.yaml")
    assert data["respondent"] == {"name": "Alex Smith"}
    assert data["answers"] == {IDS[k]: values[k] for k in range(24)}
    assert data["notes"] == {"being": "People would say I listen.", "delivering": "Audits"}
    assert data["pledge"] == {
        "text": "Start each review with what matters",
        "with_whom": "the team",
        "by_when": on.isoformat(),
    }
    assert "completed" in data
    assert stat.S_IMODE((terminal.cwd / "a.yaml").stat().st_mode) == 0o600
    html = (terminal.cwd / "a.html").read_text()
    assert "<html" in html.lower() and "Alex Smith" in html
    assert f"Start each review with what matters, with the team, by {day}." in html
    # The reminder, read back with icalendar.
    ics = terminal.cwd / "a-pledge.ics"
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600
    event = next(iter(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")))
    assert event.decoded("DTSTART") == on
    assert str(event["SUMMARY"]) == "Review your pledge: Start each review with what matters"
    description = str(event["DESCRIPTION"])
    assert f"Your pledge: Start each review with what matters, with the team, by {day}." in (
        description
    )
    assert f"cd {terminal.cwd} && " in description and "take --previous a.yaml" in description


def test_quit_with_q_then_paste_the_printed_command(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    # As after `make run`: the program is `.venv/bin/lpc-assess` in the folder, and
    # the folder and the answers file have spaces in their names.
    folder = tmp_path / "my folder"
    (folder / ".venv" / "bin").mkdir(parents=True)
    (folder / ".venv" / "bin" / "lpc-assess").symlink_to(Path(sys.executable).parent / "lpc-assess")
    terminal = Terminal(folder)
    terminal.env["PATH"] = "/usr/bin:/bin"  # no lpc-assess on it
    try:
        values = {k: 5 - (k % 3) for k in range(24)}
        terminal.start("take", "--answers", "b b.yaml", program=[".venv/bin/lpc-assess"])
        name(terminal)
        answer_range(terminal, values, 0, 8, notes={0: "noted"})
        answer(terminal, 8, "q")
        screen = terminal.wait_for("To carry on, run: ")
        assert "Saved: 8 of 24 answered, in b b.yaml." in screen
        assert terminal.status() == 0
        command = next(
            line.split("To carry on, run: ", 1)[1].strip()
            for line in screen.splitlines()
            if "To carry on, run: " in line
        )
        assert command == ".venv/bin/lpc-assess take --answers 'b b.yaml'"
        data = load(folder / "b b.yaml")
        assert data["answers"] == {IDS[k]: values[k] for k in range(8)}
        assert data["notes"] == {"being": "noted"}
        assert "completed" not in data
        assert stat.S_IMODE((folder / "b b.yaml").stat().st_mode) == 0o600
        terminal.stop()

        terminal.paste(command)  # the command as printed, into a shell, in the same folder
        terminal.wait_for("Resuming: 8 of 24 answered.")
        terminal.wait_for_prompt(
            "Relating and Communicating · 3 of 6 · 8/24 answered", "Your answer ("
        )
        answer_range(terminal, values, 8, 24, notes={})
        terminal.wait_for_prompt("Your pledge (optional)", "What will you do?")
        terminal.type("")
        terminal.wait_for("Your report: b b.html", "the report", timeout=END_TIMEOUT)
        assert terminal.status() == 0
        data = load(folder / "b b.yaml")
        assert data["answers"] == {IDS[k]: values[k] for k in range(24)}
        assert "completed" in data and "pledge" not in data
        assert (folder / "b b.html").exists()
        assert not list(folder.glob("*.ics"))  # no pledge, no reminder
    finally:
        terminal.close()


def test_ctrl_c_saves_and_exits_130(terminal: Terminal) -> None:
    terminal.start("take", "--answers", "c.yaml")
    name(terminal)
    # A skip is not an answer: the progress line counts it apart.
    for shown, value in [("0/24 answered", "3"), ("1/24 answered", "s"), ("1/24 answered, 1", "2")]:
        terminal.wait_for_prompt(f"· {shown}", "Your answer (")
        terminal.type(value)
    terminal.wait_for_prompt("· 2/24 answered, 1 skipped", "Your answer (")
    terminal.tmux("send-keys", "-t", terminal.session, "C-c")
    screen = terminal.wait_for("-m lpc_assess take --answers c.yaml")
    assert "Stopped and saved: 2 of 24 answered, 1 skipped, in c.yaml." in screen
    assert "Traceback" not in screen and "KeyboardInterrupt" not in screen
    assert terminal.status() == 130
    data = load(terminal.cwd / "c.yaml")
    assert data["answers"] == {IDS[0]: 3, IDS[1]: "skip", IDS[2]: 2}
    assert "completed" not in data
    assert stat.S_IMODE((terminal.cwd / "c.yaml").stat().st_mode) == 0o600


def test_the_next_self_check_follows_up_the_pledge_and_compares(terminal: Terminal) -> None:
    low = dict.fromkeys(range(24), 2)
    terminal.start("take")
    name(terminal, "Sam")
    answer_range(terminal, low, 0, 24, notes={})
    terminal.wait_for_prompt("Your pledge (optional)", "What will you do?")
    terminal.type("Ask two people what matters, with my team, by the end of the month")
    terminal.wait_for_prompt("With whom?", "With whom? (Enter keeps my team)")
    terminal.type("")
    terminal.wait_for_prompt("By when?", "By when? A date (Enter keeps")
    terminal.type("")
    terminal.wait_for("A reminder to look back at your pledge", timeout=END_TIMEOUT)
    assert terminal.status() == 0
    first = next(terminal.cwd.glob("lpc-answers-*.yaml"))
    terminal.stop()

    # The same day, in the same folder: the finished file is offered a successor.
    high = dict.fromkeys(range(24), 4)
    terminal.start("take")
    terminal.wait_for_prompt(f"{first.name} holds a self-check completed", "New, replace or keep?")
    screen = terminal.screen()
    assert f"n start a new self-check in {first.stem}-2.yaml" in " ".join(screen.split())
    terminal.type("n")
    name(terminal, "Sam")
    terminal.wait_for_prompt(
        "Your pledge then: Ask two people what matters, with my team", "How did it go?"
    )
    terminal.type("prtly")
    terminal.wait_for_prompt("Did you mean partly?", "How did it go?")
    terminal.type("partly")
    terminal.wait_for_prompt("Anything to note", "Anything to note")
    terminal.type("Asked one person so far")
    answer_range(terminal, high, 0, 24, notes={})
    terminal.wait_for_prompt("Your pledge (optional)", "What will you do?")
    terminal.type("")
    terminal.wait_for(f"Your report: {first.stem}-2.html", timeout=END_TIMEOUT)
    assert terminal.status() == 0
    second = first.with_name(f"{first.stem}-2.yaml")
    assert load(second)["previous_pledge"]["outcome"] == "partly"
    html = second.with_suffix(".html").read_text()
    assert "Your pledge last time" in html and "partly done" in html
    assert "Asked one person so far" in html
    # Every answer went from 2 to 4, so every theme's score changed; reverse-keyed
    # statements move the other way, so compute each change from the two files.
    from lpc_assess.scoring.person import compare_scores, score_response

    before = score_response(BUILTIN, {IDS[k]: 2 for k in range(24)})
    after = score_response(BUILTIN, {IDS[k]: 4 for k in range(24)})
    changes = compare_scores(after, before)
    assert "since your self-check of" in html
    for change in changes.values():
        assert change is not None
        assert f"{change:+.1f}".replace("-", "−") in html or f"{change:+.1f}" in html


def test_a_misspelt_answer_gets_a_did_you_mean(terminal: Terminal) -> None:
    terminal.start("take", "--answers", "d.yaml")
    name(terminal)
    answer(terminal, 0, "sometims")
    terminal.wait_for_prompt("Did you mean 3 Sometimes? Type 3 and press Enter", "Your answer (")
    terminal.type("3")
    answer(terminal, 1, "q")
    assert terminal.status() == 0
    assert load(terminal.cwd / "d.yaml")["answers"] == {IDS[0]: 3}
