"""Team statistics: compiled scoring equals the reference, statistics equal an independent
computation, Cronbach's alpha by hand and on the bfi data set."""

from __future__ import annotations

import csv
import math
import random
import statistics
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lpc_assess.scoring.compiled as compiled_module
import lpc_assess.scoring.team as team_module
from lpc_assess.inputs.csv_export import CsvOptions, open_export
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.model.framework import Band, Framework, Indicator, Scale, Scoring, Theme
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse
from lpc_assess.scoring.team import TeamSummary, cronbach_alpha
from tests.conftest import REPO

DATA = REPO / "tests" / "data"
# shared/ stands beside the repository (in CI too); /work/shared on the developers' machines.
BFI_CSV = next(
    (
        p
        for p in (
            REPO.parent / "shared" / "data" / "bfi.csv",
            Path("/work/shared/data/bfi.csv"),
        )
        if p.exists()
    ),
    Path("/work/shared/data/bfi.csv"),
)


# --- helpers --------------------------------------------------------------------------------


def make_framework(
    themes: list[list[tuple[bool, float]]],
    *,
    low: int = 1,
    high: int = 5,
    theme_weights: list[float] | None = None,
    min_answered: float = 0.5,
    bands: tuple[float, ...] = (0, 40, 60, 80),
) -> Framework:
    """A framework built in memory: `themes` lists (reverse, weight) per indicator."""
    built = []
    for t, indicators in enumerate(themes):
        built.append(
            Theme(
                id=f"t{t}",
                title=f"Theme {t}",
                weight=(theme_weights or [1.0] * len(themes))[t],
                indicators=[
                    Indicator(
                        id=f"t{t}-i{i}", statement=f"I do thing {i} of {t}.", reverse=r, weight=w
                    )
                    for i, (r, w) in enumerate(indicators)
                ],
            )
        )
    return Framework(
        id="test",
        title="Test",
        version="1",
        description=None,
        scale=Scale(min=low, max=high, labels={v: f"label {v}" for v in range(low, high + 1)}),
        scoring=Scoring(min_answered=min_answered),
        bands=[Band(id=f"b{i}", label=f"B{i}", from_=f) for i, f in enumerate(bands)],
        themes=built,
        resources=[],
    )


def record(
    scorer: CompiledScorer, answers: dict[str, int | None], rid: str = "x"
) -> ScoredResponse:
    patterns, overall = scorer.score_answers(answers)
    return ScoredResponse(rid, None, None, None, "test", None, patterns, overall)


def single(scorer: CompiledScorer, answers: dict[str, int | None], rid: str = "x") -> ScoredChunk:
    """One response as the pipeline carries it: a chunk of one."""
    return ScoredChunk.of(scorer, [record(scorer, answers, rid)], "test")


def random_answers(framework: Framework, rng: random.Random, blank: float = 0.15) -> dict[str, int]:
    low, high = framework.scale.min, framework.scale.max
    return {i.id: rng.randint(low, high) for i in framework.indicators if rng.random() >= blank}


# --- compiled scoring is the reference scoring ----------------------------------------------

weights = st.sampled_from([1.0, 1.0, 1.0, 0.5, 2.0, 1.5, 0.3, 2.7])
theme_shape = st.lists(st.tuples(st.booleans(), weights), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    themes=st.lists(theme_shape, min_size=1, max_size=4),
    low=st.integers(-2, 1),
    span=st.integers(1, 6),
    theme_weight=st.sampled_from([1.0, 0.5, 2.0, 3.3]),
    min_answered=st.sampled_from([0.5, 1.0, 0.34, 0.01, 2 / 3]),
    seed=st.integers(0, 10_000),
)
def test_compiled_scores_are_the_reference_scores(
    themes: list[list[tuple[bool, float]]],
    low: int,
    span: int,
    theme_weight: float,
    min_answered: float,
    seed: int,
) -> None:
    weights_of_themes = [theme_weight if t % 2 else 1.0 for t in range(len(themes))]
    framework = make_framework(
        themes,
        low=low,
        high=low + span,
        theme_weights=weights_of_themes,
        min_answered=min_answered,
        bands=(0, 33.333333333, 50, 75),
    )
    scorer = CompiledScorer(framework)
    rng = random.Random(seed)
    records = []
    for _ in range(30):
        answers = random_answers(framework, rng, blank=rng.choice([0.0, 0.3, 0.7]))
        reference = score_response(framework, answers)
        scored = record(scorer, answers)
        records.append(scored)
        for pattern, theme in zip(scored.patterns, reference.themes, strict=True):
            assert pattern.outcome.mean == theme.mean
            assert pattern.outcome.percent == theme.percent
            assert pattern.outcome.band is theme.band
            assert pattern.answered == theme.answered
        assert scored.overall.percent == reference.overall_percent
        assert scored.overall.band is reference.overall_band
        assert scored.overall.complete == reference.complete
    # The column-wise path gives the same overall numbers.
    chunk = ScoredChunk.of(scorer, records, "test")
    columns = scorer.overall_columns(chunk.patterns)
    assert columns.percents == [r.overall.percent for r in records]
    assert columns.band_ids == [r.overall.band_id for r in records]
    assert [c.percent for c in columns.cells] == [r.overall.percent for r in records]
    # Overall scores that leave out a theme: counted while the cells are made, and the same
    # when counted afresh from the patterns (as for a chunk put together from records).
    expected = sum(1 for r in records if r.overall.percent is not None and not r.overall.complete)
    assert columns.incomplete == expected
    assert chunk.overall.incomplete == expected


