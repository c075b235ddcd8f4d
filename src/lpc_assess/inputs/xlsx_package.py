"""An Excel workbook (.xlsx) checked before any part of it is parsed: bounded, and safe to load.

python-calamine (a Rust library) loads a whole sheet into memory, stored dense
(every row times every column), and a workbook a few kilobytes long can ask
for more memory than any machine has: one cell at the last row and column of
a sheet, a declared count of a trillion shared strings (reserved up front), a
long text referenced from a million cells (copied into each), a part that
unpacks to gigabytes. A failed allocation there ends the process: no message,
no summary. So `read_package` first streams every part of the zip with the
standard library (which checks each part's size and checksum) and refuses,
with one clear line, anything past these limits, before calamine sees a byte.
It also finds the cells that hold an Excel error (`#N/A`), which calamine
would read as empty: the workbook reader puts their text back.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lpc_assess.diagnostics import Diagnostic, InputError
from lpc_assess.inputs.reading import read_bytes

MAX_WORKBOOK = 100 << 20  # bytes of the .xlsx file
MAX_UNPACKED = 256 << 20  # bytes of all its parts, unpacked
MAX_CELLS = 5_000_000  # cells of a sheet: rows x columns of its used area, and cells written
MAX_TEXT = 512 << 20  # bytes of shared text a sheet's cells copy
MAX_ERRORS = 100_000  # cells holding an Excel error
MAX_TAG = 16 << 20  # bytes of one XML tag
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384

CHUNK = 1 << 20
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the OLE container: .xls, and encrypted .xlsx
ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def problem(source: str, code: str, message: str) -> InputError:
    return InputError([Diagnostic(source, None, None, "error", code, message)])


def column_number(letters: bytes) -> int:
    """`A` -> 1, `Z` -> 26, `AA` -> 27 (any case)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def column_name(number: int) -> str:
    """1 -> `A`, 27 -> `AA`."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _digits_above(n: int) -> bytes:
    """A regex for a decimal number (leading zeros allowed) greater than `n`."""
    text = str(n)
    width = len(text)
    options = [b"[1-9][0-9]{%d,}" % width]
    for i, char in enumerate(text):
        if char != "9":
            options.append(
                text[:i].encode() + b"[%d-9]" % (int(char) + 1) + b"[0-9]{%d}" % (width - i - 1)
            )
    return b"0*(?:" + b"|".join(options) + b")"


def _letters_above(n: int) -> bytes:
    """A regex for column letters (any case) naming a column after column `n` (0: any)."""
    if n == 0:
        return b"[A-Za-z]+"
    text = column_name(n)
    width = len(text)
    options = [b"[A-Za-z]{%d,}" % (width + 1)]
    for i, char in enumerate(text):
        if char != "Z":
            prefix = b"".join(b"[%s%s]" % (c.encode(), c.lower().encode()) for c in text[:i])
            after = chr(ord(char) + 1)
            options.append(
                prefix
                + b"[%s-Z%s-z]" % (after.encode(), after.lower().encode())
                + b"[A-Za-z]{%d}" % (width - i - 1)
            )
    return b"(?:" + b"|".join(options) + b")"


def _round_up(n: int) -> int:
    """`n` rounded up to two significant digits (123456 -> 130000): few thresholds, ~10% slack."""
    if n < 100:
        return n
    step = int(10 ** (len(str(n)) - 2))
    return -(-n // step) * step


_REF = re.compile(rb"""r\s*=\s*["']([A-Za-z]*)([0-9]+)["']""")
# An attribute as calamine reads one: a name up to `=`, spaces allowed around it, a value in
# either quotes; no space is needed after the value before the next name (`r="A1"r="B2"`).
_ATTR = re.compile(rb"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG = re.compile(
    rb"""<(/?)(?:[\w.-]+:)?(row|c|sheetData)(?=[\s/>])((?:\s*[^\s=/>"']+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>"""
)
_BEFORE_NAME = (b" ", b"\t", b"\n", b"\r", b"\x0c", b'"', b"'")  # what may end the bytes before one
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]{0,40})")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c\s*>")


