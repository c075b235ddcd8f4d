"""One person's development report: the template context, the JSON of §5, rendering.

`person_context` hands the templates plain data; `person_json` is the
machine-readable result of docs/scoring.md; `render_person` writes either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lpc_assess import __version__
from lpc_assess.model.answers import Response
from lpc_assess.model.framework import Band, Framework, Indicator, Resource, Theme
from lpc_assess.reports import charts
from lpc_assess.reports.facets import person_facets_context
from lpc_assess.reports.templates import (
    Kind,
    change_text,
    clean_text,
    date_text,
    json_text,
    number_text,
    percent_text,
    render_template,
    text_bar,
    weight_text,
)
from lpc_assess.scoring.facets import facets_json
from lpc_assess.scoring.person import ItemScore, ResponseScore, ThemeScore, keyed_value

CURRENT_SERIES = "This self-check"
EARLIER_SERIES = "Earlier self-check"


def _band(band: Band | None) -> dict[str, Any] | None:
    return None if band is None else {"id": band.id, "label": band.label, "from": band.from_}


def _min_needed(share: float, total: int) -> int:
    """The fewest answered indicators that give a theme score (same test as scoring)."""
    return next((a for a in range(1, total + 1) if a / total >= share), total)


def answer_text(framework: Framework, indicator: Indicator, answer: int) -> str:
    text = f"{answer} · {framework.label(answer)}"
    if indicator.reverse:
        text += f" (counts as {keyed_value(framework, indicator, answer)})"
    return text


def _statement(
    framework: Framework,
    indicator: Indicator,
    response: Response,
    strengths: set[str],
    priorities: set[str],
) -> dict[str, Any]:
    answers = response.answers
    answer = answers.get(indicator.id)
    if answer is not None:
        status = "answered"
        keyed: int | None = keyed_value(framework, indicator, answer)
        text = answer_text(framework, indicator, answer)
    elif indicator.id in answers:
        status, keyed = "skipped", None
        text = f"skipped ({framework.scale.skip})" if framework.scale.skip else "skipped"
    else:
        status, keyed, text = "not answered", None, "not answered"
    note = response.notes.get(indicator.id)
    return {
        "id": indicator.id,
        "statement": clean_text(indicator.statement),
        "reverse": indicator.reverse,
        "weight": indicator.weight,
        "weight_text": weight_text(indicator.weight),
        "status": status,
        "answer": answer,
        "label": framework.label(answer) if answer is not None else None,
        "value": keyed,
        "answer_text": text,
        "note": clean_text(note) if note else None,
        "is_strength": indicator.id in strengths,
        "is_priority": indicator.id in priorities,
    }


def _item(framework: Framework, item: ItemScore, *, with_actions: bool) -> dict[str, Any]:
    return {
        "id": item.id,
        "statement": clean_text(item.indicator.statement),
        "theme_id": item.theme.id,
        "theme_title": clean_text(item.theme.title),
        "answer": item.answer,
        "label": framework.label(item.answer),
        "value": item.value,
        "reverse": item.indicator.reverse,
        "answer_text": answer_text(framework, item.indicator, item.answer),
        "actions": [clean_text(a) for a in item.indicator.actions] if with_actions else [],
    }


def _theme_sums(
    framework: Framework, theme: Theme, answers: Mapping[str, int | None]
) -> tuple[float, float, str]:
    """Σwk, Σw and the sum written out, for the 'how this was scored' note."""
    terms: list[str] = []
    sum_wk = sum_w = 0.0
    for indicator in theme.indicators:
        answer = answers.get(indicator.id)
        if answer is None:
            continue
        k = keyed_value(framework, indicator, answer)
        sum_wk += indicator.weight * k
        sum_w += indicator.weight
        terms.append(f"{weight_text(indicator.weight)}×{k}" if indicator.weight != 1 else str(k))
    return sum_wk, sum_w, " + ".join(terms)


def _resources(framework: Framework, priority_themes: Sequence[str]) -> list[dict[str, Any]]:
    titles = {t.id: clean_text(t.title) for t in framework.themes}
    out = []
    for resource in framework.resources:
        url = resource.url.strip()
        out.append(
            {
                "title": clean_text(resource.title),
                "url": url if re.match(r"^https?://", url, re.IGNORECASE) else None,
                "description": clean_text(resource.description) if resource.description else None,
                "themes": [titles.get(t, t) for t in resource.themes],
                "for_priorities": any(t in priority_themes for t in resource.themes),
            }
        )

    # Resources for the theme of the first priority come first, then the second's, and
    # so on; the rest keep framework order (sorted() is stable).
    def rank(resource: Resource) -> int:
        return min(
            (i for i, t in enumerate(priority_themes) if t in resource.themes),
            default=len(priority_themes),
        )

    order = sorted(range(len(out)), key=lambda i: rank(framework.resources[i]))
    return [out[i] for i in order]


def _method(framework: Framework) -> dict[str, Any]:
    scale = framework.scale
    bands = []
    for i, band in enumerate(framework.bands):
        upper = framework.bands[i + 1].from_ if i + 1 < len(framework.bands) else None
        low = weight_text(band.from_)
        bands.append(
            {
                "id": band.id,
                "label": clean_text(band.label),
                "from": band.from_,
                "from_text": low,
                "to": upper,
                "range_text": f"{low}% to 100%"
                if upper is None
                else f"{low}% up to (not including) {weight_text(upper)}%",
            }
        )
    return {
        "scale": {
            "min": scale.min,
            "max": scale.max,
            "labels": [
                {"value": v, "label": clean_text(framework.label(v))}
                for v in range(scale.min, scale.max + 1)
            ],
            "skip": clean_text(scale.skip) if scale.skip else None,
            "reverse_sum": scale.min + scale.max,
        },
        "min_answered": framework.scoring.min_answered,
        "min_answered_text": f"{weight_text(100 * framework.scoring.min_answered)}%",
        "overrides": [
            {"title": clean_text(t.title), "share_text": f"{weight_text(100 * t.min_answered)}%"}
            for t in framework.themes
            if t.min_answered is not None
        ],
        "reverse": [
            {"id": i.id, "statement": clean_text(i.statement), "theme": clean_text(t.title)}
            for t in framework.themes
            for i in t.indicators
            if i.reverse
        ],
        "indicator_weights": [
            {"id": i.id, "statement": clean_text(i.statement), "weight_text": weight_text(i.weight)}
            for t in framework.themes
            for i in t.indicators
            if i.weight != 1
        ],
        "theme_weights": [
            {"title": clean_text(t.title), "weight_text": weight_text(t.weight)}
            for t in framework.themes
        ]
        if any(t.weight != 1 for t in framework.themes)
        else [],
        "bands": bands,
    }


def _theme_context(
    framework: Framework,
    theme: Theme,
    result: ThemeScore,
    response: Response,
    marked: tuple[set[str], set[str]],
    *,
    comparing: bool,
    change: float | None,
    earlier: float | None,
    earlier_known: bool,
) -> dict[str, Any]:
    """One theme of a person report: its score, bar, statements and reflection."""
    if not earlier_known:  # without the earlier score, derive it from the change
        earlier = (
            result.percent - change if change is not None and result.percent is not None else None
        )
    if not comparing:
        change_words = None
    elif change is not None:
        change_words = change_text(change)
    elif result.percent is None:
        change_words = "no score now"
    else:
        change_words = "no earlier score"
    share = framework.min_answered(theme)
    sum_wk, sum_w, terms = _theme_sums(framework, theme, response.answers)
    title = clean_text(theme.title)
    band_label = clean_text(result.band.label) if result.band else None
    strengths, priorities = marked
    answers = response.answers
    return {
        "id": theme.id,
        "title": title,
        "summary": clean_text(theme.summary) if theme.summary else None,
        "weight": theme.weight,
        "weight_text": weight_text(theme.weight),
        "answered": result.answered,
        "total": result.total,
        "skipped": sum(1 for i in theme.indicators if i.id in answers and answers[i.id] is None),
        "min_answered": share,
        "min_answered_text": f"{weight_text(100 * share)}%",
        "min_needed": _min_needed(share, result.total),
        "scored": result.scored,
        "mean": result.mean,
        "mean_text": number_text(result.mean, 2) if result.mean is not None else None,
        "percent": result.percent,
        "percent_text": percent_text(result.percent),
        "band": _band(result.band),
        "band_text": band_label or "not scored",
        "change": change,
        "change_text": change_words,
        "earlier_percent": earlier,
        "earlier_percent_text": percent_text(earlier) if comparing else None,
        "sum_wk": sum_wk,
        "sum_w": sum_w,
        "sum_w_text": weight_text(sum_w),
        "sum_terms": terms,
        "text_bar": text_bar(result.percent),
        "statements": [
            _statement(framework, i, response, strengths, priorities) for i in theme.indicators
        ],
        "has_keying": any(i.reverse or i.weight != 1 for i in theme.indicators),
        "reflection": {
            "question": clean_text(theme.reflection) if theme.reflection else None,
            "note": clean_text(response.notes[theme.id]) if theme.id in response.notes else None,
        },
    }


_OUTCOME_TEXT = {"done": "done", "partly": "partly done", "not yet": "not done yet"}


def _previous_pledge(response: Response) -> dict[str, Any] | None:
    """The earlier self-check's pledge and how the person says it went."""
    previous = response.previous_pledge
    if previous is None:
        return None
    return {
        "sentence": clean_text(previous.sentence()),
        "outcome": previous.outcome,
        "outcome_text": _OUTCOME_TEXT.get(previous.outcome or "", "not said"),
        "note": clean_text(previous.note) if previous.note else None,
    }


