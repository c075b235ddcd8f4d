"""The safe loader: hostile files are refused quickly, with one clear message each."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from lpc_assess.diagnostics import InputError
from lpc_assess.inputs.documents import MAX_BYTES, MAX_DEPTH, load_document, parse_json, parse_yaml


def refused(path: Path) -> list[str]:
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        load_document(path)
    assert time.monotonic() - started < 1.0
    return [d.text() for d in caught.value.diagnostics]


BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)
# The same bomb of empty strings: no text to expand, so the node cap refuses it.
EMPTY_BOMB = BOMB.replace('"x"', '""')


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (BOMB.encode(), "too-much-expansion"),
        (EMPTY_BOMB.encode(), "too-many-nodes"),
        (b"[" * 20000 + b"]" * 20000, "too-deep"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "binary-file"),
        (b"id: abc\ntitle: x\x00y\n", "nul-byte"),
        (b"id: caf\xe9\n", "encoding"),
        (b"", "empty-file"),
        (b"# only a comment\n", "empty-file"),
        (b"- a\n- b\n", "not-a-mapping"),
        (b"just text\n", "not-a-mapping"),
        (b"a: !!python/object/apply:os.system ['touch pwned']\n", "unsupported-tag"),
        (b"a: !!python/name:os.system\n", "unsupported-tag"),
        (b"a: 1\na: 2\n", "duplicate-key"),
        (b"a: " + b"9" * 5000 + b"\n", "number-too-large"),
        (b"a: [1, 2\n", "yaml-syntax"),
        (b"a: 1\n---\nb: 2\n", "multiple-documents"),
        (b"<<: {a: 1}\n", "unsupported-tag"),
    ],
)
def test_hostile_yaml_is_refused_with_one_message(
    tmp_path: Path, content: bytes, code: str
) -> None:
    file = tmp_path / "input.yaml"
    file.write_bytes(content)
    messages = refused(file)
    assert len(messages) == 1
    assert f"error[{code}]" in messages[0]
    assert messages[0].startswith(str(file) if not str(file).startswith(os.getcwd()) else "")
    assert not (tmp_path / "pwned").exists()


def test_file_over_one_mebibyte_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (2 * MAX_BYTES) + b"\n")
    (message,) = refused(big)
    assert "error[too-large]" in message and "1,048,576" in message


def test_missing_path_folder_and_symlink_loop(tmp_path: Path) -> None:
    assert "error[not-found]" in refused(tmp_path / "absent.yaml")[0]
    assert "error[not-a-file]" in refused(tmp_path)[0]
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert "error[unreadable]" in refused(loop)[0] or "error[not-found]" in refused(loop)[0]


def test_positions_of_values_and_keys() -> None:
    doc = parse_yaml("a: 1\nb:\n  - x: no\n    statment: 3\n", "t.yaml")
    assert doc.data == {"a": 1, "b": [{"x": False, "statment": 3}]}
    assert doc.position(("b", 0, "statment"), key=True) == (4, 5)
    assert doc.position(("b", 0, "statment")) == (4, 15)
    assert doc.position(("b", 0, "missing")) == (3, 5)  # the parent mapping
    assert doc.position(("b", "Union-Tag", 0, "x")) == (3, 8)  # unknown parts are skipped


def test_aliases_within_the_cap_are_shared_not_copied() -> None:
    doc = parse_yaml("a: &x [1, 2]\nb: *x\n", "t.yaml")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_json_is_strict_and_keeps_positions() -> None:
    doc = parse_json('{\n  "a": 1,\n  "b": {"c": 2.5}\n}', "t.json")
    assert doc.data == {"a": 1, "b": {"c": 2.5}}
    assert doc.position(("b", "c")) == (3, 14)
    for bad, code in [
        ('{"a": NaN}', "json-syntax"),
        ('{"a": 1, "a": 2}', "json-syntax"),
        ('{"a": ' + "9" * 5000 + "}", "json-syntax"),
        ('{"a": ', "json-syntax"),
    ]:
        with pytest.raises(InputError) as caught:
            parse_json(bad, "t.json")
        assert caught.value.diagnostics[0].code == code


def _block(depth: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(depth)) + "  " * depth + "1\n"


def _block_list(depth: int) -> str:
    return "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "x\n"


@pytest.mark.parametrize("depth", [65, 999, 1000, 1001, 5000, 20000])
@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("flow-list", lambda d: "[" * d + "]" * d),
        ("flow-map", lambda d: '{"a":' * d + "1" + "}" * d),
        ("flow-quoted-noise", lambda d: 'k: "[[[[" \n' + "v: " + "[" * d + "]" * d),
        ("block-map", _block),
        ("block-list", _block_list),
    ],
)
def test_depth_limit_is_ours_at_any_depth(kind: str, make: Any, depth: int) -> None:
    """`too-deep` fires at our limit, before any parser's own, with a position."""
    with pytest.raises(InputError) as caught:
        parse_yaml(make(depth), "deep.yaml")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "too-deep", diagnostic.text()
    assert diagnostic.line is not None
    assert f"more than {MAX_DEPTH} levels" in diagnostic.message


@pytest.mark.parametrize("depth", [65, 1000, 1001, 20000])
@pytest.mark.parametrize(
    ("make", "column"),
    [
        (lambda d: "[" * d + "]" * d, MAX_DEPTH + 1),
        (lambda d: '{"a":' * d + "1" + "}" * d, MAX_DEPTH * 5 + 1),
    ],
)
def test_json_depth_limit_is_ours(make: Any, column: int, depth: int) -> None:
    """The first bracket past the limit is named, before `json` can recurse."""
    with pytest.raises(InputError) as caught:
        parse_json(make(depth), "deep.json")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "too-deep"
    assert (diagnostic.line, diagnostic.col) == (1, column)


@pytest.mark.parametrize("parse", [parse_yaml, parse_json])
def test_depth_at_the_limit_is_accepted(parse: Any) -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse(text, "ok").data == _nested(MAX_DEPTH)
    # Brackets inside strings do not count.
    assert parse('["' + "[" * 500 + '"]', "ok").data == ["[" * 500]


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value
