"""Benchmarks for the performance targets in BENCHMARKS.md, run as whole processes: `make bench`.

Generates web-form exports (labels as text, metadata columns, some blanks;
see bench/generate.py) of 1k..1M responses for the built-in framework, then
times each of these as a whole process, median of N runs with the spread
shown, with its peak RSS:

* `lpc-assess batch FILE --summary ... --scores ...`
* a bare `csv.reader` pass over the same file (bench/csv_pass.py)
* the equivalent pandas script (bench/pandas_batch.py) and polars script
  (bench/polars_batch.py), whose numbers are checked against the batch's
* start-up: `lpc-assess --version` and `--help` against `python -c "import typer"`
* `validate` of the built-in framework and `report` of one answers file to HTML
* `lpc-assess progress BEFORE AFTER --match email --format json` on a before and
  an after export of N responses each (bench/generate.py, `generate_rounds`),
  its matched counts checked against the e-mails counted in the two files

The commands of one group run in turn, round after round, so that a burst
of load from elsewhere falls on all of them alike. It prints a table and
rewrites BENCHMARKS.md with the figures, the ratios and the machine they came
from. Timings are never asserted by the test suite.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from generate import KINDS, generate, generate_rounds

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
DATA = BENCH / "data"
RESULTS = BENCH / "results"
BIN = Path(sys.executable).parent
TOOL = str(BIN / "lpc-assess")
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
GENERATOR_VERSION = 3  # bump when generate.py changes what it writes

# Started with `python -S` (nothing but `os`, `sys` and `time` imported), this forks
# and execs the command, and reports its wall time and peak RSS from wait4(). A
# child's peak RSS is never below that of the process it was forked from (Linux
# counts the pre-exec memory), so measuring from this small launcher rather than
# from this script, which may have imported pandas or polars, keeps the figures honest.
LAUNCHER = """
import os, sys, time
devnull = os.open(os.devnull, os.O_WRONLY)
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
cpu = usage.ru_utime + usage.ru_stime
print(elapsed, peak, os.waitstatus_to_exitcode(status), cpu)
"""


@dataclass
class Measure:
    name: str
    size: str
    times: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds
    codes: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(code in (0, 1) for code in self.codes)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> str:
        return f"{min(self.times):.3f}-{max(self.times):.3f}"

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak(self) -> float:
        return max(self.rss_mb)

    def line(self) -> str:
        flag = "" if self.ok else f"  (FAILED: exit {sorted(set(self.codes))})"
        return (
            f"  {self.name:<24} {self.size:>5}  {self.median:8.3f} s  [{self.spread}]  "
            f"cpu {self.cpu_median:7.3f} s  {self.peak:7.1f} MB{flag}"
        )


def measured_env() -> dict[str, str]:
    """The environment of the measured processes: as an installed tool runs.

    pip compiles an installed package to bytecode; an editable install is
    compiled on first use, unless PYTHONDONTWRITEBYTECODE forbids it, and then
    every run would compile the sources again (~40 ms). So that is unset here,
    and each command has a warm-up run (see `measure_group`).
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(cmd: list[str], cwd: Path) -> tuple[float, float, int, float]:
    """Wall time (s), peak RSS (MB), exit code and CPU time (s) of one whole process."""
    out = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, *cmd],
        cwd=cwd,
        env=measured_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed, peak, code, cpu = out.stdout.split()
    return float(elapsed), int(peak) / 2**20, int(code), float(cpu)


def measure_group(
    commands: list[tuple[str, list[str]]], size: str, runs: int, cwd: Path
) -> list[Measure]:
    """Run each command `runs` times, interleaved round by round, after one warm-up run."""
    results = [Measure(name, size) for name, _ in commands]
    for _, cmd in commands:
        run_once(cmd, cwd)  # bytecode written, files in the page cache
    for _ in range(runs):
        for result, (_, cmd) in zip(results, commands, strict=True):
            elapsed, peak, code, cpu = run_once(cmd, cwd)
            result.times.append(elapsed)
            result.cpu.append(cpu)
            result.rss_mb.append(peak)
            result.codes.append(code)
    for result in results:
        print(result.line(), flush=True)
    return results


