"""The `progress` report and JSON: a cohort before and after a programme, from its figures.

`ProgressFigures` is what `commands.progress` found (counts, one
`scoring.progress.Comparison` per theme and overall, the problems);
`progress_json` is its JSON (docs/programme-evaluation.md lists the keys);
`progress_context` is the plain data of the Markdown and HTML templates
(`progress.md.j2`, `progress.html.j2`): every figure as text, a sentence in
plain words per measure, a dumbbell chart (`reports.progress_charts`), and the
caveats an evaluator needs. No name, e-mail or id of anyone is in either.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework
    from lpc_assess.pipeline.cohort import SideCounts
    from lpc_assess.scoring.progress import Comparison

KEY_WORDS = {"id": "id", "email": "e-mail address", "name": "name"}


@dataclass(frozen=True)
class FacetFigures:
    """One theme's facets: (id, label) of each, and its comparison, in the facets' order."""

    theme_id: str
    theme_title: str
    facets: list[tuple[str, str]]
    comparisons: list[Comparison]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.theme_id,
            "facets": [
                {**c.to_json(), "id": facet_id}
                for (facet_id, _), c in zip(self.facets, self.comparisons, strict=True)
            ],
        }


@dataclass
class ProgressFigures:
    """Everything the report and the JSON say (built by commands.progress)."""

    framework: Framework
    match: str
    before: SideCounts
    after: SideCounts
    matched: int
    only_before: int
    only_after: int
    themes: list[Comparison]
    overall: Comparison
    facets: list[FacetFigures] | None = None  # None: the framework has no facets
    errors: list[dict[str, object]] = field(default_factory=list)
    errors_omitted: int = 0


def progress_json(figures: ProgressFigures) -> dict[str, Any]:
    """The JSON document of `progress --format json`; numbers unrounded."""
    data: dict[str, Any] = {
        "framework": {"id": figures.framework.id, "version": figures.framework.version},
        "match": figures.match,
        "before": {"responses": figures.before.responses, "rejected": figures.before.rejected},
        "after": {"responses": figures.after.responses, "rejected": figures.after.rejected},
        "matched": figures.matched,
        "only_before": figures.only_before,
        "only_after": figures.only_after,
        "themes": [c.to_json() for c in figures.themes],
        "overall": figures.overall.to_json(),
        "facets": None
        if figures.facets is None
        else {"themes": [f.to_json() for f in figures.facets]},
        "errors": list(figures.errors),
    }
    if figures.errors_omitted:
        data["errors_omitted"] = figures.errors_omitted
    return data


def render_progress(figures: ProgressFigures, fmt: str) -> str:
    """The report as text: `json`, `md` or `html` (PDF is made from the HTML)."""
    if fmt == "json":
        return (
            json.dumps(progress_json(figures), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        )
    from lpc_assess.reports.templates import render_template

    kind: Literal["html", "md"] = "html" if fmt == "html" else "md"
    return render_template(kind, f"progress.{kind}.j2", progress_context(figures, kind))


# --- the report's data ---------------------------------------------------------------------


def _num(value: float | None, digits: int = 1) -> str:
    from lpc_assess.reports.templates import number_text

    return number_text(value, digits)


def _pct(value: float | None) -> str:
    from lpc_assess.reports.templates import percent_text

    return percent_text(value)


def _signed(value: float) -> str:
    from lpc_assess.reports.templates import change_text

    return change_text(value)


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def change_sentence(c: Comparison, title: str) -> str:
    """The paired result in plain words, with its interval."""
    m = c.matched
    if m.n == 0 or m.change is None:
        return (
            f"No one had a score for {title} both times, so there is no change to report "
            "for the same people."
        )
    size = _num(abs(m.change))
    if size == "0.0":
        how = f"scored on average the same on {title} as before"
    else:
        how = f"scored on average {size} points {'higher' if m.change > 0 else 'lower'} on {title}"
    who = (
        "The one person who answered both times"
        if m.n == 1
        else f"The {m.n} people who answered both times"
    )
    if m.n == 1:
        how = how.replace("on average ", "")
    sentence = f"{who} {how}"
    if m.ci is not None:
        return f"{sentence}; 95% CI {_num(m.ci[0])} to {_num(m.ci[1])}."
    if m.n == 1:
        return f"{sentence}. One person is too few for a confidence interval."
    return (
        f"{sentence}. Everyone changed by exactly the same amount, so there is no spread "
        "from which to work out a confidence interval."
    )


def interval_sentence(c: Comparison) -> str:
    """What the interval says, and what it cannot."""
    ci = c.matched.ci
    if ci is None:
        return ""
    if ci[0] > 0:
        return (
            "The whole interval is above zero: a rise this large would be unlikely from "
            "chance alone. It does not show that the programme caused it (see the caveats)."
        )
    if ci[1] < 0:
        return (
            "The whole interval is below zero: a fall this large would be unlikely from "
            "chance alone. It does not show that the programme caused it (see the caveats)."
        )
    return (
        "The interval includes zero: these figures are consistent with no change at all, "
        "as well as with a change either way."
    )


def spread_sentence(c: Comparison) -> str:
    m = c.matched
    if m.n == 0:
        return ""
    return (
        f"{m.improved} improved by more than 5 points, {m.same} stayed within 5 points "
        f"and {m.declined} declined by more than 5 points."
    )


def cohort_sentence(c: Comparison) -> str:
    if c.g is not None:
        return (
            f"Comparing everyone who answered before ({c.before_n}) with everyone who "
            f"answered after ({c.after_n}), matched or not: Hedges' g {_num(c.g, 2)}."
        )
    if c.before_n < 2 or c.after_n < 2:
        return "Too few people on one side for Hedges' g (it needs 2 or more on each)."
    return "Everyone scored the same on both sides, so there is no spread for Hedges' g."


def _measure(
    c: Comparison, title: str, anchor: str, kind: str, heading: str | None = None
) -> dict[str, Any]:
    """One measure's figures as text, its sentences, and (HTML) its chart.

    `title` names it inside a sentence ("higher on Being"); `heading` above it.
    """
    m = c.matched
    data: dict[str, Any] = {
        "id": c.id,
        "title": title,
        "heading": heading or title,
        "anchor": anchor,
        "before_n": c.before_n,
        "before_mean_text": _pct(c.before_mean),
        "after_n": c.after_n,
        "after_mean_text": _pct(c.after_mean),
        "n": m.n,
        "before_text": _pct(m.before),
        "after_text": _pct(m.after),
        "change_text": "" if m.change is None else _signed(m.change),
        "sd_text": _num(m.sd) or "none",
        "ci_text": "none" if m.ci is None else f"{_num(m.ci[0])} to {_num(m.ci[1])}",
        "dz_text": _num(m.dz, 2) or "none",
        "g_text": _num(c.g, 2) or "none",
        "improved": m.improved,
        "same": m.same,
        "declined": m.declined,
        "sentence": change_sentence(c, title),
        "interval": interval_sentence(c),
        "spread": spread_sentence(c),
        "cohort": cohort_sentence(c),
        "percent_before": m.before,
        "percent_after": m.after,
    }
    if kind == "html":
        data["chart"] = _chart(c, heading or title)
    return data


def _facet_row(c: Comparison, label: str) -> dict[str, Any]:
    """One theme x facet row of the facets table: the paired figures and Hedges' g."""
    m = c.matched
    return {
        "label": label,
        "n": m.n,
        "before_text": _pct(m.before),
        "after_text": _pct(m.after),
        "change_text": "none" if m.change is None else _signed(m.change),
        "ci_text": "none" if m.ci is None else f"{_num(m.ci[0])} to {_num(m.ci[1])}",
        "dz_text": _num(m.dz, 2) or "none",
        "improved": m.improved,
        "same": m.same,
        "declined": m.declined,
        "g_text": _num(c.g, 2) or "none",
    }


