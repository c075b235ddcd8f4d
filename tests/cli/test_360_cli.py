"""360-degree feedback through the real command line (docs/answers-and-imports.md, issue 6).

Threshold edges, the manager exemption, pooled `others`, the one-third
boundary, CSV relationship spellings, `--min-raters`, per-subject reports,
and leak tests: what a group left out contributed, and who rated whom, must
be in no file the batch writes.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from lpc_assess.cli import app
from lpc_assess.model.lookup import load_framework
from lpc_assess.scoring.person import score_response
from tests.conftest import BUILTIN, DATA, run_cli

runner = CliRunner()
DATA_360 = DATA / "360"
LEAK = DATA_360 / "team"  # answers files; the lone direct report is left out
RATERS_CSV = DATA_360 / "raters.csv"
MINI = DATA / "valid" / "mini"
CSV_RATER_OPTIONS = [
    "--id-column",
    "ID",
    "--subject-column",
    "Who is this feedback about?",
    "--relationship-column",
    "Your relationship to them",
]
# The dropped direct report of tests/data/360/team, and the raters who are shown.
DROPPED_MARKERS = ["ZQX-DROPPED-7731", "zqx-rater-7731", "Quintus", "Zedd", "r-report-1"]
SHOWN_RATERS = [
    "olufemi-a",
    "Olufemi",
    "Adeyemi",
    "peer-petra",
    "Petra",
    "Lindqvist",
    "peer-ravi",
    "Ravi",
    "Chandran",
    "peer-wen",
    "Wen Zhou",
    "Zhou",
    "r-manager",
    "r-peer-1",
    "r-peer-2",
    "r-peer-3",
]


def batch(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["batch", *map(str, args)])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def every_file(*paths: Path) -> dict[str, str]:
    """Path -> text of every file under each of `paths` (files or folders)."""
    out = {}
    for path in paths:
        found = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in found:
            out[str(file)] = file.read_text(encoding="utf-8")
    return out


def mentions(text: str, word: str) -> bool:
    """`word` as a whole word (ids without regard to case, names as written)."""
    flags = re.IGNORECASE if word == word.lower() else 0
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, flags) is not None


def md_column(text: str, heading: str) -> list[str]:
    """Every cell under a column headed `heading`, over all Markdown tables of `text`."""
    cells: list[str] = []
    column = None
    for line in text.splitlines():
        if not line.startswith("|"):
            column = None
            continue
        row = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
        if column is None:
            column = row.index(heading) if heading in row else -1
        elif column >= 0 and not set(row[column]) <= set("-: "):
            cells.append(row[column])
    return cells


def html_column(text: str, heading: str) -> list[str]:
    """Every cell that repeats `heading` as its (screen-reader-hidden) column heading."""
    pattern = rf'<span class="cell-heading" aria-hidden="true">{re.escape(heading)}</span>([^<]*)<'
    return re.findall(pattern, text)


def mini_export(path: Path, rows: list[tuple[str, str, str, tuple[int, int, int]]]) -> Path:
    """A CSV export for the one-theme `mini` framework: rater, subject, relationship, answers."""
    lines = ["rater,about,as,a-one,a-two,a-three"]
    lines += [f"{r},{s},{rel},{a},{b},{c}" for r, s, rel, (a, b, c) in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mini_batch(
    export: Path, *extra: str | Path, summary: Path | None = None
) -> tuple[int, str, dict[str, Any]]:
    summary = summary or export.with_suffix(".json")
    code, _, stderr = batch(
        export,
        "--framework",
        MINI,
        "--id-column",
        "rater",
        "--subject-column",
        "about",
        "--relationship-column",
        "as",
        "--summary",
        summary,
        *extra,
    )
    return code, stderr, {s["id"]: s for s in json.loads(summary.read_text())["subjects"]}


def group_sizes(subject: dict[str, Any]) -> dict[str, int]:
    return {name: group["n"] for name, group in subject["groups"].items()}


# --- the threshold -------------------------------------------------------------------------


@pytest.fixture
def edges(tmp_path: Path) -> Path:
    return mini_export(
        tmp_path / "edges.csv",
        [
            # "edge": 3 peers (exactly the minimum); 2 direct reports + 1 other = 3 (merged)
            ("e-self", "edge", "self", (4, 4, 4)),
            ("e-p1", "edge", "peer", (3, 3, 3)),
            ("e-p2", "edge", "peer", (3, 3, 3)),
            ("e-p3", "edge", "peer", (3, 3, 3)),
            ("e-d1", "edge", "direct report", (5, 5, 5)),
            ("e-d2", "edge", "direct report", (5, 5, 5)),
            ("e-o1", "edge", "other", (1, 1, 1)),
            # "below": 2 peers (one below the minimum, merged, then dropped); a lone manager
            ("b-self", "below", "self", (3, 3, 3)),
            ("b-m1", "below", "manager", (2, 2, 2)),
            ("b-p1", "below", "peer", (5, 5, 5)),
            ("b-p2", "below", "peer", (5, 5, 5)),
            # "drop": one direct report and one other: merged to 2, then dropped
            ("d-d1", "drop", "direct-report", (1, 1, 1)),
            ("d-o1", "drop", "other", (1, 1, 1)),
        ],
    )


def test_threshold_edges_with_the_default_minimum(edges: Path) -> None:
    code, stderr, subjects = mini_batch(edges)
    assert code == 0, stderr
    edge, below, drop = subjects["edge"], subjects["below"], subjects["drop"]
    # exactly the minimum is shown; the two direct reports are merged with the other
    assert group_sizes(edge) == {"peer": 3, "other": 3}
    assert edge["groups"]["other"]["themes"]["alpha"] == pytest.approx((100 + 100 + 0) / 3)
    assert edge["others"] == {"n": 6, "themes": {"alpha": pytest.approx((3 * 50 + 200) / 6)}}
    # one below: merged into other (2), still too small, dropped; the manager is shown alone
    assert group_sizes(below) == {"manager": 1}
    assert below["others"] == {"n": 1, "themes": {"alpha": 25.0}}
    assert below["self"] == {"alpha": 50.0}
    # merge then drop: nothing of theirs anywhere, not even a null group
    assert drop["groups"] == {}
    assert drop["others"] == {"n": 0, "themes": {"alpha": None}}
    assert drop["self"] is None


def test_min_raters_changes_the_threshold_but_not_the_manager_exemption(edges: Path) -> None:
    code, stderr, subjects = mini_batch(edges, "--min-raters", "2")
    assert code == 0, stderr
    # 2 is now enough: the two direct reports stand alone, the lone other is dropped
    assert group_sizes(subjects["edge"]) == {"peer": 3, "direct-report": 2}
    assert group_sizes(subjects["below"]) == {"manager": 1, "peer": 2}
    assert group_sizes(subjects["drop"]) == {"other": 2}
    code, stderr, subjects = mini_batch(edges, "--min-raters", "4")
    assert code == 0, stderr
    # 4: peers (3), direct reports (2) and the other (1) are all merged: 6 in `other`
    assert group_sizes(subjects["edge"]) == {"other": 6}
    assert group_sizes(subjects["below"]) == {"manager": 1}  # a manager is shown with one
    assert group_sizes(subjects["drop"]) == {}


def test_others_pools_raters_not_group_means(tmp_path: Path) -> None:
    export = mini_export(
        tmp_path / "pool.csv",
        [
            ("s", "sam", "self", (3, 3, 3)),
            ("m", "sam", "Line Manager", (1, 1, 1)),  # 0 %
            ("p1", "sam", "peer", (5, 5, 5)),  # 100 %
            ("p2", "sam", "peer", (5, 5, 5)),
            ("p3", "sam", "peer", (5, 5, 5)),
        ],
    )
    code, stderr, subjects = mini_batch(export)
    assert code == 0, stderr
    assert subjects["sam"] == {
        "id": "sam",
        "self": {"alpha": 50.0},
        "groups": {
            "manager": {"n": 1, "themes": {"alpha": 0.0}},
            "peer": {"n": 3, "themes": {"alpha": 100.0}},
        },
        # (0 + 3 x 100) / 4 raters = 75, not (0 + 100) / 2 groups = 50
        "others": {"n": 4, "themes": {"alpha": 75.0}},
        "blind_spots": [],
        "hidden_strengths": [],
        "merged": [],
        "left_out": [],
    }


def test_the_one_third_boundary(tmp_path: Path) -> None:
    rows = [("x-self", "exact", "self", (5, 5, 5))]
    rows += [(f"x-{k}", "exact", "peer", (4, 4, 3)) for k in range(3)]  # 66.67 %: exactly 1/3
    rows += [("b-self", "blind", "self", (5, 5, 5))]
    rows += [(f"b-{k}", "blind", "peer", (4, 3, 3)) for k in range(3)]  # 58.33 %: 41.67 below
    rows += [("h-self", "hidden", "self", (1, 1, 2))]  # 8.33 %
    rows += [(f"h-{k}", "hidden", "peer", (4, 4, 4)) for k in range(3)]  # 75 %: 66.67 above
    export = mini_export(tmp_path / "third.csv", rows)
    out = tmp_path / "out"
    code, stderr, subjects = mini_batch(export, "--out-dir", out, "--format", "md")
    assert code == 0, stderr
    flags = {k: (s["blind_spots"], s["hidden_strengths"]) for k, s in subjects.items()}
    assert flags == {"exact": ([], []), "blind": (["alpha"], []), "hidden": ([], ["alpha"])}
    assert subjects["exact"]["self"]["alpha"] - subjects["exact"]["others"]["themes"][
        "alpha"
    ] == pytest.approx(100 / 3)
    exact = (out / "exact-360.md").read_text()
    assert "| Alpha | 100.0% | 66.7% | 66.7% | +33.3 | A difference worth talking about |" in exact
    blind = (out / "blind-360.md").read_text()
    assert "| Alpha | 100.0% | 58.3% | 58.3% | +41.7 | Blind spot |" in blind
    assert "- **Alpha**: you 100.0%, all others 58.3% (41.7 points lower)." in blind
    assert "**What to do.** Ask two or three of the people" in blind
    hidden = (out / "hidden-360.md").read_text()
    assert "| Alpha | 8.3% | 75.0% | 75.0% | -66.7 | Hidden strength |" in hidden
    assert "**What it means.** Others see more of this in you" in hidden
    team = (out / "team.md").read_text()
    assert "| blind | 100.0% | 58.3% | 3 | Alpha | none |" in team
    assert "| hidden | 8.3% | 75.0% | 3 | none | Alpha |" in team
    assert "| exact | 100.0% | 66.7% | 3 | none | none |" in team


# --- a forms export with every relationship spelling ----------------------------------------


def expected_subjects() -> dict[str, dict[str, dict[str, Any]]]:
    """Each subject's groups worked out from tests/data/360/raters.csv by hand-written rules."""
    framework = load_framework(str(BUILTIN))
    by_statement = {i.statement: i.id for i in framework.indicators}
    labels = {framework.label(v).lower(): v for v in range(1, 6)}
    spelling = {
        "myself": "self",
        "self": "self",
        "line manager": "manager",
        "manager": "manager",
        "colleague": "peer",
        "peer": "peer",
        "direct report": "direct-report",
        "report": "direct-report",
        "direct-report": "direct-report",
        "other": "other",
    }
    raters: dict[str, dict[str, list[dict[str, float | None]]]] = {}
    with RATERS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            subject = row["Who is this feedback about?"].strip().lower()
            relationship = spelling.get(row["Your relationship to them"].strip().lower())
            if not subject or relationship is None:
                continue
            answers = {
                by_statement[h]: int(v) if v.isdigit() else labels[v.lower()]
                for h, v in row.items()
                if h in by_statement
            }
            percents = {t.id: t.percent for t in score_response(framework, answers).themes}
            raters.setdefault(subject, {}).setdefault(relationship, []).append(percents)

    def mean(rows: list[dict[str, float | None]]) -> dict[str, float]:
        return {t: sum(r[t] or 0.0 for r in rows) / len(rows) for t in rows[0]}

    out = {}
    for subject, groups in raters.items():
        shown = {g: mean(rows) for g, rows in groups.items() if g != "self"}
        out[subject] = {"self": mean(groups["self"]), "groups": shown}
    return out


