"""Team statistics, streamed: per-indicator counts, theme means, sd, median and alpha.

`TeamSummary` takes chunks of scored responses. It counts identical theme
patterns (answers repeat a lot across a team) and folds those counts into exact
integer sums, from which mean, sd, an exact median and listwise Cronbach's alpha
follow, in memory that does not grow with the number of responses.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import compress, repeat
from operator import is_not, itemgetter, mul
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework, Indicator, Theme

from lpc_assess.scoring.compiled import (
    OverallCell,
    ThemeOutcome,
    ThemePattern,
    _keyed_of,
    _outcome_of,
    _total_of,
    _values_of,
)
from lpc_assess.scoring.scored import ScoredChunk

# Pending patterns are folded into the integer sums at this many distinct patterns.
FOLD_LIMIT = 1 << 14


@dataclass
class ThemeStats:
    """One theme's team statistics (docs/scoring.md); means are on the scale."""

    id: str
    title: str
    n: int
    mean: float | None
    sd: float | None
    median: float | None
    min: float | None
    max: float | None
    percent: float | None
    bands: dict[str, int]
    alpha: float | None
    alpha_n: int
    k: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "n": self.n,
            "mean": self.mean,
            "sd": self.sd,
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "percent": self.percent,
            "bands": dict(self.bands),
            "alpha": self.alpha,
            "alpha_n": self.alpha_n,
        }


@dataclass
class IndicatorStats:
    """One indicator's team statistics: answered count, mean keyed value, raw answer counts."""

    indicator: Indicator
    theme: Theme
    n: int
    mean: float | None
    percent: float | None  # the mean keyed value as a percent of the scale's range
    counts: dict[int, int]

    @property
    def id(self) -> str:
        return self.indicator.id

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "n": self.n,
            "mean": self.mean,
            "counts": {str(point): count for point, count in self.counts.items()},
        }


