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

`generate_rounds` writes two such exports, a programme's before and after
rounds, for `lpc-assess progress` (see its docstring).

The output depends only on the size, the kind and the seed.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import math
import random
from collections.abc import Iterable, Iterator, Sequence
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
_COMMENT_HEADER = "Anything else you would like to tell us?"
# The rounds of a programme (generate_rounds): shares of the before round's size.
_LEFT = 10  # 1 in 10 of the people who answered before do not answer after
_AGAIN = 500  # 1 in 500 of the after round's rows is someone sending the form a second time
_RECASED = 0.01  # share of the after round's e-mails typed with capitals


class _Answers:
    """How the cells of one response are drawn, for a framework and a kind."""

    def __init__(self, framework: dict[str, Any], kind: str, rng: random.Random) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
        self.kind = kind
        self.themes = framework["themes"]
        scale = framework["scale"]
        low, high = scale["min"], scale["max"]
        labels = [scale["labels"][str(v)] for v in range(low, high + 1)]
        self.outcomes = [*labels, "", scale.get("skip") or ""]  # what a cell can hold
        self.items = [(t, i) for t, theme in enumerate(self.themes) for i in theme["indicators"]]
        # Each statement is a little easier or harder to agree with than the others.
        offsets = [rng.uniform(-0.5, 0.5) for _ in self.items]
        self.tables = [
            _cumulative(low, high, item["reverse"], offset)
            for (_, item), offset in zip(self.items, offsets, strict=True)
        ]
        self.uniform = _accumulate([0.05, 0.10, 0.25, 0.35, 0.20, 0.03, 0.02])

    @property
    def statements(self) -> list[str]:
        return [item["statement"] for _, item in self.items]

    def random_cells(self, rng: random.Random) -> list[str]:
        return [self.outcomes[bisect.bisect(self.uniform, rng.random())] for _ in self.items]

    def draw(self, rng: random.Random, levels: Sequence[float]) -> list[str]:
        """One response's cells: by `levels` (each theme's), or at random for `random`."""
        return self.random_cells(rng) if self.kind == "random" else self.cells(rng, levels)

    def cells(self, rng: random.Random, levels: Sequence[float]) -> list[str]:
        """One person's answers, given their level on each theme."""
        silent = rng.randrange(len(self.themes)) if rng.random() < 0.01 else -1
        cells = []
        for (t, _), table in zip(self.items, self.tables, strict=True):
            if t == silent:
                cells.append("")
                continue
            level = min(_LEVELS - 1, max(0, round((levels[t] + 3.0) / _STEP)))
            cells.append(self.outcomes[bisect.bisect(table[level], rng.random())])
        return cells


def generate(path: Path, n: int, framework: dict[str, Any], kind: str, seed: int = 7) -> None:
    """Write an export of `n` responses to `path` (atomically: a .tmp file renamed)."""
    rng = random.Random(seed)
    answers = _Answers(framework, kind, rng)
    start = dt.datetime(2026, 11, 1, 9, 0, 0)

    def rows() -> Iterator[list[object]]:
        for row in range(1, n + 1):
            if kind == "random":
                cells = answers.random_cells(rng)
            else:
                person = rng.gauss(0.45, 0.75)
                levels = [person + rng.gauss(0.0, 0.35) for _ in answers.themes]
                cells = answers.cells(rng, levels)
            given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)
            comma = rng.random() < 0.02
            comment = rng.choice(_COMMENTS) if rng.random() < 0.05 else ""
            email = _email(given, family, row)
            yield _row(row, start, email, _name(given, family, comma), cells, comment)

    _write(path, answers.statements, rows())


