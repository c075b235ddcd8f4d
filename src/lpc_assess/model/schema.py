"""JSON Schemas of the file formats, limited to draft-07 for the YAML language server."""

from __future__ import annotations

import json
from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
KINDS = ("framework", "theme", "answers")

# Keywords draft-07 knows; anything else pydantic emits is dropped.
_DRAFT_07_KEYWORDS = {
    "$schema",
    "$id",
    "$ref",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "items",
    "additionalItems",
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "maxProperties",
    "minProperties",
    "required",
    "properties",
    "patternProperties",
    "additionalProperties",
    "dependencies",
    "propertyNames",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "format",
    "definitions",
    "readOnly",
    "writeOnly",
}
_SUBSCHEMA_MAPS = {"properties", "patternProperties", "definitions", "dependencies"}


def _to_draft_07(node: Any, *, key: str | None = None) -> Any:
    if isinstance(node, list):
        return [_to_draft_07(item) for item in node]
    if not isinstance(node, dict):
        return node
    if key in _SUBSCHEMA_MAPS:  # names here are property names, not keywords
        return {name: _to_draft_07(value) for name, value in node.items()}
    out: dict[str, Any] = {}
    for name, value in node.items():
        if name == "$defs":
            name = "definitions"
        if name not in _DRAFT_07_KEYWORDS:
            continue
        if name == "$ref" and isinstance(value, str):
            value = value.replace("#/$defs/", "#/definitions/")
        out[name] = _to_draft_07(value, key=name)
    return out


def json_schema(kind: str) -> dict[str, Any]:
    """The draft-07 JSON Schema of a `framework`, `theme` or `answers` file."""
    from pydantic import BaseModel

    from lpc_assess.model.answers import AnswersFile
    from lpc_assess.model.framework_file import FrameworkFile, Theme

    models: dict[str, type[BaseModel]] = {
        "framework": FrameworkFile,
        "theme": Theme,
        "answers": AnswersFile,
    }
    schema = _to_draft_07(models[kind].model_json_schema(by_alias=True))
    schema = {
        "$schema": DRAFT_07,
        "$id": f"https://lpc-assess.invalid/{kind}.schema.json",
        **schema,
    }
    return dict(schema)


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
