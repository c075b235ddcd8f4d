"""Matching spreadsheet headers to statements, `--map` files, and the id/name/360 columns.

Headers and statements are compared after `normalise_header`: typography
folded (`fold_typography`: Unicode NFKC, curly quotes, every dash, invisible
characters), white space collapsed, case and trailing punctuation ignored
(docs/answers-and-imports.md, "How a header finds its statement").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lpc_assess.diagnostics import InputError, did_you_mean, quote_cell
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.inputs.reading import error
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
    "enddate",  # Qualtrics
    "end date",
    "recordeddate",
    "recorded date",
)

LISTED = 8


_LEADING_NUMBER = re.compile(r"^(?:q\s*)?\d+[a-z]?(?:\s*[.):]\s*|\s+-\s+|\s+)(?=\S)", re.I)


_ID_PREFIX = re.compile(r"^\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*(?::|\s[-\u2013\u2014]\s)", re.I)


_BRACKETED = re.compile(r"\[([^\[\]]+)\]\s*$")


_TRAILING = " \t.,;:!?\u2026"


# What a word processor or a form tool does to quotes and dashes, undone. NFKC has
# already made non-breaking and other odd spaces plain, `…` three dots, and
# full-width letters ordinary ones; these it leaves alone.
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        # Invisible: a soft hyphen, zero-width spaces and joiners, a stray byte-order mark.
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
    }
)


def fold_typography(text: str) -> str:
    """`text` with Unicode NFKC applied, curly quotes straight, every dash `-`, no invisibles."""
    if text.isascii():
        return text
    # Before NFKC too: it would split a double prime into two single ones.
    return unicodedata.normalize("NFKC", text.translate(_TYPOGRAPHY)).translate(_TYPOGRAPHY)


def normalise_header(text: str) -> str:
    """Typography folded; case, inner and surrounding white space, trailing punctuation ignored."""
    return " ".join(fold_typography(text).split()).casefold().rstrip(_TRAILING)


_SPACED_DASH = re.compile(r"\s+-\s+")


def _header_candidates(header: str, *, suffixes: bool = False) -> list[str]:
    """The ways a header cell may name an indicator, most literal first.

    With `suffixes`, also the text after each ` - `: Qualtrics heads a
    matrix question's columns `Question text - Statement`.
    """
    header = fold_typography(header)
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
    if suffixes:
        for dash in _SPACED_DASH.finditer(header):
            out.append(normalise_header(header[dash.end() :]))
    return [c for c in out if c]


def load_mapping(path: Path, framework: Framework) -> dict[str, str]:
    """`--map FILE`: a YAML mapping of CSV header -> indicator id, checked against `framework`."""
    from lpc_assess.inputs.documents import load_document  # YAML: only for --map

    doc = load_document(path)
    ids = {i.casefold(): i for i in framework.indicator_ids}
    from lpc_assess.inputs.facet_columns import facet_header_forms

    ids.update({key: key for _, key in facet_header_forms(framework)})  # `being.knowledge`
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
    missing: list[str] = field(default_factory=list)  # indicator ids with no column
    facets: dict[str, int] = field(default_factory=dict)  # `being.knowledge` -> column


def match_columns(
    header: list[str],
    framework: Framework,
    options: CsvOptions,
    source: str,
    alternates: list[str] | None = None,
) -> _Columns:
    """Give each header cell its role: an indicator, a respondent/rater column, or ignored.

    `alternates` is a second header row, tried for each column whose first
    header names nothing (Qualtrics: export tags, then question texts).
    """
    lowered = [normalise_header(h) for h in header]
    second = [normalise_header(h) for h in alternates or []]

    def named(option: str | None, flag: str, default: str | None = None) -> int | None:
        wanted = option if option is not None else default
        if wanted is None:
            return None
        key = normalise_header(wanted)
        if key in lowered:
            return lowered.index(key)
        if key in second:
            return second.index(key)
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
    from lpc_assess.inputs.facet_columns import facet_header_forms

    for form, key in facet_header_forms(framework):  # docs/facets.md
        index.setdefault(normalise_header(form), key)
    found: dict[str, int] = {}
    ignored: list[str] = []
    clashes = []
    for at, cell in enumerate(header):
        if at in taken:
            continue
        target = options.mapping.get(lowered[at])
        if target is None:
            target = next(
                (index[c] for c in _header_candidates(cell, suffixes=True) if c in index), None
            )
        if target is None and at < len(second):
            other = alternates[at] if alternates else ""
            target = options.mapping.get(second[at]) or next(
                (index[c] for c in _header_candidates(other, suffixes=True) if c in index), None
            )
        if target is None:
            ignored.append(cell or f"(column {at + 1}, no header)")
        elif target in found:
            clashes.append(
                f"columns {quote_cell(header[found[target]])} and {quote_cell(cell)} both "
                f"match {'facet' if '.' in target else 'statement'} {target!r}"
            )
        else:
            found[target] = at
    facets = {key: at for key, at in found.items() if "." in key}  # an id has no dot
    found = {key: at for key, at in found.items() if key not in facets}
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
        [i.id for i in framework.indicators if i.id not in found],
        facets,
    )


class SpreadsheetChoices(Protocol):
    """The spreadsheet options of every command that reads responses (batch, progress, analyse)."""

    @property
    def encoding(self) -> str: ...
    @property
    def mapping(self) -> Path | None: ...
    @property
    def id_column(self) -> str | None: ...
    @property
    def name_column(self) -> str | None: ...
    @property
    def subject_column(self) -> str | None: ...
    @property
    def relationship_column(self) -> str | None: ...
    @property
    def sheet(self) -> str | None: ...
    @property
    def allow_missing(self) -> bool: ...


def spreadsheet_options(options: SpreadsheetChoices, framework: Framework) -> CsvOptions:
    """The options every source is opened with; `--map` loaded and checked (InputError)."""
    mapping = load_mapping(options.mapping, framework) if options.mapping else {}
    return CsvOptions(
        encoding=options.encoding,
        mapping=mapping,
        id_column=options.id_column,
        name_column=options.name_column,
        subject_column=options.subject_column,
        relationship_column=options.relationship_column,
        sheet=options.sheet,
        allow_missing=options.allow_missing,
    )
