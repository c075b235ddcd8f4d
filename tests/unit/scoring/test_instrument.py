"""Instrument analysis: every figure of psych's `alpha()` against an independent computation.

`psych_alpha` below is a second, deliberately plain implementation of psych's
definitions (R/alpha.R in the psych sources, version 2.5.3): one response per
row, each pair of indicators correlated on its own complete cases with
`numpy.cov`/`numpy.corrcoef`, squared multiple correlations by solving each
regression, psych's Q from sums of squares. The tool instead counts answer
patterns and forms all pairs at once from weighted sums. Small data sets are
also worked by hand with the `statistics` module and fractions; on the bfi
data the reference itself is checked against psych's published output
(tests/cli/test_analyse_cli.py).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from lpc_assess.model.framework import Band, Framework, Indicator, Scale, Scoring, Theme
from lpc_assess.reports.analysis import analysis_flags, analysis_json
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.instrument import InstrumentData, ThemeAnalysis, analyse_theme
from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse

# --- an independent reference -----------------------------------------------------------------


def _pair(x: np.ndarray, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
    both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
    return x[both, i], x[both, j]


def _smc(r: np.ndarray) -> np.ndarray:
    """R² of each variable regressed on the others (solving the normal equations)."""
    k = r.shape[0]
    out = np.empty(k)
    for i in range(k):
        rest = [j for j in range(k) if j != i]
        beta = np.linalg.solve(r[np.ix_(rest, rest)], r[rest, i])
        out[i] = float(r[i, rest] @ beta)
    return np.clip(out, 0, 1)


def _alpha_1(c: np.ndarray, r: np.ndarray) -> dict[str, float]:
    k = c.shape[0]
    total_c = sum(c[i, j] for i in range(k) for j in range(k))
    total_r = sum(r[i, j] for i in range(k) for j in range(k))
    trace = sum(c[i, i] for i in range(k))
    average_r = (total_r - k) / (k * (k - 1))
    # tr(C·C) is the sum of the squared entries (C is symmetric); sum(C·C) the sum of squared
    # column totals.
    squares = sum(c[i, j] ** 2 for i in range(k) for j in range(k))
    column_squares = sum(sum(c[i, j] for i in range(k)) ** 2 for j in range(k))
    q = (2 * k**2 / ((k - 1) ** 2 * total_c**3)) * (
        total_c * (squares + trace**2) - 2 * trace * column_squares
    )
    return {
        "raw_alpha": (1 - trace / total_c) * k / (k - 1),
        "std_alpha": (1 - k / total_r) * k / (k - 1),
        "g6": 1 - (k - _smc(r).sum()) / total_r,
        "average_r": average_r,
        "s_n": k * average_r / (1 - average_r),
        "q": q,
    }


def psych_alpha(x: np.ndarray, *, cor_from_cov: bool = False) -> dict[str, Any]:
    """psych::alpha(x) for a matrix of keyed values (NaN: unanswered), every item varying.

    `cor_from_cov`: take R as cov2cor(C), as psych did before version 2.4
    (its published bfi output was made that way); else R is the pairwise
    correlation matrix, as psych computes it now.
    """
    n, k = x.shape
    c = np.empty((k, k))
    r = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            a, b = _pair(x, i, j)
            c[i, j] = np.cov(a, b)[0, 1]
            r[i, j] = 1.0 if i == j else np.corrcoef(a, b)[0, 1]
    if cor_from_cov:
        d = np.sqrt(np.diag(c))
        r = c / np.outer(d, d)
    whole = _alpha_1(c, r)
    total = np.array([np.nan if np.isnan(row).all() else np.nanmean(row) for row in x])
    defined = total[~np.isnan(total)]
    smc = _smc(r)
    rc = r.copy()
    np.fill_diagonal(rc, smc)
    items = []
    for i in range(k):
        a, b = _pair(np.column_stack([total, x[:, i]]), 0, 1)
        column = x[~np.isnan(x[:, i]), i]
        rest = [j for j in range(k) if j != i]
        items.append(
            {
                "n": len(column),
                "raw_r": float(np.corrcoef(a, b)[0, 1]),
                "std_r": r[:, i].sum() / math.sqrt(r.sum()),
                "r_cor": rc[:, i].sum() / math.sqrt(rc.sum()),
                "r_drop": (c[:, i].sum() - c[i, i])
                / math.sqrt(c[i, i] * c[np.ix_(rest, rest)].sum()),
                "mean": float(column.mean()),
                "sd": float(column.std(ddof=1)),
                "alpha_if_dropped": _alpha_1(c[np.ix_(rest, rest)], r[np.ix_(rest, rest)])
                if k > 2
                else None,
            }
        )
    return {
        "raw_alpha": whole["raw_alpha"],
        "std_alpha": whole["std_alpha"],
        "g6": whole["g6"],
        "average_r": whole["average_r"],
        "s_n": whole["s_n"],
        "ase": math.sqrt(whole["q"] / n),
        "mean": float(defined.mean()),
        "sd": float(defined.std(ddof=1)),
        "median_r": float(np.median([r[i, j] for i in range(k) for j in range(i)])),
        "n": len(defined),
        "items": items,
    }


THEME_FIGURES = (
    "raw_alpha",
    "std_alpha",
    "g6",
    "average_r",
    "s_n",
    "ase",
    "mean",
    "sd",
    "median_r",
)
ITEM_FIGURES = ("raw_r", "std_r", "r_cor", "r_drop", "mean", "sd")
DROPPED_FIGURES = ("raw_alpha", "std_alpha", "g6", "average_r", "s_n")


def assert_matches_reference(
    analysis: dict[str, Any], reference: dict[str, Any], rel: float = 1e-9
) -> None:
    """Every figure of the tool's JSON for a theme equals the reference's."""
    for name in THEME_FIGURES:
        assert analysis[name] == pytest.approx(reference[name], rel=rel, abs=1e-12), name
    assert analysis["n"] == reference["n"]
    for got, want in zip(analysis["indicators"], reference["items"], strict=True):
        assert got["n"] == want["n"]
        for name in ITEM_FIGURES:
            assert got[name] == pytest.approx(want[name], rel=rel, abs=1e-12), (got["id"], name)
        if want["alpha_if_dropped"] is None:
            assert set(got["alpha_if_dropped"].values()) == {None}
            continue
        for name in DROPPED_FIGURES:
            assert got["alpha_if_dropped"][name] == pytest.approx(
                want["alpha_if_dropped"][name], rel=rel, abs=1e-12
            ), (got["id"], name)


# --- building responses ---------------------------------------------------------------------


def framework_of(
    themes: list[list[bool]], *, low: int = 1, high: int = 5, ids: list[list[str]] | None = None
) -> Framework:
    """A framework in memory: per theme, whether each indicator is reverse-keyed."""
    built = []
    for t, reverses in enumerate(themes):
        names = ids[t] if ids else [f"t{t}-i{i}" for i in range(len(reverses))]
        built.append(
            Theme(
                id=f"t{t}",
                title=f"Theme {t}",
                indicators=[
                    Indicator(id=name, statement=f"I do {name}.", reverse=reverse)
                    for name, reverse in zip(names, reverses, strict=True)
                ],
            )
        )
    return Framework(
        id="test",
        title="Test",
        version="1",
        description=None,
        scale=Scale(min=low, max=high, labels={v: f"label {v}" for v in range(low, high + 1)}),
        scoring=Scoring(min_answered=0.01),
        bands=[Band(id="all", label="All", from_=0)],
        themes=built,
        resources=[],
    )


def collect(framework: Framework, rows: list[list[int | None]]) -> InstrumentData:
    """Every row (answers in framework order, None unanswered) through the pipeline consumer."""
    scorer = CompiledScorer(framework)
    ids = framework.indicator_ids
    records = []
    for n, row in enumerate(rows):
        answers = {i: v for i, v in zip(ids, row, strict=True) if v is not None}
        patterns, overall = scorer.score_answers(answers)
        records.append(ScoredResponse(f"r{n}", None, None, None, "test", n, patterns, overall))
    data = InstrumentData(framework)
    for start in range(0, len(records), 7):  # several chunks, as a source sends them
        data.add(ScoredChunk.of(scorer, records[start : start + 7], "test"))
    data.finish()
    return data


def one_theme(rows: list[list[int | None]], reverses: list[bool] | None = None) -> dict[str, Any]:
    """The JSON of a one-theme framework's analysis of `rows`."""
    framework = framework_of([reverses or [False] * len(rows[0])])
    data = collect(framework, rows)
    analyses = data.analyse(framework)
    flags = [
        analysis_flags(t, a, framework) for t, a in zip(framework.themes, analyses, strict=True)
    ]
    out = analysis_json(
        framework, analyses, flags, responses=data.responses, rejected=0, ratings_of_others=0
    )
    theme: dict[str, Any] = out["themes"][0]
    return theme