def test_a_forms_export_with_relationship_spellings(tmp_path: Path) -> None:
    out, summary, scores = tmp_path / "out", tmp_path / "summary.json", tmp_path / "scores.csv"
    code, _, stderr = batch(
        RATERS_CSV,
        *CSV_RATER_OPTIONS,
        "--out-dir",
        out,
        "--format",
        "html",
        "--summary",
        summary,
        "--scores",
        scores,
    )
    assert code == 1  # one row has an unknown relationship; every other row is scored
    assert 'row 16, column "Your relationship to them": unknown relationship "the cat"' in stderr
    assert "scored 3 response(s) and 11 360 rating(s) of others from 1 input(s); 1 rejected" in (
        stderr
    )
    # Self-checks get person reports; each subject a 360 report; raters nothing of their own.
    assert files_under(out) == {
        "team.html",
        "sam-jones.html",  # person reports are named after the person
        "kim-lee.html",
        "lou-grant.html",
        "kim-360.html",
        "sam-360.html",
    }
    assert [r.split(",")[0] for r in scores.read_text().splitlines()] == ["id", "sam", "kim", "lou"]
    data = json.loads(summary.read_text())
    assert data["responses"] == 3
    subjects = {s["id"]: s for s in data["subjects"]}
    assert list(subjects) == ["kim", "sam"]  # sorted
    expected = expected_subjects()
    sam, kim = subjects["sam"], subjects["kim"]
    # "Myself", "Line manager", "colleague"/"Peer"/"COLLEAGUE", "direct report"/"Report"/...;
    # "Sam" and "sam " are the same subject as "sam".
    assert group_sizes(sam) == {"manager": 1, "peer": 3, "direct-report": 3}
    assert sam["self"] == pytest.approx(expected["sam"]["self"])
    for name in ("manager", "peer", "direct-report"):
        assert sam["groups"][name]["themes"] == pytest.approx(expected["sam"]["groups"][name])
    assert sam["others"]["n"] == 7
    # kim: two peers and one "Other" are merged into `other` (3); the manager stands alone
    assert group_sizes(kim) == {"manager": 1, "other": 3}
    peers_and_other = expected["kim"]["groups"]
    merged = {
        t: (2 * peers_and_other["peer"][t] + peers_and_other["other"][t]) / 3
        for t in peers_and_other["peer"]
    }
    assert kim["groups"]["other"]["themes"] == pytest.approx(merged)
    assert kim["hidden_strengths"] == [
        "being",
        "relating-and-communicating",
        "leading-and-visioning",
        "delivering",
    ]
    # No rater's id or name is in any output.
    texts = every_file(out, summary, scores)
    for rid in ("csv-m1", "csv-p1", "csv-p3", "csv-d2", "csv-k4", "Mo Khan", "Kip Shaw"):
        assert not any(mentions(t, rid) for t in texts.values()), rid
    kim_report = (out / "kim-360.html").read_text()
    assert "Other raters</strong>: 3 people, including peers (a group too small" in kim_report
    assert "Peers: fewer than 3 people, so their answers are counted with other raters." in (
        kim_report
    )