def person_context(
    framework: Framework,
    response: Response,
    score: ResponseScore,
    comparison: Mapping[str, float | None] | None = None,
    earlier_label: str | None = None,
    *,
    earlier_score: ResponseScore | None = None,
) -> dict[str, Any]:
    """Everything a person report shows, as plain data for the templates.

    `comparison` is `compare_scores(score, earlier)`; `earlier_label` says
    which earlier self-check it was (a date or a file name). With
    `earlier_score`, the earlier percents are taken from it (else they are
    derived from the changes, where both sides have a score).
    """
    comparing = comparison is not None
    changes = dict(comparison or {})
    earlier_percents: dict[str, float | None] = {}
    if earlier_score is not None:
        earlier_percents = {t.id: t.percent for t in earlier_score.themes}
    marked = ({i.id for i in score.strengths}, {i.id for i in score.priorities})
    themes = [
        _theme_context(
            framework,
            theme,
            result,
            response,
            marked,
            comparing=comparing,
            change=changes.get(theme.id),
            earlier=earlier_percents.get(theme.id),
            earlier_known=theme.id in earlier_percents,
        )
        for theme, result in zip(framework.themes, score.themes, strict=True)
    ]
    themes_with_notes = [
        t for t in themes if t["reflection"]["note"] or any(s["note"] for s in t["statements"])
    ]

    scored = [t for t in themes if t["scored"]]
    highest = max(scored, key=lambda t: t["percent"]) if len(scored) > 1 else None
    lowest = min(scored, key=lambda t: t["percent"]) if len(scored) > 1 else None
    if highest is not None and lowest is not None and highest["percent"] == lowest["percent"]:
        highest = lowest = None

    overall_band = clean_text(score.overall_band.label) if score.overall_band else None
    weighted = any(t.weight != 1 for t in framework.themes)
    overall_terms = " + ".join(
        (
            f"{weight_text(t['weight'])}×{number_text(t['percent'])}"
            if weighted
            else number_text(t["percent"])
        )
        for t in scored
    )
    overall_divisor = (
        weight_text(sum(t["weight"] for t in scored)) if weighted else str(len(scored))
    )

    labels = [t["title"] for t in themes]
    series: list[tuple[str, list[float | None]]] = [
        (CURRENT_SERIES, [t["percent"] for t in themes])
    ]
    radar_desc = (
        "Percent score for each theme: "
        + "; ".join(
            f"{t['title']} {t['percent_text']}" + (f" ({t['band_text']})" if t["scored"] else "")
            for t in themes
        )
        + "."
    )
    if comparing:
        series.append((EARLIER_SERIES, [t["earlier_percent"] for t in themes]))
        radar_desc += (
            " Earlier self-check: "
            + "; ".join(f"{t['title']} {percent_text(t['earlier_percent'])}" for t in themes)
            + "."
        )

    answered_total = sum(1 for v in response.answers.values() if v is not None)
    skipped_total = sum(1 for v in response.answers.values() if v is None)
    name = clean_text(response.respondent_name) if response.respondent_name else None
    rid = clean_text(response.respondent_id) if response.respondent_id else None
    priority_themes = [i.theme.id for i in score.priorities]
    return {
        "generator": f"lpc-assess {__version__}",
        "framework": {
            "id": framework.id,
            "title": clean_text(framework.title),
            "version": clean_text(framework.version),
            "description": clean_text(framework.description) if framework.description else None,
        },
        "respondent": {"id": rid, "name": name, "display": name or rid},
        "date": {
            "completed": date_text(response.completed),
            "started": date_text(response.started),
            "finished": response.completed is not None or response.submitted,
        },
        "counts": {
            "answered": answered_total,
            "skipped": skipped_total,
            "unanswered": len(framework.indicators) - answered_total - skipped_total,
            "total": len(framework.indicators),
        },
        "overall": {
            "percent": score.overall_percent,
            "percent_text": percent_text(score.overall_percent),
            "band": _band(score.overall_band),
            "band_text": overall_band or "not scored",
            "complete": score.complete,
            "scored_themes": len(scored),
            "total_themes": len(themes),
            "scored": [t["title"] for t in scored],
            "unscored": [t["title"] for t in themes if not t["scored"]],
            "terms": overall_terms,
            "divisor": overall_divisor,
            "weighted": weighted,
            "text_bar": text_bar(score.overall_percent),
            **_overall_change(score, earlier_score if comparing else None, comparing),
        },
        "highest": highest,
        "lowest": lowest,
        "themes": themes,
        "themes_with_notes": themes_with_notes,
        "strengths": [_item(framework, i, with_actions=False) for i in score.strengths],
        "priorities": [_item(framework, i, with_actions=True) for i in score.priorities],
        "pledge": clean_text(response.pledge.sentence()) if response.pledge else None,
        "previous_pledge": _previous_pledge(response),
        "resources": _resources(framework, priority_themes),
        "comparison": {"label": clean_text(earlier_label) if earlier_label else None}
        if comparing
        else None,
        "method": _method(framework),
        "facets": person_facets_context(framework, response.facets),
        "charts": {
            "radar": charts.radar_svg(
                labels, series, title="Your scores by theme", desc=radar_desc
            ),
        },
    }


