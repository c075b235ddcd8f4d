"""Excel workbooks -> scored responses: Microsoft Forms' shape, cells, sheets, rows, bad files.

Workbooks are written by tests/unit/inputs/xlsx_writer.py (the Office Open XML
parts by hand) and read by the real reader, python-calamine. Expected answers
come from the same data read another way: the CSV export with the `csv`
module, or the cells as written.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest

from lpc_assess.diagnostics import InputError
from lpc_assess.inputs.csv_export import open_export
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.inputs.sources import expand_inputs, open_source
from lpc_assess.inputs.workbook import Workbook, cell_text, open_workbook
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.scored import ScoredResponse
from tests.conftest import REPO
from tests.unit.inputs.xlsx_writer import Cell, write_xlsx

DATA = REPO / "tests" / "data"
MS_FORMS_CSV = DATA / "csv" / "ms-forms.csv"
MINI = str(DATA / "valid" / "mini")  # a-one/two/three: "I do the first/second/third thing."


@pytest.fixture(scope="module")
def default() -> Framework:
    return load_framework(None)


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(MINI)


def read(
    path: Path, framework: Framework, **options: object
) -> tuple[list[ScoredResponse], list[RejectedRow], Workbook]:
    options.setdefault("allow_missing", True)
    book = open_workbook(path, framework, CompiledScorer(framework), CsvOptions(**options))  # type: ignore[arg-type]
    good: list[ScoredResponse] = []
    bad: list[RejectedRow] = []
    for item in book.chunks():
        if isinstance(item, RejectedRow):
            bad.append(item)
        else:
            good.extend(item.records())
    return good, bad, book


def ms_forms_rows() -> list[list[Cell]]:
    """tests/data/csv/ms-forms.csv as Microsoft Forms puts it in its workbook: the ID a number,
    the times real dates, empty cells absent, everything else text."""
    with MS_FORMS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        rows: list[list[Cell]] = [list(r) for r in csv.reader(handle)]
    for row in rows[1:]:
        row[0] = int(str(row[0]))
        for at in (1, 2):
            row[at] = dt.datetime.strptime(str(row[at]), "%m/%d/%y %H:%M:%S")
        for at, cell in enumerate(row):
            if cell == "":
                row[at] = None
    return rows


# --- Microsoft Forms: the same data as its CSV export gives the same responses ---------------


def test_microsoft_forms_workbook_reads_as_its_csv_export(
    tmp_path: Path, default: Framework
) -> None:
    path = write_xlsx(tmp_path / "forms.xlsx", [("Form1", ms_forms_rows())])
    good, bad, book = read(path, default, allow_missing=False)
    scorer = CompiledScorer(default)
    export = open_export(MS_FORMS_CSV, default, scorer, CsvOptions())
    csv_good = [
        r for item in export.chunks() if not isinstance(item, RejectedRow) for r in item.records()
    ]
    csv_bad = [item for item in export.chunks() if isinstance(item, RejectedRow)]
    assert [(r.respondent_id, r.name, r.row) for r in good] == [
        (r.respondent_id, r.name, r.row) for r in csv_good
    ]
    for mine, theirs in zip(good, csv_good, strict=True):
        assert mine.answers(default) == theirs.answers(default)
        reference = score_response(default, mine.answers(default))
        assert mine.overall.percent == reference.overall_percent
    # The typo in the 4th row of the sheet is rejected at the same row, with the same words.
    assert [b.row for b in bad] == [b.row for b in csv_bad] == [4]
    assert [p.message for p in bad[0].problems] == [p.message for p in csv_bad[0].problems]
    assert bad[0].problems[0].text().startswith(f"{book.source}: row 4, column ")
    assert book.notes == [
        f'{book.source}: ignoring 5 column(s) that match no statement: "Start time", '
        '"Completion time", "Email", "Last modified time", "Anything else you want to tell us?"'
    ]
    assert book.ignored_columns == [
        "Start time",
        "Completion time",
        "Email",
        "Last modified time",
        "Anything else you want to tell us?",
    ]
    assert book.problems == []


def test_completion_times_are_read_from_date_cells(tmp_path: Path, default: Framework) -> None:
    path = write_xlsx(tmp_path / "forms.xlsx", [("Form1", ms_forms_rows())])
    good, _, _ = read(path, default)
    first = good[0]
    assert first.submitted == "2026-11-20 09:14:40"
    assert first.read_date is not None
    assert first.read_date(first.submitted) == dt.datetime(2026, 11, 20, 9, 14, 40)


# --- cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Often", "Often"),
        (4.0, "4"),
        (4, "4"),
        (3.5, "3.5"),
        (0.1 + 0.2, "0.3"),
        (1e20, "1e+20"),
        (float("inf"), "inf"),
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.datetime(2026, 11, 20, 9, 14, 39, 999_600), "2026-11-20 09:14:40"),
        (dt.datetime(2026, 11, 20, 9, 14, 40, 100), "2026-11-20 09:14:40"),
        (dt.date(2026, 11, 20), "2026-11-20"),
        (dt.time(9, 30), "09:30:00"),
        (dt.timedelta(hours=1, minutes=5), "1:05:00"),
    ],
)
def test_cell_text_is_what_excel_shows(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_numbers_labels_and_number_label_cells(tmp_path: Path, mini: Framework) -> None:
    rows: list[list[Cell]] = [
        ["id", "I do the first thing.", "I do the second thing.", "I do the third thing."],
        ["r1", 4, "Often", "4 - Often"],
        ["r2", 2.0, "not yet", None],
        ["r3", "Not applicable", "N/A", 5],
    ]
    good, bad, _ = read(write_xlsx(tmp_path / "cells.xlsx", [("S", rows)]), mini)
    assert bad == []
    assert [r.answers(mini) for r in good] == [
        {"a-one": 4, "a-two": 4, "a-three": 4},
        {"a-one": 2, "a-two": 1},
        {"a-three": 5},
    ]


def test_bad_cells_reject_their_row_at_excel_row_numbers(tmp_path: Path, mini: Framework) -> None:
    rows: list[list[Cell]] = [
        ["id", "I do the first thing.", "I do the second thing."],
        ["ok", 4, 3],
        ["half", 3.5, 3],
        ["date", dt.datetime(2026, 4, 5), 3],  # "4-5" typed into Excel becomes a date
        ["flag", True, 3],
        ["out", 9, "Oftn"],
    ]
    # The header at row 5, column C: three empty rows and two empty columns before it.
    path = write_xlsx(tmp_path / "placed.xlsx", [("S", [[], *rows])], first_row=4, first_column=2)
    good, bad, book = read(path, mini)
    assert [r.row for r in good] == [6]
    assert {b.row: [p.message for p in b.problems] for b in bad} == {
        7: [
            '"3.5" is not an answer: use a number 1..5 or a label (Not yet, Rarely, Sometimes, '
            "Often, Consistently)"
        ],
        8: [
            '"2026-04-05" is not an answer: use a number 1..5 or a label (Not yet, '
            "Rarely, Sometimes, Often, Consistently)"
        ],
        9: [
            '"TRUE" is not an answer: use a number 1..5 or a label (Not yet, Rarely, Sometimes, '
            "Often, Consistently)"
        ],
        10: [
            '"9" is outside the scale 1..5',
            '"Oftn" is not an answer: use a number 1..5 or a label (Not yet, Rarely, Sometimes, '
            "Often, Consistently) (did you mean 'Often'?)",
        ],
    }
    assert bad[-1].problems[1].text() == (
        f'{book.source}: row 10, column "I do the second thing.": ' + bad[-1].problems[1].message
    )


def test_excel_error_cells_are_not_read_as_empty(tmp_path: Path, mini: Framework) -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>a-one</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>Notes</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>r1</t></is></c><c r="B2"><v>4</v></c>'
        '<c r="C2" t="e"><v>#REF!</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>r2</t></is></c>'
        '<c r="B3" t="e"><f>VLOOKUP(A3,X:Y,2,0)</f><v>#N/A</v></c></row>'
        "</sheetData></worksheet>"
    )
    path = write_xlsx(tmp_path / "errors.xlsx", [("S", [])], sheet_xml_override={0: sheet})
    good, bad, _ = read(path, mini)
    # An error in an ignored column changes nothing; in an answer column it rejects the row.
    assert [r.respondent_id for r in good] == ["r1"]
    assert [(b.row, b.problems[0].column, b.problems[0].message[:23]) for b in bad] == [
        (3, "a-one", '"#N/A" is not an answer')
    ]


# --- the header ---------------------------------------------------------------------------


def test_a_row_of_statements_under_the_header_is_skipped(tmp_path: Path, mini: Framework) -> None:
    rows: list[list[Cell]] = [
        ["id", "a-one", "a-two", "a-three"],
        [None, "I do the first thing.", "I do the second thing.", "I do the third thing."],
        ["pat", 2, 3, 4],
    ]
    good, bad, _ = read(write_xlsx(tmp_path / "blank.xlsx", [("S", rows)]), mini)
    assert bad == [] and [(r.respondent_id, r.row) for r in good] == [("pat", 3)]


def test_qualtrics_workbook(tmp_path: Path, mini: Framework) -> None:
    rows: list[list[Cell]] = [
        ["ResponseId", "Q1_1", "Q1_2", "Q1_3"],
        ["Response ID", "Rate - I do the first thing.", "Rate - I do the second thing.", "Q3"],
        [
            '{"ImportId":"_recordId"}',
            '{"ImportId":"QID1_1"}',
            '{"ImportId":"QID1_2"}',
            '{"ImportId":"QID3"}',
        ],
        ["R_1", "Often", "Rarely", "x"],
        ["R_2", "Usually", "Rarely", "x"],
    ]
    good, bad, book = read(
        write_xlsx(tmp_path / "q.xlsx", [("Sheet0", rows)]), mini, id_column="ResponseId"
    )
    assert [(r.respondent_id, r.row, r.answers(mini)) for r in good] == [
        ("R_1", 4, {"a-one": 4, "a-two": 2})
    ]
    assert [(b.row, b.problems[0].column) for b in bad] == [(5, "Q1_1")]
    assert any("a Qualtrics export: rows 2 and 3" in note for note in book.notes)


def test_header_only_and_empty_sheets(tmp_path: Path, mini: Framework) -> None:
    path = write_xlsx(
        tmp_path / "sheets.xlsx",
        [("Header only", [["id", "a-one"], [None, None]]), ("Empty", [])],
    )
    good, bad, book = read(path, mini)
    assert good == [] and bad == []
    assert [d.text() for d in book.problems if d.code == "no-responses"] == [
        f'{book.source}: warning[no-responses]: no responses in sheet "Header only": there is '
        "no row below the header"
    ]
    with pytest.raises(InputError) as caught:
        read(path, mini, sheet="Empty")
    assert [d.text() for d in caught.value.diagnostics] == [
        f'{book.source}: error[empty-sheet]: sheet "Empty" is empty'
    ]


def test_a_missing_statement_refuses_the_workbook_unless_allowed(
    tmp_path: Path, mini: Framework
) -> None:
    rows: list[list[Cell]] = [
        ["id", "I do the first thing.", "I do the second thing."],
        ["r", 1, 2],
    ]
    path = write_xlsx(tmp_path / "partial.xlsx", [("S", rows)])
    with pytest.raises(InputError) as caught:
        read(path, mini, allow_missing=False)
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.severity) == ("missing-column", "error")
    assert "'a-three'" in problem.message and "--allow-missing" in problem.message
    good, _, book = read(path, mini, allow_missing=True)
    assert good[0].answers(mini) == {"a-one": 1, "a-two": 2}
    assert [(d.code, d.severity) for d in book.problems] == [("missing-column", "warning")]


# --- sheets ---------------------------------------------------------------------------------


def three_sheets(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "three.xlsx",
        [
            ("Form1", [["id", "a-one"], ["first", 1]]),
            ("Team B", [["id", "a-one"], ["second", 2]]),
            ("2", [["id", "a-one"], ["third", 3]]),
        ],
    )


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        (None, "first"),
        ("Team B", "second"),
        ("  team   b ", "second"),  # compared as headers are
        ("1", "first"),
        ("2", "third"),  # a sheet named "2" wins over the second sheet
        ("3", "third"),
    ],
)
def test_sheet_by_name_or_number(
    tmp_path: Path, mini: Framework, sheet: str | None, expected: str
) -> None:
    good, _, book = read(three_sheets(tmp_path), mini, sheet=sheet)
    assert [r.respondent_id for r in good] == [expected]
    told = [n for n in book.notes if "reading sheet" in n]
    if sheet is None:  # the sheets not read are named, so that none is missed unseen
        assert told == [
            f'{book.source}: reading sheet "Form1"; not reading "Team B", "2" (choose a sheet '
            "with --sheet)"
        ]
    else:
        assert told == []


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        (
            "Team C",
            '--sheet "Team C": there is no such sheet (the sheets are "Form1", "Team B", "2")',
        ),
        ("7", '--sheet "7": the workbook has 3 sheet(s): "Form1", "Team B", "2"'),
        ("0", '--sheet "0": the workbook has 3 sheet(s): "Form1", "Team B", "2"'),
    ],
)
def test_a_sheet_that_is_not_there(
    tmp_path: Path, mini: Framework, sheet: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        read(three_sheets(tmp_path), mini, sheet=sheet)
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.message) == ("no-such-sheet", message)


# --- files that are not usable workbooks ------------------------------------------------------


def refusal(path: Path, framework: Framework) -> tuple[str, str]:
    with pytest.raises(InputError) as caught:
        open_source(path, framework, CompiledScorer(framework), CsvOptions())
    [problem] = caught.value.diagnostics
    return problem.code, problem.message


def test_a_truncated_workbook(tmp_path: Path, mini: Framework) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [("S", [["id", "a-one"], ["r", 1]])]).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    code, message = refusal(cut, mini)
    assert code == "not-a-workbook"
    assert message.startswith("not a readable .xlsx workbook: it is not a complete zip archive")


def test_text_named_xlsx(tmp_path: Path, mini: Framework) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("id,a-one\nr,1\n")
    assert refusal(path, mini)[0] == "not-a-workbook"


def cfb(*streams: str) -> bytes:
    """The start of an OLE compound file, with directory entry names as UTF-16, as Excel's
    encrypted workbooks and .xls files begin."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in streams)


