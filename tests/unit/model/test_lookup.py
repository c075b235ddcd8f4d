"""The record of each built-in framework's check: current, equal to a full check, and
used only where it is sure to be right (model/lookup.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lpc_assess.diagnostics import InputError
from lpc_assess.model import lookup
from lpc_assess.model.framework_check import check_framework
from lpc_assess.model.lookup import builtin_frameworks_dir, load_framework, write_record

BUILT_IN = sorted(p.parent for p in builtin_frameworks_dir().glob("*/framework.yaml"))


@pytest.mark.parametrize("folder", BUILT_IN, ids=lambda p: p.name)
def test_each_record_is_current(folder: Path, tmp_path: Path) -> None:
    """Run `make schemas` when this fails: a built-in framework changed since its record."""
    fresh = write_record(folder, into=tmp_path)
    shipped = lookup.RECORDS / fresh.name
    assert shipped.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", BUILT_IN, ids=lambda p: p.name)
def test_the_recorded_framework_is_the_checked_one(folder: Path) -> None:
    checked = check_framework(folder / "framework.yaml").framework
    recorded = lookup._recorded(folder / "framework.yaml")
    assert checked is not None and recorded is not None
    assert recorded == checked  # every field, down to each label, weight and action
    assert recorded.as_dict() == checked.as_dict()
    assert [type(v) for v in recorded.scale.labels] == [int] * len(recorded.scale.labels)


@pytest.fixture
def builtins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in frameworks and their records, standing in for the real ones."""
    folder = tmp_path / "builtin"
    shutil.copytree(builtin_frameworks_dir(), folder)
    records = tmp_path / "records"
    shutil.copytree(lookup.RECORDS, records)
    monkeypatch.setattr(lookup, "builtin_frameworks_dir", lambda: folder)
    monkeypatch.setattr(lookup, "RECORDS", records)
    monkeypatch.chdir(tmp_path)  # no ./frameworks here
    return folder / "personalised-care"


def test_the_record_is_used_while_the_files_are_unchanged(builtins: Path) -> None:
    record = lookup.RECORDS / "personalised-care.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["framework"]["title"] = "From the record"
    record.write_text(json.dumps(data), encoding="utf-8")
    assert load_framework(None).title == "From the record"


def test_an_edited_theme_file_is_checked_again(builtins: Path) -> None:
    theme = builtins / "being.yaml"
    text = theme.read_text(encoding="utf-8")
    first = load_framework(None).indicators[0]
    theme.write_text(text.replace(first.statement, "An edited statement."), encoding="utf-8")
    assert load_framework(None).indicators[0].statement == "An edited statement."


def test_an_edit_that_breaks_the_framework_is_an_error_not_the_record(builtins: Path) -> None:
    framework_yaml = builtins / "framework.yaml"
    framework_yaml.write_text(
        framework_yaml.read_text(encoding="utf-8").replace("version:", "versoin:", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="versoin"):
        load_framework(None)


@pytest.mark.parametrize(
    "damage",
    ["not json", '{"format": 99}', '{"format": 1, "files": {}}', '{"format": 1}', "[]"],
)
def test_a_damaged_record_means_a_full_check(builtins: Path, damage: str) -> None:
    (lookup.RECORDS / "personalised-care.json").write_text(damage, encoding="utf-8")
    assert lookup._recorded(builtins / "framework.yaml") is None
    assert load_framework(None) == check_framework(builtins / "framework.yaml").framework


def test_a_copy_outside_the_built_ins_never_uses_the_record(builtins: Path, tmp_path: Path) -> None:
    mine = tmp_path / "frameworks" / "personalised-care"
    shutil.copytree(builtins, mine)  # the same files, byte for byte: still checked in full
    assert lookup._record_path(mine / "framework.yaml") is None
    assert load_framework(None).source == Path("frameworks/personalised-care/framework.yaml")


def test_only_a_framework_without_diagnostics_is_recorded(tmp_path: Path) -> None:
    folder = tmp_path / "warned"
    shutil.copytree(builtin_frameworks_dir() / "personalised-care", folder)
    being = folder / "being.yaml"
    text = being.read_text(encoding="utf-8")
    being.write_text(text.replace("actions:", "unused_actions:", 1), encoding="utf-8")
    with pytest.raises(InputError):
        write_record(folder, into=tmp_path / "records")
    assert not (tmp_path / "records" / "warned.json").exists()