def as_matrix(
    rows: list[list[int | None]], reverses: list[bool], low: int, high: int
) -> np.ndarray:
    return np.array(
        [
            [
                np.nan if v is None else float(low + high - v if rev else v)
                for v, rev in zip(row, reverses, strict=True)
            ]
            for row in rows
        ]
    )


# --- by hand ----------------------------------------------------------------------------------

# Four people, three statements, every one answered: small enough to do on paper.
HAND = [[4, 4, 3], [3, 2, 2], [5, 4, 4], [2, 3, 1]]


def test_alpha_by_hand_from_the_variance_formula() -> None:
    # Sample variances (÷ 3) of the columns: 5/3, 11/12, 5/3; of the totals 11, 7, 13, 6: 131/12.
    items = [statistics.variance([Fraction(r[i]) for r in HAND]) for i in range(3)]
    assert items == [Fraction(5, 3), Fraction(11, 12), Fraction(5, 3)]
    total = statistics.variance([Fraction(sum(r)) for r in HAND])
    assert total == Fraction(131, 12)
    alpha = Fraction(3, 2) * (1 - sum(items) / total)
    assert alpha == Fraction(120, 131)
    theme = one_theme(HAND)
    assert theme["raw_alpha"] == pytest.approx(120 / 131, rel=1e-12)


