"""The 360 step of a batch (pipeline/raters.py) on real files: one rater, one voice, the
subjects of the summary, their labels and order, and the 360 reports it writes.

Chunks are read from the files of tests/data/360 by the real sources; the numbers are
checked against the scoring reference (`score_response`) or worked out by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lpc_assess.diagnostics import Diagnostic
from lpc_assess.inputs.options import CsvOptions
from lpc_assess.inputs.source import RejectedRow
from lpc_assess.inputs.sources import open_source
from lpc_assess.model.framework import Framework
from lpc_assess.model.lookup import load_framework
from lpc_assess.pipeline.anonymise import Anonymiser
from lpc_assess.pipeline.person_reports import LISTED_PLANNED, PersonReports
from lpc_assess.pipeline.raters import RaterFeedback
from lpc_assess.scoring.compiled import CompiledScorer
from lpc_assess.scoring.person import score_response
from lpc_assess.scoring.scored import ScoredChunk
from lpc_assess.scoring.team import TeamSummary
from tests.conftest import BUILTIN, DATA

DATA_360 = DATA / "360"
MINI = DATA / "valid" / "mini"
RATER_COLUMNS = CsvOptions(id_column="rater", subject_column="about", relationship_column="as")


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(str(MINI))


@pytest.fixture(scope="module")
def builtin() -> Framework:
    return load_framework(str(BUILTIN))


def chunks(framework: Framework, *paths: Path, options: CsvOptions = RATER_COLUMNS) -> list:
    """Every chunk of `paths`, read by the real sources (no row may be rejected)."""
    scorer = CompiledScorer(framework)
    out: list[ScoredChunk] = []
    for path in paths:
        for item in open_source(path, framework, scorer, options).chunks():
            assert not isinstance(item, RejectedRow), item.problems
            out.append(item)
    return out


class Collected:
    """A RaterFeedback fed chunk by chunk, keeping what each `add` returned and refused."""

    def __init__(
        self,
        framework: Framework,
        min_raters: int = 3,
        *,
        anonymiser: Anonymiser | None = None,
        reports: PersonReports | None = None,
    ) -> None:
        self.summary = TeamSummary(framework)
        self.raters = RaterFeedback(
            framework, min_raters, summary=self.summary, anonymiser=anonymiser, reports=reports
        )
        self.refused: list[Diagnostic] = []
        self.passed_on: list[ScoredChunk] = []

    def feed(self, items: list[ScoredChunk]) -> Collected:
        for chunk in items:
            self.passed_on.append(self.raters.add(chunk, self.refused.extend))
        return self

    def subjects(self) -> dict[str, dict]:
        self.raters.finish()
        return {s["id"]: s for s in self.summary.subjects}


def percent(framework: Framework, answers: dict[str, int], theme: int = 0) -> float:
    value = score_response(framework, answers).themes[theme].percent
    assert value is not None
    return value


RATERS = "rater,about,as,a-one,a-two,a-three"  # the header of an export with rater ids


def write_export(path: Path, rows: list[str], header: str = "about,as,a-one,a-two,a-three") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# --- one rater, one voice -------------------------------------------------------------------


def test_a_duplicate_row_is_refused_with_a_warning_and_not_passed_on(mini: Framework) -> None:
    export = DATA_360 / "duplicate-peer.csv"
    run = Collected(mini).feed(chunks(mini, export))
    source = run.refused[0].path
    assert source.endswith("duplicate-peer.csv")
    assert [(d.row, d.severity, d.code, d.message) for d in run.refused] == [
        (
            5,
            "warning",
            "duplicate-rater",
            '"sam" was already rated by this rater (row 3): one response per rater and '
            "subject counts, so this one is left out",
        ),
        (
            10,
            "warning",
            "duplicate-rater",
            '"kim" was already rated by this rater (row 8): one response per rater and '
            "subject counts, so this one is left out",
        ),
    ]
    shown = run.refused[0].message
    assert run.refused[0].text() == f"{source}: row 5: warning[duplicate-rater]: {shown}"
    # What goes on to the rest of the batch has every row but the two refused ones.
    [passed] = run.passed_on
    assert passed.source == source
    assert [r.row for r in passed.records()] == [2, 3, 4, 6, 7, 8, 9]
    assert passed.ids == ["sam", "pat", "pia", "kim", "k1", "k2", "k3"]
    subjects = run.subjects()
    # Sam: two distinct peers, below the threshold of 3, so left out (not "Peers (3)").
    assert subjects["sam"]["groups"] == {} and subjects["sam"]["others"]["n"] == 0
    # Kim: k1, k2, k3 count once each; k2's second answer (all 1) is nowhere.
    expected = (percent(mini, dict.fromkeys(("a-one", "a-two", "a-three"), 4)) * 2 + 50.0) / 3
    assert subjects["kim"]["groups"] == {
        "peer": {"n": 3, "themes": {"alpha": pytest.approx(expected)}}
    }


def test_a_second_self_assessment_is_an_error_naming_the_subject(mini: Framework) -> None:
    run = Collected(mini).feed(chunks(mini, DATA_360 / "two-selves.csv"))
    [error] = run.refused
    assert (error.row, error.severity, error.code) == (3, "error", "duplicate-self")
    assert error.path.endswith("two-selves.csv")
    assert error.text() == f"{error.path}: row 3: {error.message}"
    assert error.message == (
        '"sam" already has a self-assessment (row 2): a subject has one, so this one is left out'
    )
    [passed] = run.passed_on
    # Eve's `Myself` about Sam goes nowhere: not into the team's own scores either.
    assert [r.respondent_id for r in passed.own_responses().records()] == ["sam"]
    sam = run.subjects()["sam"]
    assert sam["self"] == {"alpha": 100.0}  # Sam's own, not (100 + 0) / 2
    assert sam["groups"]["peer"]["n"] == 3


def test_a_resubmitted_answers_file_is_refused_naming_both_files(builtin: Framework) -> None:
    team = sorted((DATA_360 / "team").glob("*.yaml"))
    again = DATA_360 / "resubmitted" / "r-peer-4.yaml"
    run = Collected(builtin).feed(chunks(builtin, *team, again))
    [warning] = run.refused
    assert warning.path.endswith("resubmitted/r-peer-4.yaml")
    assert (warning.row, warning.line, warning.severity) == (None, None, "warning")
    assert warning.message.startswith('"sam" was already rated by this rater ("')
    assert '/team/r-peer-1.yaml")' in warning.message  # the response that counts
    assert warning.text().startswith(f"{warning.path}: warning[duplicate-rater]: ")
    assert len(run.passed_on[-1]) == 0
    sam = run.subjects()["sam"]
    assert sam["groups"]["peer"]["n"] == 3  # Petra, Ravi and Wen, once each
    feedback = run.raters.collector.subjects()[0]
    # Petra's second answers (all 1) are counted nowhere, nor is her second comment.
    assert all(1 not in counts for counts in feedback.others.counts.values())
    assert not any("ZQX-RESUBMITTED" in note for note in feedback.others.notes)


def test_without_a_reject_callback_the_refused_are_still_left_out(
    mini: Framework, tmp_path: Path
) -> None:
    raters = RaterFeedback(mini, 3, summary=TeamSummary(mini))
    [chunk] = chunks(mini, DATA_360 / "two-selves.csv")
    passed = raters.add(chunk)
    assert passed.ids == ["sam", "p1", "p2", "p3"]
    # A chunk with nothing refused goes on as it is.
    [clean] = chunks(mini, DATA_360 / "duplicate-peer.csv")
    fresh = RaterFeedback(mini, 3, summary=TeamSummary(mini))
    assert fresh.add(ScoredChunk.of(clean.scorer, list(clean.records())[:3], "x")).ids == [
        "sam",
        "pat",
        "pia",
    ]
    [own] = chunks(mini, write_export(tmp_path / "clean.csv", ["a,sam,peer,3,3,3"], RATERS))
    assert RaterFeedback(mini, 3, summary=TeamSummary(mini)).add(own) is own


def test_rows_without_an_id_are_each_a_rater_of_their_own(mini: Framework, tmp_path: Path) -> None:
    # Two exports without an id column: both have a row 2 and a row 3 (`row-2`, `row-3`),
    # which must not be taken for the same two raters.
    rows = ["sam,peer,5,5,5", "sam,peer,3,3,3"]
    first = write_export(tmp_path / "a.csv", rows)
    second = write_export(tmp_path / "b.csv", rows)
    options = CsvOptions(subject_column="about", relationship_column="as")
    run = Collected(mini).feed(chunks(mini, first, second, options=options))
    assert run.refused == []
    sam = run.subjects()["sam"]
    assert sam["groups"] == {"peer": {"n": 4, "themes": {"alpha": 75.0}}}  # (100 + 50) / 2


def test_an_id_that_looks_made_up_but_is_not_on_its_row_counts(
    mini: Framework, tmp_path: Path
) -> None:
    # "row-9" in rows 2 and 3 is an id someone gave (made up, it would be "row-2", "row-3").
    export = write_export(
        tmp_path / "ids.csv", ["row-9,sam,peer,5,5,5", "row-9,sam,peer,1,1,1"], RATERS
    )
    run = Collected(mini).feed(chunks(mini, export))
    assert [(d.row, d.code) for d in run.refused] == [(3, "duplicate-rater")]


# --- the summary's subjects, labels and reports --------------------------------------------


def test_subjects_are_labelled_by_their_own_name_and_sorted_naturally(
    mini: Framework, tmp_path: Path
) -> None:
    export = write_export(
        tmp_path / "many.csv",
        [
            "s10,s10,self,Ann Ten,5,5,5",  # labelled "Ann Ten (s10)", sorted by its id
            "x1,s10,manager,,3,3,3",
            "s2,S2,self,S2,1,1,1",  # a name that is the id: no "S2 (S2)"
            "x2,S2,manager,,3,3,3",
            "x3,s1,manager,Max,4,4,4",  # no self: labelled by the id alone
        ],
        header="rater,about,as,name,a-one,a-two,a-three",
    )
    options = CsvOptions(
        id_column="rater", name_column="name", subject_column="about", relationship_column="as"
    )
    run = Collected(mini).feed(chunks(mini, export, options=options))
    run.raters.finish()
    assert [s["id"] for s in run.summary.subjects] == ["s1", "S2", "s10"]
    assert [row["label"] for row in run.raters.team_rows] == ["s1", "S2", "Ann Ten (s10)"]
    assert [row["n"] for row in run.raters.team_rows] == [1, 1, 1]
    sue = run.summary.subjects[2]
    assert sue["self"] == {"alpha": 100.0}
    assert sue["groups"] == {"manager": {"n": 1, "themes": {"alpha": 50.0}}}


def test_a_refused_self_assessment_does_not_name_the_subject(
    mini: Framework, tmp_path: Path
) -> None:
    export = write_export(
        tmp_path / "names.csv",
        ["kim,kim,self,Kim Lee,3,3,3", "eve,kim,self,Eve Impostor,1,1,1", "m,kim,manager,,2,2,2"],
        header="rater,about,as,name,a-one,a-two,a-three",
    )
    options = CsvOptions(
        id_column="rater", name_column="name", subject_column="about", relationship_column="as"
    )
    run = Collected(mini).feed(chunks(mini, export, options=options))
    run.raters.finish()
    assert [row["label"] for row in run.raters.team_rows] == ["Kim Lee (kim)"]
    assert [d.code for d in run.refused] == ["duplicate-self"]


def test_reports_are_written_named_and_listed(mini: Framework, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    reports = PersonReports(mini, out, "md", False, None)
    rows = [f"r{k},subject {k},manager,{1 + k % 5},3,3" for k in range(LISTED_PLANNED + 2)]
    rows.append("m,../../escape,manager,2,2,2")
    export = write_export(tmp_path / "subjects.csv", rows, RATERS)
    run = Collected(mini, reports=reports).feed(chunks(mini, export))
    run.raters.finish()
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == LISTED_PLANNED + 3 == run.raters.written
    assert "escape-360.md" in written and "subject-0-360.md" in written
    assert len(run.raters.first) == LISTED_PLANNED
    assert run.raters.first[0] == out / "escape-360.md"  # natural order: "../../escape" first
    assert all(p.parent == out for p in run.raters.first)
    text = (out / "subject-11-360.md").read_text()
    assert text.startswith("# 360-degree feedback for subject 11\n")
    # subject 11: a manager who answered (2, 3, 3): (8/3 - 1) * 25 percent
    assert f"{(8 / 3 - 1) * 25:.1f}%" in text
    assert not (tmp_path / "escape-360.md").exists()


def test_a_dry_run_lists_the_reports_and_writes_nothing(mini: Framework, tmp_path: Path) -> None:
    out = tmp_path / "out"
    reports = PersonReports(mini, out, "md", True, None)
    run = Collected(mini, reports=reports).feed(chunks(mini, DATA_360 / "duplicate-peer.csv"))
    run.raters.finish()
    assert run.raters.written == 2
    assert run.raters.first == [out / "kim-360.md", out / "sam-360.md"]
    assert not out.exists()


def test_a_subject_id_with_no_letters_gets_a_plain_report_name(
    mini: Framework, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    export = write_export(tmp_path / "odd.csv", ["m,***,manager,3,3,3"], RATERS)
    reports = PersonReports(mini, out, "md", False, None)
    Collected(mini, reports=reports).feed(chunks(mini, export)).raters.finish()
    assert [p.name for p in out.iterdir()] == ["subject-360.md"]


def test_anonymised_subjects_are_aliases_and_their_reports_have_no_comments(
    builtin: Framework, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    folder = tmp_path / "team"
    shutil.copytree(DATA_360 / "team", folder)
    anonymiser = Anonymiser(CompiledScorer(builtin))
    reports = PersonReports(builtin, out, "md", False, None)
    run = Collected(builtin, anonymiser=anonymiser, reports=reports)
    run.feed(chunks(builtin, *sorted(folder.glob("*.yaml"))))
    run.raters.finish()
    [subject] = run.summary.subjects
    alias = subject["id"]
    assert alias.startswith("Respondent ")
    assert anonymiser.subject("someone else") != alias
    assert [row["label"] for row in run.raters.team_rows] == [alias]
    [report] = list(out.iterdir())
    assert report.name == alias.lower().replace(" ", "-") + "-360.md"
    text = report.read_text()
    assert "Written comments are left out of anonymised reports." in text
    assert "Sam always makes time to listen" not in text
    # The raters' notes reached the collector with the signature taken out.
    notes = run.raters.collector.subjects()[0].others.notes
    assert "[name removed] here: Sam always makes time to listen." in notes


def test_two_anonymised_subjects_get_two_aliases(mini: Framework) -> None:
    anonymiser = Anonymiser(CompiledScorer(mini))
    run = Collected(mini, anonymiser=anonymiser).feed(chunks(mini, DATA_360 / "duplicate-peer.csv"))
    run.raters.finish()
    aliases = [s["id"] for s in run.summary.subjects]
    assert len(set(aliases)) == 2
    assert all(a.startswith("Respondent ") for a in aliases)
    assert [row["label"] for row in run.raters.team_rows] == aliases


def test_a_report_shows_the_comments_and_the_threshold_it_was_made_with(
    builtin: Framework, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    reports = PersonReports(builtin, out, "md", False, None)
    run = Collected(builtin, reports=reports)
    assert (run.raters.team_rows, run.raters.written, run.raters.first) == ([], 0, [])
    run.feed(chunks(builtin, *sorted((DATA_360 / "team").glob("*.yaml"))))
    run.raters.finish()
    assert run.raters.min_raters == 3
    text = (out / "sam-360.md").read_text()
    assert "Direct reports: fewer than 3 people, even counted together" in text
    assert "Keep asking the team what matters to them." in text  # a peer's comment, shown
    assert "SAM-OWN-NOTE" not in text  # Sam's own note stays in Sam's own report


def test_the_threshold_is_handed_to_the_collector(mini: Framework) -> None:
    # Two peers about Kim: shown with a threshold of 2, left out with the default of 3.
    rows = chunks(mini, DATA_360 / "duplicate-peer.csv")
    two = Collected(mini, min_raters=2).feed(rows).subjects()
    assert two["sam"]["groups"] == {"peer": {"n": 2, "themes": {"alpha": 50.0}}}
    three = Collected(mini).feed(chunks(mini, DATA_360 / "duplicate-peer.csv")).subjects()
    assert three["sam"]["groups"] == {}