def test_band_boundaries_match_the_reference() -> None:
    framework = make_framework([[(False, 1.0)] * 4], bands=(0, 25, 50, 75))
    scorer = CompiledScorer(framework)
    for answers in (
        {"t0-i0": 2, "t0-i1": 2, "t0-i2": 2, "t0-i3": 2},  # exactly 25%
        {"t0-i0": 4, "t0-i1": 4, "t0-i2": 4, "t0-i3": 4},  # exactly 75%
        {"t0-i0": 1, "t0-i1": 1, "t0-i2": 1, "t0-i3": 2},
    ):
        reference = score_response(framework, answers)
        assert record(scorer, answers).overall.band is reference.overall_band
    # Weights 0.1 and 0.2 with answers 1 and 4 give 49.999999999999986%: a band from 50
    # takes it, because boundaries are compared after rounding away float noise.
    weighted = make_framework([[(False, 0.1), (False, 0.2)]], bands=(0, 50))
    answers = {"t0-i0": 1, "t0-i1": 4}
    reference = score_response(weighted, answers)
    assert reference.overall_percent == 49.999999999999986
    assert reference.overall_band is not None and reference.overall_band.id == "b1"
    scored = record(CompiledScorer(weighted), answers)
    assert scored.overall.band is reference.overall_band
    assert scored.patterns[0].outcome.band is reference.themes[0].band
    chunk = ScoredChunk.of(CompiledScorer(weighted), [scored], "test")
    assert CompiledScorer(weighted).overall_columns(chunk.patterns).band_ids == ["b1"]


def test_no_answers_gives_no_score() -> None:
    framework = make_framework([[(False, 1.0)] * 3, [(True, 1.0)] * 3])
    scored = record(CompiledScorer(framework), {})
    assert scored.overall.percent is None and scored.overall.band is None
    assert [p.outcome.mean for p in scored.patterns] == [None, None]
    assert [t.percent for t in scored.overall.themes] == [None, None]
    assert [t.band_id for t in scored.overall.themes] == ["", ""]
    assert scored.overall.band_id == ""


def test_memos_stay_within_their_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled_module, "MEMO_LIMIT", 5)
    framework = make_framework([[(False, 1.0)] * 6])
    scorer = CompiledScorer(framework)
    rng = random.Random(1)
    for _ in range(200):
        answers = random_answers(framework, rng)
        assert (
            record(scorer, answers).overall.percent
            == score_response(framework, answers).overall_percent
        )
    assert len(scorer.patterns[0]) <= 5
    assert len(scorer.overalls) <= 5


# --- team statistics against the statistics module ------------------------------------------


