"""The framework's file format: the pydantic models of `framework.yaml` and its theme files.

`validate` checks a framework against these models (and then the rules of
`model.framework_check`), and `lpc-assess schema` publishes them as JSON
Schemas. They hold only what the files say; the commands use the plain
`model.framework.Framework` built from them. docs/framework-format.md
describes every field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

from lpc_assess.diagnostics import Diagnostic
from lpc_assess.inputs.documents import Document
from lpc_assess.model.framework import SLUG_PATTERN

MAX_SCALE_POINTS = 101
DEFAULT_THRESHOLD = 50.0

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Weight = Annotated[float, Field(gt=0, description="Weight, greater than 0. Default 1.")]
Share = Annotated[float, Field(gt=0, le=1)]


class StrictModel(BaseModel):
    """Closed mappings, no type coercion: what the YAML says is what the model holds."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class Scale(StrictModel):
    min: int
    max: int
    labels: dict[int, Text] = Field(description="One label for every point from min to max.")
    skip: Text | None = Field(None, description="Label of the skip answer, if one is offered.")


def scale_rules(scale: Scale, doc: Document, at: Sequence[str | int]) -> list[Diagnostic]:
    """`min` below `max`, at most 101 points, and exactly one label for every point
    (docs/framework-format.md, "scale"): the answer scale and the facet scale alike."""
    base = tuple(at)
    if scale.min >= scale.max:
        return [
            doc.error(
                (*base, "min"),
                "scale-range",
                f"{_name(base)}.min ({scale.min}) must be below {_name(base)}.max ({scale.max})",
            )
        ]
    if scale.max - scale.min >= MAX_SCALE_POINTS:
        # Labels are not checked: listing the points of a huge range would never end.
        return [
            doc.error(
                (*base, "max"),
                "scale-range",
                f"a scale may have at most {MAX_SCALE_POINTS} points",
            )
        ]
    points = set(range(scale.min, scale.max + 1))
    missing = sorted(points - set(scale.labels))
    extra = sorted(set(scale.labels) - points)
    if missing or extra:
        parts = []
        if missing:
            parts.append("no label for " + ", ".join(map(str, missing)))
        if extra:
            parts.append("labels outside the scale for " + ", ".join(map(str, extra)))
        return [
            doc.error(
                (*base, "labels"),
                "scale-labels",
                f"labels must cover {scale.min}..{scale.max} exactly: " + "; ".join(parts),
            )
        ]
    return []


def _name(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in loc)


class Indicator(StrictModel):
    """One statement of the questionnaire."""

    id: Slug = Field(description="Slug, unique across the whole framework.")
    statement: Text = Field(description="First-person statement the questionnaire asks.")
    help: Text | None = Field(None, description="Longer explanation, shown on '?'.")
    reverse: bool = Field(False, description="True when agreeing is the weaker answer.")
    weight: Weight = 1.0
    actions: list[Text] = Field(
        default_factory=list, description="Development suggestions shown when a priority."
    )


class Theme(StrictModel):
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


class Scoring(StrictModel):
    min_answered: Share = Field(
        0.5, description="Share of a theme's indicators needed for a score."
    )


class Band(StrictModel):
    id: Slug
    label: Text
    from_: float = Field(alias="from", description="Lowest percent (0-100) in this band.")


class Resource(StrictModel):
    title: Text
    url: Text = Field(description="An http(s) address.")
    description: Text | None = None
    themes: list[Slug] = Field(default_factory=list, description="Theme ids it helps with.")


class FacetItem(StrictModel):
    """One facet: asked once per theme, on the facet scale."""

    id: Slug = Field(description="Slug: unique, and not the id of a theme or an indicator.")
    label: Text = Field(description="A short name shown in reports and spreadsheet headers.")
    side: Literal["ability", "willingness"] = Field(
        description="ability (knowing, being able) or willingness (wanting, daring)."
    )
    prompt: Text = Field(
        description="The question asked for each theme; {theme} becomes the theme's title."
    )
    actions: list[Text] = Field(
        default_factory=list,
        description="Suggestions shown when this facet holds a theme back; {theme} becomes "
        "the theme's title. A theme's facet_actions replace them for that theme.",
    )


class Facets(StrictModel):
    """The `facets` block of framework.yaml."""

    scale: Scale = Field(description="The answer scale of the facet questions.")
    threshold: float = Field(
        DEFAULT_THRESHOLD,
        ge=0,
        le=100,
        description="Percent at or above which a side (ability, willingness) counts as high.",
    )
    items: list[FacetItem] = Field(description="The facets, in the order they are asked.")

    @property
    def ids(self) -> list[str]:
        return [item.id for item in self.items]


def _theme_entry_kind(value: Any) -> str:
    return "file" if isinstance(value, str) else "inline"


ThemeEntry = Annotated[
    Annotated[Text, Tag("file")] | Annotated[Theme, Tag("inline")],
    Discriminator(_theme_entry_kind),
]


class FrameworkFile(StrictModel):
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
