"""Property-based tests: loaders fail only with InputError, scoring keeps its invariants."""

from __future__ import annotations

import contextlib
import math
import random
import shutil
import statistics
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lpc_assess.diagnostics import InputError
from lpc_assess.inputs.csv_export import CsvOptions, open_export
from lpc_assess.inputs.documents import parse_json, parse_yaml
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.model.answers import parse_answers
from lpc_assess.model.framework import Band, Framework, Indicator, Scale, Scoring, Theme
from lpc_assess.model.framework_check import check_framework
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.person import keyed_value, score_response
from lpc_assess.scoring.scored import ScoredChunk, ScoredResponse
from lpc_assess.scoring.team import TeamSummary
from tests.conftest import BUILTIN, DATA

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# --- mutations of real files ----------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """A real file with a few random edits: deletions, insertions, byte flips, cuts."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "flip", "cut", "duplicate"]))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b":",
                        b"- ",
                        b"\n",
                        b"  ",
                        b"&a ",
                        b"*a",
                        b"!!python/object ",
                        b"{",
                        b"]",
                        b'"',
                        b"\x00",
                        b"\xff",
                        b"\t",
                        b"9" * 40,
                        b".inf",
                        b"~",
                        b",",
                        b";",
                    ]
                )
            )
        elif kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        else:
            end = min(len(data), at + draw(st.integers(1, 80)))
            data[at:at] = data[at:end]
    return bytes(data)


FRAMEWORK_YAML = (BUILTIN / "being.yaml").read_bytes()
ANSWERS_YAML = (DATA / "answers" / "alex.yaml").read_bytes()
CSV_EXPORT = next(iter(sorted((DATA / "csv").glob("*.csv")))).read_bytes()


@SETTINGS
@given(content=mutated(FRAMEWORK_YAML))
def test_a_mutated_framework_gives_diagnostics_never_an_exception(
    tmp_path_factory: object, content: bytes
) -> None:
    folder = Path(tmp_path_factory.mktemp("fw"))  # type: ignore[attr-defined]
    shutil.copytree(BUILTIN, folder, dirs_exist_ok=True)
    (folder / "being.yaml").write_bytes(content)
    check = check_framework(folder)
    # Either it is still a usable framework, or it says exactly why not.
    assert (check.framework is None) == any(d.severity == "error" for d in check.diagnostics)
    for diagnostic in check.diagnostics:
        assert diagnostic.code and diagnostic.message and "\n" not in diagnostic.message


@SETTINGS
@given(content=mutated(ANSWERS_YAML))
def test_mutated_answers_raise_only_input_error(content: bytes) -> None:
    from lpc_assess.inputs.documents import decode_text
    from lpc_assess.model.lookup import load_framework

    framework = load_framework(None)
    try:
        text = decode_text(content, "answers.yaml")
        doc = parse_yaml(text, "answers.yaml")
        if not isinstance(doc.data, dict):
            return
        parse_answers(doc, framework)
    except InputError as exc:
        assert exc.diagnostics and all(d.path == "answers.yaml" for d in exc.diagnostics)


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_as_yaml_or_json_raises_only_input_error(text: str) -> None:
    for parse in (parse_yaml, parse_json):
        with contextlib.suppress(InputError):
            parse(text, "t")


@SETTINGS
@given(content=mutated(CSV_EXPORT))
def test_mutated_csv_export_rejects_rows_or_the_file_never_crashes(
    tmp_path_factory: object, content: bytes
) -> None:
    from lpc_assess.model.lookup import load_framework

    framework = load_framework(None)
    path = Path(tmp_path_factory.mktemp("csv")) / "export.csv"  # type: ignore[attr-defined]
    path.write_bytes(content)
    try:
        export = open_export(path, framework, CompiledScorer(framework), CsvOptions())
        for item in export.chunks():
            if isinstance(item, RejectedRow):
                assert item.row >= 2
    except InputError as exc:
        assert exc.diagnostics


