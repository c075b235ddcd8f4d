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


def _alpha_notes(stats: list[ThemeStats]) -> list[str]:
    """Plain words on what the themes' alphas can and cannot say, one line per kind of note.

    Themes that share a note share its line ("for Being and Delivering"), so a
    caveat that holds for every theme is said once.
    """
    from lpc_assess.reports.templates import clean_text, join_and

    groups: dict[str, list[ThemeStats]] = {}
    for theme in stats:
        if theme.alpha is None:
            if theme.k < 2:
                kind = "few-statements"
            elif theme.alpha_n < 3:
                kind = "few-complete"
            else:
                kind = "same-totals"
            groups.setdefault(kind, []).append(theme)
            continue
        if theme.alpha < ALPHA_RELIABLE:
            groups.setdefault("low", []).append(theme)
        if theme.alpha_n < ALPHA_FEW:
            groups.setdefault("few-people", []).append(theme)
        if theme.alpha >= ALPHA_RELIABLE and theme.alpha_n >= ALPHA_FEW:
            groups.setdefault("good", []).append(theme)

    def which(themes: list[ThemeStats]) -> str:
        if len(themes) == len(stats) and len(stats) > 1:
            return "every theme"
        return join_and([clean_text(t.title) for t in themes])

    def people(themes: list[ThemeStats]) -> str:
        sizes = sorted({t.alpha_n for t in themes})
        return str(sizes[0]) if len(sizes) == 1 else f"{sizes[0]} to {sizes[-1]}"

    wording = {
        "few-statements": lambda g: f"Not computed for {which(g)}: fewer than two statements.",
        "few-complete": lambda g: (
            f"Not computed for {which(g)}: fewer than three people answered every statement."
        ),
        "same-totals": lambda g: f"Not computed for {which(g)}: everyone's total was the same.",
        "low": lambda g: (
            f"Below {ALPHA_RELIABLE} for {which(g)}: the statements may not hang together "
            f"for this group, so read {'its score' if len(g) == 1 else 'those scores'} with care."
        ),
        "few-people": lambda g: (
            f"From only {people(g)} people for {which(g)}: alpha from a "
            "handful of people is unstable."
        ),
        "good": lambda g: f"The statements hang together well for this group in {which(g)}.",
    }
    return [wording[kind](themes) for kind, themes in groups.items()]


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
    from lpc_assess.reports.heatmap import heat_cell, heat_css
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
    theme_stats = summary.themes()
    for stats in theme_stats:
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
                "k": stats.k,
                "bands": shares,
            }
        )
    indicator_stats = summary.indicators()
    by_theme: list[dict[str, Any]] = []
    for theme in framework.themes:
        items = [
            _indicator_context(item, points, point_label)
            for item in indicator_stats
            if item.theme.id == theme.id
        ]
        by_theme.append(
            {
                "id": theme.id,
                "title": clean_text(theme.title),
                "statements": items,
                "chart": _likert_chart(clean_text(theme.title), items, list(point_label.values()))
                if html
                else None,
            }
        )
    answered = [s for s in indicator_stats if s.n and s.percent is not None]
    lowest = sorted(answered, key=lambda s: s.percent or 0.0)[:LOWEST_SHOWN]
    overall = summary.overall_percent
    overall_shares = _shares(
        [(b.id, band_label[b.id], summary.overall_bands.get(b.id, 0)) for b in bands]
    )
    theme_titles = [str(t["title"]) for t in themes]
    labels = [band_label[b.id] for b in bands]
    people_rows = []
    if people.shown:
        for row in people.rows:
            label = row.id if anonymised or not row.name else f"{row.name} ({row.id})"
            people_rows.append(
                {
                    "label": clean_text(label),
                    "cells": [heat_cell(bands, p, labels) for p in row.themes],
                    "overall": heat_cell(bands, row.overall, labels),
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
        people_note = (
            "The table of people by theme is left out of anonymised reports: even without "
            "names, one row of scores can point to one person."
        )
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
            "incomplete": summary.overall_incomplete,
            "bands": overall_shares,
        },
        "band_chart": _band_chart(themes, overall_shares, labels) if html else None,
        "themes": themes,
        "alpha": {
            "reliable": ALPHA_RELIABLE,
            "few": ALPHA_FEW,
            "notes": _alpha_notes(theme_stats),
        },
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
        "bands": [
            {
                "label": band_label[b.id],
                "from_text": f"{b.from_:g}",
                "to_text": f"{bands[i + 1].from_:g}" if i + 1 < len(bands) else "100",
                "css": f"heat heat-{i}",
            }
            for i, b in enumerate(bands)
        ],
        "heat_css": heat_css(len(bands)) if html else "",
    }


def _indicator_context(
    stats: IndicatorStats, points: list[int], point_label: dict[str, str]
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
    }


def _likert_chart(title: str, statements: list[dict[str, Any]], categories: list[str]) -> Any:
    """One theme's statements as one diverging stacked bar chart (reports/likert.py)."""
    from lpc_assess.reports.likert import LikertRow, likert_svg

    rows = [
        LikertRow(s["statement"], [c["count"] for c in s["counts"]], s["reverse"])
        for s in statements
    ]
    return likert_svg(
        rows,
        categories,
        title=f"{title}: answers to each statement",
        desc=f"For each statement of {title}, the share of people who gave each answer, "
        f"from {categories[0]} to {categories[-1]}; the table beside the chart gives the counts.",
    )


def _band_chart(
    themes: list[dict[str, Any]], overall: list[dict[str, Any]], labels: list[str]
) -> Any:
    """People in each band, one bar for each theme and one for overall, in one chart."""
    from lpc_assess.reports.likert import LikertRow, likert_svg

    rows = [LikertRow(t["title"], [b["count"] for b in t["bands"]]) for t in themes]
    rows.append(LikertRow("Overall", [b["count"] for b in overall]))
    return likert_svg(
        rows,
        labels,
        title="People in each band, by theme and overall",
        desc=f"For each theme and overall, the share of people in each band, from {labels[0]} "
        f"to {labels[-1]}; the table beside the chart gives the counts.",
        diverging=False,
    )


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