def test_a_password_protected_workbook(tmp_path: Path, mini: Framework) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(cfb("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    code, message = refusal(path, mini)
    assert code == "password-protected"
    assert message.startswith("the workbook is protected with a password")


def test_an_old_xls_with_an_xlsx_name(tmp_path: Path, mini: Framework) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(cfb("Root Entry", "Workbook"))
    assert refusal(path, mini) == (
        "not-a-workbook",
        "this is an Excel 97-2003 workbook (.xls) with an .xlsx name: open it in Excel and save "
        "it as .xlsx (Excel Workbook) or as CSV UTF-8",
    )


@pytest.mark.parametrize(
    ("parts", "start"),
    [
        (
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
            "this is an OpenDocument spreadsheet (.ods)",
        ),
        (
            {"xl/workbook.bin": "", "[Content_Types].xml": "<x/>"},
            "this is an Excel binary workbook",
        ),
        ({"word/document.xml": "<w/>"}, "not a readable .xlsx workbook: it has no workbook part"),
    ],
)
def test_other_zips_with_an_xlsx_name(
    tmp_path: Path, mini: Framework, parts: dict[str, str], start: str
) -> None:
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    code, message = refusal(path, mini)
    assert code == "not-a-workbook" and message.startswith(start)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("team.xls", "an Excel 97-2003 workbook (.xls)"),
        ("team.ods", "an OpenDocument spreadsheet (.ods)"),
        ("team.numbers", "an Apple Numbers spreadsheet"),
        ("team.xlsb", "an Excel binary workbook (.xlsb)"),
    ],
)
def test_other_spreadsheet_formats_get_one_line(
    tmp_path: Path, mini: Framework, name: str, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"whatever is inside")
    assert refusal(path, mini) == (
        "unsupported-input",
        f"this is {kind}, which is not read: save it as an Excel workbook (.xlsx) or as CSV "
        "UTF-8, and give that file",
    )