def round_people(n: int) -> tuple[list[int], list[int]]:
    """Who answers each round of `generate_rounds`: person numbers, row by row.

    Before: people 1..n in turn. After: n rows too, in another order; a tenth
    of the before people are gone, as many new people come in (less one for
    each person who sends the form twice), and 1 row in 500 is a second
    submission, placed after that person's first.
    """
    left = n // _LEFT
    again = n // _AGAIN
    before = list(range(1, n + 1))
    stayed = before[left:]
    joined = list(range(n + 1, n + 1 + left - again))
    shuffler = random.Random(n)
    after = stayed + joined
    shuffler.shuffle(after)
    place = {person: float(row) for row, person in enumerate(after)}
    seconds = [  # each one somewhere after that person's first row
        (shuffler.uniform(place[person] + 0.5, len(after)), person)
        for person in shuffler.sample(stayed, again)
    ]
    rows = sorted([*((row, person) for person, row in place.items()), *seconds])
    return before, [person for _, person in rows]


def generate_rounds(
    before: Path,
    after: Path,
    n: int,
    framework: dict[str, Any],
    kind: str,
    seed: int = 7,
    change: float = 0.2,
) -> None:
    """Write a programme's before and after exports, `n` responses each (see `round_people`).

    A person keeps their name and e-mail, which `lpc-assess progress --match
    email` matches on (the ID column numbers the rows, as Forms' does); 1% of
    the after round's e-mails are typed with capitals. With `consistent`
    answers a person keeps their levels too, and after the programme each
    level has moved by about `change` scale points (each person by a different
    amount, some the other way; 0.2 is about 5 percentage points on a
    five-point scale). With `random` answers both rounds are noise.
    """
    rng = random.Random(seed)
    answers = _Answers(framework, kind, rng)  # the same statement offsets on both sides
    people_before, people_after = round_people(n)
    starts = (dt.datetime(2026, 11, 1, 9, 0, 0), dt.datetime(2027, 2, 1, 9, 0, 0))

    def rows(people: list[int], moved: bool) -> Iterator[list[object]]:
        for row, number in enumerate(people, start=1):
            person = random.Random(seed * 1_000_003 + number)  # the same person on both sides
            given, family = person.choice(_GIVEN), person.choice(_FAMILY)
            comma = person.random() < 0.02
            base = person.gauss(0.45, 0.75)
            levels = [base + person.gauss(0.0, 0.35) for _ in answers.themes]
            shift = person.gauss(change, 0.3)
            if moved:
                levels = [level + shift + person.gauss(0.0, 0.1) for level in levels]
            cells = answers.draw(rng, levels)
            email = _email(given, family, number)
            if moved and rng.random() < _RECASED:
                email = email[:1].upper() + email[1:].replace("@example", "@Example")
            comment = rng.choice(_COMMENTS) if rng.random() < 0.05 else ""
            yield _row(row, starts[moved], email, _name(given, family, comma), cells, comment)

    _write(before, answers.statements, rows(people_before, moved=False))
    _write(after, answers.statements, rows(people_after, moved=True))


def _email(given: str, family: str, number: int) -> str:
    return f"{given.lower()}.{family.lower().replace(chr(39), '')}{number}@example.org"


def _name(given: str, family: str, comma: bool) -> str:
    return f"{family}, {given}" if comma else f"{given} {family}"


def _row(
    row: int, start: dt.datetime, email: str, name: str, cells: list[str], comment: str
) -> list[object]:
    when = start + dt.timedelta(seconds=row * 7)
    return [
        row,
        when.strftime("%m/%d/%y %H:%M:%S"),
        (when + dt.timedelta(minutes=11)).strftime("%m/%d/%y %H:%M:%S"),
        email,
        name,
        "",
        *cells,
        comment,
    ]


def _write(path: Path, statements: list[str], rows: Iterable[list[object]]) -> None:
    """The header and `rows` to `path`, atomically (a .tmp file renamed)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        header = ["ID", "Start time", "Completion time", "Email", "Name", "Total points"]
        writer.writerow([*header, *statements, _COMMENT_HEADER])
        writer.writerows(rows)
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
