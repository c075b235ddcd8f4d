"""Turning pydantic validation errors into positioned diagnostics with stable codes."""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lpc_assess.diagnostics import Diagnostic, did_you_mean
from lpc_assess.inputs.documents import Document, describe
from lpc_assess.writers.files import slugify

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "datetime_type": "a date and time",
    "union_tag_invalid": "a file name or a mapping",
}

# Codes for constraint failures, by the name of the field that failed.
_FIELD_CODES = {"weight": "weight", "min_answered": "min-answered"}


def _hint(expected: str, value: Any) -> str:
    import datetime as dt

    if expected != "text":
        return ""
    if isinstance(value, bool):
        return " (YAML reads unquoted yes/no/on/off as true/false: put the text in quotes)"
    if isinstance(value, (dt.date, dt.datetime)):
        return " (YAML reads an unquoted date as a date: put it in quotes)"
    if isinstance(value, (int, float)):
        return f' (put it in quotes: "{value}")'
    return ""


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated/Optional/unions down to the model or container that holds keys."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [_unwrap(a) for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        else:
            return annotation


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that validated the mapping at `loc`, if any."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {(f.alias or name): f for name, f in current.model_fields.items()}
            if part in fields:
                current = fields[part].annotation
            continue  # a union branch tag: stay on this model
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin is list and args:
            current = args[0]
        elif origin is dict and len(args) == 2:
            current = args[1]
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    found = _model_at(model, loc)
    if found is None:
        return []
    return [f.alias or name for name, f in found.model_fields.items()]


def validate_model(
    model: type[M], data: Any, doc: Document, base: tuple[str | int, ...] = ()
) -> tuple[M | None, list[Diagnostic]]:
    """Validate `data` against `model` once: the model, or None and one diagnostic per problem."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        meant = _meant_keys(errors)
        return None, [
            diagnostic_for(err, model, doc, base, meant=meant.get(tuple(err["loc"])))
            for err in errors
        ]


def _meant_keys(errors: list[Any]) -> dict[tuple[Any, ...], str]:
    """Unknown key -> the required key it stands for, where a mapping leaves no doubt.

    A mapping with exactly one unknown key and exactly one missing required key
    holds a misspelling of that key (`di:` for `id:`), however unlike it looks.
    """
    unknown: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    missing: dict[tuple[Any, ...], list[str]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if not loc:
            continue
        if err["type"] == "extra_forbidden":
            unknown.setdefault(loc[:-1], []).append(loc)
        elif err["type"] == "missing":
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
    return {
        keys[0]: missing[parent][0]
        for parent, keys in unknown.items()
        if len(keys) == 1 and len(missing.get(parent, ())) == 1
    }


def diagnostic_for(
    err: Any,
    model: type[BaseModel],
    doc: Document,
    base: tuple[str | int, ...] = (),
    *,
    meant: str | None = None,
) -> Diagnostic:
    """One diagnostic for one pydantic error; `meant` is the key an unknown key stands for."""
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    full = (*base, *loc)
    name = repr(field)
    if loc and isinstance(loc[-1], int) and field:
        name = f"entry {loc[-1]} of {field!r}"
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _allowed_keys(model, loc[:-1])
        suggestion = did_you_mean(str(key), allowed)
        if not suggestion and meant is not None:
            suggestion = f" (did you mean {meant!r}?)"
        if not suggestion and allowed:
            suggestion = f" (allowed here: {', '.join(allowed)})"
        return doc.error(full, "unknown-key", f"unknown key {key!r}{suggestion}", key=True)
    if kind == "missing":
        return doc.error(full, "missing-key", f"missing required key {loc[-1]!r}")
    if kind in _EXPECTED:
        expected = _EXPECTED[kind]
        where = f"{name} " if field else ""
        return doc.error(
            full,
            "wrong-type",
            f"{where}must be {expected}, not {describe(value)}{_hint(expected, value)}",
        )
    if kind == "string_pattern_mismatch":
        example = slugify(str(value), fallback="my-id")
        return doc.error(
            full,
            "invalid-id",
            f"{value!r} is not a valid id: use lowercase letters, digits and "
            f"hyphens, e.g. {example!r}",
        )
    if kind in ("greater_than", "less_than_equal", "greater_than_equal", "less_than"):
        code = _FIELD_CODES.get(field, "out-of-range")
        return doc.error(
            full, code, f"{field} {err['msg'].lower().replace('input ', '')}, not {value!r}"
        )
    if kind in ("string_too_short", "too_short"):
        return doc.error(full, "empty-value", f"{field!r} must not be empty")
    if kind in ("string_too_long", "too_long"):
        return doc.error(full, "too-long", f"{field!r} is too long ({err['msg'].lower()})")
    return doc.error(full, "invalid-value", f"{field!r}: {err['msg']}")
