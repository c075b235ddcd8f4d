"""Start-up stays fast: the CLI module imports only typer and the standard library."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "yaml", "jinja2", "rich")


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
