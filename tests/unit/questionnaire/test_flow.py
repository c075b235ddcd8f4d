"""The `take` flow over a scripted prompt: keys, saving, resuming, leaving early.

A new self-check first asks for a name: `take()` below answers it (Enter, unless
`name=` says otherwise) whenever the answers file does not exist yet.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from lpc_assess.commands.take import (
    default_report_path,
    interrupts_deferred,
    resume_command,
    run_take,
    summary_lines,
)
from lpc_assess.model.answers import Response
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.model.pledge import Pledge
from lpc_assess.questionnaire.flow import Outcome, Questionnaire, build_steps
from lpc_assess.questionnaire.prompts import CTRL_C, ScriptedPrompt, TerminalPrompt
from lpc_assess.scoring.person import score_response
from tests.conftest import DATA

NO_SKIP = DATA / "frameworks" / "no-skip"
TODAY = dt.date(2026, 11, 23)
START = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone.utc)
END = dt.datetime(2026, 11, 23, 10, 14, tzinfo=dt.timezone.utc)
DEFAULT_FILE = "lpc-answers-2026-11-23.yaml"
RESUME = f"lpc-assess take --answers {DEFAULT_FILE}"


class Clock:
    """Returns START first, then END: `started` and `completed` are told apart."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dt.datetime:
        self.calls += 1
        return START if self.calls == 1 else END


class SnapshotPrompt(ScriptedPrompt):
    """A scripted prompt that reads the answers file each time it is asked something."""

    def __init__(self, lines: list[str], path: Path) -> None:
        super().__init__(lines)
        self.path = path
        self.snapshots: list[dict[str, Any] | None] = []

    def ask(self, text: str) -> str:
        self.snapshots.append(yaml.safe_load(self.path.read_text()) if self.path.exists() else None)
        return super().ask(text)


@pytest.fixture(scope="module")
def builtin() -> Framework:
    return load_framework(None)


