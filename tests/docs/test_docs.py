"""The user documentation keeps up with the code: every diagnostic code is documented.

The codes are collected from the package source with `ast`, so the check does not
depend on where modules live: every `.py` file under `src/lpc_assess` is read, in
whatever subfolder it sits. A code is found where it is

* passed to any function, method or dataclass that has a parameter or field
  named `code` (found by reading their definitions, so new helpers count too),
  positionally or as `code=...`;
* held in a variable that is then passed as that argument (for example
  `code = _FIELD_CODES.get(field, "out-of-range")`: the default, and the
  values of the module-level mapping it reads);
* written into a message as `error[some-code]` or `warning[some-code]`.

Each must appear in backticks in docs/framework-format.md.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "lpc_assess"
FORMAT_DOC = ROOT / "docs" / "framework-format.md"

CODE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
IN_MESSAGE = re.compile(r"\b(?:error|warning)\[([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\]")
SEVERITIES = {"error", "warning"}


def _is_code(value: object) -> bool:
    return isinstance(value, str) and bool(CODE.match(value)) and value not in SEVERITIES


def _strings(node: ast.AST) -> Iterator[str]:
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child.value


def _callee(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _code_positions(trees: Iterable[ast.Module]) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Callables with a `code` parameter or field -> its positional index.

    Two tables: what a plain name can call (functions, and classes whose
    constructor takes a code), and what a method call can reach (any of them).
    """
    plain: dict[str, set[int]] = {}
    methods: dict[str, set[int]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            fields = [
                item.target.id
                for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            ]
            if "code" in fields:  # a dataclass or NamedTuple with a `code` field
                plain.setdefault(node.name, set()).add(fields.index("code"))
            for item in node.body:
                if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                names = [a.arg for a in [*item.args.posonlyargs, *item.args.args]][1:]
                target = plain if item.name == "__init__" else methods
                key = node.name if item.name == "__init__" else item.name
                if "code" in names:
                    target.setdefault(key, set()).add(names.index("code"))
        for node in tree.body:  # module-level functions
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
                if "code" in names:
                    plain.setdefault(node.name, set()).add(names.index("code"))
    for name, found in plain.items():
        methods.setdefault(name, set()).update(found)
    return plain, methods


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes (they describe codes; they do not emit them)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _module_values(tree: ast.Module) -> dict[str, list[str]]:
    """Module-level name -> the strings among its values (a dict's values, a tuple's items)."""
    out: dict[str, list[str]] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        if value is None:
            continue
        parts = value.values if isinstance(value, ast.Dict) else [value]
        strings = [s for part in parts for s in _strings(part)]
        for target in targets:
            if isinstance(target, ast.Name):
                out[target.id] = strings
    return out


def _constants(trees: Iterable[ast.Module]) -> dict[str, str]:
    """Named string constants anywhere in the package, for codes written as names.

    `NAME = "code"` at module level (keyed `NAME`, and importable elsewhere), and
    class attributes such as an enum's `UNKNOWN_KEY = "unknown-key"` (keyed
    `Class.UNKNOWN_KEY`).
    """
    out: dict[str, str] = {}

    def take(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if (
                isinstance(node, (ast.Assign, ast.AnnAssign))
                and isinstance(node.value, ast.Constant)
                and _is_code(node.value.value)
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        out[prefix + target.id] = node.value.value
            elif isinstance(node, ast.ClassDef):
                take(node.body, f"{node.name}.")

    for tree in trees:
        take(tree.body, "")
    return out


class _Module:
    """One source file, and how to read the codes that an expression in it can hold."""

    def __init__(self, tree: ast.Module, constants: dict[str, str]) -> None:
        self.tree = tree
        self.constants = constants
        self.values = _module_values(tree)
        self.functions = [
            n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]

    def candidates(self, expr: ast.expr, at: ast.AST, depth: int = 0) -> set[str]:
        """Codes `expr` (an argument of the call `at`) can be.

        A literal; either branch of a conditional; a variable, through what is
        assigned to it; a call such as `CODES.get(key, "default")`, through its
        literal arguments and the module-level mappings it reads. Messages built
        with f-strings or `+` are not codes, and are skipped.
        """
        if depth > 5:
            return set()
        if isinstance(expr, ast.Constant):
            return {expr.value} if _is_code(expr.value) else set()
        if isinstance(expr, ast.IfExp):
            return self.candidates(expr.body, at, depth + 1) | self.candidates(
                expr.orelse, at, depth + 1
            )
        if isinstance(expr, ast.BoolOp):
            return set().union(*(self.candidates(v, at, depth + 1) for v in expr.values))
        if isinstance(expr, ast.Call):
            found: set[str] = set()
            for arg in [*expr.args, *(k.value for k in expr.keywords)]:
                if isinstance(arg, ast.Constant) and _is_code(arg.value):
                    found.add(arg.value)
            for used in ast.walk(expr.func):
                if isinstance(used, ast.Name) and used.id in self.values:
                    found.update(s for s in self.values[used.id] if _is_code(s))
            return found
        if isinstance(expr, ast.Name):
            found = self._assigned(expr.id, at, depth)
            if not found and expr.id in self.constants:
                found = {self.constants[expr.id]}
            return found
        if isinstance(expr, ast.Attribute):  # `Code.UNKNOWN_KEY`, `Code.UNKNOWN_KEY.value`
            if expr.attr == "value" and isinstance(expr.value, ast.Attribute):
                expr = expr.value
            if isinstance(expr.value, ast.Name):
                key = f"{expr.value.id}.{expr.attr}"
                if key in self.constants:
                    return {self.constants[key]}
        return set()

    def _assigned(self, name: str, at: ast.AST, depth: int) -> set[str]:
        scope: ast.AST = self.tree
        for function in self.functions:  # the innermost function holding the call
            if any(n is at for n in ast.walk(function)):
                scope = function
        found: set[str] = set()
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found |= self.candidates(value, at, depth + 1)
        return found


def collect_codes(package: Path) -> set[str]:
    """Every diagnostic code the source under `package` can emit."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(package.rglob("*.py"))]
    plain, methods = _code_positions(trees)
    constants = _constants(trees)
    codes: set[str] = set()
    for tree in trees:
        module = _Module(tree, constants)
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
            ):
                codes.update(IN_MESSAGE.findall(node.value))
            if not isinstance(node, ast.Call):
                continue
            arguments: list[ast.expr] = [k.value for k in node.keywords if k.arg == "code"]
            func = node.func
            table = plain if isinstance(func, ast.Name) else methods
            name = _callee(node)
            if name in table:
                arguments += [node.args[i] for i in table[name] if i < len(node.args)]
            for argument in arguments:
                codes |= module.candidates(argument, node)
    return codes


def documented_codes(text: str) -> set[str]:
    return set(re.findall(r"`([a-z][a-z0-9-]*)`", text))


# --- the collector itself -------------------------------------------------------------------


def test_collector_follows_each_way_a_code_is_written(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg" / "deep" / "er"
    pkg.mkdir(parents=True)
    (pkg / "diag.py").write_text(
        '"""Codes read `error[not-this-one]` in docs."""\n'
        "from dataclasses import dataclass\n"
        "@dataclass\n"
        "class Diagnostic:\n"
        "    path: str\n"
        "    severity: str\n"
        "    code: str\n"
        "    message: str\n"
        "def error(path, position, code, message):\n"
        "    return Diagnostic(path, 'error', code, message)\n"
        "class Doc:\n"
        "    def warning(self, loc, code, message):\n"
        "        return Diagnostic(self.path, 'warning', code, message)\n",
        encoding="utf-8",
    )
    (pkg / "codes.py").write_text(
        "import enum\n"
        "CONST_CODE = 'const-code'\n"
        "class Code(enum.StrEnum):\n"
        "    MEMBER = 'member-code'\n"
        "    OTHER = 'other-member-code'\n",
        encoding="utf-8",
    )
    (pkg / "use.py").write_text(
        "from codes import CONST_CODE, Code\n"
        "_CODES = {'weight': 'weight-code', 'min_answered': 'min-answered'}\n"
        "def f(doc, field, exc, out):\n"
        "    error('p', None, 'plain-code', 'a message')\n"
        "    doc.warning(('a',), 'warning-code', 'a message')\n"
        "    Diagnostic('p', 'error', 'dataclass-code', 'a message')\n"
        "    make(code='keyword-code', message='x')\n"
        "    code = _CODES.get(field, 'fallback-code')\n"
        "    error('p', None, code, 'a message')\n"
        "    error('p', None, 'one' if exc else 'two-code', 'a message')\n"
        "    print(f'{out}: error[fstring-code]: a message')\n"
        "    log('not-a-code', 'x', 'y', 'z')\n"
        "    error('p', None, CONST_CODE, 'a message')\n"
        "    doc.warning(('a',), Code.MEMBER, 'a message')\n"
        "    error('p', None, Code.OTHER.value, 'a message')\n",
        encoding="utf-8",
    )
    assert collect_codes(tmp_path / "pkg") == {
        "plain-code",
        "warning-code",
        "dataclass-code",
        "keyword-code",
        "weight-code",
        "min-answered",
        "fallback-code",
        "one",
        "two-code",
        "fstring-code",
        "const-code",
        "member-code",
        "other-member-code",
    }


def test_collector_finds_the_package_codes() -> None:
    codes = collect_codes(PACKAGE)
    assert len(codes) >= 20, sorted(codes)
    assert {"too-deep", "unknown-key", "duplicate-key"} <= codes, sorted(codes)


# --- the documentation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["framework-format.md", "answers-and-imports.md", "scoring.md", "360-feedback.md"]
)
def test_doc_exists(name: str) -> None:
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert text.startswith("# "), f"docs/{name} should start with a title"


def test_every_diagnostic_code_is_documented() -> None:
    codes = collect_codes(PACKAGE)
    documented = documented_codes(FORMAT_DOC.read_text(encoding="utf-8"))
    missing = sorted(codes - documented)
    assert not missing, (
        "diagnostic codes the tool can emit but docs/framework-format.md does not list "
        f"(in backticks): {', '.join(missing)}"
    )
