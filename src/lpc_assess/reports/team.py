"""The team report: template data from the team statistics, and rendering it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from lpc_assess.writers.files import atomic_write

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework
    from lpc_assess.pipeline.people import PeopleTable
    from lpc_assess.scoring.team import IndicatorStats, TeamSummary, ThemeStats


ALPHA_RELIABLE = 0.7


ALPHA_FEW = 30  # below this many people alpha moves a lot from one group to the next


LOWEST_SHOWN = 5


def _alpha_note(stats: ThemeStats) -> str:
    """Plain words on what this theme's alpha can and cannot say."""
    if stats.alpha is None:
        if stats.k < 2:
            return "Not computed: the theme has fewer than two statements."
        if stats.alpha_n < 3:
            return "Not computed: fewer than three people answered every statement of this theme."
        return "Not computed: everyone's total for this theme was the same."
    notes = []
    if stats.alpha < ALPHA_RELIABLE:
        notes.append(
            f"Below {ALPHA_RELIABLE}: for this group, the theme's statements may not "
            "hang together, so read its score with care."
        )
    if stats.alpha_n < ALPHA_FEW:
        notes.append(
            f"From only {stats.alpha_n} people: alpha from a handful of people is "
            "unstable and can change a lot with one more response."
        )
    return " ".join(notes) or "The theme's statements hang together well for this group."


