"""Before and after a programme: the figures of `lpc-assess progress`, from percents alone.

docs/programme-evaluation.md explains each figure. For one measure (a theme,
a facet of a theme, or the overall percent) this module takes every
person's percent on each side and the pairs of percents of the people
matched on both sides, and gives

* the side means (everyone on a side with a score);
* for the matched people: the mean before and after, the mean change, the
  sample sd of the changes, a 95 % confidence interval of the mean change
  (Student's t, n - 1 degrees of freedom), Cohen's dz, and how many improved,
  stayed the same or declined (more than 5 points either way);
* for the cohorts as wholes: Hedges' g, the standardised difference of the
  means with its small-sample correction.

Pure numbers: no files, no printing. scipy (the t quantile) is imported only
in the function that needs it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter, sub
from typing import Any

# A change is rounded to this many decimals before it is compared with +-5 points
# or with the other changes, so that float noise (58.333333333333336 - 50.0) never
# makes a change of exactly 5 points "improved", or equal changes look spread out.
NOISE_DIGITS = 9

SAME_BAND = 5.0  # points: a change within +-5 counts as "same"

CONFIDENCE = 0.95


def mean(values: Sequence[float]) -> float | None:
    """The mean (math.fsum, so the sum is correctly rounded); None when empty."""
    return math.fsum(values) / len(values) if values else None


def sample_sd(values: Sequence[float]) -> float | None:
    """The sample standard deviation (n - 1); None below 2 values.

    Exactly 0.0 when every value is the same, whatever the float rounding of
    the mean would say.
    """
    n = len(values)
    if n < 2:
        return None
    if min(values) == max(values):
        return 0.0
    centre = math.fsum(values) / n
    deviations = map(sub, values, repeat(centre))
    return math.sqrt(math.fsum(map(pow, deviations, repeat(2))) / (n - 1))


def t_quantile(probability: float, df: int) -> float:
    """The `probability` quantile of Student's t with `df` degrees of freedom (scipy)."""
    from scipy import stats

    return float(stats.t.ppf(probability, df))


@dataclass(frozen=True)
class PairedChange:
    """What changed for the people with a score on both sides (None where undefined)."""

    n: int
    before: float | None
    after: float | None
    change: float | None
    sd: float | None
    ci: tuple[float, float] | None
    dz: float | None
    improved: int
    same: int
    declined: int

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "before": self.before,
            "after": self.after,
            "change": self.change,
            "sd": self.sd,
            "ci": None if self.ci is None else [self.ci[0], self.ci[1]],
            "dz": self.dz,
            "improved": self.improved,
            "same": self.same,
            "declined": self.declined,
        }


def paired_change(pairs: Sequence[tuple[float, float]]) -> PairedChange:
    """The paired figures of (before, after) percents, one pair per matched person.

    `sd`, `ci` and `dz` are None when n < 2 or when every change is the same
    (sd 0: the interval and the standardised change are undefined).
    """
    return _paired([b for b, _ in pairs], [a for _, a in pairs])


def _paired(befores: list[float], afters: list[float]) -> PairedChange:
    """`paired_change` of the matched people's percents, as two lists in the same order."""
    n = len(befores)
    changes = list(map(sub, afters, befores))
    rounded = list(map(round, changes, repeat(NOISE_DIGITS)))
    improved = sum(map(SAME_BAND.__lt__, rounded))  # change > +5
    declined = sum(map((-SAME_BAND).__gt__, rounded))  # change < -5
    change = mean(changes)
    sd = ci = dz = None
    if n >= 2 and change is not None and min(rounded) != max(rounded):
        sd = sample_sd(changes)
        assert sd is not None
        half = t_quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * sd / math.sqrt(n)
        ci = (change - half, change + half)
        dz = change / sd
    return PairedChange(
        n=n,
        before=mean(befores),
        after=mean(afters),
        change=change,
        sd=sd,
        ci=ci,
        dz=dz,
        improved=improved,
        same=n - improved - declined,
        declined=declined,
    )


