"""360-degree feedback: rater groups per subject, the anonymity threshold, and gaps.

docs/360-feedback.md. Responses with a `rater` are collected per subject and
relationship as running sums (memory grows with subjects, not responses).
At the end, per subject:

* one rater, one voice: a rater counts once per subject (a second response
  from the same respondent id about the same subject is refused), and a
  subject has at most one `self` response (any other is refused); `add()`
  says why with a `Refusal`, so group sizes are numbers of distinct raters;
* `self` stands apart, and its notes are in no result (they belong to the
  subject's own report);
* a relationship group with at least `min_raters` raters is shown; `manager`
  is shown with one rater (raters know a manager is identifiable);
* smaller groups are merged into `other`; if `other` is still too small it is
  dropped, and a dropped group contributes nothing to any output;
* `others` pools the raters of the shown groups;
* a theme where self - others exceeds one third of the range (100/3 percentage
  points) is a blind spot; below minus one third, a hidden strength.

Subjects are matched without regard to case or repeated spaces (raters type
names by hand in web forms); a subject is shown by the spelling of its own
self response, else by the first spelling seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lpc_assess.model.answers import RELATIONSHIPS, normalise_relationship
from lpc_assess.model.framework import Framework
from lpc_assess.scoring.person import ResponseScore

GROUP_ORDER = ("manager", "peer", "direct-report", "other")
THIRD = 100.0 / 3.0
_EPSILON = 1e-9
MAX_INDICATOR_GAPS = 5
REDACTED = "[name removed]"


@dataclass
class _Sums:
    """Running sums for one group of raters of one subject."""

    n: int = 0
    theme_sum: dict[str, float] = field(default_factory=dict)
    theme_n: dict[str, int] = field(default_factory=dict)
    item_sum: dict[str, float] = field(default_factory=dict)
    item_n: dict[str, int] = field(default_factory=dict)
    item_counts: dict[str, dict[int, int]] = field(default_factory=dict)  # raw answers
    notes: list[str] = field(default_factory=list)

    def add(self, score: ResponseScore, notes: Mapping[str, str]) -> None:
        self.n += 1
        for theme in score.themes:
            if theme.percent is not None:
                self.theme_sum[theme.id] = self.theme_sum.get(theme.id, 0.0) + theme.percent
                self.theme_n[theme.id] = self.theme_n.get(theme.id, 0) + 1
        for item in score.items:
            self.item_sum[item.id] = self.item_sum.get(item.id, 0.0) + item.value
            self.item_n[item.id] = self.item_n.get(item.id, 0) + 1
            # Counted as answered (as the team report counts them); the mean is of keyed values.
            counts = self.item_counts.setdefault(item.id, {})
            counts[item.answer] = counts.get(item.answer, 0) + 1
        self.notes.extend(text for text in notes.values() if text and text.strip())

    def merge(self, other: _Sums) -> None:
        self.n += other.n
        for key, value in other.theme_sum.items():
            self.theme_sum[key] = self.theme_sum.get(key, 0.0) + value
            self.theme_n[key] = self.theme_n.get(key, 0) + other.theme_n[key]
        for key, value in other.item_sum.items():
            self.item_sum[key] = self.item_sum.get(key, 0.0) + value
            self.item_n[key] = self.item_n.get(key, 0) + other.item_n[key]
            counts = self.item_counts.setdefault(key, {})
            for point, count in other.item_counts[key].items():
                counts[point] = counts.get(point, 0) + count
        self.notes.extend(other.notes)

    def theme_means(self, theme_ids: list[str]) -> dict[str, float | None]:
        return {
            t: (self.theme_sum[t] / self.theme_n[t] if self.theme_n.get(t) else None)
            for t in theme_ids
        }

    def item_mean(self, indicator_id: str) -> float | None:
        n = self.item_n.get(indicator_id)
        return self.item_sum[indicator_id] / n if n else None


@dataclass(frozen=True)
class Refusal:
    """A response that `FeedbackCollector.add()` did not count, and why.

    `code` is `duplicate-rater` (this rater already answered about this
    subject) or `duplicate-self` (the subject already has a self response);
    `subject` is the subject as shown, and `first` the `origin` given with the
    response that does count.
    """

    code: str
    subject: str
    first: str


@dataclass(frozen=True)
class GroupResult:
    """A shown group (or the pooled `others`): its size and theme percents."""

    name: str
    n: int
    themes: dict[str, float | None]
    indicators: dict[str, float | None]  # mean keyed value per indicator
    counts: dict[str, dict[int, int]]  # per indicator: raw answer -> how many gave it
    notes: list[str]


@dataclass(frozen=True)
class IndicatorGap:
    """One indicator's self value against the others' mean (keyed values)."""

    id: str
    self_value: int | float
    others_mean: float
    gap: float  # in scale points, self - others


@dataclass(frozen=True)
class SubjectFeedback:
    """One subject's 360 result, with everything from dropped groups already gone."""

    id: str
    self_n: int
    self_themes: dict[str, float | None] | None
    self_items: dict[str, float | None]
    groups: dict[str, GroupResult]
    others: GroupResult
    gaps: dict[str, float | None]
    blind_spots: list[str]
    hidden_strengths: list[str]
    indicator_gaps: list[IndicatorGap]
    merged: list[str]
    dropped: list[str]

    def to_json(self) -> dict[str, Any]:
        """The `subjects` entry of `batch --summary` (docs/360-feedback.md)."""
        return {
            "id": self.id,
            "self": self.self_themes,
            "groups": {
                name: {"n": group.n, "themes": group.themes} for name, group in self.groups.items()
            },
            "others": {"n": self.others.n, "themes": self.others.themes},
            "blind_spots": self.blind_spots,
            "hidden_strengths": self.hidden_strengths,
            # Groups too small to show alone: counted with all others, or left out.
            "merged": list(self.merged),
            "left_out": list(self.dropped),
        }


