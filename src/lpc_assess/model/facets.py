"""Facets: knowledge, skill, will and confidence (or a framework's own), asked for every theme.

The rules `validate` checks on the optional `facets` block of `framework.yaml`
and on each theme's `facet_actions` (their models are in `model.framework_file`,
the plain facets every command uses in `model.framework`), and the check of
the `facets` answers in an answers file. docs/framework-format.md ("facets")
and docs/facets.md describe them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lpc_assess.diagnostics import Diagnostic, did_you_mean
from lpc_assess.inputs.documents import Document, describe
from lpc_assess.model.framework import PLACEHOLDER, RESERVED_IDS, SIDES, Facets, Scale
from lpc_assess.model.framework_file import Facets as FacetsFile
from lpc_assess.model.framework_file import scale_rules

SKIP = "skip"

_PLACEHOLDERS = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class ThemeFacetActions:
    """One theme's `facet_actions`, where they were written, for the rules."""

    theme_id: str
    title: str
    actions: Mapping[str, Sequence[str]]
    doc: Document
    loc: tuple[str | int, ...]


def facet_rules(
    facets: FacetsFile | None,
    doc: Document,
    themes: Sequence[ThemeFacetActions],
    other_ids: Mapping[str, str],
) -> list[Diagnostic]:
    """Every rule of docs/framework-format.md ("facets"); `other_ids`: theme and indicator
    ids, each with what it is ("a theme", "an indicator")."""
    out: list[Diagnostic] = []
    declared: list[str] = []
    if facets is not None:
        out.extend(scale_rules(facets.scale, doc, ("facets", "scale")))
        out.extend(_item_rules(facets, doc, other_ids))
        declared = facets.ids
    for theme in themes:
        out.extend(_theme_actions_rules(theme, declared))
    if facets is not None:
        out.extend(_missing_actions(facets, doc, themes))
    return out


