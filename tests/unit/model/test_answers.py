"""Answers files, docs/answers-and-imports.md: YAML and JSON, and one exact diagnostic per problem.

The files are real, under tests/data/answers/; messages name them relative to
that folder, as a user who runs the tool there would see them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lpc_assess.diagnostics import InputError
from lpc_assess.model.answers import Response, load_answers
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from tests.conftest import DATA

ANSWERS = DATA / "answers"


@pytest.fixture(scope="module")
def builtin() -> Framework:
    return load_framework(None)


@pytest.fixture(autouse=True)
def _in_answers_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ANSWERS)


def errors(name: str, framework: Framework) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_answers(Path(name), framework)
    return [d.text() for d in caught.value.diagnostics]


def test_yaml_and_json_give_the_same_response(builtin: Framework) -> None:
    from_yaml, yaml_warnings = load_answers(Path("alex.yaml"), builtin)
    from_json, json_warnings = load_answers(Path("alex.json"), builtin)
    assert yaml_warnings == json_warnings == []
    assert from_yaml.answers == from_json.answers
    assert from_yaml.notes == from_json.notes
    assert from_yaml.pledge == from_json.pledge
    assert (from_yaml.respondent_id, from_yaml.respondent_name) == ("alex-smith", "Alex Smith")
    assert from_yaml.completed == from_json.completed
    assert from_yaml.completed is not None and from_yaml.completed.isoformat() == (
        "2026-11-22T10:14:00+00:00"
    )


def test_answers_skips_and_absent_indicators(builtin: Framework) -> None:
    response, _ = load_answers(Path("alex.yaml"), builtin)
    assert response.answers["knows-what-matters"] == 4
    assert response.answers["shares-stories"] is None  # an explicit skip
    assert len(response.answers) == 24
    partial, _ = load_answers(Path("alex-earlier.yaml"), builtin)
    assert "scales-with-quality" not in partial.answers  # absent: simply unanswered
    assert partial.completed is not None and partial.started is None


def test_a_different_framework_version_is_a_warning(builtin: Framework) -> None:
    response, warnings = load_answers(Path("old-version.yaml"), builtin)
    assert [w.text() for w in warnings] == [
        "old-version.yaml:2:20: warning[version-mismatch]: answers were given to version 0.9 "
        "of 'personalised-care'; scoring with version 1.0"
    ]
    # 4.0 is the whole number 4; null is unanswered; skip is a skip.
    assert response.answers == {"knows-what-matters": 4, "steps-back": None}
    assert isinstance(response.answers["knows-what-matters"], int)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "invalid/unknown-indicator.yaml",
            "invalid/unknown-indicator.yaml:4:3: error[unknown-indicator]: unknown indicator "
            "'knows-what-mater' (did you mean 'knows-what-matters'?)",
        ),
        (
            "invalid/fraction.yaml",
            "invalid/fraction.yaml:3:18: error[invalid-answer]: answer to 'listens-first' must "
            "be a whole number from 1 to 5 or 'skip', not number 2.5",
        ),
        (
            "invalid/yes.yaml",
            "invalid/yes.yaml:3:18: error[invalid-answer]: answer to 'listens-first' must be a "
            "whole number from 1 to 5 or 'skip', not true/false value true (YAML reads an "
            "unquoted yes/no/on/off as true/false)",
        ),
        (
            "invalid/inf.yaml",
            "invalid/inf.yaml:3:18: error[invalid-answer]: answer to 'listens-first' must be a "
            "whole number from 1 to 5 or 'skip', not number inf",
        ),
        (
            "invalid/nan.yaml",
            "invalid/nan.yaml:3:18: error[invalid-answer]: answer to 'listens-first' must be a "
            "whole number from 1 to 5 or 'skip', not number nan",
        ),
        (
            "invalid/text.yaml",
            "invalid/text.yaml:3:18: error[invalid-answer]: answer to 'listens-first' must be a "
            "whole number from 1 to 5 or 'skip', not text 'often'",
        ),
        (
            "invalid/huge-integer.yaml",
            "invalid/huge-integer.yaml:3:18: error[number-too-large]: a number with 5000 digits "
            "is too large",
        ),
        (
            "invalid/framework-mismatch.yaml",
            "invalid/framework-mismatch.yaml:1:12: error[framework-mismatch]: answers are for "
            "framework 'leadership-360', not 'personalised-care' (use --framework)",
        ),
        (
            "invalid/syntax.yaml",
            "invalid/syntax.yaml:2:1: error[yaml-syntax]: YAML syntax error: while parsing a flow "
            "sequence: did not find expected ',' or ']'",
        ),
    ],
)
def test_one_exact_error_per_bad_file(builtin: Framework, name: str, expected: str) -> None:
    assert errors(name, builtin) == [expected]


def test_values_outside_the_scale_at_both_ends(builtin: Framework) -> None:
    assert errors("invalid/out-of-scale.yaml", builtin) == [
        "invalid/out-of-scale.yaml:3:18: error[answer-out-of-scale]: answer 6 to "
        "'listens-first' is outside the scale 1..5",
        "invalid/out-of-scale.yaml:4:15: error[answer-out-of-scale]: answer 0 to 'steps-back' "
        "is outside the scale 1..5",
    ]


def test_every_problem_in_a_file_is_reported_in_file_order(builtin: Framework) -> None:
    assert errors("invalid/several.yaml", builtin) == [
        "invalid/several.yaml:2:23: error[unknown-key]: unknown key 'nmae' (did you mean 'name'?)",
        "invalid/several.yaml:4:18: error[answer-out-of-scale]: answer 9 to 'listens-first' is "
        "outside the scale 1..5",
        "invalid/several.yaml:5:3: error[unknown-indicator]: unknown indicator 'steps-bak' "
        "(did you mean 'steps-back'?)",
        "invalid/several.yaml:6:23: error[invalid-answer]: answer to 'knows-what-matters' must "
        "be a whole number from 1 to 5 or 'skip', not number 2.5",
        "invalid/several.yaml:8:3: error[unknown-note]: note for 'beeing', which is neither an "
        "indicator nor a theme (did you mean 'being'?)",
    ]


def test_skip_where_the_framework_offers_no_skip() -> None:
    zero = load_framework(str(DATA / "frameworks" / "zero-based"))
    assert errors("invalid/skip-not-allowed.yaml", zero) == [
        "invalid/skip-not-allowed.yaml:4:7: error[skip-not-allowed]: 'z2' is skipped, but this "
        "framework offers no skip answer"
    ]


def test_zero_is_a_valid_answer_on_a_zero_based_scale(tmp_path: Path) -> None:
    zero = load_framework(str(DATA / "frameworks" / "zero-based"))
    path = tmp_path / "zero.yaml"
    path.write_text("framework: zero-based\nanswers: {z1: 0, y1: 4}\n")
    response, _ = load_answers(path, zero)
    assert response.answers == {"z1": 0, "y1": 4}


def test_json_nan_is_rejected_as_json(builtin: Framework) -> None:
    [line] = errors("invalid/nan.json", builtin)
    assert line.startswith("invalid/nan.json")
    assert line.endswith("error[json-syntax]: JSON error: NaN is not valid JSON")


def test_json_huge_integer_is_rejected(builtin: Framework) -> None:
    [line] = errors("invalid/huge-integer.json", builtin)
    assert "a number with 5000 digits is too large" in line
    assert len(line) < 200  # the number itself is never echoed


@pytest.mark.parametrize(
    ("name", "where"), [("invalid/nan.json", ":2:31:"), ("invalid/huge-integer.json", ":2:31:")]
)
def test_json_value_errors_have_a_line_and_column(
    builtin: Framework, name: str, where: str
) -> None:
    [line] = errors(name, builtin)
    assert where in line


def test_response_round_trips_through_its_data(builtin: Framework, tmp_path: Path) -> None:
    from lpc_assess.model.answers import dump_answers

    response, _ = load_answers(Path("alex.yaml"), builtin)
    for fmt in ("yaml", "json"):
        path = tmp_path / f"again.{fmt}"
        path.write_text(dump_answers(response, fmt=fmt))
        again, _ = load_answers(path, builtin)
        assert isinstance(again, Response)
        assert again.answers == response.answers
        assert again.notes == response.notes
        assert again.pledge == response.pledge
        assert again.completed == response.completed
