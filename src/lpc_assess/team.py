"""A team's responses, streamed: compiled scoring and the team statistics of PRODUCT.md §5.

Two ideas, both built for a million responses in constant memory:

* `CompiledScorer` scores a response theme by theme through memo tables. A
  theme's answers (a tuple of raw values) map to a shared `ThemePattern`, whose
  numbers follow `scoring.score_theme` formula for formula, so a compiled score
  is the reference score bit for bit; an overall percent maps to a shared
  `OverallCell` (band and scores-file text included). The tables are capped,
  so memory stays flat.
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
from itertools import compress, repeat
from operator import attrgetter, getitem, itemgetter, mul, not_, truediv
from typing import TYPE_CHECKING, Any, TypeVar

from lpc_assess.scoring import _BAND_DIGITS as BAND_DIGITS
from lpc_assess.scoring import percent_of

if TYPE_CHECKING:
    from lpc_assess.answers import Response
    from lpc_assess.framework import Band, Framework, Indicator, Theme

# Memo tables stop growing here; beyond it responses are scored directly (same numbers).
MEMO_LIMIT = 1 << 14
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
        # The term of the overall score: weight x percent (an exact 0.0 when not scored).
        self.weighted = 0.0 if percent is None else weight * percent
        self.csv = f"{self.percent_text},{self.band_id}"


class ThemePattern:
    """One theme's answers, as many responses give them: values, keyed values and outcome.

    `values` and `keyed` follow the theme's indicator order; None is unanswered.
    `total` is the sum of keyed values when every indicator is answered (the
    listwise case that Cronbach's alpha uses), else None. `scored`,
    `weighted` and `csv` are the outcome's, copied so that a
    column of patterns is read at C speed without a step through `outcome`.
    """

    __slots__ = (
        "values",
        "keyed",
        "answered",
        "total",
        "outcome",
        "scored",
        "weighted",
        "csv",
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
        self.weighted = outcome.weighted
        self.csv = outcome.csv


class OverallCell:
    """An overall percent (None: no theme scored), its band, and its two scores-file cells.

    Many responses share an overall percent (theme means are few), so one
    object per distinct percent is enough, and it can be counted by identity.
    """

    __slots__ = ("percent", "band", "band_id", "text", "row_end")

    def __init__(self, percent: float | None, band: Band | None) -> None:
        self.percent = percent
        self.band = band
        self.band_id = band.id if band else ""
        self.text = f"{'' if percent is None else repr(percent)},{self.band_id}"
        self.row_end = self.text + "\r\n"  # the last cells of a scores-file row


class OverallOutcome(OverallCell):
    """The overall score of a combination of theme outcomes, and its scores-file cells."""

    __slots__ = ("themes", "csv_tail")

    def __init__(
        self, themes: tuple[ThemeOutcome, ...], percent: float | None, band: Band | None
    ) -> None:
        super().__init__(percent, band)
        self.themes = themes
        # The scores-file cells after id and name: numbers and band ids, never quoted.
        self.csv_tail = ",".join([*(o.csv for o in themes), self.text])

    @property
    def complete(self) -> bool:
        return all(o.percent is not None for o in self.themes)

    @property
    def cells(self) -> tuple[str, ...]:
        """Per theme its percent and band, then the overall percent and band, as text."""
        return tuple(self.csv_tail.split(","))


_outcomes_of = attrgetter("outcome")
_weighted_of = attrgetter("weighted")
_scored_of = attrgetter("scored")
_csv_of = attrgetter("csv")
_percent_of = attrgetter("percent")
_band_id_of = attrgetter("band_id")
_text_of = attrgetter("text")
_keyed_of = attrgetter("keyed")
_total_of = attrgetter("total")


class OverallColumns:
    """The overall scores of many responses, column-wise: one shared `OverallCell` each.

    `patterns` (one column per theme) gives the theme cells of the scores
    file; `percents`, `band_ids` and `tails` are worked out when asked for.
    """

    __slots__ = ("cells", "patterns")

    def __init__(
        self, cells: list[OverallCell], patterns: Sequence[Sequence[ThemePattern]]
    ) -> None:
        self.cells = cells
        self.patterns = patterns

    @property
    def percents(self) -> list[float | None]:
        return list(map(_percent_of, self.cells))

    @property
    def band_ids(self) -> list[str]:
        """Band ids; "" where there is no overall score."""
        return list(map(_band_id_of, self.cells))

    @property
    def tails(self) -> list[str]:
        """The scores-file cells after id and name, as one string per response."""
        template = ",".join(["{}"] * (len(self.patterns) + 1))
        columns = [map(_csv_of, column) for column in self.patterns]
        return list(map(template.format, *columns, map(_text_of, self.cells)))


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
        self.patterns: list[Memo[tuple[int | None, ...], ThemePattern]] = [
            Memo(functools.partial(self._make_pattern, t)) for t in range(len(self.themes))
        ]
        self._outcomes: list[Memo[float | None, ThemeOutcome]] = [
            Memo(functools.partial(self._make_outcome, t)) for t in range(len(self.themes))
        ]
        self.overalls: Memo[tuple[ThemeOutcome, ...], OverallOutcome] = Memo(self._make_overall)
        # Overall percent -> its shared cell (percents repeat: theme means are few).
        self.cells: Memo[float | None, OverallCell] = Memo(self._make_cell)

    def pattern(self, theme_index: int, values: tuple[int | None, ...]) -> ThemePattern:
        """The shared pattern for raw `values` (on the scale, or None) of one theme."""
        return self.patterns[theme_index][values]

    def _make_pattern(self, theme_index: int, values: tuple[int | None, ...]) -> ThemePattern:
        keyed = values
        if self._any_reverse[theme_index]:
            keyed = tuple(map(getitem, self._keying[theme_index], values))
        total = len(values)
        answered = total - keyed.count(None)
        answered_values = keyed if answered == total else [k for k in keyed if k is not None]
        mean = None
        # As scoring.score_theme: the weighted mean of the answered keyed values, if enough.
        if total and answered and answered / total >= self._min_answered[theme_index]:
            if self._unit_weights[theme_index]:
                # fsum of 1.0 * k is the exact integer sum, so this is the same float.
                mean = sum(answered_values) / answered  # type: ignore[arg-type]
            else:
                weighted = [
                    (w, k)
                    for w, k in zip(self._weights[theme_index], keyed, strict=True)
                    if k is not None
                ]
                mean = math.fsum(w * k for w, k in weighted) / math.fsum(w for w, _ in weighted)
        listwise = sum(answered_values) if total and answered == total else None  # type: ignore[arg-type]
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

    def _make_cell(self, percent: float | None) -> OverallCell:
        return OverallCell(percent, self.band(percent))

    def overall_columns(self, patterns: Sequence[Sequence[ThemePattern]]) -> OverallColumns:
        """The overall scores of many responses at once (`patterns`: one column per theme).

        Each step maps a C function over a column, so there is no Python code
        per response: the same `math.fsum` of the same terms as
        `_make_overall`, divided by the sum of the theme weights, and the
        percent then finds its shared cell (band and text included) in a memo
        table. That is right for a response whose every theme is scored; the
        few others are then redone one by one through `overall()`.
        """
        sums = map(math.fsum, zip(*[map(_weighted_of, c) for c in patterns], strict=True))
        # Every theme scored (the usual case): divided by the sum of all theme weights.
        cells: list[OverallCell] = list(
            map(self.cells.__getitem__, map(truediv, sums, repeat(self._all_weights)))
        )
        unscored: set[int] = set()
        for column in patterns:
            if not all(map(_scored_of, column)):
                unscored.update(compress(range(len(column)), map(not_, map(_scored_of, column))))
        for at in unscored:  # the few others, one by one (a memo of theme outcomes)
            cells[at] = self.overall([column[at] for column in patterns])
        return OverallColumns(cells, patterns)

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
            submitted=True,
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
        patterns = [[r.patterns[t] for r in records] for t in range(themes)]
        return cls(
            scorer,
            source,
            [r.row for r in records],
            [r.respondent_id for r in records],
            [r.name for r in records],
            patterns,
            OverallColumns([r.overall for r in records], patterns),
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

    def fold(self, counts: Mapping[ThemePattern, int]) -> None:
        """Add `count` responses of each pattern to the sums.

        Distinct patterns can run into tens of thousands, so the work per
        pattern is kept small: an outcome count and the answered cells in
        Python, and the listwise sums as C-level dot products per indicator.
        """
        by_outcome: dict[ThemeOutcome, int] = {}
        answer_counts = self.answer_counts
        listwise: list[ThemePattern] = []
        weights: list[int] = []
        for pattern, count in counts.items():
            outcome = pattern.outcome
            by_outcome[outcome] = by_outcome.get(outcome, 0) + count
            for counter, value in zip(answer_counts, pattern.values, strict=True):
                if value is not None:
                    counter[value] += count
            if pattern.total is not None:
                listwise.append(pattern)
                weights.append(count)
        for outcome, count in by_outcome.items():
            if outcome.mean is not None:
                self.means[outcome.mean] += count
                self.bands[outcome.band_id] += count
        if not listwise:
            return
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
        # Overall cells counted by identity, then folded into exact sums.
        self._overall_counts: Counter[OverallCell] = Counter()
        self._overall_n = 0
        self._overall_bands: Counter[str] = Counter()
        self._overall_sum = Fraction(0)

    def add(self, record: ScoredResponse) -> None:
        """Count one scored response."""
        self.responses += 1
        self._pending.append(record.patterns)
        self._overall_counts[record.overall] += 1
        if len(self._pending) >= _FOLD_BATCH:
            self._count_pending()

    def add_chunk(self, chunk: ScoredChunk) -> None:
        """Count every response of a chunk (at C speed: a Counter per column)."""
        self._count_pending()
        self.responses += len(chunk)
        for counter, column in zip(self._counts, chunk.patterns, strict=True):
            counter.update(column)
        self._overall_counts.update(chunk.overall.cells)
        self._fold_large()

    def _count_pending(self) -> None:
        if self._pending:
            for counter, column in zip(self._counts, zip(*self._pending, strict=True), strict=True):
                counter.update(column)
            self._pending.clear()
        self._fold_large()

    def _fold_large(self) -> None:
        # Identical patterns are shared objects, so these counters stay small unless
        # answers hardly ever repeat; then they are folded into the sums early.
        for sums, counter in zip(self._sums, self._counts, strict=True):
            if len(counter) > FOLD_LIMIT:
                self._fold(sums, counter)
        if len(self._overall_counts) > FOLD_LIMIT:
            self._fold_overall()

    @staticmethod
    def _fold(sums: _ThemeSums, counter: Counter[ThemePattern]) -> None:
        sums.fold(counter)
        counter.clear()

    def _fold_overall(self) -> None:
        total = self._overall_sum
        for cell, count in self._overall_counts.items():
            if cell.percent is not None:
                self._overall_n += count
                total += Fraction(cell.percent) * count
                if cell.band is not None:
                    self._overall_bands[cell.band.id] += count
        self._overall_sum = total  # exact, so the mean is correctly rounded
        self._overall_counts.clear()

    def _settle(self) -> None:
        self._count_pending()
        for sums, counter in zip(self._sums, self._counts, strict=True):
            self._fold(sums, counter)
        self._fold_overall()

    @property
    def overall_percent(self) -> float | None:
        """Mean overall percent of the responses with an overall score."""
        self._settle()
        return float(self._overall_sum / self._overall_n) if self._overall_n else None

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
