"""A team's responses, streamed: compiled scoring and the team statistics of PRODUCT.md §5.

Two ideas, both built for a million responses in constant memory:

* `CompiledScorer` scores a response theme by theme through memo tables. A
  theme's answers (a tuple of raw values) map to a shared `ThemePattern`, whose
  numbers come from `scoring.score_theme` itself, so a compiled score is the
  reference score by construction; the tables are capped, so memory stays flat.
* `TeamSummary` takes scored responses one at a time. It counts identical
  patterns (answers repeat a lot across a team), and folds those counts into
  exact integer sums: per-indicator counts, listwise Cronbach's alpha, and a
  counter of theme means from which mean, sd and an exact median follow.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import repeat
from operator import attrgetter, truediv
from typing import TYPE_CHECKING, Any, TypeVar

from lpc_assess.scoring import _BAND_DIGITS as BAND_DIGITS
from lpc_assess.scoring import percent_of

if TYPE_CHECKING:
    from lpc_assess.answers import Response
    from lpc_assess.framework import Band, Framework, Indicator, Theme

# Memo tables stop growing here; beyond it responses are scored directly (same numbers).
MEMO_LIMIT = 1 << 15
# Pending patterns are folded into the integer sums at this many distinct patterns.
FOLD_LIMIT = 1 << 14
_FOLD_BATCH = 4096


# --- compiled scoring --------------------------------------------------------------------


class ThemeOutcome:
    """A theme score that many responses share: mean, percent and band (None if unscored).

    One object per distinct mean of a theme, so that it can be counted by identity.
    """

    __slots__ = (
        "mean",
        "percent",
        "band",
        "percent_text",
        "band_id",
        "weighted",
        "scored_weight",
        "csv",
    )

    def __init__(
        self, mean: float | None, percent: float | None, band: Band | None, weight: float
    ) -> None:
        self.mean = mean
        self.percent = percent
        self.band = band
        self.percent_text = "" if percent is None else repr(percent)  # as in the scores file
        self.band_id = band.id if band is not None else ""
        # Terms of the overall score: weight x percent, and the weight, when scored.
        self.weighted = 0.0 if percent is None else weight * percent
        self.scored_weight = 0.0 if percent is None else weight
        self.csv = f"{self.percent_text},{self.band_id}"


class ThemePattern:
    """One theme's answers, as many responses give them: values, keyed values and outcome.

    `values` and `keyed` follow the theme's indicator order; None is unanswered.
    `total` is the sum of keyed values when every indicator is answered (the
    listwise case that Cronbach's alpha uses), else None.
    """

    __slots__ = ("values", "keyed", "answered", "total", "outcome")

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


class OverallOutcome:
    """The overall score of a combination of theme outcomes, and its scores-file cells."""

    __slots__ = ("themes", "percent", "band", "band_id", "csv_tail")

    def __init__(
        self, themes: tuple[ThemeOutcome, ...], percent: float | None, band: Band | None
    ) -> None:
        self.themes = themes
        self.percent = percent
        self.band = band
        self.band_id = band.id if band else ""
        overall = f"{'' if percent is None else repr(percent)},{self.band_id}"
        # The scores-file cells after id and name: numbers and band ids, never quoted.
        self.csv_tail = ",".join([*(o.csv for o in themes), overall])

    @property
    def complete(self) -> bool:
        return all(o.percent is not None for o in self.themes)

    @property
    def cells(self) -> tuple[str, ...]:
        """Per theme its percent and band, then the overall percent and band, as text."""
        return tuple(self.csv_tail.split(","))


_outcomes_of = attrgetter("outcome")
_weighted_of = attrgetter("weighted")
_scored_weight_of = attrgetter("scored_weight")
_csv_of = attrgetter("csv")


@dataclass
class OverallColumns:
    """The overall score of many responses, column-wise (as text for the scores file too)."""

    percents: list[float | None]
    band_ids: list[str]  # "" where there is no overall score
    tails: list[str]  # the scores-file cells after id and name


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


class CompiledScorer:
    """Scores responses for one framework through capped memo tables.

    The numbers are `scoring.score_response`'s, bit for bit: the same
    formulas in the same order (`math.fsum`), `scoring.percent_of` itself,
    and `band_for`'s rule (tests/test_team.py checks all of it on random answers).
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
        self._theme_weights = [t.weight for t in self.themes]
        self._all_weights = math.fsum(self._theme_weights)
        self._bands = list(framework.bands)
        self._band_starts = [b.from_ for b in framework.bands]
        # bisect_right(starts, p) - 1 is the band; so index this with bisect_right itself.
        self._band_ids = ["", *(b.id for b in framework.bands)]
        self._tail_format = ",".join(["{}"] * (len(self.themes) + 2))
        self._min_answered = [framework.min_answered(t) for t in self.themes]
        # Raw values of one theme -> its pattern; theme mean -> outcome; outcomes -> overall.
        self.patterns: list[Memo[tuple[int | None, ...], ThemePattern]] = [
            Memo(functools.partial(self._make_pattern, t)) for t in range(len(self.themes))
        ]
        self._outcomes: list[Memo[float | None, ThemeOutcome]] = [
            Memo(functools.partial(self._make_outcome, t)) for t in range(len(self.themes))
        ]
        self.overalls: Memo[tuple[ThemeOutcome, ...], OverallOutcome] = Memo(self._make_overall)

    def pattern(self, theme_index: int, values: tuple[int | None, ...]) -> ThemePattern:
        """The shared pattern for raw `values` (on the scale, or None) of one theme."""
        return self.patterns[theme_index][values]

    def _make_pattern(self, theme_index: int, values: tuple[int | None, ...]) -> ThemePattern:
        keyed = values
        if self._any_reverse[theme_index]:
            span = self.low + self.high
            keyed = tuple(
                None if v is None else (span - v if rev else v)
                for v, rev in zip(values, self._reverse[theme_index], strict=True)
            )
        answered_values = [k for k in keyed if k is not None]
        answered, total = len(answered_values), len(values)
        mean = None
        # As scoring.score_theme: the weighted mean of the answered keyed values, if enough.
        if total and answered and answered / total >= self._min_answered[theme_index]:
            if self._unit_weights[theme_index]:
                # fsum of 1.0 * k is the exact integer sum, so this is the same float.
                mean = sum(answered_values) / answered
            else:
                weighted = [
                    (w, k)
                    for w, k in zip(self._weights[theme_index], keyed, strict=True)
                    if k is not None
                ]
                mean = math.fsum(w * k for w, k in weighted) / math.fsum(w for w, _ in weighted)
        listwise = sum(answered_values) if total and answered == total else None
        return ThemePattern(values, keyed, answered, listwise, self._outcomes[theme_index][mean])

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
        return self.overalls[tuple(map(_outcomes_of, patterns))]

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

    def overall_columns(self, patterns: Sequence[Sequence[ThemePattern]]) -> OverallColumns:
        """Overall percents, bands and scores-file cells of many responses at once.

        `patterns` holds one column of patterns per theme. Each step maps a
        C function over a column, so there is no Python code per response;
        the sums are the same `math.fsum` of the same terms as `_make_overall`
        (a theme without a score adds an exact 0.0 to both sums).
        """
        outcomes = [list(map(_outcomes_of, column)) for column in patterns]
        divisors = list(
            map(math.fsum, zip(*(map(_scored_weight_of, c) for c in outcomes), strict=True))
        )
        if 0.0 in divisors:  # a response with no theme score: the careful way
            overall = list(map(self.overalls.__getitem__, zip(*outcomes, strict=True)))
            return OverallColumns(
                [o.percent for o in overall],
                [o.band_id for o in overall],
                [o.csv_tail for o in overall],
            )
        sums = map(math.fsum, zip(*(map(_weighted_of, c) for c in outcomes), strict=True))
        percents = list(map(truediv, sums, divisors))
        band_ids = list(
            map(
                self._band_ids.__getitem__,
                map(
                    bisect_right,
                    repeat(self._band_starts),
                    map(round, percents, repeat(BAND_DIGITS)),
                ),
            )
        )
        theme_cells = [map(_csv_of, c) for c in outcomes]
        tails = list(map(self._tail_format.format, *theme_cells, map(repr, percents), band_ids))
        return OverallColumns(list(percents), band_ids, tails)

    def score_answers(
        self, answers: Mapping[str, int | None]
    ) -> tuple[tuple[ThemePattern, ...], OverallOutcome]:
        """Patterns and overall outcome of an answers mapping (indicator id -> value)."""
        patterns = tuple(
            self.pattern(t, tuple(answers.get(i) for i in ids))
            for t, ids in enumerate(self.theme_ids)
        )
        return patterns, self.overall(patterns)


class ScoredResponse:
    """One scored response as it flows through a batch: who, whence, and its patterns.

    `subject` and `relationship` are set for 360 rater responses. `response`
    holds the full answers file (notes, pledge, dates) when it came from one;
    a CSV row has none, and `to_response()` rebuilds its answers.
    """

    __slots__ = (
        "respondent_id",
        "name",
        "subject",
        "relationship",
        "source",
        "row",
        "patterns",
        "overall",
        "response",
        "submitted",
        "read_date",
    )

    def __init__(
        self,
        respondent_id: str,
        name: str | None,
        subject: str | None,
        relationship: str | None,
        source: str,
        row: int | None,
        patterns: tuple[ThemePattern, ...],
        overall: OverallOutcome,
        response: Response | None = None,
        submitted: str | None = None,
        read_date: Callable[[str], dt.datetime | None] | None = None,
    ) -> None:
        self.respondent_id = respondent_id
        self.name = name
        self.subject = subject
        self.relationship = relationship
        self.source = source
        self.row = row
        self.patterns = patterns
        self.overall = overall
        self.response = response
        # A CSV row's completion time as written, read only when a report needs it.
        self.submitted = submitted
        self.read_date = read_date

    def answers(self, framework: Framework) -> dict[str, int]:
        """Indicator id -> raw answer, for the answered indicators."""
        out: dict[str, int] = {}
        for theme, pattern in zip(framework.themes, self.patterns, strict=True):
            for indicator, value in zip(theme.indicators, pattern.values, strict=True):
                if value is not None:
                    out[indicator.id] = value
        return out

    def to_response(self, framework: Framework) -> Response:
        """The full `Response` (for a person's report): the answers file's, or rebuilt."""
        from lpc_assess.answers import Response

        if self.response is not None:
            return self.response
        completed = None
        if self.submitted and self.read_date is not None:
            completed = self.read_date(self.submitted)
        return Response(
            framework_id=framework.id,
            framework_version=framework.version,
            respondent_id=self.respondent_id,
            respondent_name=self.name,
            subject=self.subject,
            relationship=self.relationship,
            completed=completed,
            answers=dict(self.answers(framework)),
            source=self.source,
        )


def record_from_response(
    scorer: CompiledScorer, response: Response, *, respondent_id: str, source: str
) -> ScoredResponse:
    """Score an answers-file `Response` into a `ScoredResponse`."""
    patterns, overall = scorer.score_answers(response.answers)
    return ScoredResponse(
        respondent_id,
        response.respondent_name,
        response.subject,
        response.relationship,
        source,
        None,
        patterns,
        overall,
        response,
    )


class ScoredChunk:
    """Scored responses as columns: what flows through a batch, many responses at a time.

    Row `i` is `ids[i]`, `names[i]`, ..., with one column of patterns per
    theme (`patterns[t][i]`) and the overall scores in `overall`. `subjects`
    and `relationships` are None when no response in the chunk has a
    `rater`; `responses` holds answers files' full `Response`s (None for CSV
    rows). `records()` gives the same responses one at a time.
    """

    __slots__ = (
        "scorer",
        "source",
        "rows",
        "ids",
        "names",
        "subjects",
        "relationships",
        "patterns",
        "overall",
        "responses",
        "submitted",
        "read_date",
    )

    def __init__(
        self,
        scorer: CompiledScorer,
        source: str,
        rows: Sequence[int | None],
        ids: list[str],
        names: list[str | None],
        patterns: list[list[ThemePattern]],
        overall: OverallColumns,
        *,
        subjects: list[str | None] | None = None,
        relationships: list[str | None] | None = None,
        responses: list[Response | None] | None = None,
        submitted: list[str] | None = None,
        read_date: Callable[[str], dt.datetime | None] | None = None,
    ) -> None:
        self.scorer = scorer
        self.source = source
        self.rows = rows
        self.ids = ids
        self.names = names
        self.patterns = patterns
        self.overall = overall
        self.subjects = subjects
        self.relationships = relationships
        self.responses = responses
        self.submitted = submitted
        self.read_date = read_date

    def __len__(self) -> int:
        return len(self.ids)

    def records(self) -> Iterator[ScoredResponse]:
        """The responses of this chunk, one `ScoredResponse` each, in order."""
        n = len(self.ids)
        subjects = self.subjects or [None] * n
        relationships = self.relationships or [None] * n
        responses = self.responses or [None] * n
        submitted: Sequence[str | None] = self.submitted or [None] * n
        for i, row_patterns in enumerate(zip(*self.patterns, strict=True)):
            yield ScoredResponse(
                self.ids[i],
                self.names[i],
                subjects[i],
                relationships[i],
                self.source,
                self.rows[i],
                row_patterns,
                self.scorer.overall(row_patterns),
                responses[i],
                submitted[i],
                self.read_date,
            )

    @classmethod
    def of(
        cls, scorer: CompiledScorer, records: Sequence[ScoredResponse], source: str
    ) -> ScoredChunk:
        """A chunk holding `records` (all from `source`)."""
        rated = any(r.subject is not None for r in records)
        themes = len(scorer.themes)
        return cls(
            scorer,
            source,
            [r.row for r in records],
            [r.respondent_id for r in records],
            [r.name for r in records],
            [[r.patterns[t] for r in records] for t in range(themes)],
            OverallColumns(
                [r.overall.percent for r in records],
                [r.overall.band_id for r in records],
                [r.overall.csv_tail for r in records],
            ),
            subjects=[r.subject for r in records] if rated else None,
            relationships=[r.relationship for r in records] if rated else None,
            responses=[r.response for r in records]
            if any(r.response is not None for r in records)
            else None,
            submitted=[r.submitted or "" for r in records]
            if any(r.submitted for r in records)
            else None,
            read_date=next((r.read_date for r in records if r.read_date), None),
        )


# --- team statistics ---------------------------------------------------------------------


@dataclass
class ThemeStats:
    """One theme's team statistics (PRODUCT.md §5); means are on the scale."""

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

    def fold(self, pattern: ThemePattern, count: int) -> None:
        outcome = pattern.outcome
        if outcome.mean is not None:
            self.means[outcome.mean] += count
            self.bands[outcome.band_id] += count
        for i, value in enumerate(pattern.values):
            if value is not None:
                self.answer_counts[i][value] += count
        if pattern.total is not None:
            self.alpha_n += count
            for i, value in enumerate(pattern.keyed):
                assert value is not None
                self.item_sum[i] += count * value
                self.item_squares[i] += count * value * value
            self.total_sum += count * pattern.total
            self.total_squares += count * pattern.total * pattern.total


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
        Fraction(0),
    )
    return float(Fraction(k, k - 1) * (1 - item_var / total_var))


