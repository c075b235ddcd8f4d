"""Every framework rule of docs/framework-format.md: one fixture folder per rule, exact output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lpc_assess.diagnostics import render_text
from lpc_assess.model.framework_check import check_framework
from lpc_assess.model.lookup import load_framework
from tests.conftest import BUILTIN, DATA, REPO

# Folders whose name is not exactly the code they produce.
RULE_OF = {
    "unknown-key-no-match": "unknown-key",
    "wrong-type-version": "wrong-type",
    "wrong-type-no": "wrong-type",
    "wrong-type-date": "wrong-type",
    "duplicate-id-indicator": "duplicate-id",
    "duplicate-id-theme": "duplicate-id",
    "min-answered-zero": "min-answered",
    "theme-symlink": "theme-outside",
    "duplicate-id-facet": "duplicate-id",
    "facet-scale-range": "scale-range",
    "facet-scale-labels": "scale-labels",
    "facet-threshold": "out-of-range",
    "facet-side": "invalid-value",
    "unknown-facet-no-facets": "unknown-facet",
    "warn-no-facet-actions": "no-actions",
}
INVALID = sorted(p for p in (DATA / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", INVALID, ids=[p.name for p in INVALID])
def test_each_rule_reports_exact_position_code_and_message(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    expected = (folder / "expected.txt").read_text()
    found = check_framework(Path("."))
    got = sorted(found.diagnostics, key=lambda d: (d.path, d.line or 0, d.col or 0))
    assert render_text(got) == expected
    # The folder is named after the rule it exercises: its code is among the findings.
    rule = RULE_OF.get(folder.name, folder.name.removeprefix("warn-"))
    assert rule in {d.code for d in got}


def test_warnings_leave_the_framework_usable_errors_do_not(monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in INVALID:
        check = check_framework(folder)
        has_error = any(d.severity == "error" for d in check.diagnostics)
        assert (check.framework is None) == has_error, folder.name
        assert folder.name.startswith("warn-") != has_error, folder.name


def test_builtin_framework_is_clean_and_shaped_as_promised() -> None:
    check = check_framework(BUILTIN)
    assert check.diagnostics == []
    framework = check.framework
    assert framework is not None
    assert [t.title for t in framework.themes] == [
        "Being",
        "Relating and Communicating",
        "Leading and Visioning",
        "Delivering",
    ]
    for theme in framework.themes:
        assert theme.summary and theme.reflection
        assert len(theme.indicators) == 6
        for indicator in theme.indicators:
            assert re.search(r"\bI\b", indicator.statement), indicator.id  # first person
            assert indicator.help
            assert 2 <= len(indicator.actions) <= 3
    assert framework.scale.min == 1 and framework.scale.max == 5 and framework.scale.skip
    assert len(framework.bands) == 4
    covered = {t for r in framework.resources for t in r.themes}
    assert covered == {t.id for t in framework.themes}
    for file in BUILTIN.glob("*.yaml"):
        assert file.read_text().startswith("# yaml-language-server: $schema=../../schemas/")


def test_builtin_statements_are_not_copied_from_the_seeds() -> None:
    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside the repository")
    source = " ".join(" ".join(p.read_text().split()) for p in seeds.glob("*.txt")).lower()
    framework = load_framework(str(BUILTIN))
    texts = [framework.description or ""]
    for theme in framework.themes:
        texts += [theme.summary or "", theme.reflection or ""]
        for i in theme.indicators:
            texts += [i.statement, i.help or "", *i.actions]
    for text in texts:
        words = text.lower().split()
        # No run of 10 consecutive words appears in the seed texts.
        for start in range(max(0, len(words) - 9)):
            assert " ".join(words[start : start + 10]) not in source, text


def test_unknown_framework_id_names_the_known_ones() -> None:
    from lpc_assess.diagnostics import InputError

    with pytest.raises(InputError) as caught:
        load_framework("no-such-framework")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "framework-not-found"
    assert "personalised-care" in diagnostic.message
