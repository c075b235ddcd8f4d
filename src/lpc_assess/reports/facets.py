"""The facet sections of the reports: plain data for `_facets.*.j2` and `_team_facets.*.j2`.

What the figures mean is docs/facets.md; the words the reports use for each
quadrant and each kind of development are in `reports/templates/_facets_words.j2`.
Here each facet gets its *kind* of development (`learning`, `practice`,
`purpose`, `confidence`), so that the templates can say what fits: the four
facets of the built-in framework by id, any other facet by its side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lpc_assess.model.facets import QUADRANTS
from lpc_assess.reports.templates import clean_text, number_text, percent_text
from lpc_assess.scoring.facets import score_facets

if TYPE_CHECKING:
    from lpc_assess.model.facets import FacetItem, Facets
    from lpc_assess.model.framework import Framework
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

# Shades of the team table, lightest (lowest mean) first: background and the text
# colour that reads on it at 4.5:1 or more (tests/unit/reports/test_facets.py checks).
# A cell with no figure (nothing answered): a dash that Markdown does not take for a list.
NONE = "–"

# One shade for every SHADE_STEP points: 0 to 20, 20 to 40, ..., 80 to 100.
SHADE_STEP = 20
SHADES = (
    ("#ffffff", "#212b32"),
    ("#e3eef9", "#212b32"),
    ("#b7d3f0", "#212b32"),
    ("#4d8fd1", "#000000"),
    ("#003d78", "#ffffff"),
)


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


def shade(percent: float | None) -> dict[str, str] | None:
    """The background and text colours of a team table cell for a mean percent."""
    if percent is None:
        return None
    step = min(int(max(percent, 0.0) // SHADE_STEP), len(SHADES) - 1)
    background, text = SHADES[step]
    return {"background": background, "color": text}


def team_facets_context(framework: Framework, summary: FacetSummary) -> dict[str, Any] | None:
    """The team report's facet section: the theme x facet means, quadrant counts per theme,
    and per theme the most common limiting facet (ties all named)."""
    facets = framework.facets
    if facets is None:
        return None
    labels = {item.id: clean_text(item.label) for item in facets.items}
    themes = []
    for stats in summary.themes():
        cells = []
        for item, figures in zip(facets.items, stats.facets, strict=True):
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
                    "shade": shade(figures.mean),
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
    return {
        "columns": _columns(facets),
        "scale": _scale(facets),
        "threshold_text": f"{facets.threshold:g}%",
        "responses": summary.responses,
        "themes": themes,
        "shades": [
            {
                "range_text": f"{i * SHADE_STEP}% to "
                + (f"under {(i + 1) * SHADE_STEP}%" if i + 1 < len(SHADES) else "100%"),
                "background": background,
                "color": color,
            }
            for i, (background, color) in enumerate(SHADES)
        ],
    }
