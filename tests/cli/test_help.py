"""Every `--help` reads as the README writes: no raw placeholders, no command list cut short."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from lpc_assess.cli import app

runner = CliRunner()

# What help shows when an argument or option was left without a metavar, or a
# command's summary did not fit: `{kind}:<framework|theme|answers>`, `{answers}`,
# `<int range>`, `<str>`, `<path>`, `<text|json>`, `[x>=1]`, "Show a framework's...".
PLACEHOLDERS = {
    "type in angle brackets": re.compile(r"<[^<>\s][^<>]*>"),
    "name in braces": re.compile(r"\{[^{}\s]*\}"),
    "range": re.compile(r"\bx\s*[<>]=?"),
    "truncated text": re.compile(r"[a-z,;:'/)]\.\.\.(?:\s|$)"),
}


def _paths(command: Any, ctx: typer.Context, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                sub_ctx = typer.Context(sub, info_name=name, parent=ctx)
                paths += _paths(sub, sub_ctx, (*prefix, name))
    return paths


def command_paths() -> list[tuple[str, ...]]:
    root = get_command(app)
    return _paths(root, typer.Context(root, info_name="lpc-assess"))


def test_every_command_is_walked() -> None:
    paths = {" ".join(p) for p in command_paths()}
    assert {"", "validate", "batch", "new", "new framework"} <= paths


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "lpc-assess")
def test_help_has_no_placeholders_and_no_cut_summaries(path: tuple[str, ...], width: int) -> None:
    result = runner.invoke(app, [*path, "--help"], terminal_width=width)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Usage: lpc-assess")
    for what, pattern in PLACEHOLDERS.items():
        found = pattern.findall(text)
        assert not found, f"{what} in `lpc-assess {' '.join(path)} --help`: {found}\n{text}"
    if "Commands:" in text:
        listing = text.split("Commands:", 1)[1]
        assert "..." not in listing, listing