# --- generated frameworks and scoring invariants --------------------------------------------


def build_framework(
    shape: list[list[tuple[bool, float]]],
    low: int,
    high: int,
    theme_weights: list[float],
    min_answered: float = 0.5,
) -> Framework:
    themes = [
        Theme(
            id=f"t{t}",
            title=f"T{t}",
            weight=theme_weights[t],
            indicators=[
                Indicator(id=f"t{t}-i{i}", statement=f"S {t} {i}", reverse=r, weight=w)
                for i, (r, w) in enumerate(indicators)
            ],
        )
        for t, indicators in enumerate(shape)
    ]
    return Framework(
        id="gen",
        title="Generated",
        version="1",
        description=None,
        scale=Scale(min=low, max=high, labels={v: str(v) for v in range(low, high + 1)}),
        scoring=Scoring(min_answered=min_answered),
        bands=[
            Band(id="low", label="Low", from_=0),
            Band(id="high", label="High", from_=50),
        ],
        themes=themes,
        resources=[],
    )


weights = st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.7])
shapes = st.lists(
    st.lists(st.tuples(st.booleans(), weights), min_size=1, max_size=5), min_size=1, max_size=4
)


@st.composite
def framework_and_answers(draw: st.DrawFn) -> tuple[Framework, dict[str, int | None]]:
    shape = draw(shapes)
    low = draw(st.integers(-3, 2))
    high = low + draw(st.integers(1, 9))
    framework = build_framework(
        shape, low, high, [draw(weights) for _ in shape], draw(st.sampled_from([0.01, 0.5, 1.0]))
    )
    answers: dict[str, int | None] = {}
    for indicator in framework.indicators:
        choice = draw(st.one_of(st.none(), st.just("absent"), st.integers(low, high)))
        if choice != "absent":
            answers[indicator.id] = choice  # type: ignore[assignment]
    return framework, answers


@SETTINGS
@given(case=framework_and_answers())
def test_percents_stay_between_0_and_100(case: tuple[Framework, dict[str, int | None]]) -> None:
    framework, answers = case
    score = score_response(framework, answers)
    for theme in score.themes:
        assert theme.percent is None or -1e-9 <= theme.percent <= 100 + 1e-9
        assert (theme.band is None) == (theme.percent is None)
    overall = score.overall_percent
    assert overall is None or -1e-9 <= overall <= 100 + 1e-9
    assert score.complete == all(t.percent is not None for t in score.themes)
    assert len(score.strengths) <= 3 and len(score.priorities) <= 3
    assert all(s.value != framework.scale.min for s in score.strengths)
    assert all(p.value != framework.scale.max for p in score.priorities)


@SETTINGS
@given(case=framework_and_answers(), factor=st.sampled_from([0.1, 0.5, 3.0, 1000.0]))
def test_scaling_every_weight_changes_nothing(
    case: tuple[Framework, dict[str, int | None]], factor: float
) -> None:
    framework, answers = case
    scaled = build_framework(
        [[(i.reverse, i.weight * factor) for i in t.indicators] for t in framework.themes],
        framework.scale.min,
        framework.scale.max,
        [t.weight * factor for t in framework.themes],
        framework.scoring.min_answered,
    )
    a, b = score_response(framework, answers), score_response(scaled, answers)
    for x, y in zip(a.themes, b.themes, strict=True):
        assert (x.percent is None) == (y.percent is None)
        if x.percent is not None and y.percent is not None:
            assert math.isclose(x.percent, y.percent, abs_tol=1e-9)
    if a.overall_percent is not None and b.overall_percent is not None:
        assert math.isclose(a.overall_percent, b.overall_percent, abs_tol=1e-9)