def _chart(c: Comparison, title: str) -> Any:
    from lpc_assess.reports.progress_charts import DumbbellRow, dumbbell_svg

    m = c.matched
    interval = None
    if m.ci is not None and m.before is not None:
        interval = (m.before + m.ci[0], m.before + m.ci[1])
    rows = [
        DumbbellRow(f"Answered both times ({_people(m.n)})", m.before, m.after, interval),
        DumbbellRow(
            f"Everyone ({c.before_n} before, {c.after_n} after)", c.before_mean, c.after_mean
        ),
    ]
    desc = (
        f"People who answered both times ({m.n}): before {_pct(m.before)}, after "
        f"{_pct(m.after)}"
        + (
            f", 95% interval of the change {_num(m.ci[0])} to {_num(m.ci[1])} points"
            if m.ci
            else ""
        )
        + f". Everyone: before {_pct(c.before_mean)} ({c.before_n} people), after "
        f"{_pct(c.after_mean)} ({c.after_n} people). The table beside it gives every figure."
    )
    return dumbbell_svg(rows, title=f"{title}: before and after", desc=desc)


def caveats(figures: ProgressFigures) -> list[dict[str, str]]:
    """What an evaluator must say alongside the figures."""
    unmatched = (
        f"{_people(figures.only_before)} answered only before and "
        f"{_people(figures.only_after)} only after. They count in the means of everyone "
        "on their side, but not in the change, which is only about the "
        f"{_people(figures.matched)} matched by {KEY_WORDS[figures.match]}. If the people "
        "who did not answer again differ from those who did (less engaged, or moved on), "
        "the change for the matched group may not hold for everyone who started."
    )
    rejected = figures.before.rejected + figures.after.rejected
    if rejected:
        unmatched += (
            f" {rejected} input{'s were' if rejected != 1 else ' was'} rejected and "
            f"{'are' if rejected != 1 else 'is'} in neither."
        )
    return [
        {
            "title": "Self-report",
            "text": "These are people's ratings of themselves, not observations of what they "
            "do. They show how people see their own practice, which matters, but it is not "
            "the same as what colleagues or the people they support would report.",
        },
        {
            "title": "Response shift",
            "text": "A programme can move the yardstick. People who learn what good "
            "practice looks like often judge themselves more strictly afterwards, so real "
            "growth can show as no change or even a fall; new confidence can do the "
            "opposite. Asking people at the end how they would now rate their starting "
            "point (a 'then' rating) is one way to see it.",
        },
        {
            "title": "No comparison group",
            "text": "Nobody who missed the programme answered, so the change cannot be put "
            "down to it. Time, other training, changes at work and regression to the mean "
            "(people who scored low the first time tend to score higher the next, whatever "
            "happens) all move scores too.",
        },
        {"title": "People not matched", "text": unmatched},
        {
            "title": "What the interval covers",
            "text": "The 95% confidence interval shows how far the mean change could be "
            "from the true one through chance in who answered. It says nothing about the "
            "biases above, and it is wide when few people are matched.",
        },
    ]


