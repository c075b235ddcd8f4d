"""docs/commands.md is what scripts/commands_doc.py generates from the command line."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "commands_doc.py"
DOC = REPO / "docs" / "commands.md"
REGENERATE = ".venv/bin/python scripts/commands_doc.py > docs/commands.md"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("commands_doc", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_reference_is_current(generator: ModuleType) -> None:
    assert DOC.read_text(encoding="utf-8") == generator.render(), (
        f"docs/commands.md is out of date with the command line: run `{REGENERATE}`"
    )


def test_the_output_does_not_depend_on_the_terminal(
    generator: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = set()
    for columns in ("30", "80", "250"):
        monkeypatch.setenv("COLUMNS", columns)
        outputs.add(generator.render())
    assert len(outputs) == 1


def test_every_command_has_a_section(generator: ModuleType) -> None:
    text = generator.render()
    for command in ("validate", "batch", "new", "new framework"):
        assert f"\n## lpc-assess {command}\n" in text
    assert "\n## Exit codes\n" in text and "| 130 |" in text


def test_the_script_prints_it() -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout == DOC.read_text(encoding="utf-8")
