"""How to read spreadsheet exports: the options `batch` passes to every tabular source."""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field


def text_encoding(name: str) -> str:
    """`name` if it is a text encoding Python knows; ValueError saying why not.

    Codecs such as `rot13`, `base64` or `zip` turn bytes into bytes or text into
    text: given as `--encoding` they would fail deep inside the reader.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"{name!r} is not an encoding (try utf-8, cp1252 or utf-16)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"{name!r} is not a text encoding (try utf-8, cp1252 or utf-16)") from None
    return name


@dataclass(frozen=True)
class CsvOptions:
    """How to read CSV exports and workbooks: `--encoding`, `--map`, `--sheet`, the column
    options and `--allow-missing`."""

    encoding: str = "utf-8"
    mapping: Mapping[str, str] = field(default_factory=dict)  # normalised header -> id
    id_column: str | None = None
    name_column: str | None = None
    subject_column: str | None = None
    relationship_column: str | None = None
    sheet: str | None = None  # --sheet: a workbook's sheet, by name or number (1 = first)
    allow_missing: bool = False  # --allow-missing: a statement without a column is unanswered
