"""The pandas equivalent of `lpc-assess batch EXPORT --summary S.json --scores S.csv`.

Used by bench/run.py only (pandas is the `bench` extra, never a dependency).
It is written the way a data analyst who knows pandas would write it, and
does the same work as the batch, vectorised:

* `read_csv` of the id, name and statement columns; statement cells are read
  as categoricals, so a label is mapped once per distinct spelling (any case,
  numbers, `4 - Often`, blanks and the skip label), not once per cell;
* a row with a cell that is not an answer is rejected and listed;
* keyed values, then per theme the weighted mean of the answered ones, the
  `min_answered` rule, percent and band; the overall percent and band;
* the scores file (`id, name, <theme>_percent, <theme>_band, ...,
  overall_percent, overall_band`, formula-like ids and names neutralised);
* the summary: per theme n, mean, sd, median, min, max, mean percent, band
  counts and listwise Cronbach's alpha; per statement answered count, mean
  keyed value and the count of each scale point.

usage: python bench/pandas_batch.py EXPORT FRAMEWORK.json SUMMARY.json SCORES.csv
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

MISSING = {"", "na", "n/a", "-", "skip"}
NUMBER_LABEL = re.compile(r"^([+-]?\d+)\s*(?:[-\u2013\u2014.:)=]\s*|\s+)(.+)$")


def cell_values(categories: pd.Index, lookup: dict[str, int], missing: set[str]) -> Any:
    """Value of each distinct cell text: the scale point, NaN if unanswered, -inf if bad."""
    out = []
    for text in categories:
        norm = " ".join(str(text).split()).casefold()
        if norm in lookup:
            out.append(float(lookup[norm]))
        elif norm in missing:
            out.append(np.nan)
        else:
            both = NUMBER_LABEL.match(norm)
            if both and lookup.get(both.group(2).rstrip(" .")) == int(both.group(1)):
                out.append(float(both.group(1)))
            else:
                out.append(-np.inf)
    return np.array(out, dtype=float)


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

    frame = pd.read_csv(
        export,
        encoding="utf-8-sig",
        usecols=["ID", "Name", *statements],
        dtype={"ID": str, "Name": str, **dict.fromkeys(statements, "category")},
        keep_default_na=False,
    )
    rows = len(frame)
    values = np.empty((rows, len(statements)))
    bad = np.zeros(rows, dtype=bool)
    errors = []
    for j, statement in enumerate(statements):
        column = frame[statement]
        table = cell_values(column.cat.categories, lookup, missing)
        codes = column.cat.codes.to_numpy()
        values[:, j] = np.where(codes >= 0, table[codes], np.nan)
        wrong = np.isneginf(values[:, j])
        if wrong.any():
            bad |= wrong
            for at in np.flatnonzero(wrong)[:1000]:
                text = column.iloc[at]
                errors.append(
                    {
                        "row": int(at) + 2,
                        "column": statement,
                        "message": f"{text!r} is not an answer",
                    }
                )
    frame = frame[~bad]
    values = values[~bad]
    raw = values.copy()
    reverse = np.array([i["reverse"] for i in indicators])
    values[:, reverse] = low + high - values[:, reverse]
    answered = ~np.isnan(values)
    weights = np.array([i["weight"] for i in indicators], dtype=float)
    default_share = framework["scoring"]["min_answered"]
    bands = framework["bands"]
    starts = np.array([b["from"] for b in bands], dtype=float)
    band_ids = np.array([b["id"] for b in bands] + [""], dtype=object)

    def band_of(percent: Any) -> Any:
        at = np.searchsorted(starts, np.round(percent, 9), side="right") - 1
        at = np.where(np.isnan(percent) | (at < 0), len(bands), at)
        return band_ids[at]

    scores = pd.DataFrame({"id": frame["ID"].to_numpy(), "name": frame["Name"].to_numpy()})
    for key in ("id", "name"):
        text = scores[key].fillna("")
        formula = text.str.match(r"[=+\-@\t\r]") & ~text.str.fullmatch(
            r"[+-]?[\d.]+(?:[eE][+-]?\d+)?"
        )
        scores[key] = text.where(~formula, "'" + text)
    summary_themes = []
    theme_percents = []
    start = 0
    for theme in themes:
        k = len(theme["indicators"])
        block, mask, w = (
            values[:, start : start + k],
            answered[:, start : start + k],
            weights[start : start + k],
        )
        count = mask.sum(axis=1)
        share = theme.get("min_answered") or default_share
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(block * w, axis=1) / (mask * w).sum(axis=1)
        mean[(count == 0) | (count / k < share)] = np.nan
        percent = 100 * (mean - low) / (high - low)
        theme_percents.append(percent)
        scores[f"{theme['id']}_percent"] = percent
        scores[f"{theme['id']}_band"] = band_of(percent)
        scored = pd.Series(mean).dropna()
        listwise = block[mask.all(axis=1)]
        alpha = None
        if k >= 2 and len(listwise) >= 3:
            total_var = listwise.sum(axis=1).var(ddof=1)
            if total_var > 0:
                alpha = float(k / (k - 1) * (1 - listwise.var(axis=0, ddof=1).sum() / total_var))
        summary_themes.append(
            {
                "id": theme["id"],
                "n": int(scored.size),
                "mean": float(scored.mean()) if scored.size else None,
                "sd": float(scored.std(ddof=1)) if scored.size >= 2 else None,
                "median": float(scored.median()) if scored.size else None,
                "min": float(scored.min()) if scored.size else None,
                "max": float(scored.max()) if scored.size else None,
                "percent": float(np.nanmean(percent)) if scored.size else None,
                "bands": pd.Series(band_of(percent))
                .value_counts()
                .drop("", errors="ignore")
                .to_dict(),
                "alpha": alpha,
                "alpha_n": len(listwise),
            }
        )
        start += k
    percents = np.column_stack(theme_percents)
    theme_weights = np.array([t["weight"] for t in themes], dtype=float)
    scored_weights = ~np.isnan(percents) * theme_weights
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.nansum(percents * theme_weights, axis=1) / scored_weights.sum(axis=1)
    scores["overall_percent"] = overall
    scores["overall_band"] = band_of(overall)
    scores.to_csv(scores_file, index=False)

    summary_indicators = []
    for j, indicator in enumerate(indicators):
        given = raw[:, j][answered[:, j]].astype(int)
        counts = np.bincount(given - low, minlength=high - low + 1)
        summary_indicators.append(
            {
                "id": indicator["id"],
                "n": int(given.size),
                "mean": float(values[:, j][answered[:, j]].mean()) if given.size else None,
                "counts": {str(low + v): int(c) for v, c in enumerate(counts)},
            }
        )
    summary = {
        "framework": {"id": framework["id"], "version": framework["version"]},
        "responses": int(len(frame)),
        "rejected": int(bad.sum()),
        "themes": summary_themes,
        "indicators": summary_indicators,
        "subjects": [],
        "errors": errors,
    }
    Path(summary_file).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if bad.any() else 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