def test_the_other_figures_by_hand() -> None:
    theme = one_theme(HAND)
    columns = [[r[i] for r in HAND] for i in range(3)]
    pairs = [(0, 1), (0, 2), (1, 2)]
    r = [statistics.correlation(columns[a], columns[b]) for a, b in pairs]
    average_r = sum(r) / 3
    assert theme["average_r"] == pytest.approx(average_r, rel=1e-12)
    assert theme["median_r"] == pytest.approx(statistics.median(r), rel=1e-12)
    # Standardised alpha from the sum of the correlation matrix: 3 on the diagonal + 2·Σr.
    assert theme["std_alpha"] == pytest.approx(1.5 * (1 - 3 / (3 + 2 * sum(r))), rel=1e-12)
    assert theme["s_n"] == pytest.approx(3 * average_r / (1 - average_r), rel=1e-12)
    means = [Fraction(sum(row), 3) for row in HAND]
    assert theme["mean"] == pytest.approx(float(statistics.mean(means)), rel=1e-12)
    assert theme["sd"] == pytest.approx(math.sqrt(statistics.variance(means)), rel=1e-12)
    for i, indicator in enumerate(theme["indicators"]):
        rest = [sum(v for j, v in enumerate(row) if j != i) for row in HAND]
        # With every answer given, psych's r.drop is the correlation with the rest score.
        assert indicator["r_drop"] == pytest.approx(
            statistics.correlation(columns[i], rest), rel=1e-12
        )
        assert indicator["raw_r"] == pytest.approx(
            statistics.correlation(columns[i], [float(m) for m in means]), rel=1e-12
        )
        assert indicator["mean"] == pytest.approx(statistics.mean(columns[i]))
        assert indicator["sd"] == pytest.approx(statistics.stdev(columns[i]))
        # Alpha without it, from the variance formula on the other two columns.
        others = [[v for j, v in enumerate(row) if j != i] for row in HAND]
        variances = sum(statistics.variance([o[m] for o in others]) for m in range(2))
        dropped = 2 * (1 - variances / statistics.variance([sum(o) for o in others]))
        assert indicator["alpha_if_dropped"]["raw_alpha"] == pytest.approx(dropped, rel=1e-12)


# Six people: no two statements perfectly correlated, so R can be inverted.
SIX = [[4, 4, 3], [3, 2, 2], [5, 4, 4], [2, 3, 1], [4, 5, 2], [1, 2, 2]]


def test_g6_and_r_cor_use_squared_multiple_correlations() -> None:
    theme = one_theme(SIX)
    x = np.array(SIX, dtype=float)
    # Each smc as the R² of an ordinary least-squares regression on the raw answers.
    smc = []
    for i in range(3):
        design = np.column_stack([np.ones(6), np.delete(x, i, axis=1)])
        fitted = design @ np.linalg.lstsq(design, x[:, i], rcond=None)[0]
        smc.append(float(np.corrcoef(fitted, x[:, i])[0, 1] ** 2))
    r = np.corrcoef(x, rowvar=False)
    assert theme["g6"] == pytest.approx(1 - (3 - sum(smc)) / r.sum(), rel=1e-9)
    overlap = r.copy()
    np.fill_diagonal(overlap, smc)
    for i, indicator in enumerate(theme["indicators"]):
        assert indicator["r_cor"] == pytest.approx(
            overlap[:, i].sum() / math.sqrt(overlap.sum()), rel=1e-9
        )
        assert indicator["std_r"] == pytest.approx(r[:, i].sum() / math.sqrt(r.sum()), rel=1e-12)


