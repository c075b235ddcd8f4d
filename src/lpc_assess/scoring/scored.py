"""Scored responses as they flow through a batch: one at a time, or many as columns.

A source (an answers file, a CSV export) yields `ScoredChunk`s: numbers only,
one column of shared theme patterns per theme. Every consumer of the team
pipeline takes chunks; `ScoredChunk.records()` gives the same responses one by
one to the consumers that need a whole response (a person's report, 360).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lpc_assess.model.answers import Response
    from lpc_assess.model.framework import Framework


from lpc_assess.scoring.compiled import (
    CompiledScorer,
    OverallColumns,
    OverallOutcome,
    ThemePattern,
)


class ScoredResponse:
    """One scored response as it flows through a batch: who, whence, and its patterns.

    `subject` and `relationship` are set for 360 rater responses. `response`
    holds the full answers file (notes, pledge, dates) when it came from one;
    a CSV row has none, and `to_response()` rebuilds its answers.
    """

    __slots__ = (
        "respondent_id",
        "name",
        "subject",
        "relationship",
        "source",
        "row",
        "patterns",
        "overall",
        "response",
        "submitted",
        "read_date",
        "facets",
    )

    def __init__(
        self,
        respondent_id: str,
        name: str | None,
        subject: str | None,
        relationship: str | None,
        source: str,
        row: int | None,
        patterns: tuple[ThemePattern, ...],
        overall: OverallOutcome,
        response: Response | None = None,
        submitted: str | None = None,
        read_date: Callable[[str], dt.datetime | None] | None = None,
        facets: tuple[tuple[int | None, ...], ...] | None = None,
    ) -> None:
        self.respondent_id = respondent_id
        self.name = name
        self.subject = subject
        self.relationship = relationship
        self.source = source
        self.row = row
        self.patterns = patterns
        self.overall = overall
        self.response = response
        # A CSV row's completion time as written, read only when a report needs it.
        self.submitted = submitted
        self.read_date = read_date
        # Facet answers per theme (scoring/facets.py, FacetRow); None when none were given.
        self.facets = facets

    def answers(self, framework: Framework) -> dict[str, int]:
        """Indicator id -> raw answer, for the answered indicators."""
        out: dict[str, int] = {}
        for theme, pattern in zip(framework.themes, self.patterns, strict=True):
            for indicator, value in zip(theme.indicators, pattern.values, strict=True):
                if value is not None:
                    out[indicator.id] = value
        return out

    def to_response(self, framework: Framework) -> Response:
        """The full `Response` (for a person's report): the answers file's, or rebuilt."""
        from lpc_assess.model.answers import Response
        from lpc_assess.scoring.facets import facet_answers

        if self.response is not None:
            return self.response
        completed = None
        if self.submitted and self.read_date is not None:
            completed = self.read_date(self.submitted)
        return Response(
            framework_id=framework.id,
            framework_version=framework.version,
            respondent_id=self.respondent_id,
            respondent_name=self.name,
            subject=self.subject,
            relationship=self.relationship,
            completed=completed,
            answers=dict(self.answers(framework)),
            facets=facet_answers(framework, self.facets),
            source=self.source,
            submitted=True,
        )


def record_from_response(
    scorer: CompiledScorer, response: Response, *, respondent_id: str, source: str
) -> ScoredResponse:
    """Score an answers-file `Response` into a `ScoredResponse`."""
    from lpc_assess.scoring.facets import facet_row

    patterns, overall = scorer.score_answers(response.answers)
    return ScoredResponse(
        respondent_id,
        response.respondent_name,
        response.subject,
        response.relationship,
        source,
        None,
        patterns,
        overall,
        response,
        facets=facet_row(scorer.framework, response.facets),
    )


class ScoredChunk:
    """Scored responses as columns: what flows through a batch, many responses at a time.

    Row `i` is `ids[i]`, `names[i]`, ..., with one column of patterns per
    theme (`patterns[t][i]`) and the overall scores in `overall`. `subjects`
    and `relationships` are None when no response in the chunk has a
    `rater`; `responses` holds answers files' full `Response`s (None for CSV
    rows). `records()` gives the same responses one at a time.
    """

    __slots__ = (
        "scorer",
        "source",
        "rows",
        "ids",
        "names",
        "subjects",
        "relationships",
        "patterns",
        "overall",
        "responses",
        "submitted",
        "read_date",
        "facets",
    )

    def __init__(
        self,
        scorer: CompiledScorer,
        source: str,
        rows: Sequence[int | None],
        ids: list[str],
        names: list[str | None],
        patterns: list[list[ThemePattern]],
        overall: OverallColumns,
        *,
        subjects: list[str | None] | None = None,
        relationships: list[str | None] | None = None,
        responses: list[Response | None] | None = None,
        submitted: list[str] | None = None,
        read_date: Callable[[str], dt.datetime | None] | None = None,
        facets: list[tuple[tuple[int | None, ...], ...] | None] | None = None,
    ) -> None:
        self.scorer = scorer
        self.source = source
        self.rows = rows
        self.ids = ids
        self.names = names
        self.patterns = patterns
        self.overall = overall
        self.subjects = subjects
        self.relationships = relationships
        self.responses = responses
        self.submitted = submitted
        self.read_date = read_date
        # Per response its facet answers (scoring/facets.py, FacetRow); None when no
        # response of the chunk answered a facet.
        self.facets = facets

    def __len__(self) -> int:
        return len(self.ids)

    def records(self) -> Iterator[ScoredResponse]:
        """The responses of this chunk, one `ScoredResponse` each, in order."""
        n = len(self.ids)
        subjects = self.subjects or [None] * n
        relationships = self.relationships or [None] * n
        responses = self.responses or [None] * n
        submitted: Sequence[str | None] = self.submitted or [None] * n
        facets = self.facets or [None] * n
        for i, row_patterns in enumerate(zip(*self.patterns, strict=True)):
            yield ScoredResponse(
                self.ids[i],
                self.names[i],
                subjects[i],
                relationships[i],
                self.source,
                self.rows[i],
                row_patterns,
                self.scorer.overall(row_patterns),
                responses[i],
                submitted[i],
                self.read_date,
                facets[i],
            )

    def own_responses(self) -> ScoredChunk:
        """The rows that are someone's own self-check: no 360 subject, or `self`.

        A 360 rater's response about someone else is not part of the team's
        own scores; the 360 collector takes those.
        """
        if self.subjects is None or self.relationships is None:
            return self
        own = [r for r in self.records() if r.subject is None or r.relationship == "self"]
        return ScoredChunk.of(self.scorer, own, self.source)

    @classmethod
    def of(
        cls, scorer: CompiledScorer, records: Sequence[ScoredResponse], source: str
    ) -> ScoredChunk:
        """A chunk holding `records` (all from `source`)."""
        rated = any(r.subject is not None for r in records)
        themes = len(scorer.themes)
        patterns = [[r.patterns[t] for r in records] for t in range(themes)]
        return cls(
            scorer,
            source,
            [r.row for r in records],
            [r.respondent_id for r in records],
            [r.name for r in records],
            patterns,
            OverallColumns([r.overall for r in records], patterns),
            subjects=[r.subject for r in records] if rated else None,
            relationships=[r.relationship for r in records] if rated else None,
            responses=[r.response for r in records]
            if any(r.response is not None for r in records)
            else None,
            submitted=[r.submitted or "" for r in records]
            if any(r.submitted for r in records)
            else None,
            read_date=next((r.read_date for r in records if r.read_date), None),
            facets=[r.facets for r in records]
            if any(r.facets is not None for r in records)
            else None,
        )
