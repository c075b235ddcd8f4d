"""Facet scores of one response: percents, ability and willingness, quadrant, limiting facet.

Exactly docs/facets.md. Pure numbers: nothing here reads files or prints.

For each theme, every facet answer becomes a percent of the facet scale;
`ability` and `willingness` are the means of the answered percents on each
side; the quadrant crosses the two sides at the framework's threshold
(inclusive); the limiting facet is the answered facet with the lowest percent
(the first in the framework's order on a tie), unless every answered facet is
at the top of the scale. Overall, each facet's percents are averaged over the
themes where it is answered, weighted as the themes are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lpc_assess.model.framework import Facets, Framework

# Percents are compared with the threshold after rounding away float noise, as bands are
# (scoring/person.py): a mean of 50.00000000000001 or 49.99999999999999 is 50.
_DIGITS = 9

# One response's facet answers as numbers: per theme (framework order) a tuple of values
# in the facets' order, None where unanswered or skipped; None when nothing is answered.
FacetRow = tuple[tuple[int | None, ...], ...]


@dataclass(frozen=True)
class ThemeFacetScore:
    """One theme's facet figures (docs/facets.md)."""

    id: str
    title: str
    weight: float
    values: tuple[int | None, ...]  # answers in the facets' order; None unanswered
    percents: dict[str, float | None]  # facet id -> percent, in the facets' order
    ability: float | None
    willingness: float | None
    quadrant: str | None
    limiting: str | None

    @property
    def answered(self) -> bool:
        return any(v is not None for v in self.values)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.percents,
            "ability": self.ability,
            "willingness": self.willingness,
            "quadrant": self.quadrant,
            "limiting": self.limiting,
        }


@dataclass(frozen=True)
class FacetScore:
    """Every theme's facet figures, and each facet's overall percent."""

    themes: list[ThemeFacetScore]
    overall: dict[str, float | None]

    def theme(self, theme_id: str) -> ThemeFacetScore:
        return next(t for t in self.themes if t.id == theme_id)

    def to_json(self) -> dict[str, Any]:
        """The `facets` of `report --format json`: numbers unrounded, nulls where unanswered."""
        return {
            "themes": {t.id: t.to_json() for t in self.themes},
            "overall": dict(self.overall),
        }


def facet_percent(facets: Facets, value: int) -> float:
    """`100 · (v − min) / (max − min)` on the facet scale."""
    low, high = facets.scale.min, facets.scale.max
    return 100.0 * (value - low) / (high - low)


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def quadrant_for(ability: float | None, willingness: float | None, threshold: float) -> str | None:
    """delegate, guide, excite or direct; None unless both sides are scored.

    A side is high when its percent is at or above the threshold.
    """
    if ability is None or willingness is None:
        return None
    able = round(ability, _DIGITS) >= threshold
    willing = round(willingness, _DIGITS) >= threshold
    if able:
        return "delegate" if willing else "excite"
    return "guide" if willing else "direct"


def limiting_facet(facets: Facets, values: Sequence[int | None]) -> str | None:
    """The answered facet with the lowest answer (the first on a tie); None when none is
    answered or every answered facet is at the top of the facet scale."""
    answered = [(v, item.id) for item, v in zip(facets.items, values, strict=True) if v is not None]
    if not answered or all(v == facets.scale.max for v, _ in answered):
        return None
    lowest = min(v for v, _ in answered)
    return next(facet_id for v, facet_id in answered if v == lowest)


def score_theme_facets(
    facets: Facets, theme_id: str, title: str, weight: float, values: Sequence[int | None]
) -> ThemeFacetScore:
    """One theme's figures from its facet answers (in the facets' order; None unanswered)."""
    percents = {
        item.id: None if v is None else facet_percent(facets, v)
        for item, v in zip(facets.items, values, strict=True)
    }
    sides: dict[str, list[float]] = {"ability": [], "willingness": []}
    for item in facets.items:
        percent = percents[item.id]
        if percent is not None:
            sides[item.side].append(percent)
    ability, willingness = _mean(sides["ability"]), _mean(sides["willingness"])
    return ThemeFacetScore(
        id=theme_id,
        title=title,
        weight=weight,
        values=tuple(values),
        percents=percents,
        ability=ability,
        willingness=willingness,
        quadrant=quadrant_for(ability, willingness, facets.threshold),
        limiting=limiting_facet(facets, values),
    )


def overall_facets(facets: Facets, themes: Sequence[ThemeFacetScore]) -> dict[str, float | None]:
    """Per facet, the theme-weighted mean of its percents over the themes where it is answered."""
    out: dict[str, float | None] = {}
    for item in facets.items:
        terms = [(t.weight, t.percents[item.id]) for t in themes if t.percents[item.id] is not None]
        if not terms:
            out[item.id] = None
            continue
        total = math.fsum(w * p for w, p in terms if p is not None)
        out[item.id] = total / math.fsum(w for w, _ in terms)
    return out


def facet_row(
    framework: Framework, answers: Mapping[str, Mapping[str, int | None]]
) -> FacetRow | None:
    """An answers file's `facets` as a `FacetRow`; None when the framework has no facets or
    nothing is answered."""
    facets = framework.facets
    if facets is None or not answers:
        return None
    row = tuple(
        tuple(answers.get(theme.id, {}).get(item.id) for item in facets.items)
        for theme in framework.themes
    )
    return row if any(v is not None for values in row for v in values) else None


def facet_answers(framework: Framework, row: FacetRow | None) -> dict[str, dict[str, int | None]]:
    """A `FacetRow` back as answers-file `facets` (answered values only)."""
    facets = framework.facets
    if facets is None or row is None:
        return {}
    out: dict[str, dict[str, int | None]] = {}
    for theme, values in zip(framework.themes, row, strict=True):
        answered: dict[str, int | None] = {
            item.id: v for item, v in zip(facets.items, values, strict=True) if v is not None
        }
        if answered:
            out[theme.id] = answered
    return out


def score_facets(
    framework: Framework, answers: Mapping[str, Mapping[str, int | None]]
) -> FacetScore | None:
    """Every theme's facet figures for one response; None when the framework has no facets.

    `answers` is theme id -> facet id -> answer (None or absent: unanswered).
    """
    facets = framework.facets
    if facets is None:
        return None
    themes = [
        score_theme_facets(
            facets,
            theme.id,
            theme.title,
            theme.weight,
            [answers.get(theme.id, {}).get(item.id) for item in facets.items],
        )
        for theme in framework.themes
    ]
    return FacetScore(themes, overall_facets(facets, themes))


def facets_json(
    framework: Framework, answers: Mapping[str, Mapping[str, int | None]]
) -> dict[str, Any] | None:
    """The `facets` of `report --format json` (null when the framework has none)."""
    score = score_facets(framework, answers)
    return None if score is None else score.to_json()