def test_a_singular_correlation_matrix_uses_psychs_pseudo_inverse() -> None:
    """In HAND the first and third statements correlate perfectly: R has no inverse.

    psych's `smc` then uses its `Pinv`: singular values below sqrt(machine
    epsilon) times the largest are dropped. Here that is done by hand from the
    eigen-decomposition of R (symmetric, so its eigenvalues are its singular values).
    """
    theme = one_theme(HAND)
    r = np.corrcoef(np.array(HAND, dtype=float), rowvar=False)
    values, vectors = np.linalg.eigh(r)
    keep = np.abs(values) > math.sqrt(np.finfo(float).eps) * np.abs(values).max()
    inverse = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T
    smc = np.clip(1 - 1 / np.diag(inverse), 0, 1)
    assert theme["g6"] == pytest.approx(1 - (3 - smc.sum()) / r.sum(), rel=1e-9)


def test_ase_is_duhachek_and_iacobucci_with_hattoris_correction() -> None:
    theme = one_theme(HAND)
    c = np.cov(np.array(HAND, dtype=float), rowvar=False)
    k, s, t = 3, c.sum(), np.trace(c)
    q = (2 * k**2 / ((k - 1) ** 2 * s**3)) * (s * (np.trace(c @ c) + t**2) - 2 * t * (c @ c).sum())
    assert theme["ase"] == pytest.approx(math.sqrt(q / 4), rel=1e-12)


def test_frequencies_are_shares_of_the_answers_and_missing_of_the_responses() -> None:
    rows: list[list[int | None]] = [[1, 2], [1, 3], [5, None], [2, 4], [None, 5]]
    theme = one_theme(rows, [True, False])
    first, second = theme["indicators"]
    # Raw answers as given (before reversal): 1, 1, 5, 2 of 4 answers; 1 of 5 left blank.
    assert first["frequencies"] == {
        "1": 0.5,
        "2": 0.25,
        "3": 0.0,
        "4": 0.0,
        "5": 0.25,
        "missing": 0.2,
    }
    assert second["frequencies"]["missing"] == 0.2
    assert second["frequencies"]["2"] == 0.25
    # Means are of keyed values: the reverse item's answers 1, 1, 5, 2 count as 5, 5, 1, 4.
    assert first["mean"] == pytest.approx(15 / 4)


# --- against the reference ----------------------------------------------------------------------


def random_rows(
    rng: np.random.Generator,
    n: int,
    k: int,
    blank: float,
    low: int = 1,
    high: int = 5,
    reverses: list[bool] | None = None,
) -> list[list[int | None]]:
    """Answers driven by one trait, so that the items correlate as real ones do.

    A reverse-keyed statement is answered the other way round, as people answer one.
    """
    trait = rng.normal(size=n)
    middle = (low + high) / 2
    flips = reverses or [False] * k
    out: list[list[int | None]] = []
    for person in range(n):
        row: list[int | None] = []
        for flip in flips:
            value = int(np.clip(round(middle + trait[person] + rng.normal(scale=0.9)), low, high))
            if flip:
                value = low + high - value
            row.append(None if rng.random() < blank else value)
        out.append(row)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_missing_answers_are_handled_pairwise_as_the_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = 3 + seed % 4
    reverses = [i % 3 == 2 for i in range(k)]
    rows = random_rows(rng, 40 + 30 * seed, k, blank=0.15, reverses=reverses)
    theme = one_theme(rows, reverses)
    assert_matches_reference(theme, psych_alpha(as_matrix(rows, reverses, 1, 5)))


def test_pairwise_is_not_listwise() -> None:
    """Dropping every incomplete response would give another alpha: psych's default is pairwise."""
    rng = np.random.default_rng(11)
    rows = random_rows(rng, 60, 4, blank=0.3)
    theme = one_theme(rows)
    complete = [r for r in rows if None not in r]
    listwise = one_theme(complete)
    assert theme["raw_alpha"] != pytest.approx(listwise["raw_alpha"], abs=1e-6)
    assert theme["raw_alpha"] == pytest.approx(
        psych_alpha(as_matrix(rows, [False] * 4, 1, 5))["raw_alpha"], rel=1e-12
    )


