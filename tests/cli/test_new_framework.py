"""`lpc-assess new framework DIR [--from FRAMEWORK]`: a folder that passes `validate --strict`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lpc_assess.cli import app
from lpc_assess.model.schema import KINDS, schema_text
from tests.conftest import BUILTIN, DATA

runner = CliRunner()
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def new(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["new", "framework", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def validate_strict(folder: str) -> None:
    result = runner.invoke(app, ["validate", folder, "--strict", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout) == []


def shown(folder: str) -> dict[str, object]:
    result = runner.invoke(app, ["show", folder, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def assert_schemas_beside(folder: Path) -> None:
    """The schemas are in folder/schemas, and every YAML file's first line points at one."""
    for kind in KINDS:
        assert (folder / "schemas" / f"{kind}.schema.json").read_text() == schema_text(kind)
    files = [p for p in folder.rglob("*.yaml")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        match = MODELINE.match(text)
        assert match, f"{path} does not start with a $schema modeline"
        kind = "framework" if path.name == "framework.yaml" else "theme"
        target = (path.parent / match.group(1)).resolve()
        assert target == (folder / "schemas" / f"{kind}.schema.json").resolve(), path
        assert len(MODELINE.findall(text)) == 1, path


def test_the_example_validates_strictly_with_its_schemas(tmp_path: Path) -> None:
    code, out, err = new("my-team")
    assert code == 0, err
    folder = tmp_path / "my-team"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.*")) == [
        "framework.yaml",
        "listening.yaml",
        "schemas/answers.schema.json",
        "schemas/framework.schema.json",
        "schemas/theme.schema.json",
    ]
    assert out.splitlines()[0] == "my-team/framework.yaml"
    assert "lpc-assess validate my-team --strict" in err
    validate_strict("my-team")
    assert_schemas_beside(folder)
    data = shown("my-team")
    assert data["id"] == "my-team" and data["title"] == "My team"


@pytest.mark.parametrize(
    "source", ["personalised-care", str(BUILTIN), str(BUILTIN / "framework.yaml")]
)
def test_a_copy_keeps_ids_and_marks_its_title(tmp_path: Path, source: str) -> None:
    code, _, err = new("copy", "--from", source)
    assert code == 0, err
    validate_strict("copy")
    assert_schemas_beside(tmp_path / "copy")
    original, copy = shown(str(BUILTIN)), shown("copy")
    assert copy["title"] == f"{original['title']} (copy)"
    assert {**copy, "title": original["title"]} == original
    # Everything but the title line and the modelines is the original, byte for byte.
    for path in BUILTIN.glob("*.yaml"):
        before = path.read_text(encoding="utf-8").splitlines()
        after = (tmp_path / "copy" / path.name).read_text(encoding="utf-8").splitlines()
        differ = [b for b, a in zip(before, after, strict=True) if a != b]
        allowed = {"# yaml-language-server", "title: "}
        assert all(any(line.startswith(p) for p in allowed) for line in differ), differ


def test_a_copy_rewrites_modelines_of_themes_in_subfolders(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "themes").mkdir(parents=True)
    text = (DATA / "valid" / "mini" / "framework.yaml").read_text(encoding="utf-8")
    head, _, inline = text.partition("themes:\n")
    # A block-scalar title, no modeline in framework.yaml, one theme file in a subfolder.
    head = head.replace("title: Mini framework\n", "title: >\n  Mini\n  framework\n")
    (source / "framework.yaml").write_text(head + "themes: [themes/alpha.yaml]\n")
    theme = "# yaml-language-server: $schema=../../schemas/theme.schema.json\n# Alpha.\n"
    theme += "\n".join(line[4:] for line in inline.splitlines()) + "\n"
    (source / "themes" / "alpha.yaml").write_text(theme)
    validate_strict("source")

    code, _, err = new("deep/copy", "--from", "source")
    assert code == 0, err
    validate_strict("deep/copy")
    assert_schemas_beside(tmp_path / "deep" / "copy")
    copied = (tmp_path / "deep" / "copy" / "themes" / "alpha.yaml").read_text()
    assert copied.startswith("# yaml-language-server: $schema=../schemas/theme.schema.json\n")
    assert "# Alpha." in copied
    assert shown("deep/copy")["title"] == "Mini framework (copy)"


def test_a_copy_of_a_framework_with_warnings_says_so(tmp_path: Path) -> None:
    code, _, err = new("copy", "--from", str(DATA / "invalid" / "warn-no-actions"))
    assert code == 0
    assert "warning[no-actions]" in err and "--strict" in err


@pytest.mark.parametrize("occupied", ["file", "folder"])
def test_refuses_a_non_empty_folder_or_a_file_in_one_line(tmp_path: Path, occupied: str) -> None:
    target = tmp_path / "taken"
    if occupied == "file":
        target.write_text("mine")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    before = sorted(tmp_path.rglob("*"))
    code, out, err = new("taken")
    assert code == 2
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("taken "), err
    assert sorted(tmp_path.rglob("*")) == before


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert new("empty")[0] == 0
    validate_strict("empty")


@pytest.mark.parametrize("source", ["no-such-framework", "broken"])
def test_a_source_that_cannot_be_used_writes_nothing(tmp_path: Path, source: str) -> None:
    shutil.copytree(DATA / "invalid" / "unknown-key", tmp_path / "broken")
    code, _, err = new("copy", "--from", source)
    assert code == 1
    assert "error[" in err and "Traceback" not in err
    assert not (tmp_path / "copy").exists()
