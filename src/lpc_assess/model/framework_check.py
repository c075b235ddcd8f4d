"""Checking a framework: its files against the file format, then every rule of the format.

`check_framework(path)` returns every diagnostic for a framework (for
`validate` and `new`), and the plain `Framework` when there is no error.
docs/framework-format.md ("What the validator checks") lists the rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lpc_assess.diagnostics import Diagnostic, InputError, did_you_mean, has_errors
from lpc_assess.inputs.documents import Document, display_path, load_document
from lpc_assess.model.facets import ThemeFacetActions, facet_rules
from lpc_assess.model.framework import Framework, framework_from_data
from lpc_assess.model.framework_file import Band, FrameworkFile, Theme, scale_rules
from lpc_assess.model.pydantic_errors import validate_model
from lpc_assess.writers.files import inside

LONG_STATEMENT = 200
FEW_INDICATORS = 3


@dataclass
class FrameworkCheck:
    """The result of checking one framework: the framework if usable, and every diagnostic."""

    path: str
    framework: Framework | None
    diagnostics: list[Diagnostic]


@dataclass
class _PlacedTheme:
    theme: Theme
    doc: Document
    loc: tuple[str | int, ...]


def check_framework(path: Path) -> FrameworkCheck:
    """Load and check the framework at `path` (a folder or its `framework.yaml`)."""
    file = path / "framework.yaml" if path.is_dir() else path
    shown = display_path(file)
    try:
        doc = load_document(file, label=shown)
    except InputError as exc:
        return FrameworkCheck(shown, None, exc.diagnostics)
    spec, problems = validate_model(FrameworkFile, doc.data, doc)
    if spec is None:
        # framework.yaml has a mistake of its own; its theme files are still checked, so
        # that one run lists theirs too (docs/framework-format.md).
        listed = doc.data.get("themes") if isinstance(doc.data, dict) else None
        for i, entry in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(entry, str):
                _load_theme_file(entry, file.parent, doc, ("themes", i), problems)
        return FrameworkCheck(shown, None, problems)
    diagnostics: list[Diagnostic] = []
    placed, unloaded = _resolve_themes(spec, doc, file.parent, diagnostics)
    diagnostics.extend(_framework_rules(spec, doc, placed, unloaded))
    framework = None
    if not has_errors(diagnostics):
        data = spec.model_dump(by_alias=True, exclude={"themes"})
        data["themes"] = [p.theme.model_dump() for p in placed]
        framework = framework_from_data(
            data, source=file, warnings=[d for d in diagnostics if d.severity == "warning"]
        )
    return FrameworkCheck(shown, framework, diagnostics)


def _resolve_themes(
    spec: FrameworkFile, doc: Document, folder: Path, diagnostics: list[Diagnostic]
) -> tuple[list[_PlacedTheme], set[str]]:
    """The themes that loaded, and the ids of the theme files that did not.

    A theme file that failed to load still counts as existing for the checks
    that look across files (resources naming a theme): its mistake is reported
    once, in its own file, not again wherever its id is used. Its id is the
    file's own `id:` when that could be read, else the file name without its
    extension (docs/framework-format.md, "What the validator checks").
    """
    placed: list[_PlacedTheme] = []
    unloaded: set[str] = set()
    for i, entry in enumerate(spec.themes):
        loc: tuple[str | int, ...] = ("themes", i)
        if isinstance(entry, Theme):
            placed.append(_PlacedTheme(entry, doc, loc))
            continue
        theme_doc, theme = _load_theme_file(entry, folder, doc, loc, diagnostics)
        if theme_doc is not None and theme is not None:
            placed.append(_PlacedTheme(theme, theme_doc, ()))
            continue
        own_id = theme_doc.data.get("id") if theme_doc is not None else None
        unloaded.add(own_id if isinstance(own_id, str) and own_id else Path(entry).stem)
    return placed, unloaded


def _load_theme_file(
    entry: str,
    folder: Path,
    doc: Document,
    loc: tuple[str | int, ...],
    diagnostics: list[Diagnostic],
) -> tuple[Document | None, Theme | None]:
    """One theme file named in `themes`: its document and theme, or Nones and diagnostics."""
    target = folder / entry
    if Path(entry).is_absolute() or not inside(folder, target):
        diagnostics.append(
            doc.error(loc, "theme-outside", f"theme file {entry!r} is outside the framework folder")
        )
        return None, None
    if not target.exists():
        diagnostics.append(doc.error(loc, "theme-missing", f"theme file {entry!r} does not exist"))
        return None, None
    try:
        theme_doc = load_document(target, label=display_path(target))
    except InputError as exc:
        diagnostics.extend(exc.diagnostics)
        return None, None
    theme, problems = validate_model(Theme, theme_doc.data, theme_doc)
    diagnostics.extend(problems)
    return theme_doc, theme


def _framework_rules(
    spec: FrameworkFile, doc: Document, placed: Sequence[_PlacedTheme], unloaded: set[str]
) -> list[Diagnostic]:
    out: list[Diagnostic] = scale_rules(spec.scale, doc, ("scale",))
    out.extend(_band_rules(spec.bands, doc))
    if not spec.themes:
        out.append(doc.error(("themes",), "no-themes", "a framework needs at least one theme"))
    out.extend(_theme_rules(placed))
    theme_ids = {p.theme.id for p in placed} | unloaded
    out.extend(_facet_rules(spec, doc, placed, theme_ids))
    for i, resource in enumerate(spec.resources):
        if not re.match(r"^https?://[^\s/]+\S*$", resource.url):
            out.append(
                doc.error(
                    ("resources", i, "url"),
                    "resource-url",
                    f"resource URL {resource.url!r} must start with http:// or https://",
                )
            )
        for j, theme_id in enumerate(resource.themes):
            if theme_ids and theme_id not in theme_ids:
                out.append(
                    doc.error(
                        ("resources", i, "themes", j),
                        "unknown-theme",
                        f"resource names theme {theme_id!r}, which this framework does not "
                        f"have{did_you_mean(theme_id, sorted(theme_ids))}",
                    )
                )
    return out


def _facet_rules(
    spec: FrameworkFile, doc: Document, placed: Sequence[_PlacedTheme], theme_ids: set[str]
) -> list[Diagnostic]:
    """The facets block and every theme's `facet_actions` (model/facets.py)."""
    others = {i.id: "an indicator" for p in placed for i in p.theme.indicators}
    others.update({theme_id: "a theme" for theme_id in theme_ids})
    themes = [
        ThemeFacetActions(p.theme.id, p.theme.title, p.theme.facet_actions, p.doc, p.loc)
        for p in placed
    ]
    return facet_rules(spec.facets, doc, themes, others)


