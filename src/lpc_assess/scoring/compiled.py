"""A team's responses, streamed: compiled scoring and the team statistics of docs/scoring.md.

Two ideas, both built for a million responses in constant memory:

* `CompiledScorer` scores a response theme by theme through memo tables. A
  theme's answers (a tuple of raw values) map to a shared `ThemePattern`, whose
  numbers follow `scoring.score_theme` formula for formula, so a compiled score
  is the reference score bit for bit; an overall percent maps to a shared
  `OverallCell` (with its band). The tables are capped,
  so memory stays flat.
* `TeamSummary` takes scored responses one at a time. It counts identical
  patterns (answers repeat a lot across a team), and folds those counts into
  exact integer sums: per-indicator counts, listwise Cronbach's alpha, and a
  counter of theme means from which mean, sd and an exact median follow.
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_right
from collections.abc import Callable, Hashable, Mapping, Sequence
from itertools import compress, repeat
from operator import attrgetter, contains, getitem, is_, truediv
from typing import TYPE_CHECKING, TypeVar

from lpc_assess.scoring.person import _BAND_DIGITS as BAND_DIGITS
from lpc_assess.scoring.person import percent_of

if TYPE_CHECKING:
    from lpc_assess.model.framework import Band, Framework, Theme


# Memo tables stop growing here; beyond it responses are scored directly (same numbers).
MEMO_LIMIT = 1 << 14


class ThemeOutcome:
    """A theme score that many responses share: mean, percent and band (None if unscored).

    One object per distinct mean of a theme, so that it can be counted by identity.
    """

    __slots__ = (
        "mean",
        "percent",
        "band",
        "band_id",
        "weighted",
    )

    def __init__(
        self, mean: float | None, percent: float | None, band: Band | None, weight: float
    ) -> None:
        self.mean = mean
        self.percent = percent
        self.band = band
        self.band_id = band.id if band is not None else ""
        # The term of the overall score: weight x percent (an exact 0.0 when not scored).
        self.weighted = 0.0 if percent is None else weight * percent


class ThemePattern:
    """One theme's answers, as many responses give them: values, keyed values and outcome.

    `values` and `keyed` follow the theme's indicator order; None is unanswered.
    `total` is the sum of keyed values when every indicator is answered (the
    listwise case that Cronbach's alpha uses), else None. `scored` says whether
    the theme has a score; `term` is the outcome's term of the overall score,
    weight x percent, or NaN when the theme is not scored (so that a sum with it
    is NaN): both copied so that a column of patterns is read at C speed
    without a step through `outcome`.
    """

    __slots__ = (
        "values",
        "keyed",
        "answered",
        "total",
        "outcome",
        "scored",
        "term",
    )

    def __init__(
        self,
        values: tuple[int | None, ...],
        keyed: tuple[int | None, ...],
        answered: int,
        total: int | None,
        outcome: ThemeOutcome,
    ) -> None:
        self.values = values
        self.keyed = keyed
        self.answered = answered
        self.total = total
        self.outcome = outcome
        self.scored = outcome.percent is not None
        self.term = outcome.weighted if self.scored else math.nan


class OverallCell:
    """An overall percent (None: no theme scored) and its band.

    Many responses share an overall percent (theme means are few), so one
    object per distinct percent is enough, and it can be counted by identity.
    """

    __slots__ = ("percent", "band", "band_id")

    def __init__(self, percent: float | None, band: Band | None) -> None:
        self.percent = percent
        self.band = band
        self.band_id = band.id if band else ""


class OverallOutcome(OverallCell):
    """The overall score of a combination of theme outcomes."""

    __slots__ = ("themes",)

    def __init__(
        self, themes: tuple[ThemeOutcome, ...], percent: float | None, band: Band | None
    ) -> None:
        super().__init__(percent, band)
        self.themes = themes

    @property
    def complete(self) -> bool:
        return all(o.percent is not None for o in self.themes)


_outcome_of = attrgetter("outcome")


_values_of = attrgetter("values")


_term_of = attrgetter("term")


_percent_of = attrgetter("percent")


_scored_of = attrgetter("scored")


_band_id_of = attrgetter("band_id")


_keyed_of = attrgetter("keyed")


_total_of = attrgetter("total")


class OverallColumns:
    """The overall scores of many responses, column-wise: one shared `OverallCell` each.

    `patterns` holds one column per theme; `percents`, `band_ids` and
    `incomplete` are worked out when asked for (`incomplete` may be given by
    whoever made the cells and already knows it).
    """

    __slots__ = ("cells", "patterns", "_incomplete")

    def __init__(
        self,
        cells: list[OverallCell],
        patterns: Sequence[Sequence[ThemePattern]],
        incomplete: int | None = None,
    ) -> None:
        self.cells = cells
        self.patterns = patterns
        self._incomplete = incomplete

    @property
    def percents(self) -> list[float | None]:
        return list(map(_percent_of, self.cells))

    @property
    def band_ids(self) -> list[str]:
        """Band ids; "" where there is no overall score."""
        return list(map(_band_id_of, self.cells))

    @property
    def incomplete(self) -> int:
        """How many responses have an overall score that leaves out a theme (one with
        too few answers to be scored)."""
        if self._incomplete is None:
            scored = [map(_scored_of, column) for column in self.patterns]
            gaps = sum(map(contains, zip(*scored, strict=True), repeat(False)))
            self._incomplete = gaps - self.percents.count(None)
        return self._incomplete


K = TypeVar("K", bound=Hashable)


V = TypeVar("V")


class Memo(dict[K, V]):
    """A dictionary that makes a missing value with `make(key)` and keeps up to `limit`.

    `memo[key]` (and so `map(memo.__getitem__, keys)`) never raises KeyError,
    which lets whole columns of keys be looked up at C speed.
    """

    def __init__(self, make: Callable[[K], V], limit: int | None = None) -> None:
        super().__init__()
        self.make = make
        self.limit = MEMO_LIMIT if limit is None else limit

    def __missing__(self, key: K) -> V:
        value = self.make(key)
        if len(self) < self.limit:
            self[key] = value
        return value


# Stands, in a column of overall cells, for a response with an unscored theme.
_PARTIAL = OverallCell(None, None)


class _Cells(Memo[float | None, OverallCell]):
    """Overall percent -> its shared cell; NaN (a sum with an unscored theme's term) ->
    `_PARTIAL`, never kept (each NaN is a key of its own)."""

    def __missing__(self, key: float | None) -> OverallCell:
        if key != key:
            return _PARTIAL
        return super().__missing__(key)


class CompiledScorer:
    """Scores responses for one framework through capped memo tables.

    The numbers are `scoring.score_response`'s, bit for bit: the same
    formulas in the same order (`math.fsum`), `scoring.percent_of` itself,
    and `band_for`'s rule (tests/unit/scoring/test_team.py checks all of it on random answers).
    """

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.themes: list[Theme] = list(framework.themes)
        self.theme_ids: list[list[str]] = [[i.id for i in t.indicators] for t in self.themes]
        self.low, self.high = framework.scale.min, framework.scale.max
        self._reverse = [[i.reverse for i in t.indicators] for t in self.themes]
        self._weights = [[i.weight for i in t.indicators] for t in self.themes]
        self._unit_weights = [all(w == 1.0 for w in ws) for ws in self._weights]
        self._any_reverse = [any(r) for r in self._reverse]
        # Per indicator, answer -> keyed value (None stays None): min + max - v when reverse.
        span = self.low + self.high
        points: list[int | None] = [None, *range(self.low, self.high + 1)]
        self._keying = [
            [{v: (span - v if rev and v is not None else v) for v in points} for rev in reverse]
            for reverse in self._reverse
        ]
        self._theme_weights = [t.weight for t in self.themes]
        self._all_weights = math.fsum(self._theme_weights)
        self._bands = list(framework.bands)
        self._band_starts = [b.from_ for b in framework.bands]
        # bisect_right(starts, p) - 1 is the band; so index this with bisect_right itself.
        self._min_answered = [framework.min_answered(t) for t in self.themes]
        # Raw values of one theme -> its pattern; theme mean -> outcome; outcomes -> overall.
        self._outcomes: list[Memo[float | None, ThemeOutcome]] = [
            Memo(functools.partial(self._make_outcome, t)) for t in range(len(self.themes))
        ]
        self.patterns: list[Memo[tuple[int | None, ...], ThemePattern]] = [
            Memo(self._pattern_maker(t)) for t in range(len(self.themes))
        ]
        self.overalls: Memo[tuple[ThemeOutcome, ...], OverallOutcome] = Memo(self._make_overall)
        # Overall percent -> its shared cell (percents repeat: theme means are few).
        self.cells: Memo[float | None, OverallCell] = _Cells(self._make_cell)

    def pattern(self, theme_index: int, values: tuple[int | None, ...]) -> ThemePattern:
        """The shared pattern for raw `values` (on the scale, or None) of one theme."""
        return self.patterns[theme_index][values]

    def _pattern_maker(self, theme_index: int) -> Callable[[tuple[int | None, ...]], ThemePattern]:
        """What makes one theme's pattern from its raw values, with the theme's constants
        bound once: tens of thousands of distinct patterns are made in a large batch."""
        keying = self._keying[theme_index]
        reverse = self._any_reverse[theme_index]
        min_answered = self._min_answered[theme_index]
        unit_weights = self._unit_weights[theme_index]
        weights = self._weights[theme_index]
        outcomes = self._outcomes[theme_index]

        def make(values: tuple[int | None, ...]) -> ThemePattern:
            keyed = tuple(map(getitem, keying, values)) if reverse else values
            total = len(values)
            missing = keyed.count(None)
            listwise = None
            if missing:
                answered_values = [k for k in keyed if k is not None]
            else:
                answered_values = keyed  # type: ignore[assignment]
                listwise = sum(answered_values)
            answered = total - missing
            mean = None
            # As scoring.score_theme: the weighted mean of the answered keyed values, if enough.
            if answered and answered / total >= min_answered:
                if unit_weights:
                    # fsum of 1.0 * k is the exact integer sum, so this is the same float.
                    mean = sum(answered_values) / answered
                else:
                    weighted = [
                        (w, k) for w, k in zip(weights, keyed, strict=True) if k is not None
                    ]
                    mean = math.fsum(w * k for w, k in weighted) / math.fsum(w for w, _ in weighted)
            return ThemePattern(values, keyed, answered, listwise, outcomes[mean])

        return make

    def _make_outcome(self, theme_index: int, mean: float | None) -> ThemeOutcome:
        percent = None if mean is None else percent_of(self.framework, mean)
        return ThemeOutcome(mean, percent, self.band(percent), self._theme_weights[theme_index])

    def band(self, percent: float | None) -> Band | None:
        """As `scoring.band_for` (bands ascend, boundaries after rounding away float noise)."""
        if percent is None:
            return None
        at = bisect_right(self._band_starts, round(percent, BAND_DIGITS)) - 1
        return self._bands[at] if at >= 0 else None

    def overall(self, patterns: Sequence[ThemePattern]) -> OverallOutcome:
        """The overall outcome of one response's theme patterns (in framework order)."""
        return self.overalls[tuple(map(_outcome_of, patterns))]

    def _make_overall(self, key: tuple[ThemeOutcome, ...]) -> OverallOutcome:
        # As scoring.overall_percent: theme-weighted mean of the scored themes' percents.
        terms = [o.weighted for o in key if o.percent is not None]
        percent = None
        if len(terms) == len(key):
            percent = math.fsum(terms) / self._all_weights
        elif terms:
            weights = [
                w for w, o in zip(self._theme_weights, key, strict=True) if o.percent is not None
            ]
            percent = math.fsum(terms) / math.fsum(weights)
        return OverallOutcome(key, percent, self.band(percent))

    def _make_cell(self, percent: float | None) -> OverallCell:
        return OverallCell(percent, self.band(percent))

    def overall_columns(self, patterns: Sequence[Sequence[ThemePattern]]) -> OverallColumns:
        """The overall scores of many responses at once (`patterns`: one column per theme).

        Each step maps a C function over a column, so there is no Python code
        per response: the same `math.fsum` of the same terms as
        `_make_overall`, divided by the sum of the theme weights, and the
        percent then finds its shared cell (with its band) in a memo
        table. That is right for a response whose every theme is scored; the
        others, whose sum is NaN (an unscored theme's term is NaN), are then
        redone one by one through `overall()`.
        """
        sums = map(math.fsum, zip(*[map(_term_of, c) for c in patterns], strict=True))
        cells: list[OverallCell] = list(
            map(self.cells.__getitem__, map(truediv, sums, repeat(self._all_weights)))
        )
        incomplete = 0
        if _PARTIAL in cells:  # the few others, one by one (a memo of theme outcomes)
            for at in compress(range(len(cells)), map(is_, cells, repeat(_PARTIAL))):
                cells[at] = cell = self.overall([column[at] for column in patterns])
                incomplete += cell.percent is not None  # some themes scored, not all
        return OverallColumns(cells, patterns, incomplete)

    def score_answers(
        self, answers: Mapping[str, int | None]
    ) -> tuple[tuple[ThemePattern, ...], OverallOutcome]:
        """Patterns and overall outcome of an answers mapping (indicator id -> value)."""
        patterns = tuple(
            self.pattern(t, tuple(answers.get(i) for i in ids))
            for t, ids in enumerate(self.theme_ids)
        )
        return patterns, self.overall(patterns)
