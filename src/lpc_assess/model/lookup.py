"""Finding a framework (a folder, a file, an id, the built-ins) and loading it ready to use.

`framework_file(spec)` says where `--framework` points; `load_framework(spec)`
returns the checked `Framework` or raises `InputError`; `discover_frameworks()`
lists the local and built-in ones for `lpc-assess frameworks`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from lpc_assess.diagnostics import InputError
from lpc_assess.inputs.reading import display_path, error
from lpc_assess.model.framework import SLUG_PATTERN, Framework, framework_from_data

DEFAULT_FRAMEWORK = "personalised-care"


def builtin_frameworks_dir() -> Path:
    """The built-in frameworks: inside the installed package, or at the top of a checkout."""
    packaged = Path(__file__).parents[1] / "_data" / "frameworks"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "frameworks"


def framework_file(spec: str | None) -> Path:
    """Where the framework named by `--framework` lives: a folder, a file, or an id.

    An id is looked up under `./frameworks/` first, then among the built-ins.
    """
    spec = spec or DEFAULT_FRAMEWORK
    given = Path(spec)
    if given.is_dir():
        return given / "framework.yaml"
    if given.exists():  # a file, or something that is not one: reading it says which
        return given
    if re.match(SLUG_PATTERN, spec):
        for folder in (Path("frameworks"), builtin_frameworks_dir()):
            candidate = folder / spec / "framework.yaml"
            if candidate.is_file():
                return candidate
    known = ", ".join(sorted({f.id for f in discover_frameworks()})) or "none"
    raise InputError(
        [
            error(
                spec,
                None,
                "framework-not-found",
                f"no framework folder, file or id {spec!r} (known ids: {known})",
            )
        ]
    )


def load_framework(spec: str | None) -> Framework:
    """The framework named by `--framework`, ready to use; InputError if it has errors.

    A built-in framework whose files are unchanged is built from the record of
    its check that ships with the tool; any other is checked in full.
    """
    file = framework_file(spec)
    recorded = _recorded(file)
    if recorded is not None:
        return recorded
    from lpc_assess.model.framework_check import check_framework

    check = check_framework(file)
    if check.framework is None:
        raise InputError([d for d in check.diagnostics if d.severity == "error"])
    return check.framework


# --- the records of the built-in frameworks' checks -----------------------------------------
#
# Checking a framework means the YAML parser and pydantic, about 0.1 s before a
# command can start; the built-in frameworks are checked once, when they change
# (`make schemas`), and the result is kept in model/checked/<folder>.json with
# a SHA-256 of each file it was made from. A record is used only for a folder
# among the built-ins, and only while every file still has its recorded hash;
# tests/unit/model/test_lookup.py checks that each record is current.

RECORDS = Path(__file__).parent / "checked"
RECORD_FORMAT = 1


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _record_path(file: Path) -> Path | None:
    """Where the record of built-in framework `file` is kept; None if it is not built in."""
    if file.name != "framework.yaml":
        return None
    try:
        folder = file.parent.resolve()
        if folder.parent != builtin_frameworks_dir().resolve():
            return None
    except (OSError, RuntimeError):
        return None
    return RECORDS / f"{folder.name}.json"


def _recorded(file: Path) -> Framework | None:
    """The built-in framework at `file` from its record; None when there is no current one."""
    where = _record_path(file)
    if where is None or not where.is_file():
        return None
    try:
        record = json.loads(where.read_text(encoding="utf-8"))
        if record.get("format") != RECORD_FORMAT:
            return None
        for name, digest in record["files"].items():
            if _digest(file.parent / name) != digest:
                return None
        return framework_from_data(record["framework"], source=file)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no usable record: the framework is checked instead


def write_record(folder: Path, into: Path = RECORDS) -> Path:
    """Check the built-in framework in `folder` and write its record into `into`
    (`make schemas` does, for each built-in).

    Only a framework without a single diagnostic is recorded: what a record
    holds is then all that a check would have said.
    """
    from lpc_assess.model.framework_check import check_framework

    file = folder / "framework.yaml"
    check = check_framework(file)
    if check.framework is None or check.diagnostics:
        raise InputError(check.diagnostics)
    names = ["framework.yaml"] + [name for name in _theme_files(file) if (folder / name).is_file()]
    record = {
        "format": RECORD_FORMAT,
        "files": {name: _digest(folder / name) for name in names},
        "framework": check.framework.as_dict(),
    }
    target = into / f"{folder.name}.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def _theme_files(file: Path) -> list[str]:
    """The theme files `framework.yaml` names (inline themes have none)."""
    from lpc_assess.inputs.documents import load_document

    themes = load_document(file).data.get("themes") or []
    return [entry for entry in themes if isinstance(entry, str)]


@dataclass
class FrameworkInfo:
    id: str
    title: str
    version: str
    where: str
    origin: str


def discover_frameworks() -> list[FrameworkInfo]:
    """Frameworks under `./frameworks/` and the built-ins, one entry each (local first)."""
    found: list[FrameworkInfo] = []
    seen: set[Path] = set()
    for origin, folder in (("local", Path("frameworks")), ("built-in", builtin_frameworks_dir())):
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*/framework.yaml")):
            if file.resolve() in seen:
                continue
            seen.add(file.resolve())
            from lpc_assess.inputs.documents import load_document

            try:
                doc = load_document(file)
            except InputError:
                continue
            data = doc.data
            found.append(
                FrameworkInfo(
                    id=str(data.get("id", file.parent.name)),
                    title=str(data.get("title", "")),
                    version=str(data.get("version", "")),
                    where=display_path(file.parent),
                    origin=origin,
                )
            )
    return found
