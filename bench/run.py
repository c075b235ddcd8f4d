"""Benchmarks for PRODUCT.md §8, run as whole processes: `make bench`.

Generates web-form exports (labels as text, metadata columns, some blanks) of
1k..1M responses for the built-in framework, then times, median of N runs with
the spread shown, and peak RSS of each process:

* `lpc-assess batch FILE --summary ... --scores ...`
* a bare `csv.reader` pass over the same file
* an equivalent pandas script (read_csv, label mapping, theme means)
* start-up: `lpc-assess --version` and `--help` against `python -c "import typer"`
* `validate` of the built-in framework and `report` of one answers file to HTML

It prints a table and rewrites BENCHMARKS.md with the figures, the ratios and
the machine they came from. Timings are never asserted by the test suite.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data"
BIN = Path(sys.executable).parent
TOOL = str(BIN / "lpc-assess")
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}

CSV_PASS = textwrap.dedent(
    """
    import csv, sys
    rows = 0
    with open(sys.argv[1], newline="", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            rows += 1
    print(rows)
    """
)

PANDAS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import pandas as pd
    framework = json.load(open(sys.argv[2]))
    labels = {v.lower(): int(k) for k, v in framework["scale"]["labels"].items()}
    frame = pd.read_csv(sys.argv[1], encoding="utf-8-sig", dtype=str)
    means = {}
    for theme in framework["themes"]:
        columns = []
        for indicator in theme["indicators"]:
            values = frame[indicator["statement"]].str.lower().map(labels)
            if indicator["reverse"]:
                values = 6 - values
            columns.append(values)
        block = pd.concat(columns, axis=1)
        theme_means = block.mean(axis=1, skipna=True)
        means[theme["id"]] = float(((theme_means - 1) / 4 * 100).mean())
    print(json.dumps(means))
    """
)


@dataclass
class Measure:
    name: str
    size: str
    times: list[float]
    rss_mb: list[float]
    ok: bool = True

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> str:
        return f"{min(self.times):.3f}-{max(self.times):.3f}"

    @property
    def peak(self) -> float:
        return max(self.rss_mb)


def run_once(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall time (s), peak RSS (MB) and exit code of one whole process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(name: str, size: str, cmd: list[str], runs: int, cwd: Path) -> Measure:
    times, rss, ok = [], [], True
    for _ in range(runs):
        elapsed, peak, code = run_once(cmd, cwd)
        times.append(elapsed)
        rss.append(peak)
        ok = ok and code in (0, 1)
    result = Measure(name, size, times, rss, ok)
    flag = "" if ok else "  (FAILED)"
    print(
        f"  {name:<22} {size:>5}  {result.median:8.3f} s  [{result.spread}]  "
        f"{result.peak:7.1f} MB{flag}",
        flush=True,
    )
    return result


def framework_json() -> dict[str, object]:
    out = subprocess.run(
        [TOOL, "show", "--format", "json"], capture_output=True, text=True, check=True
    )
    import json

    data: dict[str, object] = json.loads(out.stdout)
    return data


def generate(path: Path, n: int, framework: dict[str, object], seed: int = 7) -> None:
    """A Microsoft-Forms-like export: metadata, statements as headers, labels as cells."""
    rng = random.Random(seed)
    themes = framework["themes"]
    assert isinstance(themes, list)
    statements = [i["statement"] for t in themes for i in t["indicators"]]
    scale = framework["scale"]
    assert isinstance(scale, dict)
    labels = [scale["labels"][k] for k in sorted(scale["labels"], key=int)]
    choices = labels + ["", scale.get("skip") or ""]
    weights = [5, 10, 25, 35, 20, 3, 2]
    start = dt.datetime(2026, 11, 1, 9, 0, 0)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["ID", "Start time", "Completion time", "Email", "Name", "Total points", *statements]
        )
        for row in range(1, n + 1):
            when = start + dt.timedelta(seconds=row * 7)
            cells = rng.choices(choices, weights=weights, k=len(statements))
            writer.writerow(
                [
                    row,
                    when.strftime("%m/%d/%y %H:%M:%S"),
                    (when + dt.timedelta(minutes=11)).strftime("%m/%d/%y %H:%M:%S"),
                    f"person{row}@example.org",
                    f"Person {row}",
                    "",
                    *cells,
                ]
            )
    tmp.replace(path)


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1k,10k,100k,1M", help="comma-separated of 1k,10k,100k,1M"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite BENCHMARKS.md")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    DATA.mkdir(parents=True, exist_ok=True)
    framework = framework_json()
    import json

    fw_file = DATA / "framework.json"
    fw_file.write_text(json.dumps(framework))
    pandas = not args.no_pandas
    if pandas:
        try:
            import pandas  # noqa: F401
        except ImportError:
            print("pandas is not installed (pip install -e '.[bench]'); skipping it")
            pandas = False

    results: list[Measure] = []
    work = Path(tempfile.mkdtemp(prefix="lpc-bench-"))
    print(f"machine: {machine()}")
    print("start-up (median of 10)")
    results.append(measure("import typer", "-", [sys.executable, "-c", "import typer"], 10, work))
    results.append(measure("lpc-assess --version", "-", [TOOL, "--version"], 10, work))
    results.append(measure("lpc-assess --help", "-", [TOOL, "--help"], 10, work))
    print("single files (median of 10)")
    results.append(
        measure(
            "validate built-in",
            "-",
            [TOOL, "validate", str(REPO / "frameworks" / "personalised-care")],
            10,
            work,
        )
    )
    answers = work / "answers.yaml"
    ids = [i["id"] for t in framework["themes"] for i in t["indicators"]]  # type: ignore[index,union-attr]
    answers.write_text(
        'framework: personalised-care\nframework_version: "1.0"\n'
        "respondent: {id: bench, name: Bench Mark}\nanswers:\n"
        + "".join(f"  {i}: {1 + n % 5}\n" for n, i in enumerate(ids))
    )
    results.append(
        measure(
            "report to HTML",
            "-",
            [TOOL, "report", str(answers), "--format", "html", "--output", str(work / "r.html")],
            10,
            work,
        )
    )
    for size in sizes:
        n = SIZES[size]
        export = DATA / f"export-{size}.csv"
        if not export.exists():
            print(f"generating {export.name} ({n:,} responses)...", flush=True)
            generate(export, n, framework)
        print(f"{size} responses ({export.stat().st_size / 1e6:.0f} MB), median of {args.runs}")
        results.append(
            measure(
                "csv.reader pass",
                size,
                [sys.executable, "-c", CSV_PASS, str(export)],
                args.runs,
                work,
            )
        )
        results.append(
            measure(
                "lpc-assess batch",
                size,
                [
                    TOOL,
                    "batch",
                    str(export),
                    "--summary",
                    str(work / "s.json"),
                    "--scores",
                    str(work / "s.csv"),
                ],
                args.runs,
                work,
            )
        )
        if pandas:
            results.append(
                measure(
                    "pandas script",
                    size,
                    [sys.executable, "-c", PANDAS_SCRIPT, str(export), str(fw_file)],
                    args.runs,
                    work,
                )
            )
    if not args.no_write:
        write_report(results, sizes)
    return 0


