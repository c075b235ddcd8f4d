"""Who is who across a batch: the same person twice, and ids that name no one.

Two checks that stop a team's figures being inflated without a word
(docs/answers-and-imports.md, "The same person twice"):

* the same person's own self-check read from two inputs (the export saved as
  CSV and as a workbook, or an answers file and a form row for one person) is
  counted twice in every team figure: each repeat gets a `duplicate-person`
  warning naming both inputs. Both are kept: two people can share a name.
* Microsoft Forms numbers its responses 1, 2, 3 in a column called ID. In 360
  data that column is taken as the rater's id, and then a rater who answers
  twice cannot be told apart: a `numbered-ids` warning says to name the
  e-mail column with --id-column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from lpc_assess.diagnostics import Diagnostic

if TYPE_CHECKING:
    from lpc_assess.scoring.scored import ScoredChunk


class PeopleSeen:
    """Each person's first input, by name (or by id, without a name).

    Only a repeat in another input is warned about: within one export two rows
    with one name are usually two people (a large team has two Sarah Smiths),
    and a form sent twice is better caught by its id. The keys are built and
    compared a chunk at a time with set operations, so the check costs little
    even at 100,000 responses; it holds one key per person.
    """

    def __init__(self) -> None:
        self._first: dict[str, str] = {}  # key -> the input it was first read from
        self._inputs: set[str] = set()  # the inputs those are
        self.rated_rows = 0
        self.numbered_rows = 0

    def add(self, chunk: ScoredChunk) -> list[Diagnostic]:
        """A `duplicate-person` warning for each own response of someone read from another input."""
        source = chunk.source
        names = chunk.names
        if None not in names:
            keys = set(map(str.casefold, map(str.strip, cast("list[str]", names))))
            keys.discard("")
        else:
            keys = {key for key in map(_key, chunk.ids, names, chunk.rows) if key}
        common = keys & self._first.keys()
        problems = []
        if common and not self._inputs <= {source}:  # some were first read elsewhere
            elsewhere = {key for key in common if self._first[key] != source}
            if elsewhere:
                rows = zip(chunk.ids, names, chunk.rows, strict=True)
                for given, name, row in rows:
                    key = _key(given, name, row)
                    if key in elsewhere:
                        by = "name" if name and name.strip() else "id"
                        problems.append(_duplicate(source, row, self._first[key], by))
        self._first.update(dict.fromkeys(keys - common, source))
        self._inputs.add(source)
        return problems

    def rated(self, chunk: ScoredChunk) -> None:
        """Count the 360 rows of an input whose id is the row's running number."""
        for given, row in zip(chunk.ids, chunk.rows, strict=True):
            if row is not None:
                self.rated_rows += 1
                if given == str(row - 1):  # the header is row 1: response 1 is row 2
                    self.numbered_rows += 1

    def numbered(self, source: str) -> Diagnostic | None:
        """The `numbered-ids` warning for the input just read, if its 360 ids number rows."""
        found = self.rated_rows > 1 and self.numbered_rows == self.rated_rows
        self.rated_rows = self.numbered_rows = 0
        if not found:
            return None
        return Diagnostic(
            source,
            None,
            None,
            "warning",
            "numbered-ids",
            "the rater ids run 1, 2, 3... down the rows: they number the responses (as "
            "Microsoft Forms does), not the raters, so a rater who answers twice is counted "
            "twice; name the e-mail column with --id-column",
        )


def _key(given: str, name: str | None, row: int | None) -> str:
    """The key a response is known by: its name, else its id; "" for a made-up id."""
    if name and name.strip():
        return name.strip().casefold()
    if row is not None and given == f"row-{row}":
        return ""  # a made-up id names a row, not a person
    return given.strip().casefold()


def _duplicate(source: str, row: int | None, first: str, by: str) -> Diagnostic:
    return Diagnostic(
        source,
        None,
        None,
        "warning",
        "duplicate-person",
        f"the same {by} as in {first}: both are counted; if they are one person, "
        "remove one of the two",
        row,
    )
