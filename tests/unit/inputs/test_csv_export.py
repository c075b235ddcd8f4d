"""CSV exports -> scored responses: real export shapes, header matching, cells, bad rows."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lpc_assess.inputs.columns as columns
import lpc_assess.inputs.csv_text as csv_text
import lpc_assess.scoring.compiled as compiled_module
from lpc_assess.diagnostics import InputError
from lpc_assess.inputs.columns import load_mapping
from lpc_assess.inputs.csv_export import (
    CHUNK_ROWS,
    CsvExport,
    CsvOptions,
    Records,
    RejectedRow,
    open_export,
    sniff_delimiter,
)
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.scored import ScoredResponse
from tests.conftest import REPO

DATA = REPO / "tests" / "data"
CSV_DATA = DATA / "csv"
MINI = str(DATA / "valid" / "mini")  # a-one/two/three: "I do the first/second/third thing."


@pytest.fixture(scope="module")
def default() -> Framework:
    return load_framework(None)


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(MINI)


def read(
    path: Path, framework: Framework, **options: object
) -> tuple[list[ScoredResponse], list[RejectedRow], CsvExport]:
    """Read an export; most tests use a few columns of `mini`, so missing ones are allowed."""
    options.setdefault("allow_missing", True)
    export = open_export(path, framework, CompiledScorer(framework), CsvOptions(**options))  # type: ignore[arg-type]
    good: list[ScoredResponse] = []
    bad: list[RejectedRow] = []
    for item in export.chunks():
        if isinstance(item, RejectedRow):
            bad.append(item)
        else:
            good.extend(item.records())
    return good, bad, export


def write(tmp_path: Path, text: str, name: str = "export.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def values(record: ScoredResponse, framework: Framework) -> dict[str, int]:
    return record.answers(framework)


def label_value(framework: Framework) -> dict[str, int]:
    return {label.casefold(): v for v, label in framework.scale.labels.items()}


# --- real export shapes ---------------------------------------------------------------------


def test_microsoft_forms_export(default: Framework) -> None:
    good, bad, export = read(CSV_DATA / "ms-forms.csv", default)
    # A BOM, CRLF, metadata columns, labels as text in any case, a quoted cell with
    # commas and line breaks (row 3), a typo (row 4), blanks, N/A, the skip label, and a
    # short last row (row 8).
    assert export.delimiter == ","
    assert export.notes == [
        f'{export.source}: ignoring 5 column(s) that match no statement: "Start time", '
        '"Completion time", "Email", "Last modified time", "Anything else you want to tell us?"'
    ]
    assert [r.respondent_id for r in good] == ["1", "2", "4", "5", "6", "7"]
    assert [r.row for r in good] == [2, 3, 5, 6, 7, 8]
    assert good[0].name == "Alex Smith"
    [rejected] = bad
    assert rejected.row == 4  # the 4th row of the sheet, although line 6 of the file
    [problem] = rejected.problems
    assert problem.column == default.indicators[7].statement
    assert problem.message.startswith('"Somtimes" is not an answer')
    assert "(did you mean 'Sometimes'?)" in problem.message
    assert problem.text().startswith(f'{export.source}: row 4, column "When I work with')
    # Every accepted row scores exactly as its cells say, read independently here.
    labels = label_value(default)
    with (CSV_DATA / "ms-forms.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["ID"]: row for row in csv.DictReader(handle)}
    for record in good:
        row = rows[record.respondent_id]
        expected = {
            i.id: labels[cell.casefold()]
            for i in default.indicators
            if (cell := row.get(i.statement) or "").casefold() in labels
        }
        assert values(record, default) == expected
        reference = score_response(default, expected)
        assert record.overall.percent == reference.overall_percent
    dana = next(r for r in good if r.respondent_id == "4")
    assert default.indicators[3].id not in values(dana, default)  # empty cell
    assert default.indicators[10].id not in values(dana, default)  # N/A
    eli = next(r for r in good if r.respondent_id == "5")
    assert default.indicators[20].id not in values(eli, default)  # "Not applicable"
    gil = next(r for r in good if r.respondent_id == "7")
    assert len(values(gil, default)) == 8  # the short row: the rest is unanswered
    assert gil.patterns[1].outcome.mean is None  # 2 of 6 answered: too few for a score


def test_google_forms_grid_with_semicolons(default: Framework) -> None:
    good, bad, export = read(CSV_DATA / "google-forms.csv", default)
    # The statements hold commas, but the header names them all only with ";".
    assert export.delimiter == ";"
    assert len(export.columns.indicators) == 24  # `Title [statement]` grid headers
    assert [r.row for r in good] == [2, 4, 5, 6]
    assert [r.respondent_id for r in good] == ["row-2", "row-4", "row-5", "row-6"]
    [rejected] = bad
    assert rejected.row == 3
    messages = [p.message for p in rejected.problems]
    assert messages == [
        '"7" is outside the scale 1..5',
        "\"3 - Often\": the number and the label disagree (3 is 'Sometimes')",
    ]
    assert rejected.problems[0].column.endswith(f"[{default.indicators[0].statement}]")
    with (CSV_DATA / "google-forms.csv").open(encoding="utf-8", newline="") as handle:
        first = list(csv.reader(handle, delimiter=";"))[1]
    expected = {
        i.id: int(cell.split(" ")[0]) for i, cell in zip(default.indicators, first[2:], strict=True)
    }
    assert values(good[0], default) == expected


def test_limesurvey_codes_and_text(default: Framework) -> None:
    good, bad, export = read(CSV_DATA / "limesurvey.csv", default)
    assert not bad
    assert len(export.columns.indicators) == 24  # "Q1. statement" headers
    assert [r.respondent_id for r in good] == ["1", "2", "3", "4"]
    with (CSV_DATA / "limesurvey.csv").open(encoding="utf-8", newline="") as handle:
        first = list(csv.reader(handle))[1]
    assert sum(cell == "N/A" for cell in first) == len(default.indicators) - len(
        values(good[0], default)
    )


def test_limesurvey_question_codes_need_a_map(default: Framework) -> None:
    path = CSV_DATA / "limesurvey-codes.csv"
    with pytest.raises(InputError) as caught:
        read(path, default)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "no-indicator-columns"
    assert "use --map" in diagnostic.message
    mapping = load_mapping(CSV_DATA / "limesurvey-map.yaml", default)
    good, bad, export = read(path, default, mapping=mapping)
    assert not bad and len(good) == 3
    assert export.columns.indicators[default.indicators[0].id] == 4  # G1Q1, the 5th column
    assert len(values(good[0], default)) == 24


def test_blank_template_filled_in(default: Framework) -> None:
    good, bad, _ = read(CSV_DATA / "blank-filled.csv", default)
    # The statements row under the header is the template's, not a response.
    assert not bad
    assert [(r.respondent_id, r.name, r.row) for r in good] == [
        ("pat", "Pat", 3),
        ("quinn", "Quinn", 4),
    ]
    assert len(values(good[0], default)) == 24


# --- header matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "I do the first thing.",
        "  i do THE first   thing  ",
        "I do the first thing?",
        "3. I do the first thing.",
        "Q3 I do the first thing",
        "Q3. I do the first thing.",
        "12) I do the first thing",
        "a-one",
        "A-ONE",
        "a-one: I do the first thing.",
        "a-one - I do the first thing.",
        "Rate yourself [I do the first thing.]",
    ],
)
def test_a_column_is_found_by_id_or_statement(tmp_path: Path, mini: Framework, header: str) -> None:
    path = write(tmp_path, f'id,"{header}"\nr1,4\n')
    good, bad, export = read(path, mini)
    assert export.columns.indicators == {"a-one": 1}
    assert values(good[0], mini) == {"a-one": 4}


def test_unmatched_columns_are_listed_once_and_missing_statements_reported(
    tmp_path: Path, mini: Framework
) -> None:
    path = write(tmp_path, "id,When,a-one,Q9\nr1,today,4,x\n")
    # Without --allow-missing, the file is refused: one error per statement, naming it.
    with pytest.raises(InputError) as caught:
        read(path, mini, allow_missing=False)
    problems = caught.value.diagnostics
    assert [(d.code, d.severity, d.path) for d in problems] == [
        ("missing-column", "error", str(path))
    ] * 2
    assert problems[0].message.startswith(
        "no column for statement 'a-two' (\"I do the second thing.\"), so this file was not scored"
    )
    assert "--allow-missing" in problems[0].message
    assert "'a-three'" in problems[1].message
    # With it, the same statements are warnings, and the rows are scored without them.
    good, _, export = read(path, mini, allow_missing=True)
    assert export.notes == [
        f'{export.source}: ignoring 2 column(s) that match no statement: "When", "Q9"'
    ]
    assert export.ignored_columns == ["When", "Q9"]
    assert [(d.code, d.severity) for d in export.problems] == [("missing-column", "warning")] * 2
    assert export.problems[1].text() == (
        f"{export.source}: warning[missing-column]: no column for statement 'a-three' "
        '("I do the third thing."): counted as unanswered in every row (--allow-missing)'
    )
    assert values(good[0], mini) == {"a-one": 4}


def test_two_columns_for_one_statement_reject_the_file(tmp_path: Path, mini: Framework) -> None:
    path = write(tmp_path, "a-one,I do the first thing.\n4,4\n")
    with pytest.raises(InputError) as caught:
        read(path, mini)
    assert caught.value.diagnostics[0].code == "duplicate-column"
    assert '"a-one" and "I do the first thing."' in caught.value.diagnostics[0].message


def test_a_map_names_columns_and_is_checked(tmp_path: Path, mini: Framework) -> None:
    good_map = write(tmp_path, "Question 7: a-two\n'How I act:': A-THREE\n", "map.yaml")
    mapping = load_mapping(good_map, mini)
    assert mapping == {"question 7": "a-two", "how i act": "a-three"}
    path = write(tmp_path, "id,question 7,HOW I ACT\nr1,2,3\n")
    good, _, _ = read(path, mini, mapping=mapping)
    assert values(good[0], mini) == {"a-two": 2, "a-three": 3}
    bad_map = write(tmp_path, "Question 7: a-tow\n", "bad.yaml")
    with pytest.raises(InputError) as caught:
        load_mapping(bad_map, mini)
    assert "(did you mean 'a-two'?)" in caught.value.diagnostics[0].message


def test_delimiter_sniffing() -> None:
    assert sniff_delimiter("a;b;c\n1,2;3") == ";"
    assert sniff_delimiter('"a;b",c,d\n') == ","
    assert sniff_delimiter("a\tb\tc\n") == "\t"
    assert sniff_delimiter("single\n") == ","


# --- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("4", 4),
        (" 4 ", 4),
        ("4.0", 4),
        ("Often", 4),
        ("often", 4),
        ("OFTEN", 4),
        ("  often ", 4),
        ("4 - Often", 4),
        ("4. Often", 4),
        ("4 Often", 4),
        ("4 - often.", 4),
        ("Not yet", 1),
        ("not   YET", 1),
        ("", None),
        ("NA", None),
        ("n/a", None),
        ("-", None),
        ("skip", None),
        ("Not applicable", None),
        ("NOT APPLICABLE", None),
    ],
)
def test_cells(tmp_path: Path, mini: Framework, cell: str, value: int | None) -> None:
    path = write(tmp_path, f'id,a-one,a-two\nr1,"{cell}",3\n')
    good, bad, _ = read(path, mini)
    assert not bad
    expected = {"a-two": 3} if value is None else {"a-one": value, "a-two": 3}
    assert values(good[0], mini) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("6", '"6" is outside the scale 1..5'),
        ("0", '"0" is outside the scale 1..5'),
        ("-1", '"-1" is outside the scale 1..5'),
        ("4.5", '"4.5" is not an answer'),
        ("Oftenn", "(did you mean 'Often'?)"),
        ("4 - Rarely", "the number and the label disagree (4 is 'Often')"),
        ("four", '"four" is not an answer: use a number 1..5 or a label (Not yet, Rarely, '),
    ],
)
def test_a_bad_cell_rejects_its_row_only(
    tmp_path: Path, mini: Framework, cell: str, message: str
) -> None:
    path = write(tmp_path, f'id,a-one,"I do the second thing."\nr1,2,3\nr2,"{cell}",3\nr3,4,4\n')
    good, bad, _ = read(path, mini)
    assert [r.respondent_id for r in good] == ["r1", "r3"]
    [rejected] = bad
    assert rejected.row == 3
    [problem] = rejected.problems
    assert (problem.row, problem.column) == (3, "a-one")
    assert message in problem.message


def test_cells_skip_answer_without_a_skip_label(tmp_path: Path) -> None:
    framework = load_framework(str(DATA / "frameworks" / "no-skip"))
    path = write(tmp_path, "a-one,a-two\nskip,Always\n")
    good, bad, _ = read(path, framework)
    assert not bad and values(good[0], framework) == {"a-two": 4}


# --- rows -----------------------------------------------------------------------------------


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path, mini: Framework) -> None:
    text = (
        "id,note,a-one\n"
        'r1,"one\ntwo\nthree",2\n'  # row 2 spans three lines of the file
        "\n"  # row 3 is empty: skipped, but still a row
        ",,\n"  # row 4: only empty cells: skipped
        'r5,"a, b",x\n'  # row 5: a bad cell
        "r6\n"  # row 6: short, so the rest is unanswered
        "r7,,3,,,\n"  # row 7: long, but only with empty cells (Excel pads rows so)
        "r8,,3,shifted,cells\n"  # row 8: long with filled cells: columns may have shifted
    )
    good, bad, _ = read(write(tmp_path, text), mini)
    assert [(r.respondent_id, r.row) for r in good] == [("r1", 2), ("r6", 6), ("r7", 7)]
    assert [b.row for b in bad] == [5, 8]
    assert values(good[1], mini) == {}
    assert values(good[2], mini) == {"a-one": 3}
    assert bad[1].problems[0].message.startswith("the row has 5 cells but the header has 3")


def test_ids_and_names(tmp_path: Path, mini: Framework) -> None:
    path = write(tmp_path, "ID,Full name,Name,a-one\nx1,Xena X,ignored,1\n,Yan Y,,2\n")
    good, _, export = read(path, mini, name_column="full name")
    assert [(r.respondent_id, r.name) for r in good] == [("x1", "Xena X"), ("row-3", "Yan Y")]
    assert "Name" in export.columns.ignored  # the option wins over the default
    good, _, _ = read(path, mini)
    assert [(r.respondent_id, r.name) for r in good] == [("x1", "ignored"), ("row-3", None)]
    good, _, _ = read(path, mini, id_column="Full Name")
    assert [r.respondent_id for r in good] == ["Xena X", "Yan Y"]
    no_id = write(tmp_path, "a-one\n3\n4\n", "no-id.csv")
    good, _, _ = read(no_id, mini)
    assert [r.respondent_id for r in good] == ["row-2", "row-3"]
    with pytest.raises(InputError) as caught:
        read(path, mini, id_column="Email")
    assert caught.value.diagnostics[0].code == "no-such-column"
    assert "--id-column 'Email': there is no such column" in caught.value.diagnostics[0].message


def test_rater_columns(tmp_path: Path, mini: Framework) -> None:
    text = (
        "rater,about,as,a-one\n"
        "r1,sam,Line Manager,4\n"
        "r2,sam,colleague,3\n"
        "r3,sam,Direct Report,2\n"
        "r4,sam,myself,5\n"
        "r5,,,1\n"
        "r6,sam,the cat,1\n"
        "r7,sam,,1\n"
    )
    good, bad, _ = read(
        write(tmp_path, text),
        mini,
        id_column="rater",
        subject_column="about",
        relationship_column="as",
    )
    assert [(r.respondent_id, r.subject, r.relationship) for r in good] == [
        ("r1", "sam", "manager"),
        ("r2", "sam", "peer"),
        ("r3", "sam", "direct-report"),
        ("r4", "sam", "self"),
        ("r5", None, None),
    ]
    assert [(b.row, b.problems[0].column) for b in bad] == [(7, "as"), (8, "as")]
    assert bad[0].problems[0].message.startswith('unknown relationship "the cat": use one of')
    assert "the relationship is empty" in bad[1].problems[0].message


def test_header_only_and_statement_row_only(tmp_path: Path, mini: Framework) -> None:
    for text in ("id,a-one\n", "id,a-one\n,,\n\n", "id,a-one\n,I do the first thing.\n"):
        good, bad, export = read(write(tmp_path, text), mini)
        assert good == [] and bad == []
        assert list(export.rows()) == []  # read twice: still one warning
        # Known only once the rows are read: no responses, named as a warning for the file.
        assert [d.text() for d in export.problems if d.code == "no-responses"] == [
            f"{export.source}: warning[no-responses]: no responses: there is no row below "
            "the header"
        ]
    good, _, export = read(write(tmp_path, "id,a-one\nr1,4\n"), mini)
    assert len(good) == 1
    assert [d for d in export.problems if d.code == "no-responses"] == []


# --- files ----------------------------------------------------------------------------------


def test_encodings(tmp_path: Path, mini: Framework) -> None:
    text = "id,name,a-one\nr1,Zoë Ångström,4\n"
    latin = write(tmp_path, text, "latin.csv", encoding="cp1252")
    with pytest.raises(InputError) as caught:
        read(latin, mini)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("encoding", 2)
    assert "--encoding" in diagnostic.message
    good, _, _ = read(latin, mini, encoding="cp1252")
    assert good[0].name == "Zoë Ångström"
    utf16 = write(tmp_path, "\ufeff" + text.replace(",", "\t"), "excel.txt", encoding="utf-16-le")
    good, _, export = read(utf16, mini)
    assert (good[0].name, export.delimiter) == ("Zoë Ångström", "\t")
    bom = write(tmp_path, "\ufeff" + text, "bom.csv")
    good, _, export = read(bom, mini)
    assert export.columns.id == 0 and good[0].respondent_id == "r1"
    with pytest.raises(InputError) as caught:
        read(bom, mini, encoding="klingon")
    assert "unknown encoding 'klingon'" in caught.value.diagnostics[0].message


@pytest.mark.parametrize(
    ("middle", "bad", "code"),
    [
        ("r2,Zoë,4\n", b"r3,Zo\xeb,4\n", "encoding"),  # after ASCII and UTF-8 blocks
        ("r2,Zoe,4\n", b"r3,Zo\xeb,4\n", "encoding"),  # after ASCII blocks only
        ("r2,Zoë,4\n", b"r3,Zoe,4\x00\n", "nul-byte"),
        ("r2,Zoe,4\n", b"r3,Zoe,4\x00\n", "nul-byte"),
    ],
)
def test_problems_deep_in_a_large_file_name_their_line(
    tmp_path: Path, mini: Framework, middle: str, bad: bytes, code: str
) -> None:
    # Over 1 MiB of good rows first: the check reads the file in blocks of 1 MiB.
    rows = 1 + (3 << 20) // len(middle.encode())
    path = tmp_path / "deep.csv"
    path.write_bytes(b"id,name,a-one\n" + middle.encode() * rows + bad + b"r4,x,4\n")
    with pytest.raises(InputError) as caught:
        read(path, mini)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == (code, rows + 2)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty-file"),
        (b"\n\n  \n", "empty-file"),
        (b"id,a-one\nr1,4\x00\n", "nul-byte"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "nul-byte"),
        (b"id,name,other\nr1,x,y\n", "no-indicator-columns"),
        (b'"id,a-one\n', "csv-syntax"),
    ],
)
def test_unusable_files_are_rejected(
    tmp_path: Path, mini: Framework, content: bytes, code: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read(path, mini)
    assert caught.value.diagnostics[0].code == code


def test_size_limits(tmp_path: Path, mini: Framework, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = "x" * (csv_text.MAX_CELL + 10)
    path = write(tmp_path, f"id,a-one,note\nr1,4,ok\nr2,3,{huge}\nr3,2,ok\n")
    good, bad, _ = read(path, mini)
    assert [r.respondent_id for r in good] == ["r1", "r3"]  # the rows around it are kept
    [rejected] = bad
    assert rejected.row == 3
    assert rejected.problems[0].code == "row-too-long"
    assert "limit of 1,048,576 characters" in rejected.problems[0].message
    monkeypatch.setattr(csv_text, "MAX_FILE", 10)
    with pytest.raises(InputError) as caught:
        read(write(tmp_path, "id,a-one\nr1,4\n", "big.csv"), mini)
    assert caught.value.diagnostics[0].code == "too-large"


def test_an_unclosed_quote_is_named(tmp_path: Path, mini: Framework) -> None:
    good, bad, _ = read(write(tmp_path, 'id,a-one\nr1,4\nr2,"4\n'), mini)
    assert [r.respondent_id for r in good] == ["r1"]
    assert bad[0].row == 3
    assert "a quote is not closed" in bad[0].problems[0].message


# --- the fast path and the careful path agree -----------------------------------------------


def test_large_files_score_the_same_in_chunks_and_row_by_row(
    tmp_path: Path, default: Framework
) -> None:
    labels = default.scale.labels
    spellings = [
        lambda v: labels[v],
        lambda v: str(v),
        lambda v: f"{v} - {labels[v]}",
        lambda v: labels[v].upper(),
    ]
    lines = ["id," + ",".join(i.statement.replace(",", "") for i in default.indicators)]
    expected: dict[str, dict[str, int]] = {}
    n = CHUNK_ROWS * 3 + 17
    for k in range(n):
        cells, answers = [], {}
        for j, indicator in enumerate(default.indicators):
            if (k * 7 + j) % 11 == 0:
                cells.append("")
                continue
            value = 1 + (k * 3 + j * 5) % 5
            # An unusual spelling now and then sends its chunk down the careful path.
            spell = spellings[(k + j) % 4] if k % 97 == 0 else spellings[0]
            cells.append(spell(value))
            answers[indicator.id] = value
        if k == 300:
            cells[2] = "Often-ish"  # one bad row in the middle
        else:
            expected[f"p{k}"] = answers
        lines.append(f"p{k}," + ",".join(cells))
    path = write(tmp_path, "\n".join(lines) + "\n", "large.csv")
    # Statements without their commas are not the statements; map them.
    mapping = {
        columns.normalise_header(i.statement.replace(",", "")): i.id for i in default.indicators
    }
    good, bad, _ = read(path, default, mapping=mapping)
    assert [b.row for b in bad] == [302]
    assert len(good) == n - 1
    for record in good:
        answers = expected[record.respondent_id]
        assert values(record, default) == answers
        assert record.row == int(record.respondent_id[1:]) + 2
        assert record.overall.percent == score_response(default, answers).overall_percent


# --- rows read as csv.reader reads them -----------------------------------------------------

_CSV_TEXT = st.text(alphabet=list('ab ,;\t"\r\n\u00e9'), max_size=80)


def _reference_rows(text: str, delimiter: str) -> tuple[list[list[str]], bool]:
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            rows.append(row)
    except csv.Error:
        return rows, True
    return rows, False


@settings(max_examples=400, deadline=None)
@given(text=_CSV_TEXT, delimiter=st.sampled_from([",", ";", "\t"]), step=st.integers(1, 4))
def test_records_are_the_rows_csv_reader_gives(text: str, delimiter: str, step: int) -> None:
    expected, fails = _reference_rows(text, delimiter)
    records = Records(io.StringIO(text, newline=""), delimiter)
    rows: list[list[str]] = []
    failed = False
    try:
        while True:
            before = len(rows)
            records.read_into(rows, step)
            if len(rows) - before < step:
                break
    except csv.Error:
        failed = True
    assert rows == expected
    assert failed == fails


def test_records_of_quoted_cells_over_lines_and_chunks() -> None:
    text = 'a,"x\r\ny",b\r\n"q""r",s\r\n\r\nt,u\rv,"w'
    rows: list[list[str]] = []
    records = Records(io.StringIO(text, newline=""), ",")
    records.read_into(rows, 1)
    records.read_into(rows, 2)
    assert rows == [["a", "x\r\ny", "b"], ['q"r', "s"], []]
    with pytest.raises(csv.Error):  # the last cell's quote is never closed
        records.read_into(rows, 5)
    assert rows == [["a", "x\r\ny", "b"], ['q"r', "s"], [], ["t", "u"]]  # read before it


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_column_layout_scores_as_the_reference(default: Framework, data: st.DataObject) -> None:
    """Columns in any order, statements without a column (so themes with one or none),
    every spelling of an answer: each row is scored exactly as `score_response` scores it."""
    chosen = data.draw(
        st.lists(st.sampled_from(list(default.indicators)), min_size=1, unique_by=lambda i: i.id)
    )
    labels = default.scale.labels
    skip = default.scale.skip or "skip"
    spellings = st.sampled_from(
        ["", "n/a", skip, *(str(v) for v in labels), *labels.values()]
        + [f"{v} - {label.upper()}" for v, label in labels.items()]
    )
    width = len(chosen)
    rows = data.draw(st.lists(st.lists(spellings, min_size=width, max_size=width), max_size=40))
    lines = ["id," + ",".join(i.id for i in chosen)]
    lines += [f"p{k}," + ",".join(cells) for k, cells in enumerate(rows)]
    with tempfile.TemporaryDirectory() as folder:
        good, bad, _ = read(write(Path(folder), "\n".join(lines) + "\n"), default)
    assert bad == [] and len(good) == len(rows)
    by_label = {label.casefold(): v for v, label in labels.items()}
    for record in good:
        answers: dict[str, int | None] = {}
        for indicator, cell in zip(chosen, rows[int(record.respondent_id[1:])], strict=True):
            text = cell.split(" - ")[-1].casefold()
            if text not in ("", "n/a", skip.casefold()):
                answers[indicator.id] = int(text) if text.isdigit() else by_label[text]
        reference = score_response(default, answers)
        assert values(record, default) == answers
        assert record.overall.percent == reference.overall_percent
        assert record.overall.band is reference.overall_band
        for pattern, theme in zip(record.patterns, reference.themes, strict=True):
            assert pattern.outcome.mean == theme.mean
            assert pattern.outcome.band is theme.band


def test_full_look_up_tables_change_no_score(
    tmp_path: Path, default: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past their caps the tables stop growing, and every row is worked out again: same scores."""
    labels = list(default.scale.labels.values())
    lines = ["id," + ",".join(i.id for i in default.indicators)]
    for k in range(CHUNK_ROWS + 40):
        lines.append(f"p{k}," + ",".join(labels[(k * 7 + j * k) % 5] for j in range(24)))
    path = write(tmp_path, "\n".join(lines) + "\n")
    expected, _, _ = read(path, default)
    monkeypatch.setattr(compiled_module, "MEMO_LIMIT", 1)
    got, bad, export = read(path, default)
    assert bad == []
    assert all(len(memo) <= 1 for memo in export.scorer.patterns)
    assert [values(r, default) for r in got] == [values(r, default) for r in expected]

    def overall(r: ScoredResponse) -> list[object]:
        return [r.overall.percent, r.overall.band_id, [t.percent for t in r.overall.themes]]

    assert [overall(r) for r in got] == [overall(r) for r in expected]
