"""One person's answers: the file model, loading with diagnostics, and writing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

from lpc_assess.diagnostics import Diagnostic, InputError, did_you_mean
from lpc_assess.inputs.documents import Document, describe, display_path, load_document
from lpc_assess.model.facets import check_facet_answers
from lpc_assess.model.framework import SLUG_PATTERN, Framework
from lpc_assess.model.pledge import Pledge, PreviousPledge
from lpc_assess.model.pydantic_errors import validate_model

SKIP = "skip"
RELATIONSHIPS = ("self", "manager", "peer", "direct-report", "other")
_RELATIONSHIP_SYNONYMS = {
    "self": "self",
    "myself": "self",
    "me": "self",
    "self-assessment": "self",
    "manager": "manager",
    "line manager": "manager",
    "line-manager": "manager",
    "supervisor": "manager",
    "boss": "manager",
    "peer": "peer",
    "peers": "peer",
    "colleague": "peer",
    "colleagues": "peer",
    "direct-report": "direct-report",
    "direct report": "direct-report",
    "direct reports": "direct-report",
    "direct-reports": "direct-report",
    "report": "direct-report",
    "reports": "direct-report",
    "other": "other",
    "others": "other",
}

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def normalise_relationship(value: str) -> str | None:
    """`Line Manager` -> `manager`; None when the value is not a known relationship."""
    key = " ".join(value.strip().lower().replace("_", " ").split())
    return _RELATIONSHIP_SYNONYMS.get(key) or _RELATIONSHIP_SYNONYMS.get(key.replace(" ", "-"))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Respondent(_Strict):
    id: Id | None = Field(None, description="Required in a batch; defaults to the file name.")
    name: Text | None = None
    email: Id | None = Field(
        None, description="Matches the person's responses before and after a programme."
    )


class Rater(_Strict):
    subject: Id = Field(description="The respondent id of the person being rated.")
    relationship: Id = Field(description="self, manager, peer, direct-report or other.")


class PledgeSpec(_Strict):
    """A pledge in an answers file: what, with whom and by when (docs/taking-the-self-check.md)."""

    text: Text = Field(description="What the person will do.")
    with_whom: Text | None = Field(None, description="With whom (optional).")
    by_when: dt.date | None = Field(
        None, strict=False, description="By when: a date, YYYY-MM-DD (optional)."
    )


class PreviousPledgeSpec(PledgeSpec):
    """The pledge of the earlier self-check, and how the person says it went."""

    outcome: Literal["done", "partly", "not yet"] | None = Field(
        None, description="done, partly or not yet; absent when the person did not say."
    )
    note: Text | None = Field(None, description="The person's note on how it went.")
    source: Text | None = Field(
        None, description="The earlier answers file, relative to this file's folder."
    )


def _pledge_kind(value: Any) -> str:
    return "text" if isinstance(value, str) else "pledge"


# Plain text (as older files hold it) or the parts; only the branch that fits reports errors.
PledgeEntry = Annotated[
    Annotated[Text, Tag("text")] | Annotated[PledgeSpec, Tag("pledge")],
    Discriminator(_pledge_kind),
]


class AnswersFile(_Strict):
    """The contents of an answers file (YAML or JSON)."""

    framework: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
    framework_version: Text | None = None
    respondent: Respondent | None = None
    rater: Rater | None = None
    started: dt.datetime | None = Field(None, strict=False)
    completed: dt.datetime | None = Field(
        None, strict=False, description="Absent while still in progress."
    )
    answers: dict[str, int | None | str] = Field(
        default_factory=dict,
        description="Indicator id -> a whole number on the scale, 'skip', or null (unanswered).",
    )
    facets: dict[str, dict[str, int | None | str]] = Field(
        default_factory=dict,
        description="Theme id -> facet id -> a whole number on the facet scale, 'skip', or null.",
    )
    notes: dict[str, Text] = Field(
        default_factory=dict, description="Free text by indicator or theme id."
    )
    pledge: PledgeEntry | None = Field(
        None, description="What the person will do next: {text, with_whom, by_when}, or plain text."
    )
    previous_pledge: PreviousPledgeSpec | None = Field(
        None, description="The earlier self-check's pledge and how it went."
    )


def _pledge(spec: str | PledgeSpec | None) -> Pledge | None:
    if spec is None:
        return None
    if isinstance(spec, str):
        return Pledge(text=spec)
    return Pledge(text=spec.text, with_whom=spec.with_whom, by_when=spec.by_when)


@dataclass
class Response:
    """A response ready for scoring: answers are ints, None for an explicit skip.

    Indicators that are absent from `answers` are unanswered.
    """

    framework_id: str
    framework_version: str | None = None
    respondent_id: str | None = None
    respondent_name: str | None = None
    respondent_email: str | None = None
    subject: str | None = None
    relationship: str | None = None
    started: dt.datetime | None = None
    completed: dt.datetime | None = None
    answers: dict[str, int | None] = field(default_factory=dict)
    # Theme id -> facet id -> answer on the facet scale (None: skipped); docs/facets.md.
    facets: dict[str, dict[str, int | None]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    pledge: Pledge | None = None
    previous_pledge: PreviousPledge | None = None
    source: str | None = None
    # A row of a web-form export was sent, even when the form recorded no time.
    submitted: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.pledge, str):  # a pledge given as plain text, as older files hold it
            self.pledge = Pledge(text=self.pledge)

    def to_data(self) -> dict[str, Any]:
        """The answers-file structure of this response (for YAML or JSON)."""
        data: dict[str, Any] = {"framework": self.framework_id}
        if self.framework_version is not None:
            data["framework_version"] = self.framework_version
        respondent = {
            k: v
            for k, v in (
                ("id", self.respondent_id),
                ("name", self.respondent_name),
                ("email", self.respondent_email),
            )
            if v is not None
        }
        if respondent:
            data["respondent"] = respondent
        if self.subject is not None and self.relationship is not None:
            data["rater"] = {"subject": self.subject, "relationship": self.relationship}
        for key in ("started", "completed"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value.isoformat().replace("+00:00", "Z")
        data["answers"] = {k: (SKIP if v is None else v) for k, v in self.answers.items()}
        if self.facets:
            data["facets"] = {
                theme: {k: (SKIP if v is None else v) for k, v in values.items()}
                for theme, values in self.facets.items()
            }
        if self.notes:
            data["notes"] = dict(self.notes)
        if self.pledge:
            data["pledge"] = self.pledge.to_data()
        if self.previous_pledge:
            data["previous_pledge"] = self.previous_pledge.to_data()
        return data


def _check_value(doc: Document, framework: Framework, key: str, value: Any) -> Diagnostic | None:
    scale = framework.scale
    loc = ("answers", key)
    if value is None or value == SKIP:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        else:
            hint = ""
            if isinstance(value, bool):
                hint = " (YAML reads an unquoted yes/no/on/off as true/false)"
            return doc.error(
                loc,
                "invalid-answer",
                f"answer to {key!r} must be a whole number from {scale.min} to "
                f"{scale.max} or 'skip', not {describe(value)}{hint}",
            )
    if not scale.min <= value <= scale.max:
        return doc.error(
            loc,
            "answer-out-of-scale",
            f"answer {value} to {key!r} is outside the scale {scale.min}..{scale.max}",
        )
    return None


def _check_answers(
    doc: Document, framework: Framework, given: dict[Any, Any]
) -> tuple[dict[Any, Any], list[Diagnostic]]:
    """Check every answer; the answers that passed (for the model check) and the errors.

    Answers are checked here, before the model, so that a bad value gives one
    clear message (not one per type the model would accept) and so that
    unknown ids and bad values are reported together with every other error.
    """
    known = set(framework.indicator_ids)
    passed: dict[Any, Any] = {}
    errors: list[Diagnostic] = []
    for key, value in given.items():
        if not isinstance(key, str):
            passed[key] = value  # the model reports keys that are not text
            continue
        if key not in known:
            errors.append(
                doc.error(
                    ("answers", key),
                    "unknown-indicator",
                    f"unknown indicator {key!r}{did_you_mean(key, framework.indicator_ids)}",
                    key=True,
                )
            )
            continue
        problem = _check_value(doc, framework, key, value)
        if problem:
            errors.append(problem)
        elif value == SKIP and framework.scale.skip is None:
            errors.append(
                doc.error(
                    ("answers", key),
                    "skip-not-allowed",
                    f"{key!r} is skipped, but this framework offers no skip answer",
                )
            )
        elif isinstance(value, float):
            passed[key] = int(value)  # 4.0 is the whole number 4
        else:
            passed[key] = value
    return passed, errors


def _check_pledge_dates(
    doc: Document, data: dict[Any, Any], errors: list[Diagnostic]
) -> dict[Any, Any]:
    """A pledge's `by_when` must be a date (`2026-12-31`): one clear error otherwise,
    and the value left out of the model check, which would only say it again."""
    out = dict(data)
    for key in ("pledge", "previous_pledge"):
        pledge = data.get(key)
        if not isinstance(pledge, dict) or pledge.get("by_when") is None:
            continue
        value = pledge["by_when"]
        if isinstance(value, dt.datetime):
            value = value.date() if value.time() == dt.time() else value
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = dt.date.fromisoformat(value.strip()) if len(value.strip()) == 10 else value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            out[key] = {**pledge, "by_when": value}
            continue
        errors.append(
            doc.error(
                (key, "by_when"),
                "wrong-type",
                f"'by_when' must be a date written YYYY-MM-DD (2026-12-31), not {describe(value)}",
            )
        )
        out[key] = {k: v for k, v in pledge.items() if k != "by_when"}
    return out


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.line or 0, diagnostic.col or 0)


def parse_answers(doc: Document, framework: Framework) -> tuple[Response, list[Diagnostic]]:
    """Check a loaded answers document against `framework`; the Response and warnings.

    Raises InputError with every error found, in the order they appear in the file.
    """
    data: Any = doc.data
    declared = data.get("framework") if isinstance(data, dict) else None
    # Checked first and alone: against another framework every answer would look wrong.
    if isinstance(declared, str) and declared != framework.id:
        raise InputError(
            [
                doc.error(
                    ("framework",),
                    "framework-mismatch",
                    f"answers are for framework {declared!r}, not "
                    f"{framework.id!r} (use --framework)",
                )
            ]
        )
    errors: list[Diagnostic] = []
    given = data.get("answers") if isinstance(data, dict) else None
    if isinstance(given, dict):
        passed, errors = _check_answers(doc, framework, given)
        data = {**data, "answers": passed}
    notes = data.get("notes") if isinstance(data, dict) else None
    if isinstance(notes, dict):
        note_keys = set(framework.indicator_ids) | {t.id for t in framework.themes}
        for key in notes:
            if isinstance(key, str) and key not in note_keys:
                errors.append(
                    doc.error(
                        ("notes", key),
                        "unknown-note",
                        f"note for {key!r}, which is neither an indicator nor a theme"
                        f"{did_you_mean(key, sorted(note_keys))}",
                        key=True,
                    )
                )
    facets: dict[str, dict[str, int | None]] = {}
    if isinstance(data, dict) and "facets" in data:
        # Checked here, as answers are: one clear message per bad value (model/facets.py).
        facets, problems = check_facet_answers(
            doc, framework.facets, [t.id for t in framework.themes], data["facets"]
        )
        errors.extend(problems)
        data = {k: v for k, v in data.items() if k != "facets"}
    if isinstance(data, dict):
        data = _check_pledge_dates(doc, data, errors)
    spec, problems = validate_model(AnswersFile, data, doc)
    errors.extend(problems)
    if errors or spec is None:
        raise InputError(sorted(errors, key=_position))
    warnings: list[Diagnostic] = []
    if spec.framework_version is not None and spec.framework_version != framework.version:
        warnings.append(
            doc.warning(
                ("framework_version",),
                "version-mismatch",
                f"answers were given to version {spec.framework_version} of "
                f"{framework.id!r}; scoring with version {framework.version}",
            )
        )
    answers: dict[str, int | None] = {}
    for key, value in spec.answers.items():
        if value == SKIP:
            answers[key] = None
        elif isinstance(value, int):
            answers[key] = value
    relationship = None
    if spec.rater is not None:
        relationship = normalise_relationship(spec.rater.relationship)
        if relationship is None:
            errors.append(
                doc.error(
                    ("rater", "relationship"),
                    "unknown-relationship",
                    f"unknown relationship {spec.rater.relationship!r}: use one of "
                    + ", ".join(RELATIONSHIPS),
                )
            )
    if errors:
        raise InputError(sorted(errors, key=_position))
    if facets and relationship not in (None, "self"):
        warnings.append(
            doc.warning(
                ("facets",),
                "rater-facets",
                "facets are a self-assessment: the facets in this 360 rating of "
                f"{spec.rater.subject if spec.rater else 'someone'!r} are ignored",
                key=True,
            )
        )
        facets = {}
    respondent = spec.respondent or Respondent()
    response = Response(
        framework_id=spec.framework,
        framework_version=spec.framework_version,
        respondent_id=respondent.id,
        respondent_name=respondent.name,
        respondent_email=respondent.email,
        subject=spec.rater.subject if spec.rater else None,
        relationship=relationship,
        started=spec.started,
        completed=spec.completed,
        answers=answers,
        facets=facets,
        notes=dict(spec.notes),
        pledge=_pledge(spec.pledge),
        previous_pledge=None
        if spec.previous_pledge is None
        else PreviousPledge(**spec.previous_pledge.model_dump()),
        source=doc.path,
    )
    return response, warnings


def load_answers(path: Path, framework: Framework) -> tuple[Response, list[Diagnostic]]:
    """Read and check one answers file (YAML, or JSON by extension)."""
    doc = load_document(path, label=display_path(path))
    return parse_answers(doc, framework)


def dump_answers(response: Response, *, fmt: str = "yaml") -> str:
    """Answers-file text for `response`, in YAML (default) or JSON."""
    data = response.to_data()
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    import yaml

    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88))