def test_theme_and_indicator_statistics_match_the_statistics_module() -> None:
    framework = load_framework(None)
    scorer = CompiledScorer(framework)
    rng = random.Random(7)
    summary = TeamSummary(framework)
    all_answers = []
    for k in range(500):
        answers = random_answers(framework, rng, blank=0.4 if k % 5 == 0 else 0.05)
        all_answers.append(answers)
        summary.add(single(scorer, answers, f"p{k}"))
    assert summary.responses == 500
    references = [score_response(framework, a) for a in all_answers]
    for t, stats in enumerate(summary.themes()):
        means = [r.themes[t].mean for r in references if r.themes[t].mean is not None]
        percents = [r.themes[t].percent for r in references if r.themes[t].percent is not None]
        assert stats.id == framework.themes[t].id
        assert stats.n == len(means)
        assert stats.mean == statistics.mean(means)
        assert stats.median == statistics.median(means)
        assert stats.sd is not None and math.isclose(
            stats.sd, statistics.stdev(means), rel_tol=1e-12
        )
        assert stats.min == min(means) and stats.max == max(means)
        assert stats.percent is not None
        assert math.isclose(stats.percent, statistics.mean(percents), rel_tol=1e-12)
        bands = Counter(r.themes[t].band.id for r in references if r.themes[t].band)
        assert stats.bands == {b.id: bands.get(b.id, 0) for b in framework.bands}
    low, high = framework.scale.min, framework.scale.max
    for stats in summary.indicators():
        given_answers = [a[stats.id] for a in all_answers if stats.id in a]
        keyed = [low + high - v if stats.indicator.reverse else v for v in given_answers]
        assert stats.n == len(given_answers)
        assert stats.mean is not None and math.isclose(stats.mean, statistics.mean(keyed))
        assert stats.counts == {v: given_answers.count(v) for v in range(low, high + 1)}
    assert summary.overall_percent is not None
    overall = [r.overall_percent for r in references if r.overall_percent is not None]
    # Exact sums, so the mean is the correctly rounded one that statistics.mean gives.
    assert summary.overall_percent == statistics.mean(overall)
    assert summary.overall_n == len(overall)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    framework = make_framework([[(False, 1.0)]])
    scorer = CompiledScorer(framework)
    summary = TeamSummary(framework)
    for value in (1, 2, 4, 5):
        summary.add(single(scorer, {"t0-i0": value}))
    stats = summary.themes()[0]
    assert stats.median == 3.0 == statistics.median([1.0, 2.0, 4.0, 5.0])
    assert stats.n == 4 and stats.min == 1.0 and stats.max == 5.0


def test_one_response_has_no_sd_and_no_alpha() -> None:
    framework = make_framework([[(False, 1.0)] * 3])
    summary = TeamSummary(framework)
    summary.add(single(CompiledScorer(framework), {"t0-i0": 3, "t0-i1": 4, "t0-i2": 5}))
    stats = summary.themes()[0]
    assert (stats.n, stats.mean, stats.sd, stats.alpha, stats.alpha_n) == (1, 4.0, None, None, 1)


def test_an_empty_team_has_null_statistics() -> None:
    framework = make_framework([[(False, 1.0)] * 3])
    data = TeamSummary(framework).to_json()
    assert data["responses"] == 0
    theme = data["themes"][0]
    assert theme["n"] == 0 and theme["mean"] is None and theme["median"] is None
    assert theme["alpha"] is None and theme["alpha_n"] == 0
    assert data["indicators"][0] == {
        "id": "t0-i0",
        "n": 0,
        "mean": None,
        "counts": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
    }


# --- Cronbach's alpha -----------------------------------------------------------------------


def test_alpha_by_hand() -> None:
    """Three items, four people who answered them all, one who did not (left out).

    item 1: 1 2 3 4  mean 2.5   squares of deviations 2.25+0.25+0.25+2.25 = 5     var 5/3
    item 2: 2 3 3 5  mean 3.25  1.5625+0.0625+0.0625+3.0625 = 4.75                var 4.75/3
    item 3: 2 3 4 5  mean 3.5   2.25+0.25+0.25+2.25 = 5                           var 5/3
    totals: 5 8 10 14  mean 9.25  18.0625+1.5625+0.5625+22.5625 = 42.75           var 42.75/3
    alpha = 3/2 * (1 - (14.75/3) / (42.75/3)) = 1.5 * 28/42.75 = 42/42.75 = 0.98245614...
    """
    framework = make_framework([[(False, 1.0)] * 3])
    scorer = CompiledScorer(framework)
    summary = TeamSummary(framework)
    for a, b, c in ((1, 2, 2), (2, 3, 3), (3, 3, 4), (4, 5, 5)):
        summary.add(single(scorer, {"t0-i0": a, "t0-i1": b, "t0-i2": c}))
    summary.add(single(scorer, {"t0-i0": 1, "t0-i1": 5}))  # not every item: not in alpha
    stats = summary.themes()[0]
    assert stats.alpha_n == 4
    assert stats.alpha is not None and math.isclose(stats.alpha, 42 / 42.75, rel_tol=1e-15)
    assert stats.n == 5  # the fifth person still has a theme score (2 of 3 answered)


