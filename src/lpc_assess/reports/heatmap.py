"""Heatmap tables: cells shaded by band, with the number written in each cell.

A heatmap here is an ordinary HTML table (so it reflows, prints and reads
aloud as a table) whose cells carry a class per band: `heat heat-0` for the
lowest band up to `heat heat-<n-1>` for the highest, and `heat heat-none` for
a cell without a score. `heat_css` gives those classes their shades, light to
dark in band order; each shade is paired with the text colour (dark or white)
that keeps the number at least 4.5:1 against it. The number in the cell
carries the value, so nothing depends on the shade alone.

How to read it is in docs/reports.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from lpc_assess.reports.charts import TEXT
from lpc_assess.reports.likert import contrast, ordered_fills

if TYPE_CHECKING:
    from lpc_assess.model.framework import Band

WHITE = "#ffffff"
MIN_CONTRAST = 4.5


def band_shades(count: int) -> list[tuple[str, str]]:
    """(background, text colour) for each of `count` bands, light to dark.

    The shades come from the Likert charts' light-to-dark ramp, leaving out
    the middle stretch where neither dark nor white text would reach 4.5:1.
    """
    usable = []
    for fill in ordered_fills(201):
        dark, light = contrast(fill, TEXT), contrast(fill, WHITE)
        if max(dark, light) >= MIN_CONTRAST:
            usable.append((fill, TEXT if dark >= light else WHITE))
    if count <= 0:
        return []
    if count == 1:
        return [usable[0]]
    last = len(usable) - 1
    return [usable[round(last * i / (count - 1))] for i in range(count)]


def heat_css(count: int) -> Markup:
    """CSS for the classes `heat-0` .. `heat-<count-1>` and `heat-none`, made from numbers only."""
    rules = [
        ".heat { print-color-adjust: exact; -webkit-print-color-adjust: exact; }",
        f".heat-none {{ background-color: {WHITE}; color: {TEXT}; }}",
    ]
    for i, (background, text) in enumerate(band_shades(count)):
        rules.append(f".heat-{i} {{ background-color: {background}; color: {text}; }}")
    return Markup("\n".join(rules) + "\n")


def band_index(bands: Sequence[Band], percent: float | None) -> int | None:
    """The index of the band `percent` falls in, as scoring decides it (`band_for`)."""
    from lpc_assess.scoring.person import band_for

    band = band_for(bands, percent)
    return None if band is None else next(i for i, b in enumerate(bands) if b is band)


def heat_cell(
    bands: Sequence[Band], percent: float | None, band_labels: Sequence[str]
) -> dict[str, Any]:
    """One cell: its text, its band's label, and its classes."""
    from lpc_assess.reports.templates import percent_text

    index = band_index(bands, percent)
    return {
        "text": percent_text(percent),
        "band": band_labels[index] if index is not None else None,
        "css": f"heat heat-{index}" if index is not None else "heat heat-none",
    }
