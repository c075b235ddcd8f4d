"""Each mistake is reported once: no echoes in other files, a suggestion for every typo."""

from __future__ import annotations

from pathlib import Path

from lpc_assess.inputs.documents import parse_yaml
from lpc_assess.model.framework_check import check_framework
from lpc_assess.model.framework_file import Theme
from lpc_assess.model.pydantic_errors import validate_model

FRAMEWORK = """\
id: demo
title: Demo
version: "1.0"
scale: {min: 1, max: 3, labels: {1: Low, 2: Middle, 3: High}}
bands: [{id: low, label: Low, from: 0}]
themes: [first.yaml, second.yaml, gone.yaml]
resources:
  - {title: A, url: "https://example.org/a", themes: [alpha, second, gone]}
  - {title: B, url: "https://example.org/b", themes: [alhpa]}
"""

GOOD_THEME = """\
id: {id}
title: A theme
indicators:
  - {{id: {id}-1, statement: I do one {id} thing., actions: [Try it.]}}
  - {{id: {id}-2, statement: I do another {id} thing., actions: [Try it.]}}
  - {{id: {id}-3, statement: I do a third {id} thing., actions: [Try it.]}}
"""


def _framework(tmp_path: Path, first: str, second: str) -> list[tuple[str, str, str]]:
    (tmp_path / "framework.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (tmp_path / "first.yaml").write_text(first, encoding="utf-8")
    (tmp_path / "second.yaml").write_text(second, encoding="utf-8")
    check = check_framework(tmp_path)
    return [(Path(d.path).name, d.code, d.message) for d in check.diagnostics]


def test_themes_that_failed_to_load_still_exist_for_resources(tmp_path: Path) -> None:
    # first.yaml (id alpha) has a typo; second.yaml has a YAML syntax error, so its id
    # is its file name; gone.yaml is missing. Resources naming them are not reported;
    # the one resource naming a theme that exists nowhere still is, with a suggestion.
    first = GOOD_THEME.format(id="alpha").replace("title:", "titel:")
    found = _framework(tmp_path, first, "id: second\ntitle: [unclosed\n")
    codes = [(name, code) for name, code, _ in found]
    assert codes.count(("framework.yaml", "unknown-theme")) == 1, found
    assert ("framework.yaml", "theme-missing") in codes
    assert ("first.yaml", "unknown-key") in codes
    assert ("second.yaml", "yaml-syntax") in codes
    (message,) = [m for _, code, m in found if code == "unknown-theme"]
    assert message.endswith("(did you mean 'alpha'?)"), message


def test_a_valid_framework_still_checks_resource_themes(tmp_path: Path) -> None:
    found = _framework(tmp_path, GOOD_THEME.format(id="alpha"), GOOD_THEME.format(id="second"))
    assert sorted(code for _, code, _ in found) == ["theme-missing", "unknown-theme"]


def test_an_unknown_key_beside_one_missing_key_is_taken_for_it() -> None:
    # 'di' is too unlike 'id' for a spelling match; the mapping leaves no doubt.
    doc = parse_yaml(GOOD_THEME.format(id="alpha").replace("id: alpha\n", "di: alpha\n"), "t")
    theme, problems = validate_model(Theme, doc.data, doc)
    assert theme is None
    assert [(d.code, d.message) for d in problems] == [
        ("missing-key", "missing required key 'id'"),
        ("unknown-key", "unknown key 'di' (did you mean 'id'?)"),
    ]


def test_two_unknown_keys_are_not_guessed() -> None:
    text = GOOD_THEME.format(id="alpha").replace("id: alpha\n", "di: alpha\nzz: 1\n")
    doc = parse_yaml(text, "t")
    _, problems = validate_model(Theme, doc.data, doc)
    messages = [d.message for d in problems if d.code == "unknown-key"]
    assert len(messages) == 2
    assert all("allowed here" in m for m in messages), messages
