"""`lpc-assess batch` on inputs as coaches have them: Excel workbooks, Qualtrics, pasted headers.

Workbooks are written by tests/unit/inputs/xlsx_writer.py and read through the
real command. Figures are checked against the same data as a CSV export (the
scores files must be identical) or recomputed from the file with the `csv`
module and the reference scoring (`scoring.person.score_response`).
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lpc_assess.cli import app
from lpc_assess.inputs.columns import normalise_header
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.person import score_response
from tests.conftest import DATA, run_cli
from tests.unit.inputs.test_workbook import ms_forms_rows
from tests.unit.inputs.xlsx_writer import MAIN, write_xlsx

runner = CliRunner()
MS_FORMS_CSV = Path("tests/data/csv/ms-forms.csv")
QUALTRICS_CSV = Path("tests/data/csv/qualtrics.csv")


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA.parent.parent)


@pytest.fixture(scope="module")
def default() -> Framework:
    return load_framework(None)


def batch(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["batch", *map(str, args)])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def forms_workbook(folder: Path, name: str = "forms.xlsx") -> Path:
    return write_xlsx(folder / name, [("Form1", ms_forms_rows())])


def label_rows(framework: Framework, people: int, skip: set[int] | None = None) -> list[list[str]]:
    """A header of id, name and statements (all but the indices in `skip`); answers as labels."""
    labels = [
        framework.scale.labels[v] for v in range(framework.scale.min, framework.scale.max + 1)
    ]
    keep = [i for n, i in enumerate(framework.indicators) if n not in (skip or set())]
    rows = [["id", "name", *(i.statement for i in keep)]]
    for p in range(people):
        rows.append(
            [f"p{p}", f"Person {p}", *(labels[(p + n) % len(labels)] for n in range(len(keep)))]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


# --- the same data as a workbook and as CSV ---------------------------------------------------


def test_a_forms_workbook_gives_what_its_csv_export_gives(tmp_path: Path) -> None:
    book = forms_workbook(tmp_path)
    results = {}
    for name, source in (("csv", MS_FORMS_CSV), ("xlsx", book)):
        out = tmp_path / name
        code, _, stderr = batch(
            source,
            "--scores",
            tmp_path / f"{name}-scores.csv",
            "--summary",
            tmp_path / f"{name}.json",
            "--out-dir",
            out,
            "--format",
            "md",
        )
        results[name] = (code, stderr, out)
    (csv_code, csv_err, csv_out), (xlsx_code, xlsx_err, xlsx_out) = results["csv"], results["xlsx"]
    assert csv_code == xlsx_code == 1  # the typo at row 4
    assert f'{MS_FORMS_CSV}: row 4, column "' in csv_err
    assert xlsx_err == csv_err.replace(str(MS_FORMS_CSV), str(book)).replace(
        str(tmp_path / "csv"), str(tmp_path / "xlsx")
    ).replace("csv-scores.csv", "xlsx-scores.csv").replace("csv.json", "xlsx.json")
    # Identical scores files, byte for byte.
    assert (tmp_path / "xlsx-scores.csv").read_bytes() == (tmp_path / "csv-scores.csv").read_bytes()
    # The same summary, once the file names are the same.
    csv_summary = (tmp_path / "csv.json").read_text().replace(str(MS_FORMS_CSV), "SOURCE")
    xlsx_summary = (tmp_path / "xlsx.json").read_text().replace(str(book), "SOURCE")
    assert json.loads(xlsx_summary) == json.loads(csv_summary)
    # The same person reports (the source file is not named in them).
    names = sorted(p.name for p in csv_out.iterdir())
    assert sorted(p.name for p in xlsx_out.iterdir()) == names
    for name in names:
        if name.startswith("team"):
            continue
        assert (xlsx_out / name).read_text() == (csv_out / name).read_text(), name


def test_a_folder_with_only_a_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "responses"
    folder.mkdir()
    forms_workbook(folder, "Team feedback.xlsx")
    (folder / "~$Team feedback.xlsx").write_bytes(b"\0owner lock file")  # Excel has it open
    summary = tmp_path / "s.json"
    code, _, stderr = batch(folder, "--summary", summary)
    assert code == 1, stderr  # the row 4 typo, nothing else
    assert json.loads(summary.read_text())["responses"] == 6
    assert "~$" not in stderr
    assert stderr.splitlines()[-1] == "scored 6 response(s) from 1 input(s); 1 rejected"


def test_an_old_xls_file_gets_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "responses"
    folder.mkdir()
    (folder / "team.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    code, _, stderr = batch(folder)
    assert code == 1
    assert stderr.splitlines() == [
        f"{folder / 'team.xls'}: error[unsupported-input]: this is an Excel 97-2003 workbook "
        "(.xls), which is not read: save it as an Excel workbook (.xlsx) or as CSV UTF-8, and "
        "give that file",
        "nothing to score: no response was accepted (1 rejected)",
    ]


def test_sheet_option(tmp_path: Path, default: Framework) -> None:
    rows = label_rows(default, 3)
    book = write_xlsx(tmp_path / "two.xlsx", [("Notes", [["Read me first"]]), ("Responses", rows)])
    summary = tmp_path / "s.json"
    code, _, stderr = batch(book, "--sheet", "Responses", "--summary", summary)
    assert code == 0, stderr
    assert json.loads(summary.read_text())["responses"] == 3
    code, _, stderr = batch(book, "--sheet", "2", "--summary", summary)
    assert code == 0, stderr
    code, _, stderr = batch(book, "--sheet", "Answers")
    assert code == 1
    assert stderr.splitlines()[0] == (
        f'{book}: error[no-such-sheet]: --sheet "Answers": there is no such sheet (the sheets '
        'are "Notes", "Responses")'
    )
    # Without --sheet the first sheet is read; when it is not the right one, the error says
    # which sheets there are.
    code, _, stderr = batch(book)
    assert code == 1
    assert stderr.splitlines()[0].startswith(f"{book}: error[no-indicator-columns]: ")
    assert stderr.splitlines()[0].endswith(
        ' (sheet "Notes" was read; the workbook also has "Responses": choose one with --sheet)'
    )


# --- nothing lost quietly ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_statement_without_a_column(tmp_path: Path, default: Framework, kind: str) -> None:
    rows = label_rows(default, 4, skip={5})
    missing = default.indicators[5]
    if kind == "csv":
        export = write_csv(tmp_path / "partial.csv", rows)
    else:
        export = write_xlsx(tmp_path / "partial.xlsx", [("Form1", rows)])  # type: ignore[list-item]
    summary = tmp_path / "s.json"
    code, _, stderr = batch(export, "--summary", summary)
    assert code == 1
    assert stderr.splitlines()[-1] == (
        "nothing to score: no response was accepted (1 rejected); nothing was written"
    )
    first = stderr.splitlines()[0]
    assert first.startswith(
        f"{export}: error[missing-column]: no column for statement {missing.id!r} ("
    )
    assert first.endswith(
        "so this file was not scored: correct the header, name the column with --map, or give "
        "--allow-missing to score without it"
    )
    code, _, stderr = batch(export, "--summary", summary, "--allow-missing")
    assert code == 0, stderr
    assert f"{export}: warning[missing-column]: no column for statement {missing.id!r}" in stderr
    data = json.loads(summary.read_text())
    assert data["responses"] == 4
    assert [e["message"] for e in data["errors"] if missing.id in e["message"]] != []


def test_a_curly_apostrophe_in_a_pasted_header(tmp_path: Path, default: Framework) -> None:
    # The case: one statement pasted from a word processor, semicolons as delimiter.
    rows = label_rows(default, 12)
    at = next(n for n, i in enumerate(default.indicators) if "'" in i.statement)
    rows[0][2 + at] = rows[0][2 + at].replace("'", "\u2019")
    export = write_csv(tmp_path / "forms.csv", rows, delimiter=";")
    scores = tmp_path / "scores.csv"
    code, _, stderr = batch(export, "--scores", scores)
    assert code == 0, stderr
    assert "warning" not in stderr and "error" not in stderr
    labels = {label: v for v, label in default.scale.labels.items()}
    with scores.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    for row, line in zip(rows[1:], written, strict=True):
        answers = {i.id: labels[cell] for i, cell in zip(default.indicators, row[2:], strict=True)}
        assert answers[default.indicators[at].id]  # the statement with the curly apostrophe
        expected = score_response(default, answers).overall_percent
        assert expected is not None
        assert float(line["overall_percent"]) == pytest.approx(expected, abs=0.0051)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_no_responses_is_named(tmp_path: Path, default: Framework, kind: str) -> None:
    header = label_rows(default, 0)
    if kind == "csv":
        export = write_csv(tmp_path / "empty.csv", header)
        where = ""
    else:
        export = write_xlsx(tmp_path / "empty.xlsx", [("Form1", header)])  # type: ignore[list-item]
        where = ' in sheet "Form1"'
    code, _, stderr = batch(export)
    assert code == 1
    assert stderr.splitlines() == [
        f"{export}: warning[no-responses]: no responses{where}: there is no row below the header",
        "nothing to score: no response was accepted",
    ]


# --- Qualtrics ----------------------------------------------------------------------------------


def test_a_qualtrics_export(tmp_path: Path, default: Framework) -> None:
    scores = tmp_path / "scores.csv"
    code, _, stderr = batch(
        QUALTRICS_CSV, "--id-column", "ResponseId", "--name-column", "Your name", "--scores", scores
    )
    assert code == 1  # one bad cell
    assert f"{QUALTRICS_CSV}: a Qualtrics export: rows 2 and 3" in stderr
    assert f'{QUALTRICS_CSV}: row 6, column "Q1_6": "Usually" is not an answer' in stderr
    # Read back independently: rows 4 on are responses; row 2 holds `question - statement`.
    with QUALTRICS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    by_text = {normalise_header(i.statement): i.id for i in default.indicators}
    columns = {}
    for at, text in enumerate(rows[1]):
        statement = text.replace("\u2013", "-").replace("\u2019", "'").rsplit(" - ", 1)[-1]
        if normalise_header(statement) in by_text:
            columns[at] = by_text[normalise_header(statement)]
    assert sorted(columns.values()) == sorted(i.id for i in default.indicators)
    labels = {label.casefold(): v for v, label in default.scale.labels.items()}
    expected = {}
    for number, row in enumerate(rows[3:], start=4):
        answers = {}
        for at, ident in columns.items():
            cell = row[at].strip()
            if cell.isdigit():
                answers[ident] = int(cell)
            elif cell.casefold() in labels:
                answers[ident] = labels[cell.casefold()]
        if number != 6:
            expected[row[8]] = score_response(default, answers).overall_percent
    with scores.open(encoding="utf-8", newline="") as handle:
        written = {r["id"]: float(r["overall_percent"]) for r in csv.DictReader(handle)}
    assert written.keys() == expected.keys()
    for ident, percent in expected.items():
        assert percent is not None
        assert written[ident] == pytest.approx(percent, abs=0.0051)


# --- hostile workbooks, through the real command in a subprocess --------------------------------


def hostile_sheet(rows: str) -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def far_corner(path: Path) -> None:
    xml = hostile_sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    )
    write_xlsx(path, [("S", [])], sheet_xml_override={0: xml})


def trillion_strings(path: Path) -> None:
    strings = f'<sst xmlns="{MAIN}" uniqueCount="1000000000000"><si><t>id</t></si></sst>'
    xml = hostile_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    write_xlsx(
        path, [("S", [])], sheet_xml_override={0: xml}, extra={"xl/sharedStrings.xml": strings}
    )


def bomb(path: Path) -> None:
    """300 MB of shared text (the limit is 256 MiB) in a file of a few hundred kilobytes."""
    write_xlsx(path, [("S", [["id", "a-one"], ["r", 1]])])
    body = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(body, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(
                    f'<sst xmlns="{MAIN}" uniqueCount="2"><si><t>id</t></si><si><t>'.encode()
                )
                block = b"A" * (1 << 20)
                for _ in range(300):
                    part.write(block)
                part.write(b"</t></si></sst>")
    body.replace(path)


@pytest.mark.parametrize(
    ("make", "code", "start"),
    [
        (far_corner, "too-large", "a sheet's cells spread over 1,048,576 rows and 16,384 columns"),
        (trillion_strings, "too-large", "the workbook declares 1,000,000,000,000 different texts"),
        (bomb, "too-large", "the workbook unpacks to more than 256 MiB"),
    ],
)
def test_hostile_workbooks_get_one_line_and_no_crash(
    tmp_path: Path, make: object, code: str, start: str
) -> None:
    path = tmp_path / "hostile.xlsx"
    make(path)  # type: ignore[operator]
    assert path.stat().st_size < 1_000_000
    result = run_cli("batch", str(path), "--framework", str(DATA / "valid" / "mini"), timeout=120)
    # An abort inside the reader would be a negative return code (a signal) and no message.
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"{path}: error[{code}]: " + result.stderr.split(f"error[{code}]: ", 1)[1].splitlines()[0],
        "nothing to score: no response was accepted (1 rejected)",
    ]
    assert result.stderr.split(f"error[{code}]: ", 1)[1].startswith(start)


def corrupt(path: Path) -> None:
    whole = write_xlsx(path, [("S", [["id", "a-one"], ["r", 1]])]).read_bytes()
    path.write_bytes(whole[:300])


def password(path: Path) -> None:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + bytes(100))


def empty_sheet(path: Path) -> None:
    write_xlsx(path, [("Form1", [])])


@pytest.mark.parametrize(
    ("make", "args", "line"),
    [
        (
            corrupt,
            [],
            "error[not-a-workbook]: not a readable .xlsx workbook: it is not a complete "
            "zip archive; open it in Excel and save it again as .xlsx, or save the sheet as CSV",
        ),
        (
            password,
            [],
            "error[password-protected]: the workbook is protected with a password: "
            "remove the password in Excel (File, Info, Protect Workbook, Encrypt with Password) or "
            "save the sheet as CSV",
        ),
        (empty_sheet, [], 'error[empty-sheet]: sheet "Form1" is empty'),
        (
            empty_sheet,
            ["--sheet", "Answers"],
            'error[no-such-sheet]: --sheet "Answers": there is '
            'no such sheet (the sheets are "Form1")',
        ),
    ],
)
def test_a_workbook_that_cannot_be_read_gets_one_line(
    tmp_path: Path, make: object, args: list[str], line: str
) -> None:
    path = tmp_path / "team.xlsx"
    make(path)  # type: ignore[operator]
    code, _, stderr = batch(path, *args)
    assert code == 1
    assert stderr.splitlines() == [
        f"{path}: {line}",
        "nothing to score: no response was accepted (1 rejected)",
    ]
