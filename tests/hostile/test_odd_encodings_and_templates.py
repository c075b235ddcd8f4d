"""Odd encodings and hostile templates: each is one clear line, never "internal error"."""

from __future__ import annotations

from pathlib import Path

import pytest

import lpc_assess.reports.templates as templates
from tests.conftest import DATA, run_cli

ALEX = DATA / "answers" / "alex.yaml"
FORMS = DATA / "csv" / "ms-forms.csv"


@pytest.mark.parametrize(
    ("encoding", "why"),
    [
        ("rot13", "is not a text encoding"),
        ("base64", "is not a text encoding"),
        ("zip", "is not a text encoding"),
        ("klingon", "is not an encoding"),
    ],
)
def test_encoding_must_be_a_text_encoding(encoding: str, why: str) -> None:
    result = run_cli("batch", str(FORMS), "--encoding", encoding)
    assert result.returncode == 2
    assert "internal error" not in result.stderr
    assert f"'{encoding}' {why}" in result.stderr


def test_a_text_encoding_is_accepted() -> None:
    result = run_cli("batch", str(FORMS), "--encoding", "cp1252")
    assert result.returncode == 1  # row 4 of this export has a typo
    assert "scored 6 response(s) from 1 input(s); 1 rejected" in result.stderr


def test_a_lone_surrogate_in_an_answers_file_rejects_that_file(tmp_path: Path) -> None:
    source = (DATA / "answers" / "alex.json").read_text(encoding="utf-8")
    odd = tmp_path / "odd.json"
    odd.write_text(source.replace('"Alex Smith"', '"Alex \\ud800 Smith"'), encoding="utf-8")
    for args in (["report", str(odd)], ["batch", str(odd), str(DATA / "answers" / "alex.json")]):
        result = run_cli(*args)
        assert result.returncode == 1
        assert "internal error" not in result.stderr
        assert "odd.json:" in result.stderr


def template_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "person.md.j2").write_text(text, encoding="utf-8")
    return folder


def test_a_template_that_includes_itself_is_named(tmp_path: Path) -> None:
    folder = template_folder(tmp_path, '{% include "person.md.j2" %}\n')
    result = run_cli("report", str(ALEX), "--template", str(folder))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "template: error[template-error]: template failed: person.md.j2 includes or calls "
        "itself without end (recursion)"
    ]


def test_a_runaway_template_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process with a small budget: the same check as the 64 MiB one, quicker."""
    from typer.testing import CliRunner

    from lpc_assess.cli import app

    monkeypatch.setattr(templates, "MAX_OUTPUT", 1 << 20)
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}xx{% endfor %}{% endfor %}"
    folder = template_folder(tmp_path, loop)
    result = CliRunner().invoke(app, ["report", str(ALEX), "--template", str(folder)])
    assert result.exit_code == 1
    assert "person.md.j2 writes more than 1 MiB: stopped (a runaway loop?)" in result.stderr


def test_a_template_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "person.md.j2").symlink_to(secret)
    result = run_cli("report", str(ALEX), "--template", str(folder))
    assert result.returncode == 1
    assert "the secret" not in result.stdout + result.stderr
    assert "is a link that leads out of the template folder: not followed" in result.stderr


def test_a_template_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    folder = template_folder(tmp_path, "")
    (folder / "mine.md.j2").write_text("Hello {{ respondent.display }}\n", encoding="utf-8")
    (folder / "person.md.j2").unlink()
    (folder / "person.md.j2").symlink_to(folder / "mine.md.j2")
    result = run_cli("report", str(ALEX), "--template", str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello Alex Smith\n"


def test_a_lone_surrogate_from_utf7_rejects_only_its_row(tmp_path: Path) -> None:
    """utf-7 can decode `+2D0-` to U+D83D alone: that row is left out, the next one scored."""
    header, first = FORMS.read_text(encoding="utf-8-sig").splitlines()[:2]
    assert "Alex Smith" in first and '"' not in first
    odd = first.replace("Alex Smith", "Alex +2D0- Smith")
    other = first.replace("Alex Smith", "Ann Other").replace("alex.smith", "ann.other")
    export = tmp_path / "u7.csv"
    export.write_bytes(f"{header}\n{odd}\n{other}\n".encode("ascii"))
    scores = tmp_path / "scores.csv"
    result = run_cli("batch", str(export), "--encoding", "utf-7", "--scores", str(scores))
    assert "internal error" not in result.stderr
    assert f"{export}: row 2: a cell holds a lone surrogate" in result.stderr
    assert "scored 1 response(s) from 1 input(s); 1 rejected" in result.stderr
    assert result.returncode == 1
    assert "Ann Other" in scores.read_text(encoding="utf-8")
