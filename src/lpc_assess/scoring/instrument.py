"""Instrument analysis: per theme, what R's `psych::alpha()` reports (docs/instrument-analysis.md).

`InstrumentData` is a consumer of the team pipeline: it counts, per theme, how
many self responses gave each pattern of answers (answers repeat a lot, so the
counts stay small). `analyse_theme` then works out, from those counts, the
figures of psych's `alpha()` with its definitions and defaults: pairwise-complete
covariances and correlations, the total as each respondent's mean keyed value,
indicators without variance left out of the matrices. numpy does the matrix
work and is imported only here, inside the functions that need it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.scored import ScoredChunk

    Matrix = npt.NDArray[np.float64]

Values = tuple[int | None, ...]


# --- the figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reliability:
    """The figures of one set of indicators: a whole theme, or a theme less one indicator."""

    raw_alpha: float | None
    std_alpha: float | None
    g6: float | None
    average_r: float | None
    s_n: float | None

    def to_json(self) -> dict[str, float | None]:
        return {
            "raw_alpha": self.raw_alpha,
            "std_alpha": self.std_alpha,
            "g6": self.g6,
            "average_r": self.average_r,
            "s_n": self.s_n,
        }


@dataclass
class IndicatorAnalysis:
    """One indicator: psych's item statistics, its alpha if dropped, and its answers."""

    n: int
    raw_r: float | None = None
    std_r: float | None = None
    r_cor: float | None = None
    r_drop: float | None = None
    mean: float | None = None
    sd: float | None = None
    alpha_if_dropped: Reliability | None = None
    frequencies: dict[int, float | None] = field(default_factory=dict)  # scale point -> share
    missing: float = 0.0  # the share of responses that left it unanswered
    no_variance: bool = False  # everyone who answered gave the same answer (or one person did)

    def to_json(self) -> dict[str, Any]:
        shares: dict[str, float | None] = {str(p): s for p, s in self.frequencies.items()}
        shares["missing"] = self.missing
        return {
            "n": self.n,
            "raw_r": self.raw_r,
            "std_r": self.std_r,
            "r_cor": self.r_cor,
            "r_drop": self.r_drop,
            "mean": self.mean,
            "sd": self.sd,
            "alpha_if_dropped": (
                self.alpha_if_dropped.to_json()
                if self.alpha_if_dropped is not None
                else dict.fromkeys(("raw_alpha", "std_alpha", "g6", "average_r", "s_n"))
            ),
            "frequencies": shares,
        }


@dataclass
class ThemeAnalysis:
    """One theme: psych's total statistics and one `IndicatorAnalysis` per indicator.

    `not_computable` says in plain words why the reliability figures are None
    (one indicator, no variation, pairs never answered together); None when
    they were computed.
    """

    n: int
    indicators: list[IndicatorAnalysis]
    raw_alpha: float | None = None
    std_alpha: float | None = None
    g6: float | None = None
    average_r: float | None = None
    median_r: float | None = None
    s_n: float | None = None
    ase: float | None = None
    mean: float | None = None
    sd: float | None = None
    not_computable: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "raw_alpha": self.raw_alpha,
            "std_alpha": self.std_alpha,
            "g6": self.g6,
            "average_r": self.average_r,
            "median_r": self.median_r,
            "s_n": self.s_n,
            "ase": self.ase,
            "mean": self.mean,
            "sd": self.sd,
            "not_computable": self.not_computable,
        }


# --- collecting responses --------------------------------------------------------------------


