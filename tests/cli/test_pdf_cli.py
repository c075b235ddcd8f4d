"""`--format pdf` on `report` and `batch`, through the real command line.

The PDFs are read back with poppler (`pdfinfo`, `pdftotext`), never with the
library that wrote them: page counts, the title, tags and language a screen
reader needs, and the same headings and numbers as the HTML report. A template
that points at a local web server proves that making a PDF fetches nothing.
"""

from __future__ import annotations

import html
import http.server
import json
import random
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from lpc_assess.writers.pdf import INSTALL_HINT, pdf_available
from tests.conftest import run_cli

TEAM_PAGES = 6  # a 12-person team report with the built-in framework, facets answered
PERSON_PAGES = 5  # one person: every statement and facet answered, reflections and a pledge
PLEDGE = "By the end of March I will co-host a what-matters conversation with my team."
NAMES = [
    "Alex Smith", "Bea Jones", "Chris O'Neil", "Dana Patel", "Eli Novak", "Fran Lee",
    "Gil Ross", "Hana Ito", "Ivo Marsh", "Jo Okafor", "Kai Berg", "Lou Grant",
]  # fmt: skip

needs_pdf = pytest.mark.skipif(not pdf_available(), reason="the pdf extra (WeasyPrint)")
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="poppler-utils (pdfinfo, pdftotext)",
)


# --- the answers: a full self-check, and a team of twelve -------------------------------------


def framework_ids() -> tuple[list[str], list[str], list[str]]:
    """(statement ids, theme ids, facet ids) of the built-in framework, as `show` lists them."""
    result = run_cli("show", "--format", "json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    themes = shown["themes"]
    facets = [f["id"] for f in shown["facets"]["items"]]
    return [i["id"] for t in themes for i in t["indicators"]], [t["id"] for t in themes], facets


def write_full_answers(path: Path, name: str, rng: random.Random) -> Path:
    """Every statement and every theme's facet questions answered (as `take` asks them), a
    reflection for every theme, and a pledge: the longest report the framework makes."""
    statements, themes, facets = framework_ids()
    reflection = "What I noticed this month, and what I will try next, in a few sentences. " * 3
    data = {
        "framework": "personalised-care",
        "framework_version": "1.0",
        "respondent": {"id": name.lower().replace(" ", "-").replace("'", ""), "name": name},
        "completed": "2026-11-22T10:14:00Z",
        "answers": {i: rng.randint(1, 5) for i in statements},
        "facets": {t: {f: rng.randint(1, 5) for f in facets} for t in themes},
        "notes": {t: reflection.strip() for t in themes},
        "pledge": PLEDGE,
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_team(folder: Path, size: int = 12) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    for n, name in enumerate(NAMES[:size]):
        write_full_answers(folder / f"p{n:02}.json", name, rng)
    return folder


# --- reading PDFs with poppler ----------------------------------------------------------------


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in out.stdout.splitlines())
    )


