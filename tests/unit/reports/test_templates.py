"""Rendering: Markdown escaping, number formatting, the sandboxed environments, the context
and the machine-readable JSON of one person."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

from lpc_assess.model.answers import Response, load_answers
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.reports.person import person_context, person_json, render_person
from lpc_assess.reports.templates import (
    MdSafe,
    change_text,
    join_and,
    json_text,
    md_block,
    md_inline,
    md_url,
    percent_text,
    render_template,
    template_environment,
    templates_dir,
    text_bar,
)
from lpc_assess.scoring.person import ResponseScore, compare_scores, score_response
from tests.conftest import DATA

ANSWERS = DATA / "answers"


@pytest.fixture(scope="module")
def builtin() -> Framework:
    return load_framework(None)


def scored(framework: Framework, name: str) -> tuple[Response, ResponseScore]:
    response, _ = load_answers(ANSWERS / name, framework)
    return response, score_response(framework, response.answers)


# --- Markdown escaping ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a | b", r"a \| b"),
        ("`code`", r"\`code\`"),
        ("*bold* _it_", r"\*bold\* \_it\_"),
        ("[x](y)", r"\[x\](y)"),
        ("<b>", r"\<b\>"),
        ("~~strike~~", r"\~\~strike\~\~"),
        (r"back\slash", r"back\\slash"),
        ("&amp; & fish", r"\&amp; & fish"),
        ("# heading", r"\# heading"),
        ("#hashtag", "#hashtag"),
        ("> quote", r"\> quote"),
        ("- item", r"\- item"),
        ("+ item", r"\+ item"),
        ("1. item", r"1\. item"),
        ("12) item", r"12\) item"),
        ("---", r"\---"),
        ("===", r"\==="),
        ("-4.2", "-4.2"),
        ("+16.7", "+16.7"),
        ("66.7%", "66.7%"),
        ("{{ 7*7 }}", r"{{ 7\*7 }}"),
        ("    indented code", "indented code"),
        ("two\nlines", "two lines"),
        ("bell\x07 and \x1b[31mred", "bell and [31mred".replace("[", "\\[")),
    ],
)
def test_md_inline_escapes(raw: str, escaped: str) -> None:
    assert md_inline(raw) == escaped


def test_md_block_keeps_lines_as_hard_breaks_and_escapes_each_line() -> None:
    text = "First line\n# not a heading\n\n\n> not a quote\r\n1. not a list"
    assert md_block(text) == "First line  \n\\# not a heading  \n\\> not a quote  \n1\\. not a list"
    assert md_block("a\nb", "> ") == "a  \n> b"


def test_safe_text_is_not_escaped_twice() -> None:
    once = md_inline("a | b")
    assert isinstance(once, MdSafe)
    assert md_inline(once) == once
    assert md_block(once) == once


def test_md_url_encodes_what_could_end_a_link() -> None:
    assert md_url("https://example.org/a b)c<d>|e") == "https://example.org/a%20b%29c%3Cd%3E%7Ce"
    assert md_url("https://example.org/?q=1&r=2#top") == "https://example.org/?q=1&r=2#top"


# --- numbers as text --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (70.83333333333334, "70.8%"),
        (62.25, "62.3%"),  # half up, as by hand (Python's round() gives 62.2)
        (0.04, "0.0%"),
        (100.0, "100.0%"),
        (None, "no score"),
    ],
)
def test_percent_text(value: float | None, text: str) -> None:
    assert percent_text(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(12.5, "+12.5"), (-4.25, "-4.3"), (-0.04, "0.0"), (0.0, "0.0")]
)
def test_change_text(value: float, text: str) -> None:
    assert change_text(value) == text


def test_text_bar() -> None:
    assert text_bar(50) == "█" * 10 + "░" * 10
    assert text_bar(0) == "░" * 20
    assert text_bar(100) == "█" * 20
    assert text_bar(62.5, 8) == "█████░░░"
    assert text_bar(2.5) == "█" + "░" * 19  # half a character rounds up
    assert text_bar(150) == "█" * 20
    assert text_bar(None) == "·" * 20
    assert text_bar(50, 10, ascii=True) == "#####....."
    assert text_bar(None, 4, ascii=True) == "----"


def test_join_and() -> None:
    assert join_and([]) == ""
    assert join_and(["A"]) == "A"
    assert join_and(["A", "B"]) == "A and B"
    assert join_and(["A", "B", "C"]) == "A, B and C"


# --- environments -----------------------------------------------------------------------


def test_builtin_templates_are_found() -> None:
    folder = templates_dir()
    for name in ("base.html.j2", "person.html.j2", "person.md.j2", "styles.css.j2"):
        assert (folder / name).is_file()


def test_environments_are_sandboxed_and_strict() -> None:
    for kind in ("html", "md"):
        env = template_environment(kind)  # type: ignore[arg-type]
        assert isinstance(env, SandboxedEnvironment)
        with pytest.raises(jinja2.UndefinedError):
            env.from_string("{{ missing }}").render()
        with pytest.raises(jinja2.exceptions.SecurityError):
            env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()


def test_html_autoescapes_and_md_escapes_every_printed_value() -> None:
    html = template_environment("html").from_string("<p>{{ v }}</p>")
    assert html.render(v="<b>&") == "<p>&lt;b&gt;&amp;</p>"
    md = template_environment("md").from_string("{{ v }} {{ n }} {{ s }}")
    assert md.render(v="a|b *c*", n=3, s=MdSafe("**kept**")) == r"a\|b \*c\* 3 **kept**"


def test_input_is_never_template_source(tmp_path: Path) -> None:
    # A value that looks like a template is printed, never evaluated.
    for kind in ("html", "md"):
        env = template_environment(kind)  # type: ignore[arg-type]
        out = env.from_string("{{ v }}").render(v="{{ 7*7 }}{% if 1 %}X{% endif %}")
        assert "49" not in out and "{{ 7" in out and "{% if 1 %}" in out


def test_template_dir_overrides_by_file_name(tmp_path: Path) -> None:
    (tmp_path / "person.md.j2").write_text("Custom for {{ respondent.display }}\n")
    out = render_template("md", "person.md.j2", {"respondent": {"display": "A|B"}}, tmp_path)
    assert out == "Custom for A\\|B\n"
    # templates the folder does not hold still come from the built-in set
    html = template_environment("html", tmp_path).get_template("base.html.j2")
    assert html.filename is not None and Path(html.filename).parent == templates_dir()


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown template kind"):
        template_environment("pdf")  # type: ignore[arg-type]


# --- the person context -----------------------------------------------------------------


def test_person_context_numbers(builtin: Framework) -> None:
    response, score = scored(builtin, "alex.yaml")
    context = person_context(builtin, response, score)
    assert context["overall"]["percent_text"] == "61.9%"  # 61.875 half up
    assert context["overall"]["band_text"] == "Established"
    assert context["overall"]["terms"] == "66.7 + 60.0 + 58.3 + 62.5"
    assert context["counts"] == {"answered": 23, "skipped": 1, "unanswered": 0, "total": 24}
    relating = context["themes"][1]
    assert relating["sum_terms"] == "5 + 3 + 2 + 3 + 4"  # decides-for-people: 2 counts as 4
    assert (relating["mean_text"], relating["percent_text"]) == ("3.40", "60.0%")
    assert relating["skipped"] == 1
    statements = {s["id"]: s for s in relating["statements"]}
    assert statements["decides-for-people"]["answer_text"] == "2 · Rarely (counts as 4)"
    assert statements["shares-stories"]["answer_text"] == "skipped (Not applicable)"
    assert statements["listens-first"]["note"] == "Learned from the carers' group in May."
    assert (
        context["highest"]["id"] == "being" and context["lowest"]["id"] == "leading-and-visioning"
    )
    assert context["comparison"] is None and relating["change_text"] is None


def test_resources_for_the_first_priority_come_first(builtin: Framework) -> None:
    response, score = scored(builtin, "alex.yaml")
    # priorities: scales-with-quality (delivering), leads-change-with-confidence (being), ...
    resources = person_context(builtin, response, score)["resources"]
    assert all("Delivering" in r["themes"] for r in resources[:9])
    assert "Delivering" not in resources[9]["themes"]
    assert len(resources) == len(builtin.resources)


def test_person_context_with_an_earlier_score(builtin: Framework) -> None:
    response, score = scored(builtin, "alex.yaml")
    _, earlier = scored(builtin, "alex-earlier.yaml")
    context = person_context(
        builtin,
        response,
        score,
        compare_scores(score, earlier),
        "your self-check of 3 May 2026",
        earlier_score=earlier,
    )
    being, delivering = context["themes"][0], context["themes"][3]
    assert (being["earlier_percent_text"], being["change_text"]) == ("50.0%", "+16.7")
    assert (delivering["earlier_percent_text"], delivering["change_text"]) == (
        "no score",
        "no earlier score",
    )
    assert "Earlier self-check: Being 50.0%" in context["charts"]["radar"]


def test_unfinished_self_check_without_scores(builtin: Framework, tmp_path: Path) -> None:
    path = tmp_path / "started.yaml"
    path.write_text(
        "framework: personalised-care\nstarted: 2026-01-02T09:00:00Z\n"
        "answers: {knows-what-matters: 5}\n"
    )
    response, _ = load_answers(path, builtin)
    score = score_response(builtin, response.answers)
    text = render_person(builtin, response, score, "md")
    assert "Self-check started on 2 January 2026, not yet finished" in text
    assert "**No overall score yet.**" in text
    assert "This self-check is not finished yet" in text
    assert "Being: no score" in text
    assert "and a score needs at least 3 (50%)" in text
    html = render_person(builtin, response, score, "html")
    assert "No overall score yet." in html


# --- JSON -------------------------------------------------------------------------------


def test_person_json_shape_is_exactly_the_contract(builtin: Framework) -> None:
    response, score = scored(builtin, "alex.yaml")
    data = person_json(builtin, response, score)
    assert list(data) == [
        "framework",
        "respondent",
        "themes",
        "overall",
        "strengths",
        "priorities",
        "comparison",
        "facets",
    ]
    assert data["framework"] == {"id": "personalised-care", "version": "1.0"}
    assert data["respondent"] == {"id": "alex-smith", "name": "Alex Smith"}
    assert data["themes"][0] == {
        "id": "being",
        "title": "Being",
        "answered": 6,
        "total": 6,
        "mean": 22 / 6,
        "percent": 100 * (22 / 6 - 1) / 4,
        "band": "established",
    }
    assert data["overall"] == {"percent": 61.875, "band": "established", "complete": True}
    assert data["strengths"][0] == {"id": "seeks-out-learning", "value": 5}
    assert list(data["priorities"][0]) == ["id", "value", "actions"]
    assert data["comparison"] is None


def test_person_json_comparison(builtin: Framework) -> None:
    response, score = scored(builtin, "alex.yaml")
    _, earlier = scored(builtin, "alex-earlier.yaml")
    data = person_json(builtin, response, score, compare_scores(score, earlier), "old/a.yaml")
    assert data["comparison"]["earlier"] == "old/a.yaml"
    themes = data["comparison"]["themes"]
    assert themes["being"] == pytest.approx(100 * (22 / 6 - 1) / 4 - 50)
    assert themes["delivering"] is None


def test_json_text_escapes_markup_but_parses_back_unchanged() -> None:
    data = {"name": "<script>alert(1)</script> & \u2028"}
    text = json_text(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_render_person_refuses_an_unknown_format(builtin: Framework) -> None:
    response, score = scored(builtin, "alex.yaml")
    with pytest.raises(ValueError, match="unknown report format"):
        render_person(builtin, response, score, "pdf")