def test_folders_take_workbooks_and_skip_excel_lock_files(tmp_path: Path) -> None:
    folder = tmp_path / "responses"
    folder.mkdir()
    for name in ("team.xlsx", "~$team.xlsx", "old.xls", "notes.txt", ".hidden.xlsx"):
        (folder / name).write_bytes(b"x")
    files, problems = expand_inputs([folder], set())
    assert [p.name for p in files] == ["old.xls", "team.xlsx"]  # old.xls then gets its one line
    assert problems == []


def test_a_workbook_renamed_to_csv_is_named_as_one(tmp_path: Path, mini: Framework) -> None:
    book = write_xlsx(tmp_path / "team.xlsx", [("S", [["id", "a-one"], ["r", 1]])])
    renamed = tmp_path / "team.csv"
    renamed.write_bytes(book.read_bytes())
    assert refusal(renamed, mini) == (
        "binary-file",
        "this is a spreadsheet file (such as an Excel workbook), not CSV text: give it its own "
        "name (.xlsx), or save it as CSV UTF-8",
    )


def test_xml_the_reader_cannot_parse(tmp_path: Path, mini: Framework) -> None:
    # Passes the size checks, then python-calamine finds the sheet's XML broken.
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
    )
    path = write_xlsx(tmp_path / "broken.xlsx", [("S", [])], sheet_xml_override={0: sheet})
    code, message = refusal(path, mini)
    assert code == "not-a-workbook"
    assert message.startswith("the workbook cannot be read (")
    assert message.endswith("open it in Excel and save it again as .xlsx, or save the sheet as CSV")


def test_a_360_sheet(tmp_path: Path, mini: Framework) -> None:
    rows: list[list[Cell]] = [
        ["Rater", "About", "Relationship", "a-one", "a-two", "a-three"],
        ["sam", "sam", "Myself", 5, 5, 5],
        ["mo", "sam", "Line manager", 2, "Rarely", 3],
        ["x", "sam", "the cat", 1, 1, 1],
        ["y", "sam", None, 1, 1, 1],
    ]
    good, bad, _ = read(
        write_xlsx(tmp_path / "360.xlsx", [("S", rows)]),
        mini,
        id_column="Rater",
        subject_column="About",
        relationship_column="Relationship",
    )
    assert [(r.respondent_id, r.subject, r.relationship, r.row) for r in good] == [
        ("sam", "sam", "self", 2),
        ("mo", "sam", "manager", 3),
    ]
    assert [(b.row, b.problems[0].code) for b in bad] == [
        (4, "unknown-relationship"),
        (5, "incomplete-rater"),
    ]
