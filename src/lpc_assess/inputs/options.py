"""How to read spreadsheet exports: the options `batch` passes to every tabular source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CsvOptions:
    """How to read CSV exports: `--encoding`, `--map` and the column options."""

    encoding: str = "utf-8"
    mapping: Mapping[str, str] = field(default_factory=dict)  # normalised header -> id
    id_column: str | None = None
    name_column: str | None = None
    subject_column: str | None = None
    relationship_column: str | None = None