def test_an_answers_file_with_an_unknown_relationship_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "framework: personalised-care\nrespondent: {id: r9}\n"
        "rater: {subject: sam, relationship: cousin}\nanswers: {knows-what-matters: 4}\n"
    )
    good = tmp_path / "good.yaml"
    good.write_text(
        "framework: personalised-care\nrespondent: {id: r8}\n"
        "rater: {subject: sam, relationship: Direct Reports}\nanswers: {knows-what-matters: 4}\n"
    )
    summary = tmp_path / "s.json"
    code, _, stderr = batch(bad, good, "--summary", summary)
    assert code == 1
    assert "unknown relationship 'cousin'" in stderr
    data = json.loads(summary.read_text())
    # the good file counted as a direct report; alone, merged then dropped
    assert data["subjects"] == [
        {
            "id": "sam",
            "self": None,
            "groups": {},
            "others": {"n": 0, "themes": dict.fromkeys(data["subjects"][0]["others"]["themes"])},
            "blind_spots": [],
            "hidden_strengths": [],
            "merged": [],
            "left_out": ["direct-report"],
        }
    ]


# --- nothing leaks --------------------------------------------------------------------------


def shown_others() -> dict[str, float]:
    """All others' theme percents for sam, from the files of the shown raters only."""
    framework = load_framework(str(BUILTIN))
    totals: dict[str, float] = {}
    files = ["r-manager.yaml", "r-peer-1.yaml", "r-peer-2.yaml", "r-peer-3.yaml"]
    for name in files:
        answers = yaml.safe_load((LEAK / name).read_text())["answers"]
        for theme in score_response(framework, answers).themes:
            assert theme.percent is not None
            totals[theme.id] = totals.get(theme.id, 0.0) + theme.percent
    return {k: v / len(files) for k, v in totals.items()}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_dropped_group_leaves_no_trace_in_any_file(tmp_path: Path, fmt: str) -> None:
    out, summary, scores = tmp_path / "out", tmp_path / "summary.json", tmp_path / "scores.csv"
    code, _, stderr = batch(
        LEAK, "--out-dir", out, "--format", fmt, "--summary", summary, "--scores", scores
    )
    assert code == 0, stderr
    assert files_under(out) == {
        f"{n}.{fmt}" for n in ("team", "alex-smith", "bea-jones", "sam-jones", "sam-360")
    }
    texts = every_file(out, summary, scores)
    # The dropped rater: no note, no id, no name, no file name, anywhere.
    for marker in DROPPED_MARKERS:
        assert not any(mentions(t, marker) for t in texts.values()), marker
    # Shown raters are never named either (the signed comment lost its signature).
    for marker in SHOWN_RATERS:
        assert not any(mentions(t, marker) for t in texts.values()), marker
    # No answer of 1 is counted anywhere: everyone but the dropped rater answered 3 or more.
    column = md_column if fmt == "md" else html_column
    for name in (f"sam-360.{fmt}", f"team.{fmt}"):
        cells = column((out / name).read_text(), "1 Not yet")
        assert len(cells) >= 24 and set(cells) == {"0"}, (name, cells)
    data = json.loads(summary.read_text())
    assert all(i["counts"]["1"] == 0 for i in data["indicators"])
    assert data["responses"] == 3  # alex, bea and sam's own self-check; no rating of others
    assert all(t["min"] >= 3 for t in data["themes"])
    # The subject's figures are exactly those of the shown raters.
    [sam] = data["subjects"]
    assert group_sizes(sam) == {"manager": 1, "peer": 3}
    assert sam["others"] == {"n": 4, "themes": pytest.approx(shown_others())}
    report = texts[str(out / f"sam-360.{fmt}")]
    assert "Direct reports: fewer than 3 people, even counted together" in report
    unescaped = report.replace("\\[", "[").replace("\\]", "]")  # Markdown escapes brackets
    assert "[name removed] here: Sam always makes time to listen." in unescaped
    assert "Keep asking the team what matters to them." in report  # a shown group's note
    assert "SAM-OWN-NOTE" not in report  # the subject's own notes stay in their own report
    assert [line for line in texts[str(scores)].splitlines()[1:]][0].startswith("alex,")
    assert len(texts[str(scores)].splitlines()) == 4


