"""`show` lists the facets asked after each theme, with their side and prompt."""

from __future__ import annotations

from tests.conftest import run_cli


def test_show_lists_the_built_in_facets() -> None:
    result = run_cli("show")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # the tree wraps long lines
    assert "facets, asked after each theme (scale: 1 " in text
    assert "a side is high from 50%" in text
    for facet, side in [
        ("knowledge", "ability"),
        ("skill", "ability"),
        ("will", "willingness"),
        ("confidence", "willingness"),
    ]:
        assert f"{facet} ({side}): " in text
