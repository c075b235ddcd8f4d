"""`lpc-assess take`: the answers file, the questionnaire, the summary and the report.

`run_take` finds or resumes the answers file, saves it atomically (mode 0600)
after every answer, and at the end prints a summary and writes the report.
Ctrl-C or the end of input at any prompt saves, says how to carry on, and
returns 130.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shlex
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lpc_assess.questionnaire.prompts import Prompt

if TYPE_CHECKING:
    from lpc_assess.model.answers import Response
    from lpc_assess.model.framework import Framework
    from lpc_assess.scoring.person import ResponseScore

from lpc_assess.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from lpc_assess.questionnaire.flow import (
    Outcome,
    Questionnaire,
    SaveError,
    utc_now,
)

_YES = {"y", "yes"}
_NO = {"", "n", "no", "q"}


def default_answers_path(today: dt.date | None = None) -> Path:
    return Path(f"lpc-answers-{(today or dt.date.today()).isoformat()}.yaml")


def default_report_path(answers: Path) -> Path:
    report = answers.with_suffix(".html")
    return report if report != answers else answers.with_name(answers.name + ".report.html")


def resume_command(framework: str | None, answers: Path, report: Path | None) -> str:
    """The exact command that carries on with `answers`."""
    from lpc_assess.model.framework import DEFAULT_FRAMEWORK

    words = ["lpc-assess", "take"]
    if framework and framework != DEFAULT_FRAMEWORK:
        words += ["--framework", framework]
    words += ["--answers", str(answers)]
    if report is not None:
        words += ["--report", str(report)]
    return shlex.join(words)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold a Ctrl-C that arrives inside the block until the block is done.

    Used around each save, so that the write is never cut short by Ctrl-C
    (atomic_write would keep the old file, but the answer would be lost).
    Afterwards the signal is delivered again to whatever handled it before:
    by default, a KeyboardInterrupt; nothing, if Ctrl-C was being ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(
            signal.SIGINT, previous if previous is not None else signal.default_int_handler
        )
    if caught:
        signal.raise_signal(signal.SIGINT)


def _error(message: str) -> None:
    print(message, file=sys.stderr)


def run_take(
    framework: str | None,
    answers: Path | None,
    report: Path | None,
    *,
    prompt: Prompt | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    today: dt.date | None = None,
) -> int:
    """`lpc-assess take`: the self-check in the terminal. Returns the exit code."""
    from lpc_assess.diagnostics import InputError
    from lpc_assess.model.framework import load_framework

    try:
        loaded = load_framework(framework)
    except InputError as exc:
        for diagnostic in exc.diagnostics:
            _error(diagnostic.text())
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    path = answers if answers is not None else default_answers_path(today)
    report_path = report if report is not None else default_report_path(path)
    for what, file in (("answers", path), ("report", report_path)):
        folder = file.parent if str(file.parent) else Path(".")
        if not folder.is_dir():
            _error(f"{file}: cannot write the {what} there: the folder {folder} does not exist")
            return EXIT_USAGE
        if file.is_symlink() and not file.exists():
            _error(
                f"{file}: error[unreadable]: a broken link or a symlink loop; choose another file"
            )
            return EXIT_FAILED
    if os.path.realpath(report_path) == os.path.realpath(path):
        _error(
            f"{report_path}: the report cannot replace the answers file; choose another --report"
        )
        return EXIT_USAGE
    if prompt is None:
        from lpc_assess.questionnaire.prompts import TerminalPrompt

        prompt = TerminalPrompt()
    session = TakeSession(loaded, framework, path, report, report_path, prompt, clock)
    return session.run()


class TakeSession:
    """One run of `take`: the answers file, the questionnaire, the summary and report."""

    def __init__(
        self,
        framework: Framework,
        framework_spec: str | None,
        path: Path,
        report: Path | None,
        report_path: Path,
        prompt: Prompt,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.framework = framework
        self.path = path
        self.report_path = report_path
        self.prompt = prompt
        self.clock = clock
        self.command = resume_command(framework_spec, path, report)
        self.response: Response | None = None

    def save(self) -> None:
        """Write the answers file atomically, mode 0600; SaveError if it cannot be written."""
        from lpc_assess.model.answers import dump_answers
        from lpc_assess.writers.files import atomic_write

        assert self.response is not None
        fmt = "json" if self.path.suffix.lower() == ".json" else "yaml"
        text = dump_answers(self.response, fmt=fmt)
        try:
            with interrupts_deferred():
                atomic_write(self.path, text, private=True)
        except OSError as exc:
            raise SaveError(f"{self.path}: cannot save the answers: {exc.strerror or exc}") from exc

    def run(self) -> int:
        try:
            return self._run()
        except KeyboardInterrupt:
            # Outside a prompt (while starting, or at the end): every answer given so
            # far was saved when it was given.
            say = self.prompt.say
            say()
            if self.response is None or not self.path.exists():
                say("Stopped. Nothing was changed.")
            elif self.response.completed is not None:
                say(f"Stopped. Your answers are complete and saved in {self.path}.")
                say("To write the report, run: " + self._report_command(), wrap=False)
            else:
                say(f"Stopped. Your answers are saved in {self.path}.")
                say(f"To carry on, run: {self.command}", wrap=False)
            return EXIT_INTERRUPTED
        except SaveError as exc:
            _error(str(exc))
            return EXIT_FAILED
        except OSError as exc:  # the terminal or pipe went away; answers given are saved
            _error(f"lpc-assess take: {exc.strerror or exc}")
            return EXIT_FAILED

    def _report_command(self) -> str:
        fmt = _report_format(self.report_path)
        words = ["lpc-assess", "report", str(self.path), "--format", fmt]
        return shlex.join([*words, "--output", str(self.report_path)])

    def _run(self) -> int:
        started = self._open()
        if isinstance(started, int):
            return started
        response, resuming = started
        self.response = response
        questionnaire = Questionnaire(
            self.framework, response, self.prompt, self.save, clock=self.clock
        )
        self._intro(questionnaire, resuming)
        if not resuming:
            self.save()  # at once: a folder we cannot write to is found before any answer
        outcome = questionnaire.run(questionnaire.resume_index() if resuming else 0)
        if outcome is not Outcome.COMPLETED:
            say = self.prompt.say
            say()
            stopped = "Saved" if outcome is Outcome.QUIT else "Stopped and saved"
            say(
                f"{stopped}: {questionnaire.answered} of {questionnaire.total} answered, "
                f"in {self.path}."
            )
            say(f"To carry on, run: {self.command}", wrap=False)
            return EXIT_OK if outcome is Outcome.QUIT else EXIT_INTERRUPTED
        return self._finish()

    def _open(self) -> tuple[Response, bool] | int:
        """The response to work on and whether it is resumed, or an exit code."""
        from lpc_assess.diagnostics import InputError
        from lpc_assess.model.answers import Response, load_answers

        def fresh() -> Response:
            return Response(
                framework_id=self.framework.id,
                framework_version=self.framework.version,
                started=self.clock(),
            )

        if not self.path.exists():
            return fresh(), False
        try:
            response, warnings = load_answers(self.path, self.framework)
        except InputError as exc:
            for diagnostic in exc.diagnostics:
                _error(diagnostic.text())
            _error(f"{self.path} was left as it is: fix it, or choose another file with --answers.")
            return EXIT_FAILED
        for warning in warnings:
            _error(warning.text())
        if response.completed is None:
            if response.started is None:
                response.started = self.clock()
            return response, True
        when = response.completed.strftime("%Y-%m-%d %H:%M")
        self.prompt.say(f"{self.path} holds a self-check completed on {when}.")
        while True:
            try:
                reply = self.prompt.ask("Start again and replace it? [y/N] ").strip().lower()
            except EOFError:
                _error(
                    f"{self.path} was not replaced (no answer to 'start again?'). "
                    "To start a new self-check, choose another file with --answers."
                )
                return EXIT_FAILED
            if reply in _YES:
                return fresh(), False
            if reply in _NO:
                self.prompt.say(f"{self.path} is unchanged.")
                self.prompt.say("To write its report, run: " + self._report_command(), wrap=False)
                return EXIT_OK
            self.prompt.say("Please answer y (start again) or n (keep it).")

    def _intro(self, questionnaire: Questionnaire, resuming: bool) -> None:
        framework = self.framework
        say = self.prompt.say
        say(f"{framework.title} (version {framework.version})", style="bold")
        if framework.description and not resuming:
            say(" ".join(framework.description.split()))
        say()
        themes = len(framework.themes)
        count = f"{questionnaire.total} statements in {themes} theme{'s' if themes != 1 else ''}."
        if any(theme.reflection for theme in framework.themes):
            say(
                f"{count} After a theme you can add a short reflection, and at the end a "
                "pledge; both are optional."
            )
        else:
            say(f"{count} At the end you can make a pledge, if you like.")
        scale = framework.scale
        say(f"Answer each statement with a number from {scale.min} to {scale.max}, then Enter:")
        say("  " + questionnaire.scale_line(full=True))
        keys = "b back to the previous statement, ? help, q save and quit"
        say(f"Keys: {'s skip, ' if scale.skip else ''}{keys}.")
        say()
        say(
            f"Your answers are saved after every answer in {self.path} "
            f"({self.path.resolve()}), a file on this computer that only you can read. "
            "Nothing is sent anywhere."
        )
        if resuming:
            say()
            say(
                f"Resuming: {questionnaire.answered} of {questionnaire.total} answered.",
                style="bold",
            )

    def _finish(self) -> int:
        """The summary table and the report, once every step is done."""
        from lpc_assess.scoring.person import score_response
        from lpc_assess.writers.files import atomic_write

        assert self.response is not None
        fmt = _report_format(self.report_path)
        say = self.prompt.say
        try:
            from lpc_assess.reports.person import render_person

            score = score_response(self.framework, self.response.answers)
            say()
            say("Your results", style="bold")
            for line in summary_lines(score):
                say(line)
            text = render_person(self.framework, self.response, score, fmt)
            with interrupts_deferred():
                atomic_write(self.report_path, text, private=True)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # the answers are safe: say so, and how to get the report
            _error(f"{self.report_path}: the report could not be written: {exc}")
            _error(
                f"Your answers are complete and saved in {self.path}. To write the report, run: "
                + self._report_command()
            )
            return EXIT_FAILED
        say()
        say(f"Your answers are saved in {self.path}.")
        say(f"Your report: {self.report_path}", style="bold")
        return EXIT_OK


def _report_format(path: Path) -> str:
    """Markdown for a `.md` report, HTML for anything else."""
    return "md" if path.suffix.lower() in (".md", ".markdown") else "html"


def summary_lines(score: ResponseScore) -> list[str]:
    """One line per theme and one overall: title, percent, band, then a bar.

    The bar comes last so that a screen reader reaches the numbers first.
    """
    from lpc_assess.reports.templates import percent_text, text_bar

    plain = os.environ.get("TERM") == "dumb" or "utf" not in (sys.stdout.encoding or "").lower()
    rows = [
        (t.title, t.percent, t.band.label if t.band else "not enough answers") for t in score.themes
    ]
    if score.overall_percent is not None:
        band = score.overall_band.label if score.overall_band else ""
        rows.append(("Overall", score.overall_percent, band))
    title_width = max(len(title) for title, _, _ in rows)
    band_width = max(len(band) for _, _, band in rows)
    return [
        f"  {title:<{title_width}}  {percent_text(percent):>8}  {band:<{band_width}}  "
        f"{text_bar(percent, ascii=plain)}".rstrip()
        for title, percent, band in rows
    ]