@pytest.fixture(scope="module")
def small() -> Framework:
    return load_framework(str(NO_SKIP))


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replaces `render_person`, so that the report step is tested on its own."""
    import lpc_assess.reports.person

    calls: list[dict[str, Any]] = []

    def render_person(
        framework: Framework, response: Response, score: Any, fmt: str, **kwargs: Any
    ) -> str:
        calls.append(
            {"framework": framework, "response": response, "score": score, "fmt": fmt, **kwargs}
        )
        return f"REPORT {fmt} {framework.id} {len(response.answers)}\n"

    monkeypatch.setattr(lpc_assess.reports.person, "render_person", render_person)
    return calls


def take(
    lines: list[str],
    *,
    framework: str | None = None,
    answers: str | None = None,
    report: str | None = None,
    previous: str | None = None,
    prompt: ScriptedPrompt | None = None,
    name: str | None = "",
) -> tuple[int, ScriptedPrompt]:
    """Run `take` on `lines`; `name` answers the name question of a new answers file."""
    if name is not None and not Path(answers or DEFAULT_FILE).exists():
        lines = [name, *lines]
        if prompt is not None:
            prompt.lines.insert(0, name)
    prompt = prompt or ScriptedPrompt(lines)
    code = run_take(
        framework,
        Path(answers) if answers else None,
        Path(report) if report else None,
        previous=Path(previous) if previous else None,
        prompt=prompt,
        clock=Clock(),
        today=TODAY,
        program=["lpc-assess"],
    )
    return code, prompt


def builtin_script(
    framework: Framework, values: list[int], notes: list[str], pledge: list[str]
) -> tuple[list[str], list[int]]:
    """Lines for a whole self-check of `framework` (statements, any facet questions,
    reflections, the pledge) and the places, among the prompts, of the statements."""
    lines: list[str] = []
    statements: list[int] = []
    values_left, notes_left = iter(values), iter(notes)
    for step in build_steps(framework):
        if step.kind == "statement":
            statements.append(len(lines))
            lines.append(str(next(values_left)))
        elif step.kind == "reflection":
            lines.append(next(notes_left))
        elif step.kind == "pledge":
            lines += pledge
        else:  # a facet question
            lines.append("3")
    return lines, statements


def saved(path: Path | str = DEFAULT_FILE) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text())
    assert isinstance(data, dict)
    return data


def small_file(answers: dict[str, Any], **extra: Any) -> str:
    return yaml.safe_dump(
        {"framework": "no-skip", "framework_version": "0.1", "answers": answers, **extra},
        sort_keys=False,
    )


# --- the whole flow ----------------------------------------------------------------------


def test_full_run_saves_after_every_answer_and_ends_with_a_report(
    builtin: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    values = [(i % 5) + 1 for i in range(24)]
    script, statements = builtin_script(
        builtin,
        values,
        [f"note {t}" for t in range(4)],
        ["Ask two people what matters", "with my team", "by Friday"],
    )
    prompt = SnapshotPrompt(script, here / DEFAULT_FILE)

    code, _ = take([], prompt=prompt, name="Alex Smith")

    assert code == 0
    ids = builtin.indicator_ids
    # Before the k-th statement is asked, the file holds exactly the k answers before it
    # (the name is the first question: every place moves on by one).
    statement_asks = [i + 1 for i in statements]
    assert all(prompt.asked[i].startswith("Your answer") for i in statement_asks)
    assert len(statement_asks) == 24
    for k, ask_index in enumerate(statement_asks):
        snapshot = prompt.snapshots[ask_index]
        assert snapshot is not None
        assert snapshot["answers"] == dict(zip(ids[:k], values[:k], strict=True))
        assert "completed" not in snapshot
    data = saved()
    assert data["answers"] == dict(zip(ids, values, strict=True))
    assert data["notes"] == {t.id: f"note {i}" for i, t in enumerate(builtin.themes)}
    # 23 November 2026 is a Monday: Friday is the 27th.
    assert data["pledge"] == {
        "text": "Ask two people what matters",
        "with_whom": "my team",
        "by_when": "2026-11-27",
    }
    assert data["respondent"] == {"name": "Alex Smith"}
    assert data["started"] == "2026-11-23T10:00:00Z"
    assert data["completed"] == "2026-11-23T10:14:00Z"
    assert stat.S_IMODE(os.stat(DEFAULT_FILE).st_mode) == 0o600
    report = here / "lpc-answers-2026-11-23.html"
    assert report.read_text() == "REPORT html personalised-care 24\n"
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert fake_render[0]["response"].completed == END
    transcript = prompt.transcript
    assert "Being · 3 of 6 · 2/24 answered" in transcript
    assert "Delivering · 6 of 6 · 23/24 answered" in transcript
    assert f"Your report: {report.name}" in transcript


def test_intro_says_what_to_expect_and_where_answers_are_kept(
    builtin: Framework, here: Path
) -> None:
    code, prompt = take([])
    intro = prompt.transcript.split("Being · 1 of 6")[0]
    assert code == 130
    assert builtin.title in intro
    assert "reflect on how you lead personalised care" in intro
    assert "1 Not yet, 2 Rarely, 3 Sometimes, 4 Often, 5 Consistently; s Not applicable" in intro
    assert "Keys: s skip, b back to the previous statement, ? help, q save and quit." in intro
    assert DEFAULT_FILE in intro and str(here / DEFAULT_FILE) in intro
    assert "only you can read" in intro and "Nothing is sent anywhere" in intro


def test_summary_lists_each_theme_with_percent_and_band(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    # alpha: 4,4,4 -> 100 %; beta: 1, 1 and a reverse-keyed 4 (keyed 1) -> 0 %.
    code, prompt = take(["4", "4", "4", "", "1", "1", "4", ""], framework=str(NO_SKIP))
    assert code == 0
    lines = prompt.transcript.split("Your results")[1].splitlines()
    alpha = next(line for line in lines if line.strip().startswith("Alpha "))
    beta = next(line for line in lines if line.strip().startswith("Beta "))
    overall = next(line for line in lines if line.strip().startswith("Overall "))
    assert "100.0%" in alpha and "High" in alpha
    assert " 0.0%" in beta and "Low" in beta
    assert "50.0%" in overall and "High" in overall


# --- keys --------------------------------------------------------------------------------


def test_numbers_and_labels_in_any_case_are_answers(small: Framework, here: Path) -> None:
    code, _ = take(["often", "4 Always", " NEVER ", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert saved()["answers"] == {"a-one": 3, "a-two": 4, "a-three": 1}


@pytest.mark.parametrize("bad", ["x", "7", "0", "-1", "3.5", "", "4 Never", "sometimes often"])
def test_anything_else_re_asks_with_a_hint_and_loses_nothing(
    small: Framework, here: Path, bad: str
) -> None:
    code, prompt = take(["2", bad, "3", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert saved()["answers"] == {"a-one": 2, "a-two": 3}
    # The same statement is asked again, without showing it twice.
    assert prompt.transcript.count("I do the second alpha thing.") == 1
    assert prompt.asked.count("Your answer (1-4, b, ?, q): ") == 4
    assert (
        "Type a number from 1 to 4" in prompt.transcript
        or "is not on the scale" in prompt.transcript
        or "Did you mean 2 Sometimes? Type 2" in prompt.transcript  # sometimes often
    )


def test_a_number_off_the_scale_is_named_in_the_hint(small: Framework, here: Path) -> None:
    _, prompt = take(["9", "q"], framework=str(NO_SKIP))
    assert "9 is not on the scale: type a number from 1 to 4" in prompt.transcript


def test_question_mark_shows_the_statement_help(small: Framework, here: Path) -> None:
    code, prompt = take(["?", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert "The first alpha thing is about starting well." in prompt.transcript
    assert "1 Never, 2 Sometimes, 3 Often, 4 Always" in prompt.transcript
    assert "b goes back to the previous statement" in prompt.transcript


def test_question_mark_without_help_text_still_helps(small: Framework, here: Path) -> None:
    _, prompt = take(["1", "?", "q"], framework=str(NO_SKIP))
    assert "There is no more detail for this statement" in prompt.transcript


def test_skip_where_the_framework_offers_it(builtin: Framework, here: Path) -> None:
    code, _ = take(["s", "not applicable", "SKIP", "4", "q"])
    assert code == 0
    ids = builtin.indicator_ids
    assert saved()["answers"] == {ids[0]: "skip", ids[1]: "skip", ids[2]: "skip", ids[3]: 4}


def test_a_skip_is_not_counted_as_answered(builtin: Framework, here: Path) -> None:
    code, prompt = take(["4", "s", "3", "q"])
    assert code == 0
    text = prompt.transcript
    # After "4", "s": 1 answered and 1 skipped; the third statement's heading says so.
    assert "3 of 6 · 1/24 answered, 1 skipped" in text
    assert "2 of 24 answered, 1 skipped" in text  # the line when stopping


def test_skip_where_the_framework_has_no_skip_answer(small: Framework, here: Path) -> None:
    code, prompt = take(["s", "skip", "2", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert saved()["answers"] == {"a-one": 2}
    assert prompt.transcript.count("This self-check has no skip answer") == 2
    assert "s, b" not in prompt.asked[0]  # the prompt does not offer s


def test_back_at_the_first_statement_says_so(small: Framework, here: Path) -> None:
    _, prompt = take(["b", "2", "q"], framework=str(NO_SKIP))
    assert "This is the first statement: there is nothing before it." in prompt.transcript
    assert saved()["answers"] == {"a-one": 2}


def test_back_across_a_theme_boundary_changes_the_answer(small: Framework, here: Path) -> None:
    # alpha 1,2,3, reflection skipped, then at beta's first statement: back, change a-three to 4.
    code, prompt = take(["1", "2", "3", "", "b", "4", "", "2", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert saved()["answers"] == {"a-one": 1, "a-two": 2, "a-three": 4, "b-one": 2}
    transcript = prompt.transcript
    assert "Alpha · 3 of 3 · 3/6 answered" in transcript  # shown again after going back
    assert "Your answer so far: 3 Often. Enter keeps it." in transcript
    assert transcript.count("What did you notice about alpha?") == 2


def test_back_twice_then_enter_keeps_earlier_answers(small: Framework, here: Path) -> None:
    code, _ = take(["1", "2", "b", "b", "", "", "3", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert saved()["answers"] == {"a-one": 1, "a-two": 2, "a-three": 3}


def test_back_from_a_reflection_goes_to_the_last_statement(small: Framework, here: Path) -> None:
    code, prompt = take(["1", "2", "3", "b", "1", "a thought", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert saved()["answers"] == {"a-one": 1, "a-two": 2, "a-three": 1}
    assert saved()["notes"] == {"alpha": "a thought"}


def test_reflection_is_optional_and_kept_on_enter(small: Framework, here: Path) -> None:
    (here / "x.yaml").write_text(
        small_file({"a-one": 1, "a-two": 1, "a-three": 1}, notes={"alpha": "first thought"})
    )
    # Resume lands on beta; go back into alpha, keep the answer and the note.
    code, prompt = take(["b", "", "", "q"], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 0
    assert saved("x.yaml")["notes"] == {"alpha": "first thought"}
    assert "Your note so far: first thought" in prompt.transcript


def test_q_saves_and_prints_the_command_that_resumes(builtin: Framework, here: Path) -> None:
    code, prompt = take(["4", "3", "q"])
    assert code == 0
    data = saved()
    assert data["answers"] == dict(zip(builtin.indicator_ids[:2], [4, 3], strict=True))
    assert "completed" not in data
    assert "Saved: 2 of 24 answered, in lpc-answers-2026-11-23.yaml." in prompt.transcript
    assert f"To carry on, run: {RESUME}" in prompt.transcript


def test_q_at_the_pledge_saves_without_completing(small: Framework, here: Path) -> None:
    code, _ = take(["1", "1", "1", "", "1", "1", "1", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert "completed" not in saved()
    assert len(saved()["answers"]) == 6


def test_end_of_input_saves_and_returns_130(builtin: Framework, here: Path) -> None:
    code, prompt = take(["5", "4", "3"])
    assert code == 130
    assert saved()["answers"] == dict(zip(builtin.indicator_ids[:3], [5, 4, 3], strict=True))
    assert "Stopped and saved: 3 of 24 answered" in prompt.transcript
    assert f"To carry on, run: {RESUME}" in prompt.transcript


@pytest.mark.parametrize("where", [2, 7])  # at a statement; at the Being reflection
def test_ctrl_c_saves_and_returns_130(builtin: Framework, here: Path, where: int) -> None:
    script = ["4"] * 6 + ["a note"]
    script[where - 1] = CTRL_C
    code, prompt = take(script)
    assert code == 130
    answered = min(where - 1, 6)
    assert saved()["answers"] == dict.fromkeys(builtin.indicator_ids[:answered], 4)
    assert f"To carry on, run: {RESUME}" in prompt.transcript


def test_resume_command_names_a_framework_that_is_not_the_default(
    small: Framework, here: Path
) -> None:
    Path("out").mkdir()
    code, prompt = take(["1"], framework=str(NO_SKIP), answers="my answers.yaml", report="out/r.md")
    assert code == 130
    assert (
        f"To carry on, run: lpc-assess take --framework {NO_SKIP} "
        "--answers 'my answers.yaml' --report out/r.md"
    ) in prompt.transcript
    assert resume_command("personalised-care", Path("a.yaml"), None) == (
        "lpc-assess take --answers a.yaml"
    )


# --- resuming and existing files ---------------------------------------------------------


def test_resume_starts_at_the_first_unanswered_statement(small: Framework, here: Path) -> None:
    first = {"a-one": 4, "a-two": 4, "a-three": 4, "b-one": 4}
    Path(DEFAULT_FILE).write_text(
        small_file(first, started="2026-11-22T09:00:00Z", notes={"alpha": "kept"})
    )
    code, prompt = take(["2", "q"], framework=str(NO_SKIP))
    assert code == 0
    transcript = prompt.transcript
    assert "Resuming: 4 of 6 answered." in transcript
    assert "Your name" not in transcript  # asked when a self-check starts, not when resumed
    first_statement = transcript.index(" answered\n")
    assert transcript[:first_statement].endswith("Beta · 2 of 3 · 4/6")
    data = saved()
    assert data["answers"] == {**first, "b-two": 2}
    assert data["notes"] == {"alpha": "kept"}
    assert data["started"] == "2026-11-22T09:00:00Z"  # the first start is kept


def test_resume_at_a_theme_end_offers_its_reflection(small: Framework, here: Path) -> None:
    Path("x.yaml").write_text(small_file({"a-one": 1, "a-two": 2, "a-three": 3}))
    _, prompt = take(["noted", "q"], framework=str(NO_SKIP), answers="x.yaml")
    assert prompt.asked[0] == "Your thoughts (Enter to skip): "
    assert saved("x.yaml")["notes"] == {"alpha": "noted"}


def test_resume_with_every_statement_answered_goes_to_the_pledge(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    answers = {"a-one": 1, "a-two": 2, "a-three": 3, "b-one": 4, "b-two": 4, "b-three": 1}
    Path("x.yaml").write_text(small_file(answers))
    code, prompt = take(["Try it", "", ""], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 0
    assert prompt.asked[0] == "What will you do? (Enter to skip): "
    data = saved("x.yaml")
    assert data["pledge"] == {"text": "Try it", "with_whom": None, "by_when": None}
    assert data["started"] == "2026-11-23T10:00:00Z"  # the file had none
    assert data["completed"] == "2026-11-23T10:14:00Z"
    assert Path("x.html").read_text().startswith("REPORT html no-skip 6")


def test_a_complete_file_is_kept_replaced_or_followed_by_a_new_one(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    answers = {"a-one": 1, "a-two": 2, "a-three": 3, "b-one": 4, "b-two": 4, "b-three": 1}
    original = small_file(answers, completed="2026-11-20T10:00:00Z")
    Path("x.yaml").write_text(original)

    code, prompt = take(["k"], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 0
    transcript = prompt.transcript
    assert "holds a self-check completed on 2026-11-20 10:00" in transcript
    assert "n  start a new self-check in x-2.yaml" in transcript
    assert "r  start again in x.yaml, replacing it" in transcript
    assert Path("x.yaml").read_text() == original and not Path("x-2.yaml").exists()

    code, prompt = take(["4", "maybe"], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 1  # no decision before the end of input
    assert prompt.transcript.count("Please answer n (a new self-check), r (replace it)") == 2
    assert Path("x.yaml").read_text() == original

    code, prompt = take(["r", "", "2", "q"], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 0
    data = saved("x.yaml")
    assert data["answers"] == {"a-one": 2}
    assert "completed" not in data


def test_a_new_file_beside_a_complete_one_follows_it_up(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    answers = {"a-one": 1, "a-two": 2, "a-three": 3, "b-one": 4, "b-two": 4, "b-three": 1}
    pledge = {"text": "Try it", "with_whom": None, "by_when": "2026-11-30"}
    Path("x.yaml").write_text(small_file(answers, completed="2026-11-20T10:00:00Z", pledge=pledge))
    whole = ["4", "4", "4", "", "4", "4", "4", ""]
    # Enter chooses a new file; the name; how the pledge went; no note.
    code, prompt = take(["", "Sam", "done", "", *whole], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 0
    assert Path("x.yaml").read_text().startswith("framework: no-skip")
    data = saved("x-2.yaml")
    assert data["respondent"] == {"name": "Sam"}
    assert data["previous_pledge"] == {
        "text": "Try it",
        "with_whom": None,
        "by_when": "2026-11-30",
        "outcome": "done",
        "note": None,
        "source": "x.yaml",
    }
    assert "Your pledge then: Try it, by 30 November 2026." in prompt.transcript
    assert Path("x-2.html").exists() and not Path("x.html").exists()


def test_the_default_file_of_a_day_gets_a_number_when_taken_again(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    whole = ["1", "1", "1", "", "1", "1", "1", ""]
    assert take(whole, framework=str(NO_SKIP))[0] == 0  # the day's file
    assert take(["n", "", *whole], framework=str(NO_SKIP))[0] == 0  # n, no name: -2
    assert Path("lpc-answers-2026-11-23-2.yaml").exists()
    code, prompt = take(["n", "", "q"], framework=str(NO_SKIP))
    assert code == 0
    # The last of the day is the one offered; the new one comes after it.
    assert "lpc-answers-2026-11-23-2.yaml holds a self-check completed" in prompt.transcript
    assert "Saved: 0 of 6 answered, in lpc-answers-2026-11-23-3.yaml." in prompt.transcript
    assert "To carry on, run: lpc-assess take --framework" in prompt.transcript
    # A plain `take` now carries on with -3.
    code, prompt = take(["1", "q"], framework=str(NO_SKIP))
    assert "Resuming: 0 of 6 answered." in prompt.transcript
    assert saved("lpc-answers-2026-11-23-3.yaml")["answers"] == {"a-one": 1}


def test_no_answer_to_new_replace_or_keep_exits_1_with_a_message(
    small: Framework, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = small_file({"a-one": 1}, completed="2026-11-20T10:00:00Z")
    Path("x.yaml").write_text(original)
    code, _ = take([], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 1
    err = capsys.readouterr().err
    assert "x.yaml was kept as it is" in err
    assert f"To start a new self-check, run: lpc-assess take --framework {NO_SKIP}" in err
    assert "--answers x-2.yaml" in err
    assert Path("x.yaml").read_text() == original


@pytest.mark.parametrize(
    "content, message",
    [
        ("framework: no-skip\nanswers: {a-one: 9}\n", "outside the scale"),
        ("framework: no-skip\nanswers: [\n", "YAML syntax error"),
        ("framework: personalised-care\nanswers: {}\n", "not 'no-skip'"),
        ("framework: no-skip\nanswers: {a-onr: 1}\n", "did you mean 'a-one'"),
    ],
)
def test_a_broken_file_is_left_alone_with_a_clear_error(
    small: Framework, here: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    Path("x.yaml").write_text(content)
    code, prompt = take(["1", "1"], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("x.yaml:") and message in err
    assert "x.yaml was left as it is" in err
    assert "Traceback" not in err
    assert prompt.asked == []
    assert Path("x.yaml").read_text() == content


def test_answers_in_json_when_the_file_ends_json(small: Framework, here: Path) -> None:
    import json

    code, _ = take(["3", "q"], framework=str(NO_SKIP), answers="a.json")
    assert code == 0
    assert json.loads(Path("a.json").read_text())["answers"] == {"a-one": 3}


# --- problems ----------------------------------------------------------------------------


def test_unknown_framework_exits_1(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, prompt = take(["1"], framework="no-such-framework")
    assert code == 1
    assert "no framework folder, file or id 'no-such-framework'" in capsys.readouterr().err
    assert prompt.asked == []


def test_a_missing_folder_is_found_before_any_question(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, prompt = take(["1"], answers="nowhere/a.yaml")
    assert code == 2
    assert "the folder nowhere does not exist" in capsys.readouterr().err
    assert prompt.asked == []
    code, prompt = take(["1"], report="nowhere/r.html")
    assert code == 2 and prompt.asked == []


def test_a_failing_save_stops_with_a_message(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import lpc_assess.writers.files

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lpc_assess.writers.files, "atomic_write", full)
    code, prompt = take(["1", "1"])
    assert code == 1
    assert "cannot save the answers: No space left on device" in capsys.readouterr().err
    assert prompt.asked == []  # found at the start, before any answer is given


def test_a_failing_report_keeps_the_answers_and_says_how_to_retry(
    small: Framework,
    here: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_render: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("template missing")

    import lpc_assess.reports.person

    monkeypatch.setattr(lpc_assess.reports.person, "render_person", broken)
    code, _ = take(
        ["1", "1", "1", "", "1", "1", "1", ""],
        framework=str(NO_SKIP),
        answers="x.yaml",
        report="x.md",
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "x.md: the report could not be written: template missing" in err
    assert f"lpc-assess report x.yaml --framework {NO_SKIP} --format md --output x.md" in err
    assert "completed" in saved("x.yaml")
    assert not Path("x.md").exists()


def test_ctrl_c_while_the_report_is_written_says_how_to_write_it(
    small: Framework,
    here: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_render: list[dict[str, Any]],
) -> None:
    import lpc_assess.reports.person

    def interrupted(*args: Any, **kwargs: Any) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(lpc_assess.reports.person, "render_person", interrupted)
    code, prompt = take(
        ["1", "1", "1", "", "1", "1", "1", ""], framework=str(NO_SKIP), answers="x.yaml"
    )
    assert code == 130
    assert "Stopped. Your answers are complete and saved in x.yaml." in prompt.transcript
    assert (
        f"To write the report, run: lpc-assess report x.yaml --framework {NO_SKIP} "
        "--format html --output x.html"
    ) in prompt.transcript
    assert "completed" in saved("x.yaml")


def test_a_different_framework_version_is_resumed_with_a_warning(
    small: Framework, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("x.yaml").write_text(small_file({"a-one": 2}).replace("'0.1'", "'0.0'"))
    code, prompt = take(["3", "q"], framework=str(NO_SKIP), answers="x.yaml")
    assert code == 0
    assert "warning[version-mismatch]" in capsys.readouterr().err
    assert saved("x.yaml")["answers"] == {"a-one": 2, "a-two": 3}


def test_markdown_report_when_asked_for_md(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    code, _ = take(["1", "1", "1", "", "1", "1", "1", ""], framework=str(NO_SKIP), report="r.md")
    assert code == 0
    assert fake_render[0]["fmt"] == "md"
    assert Path("r.md").read_text().startswith("REPORT md")


def test_summary_lines_put_the_numbers_before_the_bar(
    small: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "dumb")  # ASCII bars
    answers: dict[str, int | None] = {"a-one": 4, "a-two": 3, "b-one": 1}
    lines = summary_lines(score_response(small, answers))
    assert lines == [
        "  Alpha       83.3%  High                #################...",
        "  Beta     no score  not enough answers  --------------------",
        "  Overall     83.3%  High                #################...",
    ]


def test_report_next_to_the_answers_never_replaces_them() -> None:
    assert default_report_path(Path("d/a.yaml")) == Path("d/a.html")
    assert default_report_path(Path("d/a.html")) == Path("d/a.html.report.html")


# --- the pieces --------------------------------------------------------------------------


def test_steps_put_reflections_after_their_theme_and_the_pledge_last(small: Framework) -> None:
    kinds = [(s.kind, s.indicator.id if s.indicator else None) for s in build_steps(small)]
    assert kinds == [
        ("statement", "a-one"),
        ("statement", "a-two"),
        ("statement", "a-three"),
        ("reflection", None),
        ("statement", "b-one"),
        ("statement", "b-two"),
        ("statement", "b-three"),
        ("pledge", None),
    ]


def test_long_and_negative_scales_are_shown_and_read(tmp_path: Path) -> None:
    labels = {v: f"Point {v}" for v in range(-2, 19)}
    (tmp_path / "framework.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "wide",
                "title": "Wide",
                "version": "1",
                "scale": {"min": -2, "max": 18, "labels": labels},
                "bands": [{"id": "all", "label": "All", "from": 0}],
                "themes": [
                    {
                        "id": "t",
                        "title": "T",
                        "indicators": [
                            {"id": f"i{n}", "statement": f"S {n}.", "actions": ["a"]}
                            for n in range(3)
                        ],
                    }
                ],
            }
        )
    )
    wide = load_framework(str(tmp_path))
    response = Response(framework_id="wide")
    prompt = ScriptedPrompt(["-2", "point 18", "-3", "?", "0", "q"])
    assert Questionnaire(wide, response, prompt, lambda: None).run() is Outcome.QUIT
    assert response.answers == {"i0": -2, "i1": 18, "i2": 0}
    assert "  -2 Point -2 to 18 Point 18 (? lists every point)" in prompt.shown
    assert "-3 is not on the scale: type a number from -2 to 18, or ? for help." in prompt.shown
    assert any("-1 Point -1, 0 Point 0, 1 Point 1" in line for line in prompt.shown)
    assert prompt.asked[0] == "Your answer (-2 to 18, b, ?, q): "


def test_questionnaire_calls_save_after_every_change(small: Framework) -> None:
    response = Response(framework_id="no-skip")
    copies: list[dict[str, int | None]] = []
    prompt = ScriptedPrompt(["1", "2", "b", "3", "4", "thought", "q"])
    q = Questionnaire(small, response, prompt, lambda: copies.append(dict(response.answers)))
    assert q.run() is Outcome.QUIT
    assert copies == [
        {"a-one": 1},
        {"a-one": 1, "a-two": 2},
        {"a-one": 1, "a-two": 3},
        {"a-one": 1, "a-two": 3, "a-three": 4},  # the answer
        {"a-one": 1, "a-two": 3, "a-three": 4},  # the reflection
        {"a-one": 1, "a-two": 3, "a-three": 4},  # q
    ]
    assert response.completed is None


def test_pledge_follow_ups_are_optional(small: Framework) -> None:
    response = Response(framework_id="no-skip", answers={i: 1 for i in small.indicator_ids})
    prompt = ScriptedPrompt(["Run a huddle", "", "By the end of June"])
    q = Questionnaire(small, response, prompt, lambda: None, clock=lambda: END, today=lambda: TODAY)
    assert q.run(q.resume_index()) is Outcome.COMPLETED
    assert response.pledge == Pledge("Run a huddle", None, dt.date(2027, 6, 30))
    assert response.completed == END
    assert "Your pledge: Run a huddle, by 30 June 2027." in prompt.transcript


def test_interrupts_deferred_holds_ctrl_c_until_the_save_is_done() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("written")
    assert done == ["written"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_interrupts_deferred_keeps_ctrl_c_ignored_when_it_was() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupts_deferred():
            os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_terminal_prompt_reads_lines_and_echoes_piped_input() -> None:
    out = io.StringIO()
    prompt = TerminalPrompt(io.StringIO("4\nfine words\n"), out)
    assert prompt.ask("Answer: ") == "4"
    prompt.say("shown", style="bold")
    assert prompt.ask("More: ") == "fine words"
    with pytest.raises(EOFError):
        prompt.ask("Again: ")
    # Not a terminal: no colour codes, the answers echoed so the transcript reads well.
    assert out.getvalue() == "Answer: 4\nshown\nMore: fine words\nAgain: \n"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_prompt_wraps_long_lines_between_words_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "41")
    out = FakeTerminal()
    prompt = TerminalPrompt(io.StringIO(""), out)
    text = "  I look for the barriers around a person, rather than at their condition."
    prompt.say(text)
    prompt.say("To carry on, run: lpc-assess take --answers a-rather-long-name.yaml", wrap=False)
    lines = out.getvalue().splitlines()
    assert lines[:-1] == [
        "  I look for the barriers around a",
        "  person, rather than at their",
        "  condition.",
    ]
    assert lines[-1] == "To carry on, run: lpc-assess take --answers a-rather-long-name.yaml"


def test_scripted_prompt_raises_like_a_terminal() -> None:
    prompt = ScriptedPrompt(["1", CTRL_C])
    assert prompt.ask("a") == "1"
    with pytest.raises(KeyboardInterrupt):
        prompt.ask("b")
    with pytest.raises(EOFError):
        prompt.ask("c")


# --- the name, the pledge, the reminder and the follow-up (docs/taking-the-self-check.md) ------

SMALL_WHOLE = ["4", "4", "4", "", "1", "1", "4", ""]  # alpha 100 %, beta 0 %; no notes


def completed_small(path: str, answers: list[int], when: str, **extra: Any) -> None:
    ids = ["a-one", "a-two", "a-three", "b-one", "b-two", "b-three"]
    Path(path).write_text(small_file(dict(zip(ids, answers, strict=True)), completed=when, **extra))


def test_the_name_is_asked_first_and_goes_into_the_file_and_the_report(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    code, prompt = take(SMALL_WHOLE[:-1] + [""], framework=str(NO_SKIP), name="  Alex Smith ")
    assert code == 0
    assert prompt.asked[0] == "Your name, for your report (Enter to skip): "
    assert saved()["respondent"] == {"name": "Alex Smith"}
    assert fake_render[0]["response"].respondent_name == "Alex Smith"


def test_enter_at_the_name_leaves_it_out(small: Framework, here: Path) -> None:
    code, _ = take(["1", "q"], framework=str(NO_SKIP))
    assert code == 0
    assert "respondent" not in saved()


def test_q_at_the_name_saves_and_says_how_to_carry_on(small: Framework, here: Path) -> None:
    code, prompt = take([], framework=str(NO_SKIP), name="q")
    assert code == 0
    assert saved()["answers"] == {}
    assert "Saved: 0 of 6 answered" in prompt.transcript
    assert "To carry on, run: lpc-assess take --framework" in prompt.transcript


def test_a_misspelt_label_gets_a_did_you_mean(builtin: Framework, here: Path) -> None:
    code, prompt = take(["sometims", "Sometimes", "not aplicable", "q"])
    assert code == 0
    assert "Did you mean 3 Sometimes? Type 3 and press Enter, or ? for help." in prompt.shown
    assert "Did you mean Not applicable? Type s and press Enter, or ? for help." in prompt.shown
    assert saved()["answers"] == {builtin.indicator_ids[0]: 3}


def test_a_pledge_leaves_a_reminder_beside_the_answers(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    import icalendar

    script = SMALL_WHOLE[:-1] + ["Run a huddle", "my team", "1/1/2026", "31/12/2026"]
    code, prompt = take(script, framework=str(NO_SKIP), answers="me.yaml")
    assert code == 0
    assert "Thursday 1 January 2026 has already passed" in prompt.transcript
    ics = here / "me-pledge.ics"
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600
    event = next(c for c in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert event.decoded("DTSTART") == dt.date(2026, 12, 31)
    assert str(event["SUMMARY"]) == "Review your pledge: Run a huddle"
    description = str(event["DESCRIPTION"])
    assert "Your pledge: Run a huddle, with my team, by 31 December 2026." in description
    retake = f"cd {here} && lpc-assess take --framework {NO_SKIP} --previous me.yaml"
    assert retake in description
    assert (
        f"A reminder to look back at your pledge, on 31 December 2026: {ics.name}"
        in prompt.transcript
    )


def test_no_pledge_removes_a_stale_reminder(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    stale = here / "me-pledge.ics"
    stale.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    code, prompt = take(SMALL_WHOLE, framework=str(NO_SKIP), answers="me.yaml")
    assert code == 0
    assert not stale.exists()
    assert "The earlier reminder me-pledge.ics was removed: no pledge now." in prompt.transcript


def test_without_a_date_the_reminder_is_four_weeks_on(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    import icalendar

    code, _ = take(SMALL_WHOLE[:-1] + ["Run a huddle", "", ""], framework=str(NO_SKIP))
    assert code == 0
    ics = here / "lpc-answers-2026-11-23-pledge.ics"
    event = next(c for c in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert event.decoded("DTSTART") == TODAY + dt.timedelta(days=28) == dt.date(2026, 12, 21)


def test_no_pledge_no_reminder(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    assert take(SMALL_WHOLE, framework=str(NO_SKIP))[0] == 0
    assert not list(here.glob("*.ics"))


def test_the_newest_completed_self_check_in_the_folder_is_followed_up(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    pledge = {"text": "Listen first", "with_whom": None, "by_when": "2026-11-01"}
    completed_small("lpc-answers-2026-09-01.yaml", [2] * 6, "2026-09-01T10:00:00Z")
    completed_small("lpc-answers-2026-10-01.yaml", [3] * 6, "2026-10-01T10:00:00Z", pledge=pledge)
    # Not followed up: unfinished, unreadable, another framework, or not an lpc-answers file.
    Path("lpc-answers-2026-11-01.yaml").write_text(small_file({"a-one": 1}))
    Path("lpc-answers-2026-11-02.yaml").write_text("framework: no-skip\nanswers: [\n")
    Path("lpc-answers-2026-11-03.yaml").write_text(
        "framework: personalised-care\ncompleted: 2026-11-03T10:00:00Z\nanswers: {}\n"
    )
    completed_small("zz-later.yaml", [1] * 6, "2026-11-10T10:00:00Z")

    code, prompt = take(["partly", "Half the visits", *SMALL_WHOLE], framework=str(NO_SKIP))
    assert code == 0
    transcript = prompt.transcript
    assert "Your last self-check is in lpc-answers-2026-10-01.yaml, completed on 1 October" in (
        transcript
    )
    assert "Your pledge then: Listen first, by 1 November 2026." in transcript
    assert saved()["previous_pledge"] == {
        "text": "Listen first",
        "with_whom": None,
        "by_when": "2026-11-01",
        "outcome": "partly",
        "note": "Half the visits",
        "source": "lpc-answers-2026-10-01.yaml",
    }
    # The report compares with that file. On the 1-4 scale, 3 everywhere gave alpha
    # (3-1)/3 = 66.7 %, and beta 3, 3 and a reverse-keyed 1+4-3 = 2: mean 8/3, 55.6 %.
    call = fake_render[0]
    assert call["earlier"] == "lpc-answers-2026-10-01.yaml"
    assert call["earlier_label"] == "your self-check of 1 October 2026"
    # Now alpha is 100 % and beta 0 %.
    assert call["comparison"]["alpha"] == pytest.approx(100 - 200 / 3)
    assert call["comparison"]["beta"] == pytest.approx(0 - 100 * (8 / 3 - 1) / 3)


def test_previous_names_the_self_check_to_follow_up(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    Path("old").mkdir()
    completed_small("old/mine.yaml", [4] * 6, "2026-05-01T10:00:00Z", pledge="Plain old pledge.")
    completed_small("lpc-answers-2026-10-01.yaml", [3] * 6, "2026-10-01T10:00:00Z")
    code, prompt = take(
        ["done", "", *SMALL_WHOLE], framework=str(NO_SKIP), previous="old/mine.yaml"
    )
    assert code == 0
    assert "Your pledge then: Plain old pledge." in prompt.transcript
    previous = saved()["previous_pledge"]
    assert previous["source"] == "old/mine.yaml" and previous["outcome"] == "done"
    assert previous["text"] == "Plain old pledge."
    assert fake_render[0]["earlier"] == "old/mine.yaml"


def test_a_resumed_self_check_is_still_compared_with_the_one_it_followed(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    pledge = {"text": "Listen first", "with_whom": None, "by_when": None}
    completed_small("lpc-answers-2026-10-01.yaml", [3] * 6, "2026-10-01T10:00:00Z", pledge=pledge)
    code, _ = take(["done", "", "4", "q"], framework=str(NO_SKIP))
    assert code == 0
    # A newer completed file appears meanwhile; the resumed one keeps its comparison.
    completed_small("lpc-answers-2026-11-01.yaml", [1] * 6, "2026-11-01T10:00:00Z")
    code, prompt = take(SMALL_WHOLE[1:], framework=str(NO_SKIP))
    assert code == 0
    assert "How did it go?" not in "\n".join(prompt.asked)
    assert fake_render[0]["earlier"] == "lpc-answers-2026-10-01.yaml"
    assert saved()["previous_pledge"]["outcome"] == "done"


@pytest.mark.parametrize(
    "content, code, message",
    [
        (None, 1, "error[not-found]"),
        ("framework: no-skip\nanswers: {a-one: 1}\n", 1, "not a completed self-check"),
        ("framework: no-skip\nanswers: {a-one: 9}\n", 1, "outside the scale"),
    ],
)
def test_a_previous_file_that_cannot_be_followed_up_stops_before_any_question(
    small: Framework,
    here: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    code: int,
    message: str,
) -> None:
    if content is not None:
        Path("p.yaml").write_text(content)
    result, prompt = take(["1"], framework=str(NO_SKIP), previous="p.yaml")
    assert result == code
    assert message in capsys.readouterr().err
    assert prompt.asked == []
    assert not Path(DEFAULT_FILE).exists()


def test_previous_cannot_be_the_answers_file_itself(
    small: Framework, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    completed_small("x.yaml", [1] * 6, "2026-10-01T10:00:00Z")
    code, prompt = take([], framework=str(NO_SKIP), answers="x.yaml", previous="./x.yaml")
    assert code == 2
    assert "--previous names the answers file itself" in capsys.readouterr().err


def test_the_resume_command_names_the_program_as_it_was_invoked(
    small: Framework, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As after `make run`: argv[0] is .venv/bin/lpc-assess, and no lpc-assess is on the PATH.
    monkeypatch.setattr("sys.argv", [".venv/bin/lpc-assess", "take"])
    monkeypatch.setenv("PATH", str(here / "empty"))
    code = run_take(
        str(NO_SKIP), Path("my answers.yaml"), None, prompt=ScriptedPrompt(["", "1", "q"])
    )
    assert code == 0
    # The prompt was made here, so look at what was printed through a fresh one.
    prompt = ScriptedPrompt(["2", "q"])
    run_take(str(NO_SKIP), Path("my answers.yaml"), None, prompt=prompt)
    assert (
        f"To carry on, run: .venv/bin/lpc-assess take --framework {NO_SKIP} "
        "--answers 'my answers.yaml'"
    ) in prompt.transcript


def test_a_resumed_self_check_whose_earlier_file_is_gone_says_so(
    small: Framework,
    here: Path,
    fake_render: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    pledge = {"text": "Listen first", "with_whom": None, "by_when": None}
    completed_small("lpc-answers-2026-10-01.yaml", [3] * 6, "2026-10-01T10:00:00Z", pledge=pledge)
    assert take(["done", "", "4", "q"], framework=str(NO_SKIP))[0] == 0
    Path("lpc-answers-2026-10-01.yaml").unlink()
    code, _ = take(SMALL_WHOLE[1:], framework=str(NO_SKIP))
    assert code == 0
    err = capsys.readouterr().err
    assert "lpc-answers-2026-10-01.yaml: the earlier self-check cannot be read" in err
    assert "earlier" not in fake_render[0]  # no comparison, and nothing else lost
    assert saved()["previous_pledge"]["outcome"] == "done"


def test_the_reminder_keeps_its_uid_when_the_self_check_is_taken_again(
    small: Framework, here: Path, fake_render: list[dict[str, Any]]
) -> None:
    import icalendar

    def event() -> Any:
        data = (here / "me-pledge.ics").read_bytes()
        return next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))

    pledge = ["Run a huddle", "", "31/12/2026"]
    assert take(SMALL_WHOLE[:-1] + pledge, framework=str(NO_SKIP), answers="me.yaml")[0] == 0
    first = event()
    # Taken again into the same file (r replaces it), with another pledge and date.
    again = ["r", "", *SMALL_WHOLE[:-1], "Run two huddles", "", "in 2 weeks"]
    assert take(again, framework=str(NO_SKIP), answers="me.yaml", name=None)[0] == 0
    second = event()
    assert str(second["UID"]) == str(first["UID"])  # calendars update the event
    assert second.decoded("DTSTART") == dt.date(2026, 12, 7)
    assert str(second["SUMMARY"]) == "Review your pledge: Run two huddles"
