"""Hostile workbooks are refused before python-calamine sees them, each with one clear line.

Each of these, handed to calamine, ends the process (a failed allocation is
an abort, not an exception) or takes gigabytes: a cell at the far corner of
the sheet, a reference past Excel's last row, a declared count of a trillion
shared strings, a part that unpacks to more than the limit, a long text
copied into thousands of cells. The checks read the zip with the standard
library only, so these tests run in-process; tests/cli/test_workbook_cli.py
runs the same files through the real command in a subprocess.
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import pytest

import lpc_assess.inputs.xlsx_package as package
from lpc_assess.diagnostics import InputError
from lpc_assess.inputs.xlsx_package import (
    _digits_above,
    _letters_above,
    column_name,
    column_number,
    read_package,
)
from tests.unit.inputs.xlsx_writer import MAIN, write_xlsx


def sheet(rows: str, root: str = "worksheet", prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    return f'<{p}{root} {xmlns}="{MAIN}"><{p}sheetData>{rows}</{p}sheetData></{p}{root}>'


def book(tmp_path: Path, xml: str, **extra: str | bytes) -> Path:
    return write_xlsx(
        tmp_path / "hostile.xlsx", [("S", [])], sheet_xml_override={0: xml}, extra=extra
    )


def refused(path: Path) -> tuple[str, str]:
    with pytest.raises(InputError) as caught:
        read_package(path, path.name)
    [problem] = caught.value.diagnostics
    return problem.code, problem.message


def scanned(path: Path) -> package.SheetScan:
    found = read_package(path, path.name).sheets
    return found["xl/worksheets/sheet1.xml"]


# --- the used area: what calamine allocates, rows x columns ----------------------------------


def test_a_cell_at_the_far_corner(tmp_path: Path) -> None:
    xml = sheet(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    )
    assert refused(book(tmp_path, xml)) == (
        "too-large",
        "a sheet's cells spread over 1,048,576 rows and 16,384 columns (about 17,179,869,184 "
        "cells); the limit for a workbook is 5,000,000 cells: save the sheet as CSV, which is "
        "read as a stream",
    )


@pytest.mark.parametrize(
    "ref",
    [
        'r="A4294967297"',  # wraps around 32 bits in the reader
        'r="XFE1"',  # one column past XFD
        'r="a1048577"',  # lower case, one row past the last
        'r="A000000001048577"',  # leading zeros
    ],
)
def test_references_past_excels_last_row_or_column(tmp_path: Path, ref: str) -> None:
    xml = sheet(f'<row r="1"><c r="A1"><v>1</v></c><c {ref}><v>2</v></c></row>')
    code, message = refused(book(tmp_path, xml))
    assert code == "not-a-workbook"
    assert "beyond the last row (1,048,576) or column (XFD)" in message


@pytest.mark.parametrize(
    "cell",
    [
        "<c r=\"A1\" r='XFD1000'><v>1</v></c>",  # a second r, single-quoted
        '<c r="A1" r = "XFD1000"><v>1</v></c>',  # spaces around =
        '<c r="A1"\n r="XFD1000"><v>1</v></c>',  # a line break before it
        '<c r="A1"r="XFD1000"><v>1</v></c>',  # no space at all before it
        '<c r="A1" t="n"r = \'XFD1000\'><v>1</v></c>',
    ],
)
def test_a_second_reference_in_any_quoting_is_seen(tmp_path: Path, cell: str) -> None:
    assert refused(book(tmp_path, sheet(f'<row r="1">{cell}</row>')))[0] == "too-large"


def test_prefixed_cells_are_cells(tmp_path: Path) -> None:
    xml = sheet(
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="ZZ8000"><x:v>1</x:v></x:c></x:row>',
        prefix="x",
    )
    assert refused(book(tmp_path, xml))[0] == "too-large"  # 8,000 x 702 cells


def test_cells_without_references_are_placed_as_the_reader_places_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package, "MAX_CELLS", 100_000)
    # 1,000 empty rows (each moves the row on), then a row of 200 cells without a reference.
    cells = "<c><v>1</v></c>" * 200
    xml = sheet("<row/>" * 1000 + f"<row>{cells}</row>")
    code, message = refused(book(tmp_path, xml))
    assert code == "too-large"
    assert "1,001 rows and 200 columns" in message
    # The same cells under a real header are fine, and placed where calamine puts them.
    xml = sheet(
        '<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c><c/><c><v>4</v></c></row><row><c/></row>'
    )
    scan = scanned(book(tmp_path, xml))
    assert scan.exact
    assert (scan.rows, scan.columns, scan.cells) == (3, 5, 5)
    # In the exact scan too, a reference written right after another value counts.
    xml = sheet('<row><c><v>1</v></c><c t="n"r="XFD1000"><v>1</v></c></row>')
    assert refused(book(tmp_path, xml))[0] == "too-large"


def test_too_many_cells_in_a_small_area(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same cell written again and again: a small sheet, a huge list in the reader.
    monkeypatch.setattr(package, "MAX_CELLS", 1000)
    xml = sheet('<row r="1">' + '<c r="A1"><v>1</v></c>' * 1001 + "</row>")
    assert refused(book(tmp_path, xml))[0] == "too-large"


def test_a_declared_dimension_alone_is_harmless(tmp_path: Path) -> None:
    # <dimension> only sizes a buffer below 100,000 cells: the cells decide.
    xml = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row></sheetData></worksheet>'
    )
    scan = scanned(book(tmp_path, xml))
    assert (scan.rows, scan.columns) == (1, 2)


# --- shared strings and what cells copy of them ------------------------------------------------


def test_a_declared_trillion_shared_strings(tmp_path: Path) -> None:
    strings = f'<sst xmlns="{MAIN}" count="1" uniqueCount="1000000000000"><si><t>a</t></si></sst>'
    xml = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    code, message = refused(book(tmp_path, xml, **{"xl/sharedStrings.xml": strings}))
    assert (code, message) == (
        "too-large",
        "the workbook declares 1,000,000,000,000 different texts; the limit is 5,000,000: save "
        "the sheet as CSV",
    )


def test_shared_strings_that_unpack_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package, "MAX_UNPACKED", 1 << 20)
    strings = f'<sst xmlns="{MAIN}" uniqueCount="1"><si><t>' + "A" * (2 << 20) + "</t></si></sst>"
    xml = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    path = book(tmp_path, xml, **{"xl/sharedStrings.xml": strings})
    assert path.stat().st_size < 20_000  # it compresses well: that is the point
    assert refused(path) == (
        "too-large",
        "the workbook unpacks to more than 1 MiB; the limit is 1 MiB: save the sheet as CSV, "
        "which is read as a stream",
    )


def lie_about_size(path: Path, member: str, declared: int) -> None:
    """Rewrite the sizes a zip declares for `member` (local header and central directory)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for found in re.finditer(re.escape(signature), bytes(data)):
            at = found.start()
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[name_at : name_at + len(name)]) == name:
                struct.pack_into("<I", data, at + offset, declared)
    path.write_bytes(bytes(data))


