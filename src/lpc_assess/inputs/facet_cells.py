"""Facet answers in a spreadsheet row: their cells decoded on the facet scale (docs/facets.md).

A table (`table.Table`) with facet columns gives each row a `FacetRow`: per
theme, the answers to its facets (None where a cell is empty or a skip). The
cells are read as statement cells are (a number, a label, `4 - Agree`, the
missing tokens), but on the facet scale. A cell that is not an answer rejects
its row, as a statement's cell does.
"""

from __future__ import annotations

from itertools import starmap
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, cast

from lpc_assess.diagnostics import Diagnostic, row_problem
from lpc_assess.inputs.cells import CellDecoder
from lpc_assess.inputs.facet_columns import facet_key

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework, Scale
    from lpc_assess.scoring.facets import FacetRow


class _ScaleOnly:
    """What `CellDecoder` reads of a framework: its scale. Here, the facet scale."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale


class FacetCells:
    """Reads the facet columns of rows (`columns`: facet key -> column position)."""

    def __init__(self, framework: Framework, columns: dict[str, int], header: list[str]) -> None:
        assert framework.facets is not None
        facets = framework.facets
        self.header = header
        self.decoder = CellDecoder(cast("Framework", _ScaleOnly(facets.scale)))
        # Per theme, per facet: the column, or None when the file has none for it.
        self.slots: list[list[int | None]] = [
            [columns.get(facet_key(theme.id, item.id)) for item in facets.items]
            for theme in framework.themes
        ]
        self.at = [at for slots in self.slots for at in slots if at is not None]
        self._pick = itemgetter(*self.at) if len(self.at) > 1 else None

    def _cells(self, row: list[str]) -> tuple[str, ...]:
        if self._pick is None:
            return (row[self.at[0]],)
        return cast("tuple[str, ...]", self._pick(row))

    def _row(self, values: tuple[int | None, ...]) -> FacetRow | None:
        """Decoded values (in `self.at` order) as a FacetRow; None when none is answered."""
        if not any(v is not None for v in values):
            return None
        found = dict(zip(self.at, values, strict=True))
        return tuple(
            tuple(None if at is None else found[at] for at in slots) for slots in self.slots
        )

    def column(self, batch: list[list[str]]) -> list[FacetRow | None]:
        """Each row's facet answers; KeyError when a cell is not a usual spelling (the
        careful path, `row()`, then works it out or rejects the row)."""
        table = self.decoder.table
        if self._pick is None:
            at = self.at[0]
            return [self._row((table[row[at]],)) for row in batch]
        lookups = map(methodcaller("__call__", table), starmap(itemgetter, map(self._cells, batch)))
        return [self._row(values) for values in lookups]

    def row(
        self, row: list[str], row_number: int, source: str
    ) -> FacetRow | None | list[Diagnostic]:
        """One row's facet answers, or the problems that reject the row."""
        decoded = [self.decoder.decode(row[at]) for at in self.at]
        problems = [
            row_problem(source, row_number, self.header[at], "not-an-answer", value)
            for at, value in zip(self.at, decoded, strict=True)
            if isinstance(value, str)
        ]
        if problems:
            return problems
        return self._row(tuple(cast("list[int | None]", decoded)))