def pdf_text(path: Path) -> str:
    """The PDF's text, every run of white space made one space."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def pdf_metadata(path: Path) -> str:
    out = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True)
    return out.stdout


def catalog_language(path: Path) -> str | None:
    """The document catalog's /Lang, from the PDF's (possibly compressed) object streams."""
    data = path.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    for chunk in chunks:
        found = re.search(rb"/Type\s*/Catalog.*?/Lang\s*\(([^)]*)\)", chunk, re.S) or re.search(
            rb"/Lang\s*\(([^)]*)\)", chunk
        )
        if found:
            return found.group(1).decode("ascii")
    return None


def html_headings(text: str) -> list[str]:
    """The text of every h1-h3 of an HTML report, as a reader sees it."""
    found = re.findall(r"<h([1-3])\b[^>]*>(.*?)</h\1>", text, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split()) for _, body in found]


def html_title(text: str) -> str:
    match = re.search(r"<title>(.*?)</title>", text, re.S)
    assert match
    return html.unescape(match.group(1)).strip()


def table_numbers(text: str, marker: str) -> list[str]:
    """The cell texts (numbers with %) of the table whose tag contains `marker`."""
    start = text.index(marker)
    table = text[start : text.index("</table>", start)]
    table = re.sub(r'<span class="(cell-heading|visually-hidden)"[^>]*>.*?</span>', "", table)
    return re.findall(r"<td[^>]*>\s*([0-9.]+%)\s*</td>", table)


# --- report --format pdf --------------------------------------------------------------------


@needs_pdf
@needs_poppler
def test_a_person_pdf_is_short_tagged_and_says_what_the_html_says(tmp_path: Path) -> None:
    answers = write_full_answers(tmp_path / "alex.json", "Alex Smith", random.Random(3))
    pdf, page = tmp_path / "alex.pdf", tmp_path / "alex.html"
    for fmt, out in (("pdf", pdf), ("html", page)):
        result = run_cli("report", str(answers), "--format", fmt, "--output", str(out))
        assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_mode & 0o777 == 0o600
    source = page.read_text(encoding="utf-8")
    info = pdf_info(pdf)
    assert int(info["Pages"]) <= PERSON_PAGES
    assert info["Title"] == html_title(source)
    assert info["Tagged"] == "yes"
    assert catalog_language(pdf) == "en"
    assert 'pdfuaid:part="1"' in pdf_metadata(pdf)  # PDF/UA-1
    text = pdf_text(pdf)
    for heading in html_headings(source):
        assert heading in text, heading
    for needed in ("Alex Smith", "Being", "Relating and Communicating", "Leading and Visioning",
                   "Delivering", PLEDGE):  # fmt: skip
        assert needed in text, needed
    for number in table_numbers(source, 'id="theme-table"'):
        assert number in text, number
    # The facet section is there in full: four facets, ability and willingness per theme.
    facet_numbers = table_numbers(source, 'id="facet-table"')
    assert len(facet_numbers) == 4 * 6
    for number in facet_numbers:
        assert number in text, number


@needs_pdf
@needs_poppler
def test_pdf_to_stdout_is_the_same_document(tmp_path: Path) -> None:
    answers = write_full_answers(tmp_path / "alex.json", "Alex Smith", random.Random(3))
    out = tmp_path / "piped.pdf"
    with out.open("wb") as sink:  # stdout is a file, as with `> report.pdf`
        done = subprocess.run(
            [sys.executable, "-m", "lpc_assess", "report", str(answers), "--format", "pdf"],
            stdout=sink,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert int(pdf_info(out)["Pages"]) <= PERSON_PAGES
    assert "Alex Smith" in pdf_text(out)


# --- batch --format pdf ---------------------------------------------------------------------


@needs_pdf
@needs_poppler
def test_a_team_of_twelve_prints_on_six_pages_with_every_heading_and_score(
    tmp_path: Path,
) -> None:
    team = write_team(tmp_path / "team")
    as_pdf, as_html = tmp_path / "pdf", tmp_path / "html"
    for fmt, out in (("pdf", as_pdf), ("html", as_html)):
        result = run_cli("batch", str(team), "--out-dir", str(out), "--format", fmt, timeout=600)
        assert result.returncode == 0, result.stderr
    pdfs = sorted(p.name for p in as_pdf.iterdir())
    assert len(pdfs) == 13 and "team.pdf" in pdfs
    assert all(p.endswith(".pdf") for p in pdfs)
    assert all((as_pdf / p).stat().st_mode & 0o777 == 0o600 for p in pdfs)
    source = (as_html / "team.html").read_text(encoding="utf-8")
    info = pdf_info(as_pdf / "team.pdf")
    assert int(info["Pages"]) <= TEAM_PAGES
    assert info["Title"] == html_title(source) and info["Tagged"] == "yes"
    assert catalog_language(as_pdf / "team.pdf") == "en"
    text = pdf_text(as_pdf / "team.pdf")
    for heading in html_headings(source):
        assert heading in text, heading
    heat = table_numbers(source, '<table class="heatmap')
    assert len(heat) == 12 * 5  # four themes and overall for each person
    facet_means = table_numbers(source, 'id="team-facet-table"')
    assert len(facet_means) == 4 * 4  # every theme's four facets, answered by all twelve
    for number in heat + facet_means + table_numbers(source, 'id="theme-table"'):
        assert number in text, number
    for name in NAMES:
        assert name in text
    # every person's own report, as PDF, short enough to send
    for name in pdfs:
        if name != "team.pdf":
            assert int(pdf_info(as_pdf / name)["Pages"]) <= PERSON_PAGES


@needs_pdf
def test_a_360_batch_writes_every_report_as_pdf(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "batch", "tests/data/360/team", "--out-dir", str(out), "--format", "pdf", timeout=600
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written and all(p.endswith(".pdf") for p in written)
    assert any(p.endswith("-360.pdf") for p in written)
    assert all((out / p).read_bytes().startswith(b"%PDF-") for p in written)


# --- without the pdf extra ------------------------------------------------------------------


@pytest.fixture
def no_weasyprint(tmp_path: Path) -> dict[str, str]:
    """An environment where `import weasyprint` fails, as it does without the extra."""
    shadow = tmp_path / "shadow" / "weasyprint"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('no WeasyPrint here')\n")
    return {"PYTHONPATH": str(shadow.parent)}


def test_report_without_the_extra_says_how_to_install_it(
    tmp_path: Path, no_weasyprint: dict[str, str]
) -> None:
    answers = write_full_answers(tmp_path / "alex.json", "Alex Smith", random.Random(3))
    out = tmp_path / "alex.pdf"
    result = run_cli(
        "report", str(answers), "--format", "pdf", "--output", str(out), env=no_weasyprint
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"lpc-assess report: {INSTALL_HINT}"]
    assert result.stdout == ""
    assert not out.exists()


def test_batch_without_the_extra_writes_nothing(
    tmp_path: Path, no_weasyprint: dict[str, str]
) -> None:
    team = write_team(tmp_path / "team", size=2)
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    result = run_cli(
        "batch", str(team), "--out-dir", str(out), "--format", "pdf", "--summary", str(summary),
        env=no_weasyprint,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"lpc-assess batch: {INSTALL_HINT}"]
    assert not out.exists() and not summary.exists()


# --- nothing is fetched -------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).seen.append(self.path)
        body = b"body { color: red; }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A web server on this machine: (its address, the paths asked of it)."""
    _Recorder.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@needs_pdf
