"""Excel workbooks for the tests, written by hand: a zip of the few XML parts a reader needs.

No xlsx writer is in the lock, and the tests run offline, so this writes the
Office Open XML parts itself (ECMA-376 Part 1, SpreadsheetML): the content
types, the package and workbook relationships, the workbook, a style sheet
with date formats, the shared strings and one worksheet per sheet. Cells:
`str` (a shared string, or an inline string with `inline=True`), `int` and
`float` (numbers), `bool`, `datetime.datetime` and `datetime.date` (numbers
styled as dates, as Excel stores them) and `None` (no cell). Every cell
carries its `r` reference, as Excel writes it. `sheet_xml` replaces a
sheet's XML and `extra` adds or replaces any part, for the hostile cases.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

Cell = str | int | float | bool | dt.datetime | dt.date | None

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 in the 1900 date system (with its leap-year bug)

# Style indexes in styles.xml below: 0 general, 1 date and time (numFmt 22), 2 date (numFmt 14).
DATETIME_STYLE = 1
DATE_STYLE = 2


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column part of a cell reference."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def serial(value: dt.datetime | dt.date) -> float:
    """A date or date-time as Excel stores it: days since 1899-12-30, time as the fraction."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return (value - EPOCH).total_seconds() / 86400


class _Strings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def add(self, text: str) -> int:
        self.count += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(
            f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in self.index
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">'
            f"{items}</sst>"
        )


def _cell(ref: str, value: Cell, strings: _Strings, inline: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="{DATETIME_STYLE}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if inline:
        return (
            f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
        )
    return f'<c r="{ref}" t="s"><v>{strings.add(value)}</v></c>'


def sheet_xml(
    rows: Sequence[Sequence[Cell]],
    strings: _Strings,
    *,
    first_row: int = 1,
    first_column: int = 0,
    inline: bool = False,
) -> str:
    """One worksheet: `rows[0]` at row `first_row`, column `first_column` (0 = A)."""
    body = []
    for r, row in enumerate(rows, first_row):
        cells = "".join(
            _cell(f"{column_letters(c)}{r}", value, strings, inline)
            for c, value in enumerate(row, first_column)
        )
        if cells:
            body.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData>{"".join(body)}</sheetData>'
        "</worksheet>"
    )


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def write_xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]],
    *,
    first_row: int = 1,
    first_column: int = 0,
    inline: bool = False,
    sheet_xml_override: dict[int, str] | None = None,
    extra: dict[str, bytes | str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Write a workbook of `sheets` (name, rows) to `path` and return the path.

    `first_row`/`first_column` place every sheet's first cell (1, 0 = A1);
    `sheet_xml_override` replaces the XML of sheet N (0-based); `extra` adds
    or replaces parts by their name in the zip.
    """
    strings = _Strings()
    parts: dict[str, bytes | str] = {}
    sheet_entries = []
    rels = []
    overrides = []
    for n, (name, rows) in enumerate(sheets, 1):
        xml = sheet_xml(
            rows, strings, first_row=first_row, first_column=first_column, inline=inline
        )
        if sheet_xml_override and n - 1 in sheet_xml_override:
            xml = sheet_xml_override[n - 1]
        parts[f"xl/worksheets/sheet{n}.xml"] = xml
        sheet_entries.append(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>')
        rels.append(
            f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        )
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
    count = len(sheets)
    rels.append(
        f'<Relationship Id="rId{count + 1}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    )
    rels.append(f'<Relationship Id="rId{count + 2}" Type="{REL}/styles" Target="styles.xml"/>')
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(overrides)
        + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    )
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    parts["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{"".join(sheet_entries)}</sheets>'
        "</workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>'
    )
    parts["xl/styles.xml"] = STYLES
    parts["xl/sharedStrings.xml"] = strings.xml()
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path