def framework_json() -> dict[str, Any]:
    out = subprocess.run(
        [TOOL, "show", "--format", "json"], capture_output=True, text=True, check=True
    )
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{memory}, "
        f"Python {platform.python_version()}"
    )


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def agreement(ours: Path, theirs: Path) -> str:
    """Whether a script's summary (pandas or polars) has the batch's numbers (to 1e-9)."""
    try:
        a = json.loads(ours.read_text(encoding="utf-8"))
        b = json.loads(theirs.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"not checked ({exc})"
    differ = []
    for key in ("responses", "rejected"):
        if a[key] != b[key]:
            differ.append(f"{key} {a[key]} vs {b[key]}")
    for ta, tb in zip(a["themes"], b["themes"], strict=True):
        for key in ("n", "mean", "sd", "median", "min", "max", "percent", "alpha", "alpha_n"):
            x, y = ta[key], tb[key]
            same = x == y or (
                isinstance(x, float) and isinstance(y, float) and math.isclose(x, y, rel_tol=1e-9)
            )
            if not same:
                differ.append(f"{ta['id']}.{key} {x} vs {y}")
        if {k: v for k, v in ta["bands"].items() if v} != tb["bands"]:
            differ.append(f"{ta['id']}.bands")
    for ia, ib in zip(a["indicators"], b["indicators"], strict=True):
        if ia["n"] != ib["n"] or ia["counts"] != ib["counts"]:
            differ.append(f"{ia['id']} counts")
        elif ia["mean"] is not None and not math.isclose(ia["mean"], ib["mean"], rel_tol=1e-9):
            differ.append(f"{ia['id']}.mean")
    if differ:
        return "DIFFERS: " + "; ".join(differ[:5])
    return "same numbers"


def matching(report: Path, before: Path, after: Path) -> str:
    """Whether progress's JSON counts the people the two exports hold, by e-mail.

    Counted here from the files alone: each side's rows and its e-mails,
    trimmed and case-folded (a second row with the same e-mail is the same
    person), then the e-mails on both sides, only before and only after.
    """
    try:
        got = json.loads(report.read_text(encoding="utf-8"))
        sides = []
        for path in (before, after):
            with path.open(newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
            sides.append((len(rows), {row["Email"].strip().casefold() for row in rows}))
    except (OSError, ValueError, KeyError) as exc:
        return f"not checked ({exc})"
    (rows_before, keys_before), (rows_after, keys_after) = sides
    expected = {
        "before responses": rows_before,
        "after responses": rows_after,
        "matched": len(keys_before & keys_after),
        "only_before": len(keys_before - keys_after),
        "only_after": len(keys_after - keys_before),
    }
    reported = {
        "before responses": got["before"]["responses"],
        "after responses": got["after"]["responses"],
        "matched": got["matched"],
        "only_before": got["only_before"],
        "only_after": got["only_after"],
    }
    differ = [f"{k} {reported[k]:,} vs {v:,}" for k, v in expected.items() if reported[k] != v]
    if differ:
        return "DIFFERS: " + "; ".join(differ)
    return (
        f"matched {got['matched']:,}, only before {got['only_before']:,}, only after "
        f"{got['only_after']:,}: as counted from the files"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1k,10k,100k,1M", help="comma-separated of 1k,10k,100k,1M"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument(
        "--answers",
        choices=KINDS,
        default="consistent",
        help="how the generated people answer (bench/generate.py)",
    )
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--no-polars", action="store_true")
    parser.add_argument("--no-startup", action="store_true", help="only the batch sizes")
    parser.add_argument(
        "--no-progress", action="store_true", help="no `progress` of a before and an after"
    )
    parser.add_argument("--no-write", action="store_true", help="do not rewrite BENCHMARKS.md")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}: use {', '.join(SIZES)}")
    DATA.mkdir(parents=True, exist_ok=True)
    for stale in DATA.glob("export-*.csv"):  # an older generator's files (the 1M is ~300 MB)
        if not stale.name.endswith(f"-v{GENERATOR_VERSION}.csv"):
            stale.unlink()
    framework = framework_json()
    fw_file = DATA / "framework.json"
    fw_file.write_text(json.dumps(framework))
    # The peer scripts: the name in the tables, the script, the stem of its output files.
    peers = []
    for library, skip in (("pandas", args.no_pandas), ("polars", args.no_polars)):
        if skip:
            continue
        if find_spec(library) is None:  # never imported here: see LAUNCHER
            print(f"{library} is not installed (pip install -e '.[bench]'); skipping it")
            continue
        peers.append((f"{library} script", BENCH / f"{library}_batch.py", library))

    results: list[Measure] = []
    checks: dict[str, dict[str, str]] = {name: {} for name, _, _ in peers}
    checks["lpc-assess progress"] = {}
    work = Path(tempfile.mkdtemp(prefix="lpc-bench-"))
    started_load = load()
    print(f"machine: {machine()}; load {started_load}")
    py = sys.executable
    if not args.no_startup:
        runs = args.startup_runs
        print(f"start-up (median of {runs})")
        results += measure_group(
            [
                ("python -c pass", [py, "-c", "pass"]),
                ("import typer", [py, "-c", "import typer"]),
                ("lpc-assess --version", [TOOL, "--version"]),
                ("lpc-assess --help", [TOOL, "--help"]),
                ("lpc-assess batch --help", [TOOL, "batch", "--help"]),
            ],
            "-",
            runs,
            work,
        )
        print(f"single files (median of {runs})")
        answers = work / "answers.yaml"
        ids = [i["id"] for t in framework["themes"] for i in t["indicators"]]
        answers.write_text(
            'framework: personalised-care\nframework_version: "1.0"\n'
            "respondent: {id: bench, name: Bench Mark}\nanswers:\n"
            + "".join(f"  {i}: {1 + n % 5}\n" for n, i in enumerate(ids))
        )
        results += measure_group(
            [
                (
                    "validate built-in",
                    [TOOL, "validate", str(REPO / "frameworks" / "personalised-care")],
                ),
                (
                    "report to HTML",
                    [TOOL, "report", str(answers), "--format", "html", "--output", "r.html"],
                ),
            ],
            "-",
            runs,
            work,
        )
    for size in sizes:
        n = SIZES[size]
        export = DATA / f"export-{size}-{args.answers}-v{GENERATOR_VERSION}.csv"
        if not export.exists():
            print(f"generating {export.name} ({n:,} responses)...", flush=True)
            generate(export, n, framework, args.answers)
        print(f"{size} responses ({export.stat().st_size / 1e6:.0f} MB), median of {args.runs}")
        commands = [
            ("csv.reader pass", [py, str(BENCH / "csv_pass.py"), str(export)]),
            (
                "lpc-assess batch",
                [TOOL, "batch", str(export), "--summary", "s.json", "--scores", "s.csv"],
            ),
        ]
        for name, script, stem in peers:
            commands.append(
                (name, [py, str(script), str(export), str(fw_file), f"{stem}.json", f"{stem}.csv"])
            )
        if not args.no_progress:
            rounds = [
                DATA / f"export-{size}-{args.answers}-{side}-v{GENERATOR_VERSION}.csv"
                for side in ("before", "after")
            ]
            if not all(path.exists() for path in rounds):
                print(f"generating a before and an after export ({n:,} each)...", flush=True)
                generate_rounds(*rounds, n, framework, args.answers)
            (work / "p.json").unlink(missing_ok=True)  # never the previous size's
            progress = [TOOL, "progress", *map(str, rounds), "--match", "email"]
            commands.append(
                ("lpc-assess progress", [*progress, "--format", "json", "--output", "p.json"])
            )
        results += measure_group(commands, size, args.runs, work)
        for name, _, stem in peers:
            checks[name][size] = agreement(work / "s.json", work / f"{stem}.json")
            print(f"  {name} vs batch: {checks[name][size]}")
        if not args.no_progress:
            checks["lpc-assess progress"][size] = matching(work / "p.json", *rounds)
            print(f"  progress counts: {checks['lpc-assess progress'][size]}")
    ended_load = load()
    shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(
            {
                "machine": machine(),
                "load": [started_load, ended_load],
                "answers": args.answers,
                "results": [m.__dict__ for m in results],
                "pandas_check": checks.get("pandas script", {}),
                "polars_check": checks.get("polars script", {}),
                "progress_check": checks["lpc-assess progress"],
            },
            indent=1,
        )
    )
    if not args.no_write:
        write_report(results, sizes, args, checks, f"{started_load} / {ended_load}")
    return 0 if all(m.ok for m in results) else 1


