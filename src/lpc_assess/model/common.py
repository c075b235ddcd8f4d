"""What the framework and its facets share: the strict base model, slugs, text, and scales.

A scale is used twice in a framework: the answer scale of the statements
(`scale`) and the scale of the facet questions (`facets.scale`). Both follow
the same rules (docs/framework-format.md, "scale"), checked by `scale_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from lpc_assess.diagnostics import Diagnostic
from lpc_assess.inputs.documents import Document

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_SCALE_POINTS = 101

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class StrictModel(BaseModel):
    """Closed mappings, no type coercion: what the YAML says is what the model holds."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class Scale(StrictModel):
    min: int
    max: int
    labels: dict[int, Text] = Field(description="One label for every point from min to max.")
    skip: Text | None = Field(None, description="Label of the skip answer, if one is offered.")

    def label(self, value: int) -> str:
        return self.labels.get(value, str(value))


def scale_rules(scale: Scale, doc: Document, at: Sequence[str | int]) -> list[Diagnostic]:
    """`min` below `max`, at most 101 points, and exactly one label for every point."""
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
