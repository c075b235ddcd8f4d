"""The instrument analysis report: flags in plain words, the JSON, and the template data.

`analysis_flags` turns a theme's figures (`scoring.instrument`) into flags, each
with a stable code and a sentence a framework author can act on
(docs/instrument-analysis.md lists them). `analysis_json` is `analyse --format
json`; `analysis_context` is what `reports/templates/analysis.*.j2` print.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lpc_assess.scoring.rounding import round_half_up

if TYPE_CHECKING:
    from lpc_assess.model.framework import Framework, Indicator, Theme
    from lpc_assess.scoring.instrument import IndicatorAnalysis, ThemeAnalysis

RELIABLE = 0.7  # raw alpha below this: the theme is flagged
RISE = 0.02  # alpha rising by this much or more without an indicator: the indicator is flagged
END_SHARE = 0.5  # this share of answers or more at one end of the scale: flagged
FEW = 30  # fewer responses than this: the figures are marked as unsteady
# A rise of exactly 0.02 must count whatever the binary rounding of the two alphas.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Flag:
    """One thing to look at: in a theme (`indicator` None) or at one of its indicators."""

    theme: str
    indicator: str | None
    code: str
    message: str

    def to_json(self) -> dict[str, str | None]:
        return {"indicator": self.indicator, "code": self.code, "message": self.message}


def figure(value: float | None, digits: int = 2) -> str:
    """A figure as the report shows it: rounded half up; "–" when there is none."""
    return "–" if value is None else str(round_half_up(value, digits))


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round_half_up(100 * share, 0)}%"


def message_parts(message: str) -> list[dict[str, Any]]:
    """A flag's message cut at its backticks: the parts between them are code (`reverse`)."""
    return [{"text": text, "code": n % 2 == 1} for n, text in enumerate(message.split("`")) if text]


def _md_message(message: str) -> Any:
    """A flag's message as Markdown: its text escaped, its `code` parts as code spans."""
    from lpc_assess.reports.templates import MdSafe, md_inline

    out = []
    for part in message_parts(message):
        text = part["text"]
        if part["code"]:
            out.append(f"`{text}`")
            continue
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() and text.strip() else ""
        out.append(lead + md_inline(text) + trail)
    return MdSafe("".join(out))


def analysis_flags(theme: Theme, analysis: ThemeAnalysis, framework: Framework) -> list[Flag]:
    """The flags of one theme: the theme's own first, then its indicators' in order."""
    flags: list[Flag] = []

    def flag(indicator: str | None, code: str, message: str) -> None:
        flags.append(Flag(theme.id, indicator, code, message))

    if analysis.not_computable is not None:
        flag(
            None,
            "not-computable",
            f"alpha and the other figures cannot be worked out: {analysis.not_computable}",
        )
    elif analysis.raw_alpha is not None and analysis.raw_alpha < RELIABLE:
        flag(
            None,
            "low-alpha",
            f"raw alpha is {figure(analysis.raw_alpha)}, below {RELIABLE}: the statements of "
            "this theme do not yet hang together well enough to add up to one dependable score",
        )
    for indicator, stats in zip(theme.indicators, analysis.indicators, strict=True):
        for code, message in _indicator_flags(indicator, stats, analysis, framework):
            flag(indicator.id, code, message)
    return flags