def _find(results: list[Measure], name: str, size: str = "-") -> Measure | None:
    return next((m for m in results if m.name == name and m.size == size), None)


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"


def targets(
    results: list[Measure], sizes: list[str], checks: dict[str, dict[str, str]]
) -> list[str]:
    """The rows of the 'against the targets' table (the performance targets in BENCHMARKS.md)."""
    lines = []
    typer_ = _find(results, "import typer")
    for name in ("lpc-assess --version", "lpc-assess --help"):
        m = _find(results, name)
        if m and typer_:
            ratio = m.median / typer_.median
            lines.append(
                f"| `{name}` within 1.3x of `import typer` | {ratio:.2f}x "
                f"({m.median * 1000:.0f} ms vs {typer_.median * 1000:.0f} ms) | "
                f"{_yes(ratio <= 1.3)} |"
            )
    for name in ("validate built-in", "report to HTML"):
        m = _find(results, name)
        if m:
            lines.append(f"| {name} under 0.5 s | {m.median:.3f} s | {_yes(m.median < 0.5)} |")
    peaks = []
    for size in sizes:
        batch, bare, pandas, polars = (
            _find(results, n, size)
            for n in ("lpc-assess batch", "csv.reader pass", "pandas script", "polars script")
        )
        if batch and bare:
            ratio = batch.median / bare.median
            # §8 sets the ratio at 100,000 responses; elsewhere it is shown for context.
            judged = _yes(ratio <= 3) if size == "100k" else "(for context)"
            lines.append(
                f"| batch {size} within 3x of csv.reader | {ratio:.2f}x "
                f"({batch.median:.2f} s vs {bare.median:.2f} s) | {judged} |"
            )
        if batch and pandas:
            check = checks.get("pandas script", {}).get(size)
            check = f"; {check}" if check else ""
            lines.append(
                f"| batch {size} faster than pandas | {batch.median:.2f} s vs "
                f"{pandas.median:.2f} s ({pandas.median / batch.median:.1f}x{check}) | "
                f"{_yes(batch.median < pandas.median)} |"
            )
        if batch and polars:
            lines += _against_polars(batch, polars, size, checks.get("polars script", {}))
        if batch:
            peaks.append((size, batch.peak))
            lines.append(
                f"| batch {size} peak RSS under 100 MB | {batch.peak:.1f} MB | "
                f"{_yes(batch.peak < 100)} |"
            )
    if len(peaks) >= 2:
        # Flat: memory does not grow with the responses. Holding a response would cost
        # over 1 KB (its cells alone); the look-up tables grow a little with the distinct
        # answer patterns seen, up to their caps. So: bytes of peak RSS per extra response.
        (first, low), (last, high) = peaks[-2], peaks[-1]
        extra = SIZES[last] - SIZES[first]
        per_response = (high - low) * 2**20 / extra
        lines.append(
            f"| batch peak RSS flat as responses grow (< 100 bytes per extra response; "
            f"holding one takes > 1 KB) | {peaks[0][1]:.1f} MB at {peaks[0][0]} ... "
            f"{low:.1f} MB at {first}, {high:.1f} MB at {last}: {per_response:.0f} bytes "
            f"per extra response | {_yes(per_response < 100)} |"
        )
    return lines + _progress_rows(results, sizes, checks.get("lpc-assess progress", {}))