def test_counting_patterns_gives_the_figures_of_every_row() -> None:
    """The same answers in another order, and repeated, give the same figures as the reference."""
    rng = np.random.default_rng(5)
    rows = random_rows(rng, 30, 4, blank=0.1)
    doubled = rows + rows[::-1]
    theme = one_theme(doubled)
    assert_matches_reference(theme, psych_alpha(as_matrix(doubled, [False] * 4, 1, 5)))


def test_a_two_indicator_theme_has_no_alpha_if_dropped() -> None:
    rows: list[list[int | None]] = [[1, 2], [2, 2], [3, 4], [4, 5], [5, 4]]
    theme = one_theme(rows)
    assert_matches_reference(theme, psych_alpha(as_matrix(rows, [False, False], 1, 5)))
    assert theme["indicators"][0]["alpha_if_dropped"] == dict.fromkeys(DROPPED_FIGURES)


def test_a_scale_from_zero_and_a_reverse_indicator() -> None:
    rng = np.random.default_rng(8)
    reverses = [False, True, False, True]
    rows = random_rows(rng, 50, 4, blank=0.05, low=0, high=4, reverses=reverses)
    framework = framework_of([reverses], low=0, high=4)
    data = collect(framework, rows)
    (analysis,) = data.analyse(framework)
    want = psych_alpha(as_matrix(rows, reverses, 0, 4))
    assert analysis.raw_alpha == pytest.approx(want["raw_alpha"], rel=1e-12)
    assert analysis.indicators[1].mean == pytest.approx(want["items"][1]["mean"], rel=1e-12)


# --- what cannot be computed is said, never a crash ---------------------------------------------


def analysed(rows: list[list[int | None]], reverses: list[bool] | None = None) -> ThemeAnalysis:
    framework = framework_of([reverses or [False] * len(rows[0])])
    (analysis,) = collect(framework, rows).analyse(framework)
    return analysis


def test_one_indicator_is_not_computable() -> None:
    analysis = analysed([[1], [3], [4], [5]])
    assert analysis.raw_alpha is None and analysis.ase is None
    assert analysis.not_computable is not None and "one indicator" in analysis.not_computable
    assert analysis.mean == pytest.approx(13 / 4)
    assert analysis.indicators[0].n == 4


def test_no_variance_anywhere_is_not_computable() -> None:
    analysis = analysed([[3, 3, 3]] * 6)
    assert analysis.raw_alpha is None
    assert analysis.not_computable is not None and "vary" in analysis.not_computable
    assert all(i.no_variance for i in analysis.indicators)
    assert analysis.mean == 3 and analysis.sd == 0


def test_an_item_without_variance_is_left_out_as_psych_does() -> None:
    """psych drops it from C and R but keeps its one value in the total (alpha.R, `sum.bad`)."""
    rng = np.random.default_rng(2)
    rows = [[*row, 4] for row in random_rows(rng, 40, 3, blank=0.1)]
    analysis = analysed(rows)
    assert analysis.indicators[3].no_variance
    assert analysis.indicators[3].r_drop is None and analysis.indicators[3].sd == 0
    kept = as_matrix([r[:3] for r in rows], [False] * 3, 1, 5)
    want = psych_alpha(kept)
    assert analysis.raw_alpha == pytest.approx(want["raw_alpha"], rel=1e-12)
    assert analysis.g6 == pytest.approx(want["g6"], rel=1e-9)
    # The total: (3 · mean of the kept answers + 4) / 4, as psych forms it.
    totals = [(3 * np.nanmean(row) + 4) / 4 for row in kept]
    assert analysis.mean == pytest.approx(float(np.mean(totals)), rel=1e-12)
    assert analysis.sd == pytest.approx(float(np.std(totals, ddof=1)), rel=1e-12)


def test_items_never_answered_together_are_not_computable() -> None:
    rows: list[list[int | None]] = [
        [1, None],
        [2, None],
        [3, None],
        [None, 1],
        [None, 4],
        [None, 5],
    ]
    analysis = analysed(rows)
    assert analysis.raw_alpha is None
    assert analysis.not_computable is not None and "together" in analysis.not_computable


def test_nobody_answered_a_theme() -> None:
    rows: list[list[int | None]] = [[None, None, None]] * 3
    analysis = analysed(rows)
    assert analysis.n == 0 and analysis.mean is None and analysis.raw_alpha is None
    assert [i.frequencies[1] for i in analysis.indicators] == [None] * 3
    assert [i.missing for i in analysis.indicators] == [1.0] * 3


