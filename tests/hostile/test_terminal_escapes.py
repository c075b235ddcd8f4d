"""No terminal escapes from data: what reaches the terminal is shown escaped.

A framework title, a statement, a CSV header or cell can hold an escape sequence
that clears the screen or retitles the window, or a bidirectional override that
makes text read differently from what it is. Every command shows them escaped
(`\\x1b`, `\\u202e`); reports drop them. Real CLI runs, in subprocesses.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lpc_assess.writers.terminal import terminal_safe
from tests.conftest import DATA, REPO, run_cli

BUILT_IN = REPO / "frameworks" / "personalised-care"
TITLE_ESCAPE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J"
RLO = "\u202e"
RAW = ("\x1b", "\x07", RLO, "\x9b")


def hostile_framework(tmp_path: Path) -> Path:
    folder = tmp_path / "fw"
    shutil.copytree(BUILT_IN, folder)
    main = folder / "framework.yaml"
    text = main.read_text(encoding="utf-8")
    main.write_text(
        text.replace(
            "title: Leadership for Personalised Care",
            'title: "Leadership\\e]0;PWNED\\a for\\u202e Care"',
        ),
        encoding="utf-8",
    )
    being = folder / "being.yaml"
    lines = being.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("statement:"):
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = f'{indent}statement: "I stay calm\\e[2J when\\x9b plans change"'
            break
    being.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_terminal_safe_escapes_controls_and_bidi_visibly() -> None:
    assert terminal_safe(f"a{TITLE_ESCAPE}b") == "a\\x1b]0;PWNED\\x07b"
    assert terminal_safe(f"x{CLEAR}{RLO}y\u2066z\x7f") == "x\\x1b[2J\\u202ey\\u2066z\\x7f"
    assert terminal_safe("line one\n\tline two, café – ✓") == "line one\n\tline two, café – ✓"


@pytest.mark.parametrize("command", ["frameworks", "show", "show-json", "validate", "blank"])
def test_framework_text_reaches_the_terminal_escaped(tmp_path: Path, command: str) -> None:
    folder = hostile_framework(tmp_path)
    args = {
        "frameworks": ["frameworks"],
        "show": ["show", str(folder)],
        "show-json": ["show", str(folder), "--format", "json"],
        "validate": ["validate", str(folder)],
        "blank": ["blank", "--framework", str(folder)],
    }[command]
    cwd = tmp_path
    if command == "frameworks":
        (tmp_path / "frameworks").mkdir()
        shutil.move(str(folder), tmp_path / "frameworks" / "personalised-care")
    result = run_cli(*args, cwd=cwd)
    shown = result.stdout + result.stderr
    for raw in RAW:
        if command == "blank":
            continue  # data on stdout that is not a terminal stays as written
        assert raw not in shown, (command, raw)
    if command in ("frameworks", "show", "show-json"):
        assert "\\x1b]0;PWNED\\x07" in shown or "\\u001b]0;PWNED\\u0007" in shown


def test_csv_headers_and_cells_reach_stderr_escaped(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    source = (DATA / "csv" / "ms-forms.csv").read_text(encoding="utf-8")
    header, first, *rest = source.splitlines()
    header += f",Comments{CLEAR}{RLO}"
    first += f",x{TITLE_ESCAPE}"
    cells = first.split(",")
    cells[-2] = f"Sometimes{CLEAR}"  # a bad answer: its row is rejected and quoted
    export.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    result = run_cli("batch", str(export), cwd=tmp_path)
    assert result.returncode == 1
    for raw in RAW:
        assert raw not in result.stderr + result.stdout, raw
    assert "\\x1b[2J" in result.stderr


def test_reports_drop_escapes_and_bidi_overrides(tmp_path: Path) -> None:
    folder = hostile_framework(tmp_path)
    answers = DATA / "answers" / "alex.yaml"
    for fmt in ("md", "html"):
        out = tmp_path / f"r.{fmt}"
        result = run_cli(
            "report", str(answers), "--framework", str(folder), "--format", fmt, "-o", str(out)
        )
        assert result.returncode == 0, result.stderr
        text = out.read_text(encoding="utf-8")
        for raw in RAW:
            assert raw not in text, (fmt, raw)
        assert "PWNED" in text  # the text itself stays; only what would act is gone
