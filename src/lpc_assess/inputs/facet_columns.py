"""The headers that name a theme's facet in a spreadsheet (docs/facets.md).

A column holds facet `knowledge` of theme `being` when its header is
`being.knowledge`, the theme's title and the facet's label joined by a dash or
a colon (`Being - Knowledge`, `Being: Knowledge`), or the facet's prompt with
the theme's title filled in. `columns.match_columns` compares them as it
compares statements (typography folded, case and spacing ignored).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lpc_assess.model.framework import fill

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework

# Between a theme's title and a facet's label; every kind of dash is folded to `-` first.
_JOINS = (" - ", "-", ": ", " : ", ":")


def facet_key(theme_id: str, facet_id: str) -> str:
    """How a facet column is known inside the tool: `being.knowledge` (never an indicator
    id, which has no dot)."""
    return f"{theme_id}.{facet_id}"


def split_key(key: str) -> tuple[str, str] | None:
    """`being.knowledge` -> (`being`, `knowledge`); None for an indicator id."""
    theme, dot, facet = key.partition(".")
    return (theme, facet) if dot else None


def facet_header_forms(framework: Framework) -> list[tuple[str, str]]:
    """Every header text that names a facet column, with the facet key it names."""
    facets = framework.facets
    if facets is None:
        return []
    out: list[tuple[str, str]] = []
    for theme in framework.themes:
        for item in facets.items:
            key = facet_key(theme.id, item.id)
            out.append((key, key))
            out += [(f"{theme.title}{join}{item.label}", key) for join in _JOINS]
            out.append((fill(item.prompt, theme.title), key))
    return out