def test_direct_call_with_counts() -> None:
    """`analyse_theme` takes counted patterns; a count of 3 is three identical rows."""
    counts = Counter({(1, 2, 2): 3, (4, 4, 5): 2, (2, 3, 1): 1})
    keyed = {p: p for p in counts}
    analysis = analyse_theme(counts, keyed, 6, 1, 5, 3)
    rows = [list(p) for p, c in counts.items() for _ in range(c)]
    want = psych_alpha(np.array(rows, dtype=float))
    assert analysis.raw_alpha == pytest.approx(want["raw_alpha"], rel=1e-12)
    assert analysis.ase == pytest.approx(want["ase"], rel=1e-12)


# --- flags ----------------------------------------------------------------------------------------


def codes_of(theme: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(f["indicator"], f["code"]) for f in theme["flags"]]


def test_a_miskeyed_statement_is_flagged() -> None:
    rng = np.random.default_rng(4)
    rows = random_rows(rng, 60, 4, blank=0.0)
    # The fourth statement is worded the other way round but not marked `reverse`.
    flipped = [[*row[:3], 6 - row[3]] for row in rows]  # type: ignore[operator]
    theme = one_theme(flipped)
    codes = codes_of(theme)
    assert ("t0-i3", "negative-r-drop") in codes
    assert ("t0-i3", "alpha-if-dropped") in codes
    message = next(f["message"] for f in theme["flags"] if f["code"] == "negative-r-drop")
    assert "keyed the wrong way" in message and "`reverse`" in message
    assert theme["indicators"][3]["r_drop"] < 0
    # Marked `reverse: true`, the same answers raise no flag on it.
    fixed = one_theme(flipped, [False, False, False, True])
    assert not [c for c in codes_of(fixed) if c[0] == "t0-i3"]
    assert fixed["raw_alpha"] > theme["raw_alpha"]


def test_low_alpha_and_bunched_answers_are_flagged() -> None:
    rows: list[list[int | None]] = [
        [5, 1, 3],
        [5, 4, 2],
        [5, 2, 4],
        [4, 5, 1],
        [5, 3, 3],
        [2, 2, 5],
    ]
    theme = one_theme(rows)
    codes = codes_of(theme)
    assert (None, "low-alpha") in codes
    assert ("t0-i0", "end-of-scale") in codes  # 5 of 6 answers at the top
    assert ("t0-i1", "end-of-scale") not in codes
    assert codes[0] == (None, "low-alpha")  # the theme's own flag comes first


def test_exactly_half_at_one_end_is_flagged_and_a_rise_below_002_is_not() -> None:
    rows: list[list[int | None]] = [[1, 2, 2], [1, 3, 3], [3, 4, 4], [4, 5, 4]]
    theme = one_theme(rows)
    assert ("t0-i0", "end-of-scale") in codes_of(theme)  # 2 of 4 answers at the bottom
    for indicator in theme["indicators"]:
        rise = indicator["alpha_if_dropped"]["raw_alpha"] - theme["raw_alpha"]
        flagged = (indicator["id"], "alpha-if-dropped") in codes_of(theme)
        assert flagged == (rise >= 0.02)


def test_flags_for_what_cannot_be_computed() -> None:
    one = one_theme([[1], [2], [4]])
    assert codes_of(one) == [(None, "not-computable")]
    blank = one_theme([[1, None, 2], [2, None, 3], [4, None, 5], [5, None, 4]])
    assert ("t0-i1", "no-answers") in codes_of(blank)
    same = one_theme([[1, 3, 2], [2, 3, 3], [4, 3, 5], [5, 3, 4]])
    assert ("t0-i1", "no-variance") in codes_of(same)
    assert same["raw_alpha"] is not None


def test_the_json_has_the_documented_shape() -> None:
    theme = one_theme(HAND)
    assert list(theme) == [
        "id",
        "n",
        "raw_alpha",
        "std_alpha",
        "g6",
        "average_r",
        "median_r",
        "s_n",
        "ase",
        "mean",
        "sd",
        "indicators",
        "flags",
    ]
    assert list(theme["indicators"][0]) == [
        "id",
        "n",
        "raw_r",
        "std_r",
        "r_cor",
        "r_drop",
        "mean",
        "sd",
        "alpha_if_dropped",
        "frequencies",
    ]
    assert list(theme["indicators"][0]["alpha_if_dropped"]) == list(DROPPED_FIGURES)
    assert list(theme["indicators"][0]["frequencies"]) == ["1", "2", "3", "4", "5", "missing"]