class InstrumentData:
    """The pipeline consumer: per theme, how many responses gave each pattern of answers.

    `values[t]` maps a theme's raw answers (None: unanswered) to its count;
    `keyed[t]` maps the same answers to their keyed values (reverse indicators
    turned round, docs/scoring.md). A response that answered none of a theme's
    indicators counts too: psych counts every row of the data it is given.
    """

    def __init__(self, framework: Framework) -> None:
        themes = len(framework.themes)
        self.responses = 0
        self.values: list[Counter[Values]] = [Counter() for _ in range(themes)]
        self.keyed: list[dict[Values, Values]] = [{} for _ in range(themes)]

    def add(self, chunk: ScoredChunk) -> None:
        self.responses += len(chunk)
        for counts, keyed, column in zip(self.values, self.keyed, chunk.patterns, strict=True):
            # Patterns are shared objects: count them by identity at C speed, then by answers.
            for pattern, count in Counter(column).items():
                counts[pattern.values] += count
                keyed.setdefault(pattern.values, pattern.keyed)

    def finish(self) -> None:
        """Nothing to do: the figures are worked out per theme by `analyse_theme`."""

    def analyse(self, framework: Framework) -> list[ThemeAnalysis]:
        """Every theme's analysis, in framework order."""
        scale = framework.scale
        return [
            analyse_theme(
                self.values[t],
                self.keyed[t],
                self.responses,
                scale.min,
                scale.max,
                len(theme.indicators),
            )
            for t, theme in enumerate(framework.themes)
        ]


# --- the analysis -----------------------------------------------------------------------------


def analyse_theme(
    counts: Mapping[Values, int],
    keyed: Mapping[Values, Values],
    responses: int,
    low: int,
    high: int,
    k: int,
) -> ThemeAnalysis:
    """psych's `alpha()` for one theme, from counted answer patterns.

    `counts`: raw answers -> how many responses gave them; `keyed`: raw answers
    -> keyed values; `responses`: every response analysed (psych's number of
    rows, used for `missing` and `ase`); `low`..`high`: the scale; `k`: the
    theme's number of indicators.
    """
    import numpy as np

    patterns = [p for p, c in counts.items() if c > 0]
    weights = np.array([counts[p] for p in patterns], dtype=np.float64).reshape(-1)
    raw = _matrix([p for p in patterns], k)
    values = _matrix([keyed[p] for p in patterns], k)
    present = ~np.isnan(values)
    answered = weights @ present if patterns else np.zeros(k)
    indicators = [
        IndicatorAnalysis(
            n=int(answered[i]),
            frequencies=_frequencies(raw[:, i], weights, low, high),
            missing=(responses - float(answered[i])) / responses if responses else 0.0,
        )
        for i in range(k)
    ]
    for i, indicator in enumerate(indicators):
        indicator.mean, indicator.sd = _mean_sd(values[:, i], weights)
        column = values[present[:, i], i]
        indicator.no_variance = (
            column.size == 0 or bool(column.min() == column.max()) or (indicator.n < 2)
        )
    kept = [i for i in range(k) if not indicators[i].no_variance]
    total = _totals(values, weights, kept, [i for i in range(k) if i not in kept])
    analysis = ThemeAnalysis(n=int(weights[~np.isnan(total)].sum()), indicators=indicators)
    analysis.mean, analysis.sd = _mean_sd(total, weights)
    if k < 2:
        analysis.not_computable = "the theme has one indicator: there is nothing to compare it with"
        return analysis
    if len(kept) < 2:
        analysis.not_computable = (
            "fewer than two of its indicators have answers that vary from person to person"
        )
        return analysis
    sub = values[:, kept]
    cov, cor = _pairwise(sub, weights)
    if not (np.isfinite(cov).all() and np.isfinite(cor).all()):
        analysis.not_computable = (
            "some indicators were never answered together by two or more people "
            "with different answers"
        )
        return analysis
    whole = _reliability(cov, cor)
    if whole is None:
        analysis.not_computable = "the answers add up to no variation in the theme's total"
        return analysis
    figures, q = whole
    analysis.raw_alpha = figures.raw_alpha
    analysis.std_alpha = figures.std_alpha
    analysis.g6 = figures.g6
    analysis.average_r = figures.average_r
    analysis.s_n = figures.s_n
    analysis.median_r = _finite(float(np.median(cor[np.tril_indices(len(kept), -1)])))
    analysis.ase = _finite(math.sqrt(q / responses)) if q >= 0 and responses else None
    _item_statistics(analysis, kept, sub, weights, total, cov, cor)
    return analysis


