"""The pledge in an answers file: its parts, the sentence built from them, older plain text."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
import yaml

from lpc_assess.diagnostics import InputError
from lpc_assess.model.answers import Response, dump_answers, load_answers
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.model.pledge import Pledge, PreviousPledge, mentions_date
from tests.conftest import DATA

DEC_31 = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def small() -> Framework:
    return load_framework(str(DATA / "frameworks" / "no-skip"))


# --- the sentence ----------------------------------------------------------------------------

WHAT = ["Ask two people what matters", "Ask two people what matters."]
WHO = [None, "my team", "with my team", "My team, Jo and Priya."]
WHEN = [None, DEC_31]


@pytest.mark.parametrize(
    "what, who, when", list(itertools.product(WHAT, WHO, WHEN)), ids=lambda v: repr(v)
)
def test_every_combination_of_parts_makes_one_sentence(
    what: str, who: str | None, when: dt.date | None
) -> None:
    sentence = Pledge(what, who, when).sentence()
    # Written out by hand: the text without its full stop, then each part given, once.
    expected = "Ask two people what matters"
    if who is not None:
        expected += (
            ", with "
            + {
                "my team": "my team",
                "with my team": "my team",
                "My team, Jo and Priya.": "My team, Jo and Priya",
            }[who]
        )
    if when is not None:
        expected += ", by 31 December 2026"
    assert sentence == expected + "."
    assert sentence.count("with") == (who is not None)
    assert sentence.count(" by ") == (when is not None)
    assert sentence.count(".") == 1


@pytest.mark.parametrize(
    "pledge, sentence",
    [
        # The who is already in the text: said once.
        (Pledge("Ask my team what matters", "my team"), "Ask my team what matters."),
        (
            Pledge("Huddle with my two HCAs", "My two HCAs", DEC_31),
            "Huddle with my two HCAs, by 31 December 2026.",
        ),
        # The date is already in the text, in any of the ways people write it.
        (Pledge("Run a huddle by 31 December", None, DEC_31), "Run a huddle by 31 December."),
        (
            Pledge("Run a huddle by 31/12", "my team", DEC_31),
            "Run a huddle by 31/12, with my team.",
        ),
        (Pledge("Run a huddle before Dec 31st", None, DEC_31), "Run a huddle before Dec 31st."),
        (Pledge("By 2026-12-31, run a huddle", None, DEC_31), "By 2026-12-31, run a huddle."),
        # A different date in the text is not this one: both are said.
        (Pledge("Book it by 1/12", None, DEC_31), "Book it by 1/12, by 31 December 2026."),
        (Pledge("Book room 31/120", None, DEC_31), "Book room 31/120, by 31 December 2026."),
        # Text that ends a sentence its own way keeps it.
        (Pledge("Why not ask?"), "Why not ask?"),
        (Pledge("  Ask\n  first  "), "Ask first."),
    ],
)
def test_a_part_the_text_already_holds_is_not_said_again(pledge: Pledge, sentence: str) -> None:
    assert pledge.sentence() == sentence


def test_an_older_plain_text_pledge_is_its_own_sentence() -> None:
    old = "Ask two people what matters, with my team, by Friday."
    assert Pledge(old).sentence() == old
    # Older code and files give the pledge as text: it becomes a Pledge.
    assert Response(framework_id="x", pledge=old).pledge == Pledge(old)  # type: ignore[arg-type]


def test_mentions_date_needs_the_same_day_and_month() -> None:
    assert mentions_date("by the 31st of December", DEC_31)
    assert mentions_date("by december 31", DEC_31)
    assert not mentions_date("by 13/12", DEC_31)
    assert not mentions_date("by December 3", DEC_31)
    assert not mentions_date("by 131/12", DEC_31)


# --- in answers files --------------------------------------------------------------------------


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text("framework: no-skip\nanswers: {a-one: 2}\n" + text)
    return path


def test_a_plain_text_pledge_from_an_older_file_is_still_read(
    small: Framework, tmp_path: Path
) -> None:
    path = _file(tmp_path, "old.yaml", "pledge: Ask two people, with my team, by Friday.\n")
    response, warnings = load_answers(path, small)
    assert warnings == []
    assert response.pledge == Pledge("Ask two people, with my team, by Friday.")


def test_the_parts_are_read_from_yaml_and_json(small: Framework, tmp_path: Path) -> None:
    yaml_file = _file(
        tmp_path, "a.yaml", "pledge: {text: Ask, with_whom: my team, by_when: 2026-12-31}\n"
    )
    json_file = tmp_path / "a.json"
    json_file.write_text(
        json.dumps(
            {
                "framework": "no-skip",
                "answers": {"a-one": 2},
                "pledge": {"text": "Ask", "with_whom": "my team", "by_when": "2026-12-31"},
            }
        )
    )
    for path in (yaml_file, json_file):
        assert load_answers(path, small)[0].pledge == Pledge("Ask", "my team", DEC_31)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_pledge_and_previous_pledge_are_written_and_read_back(
    small: Framework, tmp_path: Path, fmt: str
) -> None:
    response = Response(
        framework_id="no-skip",
        answers={"a-one": 2},
        pledge=Pledge("Ask", None, DEC_31),
        previous_pledge=PreviousPledge(
            "Listen first", "my team", dt.date(2026, 11, 1), "partly", "Half the time", "old.yaml"
        ),
    )
    text = dump_answers(response, fmt=fmt)
    data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert data["pledge"] == {"text": "Ask", "with_whom": None, "by_when": "2026-12-31"}
    assert data["previous_pledge"] == {
        "text": "Listen first",
        "with_whom": "my team",
        "by_when": "2026-11-01",
        "outcome": "partly",
        "note": "Half the time",
        "source": "old.yaml",
    }
    path = tmp_path / f"again.{fmt}"
    path.write_text(text)
    again, _ = load_answers(path, small)
    assert again.pledge == response.pledge
    assert again.previous_pledge == response.previous_pledge


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "pledge: {text: Ask, by_when: 31/12/2026}\n",
            "3:30: error[wrong-type]: 'by_when' must be a date written YYYY-MM-DD (2026-12-31), "
            "not text '31/12/2026'",
        ),
        ("pledge: {text: Ask, when: 2026-12-31}\n", "unknown key 'when' (did you mean 'by_when'?)"),
        ("pledge: {with_whom: my team}\n", "error[missing-key]: missing required key 'text'"),
        ("pledge: 5\n", "error[wrong-type]: 'pledge' must be a mapping, not number 5"),
        (
            "previous_pledge: {text: Ask, outcome: maybe}\n",
            "'outcome': Input should be 'done', 'partly' or 'not yet'",
        ),
    ],
)
def test_a_bad_pledge_is_one_clear_error(
    small: Framework, tmp_path: Path, text: str, message: str
) -> None:
    path = _file(tmp_path, "bad.yaml", text)
    with pytest.raises(InputError) as caught:
        load_answers(path, small)
    lines = [d.text() for d in caught.value.diagnostics]
    assert len(lines) == 1, lines
    assert message in lines[0]