def hedges_g(before: Sequence[float], after: Sequence[float]) -> float | None:
    """Hedges' g of after against before: (mean after - mean before) / pooled sd, times J.

    The pooled sd is sqrt(((n1 - 1) s1² + (n2 - 1) s2²) / (n1 + n2 - 2)) with
    sample variances, and J = 1 - 3 / (4 (n1 + n2) - 9) corrects the small-sample
    bias. None when either side has fewer than 2 values, or both sides have no
    spread at all (a pooled sd of 0).
    """
    n1, n2 = len(before), len(after)
    s1, s2 = sample_sd(before), sample_sd(after)
    m1, m2 = mean(before), mean(after)
    if s1 is None or s2 is None or m1 is None or m2 is None:
        return None
    pooled = math.sqrt(((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n1 + n2 - 2))
    if pooled == 0:
        return None
    correction = 1 - 3 / (4 * (n1 + n2) - 9)
    return correction * (m2 - m1) / pooled


@dataclass(frozen=True)
class Comparison:
    """The before/after figures of one measure (a theme, a facet, or the overall percent)."""

    id: str | None
    before_n: int
    before_mean: float | None
    after_n: int
    after_mean: float | None
    matched: PairedChange
    g: float | None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {} if self.id is None else {"id": self.id}
        data.update(
            before_n=self.before_n,
            before_mean=self.before_mean,
            after_n=self.after_n,
            after_mean=self.after_mean,
            matched=self.matched.to_json(),
            cohort={"g": self.g},
        )
        return data


def compare(
    measure_id: str | None,
    before: Sequence[float],
    after: Sequence[float],
    pairs: Sequence[tuple[float, float]],
) -> Comparison:
    """All the figures of one measure.

    `before` and `after` are the percents of everyone on each side with a
    score; `pairs` the (before, after) percents of the matched people with a
    score on both sides.
    """
    return Comparison(
        id=measure_id,
        before_n=len(before),
        before_mean=mean(before),
        after_n=len(after),
        after_mean=mean(after),
        matched=paired_change(pairs),
        g=hedges_g(before, after),
    )


def compare_cohorts(
    measure_ids: Sequence[str | None],
    before: Sequence[Sequence[float | None]],
    after: Sequence[Sequence[float | None]],
    matched_before: Sequence[Sequence[float | None]],
    matched_after: Sequence[Sequence[float | None]],
) -> list[Comparison]:
    """The figures of every measure: one `Comparison` per id of `measure_ids`.

    `before` and `after` hold one row of percents per person on that side
    (None: no score), a column per measure in the order of `measure_ids`;
    `matched_before` and `matched_after` the rows of the matched people, the
    same person at the same place in both. A matched person counts in a
    measure's paired figures only with a score on both sides.
    """
    out = []
    for m, measure_id in enumerate(measure_ids):
        # One column at a time, picked by a C-level itemgetter: no Python call per person.
        pick = itemgetter(m)
        paired_before = list(map(pick, matched_before))
        paired_after = list(map(pick, matched_after))
        if None in paired_before or None in paired_after:
            kept = [
                (b, a)
                for b, a in zip(paired_before, paired_after, strict=True)
                if b is not None and a is not None
            ]
            paired_before, paired_after = [b for b, _ in kept], [a for _, a in kept]
        scored_before, scored_after = _scored(map(pick, before)), _scored(map(pick, after))
        out.append(
            Comparison(
                id=measure_id,
                before_n=len(scored_before),
                before_mean=mean(scored_before),
                after_n=len(scored_after),
                after_mean=mean(scored_after),
                matched=_paired(paired_before, paired_after),
                g=hedges_g(scored_before, scored_after),
            )
        )
    return out


def _scored(values: Iterable[float | None]) -> list[float]:
    """The values that are scores (None is no score)."""
    found = list(values)
    if None in found:
        return [v for v in found if v is not None]
    return found  # type: ignore[return-value]
