"""Scoring one response: pure functions from a framework and answers to numbers.

Exactly docs/scoring.md. Nothing here reads files or prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lpc_assess.model.framework import Band, Framework, Indicator, Theme

MAX_LISTED = 3
# Percents are compared with band boundaries after rounding away float noise,
# so that a mean of exactly 4 on a 1-5 scale (75 %) is in a band from 75.
_BAND_DIGITS = 9


def keyed_value(framework: Framework, indicator: Indicator, value: int) -> int:
    """`v`, or `min + max - v` for a reverse-keyed indicator."""
    if indicator.reverse:
        return framework.scale.min + framework.scale.max - value
    return value


def percent_of(framework: Framework, mean: float) -> float:
    """A mean on the scale as a percent of the scale's range."""
    low, high = framework.scale.min, framework.scale.max
    return 100.0 * (mean - low) / (high - low)


def band_for(bands: Sequence[Band], percent: float | None) -> Band | None:
    """The last band whose `from` is at or below `percent` (inclusive)."""
    if percent is None:
        return None
    p = round(percent, _BAND_DIGITS)
    chosen = None
    for band in bands:
        if band.from_ <= p:
            chosen = band
    return chosen


@dataclass(frozen=True)
class ThemeScore:
    id: str
    title: str
    answered: int
    total: int
    mean: float | None
    percent: float | None
    band: Band | None
    weight: float = 1.0

    @property
    def scored(self) -> bool:
        return self.percent is not None


@dataclass(frozen=True)
class ItemScore:
    """An answered indicator: its raw answer and its keyed value."""

    id: str
    answer: int
    value: int
    indicator: Indicator
    theme: Theme


@dataclass(frozen=True)
class ResponseScore:
    themes: list[ThemeScore]
    overall_percent: float | None
    overall_band: Band | None
    complete: bool
    strengths: list[ItemScore] = field(default_factory=list)
    priorities: list[ItemScore] = field(default_factory=list)
    items: list[ItemScore] = field(default_factory=list)

    def theme(self, theme_id: str) -> ThemeScore:
        return next(t for t in self.themes if t.id == theme_id)


def score_theme(
    framework: Framework, theme: Theme, answers: Mapping[str, int | None]
) -> ThemeScore:
    """One theme's score: weighted mean of keyed values if enough indicators are answered."""
    total = len(theme.indicators)
    weighted = []
    for indicator in theme.indicators:
        value = answers.get(indicator.id)
        if value is not None:
            weighted.append((indicator.weight, keyed_value(framework, indicator, value)))
    answered = len(weighted)
    if total == 0 or answered == 0 or answered / total < framework.min_answered(theme):
        return ThemeScore(theme.id, theme.title, answered, total, None, None, None, theme.weight)
    mean = math.fsum(w * k for w, k in weighted) / math.fsum(w for w, _ in weighted)
    percent = percent_of(framework, mean)
    return ThemeScore(
        theme.id,
        theme.title,
        answered,
        total,
        mean,
        percent,
        band_for(framework.bands, percent),
        theme.weight,
    )


def overall_percent(themes: Sequence[ThemeScore]) -> float | None:
    """Theme-weighted mean of the scored themes' percents; None when none is scored."""
    scored = [(t.weight, t.percent) for t in themes if t.percent is not None]
    if not scored:
        return None
    return math.fsum(w * p for w, p in scored) / math.fsum(w for w, _ in scored)


def score_response(framework: Framework, answers: Mapping[str, int | None]) -> ResponseScore:
    """Score a response (indicator id -> answer; None or absent = not answered)."""
    themes = [score_theme(framework, theme, answers) for theme in framework.themes]
    overall = overall_percent(themes)
    items = [
        ItemScore(indicator.id, answer, keyed_value(framework, indicator, answer), indicator, theme)
        for theme in framework.themes
        for indicator in theme.indicators
        if (answer := answers.get(indicator.id)) is not None
    ]
    low, high = framework.scale.min, framework.scale.max
    # sorted() is stable: equal values keep framework order, which breaks ties.
    strengths = sorted((i for i in items if i.value != low), key=lambda i: -i.value)[:MAX_LISTED]
    priorities = sorted((i for i in items if i.value != high), key=lambda i: i.value)[:MAX_LISTED]
    return ResponseScore(
        themes=themes,
        overall_percent=overall,
        overall_band=band_for(framework.bands, overall),
        complete=all(t.scored for t in themes),
        strengths=strengths,
        priorities=priorities,
        items=items,
    )


def compare_scores(current: ResponseScore, earlier: ResponseScore) -> dict[str, float | None]:
    """Change in each theme's percent (percentage points); None where either side is unscored."""
    before = {t.id: t.percent for t in earlier.themes}
    out: dict[str, float | None] = {}
    for theme in current.themes:
        old = before.get(theme.id)
        out[theme.id] = None if theme.percent is None or old is None else theme.percent - old
    return out