def _shares(counts: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    from lpc_assess.reports.templates import number_text

    total = sum(c for _, _, c in counts)
    return [
        {
            "key": key,
            "label": label,
            "count": count,
            "share_text": f"{number_text(100 * count / total)}%" if total else "-",
        }
        for key, label, count in counts
    ]


def team_context(
    framework: Framework, summary: TeamSummary, people: PeopleTable, *, anonymised: bool, kind: str
) -> dict[str, Any]:
    """Everything the team report shows, as plain data for team.<fmt>.j2."""
    import datetime as dt

    from lpc_assess.pipeline.people import PEOPLE_LIMIT
    from lpc_assess.reports import charts
    from lpc_assess.reports.templates import clean_text, date_text, number_text, percent_text
    from lpc_assess.scoring.person import band_for

    html = kind == "html"
    bands = framework.bands
    band_label = {b.id: clean_text(b.label) for b in bands}
    scale = framework.scale
    points = list(range(scale.min, scale.max + 1))
    point_label = {str(v): f"{v} {clean_text(framework.label(v))}" for v in points}

    def band_text(percent: float | None) -> str:
        band = band_for(bands, percent)
        return band_label[band.id] if band is not None else "no score"

    themes: list[dict[str, Any]] = []
    for stats in summary.themes():
        title = clean_text(stats.title)
        shares = _shares([(b.id, band_label[b.id], stats.bands.get(b.id, 0)) for b in bands])
        themes.append(
            {
                "id": stats.id,
                "title": title,
                "n": stats.n,
                "mean_text": number_text(stats.mean, 2) or "-",
                "sd_text": number_text(stats.sd, 2) or "-",
                "median_text": number_text(stats.median, 2) or "-",
                "min_text": number_text(stats.min, 2) or "-",
                "max_text": number_text(stats.max, 2) or "-",
                "percent": stats.percent,
                "percent_text": percent_text(stats.percent),
                "band_text": band_text(stats.percent),
                "alpha": stats.alpha,
                "alpha_text": number_text(stats.alpha, 2) or "not computed",
                "alpha_n": stats.alpha_n,
                "alpha_note": _alpha_note(stats),
                "k": stats.k,
                "bands": shares,
                "band_chart": charts.stacked_bar_svg(
                    {b["key"]: b["count"] for b in shares},
                    band_label,
                    title=f"{title}: people in each band",
                    desc=f"How many of the {stats.n} people with a {title} score are in each band.",
                )
                if html
                else None,
            }
        )
    indicator_stats = summary.indicators()
    by_theme: list[dict[str, Any]] = []
    for theme in framework.themes:
        items = []
        for item in indicator_stats:
            if item.theme.id == theme.id:
                items.append(_indicator_context(item, points, point_label, html, charts))
        by_theme.append({"id": theme.id, "title": clean_text(theme.title), "statements": items})
    answered = [s for s in indicator_stats if s.n and s.percent is not None]
    lowest = sorted(answered, key=lambda s: s.percent or 0.0)[:LOWEST_SHOWN]
    overall = summary.overall_percent
    overall_shares = _shares(
        [(b.id, band_label[b.id], summary.overall_bands.get(b.id, 0)) for b in bands]
    )
    theme_titles = [str(t["title"]) for t in themes]
    theme_percents: list[float | None] = [t["percent"] for t in themes]
    people_rows = []
    if people.shown:
        for row in people.rows:
            label = row.id if anonymised or not row.name else f"{row.name} ({row.id})"
            people_rows.append(
                {
                    "label": clean_text(label),
                    "cells": [percent_text(p) for p in row.themes],
                    "overall_text": percent_text(row.overall),
                }
            )
    if people.total > PEOPLE_LIMIT:
        people_note = (
            f"The table of people by theme is left out: it has room for "
            f"{PEOPLE_LIMIT} people and this team has {people.total}. The scores "
            "file (--scores) has one row per person."
        )
    elif anonymised:
        people_note = "Names and ids are replaced; rows are sorted by overall score, highest first."
    else:
        people_note = ""
    return {
        "framework": {
            "id": framework.id,
            "title": clean_text(framework.title),
            "version": framework.version,
        },
        "date": date_text(dt.date.today()),
        "counts": {
            "responses": summary.responses,
            "rejected": summary.rejected,
            "scored": summary.overall_n,
        },
        "overall": {
            "percent": overall,
            "percent_text": percent_text(overall),
            "band_text": band_text(overall),
            "n": summary.overall_n,
            "bands": overall_shares,
            "band_chart": charts.stacked_bar_svg(
                {b["key"]: b["count"] for b in overall_shares},
                band_label,
                title="Overall: people in each band",
                desc="How many people with an overall score are in each band.",
            )
            if html
            else None,
        },
        "themes": themes,
        "radar": charts.radar_svg(
            theme_titles,
            [("Team mean", theme_percents)],
            title="Team mean score by theme",
            desc="The team's mean percent for each theme; the table gives the same numbers.",
        )
        if html and len(themes) >= 3
        else None,
        "alpha": {"reliable": ALPHA_RELIABLE, "few": ALPHA_FEW},
        "indicators": by_theme,
        "scale": [{"value": v, "label": clean_text(framework.label(v))} for v in points],
        "lowest": [
            {
                "id": s.id,
                "statement": clean_text(s.indicator.statement),
                "theme_title": clean_text(s.theme.title),
                "n": s.n,
                "mean_text": number_text(s.mean, 2),
                "percent_text": percent_text(s.percent),
                "reverse": s.indicator.reverse,
                "actions": [clean_text(a) for a in s.indicator.actions],
            }
            for s in lowest
        ],
        "people": {
            "shown": people.shown and bool(people_rows),
            "total": people.total,
            "columns": theme_titles,
            "rows": people_rows,
            "note": people_note,
            "anonymised": anonymised,
        },
        "bands": [{"label": band_label[b.id], "from_text": f"{b.from_:g}"} for b in bands],
    }


def _indicator_context(
    stats: IndicatorStats, points: list[int], point_label: dict[str, str], html: bool, charts: Any
) -> dict[str, Any]:
    from lpc_assess.reports.templates import clean_text, number_text, percent_text

    statement = clean_text(stats.indicator.statement)
    shares = _shares([(str(v), point_label[str(v)], stats.counts.get(v, 0)) for v in points])
    return {
        "id": stats.id,
        "statement": statement,
        "n": stats.n,
        "reverse": stats.indicator.reverse,
        "mean_text": number_text(stats.mean, 2) or "-",
        "percent": stats.percent,
        "percent_text": percent_text(stats.percent),
        "counts": shares,
        "chart": charts.stacked_bar_svg(
            {c["key"]: c["count"] for c in shares},
            point_label,
            title=f"Answers to: {statement}",
            desc=f"How many of the {stats.n} people who answered gave each answer.",
        )
        if html
        else None,
    }


def render_team(
    framework: Framework, summary: TeamSummary, people: PeopleTable, fmt: str, *, anonymised: bool
) -> str:
    """The team report as Markdown or HTML, from `team.<fmt>.j2`."""
    from lpc_assess.reports.templates import render_template

    kind: Literal["html", "md"] = "html" if fmt == "html" else "md"
    context = team_context(framework, summary, people, anonymised=anonymised, kind=kind)
    return render_template(kind, f"team.{kind}.j2", context)


def write_team_report(
    path: Path,
    framework: Framework,
    summary: TeamSummary,
    people: PeopleTable,
    fmt: str,
    *,
    anonymised: bool,
) -> None:
    atomic_write(path, render_team(framework, summary, people, fmt, anonymised=anonymised))
