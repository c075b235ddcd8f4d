"""`validate`, `frameworks`, `show` and `schema` through the real command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lpc_assess.cli import app
from tests.conftest import BUILTIN, DATA, REPO, run_cli

runner = CliRunner()
GOLDEN = DATA / "golden"
UNKNOWN_KEY = DATA / "invalid" / "unknown-key"


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_validate_golden_output_in_each_format(fmt: str) -> None:
    result = run_cli("validate", ".", "--format", fmt, cwd=UNKNOWN_KEY)
    assert result.returncode == 1
    assert result.stdout == (GOLDEN / f"validate-unknown-key.{fmt}").read_text()
    assert "Traceback" not in result.stderr
    assert "1 framework(s) checked: 2 error(s), 0 warning(s)" in result.stderr


def test_github_format_is_chosen_under_github_actions() -> None:
    result = run_cli("validate", ".", cwd=UNKNOWN_KEY, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout == (GOLDEN / "validate-unknown-key.github").read_text()


def test_valid_framework_exits_zero_and_says_so() -> None:
    result = runner.invoke(app, ["validate", str(BUILTIN)])
    assert result.exit_code == 0, result.output
    assert "1 framework(s) checked: 0 error(s), 0 warning(s)" in result.output


def test_all_problems_of_all_files_in_one_run() -> None:
    result = runner.invoke(app, ["validate", str(DATA / "invalid"), "--format", "json"])
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    folders = {Path(d["path"]).parts[-2] for d in found}
    expected = {p.name for p in (DATA / "invalid").iterdir() if p.is_dir()}
    # duplicate-id-theme reports against its own framework file
    assert folders == expected


def test_a_mistake_in_framework_yaml_does_not_hide_the_theme_files(tmp_path: Path) -> None:
    folder = tmp_path / "fw"
    shutil.copytree(BUILTIN, folder)
    main = folder / "framework.yaml"
    main.write_text(
        main.read_text(encoding="utf-8").replace('version: "1.0"', "version: 1.0"),
        encoding="utf-8",
    )
    being = folder / "being.yaml"
    text = being.read_text(encoding="utf-8")
    being.write_text(text.replace("statement:", "statment:", 1), encoding="utf-8")
    result = run_cli("validate", str(folder))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "error[" in line]
    codes = [line.split("error[")[1].split("]")[0] for line in lines]
    assert sorted(codes) == ["missing-key", "unknown-key", "wrong-type"]
    assert "being.yaml" in result.stdout and "framework.yaml" in result.stdout


def test_warnings_pass_unless_strict() -> None:
    folder = DATA / "invalid" / "warn-no-actions"
    loose = runner.invoke(app, ["validate", str(folder)])
    assert loose.exit_code == 0
    assert "warning[no-actions]" in loose.stdout
    strict = runner.invoke(app, ["validate", str(folder), "--strict"])
    assert strict.exit_code == 1
    assert "error[no-actions]" in strict.stdout


def test_no_path_checks_dot_frameworks(tmp_path: Path) -> None:
    none = run_cli("validate", cwd=tmp_path)
    assert none.returncode == 2 and "no ./frameworks" in none.stderr
    shutil.copytree(DATA / "valid" / "mini", tmp_path / "frameworks" / "mini")
    shutil.copytree(UNKNOWN_KEY, tmp_path / "frameworks" / "broken")
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("frameworks/broken/framework.yaml:17:9: error[missing-key]")
    assert "2 framework(s) checked" in result.stderr


def test_framework_yaml_file_and_missing_path() -> None:
    assert runner.invoke(app, ["validate", str(BUILTIN / "framework.yaml")]).exit_code == 0
    missing = runner.invoke(app, ["validate", "no/such/place"])
    assert missing.exit_code == 1
    assert "no/such/place: error[not-found]" in missing.stdout


def test_bad_format_is_a_usage_error() -> None:
    assert runner.invoke(app, ["validate", "--format", "xml"]).exit_code == 2


def test_hostile_framework_files_exit_one_without_traceback(tmp_path: Path) -> None:
    cases = {
        "binary": b"\x00\x01\x02\x03\x89PNG\x00\x00",
        "nul": b"id: x\x00\n",
        "bomb": (DATA / "hostile" / "alias-bomb.yaml").read_bytes()
        if (DATA / "hostile" / "alias-bomb.yaml").exists()
        else b'a: &a ["x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n' * 1,
        "big": b"id: " + b"x" * (2 << 20),
    }
    for name, content in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "framework.yaml").write_bytes(content)
        result = run_cli("validate", str(folder), timeout=5)
        assert result.returncode == 1, name
        assert "Traceback" not in result.stderr
        assert result.stdout.count("\n") >= 1


def test_frameworks_lists_builtin_and_local(tmp_path: Path) -> None:
    shutil.copytree(DATA / "valid" / "mini", tmp_path / "frameworks" / "mini")
    result = run_cli("frameworks", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("mini ") and "local" in line for line in lines)
    assert any(line.startswith("personalised-care ") and "built-in" in line for line in lines)


def test_show_tree_and_json() -> None:
    tree = runner.invoke(app, ["show"])
    assert tree.exit_code == 0
    assert "Leadership for Personalised Care" in tree.stdout
    assert "Relating and Communicating" in tree.stdout and "listens-first" in tree.stdout
    shown = runner.invoke(app, ["show", "personalised-care", "--format", "json"])
    data = json.loads(shown.stdout)
    assert [t["id"] for t in data["themes"]] == [
        "being",
        "relating-and-communicating",
        "leading-and-visioning",
        "delivering",
    ]
    first = data["themes"][0]["indicators"][0]
    assert set(first) == {"id", "statement", "help", "reverse", "weight", "actions"}
    assert data["bands"][0]["from"] == 0


def test_show_of_a_broken_framework_fails_cleanly() -> None:
    result = run_cli("show", str(UNKNOWN_KEY))
    assert result.returncode == 1
    assert "error[unknown-key]" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["framework", "theme", "answers"])
def test_committed_schemas_are_current(kind: str) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0
    committed = (REPO / "schemas" / f"{kind}.schema.json").read_text()
    assert result.stdout == committed, "run `make schemas` and commit the result"
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in result.stdout


def test_version_and_module_entry_point() -> None:
    from lpc_assess import __version__

    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"lpc-assess {__version__}"