def _indicator_flags(
    indicator: Indicator, stats: IndicatorAnalysis, analysis: ThemeAnalysis, framework: Framework
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if stats.n == 0:
        return [("no-answers", "nobody answered this statement, so nothing can be said about it")]
    if stats.no_variance and analysis.not_computable is None:
        out.append(
            (
                "no-variance",
                "everyone who answered gave the same answer, so it tells people apart not "
                "at all; it is left out of the correlations (as psych does)",
            )
        )
    if stats.r_drop is not None and stats.r_drop < 0:
        marked = "it is marked" if indicator.reverse else "it is not marked"
        out.append(
            (
                "negative-r-drop",
                f"its answers run against the rest of the theme (r_drop "
                f"{figure(stats.r_drop)}): probably keyed the wrong way; check `reverse` "
                f"({marked} `reverse: true`)",
            )
        )
    dropped = stats.alpha_if_dropped
    if (
        dropped is not None
        and dropped.raw_alpha is not None
        and analysis.raw_alpha is not None
        and dropped.raw_alpha - analysis.raw_alpha >= RISE - _TOLERANCE
    ):
        out.append(
            (
                "alpha-if-dropped",
                f"without it the theme's raw alpha would rise from {figure(analysis.raw_alpha)} "
                f"to {figure(dropped.raw_alpha)}: it may be measuring something else; "
                "rewrite it, or consider leaving it out",
            )
        )
    scale = framework.scale
    for point, end in ((scale.min, "bottom"), (scale.max, "top")):
        share = stats.frequencies.get(point)
        if share is not None and share >= END_SHARE:
            out.append(
                (
                    "end-of-scale",
                    f"{percent(share)} of its answers are at the {end} of the scale "
                    f"({point}, “{framework.label(point)}”): it hardly tells people apart; "
                    "a more specific or demanding wording would spread the answers",
                )
            )
    return out


# --- JSON ----------------------------------------------------------------------------------


def analysis_json(
    framework: Framework,
    analyses: list[ThemeAnalysis],
    flags: list[list[Flag]],
    *,
    responses: int,
    rejected: int,
    ratings_of_others: int,
) -> dict[str, Any]:
    """`analyse --format json` (docs/instrument-analysis.md, "JSON")."""
    themes = []
    for theme, analysis, theme_flags in zip(framework.themes, analyses, flags, strict=True):
        entry: dict[str, Any] = {"id": theme.id}
        entry.update(analysis.to_json())
        del entry["not_computable"]  # said by the theme's `not-computable` flag
        entry["indicators"] = [
            {"id": indicator.id, **stats.to_json()}
            for indicator, stats in zip(theme.indicators, analysis.indicators, strict=True)
        ]
        entry["flags"] = [f.to_json() for f in theme_flags]
        themes.append(entry)
    return {
        "framework": {"id": framework.id, "title": framework.title, "version": framework.version},
        "responses": responses,
        "rejected": rejected,
        "ratings_of_others": ratings_of_others,
        "themes": themes,
    }


# --- the report ----------------------------------------------------------------------------


def analysis_context(
    framework: Framework,
    analyses: list[ThemeAnalysis],
    flags: list[list[Flag]],
    *,
    responses: int,
    rejected: int,
    ratings_of_others: int,
) -> dict[str, Any]:
    """What the analysis templates print: plain strings and numbers only."""
    import datetime as dt

    from lpc_assess.reports.templates import date_text

    scale = framework.scale
    points = list(range(scale.min, scale.max + 1))
    titles = {theme.id: theme.title for theme in framework.themes}
    statements = {i.id: i.statement for i in framework.indicators}
    all_flags = [
        {
            "theme": titles[f.theme],
            "theme_id": f.theme,
            "indicator": f.indicator,
            "statement": statements.get(f.indicator or "", ""),
            "code": f.code,
            "message": f.message,
            "parts": message_parts(f.message),
            "md": _md_message(f.message),
        }
        for theme_flags in flags
        for f in theme_flags
    ]
    themes = [
        _theme_context(theme, analysis, theme_flags, points)
        for theme, analysis, theme_flags in zip(framework.themes, analyses, flags, strict=True)
    ]
    return {
        "framework": {"id": framework.id, "title": framework.title, "version": framework.version},
        "date": date_text(dt.date.today()),
        "responses": responses,
        "rejected": rejected,
        "ratings_of_others": ratings_of_others,
        "flags": all_flags,
        "themes": themes,
        "scale": [{"value": p, "label": framework.label(p)} for p in points],
        "limits": {"reliable": RELIABLE, "rise": RISE, "end": percent(END_SHARE), "few": FEW},
    }


def _theme_context(
    theme: Theme, analysis: ThemeAnalysis, flags: list[Flag], points: list[int]
) -> dict[str, Any]:
    flagged: dict[str | None, list[str]] = {}
    for f in flags:
        flagged.setdefault(f.indicator, []).append(f.code)
    return {
        "id": theme.id,
        "title": theme.title,
        "n": analysis.n,
        "few": analysis.n < FEW,
        "not_computable": analysis.not_computable,
        "alpha_text": figure(analysis.raw_alpha),
        "figures": [
            {"name": name, "text": figure(value, 3 if name == "ase" else 2)}
            for name, value in (
                ("raw_alpha", analysis.raw_alpha),
                ("std_alpha", analysis.std_alpha),
                ("G6(smc)", analysis.g6),
                ("average_r", analysis.average_r),
                ("S/N", analysis.s_n),
                ("ase", analysis.ase),
                ("mean", analysis.mean),
                ("sd", analysis.sd),
                ("median_r", analysis.median_r),
            )
        ],
        "flags": [message_parts(f.message) for f in flags if f.indicator is None],
        "flags_md": [_md_message(f.message) for f in flags if f.indicator is None],
        "indicators": [
            _indicator_context(indicator, stats, flagged.get(indicator.id, []), points)
            for indicator, stats in zip(theme.indicators, analysis.indicators, strict=True)
        ],
    }


def _indicator_context(
    indicator: Indicator, stats: IndicatorAnalysis, codes: list[str], points: list[int]
) -> dict[str, Any]:
    dropped = stats.alpha_if_dropped
    return {
        "id": indicator.id,
        "statement": indicator.statement,
        "reverse": indicator.reverse,
        "n": stats.n,
        "mean": figure(stats.mean),
        "sd": figure(stats.sd),
        "raw_r": figure(stats.raw_r),
        "std_r": figure(stats.std_r),
        "r_cor": figure(stats.r_cor),
        "r_drop": figure(stats.r_drop),
        "alpha_if_dropped": figure(dropped.raw_alpha if dropped else None),
        "dropped": [
            figure(value)
            for value in (
                (dropped.raw_alpha, dropped.std_alpha, dropped.g6, dropped.average_r, dropped.s_n)
                if dropped is not None
                else (None,) * 5
            )
        ],
        "shares": [percent(stats.frequencies.get(p)) for p in points],
        "bottom": percent(stats.frequencies.get(points[0])),
        "top": percent(stats.frequencies.get(points[-1])),
        "missing": percent(stats.missing),
        "codes": codes,
        "verdict": _verdict(codes),
    }


def _verdict(codes: list[str]) -> str:
    """One short phrase for the plain table's last column."""
    words = {
        "negative-r-drop": "runs against the theme",
        "alpha-if-dropped": "theme better without it",
        "end-of-scale": "answers bunch at one end",
        "no-variance": "everyone answered alike",
        "no-answers": "not answered",
    }
    said = [words[c] for c in dict.fromkeys(codes) if c in words]
    return "; ".join(said) if said else "no flag"