def counts_sentence(figures: ProgressFigures) -> str:
    """Who was compared: matched, on one side only, rejected, 360 ratings left out."""
    text = (
        f"Scores are percents of the scale. People were matched by "
        f"{KEY_WORDS[figures.match]}: {figures.matched} answered both times, "
        f"{figures.only_before} only before and {figures.only_after} only after."
    )
    rejected = figures.before.rejected + figures.after.rejected
    if rejected:
        text += f" {rejected} input{'s were' if rejected != 1 else ' was'} rejected."
    others = figures.before.others + figures.after.others
    if others:
        text += (
            f" Left out: {others} rating{'s' if others != 1 else ''} of someone else from "
            "a 360 round, as this compares people's own self-checks."
        )
    return text


def problems_sentence(figures: ProgressFigures) -> str:
    problems = len(figures.errors) + figures.errors_omitted
    if not problems:
        return ""
    return (
        f"{problems} problem{'s were' if problems != 1 else ' was'} found in the inputs "
        "(listed when the report was made, and in the JSON output)."
    )


def progress_context(figures: ProgressFigures, kind: str = "html") -> dict[str, Any]:
    """The plain data of the progress report templates (no names, ids or e-mails)."""
    from lpc_assess.reports.templates import date_text

    framework = figures.framework
    measures = [
        _measure(c, t.title, f"theme-{t.id}", kind)
        for c, t in zip(figures.themes, framework.themes, strict=True)
    ]
    overall = _measure(figures.overall, "the overall score", "overall", kind, "Overall")
    facets = None
    if figures.facets is not None:
        facets = {
            "labels": [label for _, label in figures.facets[0].facets] if figures.facets else [],
            "themes": [
                {
                    "title": f.theme_title,
                    "rows": [
                        _facet_row(c, label)
                        for (_, label), c in zip(f.facets, f.comparisons, strict=True)
                    ],
                }
                for f in figures.facets
            ],
        }
    return {
        "framework": {"id": framework.id, "title": framework.title, "version": framework.version},
        "date": date_text(dt.date.today()),
        "match": KEY_WORDS[figures.match],
        "before": figures.before,
        "after": figures.after,
        "matched": figures.matched,
        "only_before": figures.only_before,
        "only_after": figures.only_after,
        "themes": measures,
        "overall": overall,
        "facets": facets,
        "caveats": caveats(figures),
        "counts": counts_sentence(figures),
        "problems": problems_sentence(figures),
    }
