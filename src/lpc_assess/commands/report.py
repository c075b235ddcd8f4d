"""`report`: one answers file in, one development report out (Markdown, HTML or JSON).

`make_report` does the work and returns the text; `run_report` is what the
command line calls: it prints diagnostics, writes the result and returns the
exit code. Neither lets a traceback escape for a bad input.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import TracebackType

import jinja2

from lpc_assess.commands.result import CommandResult
from lpc_assess.diagnostics import Diagnostic, InputError
from lpc_assess.inputs.documents import Document, display_path, error, load_document
from lpc_assess.model.answers import Response, load_answers, parse_answers
from lpc_assess.model.framework import SLUG_PATTERN
from lpc_assess.model.lookup import builtin_frameworks_dir, load_framework
from lpc_assess.reports.templates import FORMATS, date_text
from lpc_assess.scoring.person import compare_scores, score_response
from lpc_assess.writers.files import atomic_write


def earlier_label(earlier: Response, path: Path) -> str:
    """How a report names the earlier self-check: by its date, else by its file."""
    when = date_text(earlier.completed) or date_text(earlier.started)
    if when:
        return f"your self-check of {when}"
    return f"your earlier self-check ({path.name})"


def _template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    """The innermost template file and line in a traceback (Jinja2 rewrites frames to them)."""
    found = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or "/templates/" in name:
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def template_diagnostic(exc: jinja2.TemplateError) -> Diagnostic:
    """One line for a broken template: where it is and what is wrong."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = display_path(Path(exc.filename)) if exc.filename else (exc.name or "template")
        return error(
            where,
            (exc.lineno, 1) if exc.lineno else None,
            "template-syntax",
            f"template syntax error: {exc.message}",
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return error(
            str(exc.name or "template"),
            None,
            "template-not-found",
            "template not found in the --template folder or the built-in templates",
        )
    frame = _template_frame(exc.__traceback__)
    where, position = ("template", None)
    if frame:
        where, position = display_path(Path(frame[0])), (frame[1], 1)
    return error(where, position, "template-error", f"template failed: {exc.message or exc}")


def _declared_framework(document: Document) -> str | None:
    """Without --framework: the framework the answers name, when it is found by its id.

    Only `./frameworks/<id>/` and the built-ins are searched (as for an id given
    to --framework); otherwise None, the default framework, whose check then
    explains the mismatch.
    """
    declared = document.data.get("framework") if isinstance(document.data, dict) else None
    if not isinstance(declared, str) or not re.match(SLUG_PATTERN, declared):
        return None
    for folder in (Path("frameworks"), builtin_frameworks_dir()):
        candidate = folder / declared / "framework.yaml"
        if candidate.is_file():
            return str(candidate)
    return None


def make_report(
    answers: Path,
    *,
    framework: str | None = None,
    fmt: str = "md",
    compare: Path | None = None,
    template: Path | None = None,
    warnings: list[Diagnostic] | None = None,
) -> str:
    """The report for one answers file, as text. Raises InputError for any bad input.

    Without `framework`, the framework the answers file names is used when it
    is found by id (under ./frameworks/ or built in); else the default.

    Warnings (a different framework version, say) are appended to `warnings`.
    """
    found: list[Diagnostic] = [] if warnings is None else warnings
    if fmt not in FORMATS:
        raise InputError(
            [
                error(
                    fmt,
                    None,
                    "unknown-format",
                    f"unknown report format; use one of {', '.join(FORMATS)}",
                )
            ]
        )
    if template is not None and not template.is_dir():
        raise InputError(
            [
                error(
                    display_path(template),
                    None,
                    "template-dir",
                    "--template must name a folder of templates",
                )
            ]
        )
    document = load_document(answers, label=display_path(answers))
    loaded = load_framework(framework if framework else _declared_framework(document))
    response, more = parse_answers(document, loaded)
    found.extend(more)
    score = score_response(loaded, response.answers)
    comparison = earlier_score = label = None
    if compare is not None:
        earlier, more = load_answers(compare, loaded)
        found.extend(more)
        if (
            earlier.respondent_id
            and response.respondent_id
            and earlier.respondent_id != response.respondent_id
        ):
            found.append(
                Diagnostic(
                    display_path(compare),
                    None,
                    None,
                    "warning",
                    "different-respondent",
                    f"earlier answers are from {earlier.respondent_id!r}, "
                    f"not {response.respondent_id!r}",
                )
            )
        earlier_score = score_response(loaded, earlier.answers)
        comparison = compare_scores(score, earlier_score)
        label = earlier_label(earlier, compare)
    try:
        # Looked up when called, not bound at import: a test that replaces it
        # (tests/unit/questionnaire) must not leave its stand-in behind here.
        from lpc_assess.reports.person import render_person

        return render_person(
            loaded,
            response,
            score,
            fmt,
            comparison=comparison,
            earlier=str(compare) if compare is not None else None,
            earlier_score=earlier_score,
            earlier_label=label,
            template_dir=template,
        )
    except jinja2.TemplateError as exc:
        raise InputError([template_diagnostic(exc)]) from None


def run_report(
    *,
    answers: Path,
    framework: str | None = None,
    fmt: str = "md",
    output: Path | None = None,
    compare: Path | None = None,
    template: Path | None = None,
) -> CommandResult:
    """`lpc-assess report`: score ANSWERS and write its report.

    The result's messages are the diagnostics, one line each; the report goes
    to `output` (replaced atomically) or is the result's output, for stdout.
    `pdf` is the HTML report laid out by WeasyPrint. Exit code 0 on success,
    1 for a bad input or a file that cannot be written, 2 for options that
    cannot work (`pdf` without the pdf extra, or to a terminal).
    """
    from lpc_assess.commands.outputs import (
        OutputClash,
        check_outputs,
        framework_inputs,
        template_inputs,
    )
    from lpc_assess.exit_codes import EXIT_USAGE

    result = CommandResult(0)
    say = result.messages.append

    if fmt == "pdf":
        from lpc_assess.writers.pdf import INSTALL_HINT, pdf_available

        # Refused before anything is read or written: one line, and how to fix it.
        if not pdf_available():
            say(f"lpc-assess report: {INSTALL_HINT}")
            result.exit_code = EXIT_USAGE
            return result
        if output is None and sys.stdout.isatty():
            say("lpc-assess report: --format pdf writes a binary file: give --output FILE")
            result.exit_code = EXIT_USAGE
            return result
    warnings: list[Diagnostic] = []
    try:
        check_outputs(
            [("--output", output)],
            [
                ("the answers file", answers),
                ("the --compare answers", compare),
                *(("a framework file", p) for p in framework_inputs(framework)),
                *(("a --template file", p) for p in template_inputs(template)),
            ],
        )
    except OutputClash as exc:
        say(f"lpc-assess report: {exc}")
        result.exit_code = EXIT_USAGE
        return result
    try:
        text = make_report(
            answers,
            framework=framework,
            fmt="html" if fmt == "pdf" else fmt,
            compare=compare,
            template=template,
            warnings=warnings,
        )
    except InputError as exc:
        for diagnostic in [*warnings, *exc.diagnostics]:
            say(diagnostic.text())
        result.exit_code = 1
        return result
    for diagnostic in warnings:
        say(diagnostic.text())
    data: str | bytes = text
    if fmt == "pdf":
        from lpc_assess.writers.pdf import html_to_pdf

        data = html_to_pdf(text)  # the HTML report laid out for print (docs/reports.md)
    if output is None:
        result.output = data
        return result
    try:
        atomic_write(output, data)
    except OSError as exc:
        reason = "is a folder, not a file" if output.is_dir() else exc.strerror or str(exc)
        say(f"{output}: error[cannot-write]: cannot write the report: {reason}")
        result.exit_code = 1
        return result
    say(f"report written to {output}")
    return result
