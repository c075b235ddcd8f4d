"""The terminal: the one place that decides plain or rich output, and what is said there.

`is_terminal` and `plain_wanted` decide for everything the tool shows (tables,
trees, progress bars, the questionnaire): NO_COLOR, TERM=dumb and output that
is not a terminal get plain text. Rich is imported only when it is used.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.tree import Tree

    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.team import TeamSummary


def say(message: str) -> None:
    """One line for the person at the terminal, on stderr (stdout is for results)."""
    print(message, file=sys.stderr)


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
    tree = Tree(
        f"[bold]{escape(framework.title)}[/] ({escape(framework.id)} {escape(framework.version)})"
    )
    tree.add(f"scale: {escape(labels)}{escape(skip)}")
    for theme in framework.themes:
        branch = tree.add(
            f"[bold]{escape(theme.title)}[/] ({escape(theme.id)}, "
            f"{len(theme.indicators)} statements)"
        )
        for indicator in theme.indicators:
            reverse = " [reverse-keyed]" if indicator.reverse else ""
            branch.add(f"{escape(indicator.id)}: {escape(indicator.statement)}{escape(reverse)}")
    return tree


def print_summary_table(summary: TeamSummary, stream: Any) -> None:
    """The team summary on `stream`: a Rich table on a terminal, aligned text otherwise."""
    from lpc_assess.writers.summary import plain_table, summary_rows

    header, rows = summary_rows(summary)
    title = (
        f"{summary.framework.title}: {summary.responses} response(s)"
        f"{f', {summary.rejected} rejected' if summary.rejected else ''}"
    )
    if not is_terminal(stream):
        stream.write(title + "\n" + plain_table(header, rows))
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    make_console(stream).print(table)
