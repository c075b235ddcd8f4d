"""`lpc-assess batch` through the real command line, on real answers files and CSV exports."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lpc_assess.cli import app
from tests.conftest import DATA, run_cli

runner = CliRunner()
# Inputs as a user types them, relative to the repository (messages show them so).
TEAM = Path("tests/data/batch/team")
BAD = Path("tests/data/batch/bad")
CSV_DATA = Path("tests/data/csv")
MS_FORMS = CSV_DATA / "ms-forms.csv"
PEOPLE = [
    "Alex Smith",
    "Bea Jones",
    "Chris O'Neil",
    "Dana Patel",
    "Eli Novak",
    "Fran Lee",
    "Gil Ross",
]

# The scores file's facet columns for the built-in framework (docs/facets.md).
BUILTIN_FACET_COLUMNS = [
    f"{theme}.{column}"
    for theme in ("being", "relating-and-communicating", "leading-and-visioning", "delivering")
    for column in ("knowledge", "skill", "will", "confidence", "quadrant")
]


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA.parent.parent)


def batch(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["batch", *map(str, args)])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def every_output(*paths: Path) -> str:
    text = []
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        text += [f.read_text(encoding="utf-8") for f in files]
    return "\n".join(text)


# --- the coach's run ------------------------------------------------------------------------


def test_a_forms_export_and_a_folder_in_one_run(tmp_path: Path) -> None:
    out, scores, summary = tmp_path / "reports", tmp_path / "scores.csv", tmp_path / "team.json"
    code, stdout, stderr = batch(
        TEAM, MS_FORMS, "--out-dir", out, "--scores", scores, "--summary", summary
    )
    # One row of the export is bad: it is named, everything else is scored and written.
    assert code == 1
    assert stdout == ""
    lines = stderr.splitlines()
    assert any(
        line.startswith(f'{MS_FORMS}: row 4, column "When I work with people')
        and '"Somtimes" is not an answer' in line
        for line in lines
    )
    assert sum("ignoring 5 column(s)" in line for line in lines) == 1
    assert lines[-1] == "scored 10 response(s) from 5 input(s); 1 rejected"
    # Reports are named after people (ids only where there is no name), never `1.html`.
    assert files_under(out) == {
        "team.html",
        "alex-smith.html",
        "alex-smith-2.html",
        "bea-jones.html",
        "bea-jones-2.html",
        "no-id.html",
        "chris-o-neil.html",
        "dana-patel.html",
        "eli-novak.html",
        "fran-lee.html",
        "gil-ross.html",
    }
    assert {oct(p.stat().st_mode & 0o777) for p in out.iterdir()} == {"0o600"}
    assert oct(scores.stat().st_mode & 0o777) == oct(summary.stat().st_mode & 0o777) == "0o600"
    # Hidden files and folders, and files that are not answers, were not read.
    assert ".draft.yaml" not in stderr and "README" not in stderr
    with scores.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [
        "alex-smith",
        "bea-jones",
        "chris-oneil",
        "no-id",
        "1",
        "2",
        "4",
        "5",
        "6",
        "7",
    ]
    assert rows[0]["name"] == "Alex Smith"
    assert list(rows[0]) == [
        "id",
        "name",
        "being_percent",
        "being_band",
        "relating-and-communicating_percent",
        "relating-and-communicating_band",
        "leading-and-visioning_percent",
        "leading-and-visioning_band",
        "delivering_percent",
        "delivering_band",
        "overall_percent",
        "overall_band",
        *BUILTIN_FACET_COLUMNS,
    ]
    data = json.loads(summary.read_text())
    assert (data["responses"], data["rejected"], data["subjects"]) == (10, 1, [])
    assert data["errors"] == [
        {
            "source": str(MS_FORMS),
            "row": 4,
            "column": "When I work with people who draw on care and support, we agree the aims "
            "and the way of working together.",
            "severity": "error",
            "code": "not-an-answer",
            "message": '"Somtimes" is not an answer: use a number 1..5 or a label (Not yet, '
            "Rarely, Sometimes, Often, Consistently) (did you mean 'Sometimes'?)",
        },
        # Alex Smith and Bea Jones are in the folder and in the export: said, both counted.
        *(
            {
                "source": str(MS_FORMS),
                "row": row,
                "column": None,
                "severity": "warning",
                "code": "duplicate-person",
                "message": f"the same name as in {TEAM / first}: both are counted; if they "
                "are one person, remove one of the two",
            }
            for row, first in ((2, "alex.yaml"), (3, "bea.json"))
        ),
    ]
    # The scores file and the summary agree (the file's percents have at most 2 decimals).
    being = [r["being_percent"] for r in rows if r["being_percent"]]
    assert all(re.fullmatch(r"\d{1,3}(\.\d{1,2})?", p) for p in being), being
    theme = data["themes"][0]
    assert theme["n"] == len(being)
    assert theme["percent"] == pytest.approx(sum(map(float, being)) / len(being), abs=0.005)
    team = (out / "team.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in team and "Team report" in team
    assert "alpha from a handful of people is unstable" in team
    assert "Alex Smith" in team  # the people-by-themes table
    assert "<script" not in team and "http://" not in team.replace("http://www.w3.org", "")


def test_a_real_process_prints_the_summary_table(tmp_path: Path) -> None:
    result = run_cli("batch", str(TEAM.resolve()), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    header, *rows = result.stdout.splitlines()[1:]
    assert header.split() == [
        "theme",
        "n",
        "mean",
        "sd",
        "median",
        "min",
        "max",
        "percent",
        "alpha",
    ]
    assert [r.split()[0] for r in rows] == ["Being", "Relating", "Leading", "Delivering", "Overall"]
    assert result.stderr.strip().splitlines()[-1] == "scored 4 response(s) from 4 input(s)"
    assert list(tmp_path.iterdir()) == []  # no output option: nothing written
    assert "Respondent" not in result.stdout


def test_a_real_process_writes_markdown_reports_and_jsonl(tmp_path: Path) -> None:
    out, scores = tmp_path / "out", tmp_path / "scores.jsonl"
    result = run_cli(
        "batch",
        str(CSV_DATA / "limesurvey.csv"),
        "--out-dir",
        str(out),
        "--format",
        "md",
        "--scores",
        str(scores),
    )
    assert result.returncode == 0, result.stderr
    assert files_under(out) == {"team.md", "1.md", "2.md", "3.md", "4.md"}
    lines = [json.loads(line) for line in scores.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["1", "2", "3", "4"]
    assert set(lines[0]) == {
        "id",
        "name",
        "being_percent",
        "being_band",
        "relating-and-communicating_percent",
        "relating-and-communicating_band",
        "leading-and-visioning_percent",
        "leading-and-visioning_band",
        "delivering_percent",
        "delivering_band",
        "overall_percent",
        "overall_band",
        *BUILTIN_FACET_COLUMNS,
    }
    assert isinstance(lines[0]["overall_percent"], float)
    person = (out / "1.md").read_text()
    assert person.startswith("# Development report")
    assert "Self-check completed on 21 November 2026" in person
    team = (out / "team.md").read_text()
    assert "## Where the team could grow" in team and "| Person |" in team


def test_csv_options_through_the_command_line(tmp_path: Path) -> None:
    summary = tmp_path / "s.json"
    code, _, stderr = batch(CSV_DATA / "limesurvey-codes.csv", "--summary", summary)
    assert code == 1
    assert "no column matches a statement" in stderr and "use --map" in stderr
    assert stderr.splitlines()[-1] == (
        "nothing to score: no response was accepted (1 rejected); nothing was written"
    )
    assert not summary.exists()
    code, _, stderr = batch(
        CSV_DATA / "limesurvey-codes.csv",
        "--map",
        CSV_DATA / "limesurvey-map.yaml",
        "--summary",
        summary,
    )
    assert code == 0, stderr
    assert json.loads(summary.read_text())["responses"] == 3
    export = tmp_path / "latin.csv"
    export.write_bytes("Respondent;Naam;a-one;a-two\nr1;Zoë;4;Often\n".encode("cp1252"))
    mini = str(DATA / "valid" / "mini")
    code, _, stderr = batch(export, "--framework", mini, "--summary", summary)
    assert code == 1 and "--encoding" in stderr
    code, _, stderr = batch(
        export,
        "--framework",
        mini,
        "--encoding",
        "cp1252",
        "--id-column",
        "Respondent",
        "--name-column",
        "naam",
        "--scores",
        tmp_path / "s.csv",
        "--allow-missing",
    )
    assert code == 0, stderr
    assert (tmp_path / "s.csv").read_text().splitlines()[1].startswith("r1,Zoë,")


# --- safety ---------------------------------------------------------------------------------


def write_answers(folder: Path, name: str, respondent_id: str, value: int = 3) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        "framework: personalised-care\n"
        f"respondent: {{id: {json.dumps(respondent_id)}}}\n"
        f"answers: {{knows-what-matters: {value}, listens-first: {value}}}\n",
        encoding="utf-8",
    )


def test_hostile_respondent_ids_write_only_inside_the_out_dir(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    for k, rid in enumerate(
        [
            "../x",
            "a/b",
            "con",
            "Alex Smith",
            "alex-smith",
            "team",
            "../../etc/passwd",
            "/abs",
            "",
            "...",
            "NUL.txt",
        ]
    ):
        write_answers(inputs, f"{k:02d}.yaml", rid or f"{k:02d}", value=1 + k % 5)
    out = tmp_path / "deep" / "out"
    before = files_under(tmp_path)
    code, _, stderr = batch(inputs, "--out-dir", out, "--format", "md")
    assert code == 0, stderr
    written = files_under(out)
    assert written == {
        "team.md",
        "x.md",
        "a-b.md",
        "con-file.md",
        "alex-smith.md",
        "alex-smith-2.md",
        "team-2.md",
        "etc-passwd.md",
        "abs.md",
        "08.md",
        "respondent.md",
        "nul-txt.md",
    }
    assert files_under(tmp_path) == before | {f"deep/out/{name}" for name in written}
    # Each person kept their own report: the two alex-smiths differ.
    assert (out / "alex-smith.md").read_text() != (out / "alex-smith-2.md").read_text()


def test_formula_cells_are_neutralised_in_the_scores_file(tmp_path: Path) -> None:
    export = tmp_path / "formulas.csv"
    export.write_text(
        "id,name,knows-what-matters\n"
        '"=HYPERLINK(""http://x"",""y"")","@SUM(A1)",4\n'
        "+cmd,-2+3,3\n"
        "-5,\tTab,2\n"
        '"\rcr",=1,1\n'
        "plain,Ann,5\n",
        encoding="utf-8",
    )
    scores = tmp_path / "scores.csv"
    code, _, stderr = batch(export, "--scores", scores, "--allow-missing")
    assert code == 0, stderr
    with scores.open(encoding="utf-8", newline="") as handle:
        rows = [(r["id"], r["name"]) for r in csv.DictReader(handle)]
    assert rows == [
        ('\'=HYPERLINK("http://x","y")', "'@SUM(A1)"),
        ("'+cmd", "'-2+3"),
        ("-5", "Tab"),  # a plain number is left alone; ids and names are trimmed
        ("cr", "'=1"),
        ("plain", "Ann"),
    ]
    hostile = Path("tests/data/hostile/formula.csv")
    code, _, _ = batch(hostile, "--scores", scores, "--allow-missing")
    assert code == 0
    assert scores.read_text().splitlines()[1].startswith('"\'=HYPERLINK(""http')


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-3", "-3"),
        ("-2.5e3", "-2.5e3"),
        ("+7", "+7"),
        ("-x", "'-x"),
        ("@here", "'@here"),
        ("\tindent", "'\tindent"),
        ("\rreturn", '"\'\rreturn"'),
        ('say "hi", then', '"say ""hi"", then"'),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_scores_cells(cell: str, written: str) -> None:
    from lpc_assess.writers.scores import csv_cell

    assert csv_cell(cell) == written


def test_anonymise_leaves_no_name_id_or_email_in_any_output(tmp_path: Path) -> None:
    out, scores, summary = tmp_path / "out", tmp_path / "scores.csv", tmp_path / "s.json"
    code, _, stderr = batch(
        TEAM,
        MS_FORMS,
        BAD,
        "--anonymise",
        "--out-dir",
        out,
        "--scores",
        scores,
        "--summary",
        summary,
    )
    assert code == 1  # the bad inputs are still rejected, and listed on the terminal
    assert "typo.yaml" in stderr
    text = every_output(out, scores, summary)
    for secret in [
        *PEOPLE,
        "example.org",
        "alex-smith",
        "bea-jones",
        "chris-oneil",
        "dana-patel",
        "no-id",
        "Alex",
        "Bea",
        "Dana",
        "typo.yaml",
        "other-framework.yaml",
    ]:
        assert secret not in text, secret
    assert files_under(out) == {"team.html", *(f"respondent-{k}.html" for k in range(1, 11))}
    with scores.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["id"], r["name"]) for r in rows] == [
        (f"Respondent {k}", f"Respondent {k}") for k in range(1, 11)
    ]
    team = (out / "team.html").read_text()
    # No people x themes table: even without names, a row of scores can point to a person.
    assert 'role="rowheader">Respondent' not in team
    assert "left out of anonymised reports" in team


def test_anonymise_gives_aliases_in_a_random_order(tmp_path: Path) -> None:
    """Respondent 1 is not the first row: the order of aliases differs from run to run."""
    orders = set()
    for run in range(4):
        scores = tmp_path / f"scores-{run}.csv"
        code, _, _ = batch(TEAM, MS_FORMS, "--anonymise", "--scores", scores)
        with scores.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        # Sorted by alias, and every alias once.
        assert [r["id"] for r in rows] == [f"Respondent {k}" for k in range(1, 11)]
        orders.add(tuple(r["overall_percent"] for r in rows))
    # 10 people: the chance that four shuffles agree is below one in 10^19.
    assert len(orders) > 1


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out, scores, summary = tmp_path / "out", tmp_path / "scores.csv", tmp_path / "s.json"
    code, stdout, stderr = batch(
        TEAM, MS_FORMS, "--dry-run", "--out-dir", out, "--scores", scores, "--summary", summary
    )
    assert code == 1  # the same as a real run: row 4 is still rejected
    assert list(tmp_path.iterdir()) == []
    assert f"would write {out}/team.html and 10 person report(s) in {out}" in stdout
    assert f"would write scores to {scores}" in stdout
    assert f"  {out}/alex-smith.html" in stdout
    assert "(dry run: nothing written)" in stderr


def test_outputs_are_not_read_back_as_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    shutil.copytree(TEAM, folder)
    summary = folder / "summary.json"
    scores = folder / "scores.csv"
    for _ in range(2):
        code, _, stderr = batch(folder, "--summary", summary, "--scores", scores)
        assert code == 0, stderr
        assert json.loads(summary.read_text())["responses"] == 4


@pytest.mark.parametrize("clash", ["scores-is-input", "summary-is-scores", "summary-is-map"])
def test_an_output_that_is_an_input_or_another_output_is_a_usage_error(
    tmp_path: Path, clash: str
) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(MS_FORMS.read_bytes())
    mapping = tmp_path / "map.yaml"
    mapping.write_text("{}\n", encoding="utf-8")
    scores, summary = tmp_path / "scores.csv", tmp_path / "s.json"
    if clash == "scores-is-input":
        scores = export
    elif clash == "summary-is-scores":
        summary = tmp_path / "scores.csv"
        scores = summary
    else:
        summary = mapping
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, stdout, stderr = batch(export, "--map", mapping, "--scores", scores, "--summary", summary)
    assert (code, stdout) == (2, "")
    assert stderr.startswith("lpc-assess batch: --")
    assert len(stderr.splitlines()) == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
@pytest.mark.parametrize("existed", [True, False])
def test_an_interrupted_batch_leaves_out_dir_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException], existed: bool
) -> None:
    """Ctrl-C or a failed write after some reports: --out-dir holds what it held before."""
    from lpc_assess.pipeline import person_reports

    out = tmp_path / "out"
    if existed:
        out.mkdir()
        (out / "keep.txt").write_text("mine\n", encoding="utf-8")
    real = person_reports.PersonReports._write
    written = []

    def write_then_fail(self: person_reports.PersonReports, record: object) -> None:
        if len(written) == 3:
            raise failure(28, "No space left on device") if failure is OSError else failure()
        written.append(record)
        real(self, record)  # type: ignore[arg-type]

    monkeypatch.setattr(person_reports.PersonReports, "_write", write_then_fail)
    code, _, stderr = batch(TEAM, MS_FORMS, "--out-dir", out)
    assert len(written) == 3
    assert code == (130 if failure is KeyboardInterrupt else 1)
    if existed:
        assert [p.name for p in out.iterdir()] == ["keep.txt"]  # no report, no staging folder
    else:
        assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == (["out"] if existed else [])


def test_a_completed_batch_leaves_no_staging_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine\n", encoding="utf-8")
    code, _, _ = batch(TEAM, "--out-dir", out)
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert "keep.txt" in names and "team.html" in names
    assert not [n for n in names if n.startswith(".")]


# --- exit codes -----------------------------------------------------------------------------


def test_exit_codes(tmp_path: Path) -> None:
    assert batch(TEAM)[0] == 0
    code, _, stderr = batch(BAD)
    assert code == 1
    assert stderr.splitlines()[-1] == "nothing to score: no response was accepted (2 rejected)"
    code, _, stderr = batch(TEAM, tmp_path / "missing.csv")
    assert (
        code == 1
        and f"{tmp_path / 'missing.csv'}: error[no-such-file]: no such file or folder" in stderr
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, stderr = batch(empty)
    assert code == 1 and "no answers files, CSV exports or workbooks" in stderr
    code, _, stderr = batch(TEAM, "--scores", tmp_path / "scores.xlsx")
    assert code == 2 and "must end in .csv or .jsonl" in stderr
    (tmp_path / "file").write_text("x")
    code, _, stderr = batch(TEAM, "--out-dir", tmp_path / "file")
    assert code == 2 and "exists and is not a folder" in stderr
    code, _, stderr = batch(TEAM, "--summary", tmp_path / "no" / "such" / "s.json")
    assert code == 2 and "does not exist" in stderr
    code, _, stderr = batch(TEAM, "--framework", "no-such-framework")
    assert code == 1 and "framework-not-found" in stderr
    code, _, stderr = batch(MS_FORMS, "--map", tmp_path / "missing.yaml")
    assert code == 1 and "missing.yaml" in stderr


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (DATA / "hostile").glob("*") if p.suffix in (".csv", ".yaml", ".json")),
)
def test_hostile_inputs_give_one_line_each_and_no_traceback(tmp_path: Path, name: str) -> None:
    code, _, stderr = batch(DATA / "hostile" / name, TEAM, "--summary", tmp_path / "s.json")
    assert code in (0, 1)
    assert "Traceback" not in stderr
    assert json.loads((tmp_path / "s.json").read_text())["responses"] >= 4


def test_a_large_team_leaves_out_the_people_table(tmp_path: Path) -> None:
    export = tmp_path / "big.csv"
    lines = ["id,name,knows-what-matters,listens-first"]
    lines += [f"p{k},Person {k},{1 + k % 5},{1 + k % 3}" for k in range(301)]
    export.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    code, _, stderr = batch(export, "--out-dir", out, "--format", "md", "--allow-missing")
    assert code == 0, stderr
    team = (out / "team.md").read_text()
    assert "left out: it has room for 300 people and this team has 301" in team
    assert "Person 7" not in team
    assert len(files_under(out)) == 302


def test_360_rater_responses_go_to_their_subject_only(tmp_path: Path) -> None:
    export = tmp_path / "raters.csv"
    statements = "knows-what-matters,listens-first,steps-back,convenes-conversations"
    export.write_text(
        f"Rater,Subject,Relationship,{statements}\n"
        "sam,sam,Self,5,5,5,5\n"
        "m1,sam,Line manager,2,2,2,2\n"
        "p1,sam,colleague,3,3,3,3\n"
        "p2,sam,peer,3,4,3,4\n"
        "p3,sam,Peers,4,4,4,4\n"
        "d1,sam,direct report,1,1,1,1\n"
        "x1,sam,the cat,1,1,1,1\n"
    )
    out, scores, summary = tmp_path / "out", tmp_path / "scores.csv", tmp_path / "s.json"
    code, _, stderr = batch(
        export,
        "--id-column",
        "Rater",
        "--subject-column",
        "Subject",
        "--relationship-column",
        "Relationship",
        "--out-dir",
        out,
        "--scores",
        scores,
        "--summary",
        summary,
        "--format",
        "md",
        "--allow-missing",
    )
    assert code == 1  # the unknown relationship
    assert 'row 8, column "Relationship": unknown relationship "the cat"' in stderr
    assert stderr.splitlines()[-1] == (
        "scored 1 response(s) and 5 360 rating(s) of others from 1 input(s); 1 rejected"
    )
    # Raters get no report and no row of their own: the subject gets a self-check and a 360.
    assert files_under(out) == {"team.md", "sam.md", "sam-360.md"}
    assert [line.split(",")[0] for line in scores.read_text().splitlines()] == ["id", "sam"]
    data = json.loads(summary.read_text())
    assert data["responses"] == 1
    [subject] = data["subjects"]
    assert subject["id"] == "sam"
    assert {name: group["n"] for name, group in subject["groups"].items()} == {
        "manager": 1,
        "peer": 3,
    }
    assert subject["others"]["n"] == 4  # the lone direct report was merged, then dropped


def test_a_web_form_row_is_a_finished_self_check_even_without_a_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        "batch",
        str(DATA / "csv" / "blank-filled.csv"),
        "--out-dir",
        str(out),
        "--format",
        "md",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    reports = [p for p in out.glob("*.md") if p.name != "team.md"]
    assert reports
    for report in reports:
        assert "not finished yet" not in report.read_text()
