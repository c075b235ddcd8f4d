"""A real Ctrl-C (SIGINT) in the middle of a large batch leaves --out-dir as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA

FORMS = DATA / "csv" / "ms-forms.csv"

pytestmark = pytest.mark.slow


def large_export(path: Path, copies: int) -> None:
    """ms-forms.csv's good one-line rows, again and again, with distinct ids and names."""
    lines = FORMS.read_text(encoding="utf-8-sig").splitlines()
    rows = [line for line in lines[1:] if line[:1].isdigit() and '"' not in line]
    rows = [r for r in rows if "Somtimes" not in r]
    out = [lines[0]]
    for k in range(copies):
        for row in rows:
            first, rest = row.split(",", 1)
            out.append(f"{k}-{first}," + rest.replace("@example.org", f"{k}@example.org"))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_sigint_leaves_out_dir_unchanged(tmp_path: Path) -> None:
    export = tmp_path / "big.csv"
    large_export(export, 600)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "lpc_assess", "batch", str(export), "--out-dir", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    # Wait until reports are being written into the staging folder, then press Ctrl-C.
    deadline = time.monotonic() + 120
    staged: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:
        staged = [f for d in out.glob(".lpc-assess-staging-*") for f in d.iterdir()]
        if len(staged) >= 20:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the batch finished before it could be interrupted"
    assert len(staged) >= 20
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted: nothing was written" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine\n"