def _matrix(rows: Sequence[Values], k: int) -> Matrix:
    """Rows of values (None: unanswered) as a float matrix with NaN for unanswered."""
    import numpy as np

    out = np.array(
        [[np.nan if v is None else float(v) for v in row] for row in rows], dtype=np.float64
    )
    return out.reshape(len(rows), k)


def _finite(value: float) -> float | None:
    """A figure, or None where it is undefined (never NaN or infinity in any output)."""
    return value if math.isfinite(value) else None


def _mean_sd(column: Matrix, weights: Matrix) -> tuple[float | None, float | None]:
    """Weighted mean and sample sd (n - 1) of the defined values of `column`."""
    import numpy as np

    defined = ~np.isnan(column)
    w = weights[defined]
    n = float(w.sum())
    if n == 0:
        return None, None
    x = column[defined]
    mean = float(w @ x) / n
    if n < 2:
        return mean, None
    deviations = x - mean
    return mean, _finite(math.sqrt(float(w @ (deviations * deviations)) / (n - 1)))


def _frequencies(column: Matrix, weights: Matrix, low: int, high: int) -> dict[int, float | None]:
    """The share of the answers (not of the responses) at each point of the scale."""
    import numpy as np

    defined = ~np.isnan(column)
    n = float(weights[defined].sum())
    return {
        point: (float(weights[column == point].sum()) / n if n else None)
        for point in range(low, high + 1)
    }