def test_alpha_uses_keyed_values_of_reverse_items() -> None:
    # Item 2 is reverse-keyed: people who agree with 1 disagree with 2, so keyed they agree.
    framework = make_framework([[(False, 1.0), (True, 1.0)]])
    scorer = CompiledScorer(framework)
    summary = TeamSummary(framework)
    for a in (1, 2, 4, 5):
        summary.add(single(scorer, {"t0-i0": a, "t0-i1": 6 - a}))
    assert summary.themes()[0].alpha == 1.0


def test_alpha_is_null_when_it_cannot_be_computed() -> None:
    assert cronbach_alpha(1, 10, [10], [20], 10, 20) is None  # one item
    assert cronbach_alpha(3, 2, [2, 2, 2], [2, 2, 2], 6, 18) is None  # two people
    assert cronbach_alpha(2, 3, [6, 6], [12, 12], 12, 48) is None  # totals do not vary
    framework = make_framework([[(False, 1.0)] * 3, [(False, 1.0)]])
    scorer = CompiledScorer(framework)
    summary = TeamSummary(framework)
    for k in range(5):
        summary.add(single(scorer, {"t0-i0": 1 + k % 5, "t0-i1": 2, "t0-i2": 3, "t1-i0": k + 1}))
    first, lone = summary.themes()
    assert first.alpha is not None and first.alpha_n == 5
    assert lone.alpha is None and lone.alpha_n == 5  # k = 1


# --- streaming ------------------------------------------------------------------------------


def test_streaming_in_any_grouping_gives_the_same_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    framework = load_framework(None)
    scorer = CompiledScorer(framework)
    rng = random.Random(11)
    records = [record(scorer, random_answers(framework, rng), f"p{k}") for k in range(700)]
    one_by_one = TeamSummary(framework)
    for r in records:
        one_by_one.add(ScoredChunk.of(scorer, [r], "test"))
    expected = one_by_one.to_json()
    # Chunks of odd sizes, with the pattern counters folded as often as possible.
    monkeypatch.setattr(team_module, "FOLD_LIMIT", 2)
    chunked = TeamSummary(framework)
    for start in range(0, len(records), 97):
        chunked.add(ScoredChunk.of(scorer, records[start : start + 97], "test"))
    mixed = TeamSummary(framework)
    start = 0
    for size in [1, 2, 3, 5, 8, 13, 21, 34, 55, 89] * 10:
        mixed.add(ScoredChunk.of(scorer, records[start : start + size], "test"))
        start += size
        if start >= len(records):
            break
    for summary in (chunked, mixed):
        got = summary.to_json()
        assert got["themes"] == expected["themes"]
        assert got["indicators"] == expected["indicators"]
        assert got["responses"] == 700
        assert summary.overall_n == one_by_one.overall_n
        assert summary.overall_percent is not None and one_by_one.overall_percent is not None
        assert math.isclose(summary.overall_percent, one_by_one.overall_percent)


def test_summary_json_has_the_shape_of_product_section_5() -> None:
    framework = load_framework(None)
    scorer = CompiledScorer(framework)
    summary = TeamSummary(framework)
    summary.add(single(scorer, random_answers(framework, random.Random(3), blank=0.0)))
    summary.rejected = 2
    summary.errors = [{"source": "team.csv", "row": 12, "column": "Q3", "message": "bad"}]
    data = summary.to_json()
    assert list(data) == [
        "framework",
        "responses",
        "rejected",
        "themes",
        "indicators",
        "facets",
        "subjects",
        "errors",
        "ignored_columns",
    ]
    assert data["ignored_columns"] == []
    assert data["framework"] == {"id": "personalised-care", "version": "1.0"}
    assert (data["responses"], data["rejected"], data["subjects"]) == (1, 2, [])
    assert list(data["themes"][0]) == [
        "id",
        "n",
        "mean",
        "sd",
        "median",
        "min",
        "max",
        "percent",
        "bands",
        "alpha",
        "alpha_n",
    ]
    assert list(data["themes"][0]["bands"]) == ["emerging", "developing", "established", "leading"]
    assert list(data["indicators"][0]) == ["id", "n", "mean", "counts"]
    assert list(data["indicators"][0]["counts"]) == ["1", "2", "3", "4", "5"]


