"""Header matching forgives typography: every variant a word processor or a form tool makes."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from lpc_assess.inputs.cells import CellDecoder
from lpc_assess.inputs.columns import fold_typography, match_columns, normalise_header
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from tests.conftest import REPO

MINI = str(REPO / "tests" / "data" / "valid" / "mini")


@pytest.fixture(scope="module")
def default() -> Framework:
    return load_framework(None)


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(MINI)


def with_apostrophe(framework: Framework) -> tuple[str, str]:
    """An indicator of the built-in framework whose statement has a straight apostrophe."""
    found = next(i for i in framework.indicators if "'" in i.statement)
    return found.id, found.statement


def with_hyphen(framework: Framework) -> tuple[str, str]:
    found = next(i for i in framework.indicators if "-" in i.statement)
    return found.id, found.statement


def matched(
    header: list[str], framework: Framework, alternates: list[str] | None = None
) -> dict[str, int]:
    options = CsvOptions(allow_missing=True)
    return match_columns(header, framework, options, "form.csv", alternates).indicators


# Each pair: the character a word processor writes, and what the statement has.
QUOTES = [
    ("\u2019", "'"),  # right single quotation mark: the usual "smart" apostrophe
    ("\u2018", "'"),  # left single quotation mark
    ("\u201b", "'"),  # single high-reversed-9
    ("\u02bc", "'"),  # modifier letter apostrophe
    ("\u2032", "'"),  # prime
    ("\uff07", "'"),  # full-width apostrophe (NFKC)
]
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d"]
SPACES = ["\u00a0", "\u202f", "\u2007", "\u2009", "\u3000", "  ", " \t "]
INVISIBLE = ["\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize(("curly", "straight"), QUOTES)
def test_curly_apostrophes_match_straight_ones(
    default: Framework, curly: str, straight: str
) -> None:
    ident, statement = with_apostrophe(default)
    pasted = statement.replace(straight, curly)
    assert pasted != statement
    assert matched(["ID", pasted], default) == {ident: 1}


@pytest.mark.parametrize(
    "double", ["\u201c{}\u201d", "\u201e{}\u201f", "\u00ab{}\u00bb", "\u2033{}\u2033"]
)
def test_curly_double_quotes_match_straight_ones(mini: Framework, double: str) -> None:
    # A statement quoting a phrase, as people write them: "what matters".
    header = 'I ask "what matters" first'
    assert normalise_header(header.replace('"what matters"', double.format("what matters"))) == (
        normalise_header(header)
    )


@pytest.mark.parametrize("dash", DASHES)
def test_every_dash_matches_a_hyphen(default: Framework, dash: str) -> None:
    ident, statement = with_hyphen(default)
    assert matched([statement.replace("-", dash)], default) == {ident: 0}


@pytest.mark.parametrize("space", SPACES)
def test_non_breaking_and_repeated_spaces_are_one_space(mini: Framework, space: str) -> None:
    header = "I do the first thing.".replace(" ", space)
    assert matched([header], mini) == {"a-one": 0}


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_invisible_characters_are_ignored(mini: Framework, invisible: str) -> None:
    header = "I do the fi" + invisible + "rst thing."
    assert matched([header], mini) == {"a-one": 0}


def test_nfkc_full_width_letters_ligatures_and_the_ellipsis(mini: Framework) -> None:
    full_width = "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in "I do the first thing."
    )
    assert full_width != "I do the first thing."
    assert matched([full_width], mini) == {"a-one": 0}
    assert matched(["I do the \ufb01rst thing\u2026"], mini) == {"a-one": 0}  # ﬁ ligature, …


def test_statements_are_folded_too(tmp_path: Path) -> None:
    # A framework whose own statement was pasted with typography matches a plain header.
    folder = tmp_path / "curly"
    folder.mkdir()
    (folder / "framework.yaml").write_text(
        "id: curly\ntitle: Curly\nversion: '1.0'\n"
        "scale: {min: 1, max: 5,\n"
        "        labels: {1: Never, 2: Rarely, 3: Sometimes, 4: Often, 5: Always}}\n"
        "bands: [{id: low, label: Low, from: 0}]\n"
        "themes:\n  - id: t\n    title: T\n    indicators:\n"
        '      - {id: ask, statement: "I ask what matters to the person\u2019s family \u2014 '
        'first.", actions: [Try.]}\n'
        "      - {id: two, statement: Second., actions: [Try.]}\n"
        "      - {id: three, statement: Third., actions: [Try.]}\n",
        encoding="utf-8",
    )
    framework = load_framework(str(folder))
    assert matched(["I ask what matters to the person's family - first"], framework) == {"ask": 0}


def test_fold_typography_is_exactly_these_changes() -> None:
    assert (
        fold_typography("plain ASCII stays 'as is' - really")
        == "plain ASCII stays 'as is' - really"
    )
    assert fold_typography("\u2018a\u2019 \u201cb\u201d c\u2013d e\u2014f\u00a0g\u00adh") == (
        "'a' \"b\" c-d e-f gh"
    )
    # Letters with accents are not touched (NFKC composes them, it does not strip them).
    assert fold_typography("Zoe\u0308") == unicodedata.normalize("NFC", "Zo\u00eb")


def test_a_near_miss_still_does_not_match(mini: Framework) -> None:
    # Folding typography must not make different words the same.
    assert matched(["I do the first thing.", "I do the first things."], mini) == {"a-one": 0}


def test_qualtrics_matrix_headers_match_after_the_dash(default: Framework) -> None:
    first = default.indicators[0]
    second = default.indicators[1]
    header = [
        "How often? - " + first.statement,
        "How often does each statement describe you? \u2013 " + second.statement,
    ]
    assert matched(header, default) == {first.id: 0, second.id: 1}


def test_a_second_header_row_is_tried_column_by_column(mini: Framework) -> None:
    # Qualtrics: export tags in the first row, question texts in the second.
    header = ["ResponseId", "Q1_1", "Q1_2", "a-three"]
    texts = ["Response ID", "Rate - I do the first thing.", "I do the second thing?", "Q1_3"]
    assert matched(header, mini, texts) == {"a-one": 1, "a-two": 2, "a-three": 3}
    options = CsvOptions(id_column="Response ID")
    columns = match_columns(header, mini, options, "q.csv", texts)
    assert columns.id == 0
    assert columns.ignored == []


def test_labels_in_cells_forgive_typography_too(tmp_path: Path) -> None:
    folder = tmp_path / "dont"
    folder.mkdir()
    (folder / "framework.yaml").write_text(
        "id: dont\ntitle: D\nversion: '1.0'\n"
        "scale: {min: 1, max: 3, labels: {1: Don't know, 2: Sometimes, 3: Always}}\n"
        "bands: [{id: low, label: Low, from: 0}]\n"
        "themes:\n  - id: t\n    title: T\n    indicators:\n"
        "      - {id: one, statement: One., actions: [Try.]}\n"
        "      - {id: two, statement: Two., actions: [Try.]}\n"
        "      - {id: three, statement: Three., actions: [Try.]}\n",
        encoding="utf-8",
    )
    decoder = CellDecoder(load_framework(str(folder)))
    assert decoder.decode("Don\u2019t know") == 1
    assert decoder.decode("DON\u2019T\u00a0KNOW") == 1
    assert decoder.decode("2 \u2014 Sometimes") == 2