def subject_key(subject: str) -> str:
    """How subjects are matched: `Sam  Jones` and `sam jones` are one person."""
    return " ".join(subject.split()).casefold()


def redact_names(text: str, names: Iterable[str | None]) -> str:
    """`text` with a rater's own names and ids replaced by `[name removed]`.

    Each of `names` of two characters or more is taken out as a whole word
    without regard to case (any run of spaces or a line break between its
    words), and each capitalised word of two letters or more of a name (`Jo`
    of `Jo Bloggs`, `Pat` of `Pat.`) as written. A rater who signs a comment
    ("Jo here: ...") is not exposed by it; this is a safety net, not a
    promise that free text names no one. A one-character id (`7`) is left
    alone: it would take out every such character.
    """
    whole: set[str] = set()
    parts: set[str] = set()
    for name in names:
        if not name or len(name.strip()) < 2:
            continue
        whole.add(" ".join(name.split()))
        words = re.findall(r"\w[\w'-]*", name)
        parts.update(w for w in words if len(w) >= 2 and w[0].isupper())
    text = _take_out(text, whole, ignore_case=True)
    return _take_out(text, parts, ignore_case=False)  # pragma: no mutate (None is as false)


def _take_out(text: str, names: set[str], *, ignore_case: bool) -> str:
    """`text` with each of `names` (as whole words) replaced by `[name removed]`."""
    if not names:
        return text
    ordered = sorted(names, key=len, reverse=True)  # longest first: `Jo Bloggs` before `Jo`
    spelled = (r"\s+".join(map(re.escape, name.split())) for name in ordered)
    # A hyphen joins words here: `Jo` is not taken out of `Jo-Anne`.
    pattern = r"(?<![\w-])(?:" + "|".join(spelled) + r")(?![\w-])"
    found = re.compile(pattern, re.IGNORECASE) if ignore_case else re.compile(pattern)
    return found.sub(REDACTED, text)


def classify_gap(gap: float | None) -> str | None:
    """'blind-spot', 'hidden-strength' or None; exactly one third is not flagged."""
    if gap is None:
        return None
    if gap > THIRD + _EPSILON:
        return "blind-spot"
    if gap < -THIRD - _EPSILON:
        return "hidden-strength"
    return None