def _error_text(segment: bytes, start: int) -> bytes:
    """The value of the error cell whose start tag ends at `start` (b"" if it cannot be told)."""
    end = _CELL_END.search(segment, start)
    value = _VALUE.search(segment, start, end.start() if end else len(segment))
    return value.group(1) if value else b""


_CELL_REF = re.compile(rb"([A-Za-z]*)([0-9]+)")
_STRING_INDEX = re.compile(rb't="s"><v>([0-9]+)</v>')  # as Excel and most writers put it
_SI = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")
_UNIQUE = re.compile(rb"""uniqueCount\s*=\s*["']([0-9]+)["']""")


def _segments(stream: Iterator[bytes]) -> Iterator[bytes]:
    """The unpacked bytes of a part, cut before a `<` so that no tag is split between two."""
    tail = b""
    for chunk in stream:
        buffer = tail + chunk
        cut = buffer.rfind(b"<row")
        if cut <= 0:
            cut = buffer.rfind(b"<")
        if cut <= 0:
            if len(buffer) > MAX_TAG:
                yield buffer  # text without a tag in it
                tail = b""
            else:
                tail = buffer
            continue
        yield buffer[:cut]
        tail = buffer[cut:]
    if tail:
        yield tail


@dataclass
class SheetScan:
    """What a worksheet part's cells need: the used area, the cells written, errors, strings."""

    rows: int = 0  # the last row and column (1-based) that a cell is at, at most
    columns: int = 0
    cells: int = 0  # cells written
    string_cells: int = 0  # counted by the exact scan and by `copied_text` only
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based
    exact: bool = False  # some cell tag is unusual: worked out tag by tag

    def at(self, row: int, column: int, source: str) -> None:
        if row > EXCEL_ROWS or column > EXCEL_COLUMNS:
            shown = f"{column_name(min(column, 10**6))}{row}"[:24]
            raise problem(
                source,
                "not-a-workbook",
                f"a cell is at {shown}, beyond the last row (1,048,576) or column (XFD) of a "
                "sheet: the workbook is damaged; open it in Excel and save it again",
            )
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)

    def error(self, row: int, column: int, text: bytes, source: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            raise problem(
                source,
                "too-large",
                f"more than {MAX_ERRORS:,} cells hold an Excel error (such as #N/A); "
                "correct the formulas, or save the sheet as CSV",
            )
        shown = text.decode("utf-8", "replace").strip() or "#ERROR"
        self.errors[(row, column)] = shown


class _FastScan:
    """A worksheet scanned with byte counts and a few regex searches, as Excel writes sheets.

    Valid while every cell tag starts `<c r="` (counted: a tag without a
    reference adds to one count only); otherwise the part is marked for the
    exact scan. Every attribute `r` (cells, rows, and any second `r` of a
    tag, in any quoting) is checked by one regex that matches only a
    reference past the largest seen so far (rows rounded up), so a sheet of
    a million cells takes a few hundred matches, not a million.
    """

    def __init__(self, scan: SheetScan, source: str) -> None:
        self.scan = scan
        self.source = source
        self.in_data = False
        self.done = False
        self.bound = 0  # rows: every reference seen is at or before this row
        self._compile()

    def _compile(self) -> None:
        self.pattern = re.compile(
            b"""r\\s*=\\s*["'](?:"""
            + _letters_above(self.scan.columns)
            + b"[0-9]|[A-Za-z]*"
            + _digits_above(self.bound)
            + b"""["'])"""
        )

    def feed(self, segment: bytes) -> None:
        if self.done:
            return
        if not self.in_data:
            start = segment.find(b"sheetData")
            if start < 0:
                return
            self.in_data = True
            segment = segment[start + 9 :]
        end = segment.find(b"sheetData")
        if end >= 0:
            segment = segment[:end]
            self.done = True
        scan = self.scan
        tags = segment.count(b"<c")
        referenced = segment.count(b'<c r="')
        prefixed = segment.count(b":c")  # `<x:c`: a cell too, whatever the prefix
        if prefixed:
            tags += prefixed
            referenced += segment.count(b':c r="')
        if tags != referenced:
            scan.exact = True
            self.done = True
            return
        scan.cells += tags
        position = 0
        search = self.pattern.search
        while (hit := search(segment, position)) is not None:
            at = hit.start()
            position = at + 1
            if segment[at - 1 : at] not in _BEFORE_NAME:
                continue  # not an attribute named r
            ref = _REF.match(segment, at)
            if ref is None:  # pragma: no cover - the pattern matched this much
                continue
            letters, digits = ref.groups()
            row = int(digits)
            if letters:
                scan.at(row, column_number(letters), self.source)
            self.bound = min(max(self.bound, _round_up(row)), EXCEL_ROWS + 1)
            if row > EXCEL_ROWS:
                scan.at(row, 1, self.source)
            self._compile()
            search = self.pattern.search
        scan.rows = max(scan.rows, min(self.bound, EXCEL_ROWS))
        if b't="e"' in segment:
            self._errors(segment)

    def _errors(self, segment: bytes) -> None:
        position = 0
        while (at := segment.find(b't="e"', position)) >= 0:
            position = at + 5
            start = segment.rfind(b"<", 0, at)
            end = segment.find(b">", at)
            ref = _REF.search(segment, start, end) if end >= 0 else None
            if ref is None or segment[end - 1 : end] == b"/":
                continue  # not a cell's start tag, or a cell with no value
            letters, digits = ref.groups()
            self.scan.error(
                int(digits) - 1,
                column_number(letters) - 1,
                _error_text(segment, end + 1),
                self.source,
            )


def _exact_scan(scan: SheetScan, segments: Iterator[bytes], source: str) -> None:
    """Every row and cell tag of a worksheet, positioned as calamine positions them.

    A row's `r` sets the row; the end of a row moves to the next; a cell's
    `r` sets its place, and a cell without one follows the cell before it.
    A self-closing cell holds nothing; any other is counted as holding a value.
    """
    scan.rows = scan.columns = scan.cells = scan.string_cells = 0
    scan.errors.clear()
    row = column = 0  # 0-based, of the next cell without a reference
    in_data = False
    for segment in segments:
        for tag in _TAG.finditer(segment):
            closing, name, attrs, empty = tag.groups()
            if name == b"sheetData":
                if in_data or closing:
                    return
                in_data = not empty
                continue
            if not in_data:
                continue
            values = {m.group(1): m.group(2) or m.group(3) or b"" for m in _ATTR.finditer(attrs)}
            if name == b"row":
                if closing:
                    row, column = row + 1, 0
                    continue
                if b"r" in values:
                    ref = _CELL_REF.fullmatch(values[b"r"])
                    if ref is None or not ref.group(2):
                        raise problem(source, "not-a-workbook", "a row has no row number")
                    row = int(ref.group(2)) - 1
                if empty:
                    row, column = row + 1, 0
                continue
            if closing:
                continue
            here = (row, column)
            if b"r" in values:
                ref = _CELL_REF.fullmatch(values[b"r"])
                if ref is None or not ref.group(1) or not ref.group(2):
                    raise problem(source, "not-a-workbook", "a cell has no usable reference")
                here = (int(ref.group(2)) - 1, column_number(ref.group(1)) - 1)
                column = here[1]
            column += 1
            scan.cells += 1
            if not empty:
                scan.at(here[0] + 1, here[1] + 1, source)
                kind = values.get(b"t")
                if kind == b"s":
                    scan.string_cells += 1
                elif kind == b"e":
                    scan.error(here[0], here[1], _error_text(segment, tag.end()), source)


@dataclass
class Package:
    """A workbook's bytes, checked, and what the checks found."""

    data: bytes
    names: dict[str, str]  # casefolded part name -> its name in the zip
    sheets: dict[str, SheetScan]  # casefolded part name -> its scan
    strings: int = 0  # shared strings

    def part(self, name: str) -> bytes:
        return zipfile.ZipFile(io.BytesIO(self.data)).read(self.names[name.casefold()])


def read_package(path: Path, source: str) -> Package:
    """Read `path` and check it as an .xlsx workbook; InputError with one line if it is not safe."""
    data = read_bytes(path, label=source, limit=MAX_WORKBOOK)
    if data.startswith(CFB):
        if ENCRYPTED in data[: 1 << 20] or ENCRYPTED in data:
            raise problem(
                source,
                "password-protected",
                "the workbook is protected with a password: remove the password in Excel "
                "(File, Info, Protect Workbook, Encrypt with Password) or save the sheet as CSV",
            )
        raise problem(
            source,
            "not-a-workbook",
            "this is an Excel 97-2003 workbook (.xls) with an .xlsx name: open it in Excel and "
            "save it as .xlsx (Excel Workbook) or as CSV UTF-8",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _damaged(source, "it is not a complete zip archive") from None
    names: dict[str, str] = {}
    for info in infos:
        key = info.filename.replace("\\", "/").lstrip("/").casefold()
        if key in names:
            raise _damaged(source, f"the part {info.filename[:80]!r} is in it twice")
        names[key] = info.filename
    if "content.xml" in names or "mimetype" in names:
        raise problem(
            source,
            "not-a-workbook",
            "this is an OpenDocument spreadsheet (.ods), not an .xlsx workbook: save it as .xlsx "
            "or as CSV UTF-8",
        )
    if not any(k.endswith("workbook.xml") for k in names):
        if any(k.endswith("workbook.bin") for k in names):
            raise problem(
                source,
                "not-a-workbook",
                "this is an Excel binary workbook (.xlsb): save it as .xlsx or as CSV UTF-8",
            )
        raise _damaged(source, "it has no workbook part")
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise _too_large(source)
    package = Package(data, names, {})
    # Shared strings first: the sheets' checks need their lengths.
    ordered = sorted(infos, key=lambda i: not i.filename.casefold().endswith("sharedstrings.xml"))
    lengths: list[int] = []
    unpacked = [0]
    try:
        for info in ordered:
            if info.flag_bits & 1:
                raise problem(
                    source,
                    "password-protected",
                    "a part of the workbook is encrypted: save the workbook again without a "
                    "password, or save the sheet as CSV",
                )
            if info.filename.casefold().endswith("sharedstrings.xml"):
                lengths = _shared_strings(_unpack(archive, info, unpacked, source), source)
                package.strings = len(lengths)
                continue
            scan = _scan_sheet(archive, info, unpacked, source)
            if scan is None:
                continue
            if lengths and (scan.string_cells or scan.cells) * max(lengths) > MAX_TEXT:
                # Long texts and many cells: count exactly what the cells copy.
                again = _segments(_unpack(archive, info, [0], source))
                copied = copied_text(again, lengths, scan)
                if copied > MAX_TEXT:
                    raise problem(
                        source,
                        "too-large",
                        f"a sheet's cells repeat {copied >> 20:,} MiB of text; the limit for a "
                        f"workbook is {MAX_TEXT >> 20} MiB: save the sheet as CSV",
                    )
            package.sheets[info.filename.replace("\\", "/").lstrip("/").casefold()] = scan
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise _damaged(source, f"a part cannot be unpacked ({exc})") from None
    return package


def _unpack(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, unpacked: list[int], source: str
) -> Iterator[bytes]:
    """A part's bytes in chunks; the zip module checks its size and checksum as it goes.

    `unpacked` counts the bytes unpacked so far, over every part read with it.
    """
    with archive.open(info) as handle:
        while chunk := handle.read(CHUNK):
            unpacked[0] += len(chunk)
            if unpacked[0] > MAX_UNPACKED:
                raise _too_large(source)
            yield chunk


def _shared_strings(stream: Iterator[bytes], source: str) -> list[int]:
    """The length in bytes of each shared string (its XML, an upper bound of its text)."""
    lengths: list[int] = []
    carry = 0
    declared: int | None = None
    for segment in _segments(stream):
        if declared is None:
            found = _UNIQUE.search(segment[:4096])
            declared = int(found.group(1)) if found else 0
            if declared > MAX_CELLS:
                raise problem(
                    source,
                    "too-large",
                    f"the workbook declares {declared:,} different texts; the limit is "
                    f"{MAX_CELLS:,}: save the sheet as CSV",
                )
        starts = [m.start() for m in _SI.finditer(segment)]
        if not starts:
            carry += len(segment)
            continue
        if lengths:
            lengths[-1] += carry + starts[0]
        lengths.extend(b - a for a, b in zip(starts, [*starts[1:], len(segment)], strict=True))
        carry = 0
        if len(lengths) > MAX_CELLS:
            raise problem(
                source,
                "too-large",
                f"the workbook holds more than {MAX_CELLS:,} different texts: save the sheet "
                "as CSV",
            )
    if lengths:
        lengths[-1] += carry
    return lengths


def _scan_sheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, unpacked: list[int], source: str
) -> SheetScan | None:
    """The scan of a part with sheet data (None for any other part), checked against the limits.

    The fast scan reads the whole part (so that its checksum is checked); if
    it finds an unusual cell tag, the part is read again, tag by tag.
    """
    scan = SheetScan()
    fast = _FastScan(scan, source)
    for segment in _segments(_unpack(archive, info, unpacked, source)):
        if not scan.exact:
            fast.feed(segment)
    if not fast.in_data:
        return None
    if scan.exact:
        _exact_scan(scan, _segments(_unpack(archive, info, [0], source)), source)
    area = scan.rows * scan.columns
    if area > MAX_CELLS or scan.cells > MAX_CELLS:
        raise problem(
            source,
            "too-large",
            f"a sheet's cells spread over {scan.rows:,} rows and {scan.columns:,} columns "
            f"(about {max(area, scan.cells):,} cells); the limit for a workbook is "
            f"{MAX_CELLS:,} cells: save the sheet as CSV, which is read as a stream",
        )
    return scan


def copied_text(segments: Iterator[bytes], lengths: list[int], scan: SheetScan) -> int:
    """Bytes of shared text that the string cells of a sheet copy, at most.

    Cells written as Excel writes them are counted exactly, by the text they
    refer to; any other string cell counts as the longest text. The exact
    scan has counted the string cells already; otherwise they are counted here.
    """
    counts: Counter[bytes] = Counter()
    string_cells = scan.string_cells
    for segment in segments:
        counts.update(_STRING_INDEX.findall(segment))
        if not scan.exact:
            string_cells += segment.count(b't="s"')
    total = 0
    for index, times in counts.items():
        at = int(index)
        if at < len(lengths):
            total += lengths[at] * times
    return total + max(0, string_cells - counts.total()) * max(lengths)


def _damaged(source: str, why: str) -> InputError:
    return problem(
        source,
        "not-a-workbook",
        f"not a readable .xlsx workbook: {why}; open it in Excel and save it again as .xlsx, "
        "or save the sheet as CSV",
    )


def _too_large(source: str) -> InputError:
    return problem(
        source,
        "too-large",
        f"the workbook unpacks to more than {MAX_UNPACKED >> 20} MiB; the limit is "
        f"{MAX_UNPACKED >> 20} MiB: save the sheet as CSV, which is read as a stream",
    )


def sheet_parts(package: Package) -> list[str]:
    """The casefolded part name of each sheet, in workbook order (as far as it can be told)."""
    rels_key = "_rels/.rels"
    base = "xl/"
    if rels_key in package.names:
        for rel in re.finditer(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>", package.part(rels_key)):
            attrs = {m.group(1): m.group(2) or m.group(3) or b"" for m in _ATTR.finditer(rel[0])}
            if attrs.get(b"Type", b"").endswith(b"/officeDocument"):
                target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
                base = target[: target.rfind("/") + 1]
    workbook_key = (base + "workbook.xml").casefold()
    rels = (base + "_rels/workbook.xml.rels").casefold()
    if workbook_key not in package.names or rels not in package.names:
        return []
    targets = {}
    for rel in re.finditer(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>", package.part(rels)):
        attrs = {m.group(1): m.group(2) or m.group(3) or b"" for m in _ATTR.finditer(rel[0])}
        targets[attrs.get(b"Id", b"")] = attrs.get(b"Target", b"").decode("utf-8", "replace")
    out = []
    for sheet in re.finditer(rb"<(?:[\w.-]+:)?sheet\b[^>]*>", package.part(workbook_key)):
        attrs = {m.group(1): m.group(2) or m.group(3) or b"" for m in _ATTR.finditer(sheet[0])}
        rid = next((v for k, v in attrs.items() if k.split(b":")[-1] == b"id"), b"")
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else base + target
        out.append(posixpath.normpath(path).casefold())
    return out