def _progress_rows(results: list[Measure], sizes: list[str], checks: dict[str, str]) -> list[str]:
    """The rows for `progress`: its counts checked, and its time and memory for context.

    No target is set for `progress`; it should hold each side's people as
    their percents, never their responses, so its peak RSS per extra person
    is shown beside the > 1 KB that holding a response would take.
    """
    lines, peaks = [], []
    for size in sizes:
        progress = _find(results, "lpc-assess progress", size)
        if not progress:
            continue
        check = checks.get(size, "not checked")
        lines.append(
            f"| progress {size} per side: counts in its JSON | {check} | "
            f"{_yes(not check.startswith(('DIFFERS', 'not checked')))} |"
        )
        batch = _find(results, "lpc-assess batch", size)
        one_side = f"; batch of one side {batch.median:.2f} s" if batch else ""
        lines.append(
            f"| progress {size} per side: time, CPU and peak RSS | {progress.median:.2f} s, "
            f"CPU {progress.cpu_median:.2f} s, {progress.peak:.1f} MB{one_side} | (for context) |"
        )
        peaks.append((size, progress.peak))
    if len(peaks) >= 2:
        (first, low), (last, high) = peaks[-2], peaks[-1]
        per_person = (high - low) * 2**20 / (2 * (SIZES[last] - SIZES[first]))
        lines.append(
            f"| progress peak RSS per extra person on a side (percents held, not responses; "
            f"holding a response takes > 1 KB) | {low:.1f} MB at {first}, {high:.1f} MB at "
            f"{last}: {per_person:.0f} bytes per extra person | (for context) |"
        )
    return lines


