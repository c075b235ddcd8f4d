"""Facets end to end through the real command line (docs/facets.md): `validate`, `report`
(JSON, Markdown, HTML), `batch` from answers files and a spreadsheet (summary, scores file,
team report), `blank`, and 360 raters' facets.

The facet sections of the Markdown reports are kept as golden files in
tests/data/golden/facets/; after an intended change, regenerate them with

    LPC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_facets_cli.py

and read the diff before committing it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import statistics
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lpc_assess.cli import app
from tests.conftest import BUILTIN, DATA, run_cli

runner = CliRunner()
MINI = DATA / "valid" / "facets"
ANSWERS = MINI / "answers"
GOLDEN = DATA / "golden" / "facets"
UPDATE = os.environ.get("LPC_UPDATE_GOLDEN") == "1"


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def section(text: str, heading: str) -> str:
    """A Markdown report's section, from its `## heading` to the next `## `."""
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end + 1 if end >= 0 else len(text)]


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with LPC_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


# --- validate ---------------------------------------------------------------------------------


def test_the_builtin_framework_and_a_facet_framework_validate_cleanly() -> None:
    result = run_cli("validate", "--strict", str(BUILTIN), str(MINI))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "2 framework(s) checked: 0 error(s), 0 warning(s)" in result.stderr


def test_facet_rules_reach_every_output_format() -> None:
    folder = DATA / "invalid" / "duplicate-id-facet"
    code, out, _ = invoke("validate", folder, "--format", "json")
    assert code == 1
    found = [(d["line"], d["col"], d["code"]) for d in json.loads(out)]
    assert found == [(33, 11, "duplicate-id"), (39, 11, "duplicate-id"), (45, 11, "duplicate-id")]
    code, out, _ = invoke(
        "validate", DATA / "invalid" / "warn-no-facet-actions", "--format", "github"
    )
    assert code == 0  # warnings alone do not fail
    assert out.splitlines()[1].startswith("::warning file=")
    assert ",line=33,col=7,title=no-actions::no-actions: facet 'dare' has no actions" in out
    code, _, _ = invoke("validate", DATA / "invalid" / "warn-no-facet-actions", "--strict")
    assert code == 1


# --- report -----------------------------------------------------------------------------------


def test_report_json_has_the_facets_worked_out_by_hand() -> None:
    code, out, err = invoke("report", MINI / "builtin-alex.yaml", "--format", "json")
    assert code == 0, err
    facets = json.loads(out)["facets"]
    assert facets == {
        "themes": {
            "being": {
                "knowledge": 75.0,
                "skill": 50.0,
                "will": 100.0,
                "confidence": 25.0,
                "ability": 62.5,
                "willingness": 62.5,
                "quadrant": "delegate",
                "limiting": "confidence",
            },
            "relating-and-communicating": {
                "knowledge": 25.0,
                "skill": 0.0,
                "will": 75.0,
                "confidence": 75.0,
                "ability": 12.5,
                "willingness": 75.0,
                "quadrant": "guide",
                "limiting": "skill",
            },
            "leading-and-visioning": {
                "knowledge": 100.0,
                "skill": 75.0,
                "will": 25.0,
                "confidence": 50.0,
                "ability": 87.5,
                "willingness": 37.5,
                "quadrant": "excite",
                "limiting": "will",
            },
            "delivering": {
                "knowledge": 25.0,
                "skill": 25.0,
                "will": 50.0,
                "confidence": 25.0,
                "ability": 25.0,
                "willingness": 37.5,
                "quadrant": "direct",
                "limiting": "knowledge",
            },
        },
        # Every theme has weight 1: plain means over the four themes.
        "overall": {
            "knowledge": (75 + 25 + 100 + 25) / 4,
            "skill": (50 + 0 + 75 + 25) / 4,
            "will": (100 + 75 + 25 + 50) / 4,
            "confidence": (25 + 75 + 50 + 25) / 4,
        },
    }


