"""Matching spreadsheet headers to statements, `--map` files, and the id/name/360 columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lpc_assess.diagnostics import InputError, quote_cell
from lpc_assess.inputs.documents import did_you_mean, error, load_document
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.model.framework import Framework

# Metadata columns that say when a form was sent (Microsoft Forms, Google Forms, LimeSurvey).
SUBMITTED_HEADERS = (
    "completion time",
    "timestamp",
    "submitdate",
    "submitted",
    "date submitted",
    "end time",
    "completed",
)

LISTED = 8


_LEADING_NUMBER = re.compile(r"^(?:q\s*)?\d+[a-z]?(?:\s*[.):]\s*|\s+-\s+|\s+)(?=\S)", re.I)


_ID_PREFIX = re.compile(r"^\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*(?::|\s[-\u2013\u2014]\s)", re.I)


_BRACKETED = re.compile(r"\[([^\[\]]+)\]\s*$")


_TRAILING = " \t.,;:!?\u2026"


def normalise_header(text: str) -> str:
    """Case, inner and surrounding white space, and trailing punctuation ignored."""
    return " ".join(text.split()).casefold().rstrip(_TRAILING)


def _header_candidates(header: str) -> list[str]:
    """The ways a header cell may name an indicator, most literal first."""
    out = [normalise_header(header)]
    stripped = _LEADING_NUMBER.sub("", header.strip(), count=1)
    if stripped != header.strip():
        out.append(normalise_header(stripped))
    prefix = _ID_PREFIX.match(header)
    if prefix:  # `id: statement` or `id - statement`, as `blank --format csv` may write
        out.append(prefix.group(1).casefold())
    bracketed = _BRACKETED.search(header)
    if bracketed:  # Google Forms grids: `Question title [Row statement]`
        inner = bracketed.group(1)
        out.append(normalise_header(inner))
        out.append(normalise_header(_LEADING_NUMBER.sub("", inner.strip(), count=1)))
    return [c for c in out if c]


def load_mapping(path: Path, framework: Framework) -> dict[str, str]:
    """`--map FILE`: a YAML mapping of CSV header -> indicator id, checked against `framework`."""
    doc = load_document(path)
    ids = {i.casefold(): i for i in framework.indicator_ids}
    out: dict[str, str] = {}
    problems = []
    for header, target in doc.data.items():
        if not isinstance(target, str) or target.strip().casefold() not in ids:
            shown = target if isinstance(target, str) else repr(target)
            hint = did_you_mean(str(target), framework.indicator_ids) if target else ""
            problems.append(
                doc.error(
                    (header,),
                    "unknown-indicator",
                    f"{str(header)!r} maps to {shown!r}, which is not an "
                    f"indicator of {framework.id!r}{hint}",
                )
            )
            continue
        out[normalise_header(str(header))] = ids[target.strip().casefold()]
    if problems:
        raise InputError(problems)
    return out


@dataclass
class _Columns:
    width: int
    header: list[str]
    indicators: dict[str, int]  # indicator id -> column position
    ignored: list[str]
    id: int | None
    name: int | None
    subject: int | None
    relationship: int | None
    submitted: int | None = None  # when the form was sent, if the export says


def match_columns(
    header: list[str], framework: Framework, options: CsvOptions, source: str
) -> _Columns:
    """Give each header cell its role: an indicator, a respondent/rater column, or ignored."""
    lowered = [normalise_header(h) for h in header]

    def named(option: str | None, flag: str, default: str | None = None) -> int | None:
        wanted = option if option is not None else default
        if wanted is None:
            return None
        key = normalise_header(wanted)
        if key in lowered:
            return lowered.index(key)
        if option is None:
            return None
        shown = ", ".join(quote_cell(h) for h in header[:LISTED])
        raise InputError(
            [
                error(
                    source,
                    None,
                    "no-such-column",
                    f"{flag} {option!r}: there is no such column (the columns are "
                    f"{shown}{' ...' if len(header) > LISTED else ''})",
                )
            ]
        )

    roles = {
        "id": named(options.id_column, "--id-column", "id"),
        "name": named(options.name_column, "--name-column", "name"),
        "subject": named(options.subject_column, "--subject-column"),
        "relationship": named(options.relationship_column, "--relationship-column"),
    }
    submitted = next(
        (
            at
            for at, key in enumerate(lowered)
            if key in SUBMITTED_HEADERS and at not in roles.values()
        ),
        None,
    )
    taken = {at for at in roles.values() if at is not None}
    index: dict[str, str] = {}
    for indicator in framework.indicators:
        index[normalise_header(indicator.id)] = indicator.id
        for candidate in _header_candidates(indicator.statement):
            index.setdefault(candidate, indicator.id)
    found: dict[str, int] = {}
    ignored: list[str] = []
    clashes = []
    for at, cell in enumerate(header):
        if at in taken:
            continue
        target = options.mapping.get(lowered[at])
        if target is None:
            target = next((index[c] for c in _header_candidates(cell) if c in index), None)
        if target is None:
            ignored.append(cell or f"(column {at + 1}, no header)")
        elif target in found:
            clashes.append(
                f"columns {quote_cell(header[found[target]])} and {quote_cell(cell)} both "
                f"match statement {target!r}"
            )
        else:
            found[target] = at
    if clashes:
        raise InputError(
            [
                error(
                    source,
                    None,
                    "duplicate-column",
                    "; ".join(clashes) + " (use --map to say which is which)",
                )
            ]
        )
    if not found:
        shown = ", ".join(quote_cell(h) for h in header[:LISTED])
        raise InputError(
            [
                error(
                    source,
                    None,
                    "no-indicator-columns",
                    f"no column matches a statement of {framework.id!r} (columns: "
                    f"{shown}{' ...' if len(header) > LISTED else ''}); headers "
                    "must be statement ids or texts, or use --map",
                )
            ]
        )
    return _Columns(
        len(header),
        header,
        found,
        ignored,
        roles["id"],
        roles["name"],
        roles["subject"],
        roles["relationship"],
        submitted,
    )
