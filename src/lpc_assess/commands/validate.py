"""`validate`: find the frameworks under the given paths and check each one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lpc_assess.diagnostics import Diagnostic
from lpc_assess.inputs.documents import display_path, error
from lpc_assess.model.framework_check import check_framework


def framework_files(path: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The framework files a path stands for: itself, its framework.yaml, or its children's."""
    shown = display_path(path)
    # Any file but a folder is taken, so that reading it says what is wrong with it
    # (a FIFO or device is refused there, unopened) instead of "no framework".
    if _a_file(path):
        return [path], []
    if not path.exists():
        return [], [error(shown, None, "not-found", "no such file or folder")]
    if _a_file(path / "framework.yaml"):
        return [path / "framework.yaml"], []
    children = sorted(p for p in path.glob("*/framework.yaml") if p.is_file())
    if not children:
        return [], [
            error(shown, None, "no-framework", "holds no framework.yaml, nor folders that hold one")
        ]
    return children, []


def _a_file(path: Path) -> bool:
    return path.exists() and not path.is_dir()


def validate_paths(paths: Sequence[Path]) -> tuple[int, list[Diagnostic]]:
    """Check every framework under `paths`; how many were checked, and all diagnostics."""
    diagnostics: list[Diagnostic] = []
    seen: set[Path] = set()
    checked = 0
    for path in paths:
        files, problems = framework_files(path)
        diagnostics.extend(problems)
        for file in files:
            key = file.resolve()
            if key in seen:
                continue
            seen.add(key)
            checked += 1
            found = check_framework(file).diagnostics
            diagnostics.extend(sorted(found, key=lambda d: (d.path, d.line or 0, d.col or 0)))
    return checked, diagnostics
