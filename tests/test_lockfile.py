"""requirements.lock against pyproject.toml.

`make run` and `make test` install exactly what requirements.lock pins
(`pip install --require-hashes --no-deps`), while pyproject.toml keeps ranges
for pip users. These tests keep the two in step: every dependency, every
dependency of the `test` extra and the build backend is pinned, with its
sha256 hashes, at a version inside its range; and the lock holds everything
its pins need, here and on Python 3.10 (pip-compile, run on a newer Python,
drops what only 3.10 needs). The checks are plain functions, each also tested
on a synthetic mismatch, so that a failure names the package and the fix.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pytest
from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from tests.conftest import REPO

LOCK = REPO / "requirements.lock"
PYPROJECT = REPO / "pyproject.toml"
FIX = "run `make lock`"

_PIN = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")
_HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})\b")


@dataclass(frozen=True)
class Pin:
    """One `name==version` of the lock, with its sha256 hashes and its line number."""

    version: str
    hashes: tuple[str, ...]
    line: int


def parse_lock(text: str) -> dict[str, Pin]:
    """The pins of a pip-compile lock, by canonical name.

    A pin runs over the lines that end with a backslash (its `--hash` options);
    comment lines and option lines (`--index-url ...`) are not pins. A name
    pinned twice is an error, as it is for pip.
    """
    pins: dict[str, Pin] = {}
    logical: list[tuple[int, str]] = []
    start, parts = 0, []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not parts:
            start = number
        parts.append(line.removesuffix("\\").strip())
        if not line.endswith("\\"):
            logical.append((start, " ".join(p for p in parts if p)))
            parts = []
    if parts:
        logical.append((start, " ".join(p for p in parts if p)))
    for number, line in logical:
        if not line or line.startswith("-"):
            continue
        match = _PIN.match(line)
        if match is None:
            raise ValueError(f"requirements.lock:{number}: not a `name==version` pin: {line!r}")
        name = canonicalize_name(match["name"])
        if name in pins:
            raise ValueError(f"requirements.lock:{number}: {name} is pinned twice")
        pins[name] = Pin(match["version"], tuple(_HASH.findall(line)), number)
    return pins


def pin_problems(requirements: Iterable[str], pins: Mapping[str, Pin]) -> list[str]:
    """What the lock gets wrong for each of pyproject.toml's requirements, one line each.

    A requirement must be pinned whatever its marker (the lock is for every
    Python that pyproject.toml allows), with at least one sha256 hash, at a
    version that its range allows.
    """
    problems = []
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        pin = pins.get(name)
        if pin is None:
            problems.append(f"{text!r} is not pinned in requirements.lock: {FIX}")
        elif not pin.hashes:
            problems.append(
                f"{name}=={pin.version} (requirements.lock:{pin.line}) has no"
                f" --hash=sha256: line, so pip --require-hashes refuses it: {FIX}"
            )
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(
                f"{name}=={pin.version} (requirements.lock:{pin.line}) is outside"
                f" {text!r} in pyproject.toml: {FIX}"
            )
    return problems


def python_310() -> dict[str, str]:
    """The marker environment of this platform on the oldest Python the lock is for.

    3.10.2: build needs importlib-metadata on 3.10.0 and 3.10.1 only, which the
    lock leaves out (requirements.in says so).
    """
    return {**default_environment(), "python_version": "3.10", "python_full_version": "3.10.2"}


def missing_requirements(
    pins: Mapping[str, Pin],
    requires: Mapping[str, Iterable[str]],
    here: Mapping[str, str],
    others: Iterable[Mapping[str, str]] = (),
) -> list[str]:
    """Requirements of pinned packages that the lock does not satisfy, one line each.

    `requires` maps a pinned name to its own requirements (Requires-Dist). One
    that applies on this Python (`here`) or on any of `others`, outside any
    extra, must be pinned at a version that it allows: pip --no-deps installs
    nothing else. pip-compile drops what only the others need, so that goes in
    requirements.in.
    """
    here = {**here, "extra": ""}
    environments = [here, *({**env, "extra": ""} for env in others)]
    problems = []
    for name, texts in sorted(requires.items()):
        for text in texts:
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                problems.append(f"{name}: cannot read its requirement {text!r}")
                continue
            marker = requirement.marker
            wanted = [env for env in environments if marker is None or marker.evaluate(env)]
            if not wanted:
                continue
            where = ", ".join(sorted({f"Python {env['python_full_version']}" for env in wanted}))
            needed = canonicalize_name(requirement.name)
            pin = pins.get(needed)
            if pin is None:
                fix = FIX if here in wanted else f"add it to requirements.in, then {FIX}"
                problems.append(f"{name} needs {text!r} on {where}, which is not pinned: {fix}")
            elif not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(
                    f"{name} needs {text!r} on {where}, but requirements.lock pins"
                    f" {needed}=={pin.version}: {FIX}"
                )
    return problems


def _pyproject() -> dict[str, Any]:
    with PYPROJECT.open("rb") as file:
        return tomllib.load(file)


def _declared() -> list[str]:
    """pyproject.toml's dependencies, its `test` and `pdf` extras and its build requirements."""
    data = _pyproject()
    return [
        *data["project"]["dependencies"],
        *data["project"]["optional-dependencies"]["test"],
        *data["project"]["optional-dependencies"]["pdf"],
        *data["build-system"]["requires"],
    ]


