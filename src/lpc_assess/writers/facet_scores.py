"""The facet columns of the scores file: `<theme>.<facet>` percents and `<theme>.quadrant`.

After the overall columns, for each theme in order, one column per facet (its
percent, empty when unanswered) and the theme's quadrant (empty when it has
none); docs/facets.md. A response's facet answers repeat across a team, so the
text of each distinct answer row is made once and remembered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lpc_assess.scoring.compiled import Memo
from lpc_assess.scoring.facets import FacetRow, score_theme_facets

if TYPE_CHECKING:
    from lpc_assess.model.framework import Facets, Framework
    from lpc_assess.scoring.scored import ScoredChunk


def facet_columns(framework: Framework) -> list[str]:
    """The scores file's facet columns (none when the framework has no facets)."""
    if framework.facets is None:
        return []
    ids = framework.facets.ids
    return [
        column
        for theme in framework.themes
        for column in (*(f"{theme.id}.{facet}" for facet in ids), f"{theme.id}.quadrant")
    ]


class FacetCells:
    """The facet cells of scores-file rows, as CSV text or JSON values.

    `percent_text` turns a percent into its CSV cell (the scores file's own rounding).
    """

    def __init__(self, framework: Framework, percent_text: Callable[[float | None], str]) -> None:
        assert framework.facets is not None
        self.facets: Facets = framework.facets
        self.themes = [(t.id, t.title) for t in framework.themes]
        self.percent_text = percent_text
        self.columns = facet_columns(framework)
        self._text: Memo[FacetRow | None, str] = Memo(self._make_text)
        self._json: Memo[FacetRow | None, str] = Memo(self._make_json)

    def _values(self, row: FacetRow | None) -> list[Any]:
        """Per theme each facet's percent (None unanswered), then the quadrant (None)."""
        out: list[Any] = []
        for t, (theme_id, title) in enumerate(self.themes):
            values = row[t] if row is not None else (None,) * len(self.facets.items)
            score = score_theme_facets(self.facets, theme_id, title, 1.0, values)
            out += [*score.percents.values(), score.quadrant]
        return out

    def _make_text(self, row: FacetRow | None) -> str:
        return ",".join(
            value if isinstance(value, str) else self.percent_text(value)
            for value in self._values(row)
        )

    def _make_json(self, row: FacetRow | None) -> str:
        return ", ".join(
            f"{json.dumps(key)}: {json.dumps(value)}"
            for key, value in zip(self.columns, self._values(row), strict=True)
        )

    def csv_column(self, chunk: ScoredChunk) -> list[str]:
        """Each response's facet cells, joined by commas, ending the row (CRLF)."""
        if chunk.facets is None:  # the usual case when a file has no facet columns
            return [self._text[None] + "\r\n"] * len(chunk)
        return [self._text[row] + "\r\n" for row in chunk.facets]

    def json_members(self, row: FacetRow | None) -> str:
        """The facet members of a response's JSON Lines object (`"being.knowledge": 75.0, ...`)."""
        return self._json[row]