def test_anonymised_360_names_no_one(tmp_path: Path) -> None:
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    code, _, stderr = batch(
        LEAK, "--out-dir", out, "--format", "md", "--summary", summary, "--anonymise"
    )
    assert code == 0, stderr
    data = json.loads(summary.read_text())
    [sam] = data["subjects"]
    # Sam's own self-check gives the subject its alias (drawn at random), used everywhere.
    alias = sam["id"]
    assert alias in {"Respondent 1", "Respondent 2", "Respondent 3"}
    slug = alias.lower().replace(" ", "-")
    assert files_under(out) == {
        "team.md",
        "respondent-1.md",
        "respondent-2.md",
        "respondent-3.md",
        f"{slug}-360.md",
    }
    texts = every_file(out, summary)
    for marker in [*DROPPED_MARKERS, *SHOWN_RATERS, "Sam", "sam", "Alex", "Bea", "SAM-OWN-NOTE"]:
        assert not any(mentions(t, marker) for t in texts.values()), marker
    report = (out / f"{slug}-360.md").read_text()
    assert report.startswith(f"# 360-degree feedback for {alias}\n")
    assert "Written comments are left out of anonymised reports." in report
    assert f"| {alias} | " in (out / "team.md").read_text()


# --- files ----------------------------------------------------------------------------------


