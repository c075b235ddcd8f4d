"""Print docs/commands.md, the command reference, from the command line itself.

    .venv/bin/python scripts/commands_doc.py > docs/commands.md

It walks the Click command tree Typer builds from `lpc_assess.cli.app`: each
command's help text, usage line, arguments and options, as `--help` shows
them. The output does not depend on the terminal (help records are made at a
fixed width and paragraphs are joined), so tests/cli/test_commands_doc.py can
check that the committed file is current.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator
from typing import Any

import typer
from typer.main import get_command

from lpc_assess import exit_codes
from lpc_assess.cli import app

WIDTH = 100  # for the help records only; no line of the output is wrapped
PROG = "lpc-assess"
REGENERATE = ".venv/bin/python scripts/commands_doc.py > docs/commands.md"


def _commands(command: Any, ctx: typer.Context) -> Iterator[tuple[Any, typer.Context]]:
    """The command and, depth first in the order `--help` lists them, every subcommand."""
    yield command, ctx
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from _commands(sub, typer.Context(sub, info_name=name, parent=ctx))


def _paragraphs(text: str | None) -> list[str]:
    """Help text as Markdown paragraphs: each joined onto one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _anchor(path: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", path.lower()).replace(" ", "-")


def _records(command: Any, ctx: typer.Context, kind: str) -> list[tuple[str, str]]:
    """(names, help) of the command's arguments or options, as `--help` lists them."""
    out = []
    for param in command.get_params(ctx):
        if param.param_type_name != kind or (param.name == "help" and not param.expose_value):
            continue  # every command has -h/--help, as the page says once at the top
        record = param.get_help_record(ctx)
        if record is not None:
            out.append((record[0], " ".join(record[1].split())))
    return out


def _section(command: Any, ctx: typer.Context) -> list[str]:
    path = ctx.command_path
    lines = [f"## {path}", ""]
    for paragraph in _paragraphs(command.help):
        lines += [paragraph, ""]
    usage = " ".join([path, *command.collect_usage_pieces(ctx)])
    lines += ["```", usage, "```", ""]
    for kind, title in (("argument", "Arguments"), ("option", "Options")):
        records = _records(command, ctx, kind)
        if records:
            lines += [f"{title}:", ""]
            lines += [f"- `{names}`: {text}" for names, text in records]
            lines.append("")
    subcommands = [(c, sub_ctx) for c, sub_ctx in _commands(command, ctx) if sub_ctx.parent is ctx]
    if subcommands:
        lines += ["Commands:", ""]
        for sub, sub_ctx in subcommands:
            name = sub_ctx.command_path
            lines.append(f"- [`{name}`](#{_anchor(name)}): {sub.get_short_help_str()}")
        lines.append("")
    return lines


def _exit_codes() -> list[str]:
    """The exit codes table, from the names, values and comments of exit_codes.py."""
    rows = []
    for line in inspect.getsource(exit_codes).splitlines():
        match = re.match(r"^EXIT_\w+\s*=\s*(\d+)\s*#\s*(.+)$", line)
        if match:
            rows.append(f"| {match.group(1)} | {match.group(2).strip()} |")
    return ["## Exit codes", "", "| code | meaning |", "| --- | --- |", *rows, ""]


def render() -> str:
    """The whole of docs/commands.md."""
    root = get_command(app)
    ctx = typer.Context(
        root,
        info_name=PROG,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        **root.context_settings,
    )
    lines = [
        "# Command reference",
        "",
        "<!-- Generated from the command line by scripts/commands_doc.py: do not edit by hand.",
        f"     After changing a command or its help, run: {REGENERATE} -->",
        "",
        "Every command also takes `-h` / `--help`, which prints what this page shows for it.",
        "Results go to standard output; messages and progress go to standard error.",
        "",
    ]
    for command, command_ctx in _commands(root, ctx):
        lines += _section(command, command_ctx)
    lines += _exit_codes()
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