def _find(results: list[Measure], name: str, size: str = "-") -> Measure | None:
    return next((m for m in results if m.name == name and m.size == size), None)


def write_report(results: list[Measure], sizes: list[str]) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} by `make bench` "
        "(bench/run.py) on:",
        f"{machine()}.",
        "",
        "Whole processes; median with the range of all runs; peak RSS is the largest "
        "of the runs. Targets are PRODUCT.md §8.",
        "",
        "| what | size | median (s) | range (s) | peak RSS (MB) |",
        "| --- | --- | ---: | --- | ---: |",
    ]
    for m in results:
        lines.append(f"| {m.name} | {m.size} | {m.median:.3f} | {m.spread} | {m.peak:.1f} |")
    lines += [
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    typer_ = _find(results, "import typer")
    for name in ("lpc-assess --version", "lpc-assess --help"):
        m = _find(results, name)
        if m and typer_:
            ratio = m.median / typer_.median
            lines.append(
                f"| `{name}` within 1.3x of `import typer` | {ratio:.2f}x "
                f"({m.median * 1000:.0f} ms vs {typer_.median * 1000:.0f} ms) | "
                f"{'yes' if ratio <= 1.3 else 'no'} |"
            )
    for name in ("validate built-in", "report to HTML"):
        m = _find(results, name)
        if m:
            lines.append(
                f"| {name} under 0.5 s | {m.median:.3f} s | {'yes' if m.median < 0.5 else 'no'} |"
            )
    for size in sizes:
        batch, bare, pandas = (
            _find(results, n, size)
            for n in ("lpc-assess batch", "csv.reader pass", "pandas script")
        )
        if batch and bare:
            ratio = batch.median / bare.median
            lines.append(
                f"| batch {size} within 3x of csv.reader | {ratio:.2f}x "
                f"({batch.median:.2f} s vs {bare.median:.2f} s) | "
                f"{'yes' if ratio <= 3 else 'no'} |"
            )
        if batch and pandas:
            lines.append(
                f"| batch {size} faster than pandas | {batch.median:.2f} s vs "
                f"{pandas.median:.2f} s | {'yes' if batch.median < pandas.median else 'no'} |"
            )
        if batch:
            lines.append(
                f"| batch {size} peak RSS under 100 MB | {batch.peak:.1f} MB | "
                f"{'yes' if batch.peak < 100 else 'no'} |"
            )
    (REPO / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {REPO / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    raise SystemExit(main())
