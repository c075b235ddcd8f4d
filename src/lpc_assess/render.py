"""Turning one person's scores into a report: template environments, context, JSON.

`person_context` hands the templates plain data (strings, numbers, lists,
dicts, and SVG charts as `Markup`); `person_json` is the machine-readable
result of PRODUCT.md §5; `render_person` writes either. Input text only ever
reaches a template as data, never as template source, and every template
runs in Jinja2's sandbox with `StrictUndefined`.

Escaping: HTML templates are autoescaped. Markdown has no autoescape of its
own, so the Markdown environment's `finalize` escapes every value a template
prints, unless a filter has already made it safe (`MdSafe`): forgetting a
filter cannot leak markup into the report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from lpc_assess import __version__, charts
from lpc_assess.answers import Response
from lpc_assess.charts import round_half_up
from lpc_assess.framework import Band, Framework, Indicator, Resource, Theme
from lpc_assess.scoring import ItemScore, ResponseScore, ThemeScore, keyed_value
from lpc_assess.threesixty import SubjectFeedback

Kind = Literal["html", "md"]
FORMATS = ("md", "html", "json")
CURRENT_SERIES = "This self-check"
EARLIER_SERIES = "Earlier self-check"


def templates_dir() -> Path:
    """The built-in templates: inside the installed package, or at the top of a checkout."""
    packaged = Path(__file__).parent / "_data" / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "reports" / "templates"


# --- numbers as text -----------------------------------------------------------------------


def number_text(value: float | None, digits: int = 1) -> str:
    """A number for people: rounded half up to `digits` decimals; "" for None."""
    return "" if value is None else str(round_half_up(value, digits))


def percent_text(value: float | None) -> str:
    """`70.8%`, or `no score`."""
    return "no score" if value is None else f"{number_text(value)}%"


def change_text(value: float) -> str:
    """A change in percentage points with its sign: `+12.5`, `-4.2`, `0.0`."""
    text = number_text(value)
    return text if text.startswith("-") or text == "0.0" else f"+{text}"


def join_and(items: Sequence[object]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    words = [str(i) for i in items]
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def weight_text(value: float) -> str:
    return f"{value:g}"


def text_bar(percent: float | None, width: int = 20, *, ascii: bool = False) -> str:
    """A bar of `width` characters for a percent: `████████░░░░` (or `####....` in ASCII).

    None gives a bar of spaces-like dots so that columns still line up.
    """
    full_char, empty_char = ("#", ".") if ascii else ("█", "░")
    if percent is None:
        return ("-" if ascii else "·") * width
    filled = int(round_half_up(width * min(max(percent, 0.0), 100.0) / 100, 0))
    return full_char * filled + empty_char * (width - filled)


def date_text(value: dt.datetime | dt.date | None) -> str | None:
    """`22 November 2026`."""
    if value is None:
        return None
    return f"{value.day} {value:%B %Y}"


# --- Markdown escaping ---------------------------------------------------------------------


class MdSafe(str):
    """Text already fit for Markdown: the Markdown environment prints it as it is."""

    __slots__ = ()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What starts a block only when it begins a line and is followed by a space
# (CommonMark): an ordered-list marker, a bullet, a heading; and setext or
# thematic-break lines made only of `-` or `=`.
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BLOCK_START = re.compile(r"^(?:[-+](?=\s|$)|#{1,6}(?=\s|$)|[-=][-=\s]*$)")


def clean_text(text: str) -> str:
    """Input text without control characters (a terminal escape in a note stays inert)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


def _md_line(line: str) -> str:
    line = _MD_SPECIAL.sub(r"\\\1", line.strip())
    line = _ENTITY.sub(r"\\&", line)
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered.group(1)}\\{line[ordered.end(1) :]}"
    if _BLOCK_START.match(line):
        return "\\" + line
    return line


def md_inline(value: object) -> MdSafe:
    """Escape text for one line of Markdown (a table cell, a heading, a list item).

    Newlines become spaces; `|`, backticks, `*`, `_`, brackets, `<`, `>`, `~`
    and backslashes are escaped, and so is anything that would start a block
    (`#`, `>`, `-`, `+`, `=`, `1.`).
    """
    if isinstance(value, MdSafe):
        return value
    text = " ".join(clean_text("" if value is None else str(value)).split())
    return MdSafe(_md_line(text))


def md_block(value: object, indent: str = "") -> MdSafe:
    """Escape text that may hold several lines; lines are joined by Markdown hard breaks.

    Blank lines are dropped so the text stays one paragraph (and one list
    item or quote); `indent` is put before each continuation line, e.g. `> `.
    """
    if isinstance(value, MdSafe):
        return value
    lines = [line for line in clean_text("" if value is None else str(value)).split("\n")]
    kept = [_md_line(line) for line in lines if line.strip()]
    return MdSafe(("  \n" + indent).join(kept))


