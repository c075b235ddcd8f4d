"""The 360 report of one subject, and the 360 section of the team report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lpc_assess import __version__
from lpc_assess.model.framework import Framework, Indicator
from lpc_assess.reports import charts
from lpc_assess.reports.person import answer_text
from lpc_assess.reports.templates import (
    Kind,
    change_text,
    clean_text,
    date_text,
    number_text,
    percent_text,
    render_template,
    text_bar,
)
from lpc_assess.scoring.person import keyed_value
from lpc_assess.scoring.threesixty import SubjectFeedback

GROUP_LABELS = {
    "manager": "Manager",
    "peer": "Peers",
    "direct-report": "Direct reports",
    "other": "Other raters",
}
SELF_LABEL = "You"
OTHERS_LABEL = "All others"
# A difference of more than this many points is never "close" (docs/reports.md).
CLOSE_POINTS = 10.0
CLOSE_TEXT = "Views are close"
WORTH_TEXT = "A difference worth talking about"
_EPSILON = 1e-9  # a difference of 10 that floating point made 10.000000000001 is still 10


def gap_words(gap: float | None, flag: str | None) -> str:
    """What a theme's difference suggests, in words, when it is neither kind of flag.

    More than CLOSE_POINTS apart (either way) and not a blind spot or a hidden
    strength: a difference worth talking about; CLOSE_POINTS or less: close.
    """
    if flag is not None:
        return {"blind-spot": "Blind spot", "hidden-strength": "Hidden strength"}[flag]
    if gap is None:
        return "No difference to show"
    return WORTH_TEXT if abs(gap) > CLOSE_POINTS + _EPSILON else CLOSE_TEXT


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _weighted_mean(framework: Framework, values: Mapping[str, float | None] | None) -> float | None:
    """Theme-weighted mean of the themes that have a value (as the overall score is made)."""
    if not values:
        return None
    pairs = [(t.weight, values.get(t.id)) for t in framework.themes]
    scored = [(w, v) for w, v in pairs if v is not None]
    if not scored:
        return None
    return sum(w * v for w, v in scored) / sum(w for w, _ in scored)


def _self_value_text(framework: Framework, indicator: Indicator, value: float, n: int) -> str:
    """One self answer as `4 · Often` (with its keyed value if reversed); a mean of several."""
    if n == 1 and float(value).is_integer():
        keyed = int(value)
        raw = keyed_value(framework, indicator, keyed)  # keying is its own inverse
        return answer_text(framework, indicator, raw)
    return f"mean {number_text(value, 1)}"


def subject_context(
    framework: Framework,
    feedback: SubjectFeedback,
    *,
    display: str,
    min_raters: int,
    show_notes: bool = True,
    kind: Kind = "html",
) -> dict[str, Any]:
    """Everything a subject's 360 report shows, as plain data for `subject.<fmt>.j2`.

    `feedback` comes from `FeedbackCollector.subjects()`, so groups that were
    left out are already gone; `display` is how the subject is named (their
    id, or `Respondent N` when anonymised). With `show_notes` false, raters'
    comments are left out (anonymised runs carry no free text).
    """
    scale = framework.scale
    points = list(range(scale.min, scale.max + 1))
    has_self = feedback.self_themes is not None
    others = feedback.others
    groups = [
        {
            "id": name,
            "label": GROUP_LABELS.get(name, name),
            "n": group.n,
            "people_text": _people(group.n),
            "includes": [GROUP_LABELS[m].lower() for m in feedback.merged]
            if name == "other"
            else [],
        }
        for name, group in feedback.groups.items()
    ]
    blind, hidden = set(feedback.blind_spots), set(feedback.hidden_strengths)
    themes: list[dict[str, Any]] = []
    for theme in framework.themes:
        mine = feedback.self_themes.get(theme.id) if feedback.self_themes else None
        theirs = others.themes.get(theme.id)
        gap = feedback.gaps.get(theme.id)
        flag = (
            "blind-spot" if theme.id in blind else "hidden-strength" if theme.id in hidden else None
        )
        themes.append(
            {
                "id": theme.id,
                "title": clean_text(theme.title),
                "self": mine,
                "self_text": percent_text(mine),
                "groups": [percent_text(g.themes.get(theme.id)) for g in feedback.groups.values()],
                "others": theirs,
                "others_text": percent_text(theirs),
                "gap": gap,
                "gap_text": change_text(gap) if gap is not None else "no gap to show",
                "gap_size_text": number_text(abs(gap)) if gap is not None else "",
                "flag": flag,
                "flag_text": {"blind-spot": "Blind spot", "hidden-strength": "Hidden strength"}.get(
                    flag or "", ""
                ),
                "gap_words": gap_words(gap, flag),
                "worth_talking": flag is None and gap_words(gap, flag) == WORTH_TEXT,
                "others_direction": "lower" if gap is not None and gap > 0 else "higher",
                "self_bar": text_bar(mine),
                "others_bar": text_bar(theirs),
            }
        )
    indicators = {i.id: (i, t) for t in framework.themes for i in t.indicators}

    def distribution(indicator_id: str) -> tuple[int, list[dict[str, Any]]]:
        counts = others.counts.get(indicator_id, {})
        return sum(counts.values()), [
            {
                "value": v,
                "label": f"{v} {clean_text(framework.label(v))}",
                "count": counts.get(v, 0),
            }
            for v in points
        ]

    gaps = []
    for item in feedback.indicator_gaps:
        indicator, theme = indicators[item.id]
        n, counts = distribution(item.id)
        gaps.append(
            {
                "id": item.id,
                "statement": clean_text(indicator.statement),
                "theme_title": clean_text(theme.title),
                "reverse": indicator.reverse,
                "self_text": _self_value_text(
                    framework, indicator, item.self_value, feedback.self_n
                ),
                "others_text": number_text(item.others_mean, 1),
                "n": n,
                "answers_text": f"{n} {'answer' if n == 1 else 'answers'}",
                "higher": item.gap > 0,
                "gap_text": number_text(abs(item.gap), 1),
                "counts": counts,
                "actions": [clean_text(a) for a in indicator.actions],
            }
        )
    statements = []
    for theme in framework.themes:
        rows = []
        for indicator in theme.indicators:
            n, counts = distribution(indicator.id)
            mine_item = feedback.self_items.get(indicator.id)
            rows.append(
                {
                    "id": indicator.id,
                    "statement": clean_text(indicator.statement),
                    "reverse": indicator.reverse,
                    "self_text": number_text(mine_item, 1) if mine_item is not None else "–",
                    "others_text": number_text(others.indicators.get(indicator.id), 2) or "–",
                    "n": n,
                    "counts": counts,
                }
            )
        statements.append({"id": theme.id, "title": clean_text(theme.title), "rows": rows})
    notes = [
        {"label": GROUP_LABELS.get(name, name), "notes": [clean_text(n) for n in group.notes]}
        for name, group in feedback.groups.items()
        if group.notes
    ]
    series: list[tuple[str, list[float | None]]] = []
    if has_self:
        series.append((SELF_LABEL, [t["self"] for t in themes]))
    if others.n:
        series.append((f"{OTHERS_LABEL} ({_people(others.n)})", [t["others"] for t in themes]))
    radar = None
    if kind == "html" and series and len(themes) >= 3:
        radar = charts.radar_svg(
            [t["title"] for t in themes],
            series,
            title=f"Theme scores: {' and '.join(name for name, _ in series)}",
            desc="Percent score for each theme: "
            + "; ".join(
                f"{t['title']}: "
                + ", ".join(
                    part
                    for part in (
                        f"you {t['self_text']}" if has_self else "",
                        f"all others {t['others_text']}" if others.n else "",
                    )
                    if part
                )
                for t in themes
            )
            + ".",
        )
    return {
        "generator": f"lpc-assess {__version__}",
        "framework": {
            "id": framework.id,
            "title": clean_text(framework.title),
            "version": clean_text(framework.version),
        },
        "date": date_text(dt.date.today()),
        "subject": {"display": clean_text(display)},
        "min_raters": min_raters,
        "has_self": has_self,
        "self_n": feedback.self_n,
        "raters": others.n,
        "raters_text": _people(others.n),
        "groups": groups,
        "merged": [GROUP_LABELS.get(m, m) for m in feedback.merged],
        "dropped": [GROUP_LABELS.get(d, d) for d in feedback.dropped],
        "themes": themes,
        "blind_spots": [t for t in themes if t["flag"] == "blind-spot"],
        "hidden_strengths": [t for t in themes if t["flag"] == "hidden-strength"],
        "worth_talking": [t for t in themes if t["worth_talking"]],
        "close_points_text": number_text(CLOSE_POINTS, 0),
        "third_text": number_text(100 / 3),
        "indicator_gaps": gaps,
        "statements": statements,
        "scale": [{"value": v, "label": clean_text(framework.label(v))} for v in points],
        "has_reverse": any(i.reverse for i in framework.indicators),
        "notes": {"shown": show_notes, "groups": notes if show_notes else []},
        "radar": radar,
    }


def render_subject(
    framework: Framework,
    feedback: SubjectFeedback,
    fmt: str,
    *,
    display: str,
    min_raters: int,
    show_notes: bool = True,
    template_dir: Path | None = None,
) -> str:
    """One subject's 360 report as Markdown or HTML, from `subject.<fmt>.j2`."""
    if fmt not in ("md", "html"):
        raise ValueError(f"unknown 360 report format {fmt!r}")
    kind: Kind = "md" if fmt == "md" else "html"
    context = subject_context(
        framework,
        feedback,
        display=display,
        min_raters=min_raters,
        show_notes=show_notes,
        kind=kind,
    )
    return render_template(kind, f"subject.{fmt}.j2", context, template_dir)


def team_subjects_context(
    framework: Framework, subjects: Sequence[tuple[str, SubjectFeedback]]
) -> list[dict[str, Any]]:
    """The team report's 360 rows: one per (label, subject), already free of dropped groups.

    Self and others are theme-weighted means of the theme percents each side has.
    """
    titles = {t.id: clean_text(t.title) for t in framework.themes}
    rows = []
    for label, feedback in subjects:
        mine = _weighted_mean(framework, feedback.self_themes)
        theirs = _weighted_mean(framework, feedback.others.themes)
        rows.append(
            {
                "label": clean_text(label),
                "self_text": percent_text(mine) if feedback.self_themes is not None else "none",
                "others_text": percent_text(theirs) if feedback.others.n else "none",
                "n": feedback.others.n,
                "blind_spots": [titles[t] for t in feedback.blind_spots],
                "hidden_strengths": [titles[t] for t in feedback.hidden_strengths],
            }
        )
    return rows
