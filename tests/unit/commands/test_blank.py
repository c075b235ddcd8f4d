"""`blank`: an empty answers template that is itself a valid answers file (or CSV header)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lpc_assess.cli import app
from lpc_assess.commands.blank import blank_yaml
from lpc_assess.model.answers import load_answers
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.person import score_response
from tests.conftest import DATA

runner = CliRunner()
FRAMEWORKS = DATA / "frameworks"


@pytest.mark.parametrize(
    "framework", [None, str(FRAMEWORKS / "one-to-five"), str(FRAMEWORKS / "zero-based")]
)
def test_blank_yaml_loads_back_with_every_indicator_unanswered(
    framework: str | None, tmp_path: Path
) -> None:
    args = ["blank", "--format", "yaml"] + (["--framework", framework] if framework else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    path = tmp_path / "blank.yaml"
    path.write_text(result.stdout)
    loaded = load_framework(framework)
    response, warnings = load_answers(path, loaded)
    assert warnings == []
    assert response.framework_id == loaded.id
    assert response.framework_version == loaded.version
    assert response.answers == {}
    assert response.notes == {} and response.pledge is None
    assert response.facets == {}
    # every id is listed, in framework order, for the person to fill in (the facets,
    # when the framework has them, follow under `facets:`)
    answers_part, _, facets_part = result.stdout.partition("\nfacets:\n")
    listed = [
        line.strip().rstrip(":")
        for line in answers_part.splitlines()
        if line.startswith("  ") and line.strip().endswith(":") and not line.startswith("  id")
    ]
    assert listed == loaded.indicator_ids
    facet_keys = [
        line.strip().rstrip(":")
        for line in facets_part.splitlines()
        if line.startswith("    ") and line.strip().endswith(":")
    ]
    assert facet_keys == (
        [f.id for _ in loaded.themes for f in loaded.facets.items] if loaded.facets else []
    )
    score = score_response(loaded, response.answers)
    assert score.overall_percent is None and not score.complete


def test_blank_yaml_names_the_scale_and_the_statements() -> None:
    text = runner.invoke(app, ["blank", "--format", "yaml"]).stdout
    assert "1 = Not yet, 2 = Rarely, 3 = Sometimes, 4 = Often, 5 = Consistently" in text
    assert "or skip (Not applicable)" in text
    assert "# I judge my own work by whether it helps people" in text


def test_filled_in_blank_yaml_is_scored(tmp_path: Path) -> None:
    framework = load_framework(str(FRAMEWORKS / "zero-based"))
    text = blank_yaml(framework).replace("  z1:", "  z1: 0").replace("  y1:", "  y1: 4")
    path = tmp_path / "filled.yaml"
    path.write_text(text)
    response, _ = load_answers(path, framework)
    assert response.answers == {"z1": 0, "y1": 4}


def test_multi_line_titles_and_labels_stay_inside_comments(tmp_path: Path) -> None:
    # The framework's title, a label and a theme title hold newlines followed by text
    # that would be YAML keys if it escaped its comment line.
    framework = load_framework(str(FRAMEWORKS / "multiline"))
    text = blank_yaml(framework)
    path = tmp_path / "blank.yaml"
    path.write_text(text)
    response, warnings = load_answers(path, framework)  # raises if a key leaked out
    assert response.answers == {} and response.pledge is None and warnings == []
    assert "# Answers for A framework title answers: {injected: 1} (version 1.0)." in text
    assert "1 = Low framework: evil" in text


def test_blank_csv_has_every_id_and_statement() -> None:
    result = runner.invoke(app, ["blank", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    framework = load_framework(None)
    # Each theme's statements, then its facet questions (docs/facets.md), as `take` asks them.
    header, statements = ["id", "name"], ["", ""]
    for theme in framework.themes:
        header += [i.id for i in theme.indicators]
        header += [f"{theme.id}.{f}" for f in ("knowledge", "skill", "will", "confidence")]
        statements += [i.statement for i in theme.indicators]
        statements.append(
            f"I understand what the {theme.title} statements ask of someone in my role."
        )
        statements += [f.prompt.replace("{theme}", theme.title) for f in framework.facets.items[1:]]
    assert rows[0] == header
    assert rows[1] == statements
    assert len(rows) == 2


def test_blank_for_an_unknown_framework_is_one_line_and_exit_1() -> None:
    result = runner.invoke(app, ["blank", "--format", "yaml", "--framework", "no-such-thing"])
    assert result.exit_code == 1
    assert "error[framework-not-found]" in result.output
    assert "Traceback" not in result.output