def test_a_part_that_unpacks_to_more_than_it_declares(tmp_path: Path) -> None:
    # A zip bomb that lies: it says 100 bytes and inflates to 50 MB. Reading stops at the
    # declared size and the checksum then fails: nothing past 100 bytes is unpacked.
    strings = f'<sst xmlns="{MAIN}" uniqueCount="1"><si><t>' + "A" * 50_000_000 + "</t></si></sst>"
    xml = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    path = book(tmp_path, xml, **{"xl/sharedStrings.xml": strings})
    lie_about_size(path, "xl/sharedStrings.xml", 100)
    code, message = refused(path)
    assert code == "not-a-workbook"
    assert message.startswith("not a readable .xlsx workbook: a part cannot be unpacked")


def test_a_long_text_copied_into_many_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package, "MAX_TEXT", 1 << 20)
    strings = (
        f'<sst xmlns="{MAIN}" uniqueCount="2"><si><t>short</t></si><si><t>'
        + "B" * 10_000
        + "</t></si></sst>"
    )
    many = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>1</v></c></row>' for n in range(1, 151))
    code, message = refused(book(tmp_path, sheet(many), **{"xl/sharedStrings.xml": strings}))
    assert code == "too-large"
    assert message.startswith("a sheet's cells repeat 1 MiB of text")
    # Many cells and one long text used once: counted exactly, and accepted.
    once = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(1, 150))
    once += '<row r="150"><c r="A150" t="s"><v>1</v></c></row>'
    scan = scanned(book(tmp_path, sheet(once), **{"xl/sharedStrings.xml": strings}))
    assert scan.cells == 150


# --- the zip itself -------------------------------------------------------------------------------


def test_a_part_twice_under_one_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "twice.xlsx", [("S", [["id"]])])
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet(""))
    code, message = refused(path)
    assert code == "not-a-workbook" and "is in it twice" in message


def test_a_part_twice_in_different_case(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "case.xlsx", [("S", [["id"]])])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("XL/Worksheets/Sheet1.xml", sheet(""))
    assert "is in it twice" in refused(path)[1]


def test_error_cells_are_found_with_their_text(tmp_path: Path) -> None:
    xml = sheet(
        '<row r="2"><c r="C2" t="e"><v>#DIV/0!</v></c>'
        '<c r="D2" s="1" t="e"><f>1/0</f><v>#N/A</v></c><c r="E2" t="e"/></row>'
    )
    assert scanned(book(tmp_path, xml)).errors == {(1, 2): "#DIV/0!", (1, 3): "#N/A"}
    # The same, in a sheet without references (the exact scan).
    xml = sheet('<row><c/><c t="e"><v>#REF!</v></c></row>')
    scan = scanned(book(tmp_path, xml))
    assert scan.exact and scan.errors == {(0, 1): "#REF!"}


# --- the reference patterns, against plain arithmetic ----------------------------------------


@pytest.mark.parametrize("n", [0, 1, 9, 10, 19, 99, 100, 101, 999, 1000, 123456, 1048576])
def test_the_row_pattern_matches_exactly_the_larger_numbers(n: int) -> None:
    pattern = re.compile(_digits_above(n) + b"$")
    for k in {*range(0, 1200), n - 1, n, n + 1, 10 * n, 10 * n + 7, 1048577}:
        if k >= 0:
            assert bool(pattern.match(str(k).encode())) == (k > n), (n, k)
            assert bool(pattern.match(b"00" + str(k).encode())) == (k > n), (n, k)


@pytest.mark.parametrize("n", [0, 1, 25, 26, 27, 52, 701, 702, 703, 16383, 16384])
def test_the_column_pattern_matches_exactly_the_later_columns(n: int) -> None:
    pattern = re.compile(_letters_above(n) + b"$")
    for k in {*range(1, 800), 16383, 16384, 16385, 18278}:
        name = column_name(k).encode()
        assert column_number(name) == k
        assert bool(pattern.match(name)) == (k > n), (n, name)
        assert bool(pattern.match(name.lower())) == (k > n), (n, name)