def test_subject_report_names_never_collide_nor_leave_the_folder(tmp_path: Path) -> None:
    team = tmp_path / "in"
    team.mkdir()
    # a respondent whose id is already "sam-360", and a subject id that tries to climb out
    (team / "a.yaml").write_text(
        "framework: personalised-care\nrespondent: {id: sam-360}\n"
        "answers: {knows-what-matters: 4}\n"
    )
    (team / "b.yaml").write_text(
        "framework: personalised-care\nrespondent: {id: sam}\n"
        "rater: {subject: sam, relationship: self}\nanswers: {knows-what-matters: 5}\n"
    )
    (team / "c.yaml").write_text(
        "framework: personalised-care\nrespondent: {id: m}\n"
        "rater: {subject: ../../evil, relationship: manager}\nanswers: {knows-what-matters: 2}\n"
    )
    out = tmp_path / "out"
    code, _, stderr = batch(team, "--out-dir", out, "--format", "md")
    assert code == 0, stderr
    assert files_under(out) == {"team.md", "sam-360.md", "sam.md", "sam-360-2.md", "evil-360.md"}
    assert (out / "sam-360.md").read_text().startswith("# Development report")
    assert (out / "sam-360-2.md").read_text().startswith("# 360-degree feedback for sam\n")
    assert not (tmp_path / "evil-360.md").exists()
    assert "2 person report(s) and 2 360 report(s)" in stderr


