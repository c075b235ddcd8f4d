"""The facet sections of the reports: plain data for `_facets.*.j2` and `_team_facets.*.j2`.

What the figures mean is docs/facets.md; the words the reports use for each
quadrant and each kind of development are in `reports/templates/_facets_words.j2`.
Here each facet gets its *kind* of development (`learning`, `practice`,
`purpose`, `confidence`), so that the templates can say what fits: the four
facets of the built-in framework by id, any other facet by its side.

What repeats is said once, so that the reports stay short (docs/reports.md,
"Printing and PDF"): the person report explains each quadrant once, naming the
themes in it; the team report names each kind of programme once, with the
themes whose people it would help most. The team table is shaded as the
people-by-theme heatmap is (`reports/heatmap.py`), by the framework's bands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lpc_assess.model.framework import QUADRANTS
from lpc_assess.reports.heatmap import band_index
from lpc_assess.reports.templates import clean_text, number_text, percent_text
from lpc_assess.scoring.facets import score_facets

if TYPE_CHECKING:
    from lpc_assess.model.framework import FacetItem, Facets, Framework
    from lpc_assess.scoring.facet_summary import FacetSummary

# The kind of development that addresses each facet of the built-in framework.
KIND_OF_FACET = {
    "knowledge": "learning",
    "skill": "practice",
    "will": "purpose",
    "confidence": "confidence",
}
# A facet of another framework: by its side.
KIND_OF_SIDE = {"ability": "ability", "willingness": "willingness"}

# A cell with no figure (nothing answered): a dash that Markdown does not take for a list.
NONE = "–"


def facet_kind(item: FacetItem) -> str:
    """`learning`, `practice`, `purpose`, `confidence`; `ability` or `willingness` otherwise."""
    return KIND_OF_FACET.get(item.id, KIND_OF_SIDE[item.side])


def _columns(facets: Facets) -> list[dict[str, Any]]:
    return [
        {
            "id": item.id,
            "label": clean_text(item.label),
            "side": item.side,
            "kind": facet_kind(item),
        }
        for item in facets.items
    ]


def _scale(facets: Facets) -> dict[str, Any]:
    scale = facets.scale
    return {
        "min": scale.min,
        "max": scale.max,
        "labels": [
            {"value": v, "label": clean_text(scale.label(v))}
            for v in range(scale.min, scale.max + 1)
        ],
        "skip": clean_text(scale.skip) if scale.skip else None,
    }


def person_facets_context(
    framework: Framework, answers: Mapping[str, Mapping[str, int | None]]
) -> dict[str, Any] | None:
    """The person report's facet section; None when the framework has no facets.

    `answers` is the response's `facets` (theme id -> facet id -> answer; None
    for a skip).
    """
    facets = framework.facets
    score = score_facets(framework, answers)
    if facets is None or score is None:
        return None
    themes = []
    for theme, result in zip(framework.themes, score.themes, strict=True):
        given = answers.get(theme.id, {})
        cells = []
        for item in facets.items:
            value = given.get(item.id)
            if value is not None:
                text = f"{value} · {clean_text(facets.scale.label(value))}"
            elif item.id in given:
                text = "skipped"
            else:
                text = "not answered"
            cells.append(
                {
                    "id": item.id,
                    "label": clean_text(item.label),
                    "percent": result.percents[item.id],
                    "percent_text": percent_text(result.percents[item.id])
                    if value is not None
                    else NONE,
                    "answer_text": text,
                }
            )
        limiting = None
        if result.limiting is not None:
            item = facets.item(result.limiting)
            limiting = {
                "id": item.id,
                "label": clean_text(item.label),
                "kind": facet_kind(item),
                "actions": [clean_text(a) for a in framework.facet_actions(theme, item)],
            }
        themes.append(
            {
                "id": theme.id,
                "title": clean_text(theme.title),
                "answered": result.answered,
                "cells": cells,
                "ability_text": percent_text(result.ability)
                if result.ability is not None
                else NONE,
                "willingness_text": percent_text(result.willingness)
                if result.willingness is not None
                else NONE,
                "quadrant": result.quadrant,
                "limiting": limiting,
                "at_top": result.answered and result.limiting is None,
            }
        )
    return {
        "columns": _columns(facets),
        "scale": _scale(facets),
        "threshold_text": f"{facets.threshold:g}%",
        "answered": any(t["answered"] for t in themes),
        "themes": themes,
        # Each quadrant that a theme is in, once, with those themes' titles.
        "places": [
            {"id": q, "themes": [t["title"] for t in themes if t["quadrant"] == q]}
            for q in QUADRANTS
            if any(t["quadrant"] == q for t in themes)
        ],
        "unplaced": [t["title"] for t in themes if t["quadrant"] is None],
        "overall": [
            {
                "label": clean_text(item.label),
                "percent_text": percent_text(score.overall[item.id])
                if score.overall[item.id] is not None
                else NONE,
            }
            for item in facets.items
        ],
    }


def team_facets_context(framework: Framework, summary: FacetSummary) -> dict[str, Any] | None:
    """The team report's facet section: the theme x facet means, quadrant counts per theme,
    and per theme the most common limiting facet (ties all named)."""
    facets = framework.facets
    if facets is None:
        return None
    labels = {item.id: clean_text(item.label) for item in facets.items}
    bands = framework.bands
    themes: list[dict[str, Any]] = []
    for stats in summary.themes():
        cells = []
        for item, figures in zip(facets.items, stats.facets, strict=True):
            band = band_index(bands, figures.mean)
            cells.append(
                {
                    "id": item.id,
                    "label": labels[item.id],
                    "n": figures.n,
                    "mean": figures.mean,
                    "percent_text": percent_text(figures.mean)
                    if figures.mean is not None
                    else NONE,
                    "sd_text": number_text(figures.sd) if figures.sd is not None else NONE,
                    # the heatmap's classes (reports/heatmap.py): shaded by band
                    "css": f"heat heat-{band}" if band is not None else "heat heat-none",
                    # n is written only where some, not all, of the people answered
                    "n_shown": 0 < figures.n != summary.responses,
                }
            )
        most = max(stats.limiting.values(), default=0)
        common = [
            {"id": item.id, "label": labels[item.id], "kind": facet_kind(item)}
            for item in facets.items
            if most and stats.limiting[item.id] == most
        ]
        themes.append(
            {
                "id": stats.id,
                "title": clean_text(stats.title),
                "cells": cells,
                "n": max((figures.n for figures in stats.facets), default=0),
                "quadrants": [{"id": q, "count": stats.quadrants[q]} for q in QUADRANTS],
                "quadrant_total": sum(stats.quadrants.values()),
                "limiting": [
                    {"id": item.id, "label": labels[item.id], "count": stats.limiting[item.id]}
                    for item in facets.items
                ],
                "most_limiting": common,
                "most_limiting_count": most,
                "kinds": list(dict.fromkeys(c["kind"] for c in common)),
            }
        )
    # Each kind of programme once, with the facets of that kind and the themes where one
    # of them held the most people back.
    helps = []
    for kind in dict.fromkeys(facet_kind(item) for item in facets.items):
        where = [t for t in themes if kind in t["kinds"]]
        if where:
            named = {c["id"] for t in where for c in t["most_limiting"] if c["kind"] == kind}
            helps.append(
                {
                    "kind": kind,
                    "labels": [labels[item.id] for item in facets.items if item.id in named],
                    "themes": [t["title"] for t in where],
                }
            )
    return {
        "columns": _columns(facets),
        "scale": _scale(facets),
        "threshold_text": f"{facets.threshold:g}%",
        "responses": summary.responses,
        "themes": themes,
        "n_varies": any(c["n_shown"] for t in themes for c in t["cells"]),
        "helps": helps,
        # The shading's key: each band's range, in the heatmap's classes.
        "key": [
            {
                "css": f"heat heat-{i}",
                "range_text": f"{b.from_:g}–"
                + (f"{bands[i + 1].from_:g}%" if i + 1 < len(bands) else "100%"),
            }
            for i, b in enumerate(bands)
        ],
    }
