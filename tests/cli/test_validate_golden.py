"""`validate` reports each mistake once, on a copy of the built-in framework.

One mistake, as an author makes it, gives one `unknown-key` (with its
suggestion) and at most one consequence in the same mapping, and nothing about
other files: a theme that failed to load still counts as existing when the
resources in framework.yaml name it. Golden outputs live in
tests/data/golden/validate/; after an intended change, regenerate them with

    LPC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_validate_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lpc_assess.cli import app
from tests.conftest import BUILTIN, DATA

runner = CliRunner()
GOLDEN = DATA / "golden" / "validate"
UPDATE = os.environ.get("LPC_UPDATE_GOLDEN") == "1"
COPY = "personalised-care"


def _misspell_statement(folder: Path) -> Path:
    """`statment:` for `statement:` in the first indicator of the most cited theme."""
    path = folder / "delivering.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n    statement: " in text
    path.write_text(text.replace("\n    statement: ", "\n    statment: ", 1), encoding="utf-8")
    return path


def _duplicate_title(folder: Path) -> Path:
    """A second `title:` key in a theme file, right after the first."""
    path = folder / "being.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines.insert(at + 1, "title: Being, again\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    # Run from the folder holding the copy, so that paths read `personalised-care/...`.
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", COPY, "--format", "json"])
    assert result.exit_code == 1, result.output
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def _golden(name: str, found: list[dict[str, object]]) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with LPC_UPDATE_GOLDEN=1 to create it"
    assert found == json.loads(path.read_text(encoding="utf-8")), (
        f"{name} differs; if the change is intended, run with LPC_UPDATE_GOLDEN=1"
    )


@pytest.mark.parametrize(
    ("golden", "mistake", "codes"),
    [
        ("statment-typo.json", _misspell_statement, ["missing-key", "unknown-key"]),
        ("duplicate-title.json", _duplicate_title, ["duplicate-key"]),
    ],
)
def test_one_mistake_gives_one_or_two_diagnostics_in_its_own_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    golden: str,
    mistake: Callable[[Path], Path],
    codes: list[str],
) -> None:
    shutil.copytree(BUILTIN, tmp_path / COPY)
    changed = mistake(tmp_path / COPY)
    found = _validate(tmp_path, monkeypatch)
    assert 1 <= len(found) <= 2, found
    assert [d["code"] for d in found] == codes
    assert {d["path"] for d in found} == {f"{COPY}/{changed.name}"}
    _golden(golden, found)


def test_the_typo_names_the_key_it_stands_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BUILTIN, tmp_path / COPY)
    _misspell_statement(tmp_path / COPY)
    (unknown,) = [d for d in _validate(tmp_path, monkeypatch) if d["code"] == "unknown-key"]
    assert unknown["message"] == "unknown key 'statment' (did you mean 'statement'?)"


def test_the_unchanged_copy_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(BUILTIN, tmp_path / COPY)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", COPY, "--strict", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
