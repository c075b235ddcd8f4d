"""Which answers files a self-check works with: today's file, a new one, and the earlier one.

- The default answers file is `lpc-answers-YYYY-MM-DD.yaml`; a second self-check
  on the same day goes to `lpc-answers-YYYY-MM-DD-2.yaml`, and so on.
- The earlier self-check a new one follows up is `--previous FILE`, else the
  newest completed `lpc-answers-*.yaml` beside the answers file.

See docs/taking-the-self-check.md.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.model.answers import Response
    from lpc_assess.model.framework import Framework

PATTERN = "lpc-answers-*.yaml"
_DATED = re.compile(r"lpc-answers-\d{4}-\d{2}-\d{2}")


def default_answers_path(today: dt.date | None = None) -> Path:
    return Path(f"lpc-answers-{(today or dt.date.today()).isoformat()}.yaml")


def numbered(path: Path, number: int) -> Path:
    """`a.yaml`, 2 -> `a-2.yaml`."""
    return path if number < 2 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def same_day_files(path: Path) -> Iterator[Path]:
    """`path`, then `path-2`, `path-3`, ... for as long as they exist (at least `path`)."""
    yield path
    number = 2
    while numbered(path, number).exists() or numbered(path, number).is_symlink():
        yield numbered(path, number)
        number += 1


def latest_of_day(path: Path) -> Path:
    """The last of `path`, `path-2`, ... that exists: the one a plain `take` carries on with."""
    return list(same_day_files(path))[-1]


def next_free(path: Path) -> Path:
    """The first of `path-2`, `path-3`, ... that does not exist yet; for `a-2.yaml`
    (a numbered file beside `a.yaml`), the first free one after it."""
    base = path
    match = re.fullmatch(r"(.+)-(\d{1,4})", path.stem)
    if (
        match
        and int(match.group(2)) >= 2
        and not _DATED.fullmatch(path.stem)
        and path.with_name(match.group(1) + path.suffix).exists()
    ):
        base = path.with_name(match.group(1) + path.suffix)
    number = 2
    while numbered(base, number).exists() or numbered(base, number).is_symlink():
        number += 1
    return numbered(base, number)


@dataclass(frozen=True)
class Found:
    """An earlier, completed self-check: where it is and what it holds."""

    path: Path
    response: Response


def _completed_at(response: Response) -> dt.datetime:
    when = response.completed
    assert when is not None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _is_same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def newest_completed(answers: Path, framework: Framework) -> Found | None:
    """The newest completed `lpc-answers-*.yaml` beside `answers` (not `answers` itself).

    Files that cannot be read, are for another framework, or are not complete
    are passed over: they are not what the person asked for.
    """
    from lpc_assess.diagnostics import InputError
    from lpc_assess.model.answers import load_answers

    folder = answers.parent if str(answers.parent) else Path(".")
    best: Found | None = None
    try:
        candidates = sorted(folder.glob(PATTERN))
    except OSError:
        return None
    for candidate in candidates:
        if _is_same(candidate, answers) or candidate == answers:
            continue
        if candidate.is_symlink() or not candidate.is_file():
            continue
        try:
            response, _ = load_answers(candidate, framework)
        except (InputError, OSError):
            continue
        if response.completed is None:
            continue
        if best is None or _completed_at(response) >= _completed_at(best.response):
            best = Found(candidate, response)
    return best


def source_of(earlier: Path, answers: Path) -> str:
    """How `previous_pledge.source` names `earlier`: relative to the answers' folder
    when it is inside it, else absolute."""
    folder = answers.resolve().parent
    target = earlier.resolve()
    try:
        return str(target.relative_to(folder))
    except ValueError:
        return str(target)


def resolve_source(source: str, answers: Path) -> Path:
    """A `previous_pledge.source`, as a path from here."""
    given = Path(source)
    if given.is_absolute():
        return given
    folder = answers.parent if str(answers.parent) else Path(".")
    return folder / given