def test_report_json_without_facet_answers_has_nulls_and_without_facets_null() -> None:
    code, out, _ = invoke("report", DATA / "answers" / "alex.yaml", "--format", "json")
    assert code == 0
    facets = json.loads(out)["facets"]
    assert facets["overall"] == {"knowledge": None, "skill": None, "will": None, "confidence": None}
    assert facets["themes"]["being"]["quadrant"] is None
    code, out, _ = invoke(
        "report",
        DATA / "answers" / "one-to-five.yaml",
        "--framework",
        DATA / "frameworks" / "one-to-five",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["facets"] is None


def test_person_report_shows_what_holds_each_theme_back() -> None:
    code, md, err = invoke("report", MINI / "builtin-alex.yaml")
    assert code == 0, err
    part = section(md, "What holds you back, theme by theme")
    golden("builtin-alex.md", part)
    # The theme's own actions for its limiting facet replace the facet's (Relating: skill).
    assert "Book onto a short course in health coaching" in part
    # The facet's actions, with the theme's title filled in (Delivering: knowledge is the
    # theme's own; Leading and Visioning: will is the facet's).
    assert "Ask one person you support what difference it would make" in part
    code, html, _ = invoke("report", MINI / "builtin-alex.yaml", "--format", "html")
    assert code == 0
    assert '<section class="panel" aria-labelledby="facets">' in html
    assert '<h2 id="facets">What holds you back, theme by theme</h2>' in html
    assert '<td role="cell">' in html and "Keen and still learning" in html


# --- batch ------------------------------------------------------------------------------------


def _percent(value: int) -> float:
    return 100 * value / 6


def _independent_summary() -> dict[str, dict[str, tuple[int, float | None, float | None]]]:
    """n, mean and sd of every facet's percents for kim, lee (answers files) and ana, ben,
    cal (team.csv), read from the files here, not through the tool."""
    import yaml

    people: list[dict[str, dict[str, int]]] = []
    for name in ("kim.yaml", "lee.yaml"):
        people.append(yaml.safe_load((ANSWERS / name).read_text())["facets"])
    labels = {"Mostly": 4, "4 - Mostly": 4, "Completely": 6}
    columns = {
        8: ("listening", "know"),
        9: ("listening", "can"),
        10: ("listening", "want"),
        11: ("planning", "know"),
        12: ("planning", "can"),
        13: ("planning", "want"),
    }
    rows = list(csv.reader(io.StringIO((MINI / "team.csv").read_text(encoding="utf-8"))))
    for row in rows[1:]:
        person: dict[str, dict[str, int]] = {"listening": {}, "planning": {}}
        for at, (theme, facet) in columns.items():
            cell = row[at]
            if cell in ("", "Cannot say"):
                continue
            person[theme][facet] = labels[cell] if cell in labels else int(cell)
        people.append(person)
    out: dict[str, dict[str, tuple[int, float | None, float | None]]] = {}
    for theme in ("listening", "planning"):
        out[theme] = {}
        for facet in ("know", "can", "want"):
            values = [_percent(p[theme][facet]) for p in people if facet in p.get(theme, {})]
            out[theme][facet] = (
                len(values),
                statistics.mean(values) if values else None,
                statistics.stdev(values) if len(values) > 1 else None,
            )
    return out


def test_batch_of_answers_files_and_a_spreadsheet(tmp_path: Path) -> None:
    summary, scores, out = tmp_path / "summary.json", tmp_path / "scores.csv", tmp_path / "out"
    code, _, err = invoke(
        "batch",
        ANSWERS,
        MINI / "team.csv",
        "--framework",
        MINI,
        "--summary",
        summary,
        "--scores",
        scores,
        "--out-dir",
        out,
        "--format",
        "md",
    )
    assert code == 0, err
    # The peer's rating of kim is not a self-assessment: its facets are left out, said once.
    assert "warning[rater-facets]: facets are a self-assessment" in err
    data = json.loads(summary.read_text())
    assert [e["code"] for e in data["errors"]] == ["rater-facets"]
    assert data["errors"][0]["severity"] == "warning"
    expected = _independent_summary()
    themes = data["facets"]["themes"]
    for theme, facets in expected.items():
        for facet, (n, mean, sd) in facets.items():
            got = themes[theme][facet]
            assert got["n"] == n
            assert got["mean"] == pytest.approx(mean) if mean is not None else got["mean"] is None
            assert got["sd"] == pytest.approx(sd) if sd is not None else got["sd"] is None
    # Quadrants and limiting facets, person by person (threshold 60). Listening: kim
    # delegate, can (66.7, tied with want: can comes first); lee direct, know (0); ana
    # ability (66.7 + 66.7) / 2, want 100: delegate, know (tied with can: know first);
    # ben all at the top: delegate, nothing limits; cal ability (16.7 + 0) / 2, want 83.3:
    # guide, can (0).
    assert themes["listening"]["quadrants"] == {"delegate": 3, "guide": 1, "excite": 0, "direct": 1}
    assert themes["listening"]["limiting"] == {"know": 2, "can": 2, "want": 0}
    # planning: kim guide (know), lee delegate (none), ana know 50 only (no quadrant; know),
    # ben delegate (none), cal ability 33.3, want 16.7: direct (want).
    assert themes["planning"]["quadrants"] == {"delegate": 2, "guide": 1, "excite": 0, "direct": 1}
    assert themes["planning"]["limiting"] == {"know": 2, "can": 0, "want": 1}

    rows = list(csv.DictReader(io.StringIO(scores.read_text())))
    by_id = {row["id"]: row for row in rows}
    assert list(rows[0])[-8:] == [
        "listening.know",
        "listening.can",
        "listening.want",
        "listening.quadrant",
        "planning.know",
        "planning.can",
        "planning.want",
        "planning.quadrant",
    ]
    assert [by_id["kim"][k] for k in list(rows[0])[-8:]] == [
        "83.33", "66.67", "66.67", "delegate", "16.67", "33.33", "100", "guide"
    ]  # fmt: skip
    assert [by_id["ana"][k] for k in list(rows[0])[-4:]] == ["50", "", "", ""]
    assert "sam" not in by_id  # a 360 rating of someone else has no row

    team = (out / "team.md").read_text()
    golden("team.md", section(team, "What holds the team back"))
    person = (out / "kim-lo.md").read_text()  # named after the respondent
    assert "- **Ready to lead** (Listening): " in person


def test_scores_as_json_lines_carry_typed_facet_values(tmp_path: Path) -> None:
    scores = tmp_path / "scores.jsonl"
    code, _, err = invoke("batch", ANSWERS / "kim.yaml", "--framework", MINI, "--scores", scores)
    assert code == 0, err
    (line,) = [json.loads(x) for x in scores.read_text().splitlines()]
    assert line["listening.know"] == pytest.approx(500 / 6)
    assert line["listening.quadrant"] == "delegate"
    assert line["planning.want"] == 100.0 and line["planning.quadrant"] == "guide"
    assert list(line)[-1] == "planning.quadrant"


def test_anonymised_batch_keeps_the_facet_statistics(tmp_path: Path) -> None:
    plain, hidden = tmp_path / "plain.json", tmp_path / "hidden.json"
    for target, extra in ((plain, []), (hidden, ["--anonymise"])):
        code, _, err = invoke(
            "batch", ANSWERS / "kim.yaml", ANSWERS / "lee.yaml", MINI / "team.csv",
            "--framework", MINI, "--summary", target, *extra,
        )  # fmt: skip
        assert code == 0, err
    assert json.loads(plain.read_text())["facets"] == json.loads(hidden.read_text())["facets"]


def test_a_filled_in_blank_spreadsheet_is_read_with_its_facets(tmp_path: Path) -> None:
    code, out, _ = invoke("blank", "--format", "csv", "--framework", MINI)
    assert code == 0
    header, prompts = list(csv.reader(io.StringIO(out)))
    assert header[2:8] == [
        "asks-first",
        "reflects-back",
        "waits",
        *(f"listening.{f}" for f in ("know", "can", "want")),
    ]
    assert prompts[5:8] == [
        "I know how Listening is done well.",
        "I have practised Listening.",
        "I want to get better at Listening.",
    ]
    filled = tmp_path / "filled.csv"
    values = ["kim", "Kim", "3", "3", "3", "6", "Partly", "", "4", "4", "4", "0", "1", "2"]
    with filled.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, prompts, values])
    summary = tmp_path / "summary.json"
    code, _, err = invoke("batch", filled, "--framework", MINI, "--summary", summary)
    assert code == 0, err
    themes = json.loads(summary.read_text())["facets"]["themes"]
    assert themes["listening"]["know"] == {"n": 1, "mean": 100.0, "sd": None}
    assert themes["listening"]["can"]["mean"] == 50.0
    assert themes["listening"]["want"]["n"] == 0
    assert themes["planning"]["quadrants"] == {"delegate": 0, "guide": 0, "excite": 0, "direct": 1}


