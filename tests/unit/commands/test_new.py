"""The text edits of `new framework --from`: the title and the `$schema` modeline only."""

from __future__ import annotations

import pytest

from lpc_assess.commands.new import with_modeline, with_title
from lpc_assess.inputs.documents import parse_yaml

NEW = "Leading: well (copy)"


@pytest.mark.parametrize(
    "title",
    [
        "title: Leading\n",
        "title: 'Leading, it''s'\n",
        'title: "Leading"   # a comment\n',
        "title: >\n  Leading\n  well\n\n",
        "title: |\n  Leading\n",
        "title:\n  Leading\n  on two lines\n",
    ],
)
def test_only_the_title_changes(title: str) -> None:
    text = f"# a comment\nid: x\n{title}version: '1'\nthemes: [a.yaml]  # kept\n"
    changed = with_title(text, NEW, "f")
    data = parse_yaml(changed, "f").data
    assert data == {"id": "x", "title": NEW, "version": "1", "themes": ["a.yaml"]}
    assert changed.startswith("# a comment\nid: x\n")
    assert changed.endswith("version: '1'\nthemes: [a.yaml]  # kept\n")
    assert "# a comment" in changed


def test_a_title_in_a_flow_mapping() -> None:
    changed = with_title("{id: x, title: Old, version: '1'}\n", NEW, "f")
    assert parse_yaml(changed, "f").data == {"id": "x", "title": NEW, "version": "1"}


def test_a_nested_title_is_not_the_framework_title() -> None:
    text = "id: x\nresources:\n  - {title: R}\ntitle: Old\n"
    data = parse_yaml(with_title(text, NEW, "f"), "f").data
    assert data["resources"] == [{"title": "R"}] and data["title"] == NEW


def test_an_existing_modeline_is_repointed_and_kept_in_place() -> None:
    text = "# top\r\n# yaml-language-server: $schema=../../schemas/theme.schema.json\r\nid: x\r\n"
    assert with_modeline(text, "schemas/theme.schema.json") == (
        "# top\r\n# yaml-language-server: $schema=schemas/theme.schema.json\r\nid: x\r\n"
    )


def test_a_file_without_a_modeline_gets_one_on_top() -> None:
    # A modeline-like comment after the first key is not the file's modeline.
    text = "id: x\n# yaml-language-server: $schema=elsewhere.json\n"
    assert with_modeline(text, "s.json") == "# yaml-language-server: $schema=s.json\n" + text
