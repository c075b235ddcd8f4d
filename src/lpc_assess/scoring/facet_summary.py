"""A team's facet statistics, streamed: a consumer of scored chunks (docs/facets.md).

Per theme and facet, `n`, mean and sample sd of the facet percents; per theme,
how many people are in each quadrant and how often each facet is the limiting
one (zeros included). Each theme's answers are counted as tuples (they repeat
a lot across a team), then folded into exact counts per facet and answer, so
memory depends on the facet scale, not on the number of responses.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from lpc_assess.model.framework import QUADRANTS
from lpc_assess.scoring.facets import score_theme_facets

if TYPE_CHECKING:
    from lpc_assess.model.framework import Facets, Framework
    from lpc_assess.scoring.scored import ScoredChunk

# Distinct answer tuples of one theme held before they are folded into the counts.
FOLD_LIMIT = 1 << 12


@dataclass
class FacetStats:
    """One facet of one theme across the team: percents' count, mean and sample sd."""

    id: str
    n: int
    mean: float | None
    sd: float | None

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "mean": self.mean, "sd": self.sd}


@dataclass
class ThemeFacetStats:
    """One theme's facet statistics: each facet's figures, quadrant and limiting counts."""

    id: str
    title: str
    facets: list[FacetStats]
    quadrants: dict[str, int]
    limiting: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            **{f.id: f.to_json() for f in self.facets},
            "quadrants": dict(self.quadrants),
            "limiting": dict(self.limiting),
        }


class _ThemeCounts:
    """Exact counts for one theme: per facet answer counts, quadrants, limiting facets."""

    def __init__(self, facets: Facets, theme_id: str, title: str) -> None:
        self.facets = facets
        self.theme_id = theme_id
        self.title = title
        self.pending: Counter[tuple[int | None, ...]] = Counter()
        self.values: list[Counter[int]] = [Counter() for _ in facets.items]
        self.quadrants: Counter[str] = Counter()
        self.limiting: Counter[str] = Counter()

    def fold(self) -> None:
        for values, count in self.pending.items():
            for counter, value in zip(self.values, values, strict=True):
                if value is not None:
                    counter[value] += count
            score = score_theme_facets(self.facets, self.theme_id, self.title, 1.0, values)
            if score.quadrant is not None:
                self.quadrants[score.quadrant] += count
            if score.limiting is not None:
                self.limiting[score.limiting] += count
        self.pending.clear()

    def stats(self) -> ThemeFacetStats:
        self.fold()
        low, high = self.facets.scale.min, self.facets.scale.max
        facets = []
        for item, counts in zip(self.facets.items, self.values, strict=True):
            n = sum(counts.values())
            mean = sd = None
            if n:
                percents = {v: Fraction(100 * (v - low), high - low) for v in counts}
                total = sum((percents[v] * c for v, c in counts.items()), Fraction(0))
                mean = float(total / n)
                if n >= 2:
                    squares = sum((percents[v] ** 2 * c for v, c in counts.items()), Fraction(0))
                    sd = _sqrt((n * squares - total**2) / (n * (n - 1)))
            facets.append(FacetStats(item.id, n, mean, sd))
        return ThemeFacetStats(
            id=self.theme_id,
            title=self.title,
            facets=facets,
            quadrants={q: self.quadrants.get(q, 0) for q in QUADRANTS},
            limiting={item.id: self.limiting.get(item.id, 0) for item in self.facets.items},
        )


def _sqrt(value: Fraction) -> float:
    """The square root of a non-negative Fraction, correctly rounded."""
    if value <= 0:
        return 0.0
    # Scaled so that the integer square root carries more than 53 significant bits.
    shift = max(0, 110 - (value.numerator.bit_length() - value.denominator.bit_length()))
    shift += shift % 2
    root = math.isqrt((value.numerator << shift) // value.denominator)
    return math.ldexp(float(root), -(shift // 2))


class FacetSummary:
    """The team's facet statistics: `add()` each chunk, `finish()`, then `themes()`/`to_json()`."""

    def __init__(self, framework: Framework) -> None:
        assert framework.facets is not None, "FacetSummary needs a framework with facets"
        self.framework = framework
        self.facets: Facets = framework.facets
        self.responses = 0  # responses with at least one facet answered
        self._themes = [_ThemeCounts(self.facets, t.id, t.title) for t in framework.themes]

    def add(self, chunk: ScoredChunk) -> None:
        rows = chunk.facets
        if rows is None:
            return
        for row in rows:
            if row is None:
                continue
            self.responses += 1
            for counts, values in zip(self._themes, row, strict=True):
                counts.pending[values] += 1
        for counts in self._themes:
            if len(counts.pending) > FOLD_LIMIT:
                counts.fold()

    def finish(self) -> None:
        for counts in self._themes:
            counts.fold()

    def merge(self, other: FacetSummary) -> None:
        """Add the counts of another part of the same responses (pipeline/halves.py)."""
        self.finish()
        other.finish()
        self.responses += other.responses
        for mine, theirs in zip(self._themes, other._themes, strict=True):
            for counter, more in zip(mine.values, theirs.values, strict=True):
                counter.update(more)
            mine.quadrants.update(theirs.quadrants)
            mine.limiting.update(theirs.limiting)

    def themes(self) -> list[ThemeFacetStats]:
        """Per-theme facet statistics, in framework order."""
        return [counts.stats() for counts in self._themes]

    def to_json(self) -> dict[str, Any]:
        """The summary's `facets` (docs/facets.md): per theme, per facet n/mean/sd, and
        quadrant and limiting counts."""
        return {"themes": {stats.id: stats.to_json() for stats in self.themes()}}
