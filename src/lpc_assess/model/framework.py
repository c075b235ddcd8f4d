"""The framework: its pydantic model, its rules, and loading it from a folder.

`check_framework(path)` returns every diagnostic for a framework (for
`validate`); `load_framework(spec)` returns a usable `Framework` or raises
`InputError` (for every other command).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from lpc_assess.diagnostics import Diagnostic, InputError, has_errors
from lpc_assess.inputs.documents import (
    Document,
    did_you_mean,
    display_path,
    error,
    load_document,
)
from lpc_assess.model.common import SLUG_PATTERN as SLUG_PATTERN
from lpc_assess.model.common import Scale as Scale
from lpc_assess.model.common import Slug as Slug
from lpc_assess.model.common import StrictModel as _Strict
from lpc_assess.model.common import Text as Text
from lpc_assess.model.common import scale_rules
from lpc_assess.model.facets import FacetItem, Facets, ThemeFacetActions, facet_rules, fill
from lpc_assess.model.pydantic_errors import validate_model
from lpc_assess.writers.files import inside

LONG_STATEMENT = 200
FEW_INDICATORS = 3

Weight = Annotated[float, Field(gt=0, description="Weight, greater than 0. Default 1.")]
Share = Annotated[float, Field(gt=0, le=1)]


class Indicator(_Strict):
    """One statement of the questionnaire."""

    id: Slug = Field(description="Slug, unique across the whole framework.")
    statement: Text = Field(description="First-person statement the questionnaire asks.")
    help: Text | None = Field(None, description="Longer explanation, shown on '?'.")
    reverse: bool = Field(False, description="True when agreeing is the weaker answer.")
    weight: Weight = 1.0
    actions: list[Text] = Field(
        default_factory=list, description="Development suggestions shown when a priority."
    )


class Theme(_Strict):
    """A group of indicators: a theme file, or an inline mapping in `themes`."""

    id: Slug
    title: Text
    summary: Text | None = None
    weight: Weight = 1.0
    reflection: Text | None = Field(None, description="A free-text question after the theme.")
    min_answered: Share | None = Field(None, description="Overrides scoring.min_answered.")
    indicators: list[Indicator]
    facet_actions: dict[Slug, list[Text]] = Field(
        default_factory=dict,
        description="Facet id -> actions that replace the facet's own actions for this theme.",
    )


class Scoring(_Strict):
    min_answered: Share = Field(
        0.5, description="Share of a theme's indicators needed for a score."
    )


class Band(_Strict):
    id: Slug
    label: Text
    from_: float = Field(alias="from", description="Lowest percent (0-100) in this band.")


class Resource(_Strict):
    title: Text
    url: Text = Field(description="An http(s) address.")
    description: Text | None = None
    themes: list[Slug] = Field(default_factory=list, description="Theme ids it helps with.")


def _theme_entry_kind(value: Any) -> str:
    return "file" if isinstance(value, str) else "inline"


ThemeEntry = Annotated[
    Annotated[Text, Tag("file")] | Annotated[Theme, Tag("inline")],
    Discriminator(_theme_entry_kind),
]


class FrameworkFile(_Strict):
    """The contents of `framework.yaml`."""

    id: Slug
    title: Text
    version: Text = Field(description='A string, e.g. "1.0"; recorded in every answers file.')
    description: Text | None = None
    scale: Scale
    scoring: Scoring = Field(default_factory=Scoring)
    bands: list[Band]
    themes: list[ThemeEntry] = Field(
        description="Theme file names next to this file, or inline themes."
    )
    resources: list[Resource] = Field(default_factory=list)
    facets: Facets | None = Field(
        None, description="Knowledge, skill, will and confidence (or others), asked per theme."
    )


@dataclass
class Framework:
    """A framework with its theme files resolved: what scoring and reports use."""

    id: str
    title: str
    version: str
    description: str | None
    scale: Scale
    scoring: Scoring
    bands: list[Band]
    themes: list[Theme]
    resources: list[Resource]
    source: Path | None = None
    warnings: list[Diagnostic] = field(default_factory=list)
    facets: Facets | None = None

    @cached_property
    def indicators(self) -> list[Indicator]:
        return [indicator for theme in self.themes for indicator in theme.indicators]

    @cached_property
    def indicator_ids(self) -> list[str]:
        return [indicator.id for indicator in self.indicators]

    @cached_property
    def theme_of(self) -> dict[str, Theme]:
        return {i.id: theme for theme in self.themes for i in theme.indicators}

    def min_answered(self, theme: Theme) -> float:
        return theme.min_answered if theme.min_answered is not None else self.scoring.min_answered

    def label(self, value: int) -> str:
        return self.scale.labels.get(value, str(value))

    def facet_actions(self, theme: Theme, facet: FacetItem) -> list[str]:
        """What to try when `facet` holds `theme` back: the theme's own, else the facet's."""
        actions = theme.facet_actions.get(facet.id, facet.actions)
        return [fill(action, theme.title) for action in actions]

    def as_dict(self) -> dict[str, Any]:
        """The framework's own structure, as `show --format json` prints it."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "description": self.description,
            "scale": self.scale.model_dump(),
            "scoring": self.scoring.model_dump(),
            "bands": [band.model_dump(by_alias=True) for band in self.bands],
            "themes": [theme.model_dump() for theme in self.themes],
            "resources": [resource.model_dump() for resource in self.resources],
            "facets": self.facets.model_dump() if self.facets is not None else None,
        }


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
        framework = Framework(
            id=spec.id,
            title=spec.title,
            version=spec.version,
            description=spec.description,
            scale=spec.scale,
            scoring=spec.scoring,
            bands=spec.bands,
            themes=[p.theme for p in placed],
            resources=spec.resources,
            source=file,
            warnings=[d for d in diagnostics if d.severity == "warning"],
            facets=spec.facets,
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


# --- locating frameworks -------------------------------------------------------------------

DEFAULT_FRAMEWORK = "personalised-care"


def builtin_frameworks_dir() -> Path:
    """The built-in frameworks: inside the installed package, or at the top of a checkout."""
    packaged = Path(__file__).parents[1] / "_data" / "frameworks"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "frameworks"


def framework_file(spec: str | None) -> Path:
    """Where the framework named by `--framework` lives: a folder, a file, or an id.

    An id is looked up under `./frameworks/` first, then among the built-ins.
    """
    spec = spec or DEFAULT_FRAMEWORK
    given = Path(spec)
    if given.is_dir():
        return given / "framework.yaml"
    if given.exists():  # a file, or something that is not one: reading it says which
        return given
    if re.match(SLUG_PATTERN, spec):
        for folder in (Path("frameworks"), builtin_frameworks_dir()):
            candidate = folder / spec / "framework.yaml"
            if candidate.is_file():
                return candidate
    known = ", ".join(sorted({f.id for f in discover_frameworks()})) or "none"
    raise InputError(
        [
            error(
                spec,
                None,
                "framework-not-found",
                f"no framework folder, file or id {spec!r} (known ids: {known})",
            )
        ]
    )


def load_framework(spec: str | None) -> Framework:
    """The framework named by `--framework`, ready to use; InputError if it has errors."""
    check = check_framework(framework_file(spec))
    if check.framework is None:
        raise InputError([d for d in check.diagnostics if d.severity == "error"])
    return check.framework


@dataclass
class FrameworkInfo:
    id: str
    title: str
    version: str
    where: str
    origin: str


def discover_frameworks() -> list[FrameworkInfo]:
    """Frameworks under `./frameworks/` and the built-ins, one entry each (local first)."""
    found: list[FrameworkInfo] = []
    seen: set[Path] = set()
    for origin, folder in (("local", Path("frameworks")), ("built-in", builtin_frameworks_dir())):
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*/framework.yaml")):
            if file.resolve() in seen:
                continue
            seen.add(file.resolve())
            try:
                doc = load_document(file)
            except InputError:
                continue
            data = doc.data
            found.append(
                FrameworkInfo(
                    id=str(data.get("id", file.parent.name)),
                    title=str(data.get("title", "")),
                    version=str(data.get("version", "")),
                    where=display_path(file.parent),
                    origin=origin,
                )
            )
    return found
