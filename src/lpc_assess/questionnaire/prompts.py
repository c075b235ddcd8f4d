"""The prompt interface the questionnaire talks to, and its two implementations.

`Prompt` is all the `take` flow knows about the outside world: `ask` reads one
line, `say` shows one. `TerminalPrompt` reads stdin line by line (a terminal,
a pipe or a screen reader all work the same way); `ScriptedPrompt` plays back
a list of lines, which is how the flow is tested without a terminal.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, TextIO

from lpc_assess.writers.terminal import plain_wanted

if TYPE_CHECKING:
    from rich.console import Console

# A line of a script that stands for Ctrl-C at that prompt.
CTRL_C = "\x03"
# Long text is wrapped on a terminal to its width, but no wider: easier to read.
MAX_WIDTH = 100


class Prompt(Protocol):
    """Line-based conversation with the person taking the self-check."""

    def ask(self, text: str) -> str:
        """Show `text` and return the line typed (without its newline).

        Raises EOFError at the end of input and KeyboardInterrupt on Ctrl-C.
        """
        ...

    def say(self, text: str = "", *, style: str | None = None, wrap: bool = True) -> None:
        """Show one line (or a few).

        `style` is a Rich style, used only where colour is wanted; `wrap=False`
        keeps a line whole (a command to copy) where long lines would be wrapped.
        """
        ...


class TerminalPrompt:
    """stdin/stdout: plain `input()`-style lines; colour only on a colour-capable terminal."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        for stream in (self.stdin, self.stdout):
            # An odd byte in, or a character the terminal cannot show, is never a crash.
            reconfigure = getattr(stream, "reconfigure", None)
            if callable(reconfigure):
                reconfigure(errors="replace")
        self.interactive = _isatty(self.stdin)
        self._console: Console | None = None
        if not plain_wanted(self.stdout):
            from lpc_assess.writers.terminal import make_console

            self._console = make_console(self.stdout)
        if self.interactive and self.stdin is sys.stdin:
            # Line editing (arrow keys, history) for input(), where the platform has it.
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401

    def ask(self, text: str) -> str:
        try:
            if self.stdin is None:  # started with stdin closed: there is no input at all
                raise EOFError
            if self.stdin is sys.stdin and self.stdout is sys.stdout:
                line = input(text)
            else:
                self.stdout.write(text)
                self.stdout.flush()
                raw = self.stdin.readline()
                if not raw:
                    raise EOFError
                line = raw.rstrip("\r\n")
        except (EOFError, KeyboardInterrupt):
            # Finish the prompt's line so that what follows starts on its own line.
            self.stdout.write("\n")
            self.stdout.flush()
            raise
        if not self.interactive:
            # Piped input is not echoed by a terminal: echo it, so the transcript reads well.
            self.stdout.write(line + "\n")
            self.stdout.flush()
        return line

    def say(self, text: str = "", *, style: str | None = None, wrap: bool = True) -> None:
        if wrap and _isatty(self.stdout):
            text = _wrap(text, min(shutil.get_terminal_size().columns - 1, MAX_WIDTH))
        if self._console is not None and style:
            from rich.markup import escape

            self._console.print(escape(text), style=style, soft_wrap=True)
        else:
            self.stdout.write(text + "\n")
            self.stdout.flush()


class ScriptedPrompt:
    """Plays back `lines` as the answers; records everything shown. For tests.

    A line equal to `CTRL_C` raises KeyboardInterrupt at that prompt; when
    the lines run out, `ask` raises EOFError, like a pipe that ends.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = list(lines)
        self.asked: list[str] = []
        self.shown: list[str] = []

    def ask(self, text: str) -> str:
        self.asked.append(text)
        self.shown.append(text)
        if not self.lines:
            raise EOFError
        line = self.lines.pop(0)
        if line == CTRL_C:
            raise KeyboardInterrupt
        return line

    def say(self, text: str = "", *, style: str | None = None, wrap: bool = True) -> None:
        self.shown.append(text)

    @property
    def transcript(self) -> str:
        return "\n".join(self.shown)


def _wrap(text: str, width: int) -> str:
    """Break long lines between words, keeping each line's indent (terminals only:
    a terminal breaks lines mid-word; a pipe or a screen reader wants them whole)."""
    if width < 20:
        return text
    out = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip())]
        out.append(
            textwrap.fill(
                line,
                width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            if len(line) > width
            else line
        )
    return "\n".join(out)


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(callable(isatty) and isatty())
    except ValueError:  # a closed stream
        return False
