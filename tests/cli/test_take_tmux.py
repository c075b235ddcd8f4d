"""`take` in a real terminal: tmux runs it, the test reads the screen and types.

Three runs: a whole self-check; stop with `q` and resume; stop with Ctrl-C.
Each waits for what the screen shows rather than for a fixed time.
"""

from __future__ import annotations

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

import pytest
import yaml

from lpc_assess.model.framework import load_framework

pytestmark = pytest.mark.slow

IDS = load_framework(None).indicator_ids
THEMES = ["Being", "Relating and Communicating", "Leading and Visioning", "Delivering"]
STEP_TIMEOUT = 10.0
# A prompt line with something typed after it.
ANSWERED = re.compile(
    r"^(Your answer \(|Your thoughts|What will you do\?|With whom\?|By when\?).*: \S"
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

    def start(self, *args: str) -> None:
        """Run `lpc-assess ARGS`; afterwards the shell writes its exit status to `status`."""
        (self.cwd / "status").unlink(missing_ok=True)
        command = shlex.join([sys.executable, "-m", "lpc_assess", *args])
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

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.session)

    def wait_for(self, check: Callable[[str], bool] | str, what: str = "") -> str:
        deadline = time.monotonic() + STEP_TIMEOUT
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
            if not lines or not lines[-1].startswith(prompt) or not lines[-1].endswith(":"):
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
        if k % 6 == 5:  # the last statement of a theme: its reflection follows
            theme = THEMES[k // 6]
            term.wait_for_prompt(f"A moment to reflect on {theme}", "Your thoughts")
            term.type(notes.get(k // 6, ""))


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def test_a_whole_self_check_in_a_terminal(terminal: Terminal) -> None:
    values = {k: (k % 5) + 1 for k in range(24)}
    terminal.start("take", "--answers", "a.yaml")
    terminal.wait_for("Nothing is sent anywhere", "the introduction")
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
    terminal.type("30 June")
    screen = terminal.wait_for("Your report: a.html", "the report")
    assert terminal.status() == 0
    assert "Your results" in screen and "Overall" in screen
    assert "Traceback" not in screen
    data = load(terminal.cwd / "a.yaml")
    assert data["answers"] == {IDS[k]: values[k] for k in range(24)}
    assert data["notes"] == {"being": "People would say I listen.", "delivering": "Audits"}
    assert data["pledge"] == "Start each review with what matters, with the team, by 30 June."
    assert "completed" in data
    assert stat.S_IMODE((terminal.cwd / "a.yaml").stat().st_mode) == 0o600
    assert "<html" in (terminal.cwd / "a.html").read_text().lower()


def test_quit_with_q_then_resume_and_finish(terminal: Terminal) -> None:
    values = {k: 5 - (k % 3) for k in range(24)}
    terminal.start("take", "--answers", "b.yaml")
    answer_range(terminal, values, 0, 8, notes={0: "noted"})
    answer(terminal, 8, "q")
    screen = terminal.wait_for("To carry on, run: lpc-assess take --answers b.yaml")
    assert "Saved: 8 of 24 answered, in b.yaml." in screen
    assert terminal.status() == 0
    data = load(terminal.cwd / "b.yaml")
    assert data["answers"] == {IDS[k]: values[k] for k in range(8)}
    assert data["notes"] == {"being": "noted"}
    assert "completed" not in data
    assert stat.S_IMODE((terminal.cwd / "b.yaml").stat().st_mode) == 0o600
    terminal.stop()

    terminal.start("take", "--answers", "b.yaml")
    terminal.wait_for("Resuming: 8 of 24 answered.")
    terminal.wait_for_prompt("Relating and Communicating · 3 of 6 · 8/24 answered", "Your answer (")
    answer_range(terminal, values, 8, 24, notes={})
    terminal.wait_for_prompt("Your pledge (optional)", "What will you do?")
    terminal.type("")
    terminal.wait_for("Your report: b.html", "the report")
    assert terminal.status() == 0
    data = load(terminal.cwd / "b.yaml")
    assert data["answers"] == {IDS[k]: values[k] for k in range(24)}
    assert "completed" in data and "pledge" not in data
    assert (terminal.cwd / "b.html").exists()


def test_ctrl_c_saves_and_exits_130(terminal: Terminal) -> None:
    terminal.start("take", "--answers", "c.yaml")
    for k, value in enumerate(["3", "s", "2"]):
        answer(terminal, k, value)
    terminal.wait_for_prompt("· 3/24 answered", "Your answer (")
    terminal.tmux("send-keys", "-t", terminal.session, "C-c")
    screen = terminal.wait_for("To carry on, run: lpc-assess take --answers c.yaml")
    assert "Stopped and saved: 3 of 24 answered, in c.yaml." in screen
    assert "Traceback" not in screen and "KeyboardInterrupt" not in screen
    assert terminal.status() == 130
    data = load(terminal.cwd / "c.yaml")
    assert data["answers"] == {IDS[0]: 3, IDS[1]: "skip", IDS[2]: 2}
    assert "completed" not in data
    assert stat.S_IMODE((terminal.cwd / "c.yaml").stat().st_mode) == 0o600