# --- the bfi data set -----------------------------------------------------------------------

BFI_SCALES = {
    "agreeableness": ["A1", "A2", "A3", "A4", "A5"],
    "conscientiousness": ["C1", "C2", "C3", "C4", "C5"],
    "extraversion": ["E1", "E2", "E3", "E4", "E5"],
    "neuroticism": ["N1", "N2", "N3", "N4", "N5"],
    "openness": ["O1", "O2", "O3", "O4", "O5"],
}
BFI_REVERSE = {"A1", "C4", "C5", "E1", "E2", "O2", "O5"}
# psych::alpha(bfi) raw_alpha, rounded (pairwise covariances, so not exactly listwise).
PUBLISHED_ALPHA = {
    "agreeableness": 0.70,
    "conscientiousness": 0.72,
    "extraversion": 0.76,
    "neuroticism": 0.81,
    "openness": 0.60,
}


def direct_alpha(rows: list[dict[str, str]], items: list[str]) -> tuple[float, int]:
    """Listwise alpha straight from the CSV rows, with the statistics module."""
    complete = [
        [7 - int(row[i]) if i in BFI_REVERSE else int(row[i]) for i in items]
        for row in rows
        if all(row[i] != "NA" for i in items)
    ]
    k = len(items)
    item_variances = [statistics.variance([r[j] for r in complete]) for j in range(k)]
    total_variance = statistics.variance([sum(r) for r in complete])
    return k / (k - 1) * (1 - sum(item_variances) / total_variance), len(complete)


@pytest.mark.skipif(not BFI_CSV.exists(), reason="the shared bfi data set is not here")
def test_alpha_on_the_bfi_data_set() -> None:
    framework = load_framework(str(DATA / "frameworks" / "bfi"))
    scorer = CompiledScorer(framework)
    export = open_export(BFI_CSV, framework, scorer, CsvOptions(id_column="X"))
    summary = TeamSummary(framework)
    for item in export.chunks():
        assert not isinstance(item, RejectedRow), item
        summary.add(item)
    assert summary.responses == 2800
    with BFI_CSV.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for stats in summary.themes():
        expected, used = direct_alpha(rows, BFI_SCALES[stats.id])
        assert stats.alpha_n == used
        assert stats.alpha is not None
        assert math.isclose(stats.alpha, expected, rel_tol=1e-12)
        assert abs(stats.alpha - PUBLISHED_ALPHA[stats.id]) <= 0.02
    first = summary.indicators()[0]
    a1 = [int(r["A1"]) for r in rows if r["A1"] != "NA"]
    assert first.n == len(a1)
    assert first.counts == {v: a1.count(v) for v in range(1, 7)}


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), cut=st.integers(0, 60), blank=st.sampled_from([0.0, 0.4]))
def test_two_summaries_merged_are_one_summary_of_everything(
    seed: int, cut: int, blank: float
) -> None:
    """What a batch read in two halves relies on (pipeline/halves.py): every figure of
    the merged summary is that of one summary given every chunk."""
    framework = make_framework(
        [[(False, 1.0), (True, 1.0), (False, 2.0)], [(True, 1.0)] * 4, [(False, 0.5)] * 2],
        theme_weights=[1.0, 2.0, 0.5],
    )
    scorer = CompiledScorer(framework)
    rng = random.Random(seed)
    chunks = [single(scorer, random_answers(framework, rng, blank), f"p{i}") for i in range(60)]
    whole, first, second = TeamSummary(framework), TeamSummary(framework), TeamSummary(framework)
    for i, chunk in enumerate(chunks):
        whole.add(chunk)
        (first if i < cut else second).add(chunk)
    first.rejected, second.rejected, whole.rejected = 2, 3, 5
    first.merge(second)
    assert first.to_json() == whole.to_json()
    assert first.overall_percent == whole.overall_percent
    assert first.overall_n == whole.overall_n and first.overall_bands == whole.overall_bands
    assert first.overall_incomplete == whole.overall_incomplete
    assert [s.alpha_n for s in first.themes()] == [s.alpha_n for s in whole.themes()]


def test_summaries_of_other_frameworks_are_not_merged() -> None:
    one = TeamSummary(make_framework([[(False, 1.0)] * 2]))
    other = TeamSummary(make_framework([[(False, 1.0)] * 3]))
    with pytest.raises(ValueError, match="sums of 3 indicators added to sums of 2"):
        one.merge(other)