def test_a_spreadsheet_without_facet_columns_says_no_one_answered(tmp_path: Path) -> None:
    export = tmp_path / "plain.csv"
    export.write_text(
        "id,asks-first,reflects-back,waits,shares-plans,reviews-plans,writes-goals\n"
        "kim,1,2,3,4,5,1\n"
    )
    summary, out = tmp_path / "summary.json", tmp_path / "out"
    code, _, err = invoke(
        "batch",
        export,
        "--framework",
        MINI,
        "--summary",
        summary,
        "--out-dir",
        out,
        "--format",
        "md",
    )
    assert code == 0, err
    themes = json.loads(summary.read_text())["facets"]["themes"]
    assert themes["listening"]["quadrants"] == {"delegate": 0, "guide": 0, "excite": 0, "direct": 0}
    assert themes["listening"]["know"] == {"n": 0, "mean": None, "sd": None}
    team = (out / "team.md").read_text()
    assert "No one answered the questions about know-how, practice and drive" in team


def test_a_framework_without_facets_has_null_facets_in_the_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    code, _, err = invoke(
        "batch",
        DATA / "answers" / "one-to-five.yaml",
        "--framework",
        DATA / "frameworks" / "one-to-five",
        "--summary",
        summary,
    )
    assert code == 0, err
    assert json.loads(summary.read_text())["facets"] is None