def _sqrt_fraction(value: Fraction) -> float:
    """Square root of a non-negative Fraction, correctly rounded (as `statistics` does)."""
    if value == 0:
        return 0.0
    # Scale so that the integer square root carries more than 53 significant bits.
    shift = max(0, 110 - (value.numerator.bit_length() - value.denominator.bit_length()))
    shift += shift % 2
    scaled = (value.numerator << shift) // value.denominator
    root = math.isqrt(scaled)
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
        # One entry per 360 subject, as PRODUCT.md §5 shows; filled by the 360 step.
        self.subjects: list[dict[str, Any]] = []
        self._sums = [_ThemeSums(len(t.indicators)) for t in framework.themes]
        self._pending: list[tuple[ThemePattern, ...]] = []
        self._counts: list[Counter[ThemePattern]] = [Counter() for _ in framework.themes]
        self._overall_pending: list[OverallOutcome] = []
        self.overall_n = 0
        self.overall_bands: Counter[str] = Counter()
        self._overall_sum = 0.0

    def add(self, record: ScoredResponse) -> None:
        """Count one scored response."""
        self.responses += 1
        self._pending.append(record.patterns)
        self._overall_pending.append(record.overall)
        if len(self._pending) >= _FOLD_BATCH:
            self._count_pending()

    def add_chunk(self, chunk: ScoredChunk) -> None:
        """Count every response of a chunk (at C speed: a Counter per column)."""
        self._count_pending()
        self.responses += len(chunk)
        for counter, column in zip(self._counts, chunk.patterns, strict=True):
            counter.update(column)
        percents = chunk.overall.percents
        self.overall_n += len(percents) - percents.count(None)
        self._overall_sum = math.fsum([self._overall_sum, math.fsum(filter(None, percents))])
        self.overall_bands.update(chunk.overall.band_ids)
        self.overall_bands.pop("", None)
        self._fold_large()

    def _count_pending(self) -> None:
        if self._pending:
            for counter, column in zip(self._counts, zip(*self._pending, strict=True), strict=True):
                counter.update(column)
            self._fold_overall(Counter(self._overall_pending))
            self._pending.clear()
            self._overall_pending.clear()
        self._fold_large()

    def _fold_large(self) -> None:
        # Identical patterns are shared objects, so these counters stay small unless
        # answers hardly ever repeat; then they are folded into the sums early.
        for sums, counter in zip(self._sums, self._counts, strict=True):
            if len(counter) > FOLD_LIMIT:
                self._fold(sums, counter)

    @staticmethod
    def _fold(sums: _ThemeSums, counter: Counter[ThemePattern]) -> None:
        for pattern, count in counter.items():
            sums.fold(pattern, count)
        counter.clear()

    def _fold_overall(self, counts: Counter[OverallOutcome]) -> None:
        terms = [self._overall_sum]
        for outcome, count in counts.items():
            if outcome.percent is not None:
                self.overall_n += count
                terms.append(outcome.percent * count)
                if outcome.band is not None:
                    self.overall_bands[outcome.band.id] += count
        # Only shown in the team report, so a correctly rounded float sum is enough.
        self._overall_sum = math.fsum(terms)

    def _settle(self) -> None:
        self._count_pending()
        for sums, counter in zip(self._sums, self._counts, strict=True):
            self._fold(sums, counter)

    @property
    def overall_percent(self) -> float | None:
        """Mean overall percent of the responses with an overall score."""
        self._settle()
        return self._overall_sum / self.overall_n if self.overall_n else None

    def themes(self) -> list[ThemeStats]:
        """Per-theme statistics in framework order."""
        self._settle()
        low, high = self.framework.scale.min, self.framework.scale.max
        out = []
        for theme, sums in zip(self.framework.themes, self._sums, strict=True):
            n = sum(sums.means.values())
            mean = sd = median = lowest = highest = percent = None
            if n:
                exact = sum((Fraction(m) * c for m, c in sums.means.items()), Fraction(0)) / n
                mean = float(exact)
                percent = float(100 * (exact - low) / (high - low))
                lowest, highest = min(sums.means), max(sums.means)
                median = _median(sums.means, n)
                if n >= 2:
                    squares = sum(
                        (Fraction(m) ** 2 * c for m, c in sums.means.items()), Fraction(0)
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
        for theme, sums in zip(self.framework.themes, self._sums, strict=True):
            for indicator, counts in zip(theme.indicators, sums.answer_counts, strict=True):
                n = sum(counts.values())
                mean = percent = None
                if n:
                    keyed = sum(
                        (
                            (low + high - v if indicator.reverse else v) * c
                            for v, c in counts.items()
                        ),
                        0,
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
        """The `batch --summary` document of PRODUCT.md §5."""
        data: dict[str, Any] = {
            "framework": {"id": self.framework.id, "version": self.framework.version},
            "responses": self.responses,
            "rejected": self.rejected,
            "themes": [stats.to_json() for stats in self.themes()],
            "indicators": [stats.to_json() for stats in self.indicators()],
            "subjects": list(self.subjects),
            "errors": list(self.errors),
        }
        if self.errors_omitted:
            data["errors_omitted"] = self.errors_omitted
        return data


def _median(counts: Mapping[float, int], n: int) -> float:
    """The exact median of values given as value -> count (as `statistics.median`)."""
    ordered = sorted(counts.items())
    below = (n - 1) // 2  # index of the lower middle value

    def at(index: int) -> float:
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        raise IndexError(index)  # pragma: no cover - index < n always

    if n % 2:
        return at(below)
    return (at(below) + at(below + 1)) / 2
