"""Who is who across a batch: the same person twice, and ids that name no one.

Two checks that stop a team's figures being inflated without a word
(docs/answers-and-imports.md, "The same person twice"):

* the same person's own self-check read twice (the export saved as CSV and as
  a workbook, or an answers file and a form row for one person) is counted
  twice in every team figure: each repeat gets a `duplicate-person` warning
  naming both places. Both are kept: two people can share a name.
* Microsoft Forms numbers its responses 1, 2, 3 in a column called ID. In 360
  data that column is taken as the rater's id, and then a rater who answers
  twice cannot be told apart: a `numbered-ids` warning says to name the
  e-mail column with --id-column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lpc_assess.diagnostics import Diagnostic

if TYPE_CHECKING:
    from lpc_assess.scoring.scored import ScoredChunk


class PeopleSeen:
    """The people of a batch by name (or by id, without a name), and where each was read."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, int | None]] = {}
        self.rated_rows = 0
        self.numbered_rows = 0

    def add(self, chunk: ScoredChunk) -> list[Diagnostic]:
        """A `duplicate-person` warning for each own response of someone already read."""
        keys = []
        for given, name, row in zip(chunk.ids, chunk.names, chunk.rows, strict=True):
            if name and name.strip():
                keys.append("name:" + " ".join(name.split()).casefold())
            elif row is not None and given == f"row-{row}":
                keys.append("")  # a made-up id names a row, not a person
            else:
                keys.append("id:" + " ".join(given.split()).casefold())
        places = list(zip(keys, chunk.rows, strict=True))
        if self._seen.keys().isdisjoint(keys) and len(set(keys)) == len(keys):
            self._seen.update((key, (chunk.source, row)) for key, row in places if key)
            return []
        problems = []
        for key, row in places:
            if not key:
                continue
            earlier = self._seen.get(key)
            if earlier is not None:
                problems.append(_duplicate(chunk.source, row, earlier, key))
            else:
                self._seen[key] = (chunk.source, row)
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


def _duplicate(
    source: str, row: int | None, earlier: tuple[str, int | None], key: str
) -> Diagnostic:
    first, first_row = earlier
    where = first if first_row is None else f"{first}, row {first_row}"
    by = "name" if key.startswith("name:") else "id"
    return Diagnostic(
        source,
        None,
        None,
        "warning",
        "duplicate-person",
        f"the same {by} as {where}: both are counted; if they are one person, "
        "remove one of the two",
        row,
    )
