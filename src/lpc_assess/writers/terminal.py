"""The terminal: the one place that decides plain or rich output, and what is said there.

`is_terminal` and `plain_wanted` decide for everything the tool shows (tables,
trees, progress bars, the questionnaire): NO_COLOR, TERM=dumb and output that
is not a terminal get plain text. Rich is imported only when it is used.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.tree import Tree

    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.team import TeamSummary


# C0 and C1 control characters except newline and tab, DEL, and the Unicode
# bidirectional embeddings, overrides and isolates ("Trojan Source").
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` as the terminal may show it: control characters escaped (`\\x1b`), visibly.

    Anything that came from a file (a framework title, a statement, an answer,
    a CSV cell) passes through here before it reaches the terminal, so that an
    escape sequence in data can neither clear the screen nor retitle the window,
    and a bidirectional override cannot make text read differently from what it is.
    """
    return _UNSAFE.sub(_escaped, text)


def write_out(text: str | bytes, *, data: bool = False) -> None:
    """Text (or bytes: a PDF) for stdout; a closed pipe (`| head`) is not an error.

    Text is made `terminal_safe`; with `data` (a report, a blank form) only when
    stdout is a terminal, so that a redirected file keeps every character.
    """
    if isinstance(text, str) and (not data or sys.stdout.isatty()):
        text = terminal_safe(text)
    if not text:
        return
    try:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a test's capture: text only
            sys.stdout.write(text if isinstance(text, str) else text.decode("latin-1"))
            sys.stdout.flush()
            return
        sys.stdout.flush()
        buffer.write(text.encode("utf-8") if isinstance(text, str) else text)
        buffer.flush()
    except BrokenPipeError:
        # The reader went away: stop quietly, and keep Python from complaining
        # when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def say(message: str) -> None:
    """One line for the person at the terminal, on stderr (stdout is for results)."""
    print(terminal_safe(message), file=sys.stderr)


def is_terminal(stream: object) -> bool:
    """True for a terminal that can take a live display: a tty, and TERM is not dumb."""
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty()) and os.environ.get("TERM") != "dumb"


def plain_wanted(stream: object) -> bool:
    """True when output should be plain text: NO_COLOR, TERM=dumb, or not a terminal."""
    return "NO_COLOR" in os.environ or not is_terminal(stream)


def make_console(stream: object) -> Console:
    from rich.console import Console

    plain = plain_wanted(stream)
    return Console(
        file=stream,  # type: ignore[arg-type]
        no_color=plain,
        color_system=None if plain else "auto",
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


def stdout_console() -> Console:
    return make_console(sys.stdout)


def stderr_console() -> Console:
    return make_console(sys.stderr)


def framework_tree(framework: Framework) -> Tree:
    """Themes and statements as a tree, for `show`."""
    from rich.markup import escape
    from rich.tree import Tree

    scale = framework.scale
    labels = ", ".join(f"{k} {v}" for k, v in sorted(scale.labels.items()))
    skip = f"; skip: {scale.skip}" if scale.skip else ""

    def safe(text: str) -> str:
        return escape(terminal_safe(text))

    tree = Tree(
        f"[bold]{safe(framework.title)}[/] ({safe(framework.id)} {safe(framework.version)})"
    )
    tree.add(f"scale: {safe(labels)}{safe(skip)}")
    for theme in framework.themes:
        branch = tree.add(
            f"[bold]{safe(theme.title)}[/] ({safe(theme.id)}, {len(theme.indicators)} statements)"
        )
        for indicator in theme.indicators:
            reverse = " [reverse-keyed]" if indicator.reverse else ""
            branch.add(f"{safe(indicator.id)}: {safe(indicator.statement)}{safe(reverse)}")
    facets = framework.facets
    if facets is not None:
        points = ", ".join(f"{k} {v}" for k, v in sorted(facets.scale.labels.items()))
        branch = tree.add(
            f"[bold]facets[/], asked after each theme (scale: {safe(points)}; "
            f"a side is high from {facets.threshold:g}%)"
        )
        for item in facets.items:
            branch.add(f"{safe(item.id)} ({safe(item.side)}): {safe(item.prompt)}")
    return tree


def print_summary_table(summary: TeamSummary, stream: Any) -> None:
    """The team summary on `stream`: a Rich table on a terminal, aligned text otherwise."""
    from lpc_assess.writers.summary import plain_table, summary_rows

    header, rows = summary_rows(summary)
    header = [terminal_safe(h) for h in header]
    rows = [[terminal_safe(cell) for cell in row] for row in rows]
    title = terminal_safe(
        f"{summary.framework.title}: {summary.responses} response(s)"
        f"{f', {summary.rejected} rejected' if summary.rejected else ''}"
    )
    if not is_terminal(stream):
        stream.write(title + "\n" + plain_table(header, rows))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(title), title_justify="left")
    for i, name in enumerate(header):
        table.add_column(escape(name), justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*map(escape, row))
    make_console(stream).print(table)