@needs_poppler
def test_a_template_that_points_outside_makes_no_request(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    address, seen = server
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "person.html.j2").write_text(
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Outside {{{{ respondent.display }}}}</title>
<link rel="stylesheet" href="{address}/link.css">
<style>
@import url("{address}/import.css");
@font-face {{ font-family: Remote; src: url("{address}/font.woff2"); }}
body {{ background: url("{address}/background.png"); font-family: Remote, sans-serif; }}
</style></head>
<body><h1>Report for {{{{ respondent.display }}}}</h1>
<img src="{address}/image.png" alt="an image from elsewhere">
<img src="file:///etc/hostname" alt="a local file">
<object data="{address}/object.svg"></object>
<svg role="img" aria-label="chart"><image href="{address}/svg.png" width="9" height="9"/></svg>
</body></html>
""",
        encoding="utf-8",
    )
    answers = write_full_answers(tmp_path / "alex.json", "Alex Smith", random.Random(3))
    out = tmp_path / "outside.pdf"
    result = run_cli(
        "report", str(answers), "--format", "pdf", "--template", str(templates),
        "--output", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Report for Alex Smith" in pdf_text(out)
    assert seen == []
    # The server was there to be asked: a request of our own reaches it.
    with urllib.request.urlopen(f"{address}/check") as response:  # noqa: S310 - local server
        assert response.status == 200
    assert seen == ["/check"]