@pytest.fixture(scope="module")
def pins() -> dict[str, Pin]:
    assert LOCK.is_file(), f"{LOCK.name} is missing: {FIX}"
    return parse_lock(LOCK.read_text(encoding="utf-8"))


def test_lock_pins_every_declared_dependency_within_its_range(pins: dict[str, Pin]) -> None:
    problems = pin_problems(_declared(), pins)
    assert not problems, "\n".join(problems)


def test_every_pin_has_a_sha256_hash(pins: dict[str, Pin]) -> None:
    unhashed = [f"{name}=={pin.version}" for name, pin in pins.items() if not pin.hashes]
    assert not unhashed, f"pinned without --hash=sha256: ({FIX}): {', '.join(unhashed)}"


def test_lock_holds_the_tools_the_set_up_needs(pins: dict[str, Pin]) -> None:
    """The editable install runs without build isolation, and the test reads pyproject.toml."""
    needed = ["hatchling", "editables", "pip", "packaging", "tomli", "axe-playwright-python"]
    assert not [name for name in needed if name not in pins], FIX


def test_lock_holds_what_its_pins_need_here_and_on_python_310(pins: dict[str, Pin]) -> None:
    """Requires-Dist of each pinned package, as installed, checked against the lock.

    Only packages installed at their pinned version are read: under `make
    test-latest` the newer releases say nothing about the lock.
    """
    requires: dict[str, list[str]] = {}
    for name, pin in pins.items():
        try:
            installed = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if installed.version == pin.version:
            requires[name] = installed.requires or []
    if not requires:
        pytest.skip("no package is installed at its pinned version (not a `make` venv)")
    problems = missing_requirements(pins, requires, default_environment(), [python_310()])
    assert not problems, "\n".join(problems)


# The checks themselves, on synthetic locks that are wrong in known ways.

SYNTHETIC = """\
#
# This file is autogenerated by pip-compile with Python 3.11
#
--index-url https://example.invalid/simple
rich==12.6.0 \\
    --hash=sha256:{a}
    # via lpc-assess
Typer==0.30.0 \\
    --hash=sha256:{b} \\
    --hash=sha256:{c}
    # via lpc-assess
pydantic==2.7.1
tomli==2.0.1 ; python_version < "3.11" \\
    --hash=sha256:{a}
""".format(a="a" * 64, b="b" * 64, c="c" * 64)


def test_parse_lock_reads_pins_hashes_markers_and_line_numbers() -> None:
    pins = parse_lock(SYNTHETIC)
    assert set(pins) == {"rich", "typer", "pydantic", "tomli"}
    assert pins["typer"] == Pin("0.30.0", ("b" * 64, "c" * 64), 8)
    assert pins["pydantic"].hashes == ()
    assert pins["tomli"].version == "2.0.1"


def test_parse_lock_refuses_a_name_pinned_twice() -> None:
    with pytest.raises(ValueError, match="typer is pinned twice"):
        parse_lock(SYNTHETIC + "typer==0.12.0\n")


def test_pin_problems_name_each_mismatch_and_the_fix() -> None:
    problems = pin_problems(
        [
            "rich>=13",  # pinned below its range
            "typer>=0.12,<0.29",  # pinned above it
            "pydantic>=2.5,<3",  # in range, but no hash
            "pyyaml>=6",  # not pinned at all
            "tomli>=1.1; python_version < '3.11'",  # fine: pinned whatever the marker
        ],
        parse_lock(SYNTHETIC),
    )
    assert problems == [
        f"rich==12.6.0 (requirements.lock:5) is outside 'rich>=13' in pyproject.toml: {FIX}",
        f"typer==0.30.0 (requirements.lock:8) is outside 'typer>=0.12,<0.29' in"
        f" pyproject.toml: {FIX}",
        "pydantic==2.7.1 (requirements.lock:12) has no --hash=sha256: line, so pip"
        f" --require-hashes refuses it: {FIX}",
        f"'pyyaml>=6' is not pinned in requirements.lock: {FIX}",
    ]


def test_missing_requirements_checks_python_310_as_well_as_this_python() -> None:
    pins = parse_lock(SYNTHETIC)
    here = {**default_environment(), "python_version": "3.12", "python_full_version": "3.12.0"}
    requires = {
        "typer": ["rich>=13", "click>=8; python_version < '3.11'", "pytest; extra == 'dev'"],
        "rich": ["tomli>=2; python_version < '3.11'", "colorama; sys_platform == 'nt-never'"],
    }
    assert missing_requirements(pins, requires, here) == [
        f"typer needs 'rich>=13' on Python 3.12.0, but requirements.lock pins rich==12.6.0: {FIX}"
    ]
    assert missing_requirements(pins, requires, here, [python_310()]) == [
        f"typer needs 'rich>=13' on Python 3.10.2, Python 3.12.0, but requirements.lock"
        f" pins rich==12.6.0: {FIX}",
        f"typer needs \"click>=8; python_version < '3.11'\" on Python 3.10.2, which is not"
        f" pinned: add it to requirements.in, then {FIX}",
    ]
    requires["rich"].append("pygments>=2")  # needed here: pip-compile would pin it
    assert missing_requirements(pins, requires, here)[0] == (
        f"rich needs 'pygments>=2' on Python 3.12.0, which is not pinned: {FIX}"
    )


def test_the_real_lock_file_is_what_make_installs() -> None:
    """The Makefile installs from this very file, hash-checked and without dependencies."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r requirements.lock" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert "$(STAMP): requirements.lock pyproject.toml" in makefile
