"""Rich consoles that respect NO_COLOR, TERM=dumb and non-terminals; terminal views."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

if TYPE_CHECKING:
    from lpc_assess.framework import Framework


def plain_wanted(stream: object) -> bool:
    """True when output should be plain text: NO_COLOR, TERM=dumb, or not a terminal."""
    isatty = getattr(stream, "isatty", None)
    return (
        "NO_COLOR" in os.environ
        or os.environ.get("TERM") == "dumb"
        or not (callable(isatty) and isatty())
    )


def make_console(stream: object) -> Console:
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
