"""Reading untrusted input files: limits, encodings, and YAML with positions.

Every file the tool reads goes through `read_text`, and every YAML or JSON
document through `load_document`. The YAML is built from the parser's event
stream by our own small builder, so that:

* only the standard scalar tags are constructed (`yaml.safe_load` semantics;
  `!!python/...` and any other tag is refused, nothing is ever executed);
* nesting depth and the number of nodes, aliases expanded, are capped, so an
  alias bomb or a 20,000-deep document is refused instead of exhausting memory;
* so is the scalar text that aliases expand to (min(1 MiB, 10 x the document's
  size)): a few long strings referenced many times cannot make a huge report;
* duplicate keys are errors instead of silently keeping the last one;
* each value and each mapping key keeps its line and column, so that problems
  found later (by pydantic or by our own rules) point at the right place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lpc_assess.diagnostics import Diagnostic, InputError
from lpc_assess.inputs.reading import MAX_BYTES as MAX_BYTES
from lpc_assess.inputs.reading import Position as Position
from lpc_assess.inputs.reading import display_path as display_path
from lpc_assess.inputs.reading import error as error
from lpc_assess.inputs.reading import read_bytes as read_bytes

MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_EXPANSION = 1 << 20  # characters of scalar text that aliases may add, at most
EXPANSION_FACTOR = 10  # ... and at most this many times the document's own size
MAX_INT_DIGITS = 30

Loc = tuple[str | int, ...]

_YAML_NS = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    f"{_YAML_NS}{name}" for name in ("null", "bool", "int", "float", "str", "timestamp")
}
_COLLECTION_TAGS = {f"{_YAML_NS}map", f"{_YAML_NS}seq"}

try:  # libyaml is much faster when present; same semantics.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


def _line_col(raw: bytes, offset: int) -> Position:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def decode_text(raw: bytes, shown: str, *, encoding: str = "utf-8") -> str:
    """Bytes to text: refuse binary files, NUL bytes, bad encodings; drop a BOM."""
    if not raw.strip():
        raise InputError([error(shown, None, "empty-file", "file is empty")])
    nul = raw.find(b"\x00")
    if nul != -1:
        head = raw[:1024]
        controls = sum(1 for b in head if b < 9 or 13 < b < 32)
        if nul < 1024 and controls >= 3 and controls * 20 > len(head):
            raise InputError(
                [error(shown, None, "binary-file", "looks like a binary file, not a text file")]
            )
        raise InputError(
            [
                error(
                    shown,
                    _line_col(raw, nul),
                    "nul-byte",
                    "contains a NUL byte; text files cannot hold one",
                )
            ]
        )
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig"):
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8-sig":
            raise InputError(
                [error(shown, _line_col(raw, exc.start), "encoding", f"is not valid {encoding}")]
            ) from None
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        bad = raw[start : start + 1].hex()
        raise InputError(
            [
                error(
                    shown,
                    _line_col(raw, start),
                    "encoding",
                    f"is not valid UTF-8 (byte 0x{bad}); save it as UTF-8",
                )
            ]
        ) from None
    except LookupError:
        raise InputError(
            [error(shown, None, "encoding", f"unknown encoding {encoding!r}")]
        ) from None


def read_text(path: Path, *, label: str | None = None, encoding: str = "utf-8") -> str:
    return decode_text(
        read_bytes(path, label=label), label or display_path(path), encoding=encoding
    )


@dataclass
class Document:
    """A loaded YAML/JSON document: its data and where each part of it was written."""

    path: str
    data: Any
    positions: dict[Loc, Position] = field(default_factory=dict)
    key_positions: dict[Loc, Position] = field(default_factory=dict)

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> Position | None:
        """Where `loc` was written; the nearest enclosing node when it was not.

        Elements of `loc` that are not keys of the data (pydantic adds union
        branch names, for instance) are skipped.
        """
        path = tuple(loc)
        resolved: list[str | int] = []
        node = self.data
        for i, part in enumerate(path):
            in_dict = isinstance(node, dict) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            if in_dict or in_list:
                node = node[part]
            elif i == len(path) - 1:
                break  # a missing key: point at its parent
            else:
                continue
            resolved.append(part)
        target = tuple(resolved)
        if key and target == path and target in self.key_positions:
            return self.key_positions[target]
        while target:
            if target in self.positions:
                return self.positions[target]
            target = target[:-1]
        return self.positions.get((), (1, 1))

    def error(
        self, loc: Sequence[str | int], code: str, message: str, *, key: bool = False
    ) -> Diagnostic:
        return error(self.path, self.position(loc, key=key), code, message)

    def warning(
        self, loc: Sequence[str | int], code: str, message: str, *, key: bool = False
    ) -> Diagnostic:
        line, col = self.position(loc, key=key) or (None, None)
        return Diagnostic(self.path, line, col, "warning", code, message)


class _Builder:
    """Turns a PyYAML event stream into Python data plus positions, safely."""

    def __init__(self, shown: str, expansion_limit: int = MAX_EXPANSION) -> None:
        self.shown = shown
        self.expansion_limit = expansion_limit
        self.text = 0  # characters of scalar text so far, aliases expanded
        self.expanded = 0  # of which added by aliases
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.positions: dict[Loc, Position] = {}
        self.key_positions: dict[Loc, Position] = {}
        # An anchor's value, its node count, and its characters of scalar text.
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.nodes = 0
        self.problems: list[Diagnostic] = []

    def fail(self, mark: Any, code: str, message: str) -> InputError:
        return InputError([error(self.shown, (mark.line + 1, mark.column + 1), code, message)])

    def count(self, n: int, mark: Any) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise self.fail(
                mark,
                "too-many-nodes",
                f"document has more than {MAX_NODES:,} values (aliases expanded); refusing it",
            )

    def expand(self, chars: int, mark: Any) -> None:
        """Count the scalar text an alias expands to; refuse past the budget."""
        self.text += chars
        self.expanded += chars
        if self.expanded > self.expansion_limit:
            raise self.fail(
                mark,
                "too-much-expansion",
                f"aliases expand to more than {self.expansion_limit:,} characters of text "
                "(the limit is 1 MiB or 10 times the file's size); refusing it",
            )

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        elif tag.startswith("!!"):
            tag = _YAML_NS + tag[2:]
        if tag == f"{_YAML_NS}merge":
            raise self.fail(
                event.start_mark,
                "unsupported-tag",
                "merge keys (<<) are not supported; write the keys out",
            )
        if tag not in _ALLOWED_TAGS:
            raise self.fail(
                event.start_mark,
                "unsupported-tag",
                f"the tag {_short(event.tag or tag)} is not allowed; write plain values",
            )
        if tag == f"{_YAML_NS}int" and len(event.value.lstrip("+-")) > MAX_INT_DIGITS:
            self.problems.append(
                error(
                    self.shown,
                    (event.start_mark.line + 1, event.start_mark.column + 1),
                    "number-too-large",
                    f"a number with {len(event.value)} digits is too large",
                )
            )
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, yaml.YAMLError) as exc:
            raise self.fail(
                event.start_mark, "invalid-value", f"cannot read {event.value!r}: {exc}"
            ) from None

    def build(self, events: Any) -> Any:
        root: list[Any] = []
        # A frame: [container, loc, pending key, its position, anchor, node count at start,
        #           mark, text count at start]
        stack: list[list[Any]] = []
        documents = 0

        def attach(value: Any, mark: Any) -> None:
            position = (mark.line + 1, mark.column + 1)
            if not stack:
                root.append(value)
                self.positions[()] = position
                return
            frame = stack[-1]
            container, loc = frame[0], frame[1]
            if isinstance(container, list):
                child: Loc = (*loc, len(container))
                container.append(value)
                self.positions[child] = position
            elif frame[2] is _NO_KEY:
                if isinstance(value, (dict, list)):
                    raise self.fail(mark, "invalid-key", "a mapping key must be a plain value")
                if value in container:
                    raise self.fail(
                        mark, "duplicate-key", f"key {value!r} appears twice in this mapping"
                    )
                frame[2], frame[3] = value, position
            else:
                key = frame[2]
                child = (*loc, key)
                container[key] = value
                self.positions[child] = position
                self.key_positions[child] = frame[3]
                frame[2] = _NO_KEY

        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self.count(1, event.start_mark)
                self.text += len(event.value)
                value = self.scalar(event)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1, len(event.value))
                attach(value, event.start_mark)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.count(1, event.start_mark)
                if event.tag not in (None, "!") and event.tag not in _COLLECTION_TAGS:
                    raise self.fail(
                        event.start_mark,
                        "unsupported-tag",
                        f"the tag {_short(event.tag)} is not allowed; write plain values",
                    )
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        event.start_mark, "too-deep", f"nested more than {MAX_DEPTH} levels deep"
                    )
                container: Any = {} if kind is yaml.MappingStartEvent else []
                loc: Loc = ()
                if stack:
                    parent = stack[-1]
                    if isinstance(parent[0], list):
                        loc = (*parent[1], len(parent[0]))
                    elif parent[2] is _NO_KEY:
                        raise self.fail(
                            event.start_mark, "invalid-key", "a mapping key must be a plain value"
                        )
                    else:
                        loc = (*parent[1], parent[2])
                stack.append(
                    [
                        container,
                        loc,
                        _NO_KEY,
                        None,
                        event.anchor,
                        self.nodes,
                        event.start_mark,
                        self.text,
                    ]
                )
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, _, _, _, anchor, started, mark, text_started = stack.pop()
                if anchor:
                    self.anchors[anchor] = (
                        container,
                        self.nodes - started + 1,
                        self.text - text_started,
                    )
                attach(container, mark)
            elif kind is yaml.AliasEvent:
                if event.anchor not in self.anchors:
                    raise self.fail(
                        event.start_mark,
                        "yaml-syntax",
                        f"alias *{event.anchor} refers to no anchor",
                    )
                value, size, chars = self.anchors[event.anchor]
                self.count(size, event.start_mark)
                self.expand(chars, event.start_mark)
                attach(value, event.start_mark)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail(
                        event.start_mark,
                        "multiple-documents",
                        "holds more than one YAML document; use one per file",
                    )
        if self.problems:
            raise InputError(self.problems)
        return root[0] if root else None


_NO_KEY = object()


def _syntax_error(shown: str, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context else str(problem)
    position = (mark.line + 1, mark.column + 1) if mark is not None else None
    return InputError([error(shown, position, "yaml-syntax", f"YAML syntax error: {message}")])


def parse_yaml(text: str, shown: str) -> Document:
    """Parse YAML text into a Document, or raise InputError."""
    builder = _Builder(shown, min(MAX_EXPANSION, EXPANSION_FACTOR * len(text)))
    try:
        data = builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        # The scanner reads a run of `[`/`{` ahead of our builder, so a parser's own
        # nesting limit (PyYAML has one since 6.0.3) can fire before ours: our own
        # count of brackets decides, whatever the library's limit or message.
        _refuse_deep_brackets(text, shown, yaml_comments=True)
        raise _syntax_error(shown, exc) from None
    except RecursionError:
        raise InputError([error(shown, None, "too-deep", "nested too deeply")]) from None
    return Document(shown, data, builder.positions, builder.key_positions)


def _refuse_deep_brackets(text: str, shown: str, *, yaml_comments: bool) -> None:
    """Raise `too-deep` at the first `[` or `{` nested more than MAX_DEPTH levels.

    Brackets inside quoted strings (and, for YAML, comments) do not count. One pass,
    no recursion, so it works on documents any parser would choke on.
    """
    depth = 0
    line, line_start = 1, 0
    quote = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                if quote == "'" and i + 1 < n and text[i + 1] == "'":
                    i += 2
                    continue
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(
                    [
                        error(
                            shown,
                            (line, i - line_start + 1),
                            "too-deep",
                            f"nested more than {MAX_DEPTH} levels deep",
                        )
                    ]
                )
        elif ch in "]}":
            depth = max(depth - 1, 0)
        elif ch == "#" and yaml_comments and (i == 0 or text[i - 1] in " \t\n"):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch == "\n":
            line, line_start = line + 1, i + 1
        i += 1


def parse_json(text: str, shown: str) -> Document:
    """Parse JSON strictly (no NaN/Infinity, no duplicate keys), keeping positions."""

    # The hooks cannot see positions, so each problem remembers what to look for
    # and is located afterwards in the text, with the strings masked out.
    def no_constants(name: str) -> Any:
        raise _JsonValueError(f"{name} is not valid JSON", re.escape(name))

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise _JsonValueError(f"key {key!r} appears twice", None, key)
            out[key] = value
        return out

    _refuse_deep_brackets(text, shown, yaml_comments=False)

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise _JsonValueError(
                f"a number with {len(digits)} digits is too large",
                rf"-?\d{{{MAX_INT_DIGITS + 1},}}",
            )
        return int(digits)

    try:
        data = json.loads(
            text, parse_constant=no_constants, object_pairs_hook=pairs, parse_int=integer
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            [error(shown, (exc.lineno, exc.colno), "json-syntax", f"JSON syntax error: {exc.msg}")]
        ) from None
    except _JsonValueError as exc:
        raise InputError(
            [error(shown, exc.locate(text), "json-syntax", f"JSON error: {exc}")]
        ) from None
    except RecursionError:
        raise InputError([error(shown, None, "too-deep", "nested too deeply")]) from None
    # JSON is (nearly) YAML: re-read it with the YAML builder for positions only.
    # Where PyYAML's YAML 1.1 reading differs from JSON, JSON's values win.
    try:
        located = parse_yaml(text, shown)
    except InputError:
        return Document(shown, data, {(): (1, 1)}, {})
    return Document(shown, data, located.positions, located.key_positions)


class _JsonValueError(ValueError):
    """A JSON value the parser accepts but we do not, with how to find it in the text."""

    def __init__(self, message: str, pattern: str | None, key: str | None = None) -> None:
        super().__init__(message)
        self.pattern = pattern
        self.key = key

    def locate(self, text: str) -> Position | None:
        if self.key is not None:
            found = [
                m.start() for m in re.finditer(re.escape(json.dumps(self.key)) + r"\s*:", text)
            ]
            offset = found[1] if len(found) > 1 else None
        else:
            masked = re.sub(r'"(?:[^"\\]|\\.)*"', lambda m: " " * len(m.group()), text)
            match = re.search(self.pattern or "$^", masked)
            offset = match.start() if match else None
        if offset is None:
            return None
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load_document(path: Path, *, label: str | None = None) -> Document:
    """Load a YAML (or, by extension, JSON) file whose top level must be a mapping."""
    shown = label or display_path(path)
    text = read_text(path, label=shown)
    document = (
        parse_json(text, shown) if path.suffix.lower() == ".json" else parse_yaml(text, shown)
    )
    if document.data is None:
        raise InputError(
            [error(shown, None, "empty-file", "file holds no data (only comments or blank lines)")]
        )
    if not isinstance(document.data, dict):
        kind = describe(document.data)
        raise InputError(
            [
                error(
                    shown,
                    (1, 1),
                    "not-a-mapping",
                    f"the top level must be a mapping of keys to values, not {kind}",
                )
            ]
        )
    return document


def describe(value: Any) -> str:
    """A short human description of a value's type and content, for messages."""
    import datetime as dt

    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false value {str(value).lower()}"
    if isinstance(value, int):
        return f"number {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _short(tag: str) -> str:
    return "!!" + tag[len(_YAML_NS) :] if tag.startswith(_YAML_NS) else tag