def md_url(value: object) -> MdSafe:
    """A URL for a Markdown link destination: characters that could end it are %-encoded."""
    return MdSafe(quote(clean_text(str(value)).strip(), safe=":/?#@!$&'*+,;=%-._~"))


def _md_finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return md_inline(value)


def _safe_number(func: Any) -> Any:
    """Wrap a number-formatting filter so its output (no input text) is printed as is."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> MdSafe:
        return MdSafe(func(*args, **kwargs))

    return wrapper


# --- environments --------------------------------------------------------------------------


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs; a cache that cannot be used is skipped.

    Compiling the report templates is a good part of a `report` run. Jinja2's
    default folder is private to the user (created 0700, owner checked), and a
    cached entry is keyed by the template's source, so an edited or overriding
    template is never served stale.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _QuietBytecodeCache()
    except (OSError, RuntimeError):
        return None


@functools.lru_cache(maxsize=16)
def _environment(kind: Kind, template_dir: str | None) -> SandboxedEnvironment:
    search = [template_dir] if template_dir else []
    search.append(str(templates_dir()))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=kind == "html",
        finalize=_md_finalize if kind == "md" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        md=md_block,
        md_cell=md_inline,
        md_url=md_url,
        pct=_safe_number(percent_text),
        num=_safe_number(number_text),
        change=_safe_number(change_text),
        text_bar=_safe_number(text_bar),
        join_and=join_and,
    )
    env.globals["generator"] = f"lpc-assess {__version__}"
    return env


def template_environment(kind: Kind, template_dir: Path | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment for `html` or `md` templates.

    Templates are looked up in `template_dir` first (overriding built-in
    templates by file name), then among the built-in templates.
    """
    if kind not in ("html", "md"):
        raise ValueError(f"unknown template kind {kind!r}")
    return _environment(kind, str(template_dir) if template_dir else None)


def render_template(
    kind: Kind, name: str, context: Mapping[str, Any], template_dir: Path | None = None
) -> str:
    """Render template `name` (e.g. `person.html.j2`) with `context`.

    Raises jinja2.TemplateError for a broken or missing template.
    """
    return template_environment(kind, template_dir).get_template(name).render(dict(context))


# --- the person report ---------------------------------------------------------------------


def _band(band: Band | None) -> dict[str, Any] | None:
    return None if band is None else {"id": band.id, "label": band.label, "from": band.from_}


def _min_needed(share: float, total: int) -> int:
    """The fewest answered indicators that give a theme score (same test as scoring)."""
    return next((a for a in range(1, total + 1) if a / total >= share), total)


def _answer_text(framework: Framework, indicator: Indicator, answer: int) -> str:
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
        text = _answer_text(framework, indicator, answer)
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
        "answer_text": _answer_text(framework, item.indicator, item.answer),
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
    bar_desc = f"{title}: {percent_text(result.percent)}"
    if band_label:
        bar_desc += f", {band_label}"
    if comparing and earlier is not None:
        bar_desc += f"; {EARLIER_SERIES.lower()} {percent_text(earlier)}"
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
        "bar": charts.bar_svg(
            result.percent,
            title=f"{title}: {percent_text(result.percent)}",
            desc=bar_desc + ".",
            marks=[b.from_ for b in framework.bands],
            earlier=earlier if comparing else None,
            earlier_label="earlier",
        ),
        "statements": [
            _statement(framework, i, response, strengths, priorities) for i in theme.indicators
        ],
        "has_keying": any(i.reverse or i.weight != 1 for i in theme.indicators),
        "reflection": {
            "question": clean_text(theme.reflection) if theme.reflection else None,
            "note": clean_text(response.notes[theme.id]) if theme.id in response.notes else None,
        },
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
            "finished": response.completed is not None,
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
        },
        "highest": highest,
        "lowest": lowest,
        "themes": themes,
        "themes_with_notes": themes_with_notes,
        "strengths": [_item(framework, i, with_actions=False) for i in score.strengths],
        "priorities": [_item(framework, i, with_actions=True) for i in score.priorities],
        "pledge": clean_text(response.pledge) if response.pledge else None,
        "resources": _resources(framework, priority_themes),
        "comparison": {"label": clean_text(earlier_label) if earlier_label else None}
        if comparing
        else None,
        "method": _method(framework),
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
    """The machine-readable result of one response, exactly PRODUCT.md §5 (numbers unrounded)."""
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
    }


def json_text(data: Any) -> str:
    """JSON text that is also safe to embed in HTML: `<`, `>`, `&` and line separators escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text + "\n"


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


# --- the 360 report of one subject ------------------------------------------------------------

GROUP_LABELS = {
    "manager": "Manager",
    "peer": "Peers",
    "direct-report": "Direct reports",
    "other": "Other raters",
}
SELF_LABEL = "You"
OTHERS_LABEL = "All others"


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
        raw = framework.scale.min + framework.scale.max - keyed if indicator.reverse else keyed
        return _answer_text(framework, indicator, raw)
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