class FeedbackCollector:
    """Collects rater responses one at a time; `subjects()` applies the threshold."""

    def __init__(self, framework: Framework, min_raters: int = 3) -> None:
        self.framework = framework
        self.min_raters = max(1, min_raters)
        self._sums: dict[str, dict[str, _Sums]] = {}  # subject key -> relationship -> sums
        self._names: dict[str, str] = {}  # subject key -> the spelling shown
        # One rater, one voice: subject key -> rater key -> origin of the counted response,
        # and subject key -> origin of its one self response.
        self._raters: dict[str, dict[str, str]] = {}
        self._selves: dict[str, str] = {}

    def add(
        self,
        subject: str,
        relationship: str,
        score: ResponseScore,
        notes: Mapping[str, str] | None = None,
        *,
        rater: str | None = None,
        origin: str = "",
    ) -> Refusal | None:
        """Add one rater's scored response about `subject`; a `Refusal` if it is not counted.

        `relationship` is one of RELATIONSHIPS or a common spelling of one
        (`Line manager`); anything else is a ValueError, never silently dropped.
        `rater` is the respondent id (None when the input has none: such a
        response counts as a rater of its own), matched like subjects; the
        first response of a rater about a subject counts, a later one is
        refused, and so is any `self` response after a subject's first.
        `origin` (where the response came from) is handed back in a later
        refusal, to say which response was counted.
        """
        name = normalise_relationship(relationship)
        if name is None:
            raise ValueError(
                f"unknown relationship {relationship!r}: use one of " + ", ".join(RELATIONSHIPS)
            )
        key = subject_key(subject)
        raters = self._raters.setdefault(key, {})
        who = subject_key(rater) if rater is not None else ""
        if who and who in raters:
            return Refusal("duplicate-rater", self._names[key], raters[who])
        if name == "self" and key in self._selves:
            return Refusal("duplicate-self", self._names[key], self._selves[key])
        if who:
            raters[who] = origin
        if name == "self":
            self._selves[key] = origin
        if name == "self" or key not in self._names:
            self._names[key] = subject.strip()
        groups = self._sums.setdefault(key, {})
        groups.setdefault(name, _Sums()).add(score, notes or {})
        return None

    def subjects(self) -> list[SubjectFeedback]:
        """Each subject's result, in the order subjects were first seen."""
        return [self._subject(self._names[key], groups) for key, groups in self._sums.items()]

    def _subject(self, subject: str, raw: dict[str, _Sums]) -> SubjectFeedback:
        theme_ids = [t.id for t in self.framework.themes]
        indicator_ids = self.framework.indicator_ids
        shown: dict[str, _Sums] = {}
        pending_other = _Sums()
        merged: list[str] = []
        for name in GROUP_ORDER:
            sums = raw.get(name)
            if sums is None or name == "other":
                continue
            if sums.n >= self.min_raters or (name == "manager" and sums.n >= 1):
                shown[name] = sums
            else:
                pending_other.merge(sums)
                merged.append(name)
        dropped: list[str] = []
        if "other" in raw:
            pending_other.merge(raw["other"])
        if pending_other.n:
            if pending_other.n >= self.min_raters:
                shown["other"] = pending_other
            else:
                dropped = [*merged, "other"] if "other" in raw else list(merged)
                merged = []
        pooled = _Sums()
        for sums in shown.values():
            pooled.merge(sums)

        def result(name: str, sums: _Sums) -> GroupResult:
            return GroupResult(
                name=name,
                n=sums.n,
                themes=sums.theme_means(theme_ids),
                indicators={i: sums.item_mean(i) for i in indicator_ids},
                counts={i: dict(sorted(c.items())) for i, c in sums.item_counts.items()},
                notes=sorted(sums.notes),  # sorted: order must not reveal who wrote what
            )

        self_sums = raw.get("self")
        self_themes = self_sums.theme_means(theme_ids) if self_sums else None
        self_items = {i: self_sums.item_mean(i) for i in indicator_ids} if self_sums else {}
        others = result("others", pooled)
        gaps: dict[str, float | None] = {}
        blind: list[str] = []
        hidden: list[str] = []
        for theme_id in theme_ids:
            mine = self_themes.get(theme_id) if self_themes else None
            theirs = others.themes.get(theme_id)
            gap = None if mine is None or theirs is None else mine - theirs
            gaps[theme_id] = gap
            kind = classify_gap(gap)
            if kind == "blind-spot":
                blind.append(theme_id)
            elif kind == "hidden-strength":
                hidden.append(theme_id)
        item_gaps = []
        for indicator_id in indicator_ids:
            mine_item = self_items.get(indicator_id)
            theirs_item = others.indicators.get(indicator_id)
            if mine_item is not None and theirs_item is not None:
                item_gaps.append(
                    IndicatorGap(indicator_id, mine_item, theirs_item, mine_item - theirs_item)
                )
        item_gaps.sort(key=lambda g: -abs(g.gap))  # stable: framework order breaks ties
        # Keyed values are whole numbers and self is one response, so a gap is exactly 0
        # or at least 1/n away from it: no tolerance is needed.
        largest = [g for g in item_gaps if g.gap != 0][:MAX_INDICATOR_GAPS]
        return SubjectFeedback(
            id=subject,
            self_n=self_sums.n if self_sums else 0,
            self_themes=self_themes,
            self_items=self_items,
            groups={name: result(name, sums) for name, sums in shown.items()},
            others=others,
            gaps=gaps,
            blind_spots=blind,
            hidden_strengths=hidden,
            indicator_gaps=largest,
            merged=merged,
            dropped=dropped,
        )