def person_json(
    framework: Framework,
    response: Response,
    score: ResponseScore,
    comparison: Mapping[str, float | None] | None = None,
    earlier: str | None = None,
) -> dict[str, Any]:
    """The machine-readable result of one response, exactly docs/scoring.md (numbers unrounded)."""
    return {
        "framework": {"id": framework.id, "version": framework.version},
        "respondent": {"id": response.respondent_id, "name": response.respondent_name},
        "themes": [
            {
                "id": t.id,
                "title": t.title,
                "answered": t.answered,
                "total": t.total,
                "mean": t.mean,
                "percent": t.percent,
                "band": t.band.id if t.band else None,
            }
            for t in score.themes
        ],
        "overall": {
            "percent": score.overall_percent,
            "band": score.overall_band.id if score.overall_band else None,
            "complete": score.complete,
        },
        "strengths": [{"id": i.id, "value": i.value} for i in score.strengths],
        "priorities": [
            {"id": i.id, "value": i.value, "actions": list(i.indicator.actions)}
            for i in score.priorities
        ],
        "comparison": None
        if comparison is None
        else {"earlier": earlier, "themes": dict(comparison)},
        "facets": facets_json(framework, response.facets),
    }


def _overall_change(
    score: ResponseScore, earlier: ResponseScore | None, comparing: bool
) -> dict[str, str | None]:
    """The overall row's Earlier and Change cells: a change only between complete scores."""
    if not comparing:
        return {"earlier_percent_text": None, "change_text": None}
    if earlier is None:
        return {"earlier_percent_text": "", "change_text": ""}
    before = percent_text(earlier.overall_percent)
    if score.overall_percent is None:
        words = "no score now"
    elif earlier.overall_percent is None:
        words = "no earlier score"
    elif not (score.complete and earlier.complete):
        words = "not comparable: a theme is missing"
    else:
        words = change_text(score.overall_percent - earlier.overall_percent)
    return {"earlier_percent_text": before, "change_text": words}


def render_person(
    framework: Framework,
    response: Response,
    score: ResponseScore,
    fmt: str,
    *,
    comparison: Mapping[str, float | None] | None = None,
    earlier: str | None = None,
    earlier_score: ResponseScore | None = None,
    earlier_label: str | None = None,
    template_dir: Path | None = None,
) -> str:
    """One person's report as text: `md`, `html` (from templates) or `json`.

    `earlier` is the earlier answers file as the user named it (for JSON);
    `earlier_label` is how reports name it (defaults to `earlier`).
    """
    if fmt == "json":
        return json_text(person_json(framework, response, score, comparison, earlier))
    if fmt not in ("md", "html"):
        raise ValueError(f"unknown report format {fmt!r}")
    context = person_context(
        framework,
        response,
        score,
        comparison,
        earlier_label or earlier,
        earlier_score=earlier_score,
    )
    kind: Kind = "md" if fmt == "md" else "html"
    return render_template(kind, f"person.{fmt}.j2", context, template_dir)
