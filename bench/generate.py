"""Web-form exports for the benchmark: what Microsoft Forms writes, at any size.

Each row is one person: an id, start and completion times, an e-mail, a name
(a few with a comma, so the cell is quoted), a blank "Total points", one
column per statement with the answer's *label* as text, and a free-text
comment that is mostly empty and sometimes runs over two lines.

Two ways of answering:

* `consistent` (the default): people answer as people do. Each person has a
  level, each theme moves it a little, and each answer falls near it (an
  ordinal model with noise), reverse-keyed statements the other way round.
  About 2.5% of cells are blank, 1% are the skip label, and 1% of people leave
  a whole theme blank. Answers therefore repeat across a team much as real
  ones do, which is what memo tables rely on: measuring them on noise alone
  would be unfair in the other direction.
* `random`: every cell drawn independently (the worst case for memo tables;
  the alpha of such data is about 0).

The output depends only on the size, the kind and the seed.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

KINDS = ("consistent", "random")
_STEP = 0.05  # a person's level on a theme, rounded to this for the look-up tables
_LEVELS = 121  # -3.0 .. +3.0
_SPREAD = 0.75  # how far one answer wanders from the person's level (alpha about 0.87)
_COMMENTS = [
    "More time with the people I support would help.",
    "Training on shared decision making, please.",
    'We say "what matters to you" but the forms do not.',
    "Good questions, some hard to answer honestly.",
    "Line 1 of a longer comment,\nand its second line.",
]
_GIVEN = ["Alex", "Sam", "Priya", "Tomasz", "Aisha", "Chen", "Mary", "Olu", "Ines", "Rhys"]
_FAMILY = ["Smith", "Jones", "Khan", "Nowak", "O'Brien", "Li", "Evans", "Okafor", "Silva"]


def generate(path: Path, n: int, framework: dict[str, Any], kind: str, seed: int = 7) -> None:
    """Write an export of `n` responses to `path` (atomically: a .tmp file renamed)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    rng = random.Random(seed)
    themes = framework["themes"]
    scale = framework["scale"]
    low, high = scale["min"], scale["max"]
    labels = [scale["labels"][str(v)] for v in range(low, high + 1)]
    skip = scale.get("skip") or ""
    outcomes = [*labels, "", skip]  # what a cell can hold
    items = [(t, i) for t, theme in enumerate(themes) for i in theme["indicators"]]
    # Each statement is a little easier or harder to agree with than the others.
    offsets = [rng.uniform(-0.5, 0.5) for _ in items]
    tables = [
        _cumulative(low, high, item["reverse"], offset)
        for (_, item), offset in zip(items, offsets, strict=True)
    ]
    uniform = _accumulate([0.05, 0.10, 0.25, 0.35, 0.20, 0.03, 0.02])
    start = dt.datetime(2026, 11, 1, 9, 0, 0)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        statements = [item["statement"] for _, item in items]
        writer.writerow(
            [
                "ID",
                "Start time",
                "Completion time",
                "Email",
                "Name",
                "Total points",
                *statements,
                "Anything else you would like to tell us?",
            ]
        )
        for row in range(1, n + 1):
            if kind == "random":
                cells = [outcomes[bisect.bisect(uniform, rng.random())] for _ in items]
            else:
                person = rng.gauss(0.45, 0.75)
                levels = [person + rng.gauss(0.0, 0.35) for _ in themes]
                silent = rng.randrange(len(themes)) if rng.random() < 0.01 else -1
                cells = []
                for (t, _), table in zip(items, tables, strict=True):
                    if t == silent:
                        cells.append("")
                        continue
                    level = min(_LEVELS - 1, max(0, round((levels[t] + 3.0) / _STEP)))
                    cells.append(outcomes[bisect.bisect(table[level], rng.random())])
            when = start + dt.timedelta(seconds=row * 7)
            given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)
            name = f"{family}, {given}" if rng.random() < 0.02 else f"{given} {family}"
            comment = rng.choice(_COMMENTS) if rng.random() < 0.05 else ""
            writer.writerow(
                [
                    row,
                    when.strftime("%m/%d/%y %H:%M:%S"),
                    (when + dt.timedelta(minutes=11)).strftime("%m/%d/%y %H:%M:%S"),
                    f"{given.lower()}.{family.lower().replace(chr(39), '')}{row}@example.org",
                    name,
                    "",
                    *cells,
                    comment,
                ]
            )
    tmp.replace(path)


def _accumulate(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [c / total for c in out[:-1]]  # bisect over these picks an index 0..len-1


def _cumulative(low: int, high: int, reverse: bool, offset: float) -> list[list[float]]:
    """For each level, cumulative chances of each outcome: the scale points, blank, skip."""
    centre = (low + high) / 2
    out = []
    for step in range(_LEVELS):
        level = -3.0 + step * _STEP
        target = centre + level + offset
        if reverse:  # agreeing with a reverse-keyed statement is the weaker answer
            target = low + high - target
        near = [math.exp(-((v - target) ** 2) / (2 * _SPREAD**2)) for v in range(low, high + 1)]
        total = sum(near)
        answered = 0.965
        weights = [answered * w / total for w in near] + [0.025, 0.01]
        out.append(_accumulate(weights))
    return out
