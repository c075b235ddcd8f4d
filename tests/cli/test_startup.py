"""Start-up stays fast: the CLI module imports only typer and the standard library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lpc_assess.model.lookup import load_framework

HEAVY = ("pydantic", "yaml", "jinja2", "rich")


def _export() -> str:
    """A one-row export of the built-in framework: every statement answered "Often"."""
    framework = load_framework(None)
    statements = [i.statement for i in framework.indicators]
    header = ",".join(['"' + s.replace('"', '""') + '"' for s in ["ID", *statements]])
    return header + "\n" + ",".join(["1"] + ["Often"] * len(statements)) + "\n"


EXPORT = _export()


def test_importing_the_cli_imports_no_heavy_module() -> None:
    code = f"import sys, lpc_assess.cli\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_help_and_version_import_no_heavy_module() -> None:
    for args in (["--help"], ["--version"], ["validate", "--help"]):
        code = (
            "import sys\n"
            "from lpc_assess.cli import app\n"
            "try:\n"
            f"    app({args!r})\n"
            "except SystemExit:\n"
            "    pass\n"
            f"loaded = ','.join(m for m in {HEAVY!r} if m in sys.modules)\n"
            "print('LOADED=' + loaded, file=sys.stderr)"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert "LOADED=\n" in result.stderr or result.stderr.rstrip().endswith("LOADED="), (
            args,
            result.stderr,
        )


def _heavy_after(args: list[str], cwd: str) -> tuple[str, str]:
    """The heavy modules loaded once `lpc-assess ARGS` has run, and its stderr."""
    code = (
        "import sys\n"
        "from lpc_assess.cli import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('LOADED=' + ','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    return result.stderr.rsplit("LOADED=", 1)[-1].strip(), result.stderr


def test_a_batch_of_a_csv_export_imports_no_heavy_module(tmp_path: Path) -> None:
    """The built-in framework comes from its shipped record (no YAML parser, no pydantic),
    and a CSV export needs neither: the batch starts without them, and its numbers are
    the same as with the framework checked in full (tests/unit/model/test_lookup.py)."""
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    loaded, stderr = _heavy_after(
        ["batch", str(export), "--summary", str(tmp_path / "s.json")], str(tmp_path)
    )
    assert "scored 1 response(s)" in stderr
    assert loaded == ""


def test_a_framework_of_ones_own_is_still_checked_in_full(tmp_path: Path) -> None:
    """Only a built-in framework has a record: a copy of it is read and checked."""
    import shutil

    from lpc_assess.model.lookup import builtin_frameworks_dir

    shutil.copytree(builtin_frameworks_dir() / "personalised-care", tmp_path / "mine")
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    loaded, stderr = _heavy_after(
        ["batch", str(export), "--framework", "mine", "--summary", "s.json"], str(tmp_path)
    )
    assert "scored 1 response(s)" in stderr
    assert set(loaded.split(",")) == {"pydantic", "yaml"}