@SETTINGS
@given(low=st.integers(-3, 3), span=st.integers(1, 9), data=st.data())
def test_a_reverse_item_mirrors_its_forward_twin(low: int, span: int, data: st.DataObject) -> None:
    high = low + span
    framework = build_framework([[(False, 1.0)], [(True, 1.0)]], low, high, [1.0, 1.0])
    forward, reverse = framework.indicators
    v = data.draw(st.integers(low, high))
    assert keyed_value(framework, reverse, low + high - v) == keyed_value(framework, forward, v)
    score = score_response(framework, {forward.id: v, reverse.id: low + high - v})
    assert score.themes[0].percent == score.themes[1].percent


def _records(framework: Framework, rows: list[dict[str, int | None]]) -> list[ScoredResponse]:
    scorer = CompiledScorer(framework)
    out = []
    for n, answers in enumerate(rows):
        patterns, overall = scorer.score_answers(answers)
        out.append(ScoredResponse(f"r{n}", None, None, None, "gen", None, patterns, overall))
    return out


def _summary(framework: Framework, records: list[ScoredResponse]) -> dict[str, object]:
    summary = TeamSummary(framework)
    scorer = CompiledScorer(framework)
    for record in records:
        summary.add(ScoredChunk.of(scorer, [record], "gen"))
    return summary.to_json()


@SETTINGS
@given(shape=shapes, seed=st.integers(0, 10_000), n=st.integers(0, 40))
def test_team_statistics_do_not_depend_on_order(
    shape: list[list[tuple[bool, float]]], seed: int, n: int
) -> None:
    framework = build_framework(shape, 1, 5, [1.0] * len(shape))
    rng = random.Random(seed)
    rows = [
        {i.id: rng.choice([None, 1, 2, 3, 4, 5]) for i in framework.indicators} for _ in range(n)
    ]
    records = _records(framework, rows)
    first = _summary(framework, records)
    rng.shuffle(records)
    second = _summary(framework, records)
    assert _close(first, second)


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@SETTINGS
@given(k=st.integers(2, 6), seed=st.integers(0, 10_000), n=st.integers(3, 60))
def test_alpha_and_statistics_equal_a_direct_computation_on_the_full_list(
    k: int, seed: int, n: int
) -> None:
    framework = build_framework([[(i % 3 == 0, 1.0) for i in range(k)]], 1, 5, [1.0])
    rng = random.Random(seed)
    rows: list[dict[str, int | None]] = []
    for _ in range(n):
        trait = rng.randint(1, 5)
        rows.append(
            {
                i.id: (
                    None
                    if rng.random() < 0.1
                    else max(1, min(5, trait + rng.choice([-1, 0, 0, 1])))
                )
                for i in framework.indicators
            }
        )
    summary = _summary(framework, _records(framework, rows))
    (theme,) = summary["themes"]  # type: ignore[misc]
    # Direct, from the full list: listwise keyed values.
    keyed = [
        [keyed_value(framework, i, row[i.id]) for i in framework.indicators]  # type: ignore[arg-type]
        for row in rows
        if all(row[i.id] is not None for i in framework.indicators)
    ]
    assert theme["alpha_n"] == len(keyed)
    if len(keyed) < 3:
        assert theme["alpha"] is None
    else:
        items = list(zip(*keyed, strict=True))
        total_var = statistics.variance([sum(r) for r in keyed])
        if total_var == 0:
            assert theme["alpha"] is None
        else:
            expected = k / (k - 1) * (1 - sum(statistics.variance(c) for c in items) / total_var)
            assert math.isclose(theme["alpha"], expected, rel_tol=1e-9, abs_tol=1e-9)
    means = [score_response(framework, row).themes[0].mean for row in rows]
    scored = [m for m in means if m is not None]
    assert theme["n"] == len(scored)
    if scored:
        assert math.isclose(theme["mean"], statistics.fmean(scored), rel_tol=1e-12)
        assert theme["median"] == statistics.median(scored)
        assert theme["min"] == min(scored) and theme["max"] == max(scored)
    if len(scored) >= 2:
        assert math.isclose(theme["sd"], statistics.stdev(scored), rel_tol=1e-9)
