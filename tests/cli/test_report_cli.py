"""`lpc-assess report` through the real command line, on real answers files.

Golden outputs live in tests/data/golden/report/. After an intended change to
a report, regenerate them with

    LPC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_report_cli.py

and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lpc_assess import __version__
from lpc_assess.cli import app
from tests.conftest import DATA, REPO, run_cli

runner = CliRunner()
ANSWERS = DATA / "answers"
GOLDEN = DATA / "golden" / "report"
UPDATE = os.environ.get("LPC_UPDATE_GOLDEN") == "1"
DIAGNOSTIC = re.compile(r"^[^:\s]+:\d+:\d+: error\[[a-z-]+\]: .+$")


@pytest.fixture(autouse=True)
def _in_answers_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in messages and in the JSON are as the user gives them: relative here.
    monkeypatch.chdir(ANSWERS)


def report(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["report", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def golden_text(name: str, text: str) -> None:
    """Compare with a stored snapshot (the version number is left out of it)."""
    text = text.replace(f"lpc-assess {__version__}", "lpc-assess VERSION")
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; run with LPC_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


def golden_json(name: str, text: str) -> None:
    data = json.loads(text)
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with LPC_UPDATE_GOLDEN=1 to create it"
    assert data == json.loads(path.read_text(encoding="utf-8"))


# --- golden outputs ---------------------------------------------------------------------


def test_json_matches_golden_and_the_hand_computed_figures() -> None:
    code, out, err = report("alex.yaml", "--format", "json")
    assert (code, err) == (0, "")
    golden_json("alex.json", out)
    data = json.loads(out)
    # By hand (docs/scoring.md): Being (4+4+3+5+2+4)/6 = 3.6667 -> 66.667 %;
    # Relating (5+3+2+3+[6-2])/5 = 3.4 -> 60 %; Leading 20/6 -> 58.333 %;
    # Delivering 21/6 = 3.5 -> 62.5 %; overall (66.667+60+58.333+62.5)/4 = 61.875.
    percents = [t["percent"] for t in data["themes"]]
    assert percents == pytest.approx([200 / 3, 60.0, 175 / 3, 62.5])
    assert [t["band"] for t in data["themes"]] == [
        "established",
        "established",
        "developing",
        "established",
    ]
    assert data["overall"] == {"percent": 61.875, "band": "established", "complete": True}
    assert [s["id"] for s in data["priorities"]] == [
        "scales-with-quality",
        "leads-change-with-confidence",
        "convenes-conversations",
    ]


def test_json_from_a_json_answers_file_is_the_same() -> None:
    _, from_yaml, _ = report("alex.yaml", "--format", "json")
    _, from_json, _ = report("alex.json", "--format", "json")
    assert json.loads(from_yaml) == json.loads(from_json)


def test_real_process_json_matches_golden() -> None:
    result = run_cli("report", "alex.yaml", "--format", "json", cwd=ANSWERS)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    golden_json("alex.json", result.stdout)


def test_markdown_snapshot() -> None:
    code, out, _ = report("alex.yaml")  # Markdown is the default
    assert code == 0
    golden_text("alex.md", out)


def test_markdown_snapshot_with_comparison() -> None:
    code, out, _ = report("alex.yaml", "--format", "md", "--compare", "alex-earlier.yaml")
    assert code == 0
    golden_text("alex-compare.md", out)


def test_html_snapshot_with_comparison() -> None:
    code, out, _ = report("alex.yaml", "--format", "html", "--compare", "alex-earlier.yaml")
    assert code == 0
    golden_text("alex-compare.html", out)


def test_weighted_framework_snapshots() -> None:
    # Indicator and theme weights, a reverse item, a per-theme min_answered, a skipped theme:
    # the figures of tests/unit/scoring/test_person.py, as a person reads them.
    framework = str(DATA / "frameworks" / "one-to-five")
    code, out, _ = report("one-to-five.yaml", "--framework", framework)
    assert code == 0
    golden_text("one-to-five.md", out)
    assert "| Alpha | (4 + 2 + 4 + 2×5) ÷ 5 | 4.00 | 75.0% |" in out
    assert "| **Overall** | (1×75.0 + 3×50.0 + 1×0.0) ÷ 5 | | **45.0%** |" in out
    assert "**Not scored:** 0 of 2 statements answered, and a score needs at least 1 (50%)." in out
    code, out, _ = report("one-to-five.yaml", "--framework", framework, "--format", "html")
    assert code == 0
    golden_text("one-to-five.html", out)
    _, out, _ = report("one-to-five.yaml", "--framework", framework, "--format", "json")
    golden_json("one-to-five.json", out)
    assert json.loads(out)["overall"] == {"percent": 45.0, "band": "mid", "complete": False}


def test_markdown_parses_into_the_intended_structure() -> None:
    markdown_it = pytest.importorskip("markdown_it")  # a dependency of rich
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    for name in ("alex.yaml", "hostile.yaml"):
        _, out, _ = report(name, "--compare", "alex-earlier.yaml")
        html = parser.render(out)
        tags = set(re.findall(r"<([a-z0-9]+)\b", html))
        assert tags <= {
            "h1", "h2", "h3", "p", "strong", "em", "code", "br", "hr", "blockquote",
            "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
        }  # fmt: skip
        assert html.count("<h1>") == 1
        assert all(h.startswith("https://") for h in re.findall(r'<a href="([^"]*)"', html))
        # every table row has as many cells as its header
        for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
            head = len(re.findall(r"<th\b", table.split("</thead>")[0]))
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], flags=re.S):
                assert len(re.findall(r"<td\b", row)) == head
    _, hostile, _ = report("hostile.yaml")
    html = parser.render(hostile)
    assert "<h1>Development report for &lt;script&gt;alert(1)&lt;/script&gt; | `rm -rf`" in html
    assert "# not a heading<br />" in html and "1. not a list<br />" in html


def test_markdown_reads_as_markdown_not_html() -> None:
    _, out, _ = report("alex.yaml")
    assert not re.search(r"<[a-z/][^>]*>", out)  # no HTML tags at all
    assert out.startswith("# Development report for Alex Smith\n\n")
    assert "| Being | `█████████████░░░░░░░` | 66.7% | Established | 6 of 6 |" in out
    assert "> Ask two people who use our service" in out
    assert "(4 + 4 + 3 + 5 + 2 + 4) ÷ 6 | 3.67 | 66.7% |" in out


def test_html_is_one_self_contained_accessible_file() -> None:
    _, out, _ = report("alex.yaml", "--format", "html", "--compare", "alex-earlier.yaml")
    assert out.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<script" not in out.lower()
    assert "<link" not in out.lower() and "@import" not in out and "url(http" not in out
    # the only addresses are the resources' links
    addresses = re.findall(r"https?://[^\s\"'<>)]+", out)
    links = re.findall(r'<a href="(https?://[^"]+)"', out)
    assert addresses and sorted(addresses) == sorted(links)
    # headings in order, one h1
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", out)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    # every chart is an image with a title and a description
    charts = re.findall(r"<svg\b.*?</svg>", out, flags=re.S)
    assert len(charts) == 1  # each figure once: the theme table and one chart, the radar
    for svg in charts:
        assert 'role="img"' in svg and "<title " in svg and "<desc " in svg
    ids = re.findall(r'\bid="([^"]+)"', out)
    assert len(ids) == len(set(ids))
    assert "@page { size: A4; margin: 10mm 11mm; }" in out
    assert "break-inside: avoid" in out and "thead { display: table-header-group; }" in out


# --- comparison -------------------------------------------------------------------------


def test_compare_with_a_theme_missing_earlier() -> None:
    code, out, _ = report("alex.yaml", "--format", "json", "--compare", "alex-earlier.yaml")
    assert code == 0
    comparison = json.loads(out)["comparison"]
    assert comparison["earlier"] == "alex-earlier.yaml"
    # earlier: Being 18/6 = 3 -> 50 %; Relating 17/6 -> 45.833 %; Leading 17/6 -> 45.833 %;
    # Delivering 2 of 6 answered -> no score.
    assert comparison["themes"] == {
        "being": pytest.approx(200 / 3 - 50),
        "relating-and-communicating": pytest.approx(60 - 275 / 6),
        "leading-and-visioning": pytest.approx(12.5),
        "delivering": None,
    }
    golden_json("alex-compare.json", out)


def test_compare_with_a_theme_missing_now() -> None:
    code, out, _ = report("alex-earlier.yaml", "--format", "json", "--compare", "alex.yaml")
    assert code == 0
    data = json.loads(out)
    assert data["overall"]["complete"] is False
    assert data["comparison"]["themes"]["delivering"] is None
    assert data["comparison"]["themes"]["being"] == pytest.approx(50 - 200 / 3)
    _, md, _ = report("alex-earlier.yaml", "--compare", "alex.yaml")
    assert "| Delivering | `····················` | no score | not scored | 2 of 6 |" in md
    assert "| 62.5% | no score now |" in md
    assert "Change since your self-check of 22 November 2026" in md
    _, html, _ = report("alex-earlier.yaml", "--format", "html", "--compare", "alex.yaml")
    assert "Delivering had too few, so this overall figure is incomplete.\nScores are" in html


def test_compare_warns_when_the_respondents_differ(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("framework: personalised-care\nrespondent: {id: sam}\nanswers: {}\n")
    code, _, err = report("alex.yaml", "--format", "json", "--compare", str(other))
    assert code == 0
    assert err.strip().endswith(
        "warning[different-respondent]: earlier answers are from 'sam', not 'alex-smith'"
    )


# --- --output -----------------------------------------------------------------------


def test_output_writes_the_same_report_atomically(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("an older report")
    code, out, err = report("alex.yaml", "--format", "html", "--output", str(target))
    assert (code, out) == (0, "")
    assert err == f"report written to {target}\n"
    _, direct, _ = report("alex.yaml", "--format", "html")
    assert target.read_text(encoding="utf-8") == direct
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary left


def test_output_into_a_missing_folder_is_one_line_and_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.md"
    code, out, err = report("alex.yaml", "--output", str(target))
    assert (code, out) == (1, "")
    assert err == (
        f"{target}: error[cannot-write]: cannot write the report: No such file or directory\n"
    )


def test_output_onto_a_folder_is_one_line_and_exit_1(tmp_path: Path) -> None:
    code, out, err = report("alex.yaml", "--output", str(tmp_path))
    assert (code, out) == (1, "")
    assert (
        err
        == f"{tmp_path}: error[cannot-write]: cannot write the report: is a folder, not a file\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_output_never_overwrites_the_answers(tmp_path: Path) -> None:
    answers = tmp_path / "mine.yaml"
    answers.write_bytes((ANSWERS / "alex.yaml").read_bytes())
    code, _, err = report(str(answers), "--output", str(answers))
    assert code == 2
    assert err == (
        f"lpc-assess report: --output {answers}: is the answers file, which this command "
        "reads; writing there would destroy it. Choose another file name\n"
    )
    assert answers.read_bytes() == (ANSWERS / "alex.yaml").read_bytes()


@pytest.mark.parametrize("target", ["earlier", "framework", "theme", "template", "link"])
def test_output_never_overwrites_any_input(tmp_path: Path, target: str) -> None:
    """Not the --compare answers, a framework or theme file, a template, nor a link to one."""
    import shutil

    framework = tmp_path / "fw"
    shutil.copytree(REPO / "frameworks" / "personalised-care", framework)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "person.md.j2").write_text("{{ respondent.display }}\n", encoding="utf-8")
    earlier = tmp_path / "earlier.yaml"
    earlier.write_bytes((ANSWERS / "alex-earlier.yaml").read_bytes())
    theme = sorted(framework.rglob("*.yaml"))[-1]
    (tmp_path / "link.yaml").symlink_to(theme)
    victim = {
        "earlier": earlier,
        "framework": framework / "framework.yaml",
        "theme": theme,
        "template": templates / "person.md.j2",
        "link": tmp_path / "link.yaml",
    }[target]
    before = victim.read_bytes()
    code, out, err = report(
        str(ANSWERS / "alex.yaml"),
        "--framework",
        str(framework),
        "--compare",
        str(earlier),
        "--template",
        str(templates),
        "--output",
        str(victim),
    )
    assert (code, out) == (2, "")
    assert err.startswith(f"lpc-assess report: --output {victim}: is ")
    assert len(err.splitlines()) == 1
    assert victim.read_bytes() == before


# --- templates --------------------------------------------------------------------------


def test_template_dir_overrides_one_template_by_file_name(tmp_path: Path) -> None:
    (tmp_path / "person.md.j2").write_text(
        "Report for {{ respondent.display }}: {{ overall.percent_text }}\n"
    )
    code, out, _ = report("alex.yaml", "--template", str(tmp_path))
    assert (code, out) == (0, "Report for Alex Smith: 61.9%\n")
    # HTML still uses the built-in templates, since the folder holds no HTML template
    _, html, _ = report("alex.yaml", "--format", "html", "--template", str(tmp_path))
    assert '<h2 id="where-you-stand">Where you stand</h2>' in html


def test_template_dir_can_override_a_partial_of_the_built_in_layout(tmp_path: Path) -> None:
    (tmp_path / "styles.css.j2").write_text("body { color: #000000; }\n")
    _, html, _ = report("alex.yaml", "--format", "html", "--template", str(tmp_path))
    assert "body { color: #000000; }" in html
    assert "#005eb8" not in html.split("</style>")[0]
    assert "Where you stand" in html


def test_a_broken_template_is_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "person.md.j2").write_text("line one\n{% if %}\n")
    code, out, err = report("alex.yaml", "--template", str(tmp_path))
    assert (code, out) == (1, "")
    [line] = err.splitlines()
    assert line.startswith(str(tmp_path / "person.md.j2") + ":2:1: error[template-syntax]: ")


def test_a_template_that_fails_while_rendering_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "person.md.j2").write_text("ok\n{{ no_such_value }}\n")
    code, _, err = report("alex.yaml", "--template", str(tmp_path))
    assert code == 1
    [line] = err.splitlines()
    assert "person.md.j2:2:1: error[template-error]: template failed: 'no_such_value'" in line


def test_template_must_be_a_folder() -> None:
    code, _, err = report("alex.yaml", "--template", "alex.yaml")
    assert code == 1
    assert err == ("alex.yaml: error[template-dir]: --template must name a folder of templates\n")


# --- hostile input ----------------------------------------------------------------------


def test_hostile_text_is_escaped_in_html() -> None:
    code, out, _ = report("hostile.yaml", "--format", "html")
    assert code == 0
    assert "<script>" not in out and "<img" not in out and "</p><script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "{{ 7*7 }}" in out and "{% if true %}IF{% endif %}" in out
    assert "=cmd|&#39; /C calc&#39;!A0" in out
    assert "\x1b" not in out
    assert 'href="javascript' not in out


def test_hostile_text_is_escaped_in_markdown() -> None:
    code, out, _ = report("hostile.yaml")
    assert code == 0
    assert out.startswith(
        r"# Development report for \<script\>alert(1)\</script\> \| \`rm -rf\` {{ 7\*7 }} "
        r"\*\*bold\*\*"
    )
    assert not re.search(r"(?<!\\)<", out)  # every < is escaped
    assert "> =cmd\\|' /C calc'!A0 and \\`backticks\\` and \\[a link\\](javascript:alert(1))" in out
    # each line of a multi-line note stays inside the quote and cannot start a block
    for line in [
        "> {{ 7\\*7 }} {% if true %}IF{% endif %} \\<img src=x onerror=alert(1)\\>  ",
        "> \\# not a heading  ",
        "> \\> not a quote  ",
        "> \\- not a list  ",
        "> 1\\. not a list  ",
        "> \\| a \\| b \\|  ",
        "> \\`\\`\\`  ",
    ]:
        assert line in out.splitlines()
    assert "\x1b" not in out
    assert "49" not in out.replace("2026", "")


def test_hostile_text_is_data_in_json() -> None:
    code, out, _ = report("hostile.yaml", "--format", "json")
    assert code == 0
    assert "<" not in out  # escaped as \u003c, so the JSON is safe inside HTML too
    data = json.loads(out)
    assert data["respondent"] == {
        "id": "<script>alert(1)</script>",
        "name": "<script>alert(1)</script> | `rm -rf` {{ 7*7 }} **bold**",
    }


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("invalid/unknown-indicator.yaml", "unknown-indicator"),
        ("invalid/fraction.yaml", "invalid-answer"),
        ("invalid/out-of-scale.yaml", "answer-out-of-scale"),
        ("invalid/framework-mismatch.yaml", "framework-mismatch"),
        ("invalid/huge-integer.yaml", "number-too-large"),
    ],
)
def test_bad_answers_file_is_exit_1_with_positioned_lines(name: str, code: str) -> None:
    exit_code, out, err = report(name, "--format", "html")
    assert (exit_code, out) == (1, "")
    lines = err.splitlines()
    assert lines and all(DIAGNOSTIC.match(line) for line in lines), err
    assert lines[0].startswith(f"{name}:") and f"error[{code}]" in lines[0]


def test_bad_answers_file_in_a_real_process() -> None:
    result = run_cli("report", "invalid/unknown-indicator.yaml", cwd=ANSWERS)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "invalid/unknown-indicator.yaml:4:3: error[unknown-indicator]: unknown indicator "
        "'knows-what-mater' (did you mean 'knows-what-matters'?)\n"
    )


def test_bad_earlier_file_is_reported_too() -> None:
    code, out, err = report("alex.yaml", "--compare", "invalid/fraction.yaml")
    assert (code, out) == (1, "")
    assert err.startswith("invalid/fraction.yaml:3:18: error[invalid-answer]")


def test_missing_answers_file() -> None:
    code, out, err = report("nowhere.yaml")
    assert (code, out) == (1, "")
    assert err == "nowhere.yaml: error[not-found]: no such file\n"


def test_version_mismatch_warns_and_still_reports() -> None:
    code, out, err = report("old-version.yaml", "--format", "json")
    assert code == 0
    assert json.loads(out)["framework"]["version"] == "1.0"
    assert err == (
        "old-version.yaml:2:20: warning[version-mismatch]: answers were given to version 0.9 "
        "of 'personalised-care'; scoring with version 1.0\n"
    )


def test_without_framework_the_answers_choose_a_local_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(DATA / "frameworks" / "one-to-five", tmp_path / "frameworks" / "one-to-five")
    shutil.copy(ANSWERS / "one-to-five.yaml", tmp_path / "mine.yaml")
    monkeypatch.chdir(tmp_path)
    code, out, err = report("mine.yaml", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["framework"] == {"id": "one-to-five", "version": "2.0"}


def test_other_framework_by_path() -> None:
    answers = DATA / "answers" / "zero-based.yaml"
    code, out, err = report(str(answers), "--framework", str(DATA / "frameworks" / "zero-based"))
    assert (code, err) == (0, "")
    assert "**Overall: 41.7%, Starting**" in out
    assert "0 · None of the time" in out
