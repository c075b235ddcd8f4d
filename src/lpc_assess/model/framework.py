"""The framework as every command uses it: plain data, checked before it is built.

A `Framework` is made in one of two ways, both through `framework_from_data`:
`model.framework_check.check_framework` validates the YAML files (pydantic
models of the file format, `model.framework_file`, and the rules of
docs/framework-format.md) and builds it from what they hold; or, for a
built-in framework whose files are unchanged, `model.lookup` builds it from
the record of that check shipped with the tool. Nothing here imports
pydantic or a YAML parser, so the commands that only read a framework
(batch, report) start without them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lpc_assess.diagnostics import Diagnostic

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PLACEHOLDER = "{theme}"  # in facet prompts and actions: the theme's title
SIDES = ("ability", "willingness")  # of a facet (docs/facets.md)
QUADRANTS = ("delegate", "guide", "excite", "direct")
# Keys that sit beside facet ids in outputs (report JSON, summary, scores columns).
RESERVED_IDS = ("ability", "willingness", "quadrant", "quadrants", "limiting")


@dataclass(kw_only=True)
class Scale:
    """An answer scale: whole numbers from `min` to `max`, a label for each, maybe a skip."""

    min: int
    max: int
    labels: dict[int, str]
    skip: str | None = None

    def label(self, value: int) -> str:
        return self.labels.get(value, str(value))


@dataclass(kw_only=True)
class FacetItem:
    """One facet (docs/facets.md): asked once per theme, on the facet scale."""

    id: str
    label: str
    side: str  # "ability" or "willingness"
    prompt: str
    actions: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Facets:
    """The facets of a framework: their scale, the threshold of a high side, the items."""

    scale: Scale
    threshold: float
    items: list[FacetItem]

    @property
    def ids(self) -> list[str]:
        return [item.id for item in self.items]

    def item(self, facet_id: str) -> FacetItem:
        return next(item for item in self.items if item.id == facet_id)


def fill(text: str, title: str) -> str:
    """A prompt or action with `{theme}` replaced by the theme's title."""
    return text.replace(PLACEHOLDER, title)


@dataclass(kw_only=True)
class Indicator:
    """One statement of the questionnaire."""

    id: str
    statement: str
    help: str | None = None
    reverse: bool = False
    weight: float = 1.0
    actions: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Theme:
    """A group of indicators, with what the theme's facets suggest (docs/facets.md)."""

    id: str
    title: str
    summary: str | None = None
    weight: float = 1.0
    reflection: str | None = None
    min_answered: float | None = None
    indicators: list[Indicator]
    facet_actions: dict[str, list[str]] = field(default_factory=dict)


@dataclass(kw_only=True)
class Scoring:
    min_answered: float = 0.5


@dataclass(kw_only=True)
class Band:
    """A named range of percents, from `from_` up to the next band's start."""

    id: str
    label: str
    from_: float


@dataclass(kw_only=True)
class Resource:
    title: str
    url: str
    description: str | None = None
    themes: list[str] = field(default_factory=list)


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
        """The framework's own structure, as `show --format json` prints it (and as
        `framework_from_data` reads it back)."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "description": self.description,
            "scale": dataclasses.asdict(self.scale),
            "scoring": dataclasses.asdict(self.scoring),
            "bands": [_band_dict(band) for band in self.bands],
            "themes": [dataclasses.asdict(theme) for theme in self.themes],
            "resources": [dataclasses.asdict(resource) for resource in self.resources],
            "facets": dataclasses.asdict(self.facets) if self.facets is not None else None,
        }


def _band_dict(band: Band) -> dict[str, Any]:
    return {"id": band.id, "label": band.label, "from": band.from_}


def framework_from_data(
    data: Mapping[str, Any],
    *,
    source: Path | None = None,
    warnings: list[Diagnostic] | None = None,
) -> Framework:
    """The framework that `data` describes, in the shape `Framework.as_dict()` gives.

    `data` must already be checked (by `check_framework`, or the shipped record
    of that check): nothing here validates. Scale labels may be keyed by
    number or by the number's text (as JSON writes them).
    """
    facets = data.get("facets")
    return Framework(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        description=data.get("description"),
        scale=_scale(data["scale"]),
        scoring=Scoring(**data.get("scoring") or {}),
        bands=[Band(id=b["id"], label=b["label"], from_=b["from"]) for b in data["bands"]],
        themes=[_theme(theme) for theme in data["themes"]],
        resources=[Resource(**resource) for resource in data.get("resources") or []],
        source=source,
        warnings=list(warnings or []),
        facets=None if facets is None else _facets(facets),
    )


def _scale(data: Mapping[str, Any]) -> Scale:
    labels = {int(point): label for point, label in data["labels"].items()}
    return Scale(min=data["min"], max=data["max"], labels=labels, skip=data.get("skip"))


def _theme(data: Mapping[str, Any]) -> Theme:
    indicators = [Indicator(**indicator) for indicator in data["indicators"]]
    return Theme(**{**data, "indicators": indicators})


def _facets(data: Mapping[str, Any]) -> Facets:
    items = [FacetItem(**item) for item in data["items"]]
    return Facets(scale=_scale(data["scale"]), threshold=data["threshold"], items=items)
