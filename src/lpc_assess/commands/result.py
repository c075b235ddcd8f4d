"""What a command hands back to `cli.py`: an exit code, lines for stderr, output for stdout.

Commands never print; `cli.py` shows a result (`writers/terminal.py` makes it
safe for the terminal) and exits with its code (`exit_codes.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CommandResult:
    """The exit code, lines for stderr (in order), and text or bytes (a PDF) for stdout."""

    exit_code: int
    messages: list[str] = field(default_factory=list)
    output: str | bytes = ""