def _item_rules(
    facets: FacetsFile, doc: Document, other_ids: Mapping[str, str]
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for i, item in enumerate(facets.items):
        loc = ("facets", "items", i)
        if item.id in seen:
            out.append(
                doc.error((*loc, "id"), "duplicate-id", f"facet id {item.id!r} is used twice")
            )
        elif item.id in other_ids:
            out.append(
                doc.error(
                    (*loc, "id"),
                    "duplicate-id",
                    f"facet id {item.id!r} is also the id of {other_ids[item.id]}; "
                    "give the facet another id",
                )
            )
        elif item.id in RESERVED_IDS:
            out.append(
                doc.error(
                    (*loc, "id"),
                    "reserved-id",
                    f"{item.id!r} cannot be a facet id: outputs use it beside the facets "
                    f"(reserved: {', '.join(RESERVED_IDS)})",
                )
            )
        seen.add(item.id)
        out.extend(_placeholder_problems(item.prompt, doc, (*loc, "prompt")))
        for j, action in enumerate(item.actions):
            out.extend(_placeholder_problems(action, doc, (*loc, "actions", j)))
    sides = {item.side for item in facets.items}
    missing = [side for side in SIDES if side not in sides]
    if missing:
        out.append(
            doc.error(
                ("facets", "items"),
                "facet-sides",
                "each side needs at least one facet; none is on the "
                + " or ".join(f"{side!r}" for side in missing)
                + " side",
            )
        )
    return out


def _placeholder_problems(text: str, doc: Document, loc: tuple[str | int, ...]) -> list[Diagnostic]:
    wrong = [m.group(0) for m in _PLACEHOLDERS.finditer(text) if m.group(0) != PLACEHOLDER]
    if not wrong:
        return []
    return [
        doc.error(
            loc,
            "facet-placeholder",
            f"unknown placeholder {', '.join(dict.fromkeys(wrong))}: "
            f"{PLACEHOLDER} is the only one (it becomes the theme's title)",
        )
    ]


def _theme_actions_rules(theme: ThemeFacetActions, declared: Sequence[str]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    doc, base = theme.doc, theme.loc
    for facet_id, actions in theme.actions.items():
        loc = (*base, "facet_actions", facet_id)
        if facet_id not in declared:
            if declared:
                why = f"which is not a facet of this framework{did_you_mean(facet_id, declared)}"
            else:
                why = "but this framework declares no facets (add a `facets` block)"
            out.append(
                doc.error(
                    loc,
                    "unknown-facet",
                    f"theme {theme.theme_id!r} has actions for facet {facet_id!r}, {why}",
                    key=True,
                )
            )
            continue
        for j, action in enumerate(actions):
            out.extend(_placeholder_problems(action, doc, (*loc, j)))
    return out


def _missing_actions(
    facets: FacetsFile, doc: Document, themes: Sequence[ThemeFacetActions]
) -> list[Diagnostic]:
    """A facet that could be a theme's limiting facet with nothing to suggest for it."""
    out: list[Diagnostic] = []
    for i, item in enumerate(facets.items):
        emptied = [t for t in themes if item.id in t.actions and not t.actions[item.id]]
        for theme in emptied:
            out.append(
                theme.doc.warning(
                    (*theme.loc, "facet_actions", item.id),
                    "no-actions",
                    f"theme {theme.theme_id!r} has an empty list of actions for facet {item.id!r}",
                )
            )
        if item.actions:
            continue
        bare = [t.theme_id for t in themes if item.id not in t.actions]
        if not bare:
            continue  # every theme has actions of its own for this facet
        which = "" if len(bare) == len(themes) else " for theme(s) " + ", ".join(map(repr, bare))
        out.append(
            doc.warning(
                ("facets", "items", i),
                "no-actions",
                f"facet {item.id!r} has no actions to suggest{which}",
            )
        )
    return out


# --- answers -------------------------------------------------------------------------------

FacetAnswers = dict[str, dict[str, int | None]]


def check_facet_answers(
    doc: Document, facets: Facets | None, themes: Sequence[str], given: Any
) -> tuple[FacetAnswers, list[Diagnostic]]:
    """The `facets` of an answers file: theme id -> facet id -> value (None: skipped).

    Unknown theme or facet ids, values off the facet scale, and `skip` where
    the facet scale offers none are errors, as for the statements' answers.
    A value of null is unanswered, as if absent.
    """
    out: FacetAnswers = {}
    errors: list[Diagnostic] = []
    if given is None:
        return out, errors
    if not isinstance(given, dict):
        return out, [
            doc.error(
                ("facets",),
                "wrong-type",
                f"'facets' must be a mapping of theme ids, not {describe(given)}",
            )
        ]
    if facets is None:
        if given:
            errors.append(
                doc.error(
                    ("facets",),
                    "unknown-facet",
                    "this framework has no facets, so 'facets' cannot be answered",
                    key=True,
                )
            )
        return out, errors
    for theme_id, values in given.items():
        loc: tuple[str | int, ...] = ("facets", str(theme_id))
        if not isinstance(theme_id, str) or theme_id not in themes:
            errors.append(
                doc.error(
                    loc,
                    "unknown-theme",
                    f"facets for {theme_id!r}, which is not a theme of this framework"
                    f"{did_you_mean(str(theme_id), list(themes))}",
                    key=True,
                )
            )
            continue
        if values is None:
            continue
        if not isinstance(values, dict):
            errors.append(
                doc.error(
                    loc,
                    "wrong-type",
                    f"facets of {theme_id!r} must be a mapping of facet ids to answers, "
                    f"not {describe(values)}",
                )
            )
            continue
        answered: dict[str, int | None] = {}
        for facet_id, value in values.items():
            where = (*loc, str(facet_id))
            if not isinstance(facet_id, str) or facet_id not in facets.ids:
                errors.append(
                    doc.error(
                        where,
                        "unknown-facet",
                        f"unknown facet {facet_id!r}{did_you_mean(str(facet_id), facets.ids)}",
                        key=True,
                    )
                )
                continue
            if value is None:
                continue  # null: unanswered, as if absent
            checked = _facet_value(doc, facets.scale, where, f"{theme_id}.{facet_id}", value)
            if isinstance(checked, Diagnostic):
                errors.append(checked)
            else:
                answered[facet_id] = checked
        if answered:
            out[theme_id] = {i: answered[i] for i in facets.ids if i in answered}
    ordered = {t: out[t] for t in themes if t in out}
    return ordered, errors


def _facet_value(
    doc: Document, scale: Scale, loc: tuple[str | int, ...], name: str, value: Any
) -> int | None | Diagnostic:
    """The value of one facet answer (None for an explicit skip), or what is wrong with it."""
    if value == SKIP:
        if scale.skip is None:
            return doc.error(
                loc,
                "skip-not-allowed",
                f"{name!r} is skipped, but the facet scale offers no skip answer",
            )
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        hint = ""
        if isinstance(value, bool):
            hint = " (YAML reads an unquoted yes/no/on/off as true/false)"
        return doc.error(
            loc,
            "invalid-answer",
            f"answer to {name!r} must be a whole number from {scale.min} to {scale.max}"
            f"{' or ' + repr(SKIP) if scale.skip else ''}, not {describe(value)}{hint}",
        )
    if not scale.min <= value <= scale.max:
        return doc.error(
            loc,
            "answer-out-of-scale",
            f"answer {value} to {name!r} is outside the facet scale {scale.min}..{scale.max}",
        )
    return value
