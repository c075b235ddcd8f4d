"""The polars equivalent of `lpc-assess batch EXPORT --summary S.json --scores S.csv`.

Used by bench/run.py only (polars is the `bench` extra, never a dependency).
It does the same work as bench/pandas_batch.py, written the way someone who
knows polars would write it, with polars' own multi-threaded engine doing the
work:

* `read_csv` of the id, name and statement columns, every cell as text (a
  blank cell is null, and null is unanswered);
* every distinct cell text of the statement columns mapped once (any case,
  numbers, `4 - Often`, blanks and the skip label), then each column mapped
  with `replace_strict`; a row with a cell that is not an answer is rejected
  and listed;
* keyed values, then per theme the weighted mean of the answered ones, the
  `min_answered` rule, percent and band; the overall percent and band;
* the scores file (`id, name, <theme>_percent, <theme>_band, ...,
  overall_percent, overall_band`, formula-like ids and names neutralised);
* the summary: per theme n, mean, sd, median, min, max, mean percent, band
  counts and listwise Cronbach's alpha; per statement answered count, mean
  keyed value and the count of each scale point. Every figure of the summary
  is one expression of a single `select`, which polars runs in parallel.

usage: python bench/polars_batch.py EXPORT FRAMEWORK.json SUMMARY.json SCORES.csv
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import polars as pl

MISSING = {"", "na", "n/a", "-", "skip"}
NUMBER_LABEL = re.compile(r"^([+-]?\d+)\s*(?:[-\u2013\u2014.:)=]\s*|\s+)(.+)$")
BAD = -math.inf  # the value of a cell that is not an answer
FORMULA = r"^[=+\-@\t\r]"
NUMBER = r"^[+-]?[\d.]+(?:[eE][+-]?\d+)?$"


def cell_value(text: str, lookup: dict[str, int], missing: set[str]) -> float | None:
    """Value of one distinct cell text: the scale point, None if unanswered, -inf if bad."""
    norm = " ".join(text.split()).casefold()
    if norm in lookup:
        return float(lookup[norm])
    if norm in missing:
        return None
    both = NUMBER_LABEL.match(norm)
    if both and lookup.get(both.group(2).rstrip(" .")) == int(both.group(1)):
        return float(both.group(1))
    return BAD


def neutralised(column: str) -> pl.Expr:
    """A text column with formula-like cells (not plain numbers) prefixed by a quote."""
    text = pl.col(column).fill_null("")
    formula = text.str.contains(FORMULA) & ~text.str.contains(NUMBER)
    return pl.when(formula).then(pl.lit("'") + text).otherwise(text).alias(column)


def main(export: str, framework_file: str, summary_file: str, scores_file: str) -> int:
    framework = json.loads(Path(framework_file).read_text(encoding="utf-8"))
    scale = framework["scale"]
    low, high = scale["min"], scale["max"]
    lookup = {" ".join(label.split()).casefold(): int(v) for v, label in scale["labels"].items()}
    lookup.update({str(v): v for v in range(low, high + 1)})
    missing = MISSING | (
        {" ".join(scale["skip"].split()).casefold()} if scale.get("skip") else set()
    )
    themes = framework["themes"]
    indicators = [i for t in themes for i in t["indicators"]]
    statements = [i["statement"] for i in indicators]
    ids = [i["id"] for i in indicators]

    frame = pl.read_csv(
        export,
        columns=["ID", "Name", *statements],
        infer_schema=False,  # every column as text; a blank cell is null
    )
    # Each distinct text once, over all the statement columns (found column by column,
    # in parallel).
    distinct = frame.select(pl.col(statements).unique().implode()).row(0)
    texts = {text for column in distinct for text in column if text is not None}
    mapping = {text: cell_value(text, lookup, missing) for text in texts}
    values = frame.select(
        "ID",
        "Name",
        *(
            pl.col(s).replace_strict(mapping, return_dtype=pl.Float64).alias(i)
            for s, i in zip(statements, ids, strict=True)
        ),
    )
    bad = values.select(pl.any_horizontal((pl.col(ids) == BAD).fill_null(False))).to_series()
    errors = []
    if bad.any():
        numbered = frame.with_row_index("at")
        for statement, key in zip(statements, ids, strict=True):
            wrong = numbered.filter(values[key] == BAD).head(1000)
            for at, text in zip(wrong["at"], wrong[statement], strict=True):
                errors.append(
                    {"row": at + 2, "column": statement, "message": f"{text!r} is not an answer"}
                )
        values = values.filter(~bad)

    reverse = {i["id"] for i in indicators if i["reverse"]}
    # Raw values (for the counts of each scale point) and keyed ones (for everything else).
    keyed = {i: (low + high - pl.col(i)) if i in reverse else pl.col(i) for i in ids}
    default_share = framework["scoring"]["min_answered"]
    bands = framework["bands"]

    def band_of(percent: pl.Expr) -> pl.Expr:
        """The band whose `from` is the highest at or below the percent; null if unscored."""
        rounded = percent.round(9)
        band: Any = pl
        for b in reversed(bands):
            band = band.when(rounded >= b["from"]).then(pl.lit(b["id"]))
        return band.otherwise(pl.lit(None, dtype=pl.String))

    percents: dict[str, pl.Expr] = {}
    means: dict[str, pl.Expr] = {}
    start = 0
    for theme in themes:
        items = ids[start : start + len(theme["indicators"])]
        k = len(items)
        weights = [float(i["weight"]) for i in theme["indicators"]]
        count = pl.sum_horizontal(pl.col(i).is_not_null() for i in items)
        total = pl.sum_horizontal(keyed[i] * w for i, w in zip(items, weights, strict=True))
        weight = pl.sum_horizontal(
            pl.col(i).is_not_null() * w for i, w in zip(items, weights, strict=True)
        )
        share = theme.get("min_answered") or default_share
        means[theme["id"]] = pl.when((count > 0) & (count / k >= share)).then(total / weight)
        percents[theme["id"]] = 100 * (pl.col(f"{theme['id']}_mean") - low) / (high - low)
        start += k

    scored = (
        values.lazy()
        .with_columns(keyed[i].alias(f"{i}_keyed") for i in ids)
        .with_columns(mean.alias(f"{t}_mean") for t, mean in means.items())
        .with_columns(percent.alias(f"{t}_percent") for t, percent in percents.items())
        .with_columns(band_of(pl.col(f"{t}_percent")).alias(f"{t}_band") for t in means)
    )
    theme_weights = [float(t["weight"]) for t in themes]
    overall_total = pl.sum_horizontal(
        pl.col(f"{t['id']}_percent") * w for t, w in zip(themes, theme_weights, strict=True)
    )
    overall_weight = pl.sum_horizontal(
        pl.col(f"{t['id']}_percent").is_not_null() * w
        for t, w in zip(themes, theme_weights, strict=True)
    )
    scored = scored.with_columns(
        pl.when(overall_weight > 0).then(overall_total / overall_weight).alias("overall_percent")
    ).with_columns(band_of(pl.col("overall_percent")).alias("overall_band"))
    scored_frame = scored.collect()

    score_columns = [c for t in themes for c in (f"{t['id']}_percent", f"{t['id']}_band")]
    scored_frame.select(
        neutralised("ID").alias("id"),
        neutralised("Name").alias("name"),
        *score_columns,
        "overall_percent",
        "overall_band",
    ).write_csv(scores_file)

    # The whole summary as one select of aggregates.
    aggregates: list[pl.Expr] = []
    start = 0
    for theme in themes:
        t = theme["id"]
        items = [f"{i}_keyed" for i in ids[start : start + len(theme["indicators"])]]
        start += len(items)
        mean = pl.col(f"{t}_mean")
        complete = pl.all_horizontal(pl.col(i).is_not_null() for i in items)
        aggregates += [
            mean.count().alias(f"{t}:n"),
            mean.mean().alias(f"{t}:mean"),
            mean.std(ddof=1).alias(f"{t}:sd"),
            mean.median().alias(f"{t}:median"),
            mean.min().alias(f"{t}:min"),
            mean.max().alias(f"{t}:max"),
            pl.col(f"{t}_percent").mean().alias(f"{t}:percent"),
            pl.col(f"{t}_band").drop_nulls().value_counts().implode().alias(f"{t}:bands"),
            complete.sum().alias(f"{t}:alpha_n"),
            pl.sum_horizontal(items).filter(complete).var(ddof=1).alias(f"{t}:total_var"),
            pl.sum_horizontal(pl.col(i).filter(complete).var(ddof=1) for i in items).alias(
                f"{t}:item_var"
            ),
        ]
    for i in ids:
        aggregates += [
            pl.col(i).count().alias(f"{i}:n"),
            pl.col(f"{i}_keyed").mean().alias(f"{i}:mean"),
            pl.col(i).drop_nulls().cast(pl.Int64).value_counts().implode().alias(f"{i}:counts"),
        ]
    figures = scored_frame.select(aggregates).row(0, named=True)

    summary_themes = []
    start = 0
    for theme in themes:
        t = theme["id"]
        k = len(theme["indicators"])
        n = figures[f"{t}:n"]
        alpha_n = figures[f"{t}:alpha_n"]
        total_var = figures[f"{t}:total_var"]
        alpha = None
        if k >= 2 and alpha_n >= 3 and total_var:
            alpha = k / (k - 1) * (1 - figures[f"{t}:item_var"] / total_var)
        band_counts = {row[f"{t}_band"]: row["count"] for row in figures[f"{t}:bands"]}
        summary_themes.append(
            {
                "id": t,
                "n": n,
                "mean": figures[f"{t}:mean"] if n else None,
                "sd": figures[f"{t}:sd"] if n >= 2 else None,
                "median": figures[f"{t}:median"] if n else None,
                "min": figures[f"{t}:min"] if n else None,
                "max": figures[f"{t}:max"] if n else None,
                "percent": figures[f"{t}:percent"] if n else None,
                "bands": band_counts,
                "alpha": alpha,
                "alpha_n": alpha_n,
            }
        )
        start += k
    summary_indicators = []
    for i in ids:
        given = {row[i]: row["count"] for row in figures[f"{i}:counts"]}
        summary_indicators.append(
            {
                "id": i,
                "n": figures[f"{i}:n"],
                "mean": figures[f"{i}:mean"] if figures[f"{i}:n"] else None,
                "counts": {str(v): given.get(v, 0) for v in range(low, high + 1)},
            }
        )
    rejected = int(bad.sum())
    summary = {
        "framework": {"id": framework["id"], "version": framework["version"]},
        "responses": scored_frame.height,
        "rejected": rejected,
        "themes": summary_themes,
        "indicators": summary_indicators,
        "subjects": [],
        "errors": errors,
    }
    Path(summary_file).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if rejected else 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
