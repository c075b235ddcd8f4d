"""Facet columns in spreadsheets (docs/facets.md): the three header forms, typography
pasted from a word processor, facet-scale cells, bad cells, `--map`, and 360 raters."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpc_assess.diagnostics import InputError
from lpc_assess.inputs.columns import load_mapping
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.inputs.sources import open_source
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.scored import ScoredResponse
from tests.conftest import DATA

MINI = DATA / "valid" / "facets"
STATEMENTS = [
    "asks-first",
    "reflects-back",
    "waits",
    "shares-plans",
    "reviews-plans",
    "writes-goals",
]


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(str(MINI))


def _read(
    path: Path, framework: Framework, options: CsvOptions | None = None
) -> tuple[list[ScoredResponse], list[RejectedRow], list[str]]:
    source = open_source(path, framework, CompiledScorer(framework), options or CsvOptions())
    good: list[ScoredResponse] = []
    bad: list[RejectedRow] = []
    for item in source.chunks():
        if isinstance(item, RejectedRow):
            bad.append(item)
        else:
            good.extend(item.records())
    return good, bad, [p.text() for p in source.problems]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# Every way a header may name a facet, as a word processor or a form tool may have
# mangled it: an en dash, a colon without a space, capitals, a non-breaking space,
# doubled spaces, a question number and a full stop.
HEADERS = {
    "listening.know": ("listening", "know"),
    "Listening \u2013 Practice": ("listening", "can"),
    "LISTENING:Drive": ("listening", "want"),
    "I\u00a0know how  Planning is done well": ("planning", "know"),
    "Q9. I have practised Planning.": ("planning", "can"),
    "Planning \u2014 drive": ("planning", "want"),
}


def test_every_header_form_finds_its_facet(mini: Framework, tmp_path: Path) -> None:
    header = ["id", *STATEMENTS, *HEADERS]
    rows = [
        ["kim", "4", "4", "4", "3", "3", "3", "6", "Mostly", "4 - Mostly", "", "Cannot say", "0"],
        ["lee", "2", "2", "2", "2", "2", "2", "", "", "", "", "", ""],
    ]
    good, bad, problems = _read(_write(tmp_path / "team.csv", header, rows), mini)
    assert bad == [] and problems == []
    kim, lee = good
    # listening: know 6, can 4 (the label Mostly), want 4; planning: know unanswered,
    # can "Cannot say" (the facet scale's skip), want 0.
    assert kim.facets == ((6, 4, 4), (None, None, 0))
    assert lee.facets is None  # nothing answered
    response = kim.to_response(mini)
    assert response.facets == {
        "listening": {"know": 6, "can": 4, "want": 4},
        "planning": {"want": 0},
    }


def test_a_file_without_facet_columns_is_read_as_before(mini: Framework, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "plain.csv", ["id", *STATEMENTS], [["kim", "1", "2", "3", "4", "5", "1"]]
    )
    good, bad, problems = _read(path, mini)
    assert bad == [] and problems == [] and good[0].facets is None


def test_a_cell_off_the_facet_scale_rejects_its_row_naming_the_column(
    mini: Framework, tmp_path: Path
) -> None:
    header = ["id", *STATEMENTS, "listening.know", "Planning - Drive"]
    rows = [
        ["kim", "4", "4", "4", "3", "3", "3", "7", "Mostlly"],
        ["lee", "4", "4", "4", "3", "3", "3", "5", "Very much"],
    ]
    good, bad, _ = _read(_write(tmp_path / "team.csv", header, rows), mini)
    assert [r.respondent_id for r in good] == ["lee"]
    assert good[0].facets == ((5, None, None), (None, None, 5))
    (rejected,) = bad
    assert [p.text() for p in rejected.problems] == [
        f'{tmp_path / "team.csv"}: row 2, column "listening.know": "7" is outside the scale 0..6',
        f'{tmp_path / "team.csv"}: row 2, column "Planning - Drive": "Mostlly" is not an answer: '
        "use a number 0..6 or a label (Not at all, Hardly, A little, Partly, Mostly, Very much, "
        "Completely) (did you mean 'Mostly'?)",
    ]


def test_two_columns_for_one_facet_are_a_clash(mini: Framework, tmp_path: Path) -> None:
    header = ["id", *STATEMENTS, "listening.know", "Listening: Know-how"]
    path = _write(tmp_path / "team.csv", header, [["kim", *"444333", "1", "2"]])
    with pytest.raises(InputError) as caught:
        _read(path, mini)
    (problem,) = caught.value.diagnostics
    assert problem.code == "duplicate-column"
    assert "match facet 'listening.know'" in problem.message


def test_a_map_file_may_name_a_facet(mini: Framework, tmp_path: Path) -> None:
    mapping_file = tmp_path / "map.yaml"
    mapping_file.write_text("G2Q1: planning.can\nG2Q2: Listening.Want\n")
    mapping = load_mapping(mapping_file, mini)
    header = ["id", *STATEMENTS, "G2Q1", "G2Q2"]
    path = _write(tmp_path / "team.csv", header, [["kim", *"444333", "2", "3"]])
    good, _, _ = _read(path, mini, CsvOptions(mapping=mapping))
    assert good[0].facets == ((None, None, 3), (None, 2, None))
    mapping_file.write_text("G2Q1: planning.dare\n")
    with pytest.raises(InputError) as caught:
        load_mapping(mapping_file, mini)
    assert caught.value.diagnostics[0].code == "unknown-indicator"


def test_a_raters_facets_are_ignored_with_one_warning(mini: Framework, tmp_path: Path) -> None:
    header = ["id", "subject", "relationship", *STATEMENTS, "listening.know"]
    rows = [
        ["sam", "sam", "self", *"444333", "2"],
        ["kim", "sam", "peer", *"444333", "5"],
        ["lee", "sam", "peer", *"444333", "6"],
    ]
    options = CsvOptions(subject_column="subject", relationship_column="relationship")
    good, bad, problems = _read(_write(tmp_path / "360.csv", header, rows), mini, options)
    assert bad == []
    assert [(r.respondent_id, r.facets) for r in good] == [
        ("sam", ((2, None, None), (None, None, None))),
        ("kim", None),
        ("lee", None),
    ]
    assert problems == [
        f"{tmp_path / '360.csv'}: warning[rater-facets]: facets are a self-assessment: the "
        "facet answers of 360 ratings of someone else are ignored (the first in row 3)"
    ]


def test_a_workbook_reads_facet_columns_as_a_csv_export_does(
    mini: Framework, tmp_path: Path
) -> None:
    from tests.unit.inputs.xlsx_writer import write_xlsx

    header = ["id", *STATEMENTS, *HEADERS]
    kim = ["kim", 4, 4, 4, 3, 3, 3, 6, "Mostly", "4 - Mostly", None, "Cannot say", 0]
    book = write_xlsx(tmp_path / "team.xlsx", [("Form1", [header, kim])])
    csv_file = _write(tmp_path / "team.csv", header, [["" if c is None else str(c) for c in kim]])
    from_book, bad, problems = _read(book, mini)
    assert bad == [] and problems == []
    from_csv, _, _ = _read(csv_file, mini)
    assert from_book[0].facets == from_csv[0].facets == ((6, 4, 4), (None, None, 0))
