"""The browser and the reports the browser tests open.

Chromium is Debian's package (`/usr/bin/chromium`), driven by Playwright from
PyPI; Playwright's own browser download is never used. axe-core is the
`axe.min.js` that the PyPI package axe-playwright-python ships (the `test`
extra, locked in requirements.lock), so `make test` needs nothing else but
Chromium. When Chromium is missing the tests skip, except under CI, where they
fail: CI must run them.

The reports are built by the real command line, once per test session, each
build step checked (exit code 0, file written) so that a broken build says
which report and why rather than failing later in the browser.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run_cli

CHROMIUM = "/usr/bin/chromium"


def _axe_script() -> Path:
    """axe-core's `axe.min.js` inside the installed axe-playwright-python package.

    Found without importing the package (its modules read the file at import).
    When it is not installed, the path where it would be, which does not exist.
    """
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "axe.min.js"
    return Path(sysconfig.get_paths()["purelib"]) / "axe_playwright_python" / "axe.min.js"


AXE = _axe_script()
ARTIFACTS = REPO / "tests" / "artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Every report the browser tests open, with what it is there to exercise.
REPORTS = {
    "person-short": "a few answers: most themes unscored, no comparison",
    "person-long": "every statement, skips, notes, a pledge and an earlier self-check",
    "team-small": "three people, no 360",
    "team-large": "60 people: the people-by-themes table runs over several pages",
    "subject-360": "one subject's 360 report: self, manager, peers and direct reports",
}


def require(condition: bool, what: str) -> None:
    """Skip when `what` is missing, or fail under CI, where the browser tests must run."""
    if condition:
        return
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{what} is missing; under CI the browser tests must run", pytrace=False)
    pytest.skip(f"{what} is missing (CI would fail here)")


_SKIPPED_AT = (__file__, require.__code__.co_firstlineno)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Every browser test skipped for one missing thing makes one line of the summary.

    pytest places a skip at each test, which would repeat the reason once per
    test function; placed at `require`, the skips of one reason fold together.
    """
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        report.longrepr = (*_SKIPPED_AT, report.longrepr[2])
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM}: apt-get install chromium)")
    require(AXE.is_file(), f"axe-core ({AXE}: pip install -e '.[test]', or make test)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        require(False, "Playwright (pip install -e '.[test]')")
        raise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _ids() -> list[str]:
    result = run_cli("show", "--format", "json")
    assert result.returncode == 0, f"`show --format json` failed:\n{result.stderr}"
    data = json.loads(result.stdout)
    return [i["id"] for t in data["themes"] for i in t["indicators"]]


def _answers(path: Path, respondent: str, name: str, values: dict[str, Any], **extra: Any) -> Path:
    data = {
        "framework": "personalised-care",
        "framework_version": "1.0",
        "respondent": {"id": respondent, "name": name},
        "completed": "2026-11-22T10:14:00Z",
        "answers": values,
        **extra,
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _run(what: str, *args: str) -> None:
    result = run_cli(*args, timeout=300)
    assert result.returncode == 0, (
        f"building {what}: `lpc-assess {' '.join(args)}` exited {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )


def _written(what: str, path: Path) -> Path:
    siblings = sorted(p.name for p in path.parent.iterdir()) if path.parent.exists() else []
    assert path.is_file(), f"building {what}: {path.name} was not written (found: {siblings})"
    return path


def _person_short(root: Path, ids: list[str], rng: random.Random) -> dict[str, Path]:
    short = _answers(root / "short.json", "sam", "Sam", {i: 3 for i in ids[:14]})
    path = root / "person-short.html"
    _run("person-short", "report", str(short), "--format", "html", "--output", str(path))
    return {"person-short": _written("person-short", path)}


def _person_long(root: Path, ids: list[str], rng: random.Random) -> dict[str, Path]:
    earlier = _answers(
        root / "earlier.json", "alex-smith", "Alex Smith", {i: rng.randint(1, 5) for i in ids}
    )
    later = _answers(
        root / "later.json",
        "alex-smith",
        "Alex Smith Longname-Hyphenated-Surname",
        {i: rng.choice([1, 2, 3, 4, 5, "skip"]) for i in ids},
        notes={
            "being": "A long reflection. " * 60,
            "delivering": "Another <b>one</b> & more. " * 40,
        },
        pledge="By March I will co-host a conversation " * 8,
        previous_pledge={"text": "Listen first", "by_when": "2026-11-01", "outcome": "partly"},
    )
    path = root / "person-long.html"
    args = ["report", str(later), "--format", "html", "--compare", str(earlier)]
    _run("person-long", *args, "--output", str(path))
    return {"person-long": _written("person-long", path)}


def _team_small(root: Path, ids: list[str], rng: random.Random) -> dict[str, Path]:
    folder = root / "team-small"
    folder.mkdir()
    for n in range(3):
        values = {i: rng.randint(2, 5) for i in ids}
        _answers(folder / f"p{n}.json", f"small-{n}", f"Small {n}", values)
    out_dir = root / "out-small"
    _run("team-small", "batch", str(folder), "--out-dir", str(out_dir), "--format", "html")
    return {"team-small": _written("team-small", out_dir / "team.html")}


def _team_large(root: Path, ids: list[str], rng: random.Random) -> dict[str, Path]:
    """60 people, and 360 ratings of person-00: the team report and the subject's report."""
    folder = root / "team-large"
    folder.mkdir()
    for n in range(60):
        values = {i: rng.randint(1, 5) for i in ids}
        _answers(folder / f"p{n:02}.json", f"person-{n:02}", f"Person {n:02}", values)
    raters = ["self", "manager", "peer", "peer", "peer"] + ["direct-report"] * 3
    for n, relationship in enumerate(raters):
        _answers(
            folder / f"r{n}.json",
            f"rater-{n}",
            f"Rater {n}",
            {i: rng.randint(2, 5) for i in ids},
            rater={"subject": "person-00", "relationship": relationship},
        )
    out_dir = root / "out-large"
    _run("team-large", "batch", str(folder), "--out-dir", str(out_dir), "--format", "html")
    built = {"team-large": _written("team-large", out_dir / "team.html")}
    subject = sorted(out_dir.glob("*-360.html"))
    others = sorted(p.name for p in out_dir.iterdir() if not p.name.startswith("person-"))
    assert subject, f"building subject-360: `batch --out-dir` wrote no *-360.html (found: {others})"
    built["subject-360"] = subject[0]
    return built


@dataclass
class Built:
    """The reports that were written, and for each that was not, why."""

    paths: dict[str, Path] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def build_reports(root: Path) -> Built:
    """Write every report in REPORTS under `root` by the real command line.

    One failing build step is recorded against the reports it should have
    written (the tests of those reports fail with its message); the others
    are still built.
    """
    ids = _ids()
    rng = random.Random(3)
    built = Built()
    steps = {
        _person_short: ["person-short"],
        _person_long: ["person-long"],
        _team_small: ["team-small"],
        _team_large: ["team-large", "subject-360"],
    }
    for step, names in steps.items():
        try:
            built.paths.update(step(root, ids, rng))
        except AssertionError as error:
            for name in names:
                if name not in built.paths:
                    built.problems[name] = str(error)
    return built


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every report, built once; the HTML is copied to tests/artifacts/ beside its screenshots."""
    built = build_reports(tmp_path_factory.mktemp("reports"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in built.paths.items():
        (ARTIFACTS / f"{name}.html").write_bytes(path.read_bytes())
    return built


@pytest.fixture(params=list(REPORTS))
def report(request: pytest.FixtureRequest, reports: Built) -> tuple[str, Path]:
    """(name, file) of one report; the test fails, saying why, when it was not built."""
    name: str = request.param
    if name not in reports.paths:
        pytest.fail(reports.problems.get(name, f"the {name} report was not built"), pytrace=False)
    return name, reports.paths[name]