def _totals(values: Matrix, weights: Matrix, kept: list[int], dropped: list[int]) -> Matrix:
    """Each pattern's total as psych forms it: the mean keyed value over its answers.

    An indicator without variance is left out of the correlations but, as in
    psych, still counts in the total with its one value; an indicator nobody
    answered cannot count. A response with no answer to the kept indicators
    has no total (NaN).
    """
    import numpy as np

    if not kept:  # no indicator varies: the plain mean of the answers
        with np.errstate(invalid="ignore"):
            answered = (~np.isnan(values)).sum(axis=1)
            sums = np.nansum(values, axis=1)
            return np.where(answered > 0, sums / np.maximum(answered, 1), np.nan)
    kept_values = values[:, kept]
    answered = (~np.isnan(kept_values)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means: Matrix = np.nansum(kept_values, axis=1) / answered
    means[answered == 0] = np.nan
    constants = []
    for i in dropped:
        column = values[:, i][~np.isnan(values[:, i])]
        if column.size:
            constants.append(float(column[0]))
    if not constants:
        return means
    size = len(kept)
    adjusted: Matrix = (size * means + sum(constants)) / (size + len(constants))
    return adjusted


def _pairwise(x: Matrix, weights: Matrix) -> tuple[Matrix, Matrix]:
    """Pairwise-complete covariances and correlations, as R's `cov` and `cor` with `use="pairwise"`.

    Each pair uses only the responses that answered both, with that subset's
    own means and standard deviations. The sums are over whole-number answers,
    so they are exact; each figure is formed as (n·Σxy − Σx·Σy) / ... to keep
    that exactness as long as possible.
    """
    import numpy as np

    present = (~np.isnan(x)).astype(np.float64)
    x0 = np.where(present > 0, x, 0.0)
    wp = present * weights[:, None]
    n = wp.T @ present  # n[i, j]: responses answering both
    sx = (x0 * weights[:, None]).T @ present  # sx[i, j]: sum of x_i where j is answered too
    sxx = (x0 * x0 * weights[:, None]).T @ present
    sxy = (x0 * weights[:, None]).T @ x0
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = n * sxy - sx * sx.T
        spread = n * sxx - sx * sx  # spread[i, j]: of x_i, over the pair's responses
        cov = centred / (n * (n - 1))
        cor = centred / np.sqrt(spread * spread.T)
    cov[n < 2] = np.nan
    cor[n < 2] = np.nan
    cor[(spread <= 0) | (spread.T <= 0)] = np.nan
    np.fill_diagonal(cor, 1.0)
    return cov, np.clip(cor, -1.0, 1.0)


def _smc(cor: Matrix) -> Matrix:
    """Squared multiple correlations, as psych's `smc`: from the (pseudo-)inverse of R.

    psych inverts with its `Pinv` (singular values below sqrt(machine epsilon)
    times the largest are dropped), and sets values outside 0..1 to 0 or 1.
    """
    import numpy as np

    inverse = np.linalg.pinv(cor, rcond=math.sqrt(np.finfo(np.float64).eps))
    with np.errstate(divide="ignore"):
        smc = 1.0 - 1.0 / np.diag(inverse)
    return np.clip(np.nan_to_num(smc, nan=1.0, neginf=0.0, posinf=1.0), 0.0, 1.0)


def _reliability(cov: Matrix, cor: Matrix) -> tuple[Reliability, float] | None:
    """psych's `alpha.1`: raw and standardised alpha, G6, mean r, S/N, and Q (for ase).

    None when the total has no variance (the sums of C or R are not positive).
    """
    import numpy as np

    k = cov.shape[0]
    total_c = float(cov.sum())
    total_r = float(cor.sum())
    if total_c <= 0 or total_r <= 0:
        return None
    trace = float(np.trace(cov))
    raw_alpha = (1 - trace / total_c) * k / (k - 1)
    std_alpha = (1 - k / total_r) * k / (k - 1)
    g6 = 1 - (k - float(_smc(cor).sum())) / total_r
    average_r = (total_r - k) / (k * (k - 1))
    s_n = k * average_r / (1 - average_r) if average_r != 1 else math.inf
    # Duhachek and Iacobucci's variance of alpha, with Hattori's correction (psych's Q).
    squared = cov @ cov
    q = (2 * k**2 / ((k - 1) ** 2 * total_c**3)) * (
        total_c * (float(np.trace(squared)) + trace**2) - 2 * trace * float(squared.sum())
    )
    figures = Reliability(
        _finite(raw_alpha), _finite(std_alpha), _finite(g6), _finite(average_r), _finite(s_n)
    )
    return figures, q


def _item_statistics(
    analysis: ThemeAnalysis,
    kept: list[int],
    x: Matrix,
    weights: Matrix,
    total: Matrix,
    cov: Matrix,
    cor: Matrix,
) -> None:
    """raw.r, std.r, r.cor, r.drop and alpha if dropped, for each indicator with variance."""
    import numpy as np

    k = len(kept)
    std_r = cor.sum(axis=0) / math.sqrt(float(cor.sum()))
    overlap = cor.copy()
    np.fill_diagonal(overlap, _smc(cor))
    overlap_total = float(overlap.sum())
    # Strongly opposed items can make this sum negative: psych then gives NaN (here None).
    r_cor = overlap.sum(axis=0) / math.sqrt(overlap_total) if overlap_total > 0 else None
    for j, i in enumerate(kept):
        indicator = analysis.indicators[i]
        indicator.raw_r = _correlation(total, x[:, j], weights)
        indicator.std_r = _finite(float(std_r[j]))
        indicator.r_cor = _finite(float(r_cor[j])) if r_cor is not None else None
        rest = [m for m in range(k) if m != j]
        rest_variance = float(cov[np.ix_(rest, rest)].sum())
        covariance = float(cov[:, j].sum() - cov[j, j])
        if rest_variance > 0:
            indicator.r_drop = _finite(covariance / math.sqrt(float(cov[j, j]) * rest_variance))
        if k > 2:
            dropped = _reliability(cov[np.ix_(rest, rest)], cor[np.ix_(rest, rest)])
            indicator.alpha_if_dropped = dropped[0] if dropped is not None else None


def _correlation(a: Matrix, b: Matrix, weights: Matrix) -> float | None:
    """The pairwise-complete correlation of two columns, with response counts as weights."""
    import numpy as np

    both = ~np.isnan(a) & ~np.isnan(b)
    w = weights[both]
    n = float(w.sum())
    if n < 2:
        return None
    da = a[both] - float(w @ a[both]) / n
    db = b[both] - float(w @ b[both]) / n
    spread = float(w @ (da * da)) * float(w @ (db * db))
    if spread <= 0:
        return None
    return _finite(float(w @ (da * db)) / math.sqrt(spread))