def _against_polars(
    batch: Measure, polars: Measure, size: str, checks: dict[str, str]
) -> list[str]:
    """The rows for polars, with the ratio batch/polars of the median times.

    Up to 10,000 responses the batch should be the faster (ratio under 1); at
    100,000 within 1.5x of polars, with at most a quarter of its peak RSS; at
    1M the ratio is shown for context.
    """
    ratio = batch.median / polars.median
    check = f"; {checks[size]}" if size in checks else ""
    figures = f"{ratio:.2f}x ({batch.median:.2f} s vs {polars.median:.2f} s{check})"
    if SIZES[size] <= 10_000:
        met = _yes(ratio < 1)
        return [f"| batch {size} ahead of polars: batch/polars under 1 | {figures} | {met} |"]
    if size != "100k":
        return [f"| batch {size} / polars | {figures} | (for context) |"]
    share = batch.peak / polars.peak
    return [
        f"| batch {size} within 1.5x of polars: batch/polars | {figures} | {_yes(ratio <= 1.5)} |",
        f"| batch {size} peak RSS at most a quarter of polars' | {batch.peak:.1f} MB vs "
        f"{polars.peak:.1f} MB ({share:.2f}) | {_yes(share <= 0.25)} |",
    ]


def write_report(
    results: list[Measure],
    sizes: list[str],
    args: argparse.Namespace,
    checks: dict[str, dict[str, str]],
    loads: str,
) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py); do not edit by hand.",
        "",
        f"- Measured: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- Machine: {machine()}",
        f"- Load average (1, 5, 15 min) at the start / end: {loads}",
        f"- Data: Microsoft-Forms-like exports for the built-in framework, people answering "
        f"`{args.answers}` (bench/generate.py): labels as text, 6 metadata columns and a "
        "free-text comment, ~3.5% blank or skipped cells",
        "- Batch: `lpc-assess batch EXPORT --summary s.json --scores s.csv`",
        "",
        "Whole processes, started in turn round after round after one warm-up run each "
        "(bytecode compiled, files in the page cache); median with the range of all runs "
        f"({args.runs} per size, {args.startup_runs} for start-up and single files), and the "
        "median CPU time (user + system), which other load on the machine disturbs less. "
        "Peak RSS is the largest of the runs, from `wait4()`, and includes the interpreter "
        "(see `python -c pass`).",
        "",
        "- `csv.reader pass`: bench/csv_pass.py, a bare `csv.reader` loop over the export.",
        "- `pandas script`: bench/pandas_batch.py, the same work as the batch, vectorised "
        "(`read_csv` with categorical answer columns, label mapping, keyed theme means, "
        "bands, overall, the scores CSV and the summary); after the runs its summary is "
        "compared with the batch's (the `same numbers` note below).",
        "- `polars script`: bench/polars_batch.py, the same work in polars (`read_csv` of "
        "text columns, each distinct answer text mapped once then `replace_strict`, keyed "
        "theme means, bands and overall as expressions, the scores CSV, and the summary as "
        "one `select` of aggregates); polars runs on every core, so its CPU time can exceed "
        "its wall time. Its summary is checked against the batch's in the same way.",
        "- `lpc-assess progress`: `progress BEFORE AFTER --match email --format json "
        "--output p.json` on two exports of the size's responses each (bench/generate.py, "
        "`generate_rounds`): the same people by e-mail, a tenth of them only before and about "
        "as many new ones only after, 1 in 500 after rows a second submission, 1% of the after "
        "e-mails in capitals, and everyone's answers moved by about 5 points, more or less. "
        "The size is per side, so it reads twice the batch's rows; its matched, only-before "
        "and only-after counts are checked against the e-mails counted in the two files.",
        "- Re-run part of it: `make bench BENCH_ARGS='--sizes 100k --runs 7 --no-startup'`; "
        "`--answers random` draws every cell independently, the worst case for the batch's "
        "look-up tables.",
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
        *targets(results, sizes, checks),
        "",
        "## Every figure",
        "",
        "| what | size | median (s) | range (s) | CPU, median (s) | peak RSS (MB) |",
        "| --- | --- | ---: | --- | ---: | ---: |",
    ]
    for m in results:
        lines.append(
            f"| {m.name} | {m.size} | {m.median:.3f} | {m.spread} | {m.cpu_median:.3f} "
            f"| {m.peak:.1f} |"
        )
    (REPO / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {REPO / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    raise SystemExit(main())
