"""`take` as a real process with piped input: a whole self-check, leaving early, resuming."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml

from lpc_assess.model.framework import load_framework
from tests.conftest import DATA, run_cli

IDS = load_framework(None).indicator_ids
THEMES = ["being", "relating-and-communicating", "leading-and-visioning", "delivering"]
VALUES = [1, 2, 3, 4, 5, 4] * 4


def script(values: list[int], *, notes: bool = True, pledge: bool = True) -> str:
    """Input lines for the built-in framework: six answers and a reflection per theme."""
    lines: list[str] = []
    for t, theme in enumerate(THEMES):
        lines += [str(v) for v in values[t * 6 : (t + 1) * 6]]
        lines.append(f"A thought on {theme}" if notes else "")
    lines += ["Ask two people what matters", "my team", "the end of June"] if pledge else [""]
    return "\n".join(lines) + "\n"


def answers_file(folder: Path) -> Path:
    found = sorted(folder.glob("lpc-answers-*.yaml"))
    assert len(found) == 1, found
    return found[0]


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def test_a_whole_self_check_with_piped_input(tmp_path: Path) -> None:
    result = run_cli("take", cwd=tmp_path, input=script(VALUES))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    path = answers_file(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = load(path)
    assert data["framework"] == "personalised-care"
    assert data["answers"] == dict(zip(IDS, VALUES, strict=True))
    assert data["notes"] == {theme: f"A thought on {theme}" for theme in THEMES}
    assert data["pledge"] == "Ask two people what matters, with my team, by the end of June."
    assert "started" in data and "completed" in data
    report = path.with_suffix(".html")
    html = report.read_text()
    assert "<html" in html.lower() and "Leadership for Personalised Care" in html
    assert "Ask two people what matters" in html
    out = result.stdout
    assert "Being · 1 of 6 · 0/24 answered" in out
    assert "Delivering · 6 of 6 · 23/24 answered" in out
    assert "Your results" in out and "Overall" in out
    assert f"Your report: {report.name}" in out
    assert "\x1b[" not in out  # not a terminal: plain text


def test_stopping_half_way_saves_and_resuming_finishes(tmp_path: Path) -> None:
    first_half = script(VALUES).splitlines()[:10]  # Being, its reflection, three more
    result = run_cli("take", cwd=tmp_path, input="\n".join(first_half) + "\n")
    assert result.returncode == 130
    assert "Traceback" not in result.stderr
    path = answers_file(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = load(path)
    assert data["answers"] == dict(zip(IDS[:9], VALUES[:9], strict=True))
    assert data["notes"] == {"being": "A thought on being"}
    assert "completed" not in data
    command = f"lpc-assess take --answers {path.name}"
    assert f"To carry on, run: {command}" in result.stdout
    assert not path.with_suffix(".html").exists()

    rest = script(VALUES).splitlines()[10:]
    result = run_cli(*command.split()[1:], cwd=tmp_path, input="\n".join(rest) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Resuming: 9 of 24 answered." in result.stdout
    assert "Relating and Communicating · 4 of 6 · 9/24 answered" in result.stdout
    data = load(path)
    assert data["answers"] == dict(zip(IDS, VALUES, strict=True))
    assert len(data["notes"]) == 4 and "completed" in data
    assert path.with_suffix(".html").exists()


def test_answers_and_report_where_asked_in_markdown(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = run_cli(
        "take",
        "--answers",
        "me.yaml",
        "--report",
        "out/me.md",
        cwd=tmp_path,
        input=script(VALUES, notes=False, pledge=False),
    )
    assert result.returncode == 0, result.stderr
    assert load(tmp_path / "me.yaml")["answers"] == dict(zip(IDS, VALUES, strict=True))
    assert "notes" not in load(tmp_path / "me.yaml")
    markdown = (tmp_path / "out" / "me.md").read_text()
    assert "Leadership for Personalised Care" in markdown and "<html" not in markdown.lower()
    assert "Your report: out/me.md" in result.stdout


def test_another_framework_and_its_resume_command(tmp_path: Path) -> None:
    framework = str(DATA / "frameworks" / "no-skip")
    result = run_cli(
        "take", "--framework", framework, "--answers", "small.yaml", cwd=tmp_path, input="s\n2\nq\n"
    )
    assert result.returncode == 0
    assert "This self-check has no skip answer" in result.stdout
    assert f"lpc-assess take --framework {framework} --answers small.yaml" in result.stdout
    assert load(tmp_path / "small.yaml")["answers"] == {"a-one": 2}


def test_a_complete_file_is_kept_when_nobody_says_yes(tmp_path: Path) -> None:
    assert (
        run_cli("take", "--answers", "a.yaml", cwd=tmp_path, input=script(VALUES)).returncode == 0
    )
    before = (tmp_path / "a.yaml").read_bytes()
    result = run_cli("take", "--answers", "a.yaml", cwd=tmp_path, input=script(VALUES))
    assert result.returncode == 1
    assert "a.yaml was not replaced" in result.stderr
    assert (tmp_path / "a.yaml").read_bytes() == before


def test_a_broken_answers_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("framework: personalised-care\nanswers: {listens-frist: 4}\n")
    result = run_cli("take", "--answers", "a.yaml", cwd=tmp_path, input="4\n")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "a.yaml:2:11: error[unknown-indicator]: unknown indicator 'listens-frist' "
        "(did you mean 'listens-first'?)"
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert "listens-frist" in (tmp_path / "a.yaml").read_text()


def test_no_input_at_all_still_exits_cleanly(tmp_path: Path) -> None:
    result = run_cli("take", cwd=tmp_path, input="")
    assert result.returncode == 130
    assert "Traceback" not in result.stderr
    assert "To carry on, run: lpc-assess take --answers lpc-answers-" in result.stdout