def _band_rules(bands: Sequence[Band], doc: Document) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not bands:
        return [doc.error(("bands",), "bands-start", "at least one band is needed, starting at 0")]
    if bands[0].from_ != 0:
        out.append(
            doc.error(
                ("bands", 0, "from"),
                "bands-start",
                f"the first band must start at 0, not {bands[0].from_:g}",
            )
        )
    seen: set[str] = set()
    for i, band in enumerate(bands):
        if band.id in seen:
            out.append(
                doc.error(("bands", i, "id"), "duplicate-id", f"band id {band.id!r} is used twice")
            )
        seen.add(band.id)
        if not 0 <= band.from_ <= 100:
            out.append(
                doc.error(
                    ("bands", i, "from"),
                    "bands-range",
                    f"band {band.id!r} starts at {band.from_:g}; bands lie between 0 and 100",
                )
            )
        if i and band.from_ <= bands[i - 1].from_:
            out.append(
                doc.error(
                    ("bands", i, "from"),
                    "bands-order",
                    f"band {band.id!r} starts at {band.from_:g}, not above the band "
                    f"before it ({bands[i - 1].from_:g}); list bands in ascending order",
                )
            )
    return out


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _theme_rules(placed: Sequence[_PlacedTheme]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    theme_ids: dict[str, str] = {}
    indicator_ids: dict[str, str] = {}
    statements: dict[str, str] = {}
    for p in placed:
        theme, doc, base = p.theme, p.doc, p.loc
        where = doc.error((*base, "id"), "", "").where
        if theme.id in theme_ids:
            out.append(
                doc.error(
                    (*base, "id"),
                    "duplicate-id",
                    f"theme id {theme.id!r} is already used at {theme_ids[theme.id]}",
                )
            )
        else:
            theme_ids[theme.id] = where
        if not theme.indicators:
            out.append(
                doc.error(
                    (*base, "indicators"), "no-indicators", f"theme {theme.id!r} has no indicators"
                )
            )
        elif len(theme.indicators) < FEW_INDICATORS:
            out.append(
                doc.warning(
                    (*base, "indicators"),
                    "few-indicators",
                    f"theme {theme.id!r} has {len(theme.indicators)} indicator(s); "
                    f"{FEW_INDICATORS} or more give a steadier score",
                )
            )
        for j, indicator in enumerate(theme.indicators):
            loc = (*base, "indicators", j)
            if indicator.id in indicator_ids:
                out.append(
                    doc.error(
                        (*loc, "id"),
                        "duplicate-id",
                        f"indicator id {indicator.id!r} is already used at "
                        f"{indicator_ids[indicator.id]}",
                    )
                )
            else:
                indicator_ids[indicator.id] = doc.error((*loc, "id"), "", "").where
            if not indicator.actions:
                out.append(
                    doc.warning(
                        loc, "no-actions", f"indicator {indicator.id!r} has no actions to suggest"
                    )
                )
            key = _normal(indicator.statement)
            if key in statements:
                out.append(
                    doc.warning(
                        (*loc, "statement"),
                        "duplicate-statement",
                        f"the same statement as indicator {statements[key]!r}",
                    )
                )
            else:
                statements[key] = indicator.id
            if len(indicator.statement) > LONG_STATEMENT:
                out.append(
                    doc.warning(
                        (*loc, "statement"),
                        "long-statement",
                        f"statement is {len(indicator.statement)} characters; "
                        f"keep it under {LONG_STATEMENT}",
                    )
                )
    return out
