"""One side of `progress` (before or after): each person's percents under their key.

A `Cohort` takes the scored chunks of one side's inputs (commands/progress.py
reads them as `batch` does) and keeps, for each person, their theme and
overall percents and their facet percents, never their answers: memory grows
with the number of people, not with the length of the questionnaire. Only
people's own self-checks count; 360 ratings of others are counted and left
out. People are keyed by `--match id|email|name`, trimmed and case-folded; a
key twice keeps the later response, with a `duplicate-person` warning naming
both places (docs/programme-evaluation.md). Problems are diagnostics with
their cell text hidden; the JSON names inputs by side and number, never by
file name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from lpc_assess.diagnostics import Diagnostic, redacted, summary_entry

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.scored import ScoredChunk

KEY_WORDS = {"id": "id", "email": "e-mail", "name": "name"}
MAX_PROBLEMS = 1000  # listed in full, as in batch; beyond this only counted
# Facet answers repeat: their percents are worked out once each, up to this many.
FACET_MEMO_LIMIT = 1 << 14

_percent_of = attrgetter("outcome.percent")

Percents = tuple[float | None, ...]


class Person(NamedTuple):
    """What a side keeps of one person: percents, and where the response was (for messages)."""

    percents: Percents  # each theme's, then the overall percent
    facets: Percents  # each theme x facet's (theme by theme); () without facets
    number: int  # the input it came from (1, 2, ...)
    row: int | None  # its spreadsheet row; None for an answers file


@dataclass(frozen=True)
class SideCounts:
    """One side: self responses read, inputs rejected, distinct people, 360 ratings left out."""

    responses: int
    rejected: int
    people: int
    others: int = 0


class Cohort:
    """One side of the comparison: each person's percents under their key.

    For each input: `begin(source)`, then `add(chunk)` for each chunk of
    scored responses, and `reject(problems)` for each row left out, then
    `end()`. `people` maps a key to the `Person` whose response counts (the
    later one when a key comes twice); `unkeyed` holds the responses with no
    key, which count in the side's means but cannot be matched.
    """

    def __init__(self, side: str, match: str, framework: Framework) -> None:
        self.side = side  # "before" or "after"
        self.match = match  # id, email or name
        self.framework = framework
        self.people: dict[str, Person] = {}
        self.unkeyed: list[Person] = []
        self.sources: list[str] = []  # display paths, by input number - 1
        self.notes: list[str] = []
        self.problems: list[tuple[int | None, Diagnostic]] = []
        self.problem_count = 0
        self.responses = 0
        self.rejected = 0
        self.others = 0  # 360 ratings of someone else, left out
        self.keyless = self.keyed_rows = self.numbered = 0  # of the input being read
        # With facets: after the overall percent, one percent per theme x facet.
        facets = framework.facets
        width = len(framework.themes) * len(facets.items) if facets else 0
        self._no_facets: Percents = (None,) * width
        self._facet_percents: dict[tuple[tuple[int | None, ...], ...], Percents] = {}
        self.facets_seen = False  # whether any response of this side answered a facet

    # Problems -----------------------------------------------------------------------------

    def problem(self, problem: Diagnostic, number: int | None) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            # A row's cell could hold a name; a file's problem (a framework id, the
            # headers) is about the file, and is shown as it is so that it can be fixed.
            shown = redacted(problem) if problem.row is not None else problem
            self.problems.append((number, shown))

    def reject(self, problems: list[Diagnostic], number: int | None) -> None:
        self.rejected += 1
        for problem in problems:
            self.problem(problem, number)

    # Inputs -------------------------------------------------------------------------------

    def begin(self, source: str) -> int:
        """Start reading one input (shown as `source`); its number (1, 2, ...)."""
        self.sources.append(source)
        self.keyless = self.keyed_rows = self.numbered = 0
        return len(self.sources)

    def end(self, number: int) -> None:
        """The warnings about the input just read: responses without a key, numbered ids."""
        if self.keyless:
            self.problem(self._keyless(number, self.keyless), number)
        if self.keyed_rows > 1 and self.numbered == self.keyed_rows:
            self.problem(self._numbered(number), number)

    def add(self, chunk: ScoredChunk, number: int) -> None:
        """Keep the percents of a chunk's self responses under their keys."""
        if chunk.subjects is not None:
            own = chunk.own_responses()
            self.others += len(chunk) - len(own)
            chunk = own
        if not len(chunk):
            return
        self.responses += len(chunk)
        columns = [list(map(_percent_of, column)) for column in chunk.patterns]
        percents: Iterator[Percents] = zip(*columns, chunk.overall.percents, strict=True)
        facets: Iterable[Percents] = repeat(self._no_facets, len(chunk))
        if self._no_facets and chunk.facets is not None:
            facets = list(map(self._facets_of, chunk.facets))
            self.facets_seen = True
        keys = self._keys(chunk)
        for key, row, values, facet_values in zip(keys, chunk.rows, percents, facets, strict=True):
            person = Person(values, facet_values, number, row)
            if key is None:
                self.keyless += 1
                self.unkeyed.append(person)
                continue
            if row is not None:
                self.keyed_rows += 1
                # Microsoft Forms numbers its responses 1, 2, 3 in a column called ID.
                if key == str(row - 1):
                    self.numbered += 1
            earlier = self.people.get(key)
            if earlier is not None:
                self.problem(self._duplicate(number, row, earlier.number, earlier.row), number)
            self.people[key] = person

    def _facets_of(self, answers: tuple[tuple[int | None, ...], ...] | None) -> Percents:
        """One response's facet answers (per theme, in the facets' order) as percents."""
        if answers is None:
            return self._no_facets
        found = self._facet_percents.get(answers)
        if found is None:
            from lpc_assess.scoring.facets import facet_percent

            facets = self.framework.facets
            assert facets is not None
            found = tuple(
                None if v is None else facet_percent(facets, v) for row in answers for v in row
            )
            if len(self._facet_percents) < FACET_MEMO_LIMIT:
                self._facet_percents[answers] = found
        return found

    def _keys(self, chunk: ScoredChunk) -> list[str | None]:
        """Each response's key, trimmed and case-folded; None when it has none.

        A spreadsheet row without an id has `row-N` as its id in a batch; that
        names a row, not a person, so it is no key here.
        """
        n = len(chunk)
        responses = chunk.responses or [None] * n
        raw: list[str | None]
        if self.match == "name":
            raw = list(chunk.names)
        else:
            raw = []
            for given, row, response in zip(chunk.ids, chunk.rows, responses, strict=True):
                if response is not None:  # an answers file
                    raw.append(response.respondent_email if self.match == "email" else given)
                elif row is not None and given == f"row-{row}":
                    raw.append(None)
                else:
                    raw.append(given)
        return [None if k is None else (k.strip().casefold() or None) for k in raw]

    # Messages -----------------------------------------------------------------------------

    def _place(self, number: int, row: int | None, here: int) -> str:
        if row is None:
            return self.sources[number - 1]
        if number == here:
            return f"row {row}"
        return f"{self.sources[number - 1]}, row {row}"

    def _duplicate(
        self, number: int, row: int | None, earlier: int, earlier_row: int | None
    ) -> Diagnostic:
        word = KEY_WORDS[self.match]
        message = (
            f"the same {word} as {self._place(earlier, earlier_row, number)}: this later "
            "response counts, the earlier one is left out"
        )
        return Diagnostic(
            self.sources[number - 1], None, None, "warning", "duplicate-person", message, row
        )

    def _numbered(self, number: int) -> Diagnostic:
        return Diagnostic(
            self.sources[number - 1],
            None,
            None,
            "warning",
            "numbered-ids",
            "the ids run 1, 2, 3... down the rows: they number the responses (as Microsoft "
            "Forms does), so they cannot tell who answered; use --match email or name",
        )

    def _keyless(self, number: int, count: int) -> Diagnostic:
        word = KEY_WORDS[self.match]
        how = {
            "id": "give --id-column, or --match email or name",
            "email": "answers files need respondent.email; spreadsheets an e-mail column",
            "name": "give --name-column, or --match id or email",
        }[self.match]
        return Diagnostic(
            self.sources[number - 1],
            None,
            None,
            "warning",
            "no-match-key",
            f"{count} response(s) have no {word}, so they count in this side's means "
            f"but cannot be matched ({how})",
        )

    # Results ------------------------------------------------------------------------------

    def everyone(self) -> list[Person]:
        """Everyone on this side: one per key, and each response without a key."""
        return [*self.people.values(), *self.unkeyed]

    def counts(self) -> SideCounts:
        return SideCounts(
            responses=self.responses,
            rejected=self.rejected,
            people=len(self.people) + len(self.unkeyed),
            others=self.others,
        )

    def error_entries(self) -> list[dict[str, object]]:
        """The JSON `errors` entries: inputs named by side and number, never by file name.

        An answers file is often named after its person; the terminal shows the path.
        """
        out = []
        # A message may name another input (the earlier of two responses): by number too.
        names = sorted(enumerate(self.sources, 1), key=lambda item: -len(item[1]))
        for number, problem in self.problems:
            entry = summary_entry(problem)
            entry["source"] = self.side if number is None else f"{self.side}: input {number}"
            message = str(entry["message"])
            for other, shown in names:
                message = message.replace(shown, f"{self.side}: input {other}")
            entry["message"] = message
            out.append(entry)
        return out