@dataclass
class _ThemeSums:
    """Exact running sums for one theme."""

    k: int
    means: Counter[float] = field(default_factory=Counter)
    bands: Counter[str] = field(default_factory=Counter)
    # Listwise sums of keyed values for Cronbach's alpha (exact integers).
    alpha_n: int = 0
    item_sum: list[int] = field(default_factory=list)
    item_squares: list[int] = field(default_factory=list)
    total_sum: int = 0
    total_squares: int = 0
    # Raw answer counts per indicator: value -> count.
    answer_counts: list[Counter[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.item_sum = [0] * self.k
        self.item_squares = [0] * self.k
        self.answer_counts = [Counter() for _ in range(self.k)]

    def merge(self, other: _ThemeSums) -> None:
        """Add another part's exact sums to these."""
        if other.k != self.k:
            raise ValueError(f"sums of {other.k} indicators added to sums of {self.k}")
        self.means.update(other.means)
        self.bands.update(other.bands)
        self.alpha_n += other.alpha_n
        _add_into(self.item_sum, other.item_sum)
        _add_into(self.item_squares, other.item_squares)
        self.total_sum += other.total_sum
        self.total_squares += other.total_squares
        for mine, theirs in zip(self.answer_counts, other.answer_counts, strict=True):
            mine.update(theirs)

    def fold(self, counts: Mapping[ThemePattern, int]) -> None:
        """Add `count` responses of each pattern to the sums.

        Distinct patterns can run into tens of thousands, so the work per
        pattern is kept small: one pass over the patterns for the outcome
        counts, one tally per indicator over its column of answers, and the
        listwise sums as C-level dot products per indicator.
        """
        patterns = list(counts)
        weights = list(counts.values())
        by_outcome: dict[ThemeOutcome, int] = {}
        for outcome, count in zip(map(_outcome_of, patterns), weights, strict=True):
            by_outcome[outcome] = by_outcome.get(outcome, 0) + count
        for outcome, count in by_outcome.items():
            if outcome.mean is not None:
                self.means[outcome.mean] += count
                self.bands[outcome.band_id] += count
        values = list(map(_values_of, patterns))
        odd = set(map(len, values)) - {self.k}
        if odd:  # scored with another framework
            raise ValueError(f"patterns of {sorted(odd)} answers in a theme of {self.k} indicators")
        for i, counter in enumerate(self.answer_counts):
            tally: dict[int | None, int] = {}
            for value, count in zip(map(itemgetter(i), values), weights, strict=True):
                tally[value] = tally.get(value, 0) + count  # None (unanswered) too
            counter.update({v: n for v, n in tally.items() if v is not None})
        listed = list(map(is_not, map(_total_of, patterns), repeat(None)))
        listwise = list(compress(patterns, listed))
        if not listwise:
            return
        weights = list(compress(weights, listed))
        self.alpha_n += sum(weights)
        for i in range(self.k):
            keyed = list(map(itemgetter(i), map(_keyed_of, listwise)))
            weighted = list(map(mul, weights, keyed))
            self.item_sum[i] += sum(weighted)
            self.item_squares[i] += sum(map(mul, weighted, keyed))
        totals = list(map(_total_of, listwise))
        weighted = list(map(mul, weights, totals))
        self.total_sum += sum(weighted)
        self.total_squares += sum(map(mul, weighted, totals))


def _add_into(mine: list[int], theirs: Sequence[int]) -> None:
    for i, value in enumerate(theirs):
        mine[i] += value


def sample_variance(n: int, total: int | Fraction, squares: int | Fraction) -> Fraction:
    """Exact sample variance from n, Σx and Σx² (n >= 2)."""
    return (n * Fraction(squares) - Fraction(total) ** 2) / (n * (n - 1))


def cronbach_alpha(
    k: int,
    n: int,
    item_sums: Sequence[int],
    item_squares: Sequence[int],
    total_sum: int,
    total_squares: int,
) -> float | None:
    """`k/(k-1) * (1 - Σ var(item) / var(total))` from exact sums; None when undefined.

    Undefined when k < 2, n < 3, or the totals do not vary.
    """
    if k < 2 or n < 3:
        return None
    total_var = sample_variance(n, total_sum, total_squares)
    if total_var == 0:
        return None
    item_var = sum(
        (sample_variance(n, s, q) for s, q in zip(item_sums, item_squares, strict=True)),
        Fraction(0),  # pragma: no mutate (equivalent: 0 + Fraction is a Fraction)
    )
    return float(Fraction(k, k - 1) * (1 - item_var / total_var))


def _sqrt_fraction(value: Fraction) -> float:
    """Square root of a non-negative Fraction, correctly rounded (as `statistics` does)."""
    if value == 0:
        return 0.0
    # Scale so that the integer square root carries 55 or 56 significant bits.
    bits = value.numerator.bit_length() - value.denominator.bit_length()  # log2(value), ±1
    shift = max(0, 110 - bits)  # pragma: no mutate (equivalent: 1 or 2 bits more are as good)
    shift += shift % 2  # pragma: no mutate (equivalent: 1 bit less still leaves 55)
    scaled, rest = divmod(value.numerator << shift, value.denominator)
    root = math.isqrt(scaled)
    # Round to odd: an inexact root keeps its last bit set, so that turning its 55+ bits
    # into a float's 53 never meets a false tie (without it, about 1 root in 12 was 1 ulp off).
    root |= bool(rest or root * root != scaled)
    return math.ldexp(float(root), -(shift // 2))


class TeamSummary:
    """Team statistics, one scored response at a time, in memory bounded by the framework.

    `add()` each `ScoredResponse`; read `themes()`, `indicators()` or
    `to_json()` at any point. `rejected`, `errors` and `subjects` are filled
    by the batch (errors and 360 subjects are not statistics of responses).
    """

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.responses = 0
        self.rejected = 0
        self.errors: list[dict[str, Any]] = []
        self.errors_omitted = 0
        # Responses whose overall score leaves out a theme without enough answers.
        self.overall_incomplete = 0
        # Per input, the columns that were not read: {"source", "columns"} (docs/commands.md).
        self.ignored_columns: list[dict[str, Any]] = []
        # One entry per 360 subject, as docs/360-feedback.md shows; filled by the 360 step.
        self.subjects: list[dict[str, Any]] = []
        # The facet statistics (scoring/facet_summary.py), filled by the batch; None without.
        self.facets: dict[str, Any] | None = None
        self._sums = [_ThemeSums(len(t.indicators)) for t in framework.themes]
        self._counts: list[Counter[ThemePattern]] = [Counter() for _ in framework.themes]
        # Overall cells counted by identity, then folded into exact sums.
        self._overall_counts: Counter[OverallCell] = Counter()
        self._overall_n = 0
        self._overall_bands: Counter[str] = Counter()
        # The exact sum of the overall percents: each is a float, a whole number over a power
        # of two, so numerators times counts are summed per denominator (few), exactly.
        self._overall_parts: dict[int, int] = {}

    def add(self, chunk: ScoredChunk) -> None:
        """Count every response of a chunk (at C speed: a Counter per column)."""
        self.responses += len(chunk)
        for counter, column in zip(self._counts, chunk.patterns, strict=True):
            counter.update(column)
        self._overall_counts.update(chunk.overall.cells)
        # Overall scores from only some themes (a theme with too few answers): said in the
        # report, since the team's overall mean then mixes scores over different themes.
        self.overall_incomplete += chunk.overall.incomplete
        self._fold_large()

    def finish(self) -> None:
        """Fold what is still counted into the exact sums."""
        self._settle()

    def merge(self, other: TeamSummary) -> None:
        """Add the statistics of another part of the same responses (pipeline/halves.py):
        the same numbers as if this summary had been given its chunks too."""
        self._settle()
        other._settle()
        self.responses += other.responses
        self.rejected += other.rejected
        self.overall_incomplete += other.overall_incomplete
        for mine, theirs in zip(self._sums, other._sums, strict=True):
            mine.merge(theirs)
        self._overall_n += other._overall_n
        self._overall_bands.update(other._overall_bands)
        parts = self._overall_parts
        for denominator, numerator in other._overall_parts.items():
            parts[denominator] = parts.get(denominator, 0) + numerator

    def _fold_large(self) -> None:
        # Identical patterns are shared objects, so these counters stay small unless
        # answers hardly ever repeat; then they are folded into the sums early.
        # No mutation testing here: both lists are made from the framework's themes (same
        # length), and folding one pattern sooner or later gives the same sums.
        for sums, counter in zip(self._sums, self._counts, strict=True):  # pragma: no mutate
            if len(counter) > FOLD_LIMIT:  # pragma: no mutate
                self._fold(sums, counter)
        if len(self._overall_counts) > FOLD_LIMIT:  # pragma: no mutate
            self._fold_overall()

    @staticmethod
    def _fold(sums: _ThemeSums, counter: Counter[ThemePattern]) -> None:
        sums.fold(counter)
        counter.clear()

    def _fold_overall(self) -> None:
        parts = self._overall_parts
        for cell, count in self._overall_counts.items():
            if cell.percent is not None:
                self._overall_n += count
                numerator, denominator = cell.percent.as_integer_ratio()
                parts[denominator] = parts.get(denominator, 0) + numerator * count
                if cell.band is not None:
                    self._overall_bands[cell.band.id] += count
        self._overall_counts.clear()

    def _settle(self) -> None:
        # (no mutate: both lists are made from the framework's themes, so strict= is moot)
        for sums, counter in zip(self._sums, self._counts, strict=True):  # pragma: no mutate
            self._fold(sums, counter)
        self._fold_overall()

    @property
    def overall_percent(self) -> float | None:
        """Mean overall percent of the responses with an overall score."""
        self._settle()
        if not self._overall_n:
            return None
        parts = (Fraction(n, d) for d, n in self._overall_parts.items())
        # exact, so the mean is correctly rounded
        total = sum(parts, Fraction(0))  # pragma: no mutate (0 + Fraction is the same)
        return float(total / self._overall_n)

    @property
    def overall_n(self) -> int:
        """How many responses have an overall score."""
        self._settle()
        return self._overall_n

    @property
    def overall_bands(self) -> Counter[str]:
        """Band id -> how many responses have their overall score in it."""
        self._settle()
        return self._overall_bands

    def themes(self) -> list[ThemeStats]:
        """Per-theme statistics in framework order."""
        self._settle()
        low, high = self.framework.scale.min, self.framework.scale.max
        out = []
        # (no mutate: the sums are made from the framework's themes, so strict= is moot)
        for theme, sums in zip(self.framework.themes, self._sums, strict=True):  # pragma: no mutate
            n = sum(sums.means.values())
            mean = sd = median = lowest = highest = percent = None
            if n:
                weighted = (Fraction(m) * c for m, c in sums.means.items())
                # (no mutate: without the start value, 0 + Fraction is the same Fraction)
                exact = sum(weighted, Fraction(0))  # pragma: no mutate
                exact /= n
                mean = float(exact)
                percent = float(100 * (exact - low) / (high - low))
                lowest, highest = min(sums.means), max(sums.means)
                median = _median(sums.means, n)
                if n >= 2:
                    squares = sum(
                        (Fraction(m) ** 2 * c for m, c in sums.means.items()),
                        Fraction(0),  # pragma: no mutate (equivalent: 0 + Fraction is a Fraction)
                    )
                    sd = _sqrt_fraction(sample_variance(n, exact * n, squares))
            alpha = cronbach_alpha(
                sums.k,
                sums.alpha_n,
                sums.item_sum,
                sums.item_squares,
                sums.total_sum,
                sums.total_squares,
            )
            out.append(
                ThemeStats(
                    id=theme.id,
                    title=theme.title,
                    n=n,
                    mean=mean,
                    sd=sd,
                    median=median,
                    min=lowest,
                    max=highest,
                    percent=percent,
                    bands={band.id: sums.bands.get(band.id, 0) for band in self.framework.bands},
                    alpha=alpha,
                    alpha_n=sums.alpha_n,
                    k=sums.k,
                )
            )
        return out

    def indicators(self) -> list[IndicatorStats]:
        """Per-indicator statistics in framework order."""
        self._settle()
        low, high = self.framework.scale.min, self.framework.scale.max
        out = []
        # (no mutate: the sums and their counts are made from the framework, so strict= is moot)
        for theme, sums in zip(self.framework.themes, self._sums, strict=True):  # pragma: no mutate
            counted = zip(theme.indicators, sums.answer_counts, strict=True)  # pragma: no mutate
            for indicator, counts in counted:
                n = sum(counts.values())
                mean = percent = None
                if n:
                    keyed = sum(
                        (
                            (low + high - v if indicator.reverse else v) * c
                            for v, c in counts.items()
                        ),
                        0,  # pragma: no mutate (equivalent: sum starts at 0 anyway)
                    )
                    mean = keyed / n
                    percent = float(100 * (Fraction(keyed, n) - low) / (high - low))
                out.append(
                    IndicatorStats(
                        indicator=indicator,
                        theme=theme,
                        n=n,
                        mean=mean,
                        percent=percent,
                        counts={point: counts.get(point, 0) for point in range(low, high + 1)},
                    )
                )
        return out

    def to_json(self) -> dict[str, Any]:
        """The `batch --summary` document of docs/scoring.md."""
        data: dict[str, Any] = {
            "framework": {"id": self.framework.id, "version": self.framework.version},
            "responses": self.responses,
            "rejected": self.rejected,
            "themes": [stats.to_json() for stats in self.themes()],
            "indicators": [stats.to_json() for stats in self.indicators()],
            "facets": self.facets,
            "subjects": list(self.subjects),
            "errors": list(self.errors),
            "ignored_columns": list(self.ignored_columns),
        }
        if self.errors_omitted:
            data["errors_omitted"] = self.errors_omitted
        return data


def _median(counts: Mapping[float, int], n: int) -> float:
    """The exact median of values given as value -> count (as `statistics.median`)."""
    ordered = sorted(counts.items())
    # the index of the lower middle value
    below = (n - 1) // 2  # pragma: no mutate (`/` gives k + 0.5 for even n: at() reads it as k)

    def at(index: int) -> float:
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        raise IndexError(index)  # pragma: no cover, no mutate - index < n always

    if n % 2:
        return at(below)
    return (at(below) + at(below + 1)) / 2
