"""The wheel carries the built-in frameworks and templates: install it fresh and use it."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_runs_from_an_empty_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("lpc_assess-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "lpc_assess/_data/frameworks/personalised-care/framework.yaml" in names
    assert any(n.startswith("lpc_assess/_data/templates/") for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    tool = env_dir / "bin" / "lpc-assess"
    # validate takes paths: check the packaged folder that `frameworks` points at.
    frameworks = subprocess.run(
        [str(tool), "frameworks"], cwd=empty, capture_output=True, text=True
    )
    assert frameworks.returncode == 0, frameworks.stderr
    assert "personalised-care" in frameworks.stdout and "built-in" in frameworks.stdout
    where = frameworks.stdout.split("(built-in: ")[1].split(")")[0]
    validate = subprocess.run(
        [str(tool), "validate", where], cwd=empty, capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr
    show = subprocess.run(
        [str(tool), "show", "--format", "json"], cwd=empty, capture_output=True, text=True
    )
    assert show.returncode == 0, show.stderr
    assert '"Relating and Communicating"' in show.stdout
    blank = subprocess.run(
        [str(tool), "blank", "--format", "yaml"], cwd=empty, capture_output=True, text=True
    )
    assert blank.returncode == 0 and "knows-what-matters:" in blank.stdout
    assert list(empty.iterdir()) == []
