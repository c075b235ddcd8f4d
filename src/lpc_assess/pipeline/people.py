"""The team report's people-by-themes table: the first rows, enough to know if it is shown."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.scoring.scored import ScoredChunk

PEOPLE_LIMIT = 300  # the team report's people-by-themes table is left out above this


@dataclass
class PersonRow:
    """One row of the team report's people-by-themes table."""

    id: str
    name: str | None
    themes: list[float | None]
    overall: float | None


class PeopleTable:
    """The first PEOPLE_LIMIT + 1 responses, enough to know whether the table is shown."""

    def __init__(self, *, anonymised: bool = False) -> None:
        self.rows: list[PersonRow] = []
        self.total = 0
        self.anonymised = anonymised

    def add(self, chunk: ScoredChunk) -> None:
        room = PEOPLE_LIMIT + 1 - len(self.rows)
        self.total += len(chunk)
        if room > 0:
            for record in islice(chunk.records(), room):
                self.rows.append(
                    PersonRow(
                        record.respondent_id,
                        record.name,
                        [p.outcome.percent for p in record.patterns],
                        record.overall.percent,
                    )
                )

    def merge(self, other: PeopleTable) -> None:
        """Another part's people after these, as if its chunks had come next."""
        self.total += other.total
        room = PEOPLE_LIMIT + 1 - len(self.rows)
        self.rows.extend(other.rows[: max(room, 0)])

    @property
    def shown(self) -> bool:
        """Anonymised reports have no people table: a row of scores can point to one person."""
        return 0 < self.total <= PEOPLE_LIMIT and not self.anonymised

    def finish(self) -> None:
        if self.anonymised:
            # Sorted by score, so that row order says nothing about who is who.
            self.rows.sort(
                key=lambda r: (
                    r.overall is None,
                    -(r.overall or 0.0),
                    [-(p or 0.0) for p in r.themes],
                )
            )