def test_dry_run_lists_the_360_reports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = batch(LEAK, "--out-dir", out, "--format", "md", "--dry-run")
    assert code == 0, stderr
    assert f"would write {out}/team.md, 3 person report(s) and 1 360 report(s) in {out}" in stdout
    assert f"  {out}/sam-360.md" in stdout.splitlines()
    assert not out.exists()


def test_a_real_process_writes_a_360_report(tmp_path: Path) -> None:
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    result = run_cli(
        "batch", str(LEAK), "--out-dir", str(out), "--format", "html", "--summary", str(summary)
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "scored 3 response(s) and 5 360 rating(s) of others from 8 input(s)"
    )
    html = (out / "sam-360.html").read_text()
    assert "<h1>360-degree feedback for Sam Jones (sam)</h1>" in html
    assert '<svg class="chart radar"' in html and "<script" not in html
    assert 'id="threesixty"' in (out / "team.html").read_text()
    assert json.loads(summary.read_text())["subjects"][0]["id"] == "sam"
    assert not any(mentions(t, "ZQX-DROPPED-7731") for t in every_file(out, summary).values())


# --- one rater, one voice (issue 15) --------------------------------------------------------

DUPLICATE_PEER = DATA_360 / "duplicate-peer.csv"
TWO_SELVES = DATA_360 / "two-selves.csv"
RESUBMITTED = DATA_360 / "resubmitted"


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def exported(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mini_percent(row: dict[str, str]) -> float:
    """A mini-framework row's theme percent, by the method of docs/scoring.md."""
    mean = sum(int(row[k]) for k in ("a-one", "a-two", "a-three")) / 3
    return (mean - 1) / 4 * 100


def test_a_rater_who_submits_twice_is_counted_once(tmp_path: Path) -> None:
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    code, stdout, stderr = batch(
        DUPLICATE_PEER,
        "--framework",
        MINI,
        "--id-column",
        "rater",
        "--subject-column",
        "about",
        "--relationship-column",
        "as",
        "--out-dir",
        out,
        "--format",
        "md",
        "--summary",
        summary,
    )
    assert code == 1, stderr  # something was left out
    lines = stderr.splitlines()
    assert (
        f'{shown(DUPLICATE_PEER)}: row 5: warning[duplicate-rater]: "sam" was already rated '
        "by this rater (row 3): one " in ("\n".join(lines))
    )
    assert any(
        line.startswith(f'{shown(DUPLICATE_PEER)}: row 10: warning[duplicate-rater]: "kim" was')
        for line in lines
    )
    assert lines[-1] == (
        "scored 2 response(s) and 5 360 rating(s) of others from 1 input(s); 2 rejected"
    )
    data = json.loads(summary.read_text())
    assert [(e["row"], e["severity"], e["code"]) for e in data["errors"]] == [
        (5, "warning", "duplicate-rater"),
        (10, "warning", "duplicate-rater"),
    ]
    assert data["rejected"] == 2
    rows = exported(DUPLICATE_PEER)
    # Sam: Pat's second row is not a third peer. Pat and Pia are two: merged, then left out.
    subjects = {s["id"]: s for s in data["subjects"]}
    assert subjects["sam"]["groups"] == {} and subjects["sam"]["others"]["n"] == 0
    sam_report = (out / "sam-360.md").read_text()
    assert "Peers (" not in sam_report
    assert "There is not enough feedback from others to show yet" in sam_report
    # Kim: the first answer of each of k1, k2, k3; k2's second (all 1) nowhere.
    kim_peers = [mini_percent(r) for r in rows[5:8]]
    assert [r["rater"] for r in rows[5:8]] == ["k1", "k2", "k3"]
    assert subjects["kim"]["groups"] == {
        "peer": {"n": 3, "themes": {"alpha": pytest.approx(sum(kim_peers) / 3)}}
    }
    kim_report = (out / "kim-360.md").read_text()
    assert "| Theme | You | Peers (3) | All others (3) |" in kim_report
    assert set(md_column(kim_report, "1 Not yet")) == {"0"}


def test_with_a_lower_threshold_the_two_real_peers_are_shown_as_two(tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    code, stderr, subjects = mini_batch(DUPLICATE_PEER, "--min-raters", "2", summary=summary)
    assert code == 1, stderr
    rows = exported(DUPLICATE_PEER)
    pat, pia = mini_percent(rows[1]), mini_percent(rows[2])
    # (100 + 0) / 2 = 50, not (100 + 0 + 100) / 3 = 66.7 with Pat's answers counted twice
    assert subjects["sam"]["groups"] == {"peer": {"n": 2, "themes": {"alpha": (pat + pia) / 2}}}
    assert (pat + pia) / 2 == 50.0


def test_a_second_self_assessment_is_refused_not_averaged(tmp_path: Path) -> None:
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    result = run_cli(
        "batch",
        str(TWO_SELVES),
        "--framework",
        str(MINI),
        "--id-column",
        "rater",
        "--subject-column",
        "about",
        "--relationship-column",
        "as",
        "--out-dir",
        str(out),
        "--format",
        "md",
        "--summary",
        str(summary),
        "--scores",
        str(tmp_path / "scores.csv"),
    )
    assert result.returncode == 1, result.stderr
    assert (
        f'{shown(TWO_SELVES)}: row 3: "sam" already has a self-assessment (row 2): '
        "a subject has one, so this one is left out"
    ) in result.stderr.splitlines()
    data = json.loads(summary.read_text())
    assert [(e["row"], e["severity"], e["code"]) for e in data["errors"]] == [
        (3, "error", "duplicate-self")
    ]
    rows = exported(TWO_SELVES)
    [subject] = data["subjects"]
    assert subject["self"] == {"alpha": mini_percent(rows[0])} == {"alpha": 100.0}
    # Eve's `Myself` is not a self-check of the team either: one response, Sam's.
    assert data["responses"] == 1
    assert [r.split(",")[0] for r in (tmp_path / "scores.csv").read_text().splitlines()] == [
        "id",
        "sam",
    ]
    report = (out / "sam-360.md").read_text()
    others = sum(mini_percent(r) for r in rows[2:]) / 3
    assert f"| Alpha | 100.0% | {others:.1f}% | {others:.1f}% |" in report
    assert "You gave 2 self-assessments" not in report


def test_a_resubmitted_answers_file_is_left_out_without_a_trace(tmp_path: Path) -> None:
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    code, _, stderr = batch(
        LEAK, RESUBMITTED, "--out-dir", out, "--format", "md", "--summary", summary
    )
    assert code == 1
    again = RESUBMITTED / "r-peer-4.yaml"
    [warning] = [line for line in stderr.splitlines() if "duplicate-rater" in line]
    assert warning.startswith(f"{shown(again)}: warning[duplicate-rater]: ")
    assert f'("{shown(LEAK / "r-peer-1.yaml")}")' in warning
    data = json.loads(summary.read_text())
    [sam] = data["subjects"]
    assert group_sizes(sam) == {"manager": 1, "peer": 3}
    assert sam["others"] == {"n": 4, "themes": pytest.approx(shown_others())}
    texts = every_file(out, summary)
    assert not any("ZQX-RESUBMITTED-4417" in t for t in texts.values())
    cells = md_column((out / "sam-360.md").read_text(), "1 Not yet")
    assert len(cells) >= 24 and set(cells) == {"0"}


def test_anonymised_refusals_do_not_quote_the_subject(tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    code, stderr, _ = mini_batch(TWO_SELVES, "--anonymise", summary=summary)
    assert code == 1
    [line] = [line for line in stderr.splitlines() if "self-assessment" in line]
    assert line.startswith(f"{shown(TWO_SELVES)}: row 3: ")
    [error] = json.loads(summary.read_text())["errors"]
    assert (error["row"], error["code"]) == (3, "duplicate-self")
    for text in (line, error["message"]):
        assert not mentions(text, "sam"), text
