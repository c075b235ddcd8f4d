"""`lpc-assess take`: the answers file, the questionnaire, the summary and the report.

`run_take` finds or resumes the answers file (or starts a new one beside a
completed one), saves it atomically (mode 0600) after every answer, and at the
end prints a summary, writes the report (compared with the earlier self-check
it followed up) and, after a pledge, a calendar reminder. Ctrl-C or the end of
input at any prompt saves, says how to carry on, and returns 130. See
docs/taking-the-self-check.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lpc_assess.questionnaire.prompts import Prompt

if TYPE_CHECKING:
    from lpc_assess.model.answers import Response
    from lpc_assess.model.framework import Framework
    from lpc_assess.questionnaire.earlier import Found
    from lpc_assess.questionnaire.pledge import EarlierSelfCheck
    from lpc_assess.scoring.person import ResponseScore

from lpc_assess.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from lpc_assess.questionnaire.earlier import default_answers_path, latest_of_day, next_free
from lpc_assess.questionnaire.flow import (
    Outcome,
    Questionnaire,
    SaveError,
    utc_now,
)
from lpc_assess.questionnaire.invocation import (
    program_words,
    report_command,
    resume_command,
    retake_command,
)

__all__ = ["default_answers_path", "default_report_path", "resume_command", "run_take"]

_NEW = {"", "n", "new"}
_REPLACE = {"r", "replace"}
_KEEP = {"k", "keep", "q"}
# The reminder falls this long after the self-check when the pledge has no date.
REMINDER_AFTER = dt.timedelta(weeks=4)


def default_report_path(answers: Path) -> Path:
    report = answers.with_suffix(".html")
    return report if report != answers else answers.with_name(answers.name + ".report.html")


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
    previous: Path | None = None,
    prompt: Prompt | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    today: dt.date | None = None,
    program: Sequence[str] | None = None,
) -> int:
    """`lpc-assess take`: the self-check in the terminal. Returns the exit code.

    `previous` is the earlier self-check to follow up (default: the newest
    completed one beside the answers). `program` is how printed commands name
    this program (default: as it was invoked).
    """
    from lpc_assess.diagnostics import InputError
    from lpc_assess.model.lookup import load_framework

    try:
        loaded = load_framework(framework)
    except InputError as exc:
        for diagnostic in exc.diagnostics:
            _error(diagnostic.text())
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    # Without --answers: today's file, or the last of today's -2, -3... files.
    path = answers if answers is not None else latest_of_day(default_answers_path(today))
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
    earlier: Found | None = None
    if previous is not None:
        found = _load_previous(previous, path, loaded, explicit=answers is not None)
        if isinstance(found, int):
            return found
        earlier = found
    if prompt is None:
        from lpc_assess.questionnaire.prompts import TerminalPrompt

        prompt = TerminalPrompt()
    session = TakeSession(loaded, framework, path, report, report_path, prompt, clock)
    session.today = today
    session.previous = previous
    session.earlier = earlier
    session.program = list(program) if program is not None else program_words()
    session.anywhere = list(program) if program is not None else program_words(anywhere=True)
    session.command = session.resume()
    return session.run()


def _load_previous(
    previous: Path, answers: Path, framework: Framework, *, explicit: bool
) -> Found | int:
    """The self-check `--previous` names, or the exit code after saying what is wrong.

    It may be the day's default answers file (the calendar reminder's command, run
    the same day): then `take` offers a new file beside it.
    """
    from lpc_assess.diagnostics import InputError
    from lpc_assess.model.answers import load_answers
    from lpc_assess.questionnaire.earlier import Found

    if explicit and answers.exists() and previous.exists() and os.path.samefile(previous, answers):
        _error(f"{previous}: --previous names the answers file itself; choose an earlier one")
        return EXIT_USAGE
    try:
        response, warnings = load_answers(previous, framework)
    except InputError as exc:
        for diagnostic in exc.diagnostics:
            _error(diagnostic.text())
        return EXIT_FAILED
    for warning in warnings:
        _error(warning.text())
    if response.completed is None:
        _error(
            f"{previous}: not a completed self-check (it has no 'completed' time); "
            "--previous takes the answers of a self-check you finished"
        )
        return EXIT_FAILED
    return Found(previous, response)


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
        self.framework_spec = framework_spec
        self.path = path
        self.report = report
        self.report_path = report_path
        self.prompt = prompt
        self.clock = clock
        self.today: dt.date | None = None
        self.previous: Path | None = None  # --previous, as given
        self.earlier: Found | None = None  # the self-check this one follows and compares with
        self.program: list[str] = ["lpc-assess"]
        self.anywhere: list[str] = ["lpc-assess"]
        self.command = self.resume()
        self.response: Response | None = None

    def resume(self, path: Path | None = None) -> str:
        """The command that carries on with the answers file (or with `path`)."""
        return resume_command(
            self.framework_spec,
            path or self.path,
            self.report,
            program=self.program,
            previous=self.previous,
        )

    def _today(self) -> dt.date:
        return self.today or dt.date.today()

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
        return report_command(
            self.path,
            _report_format(self.report_path),
            self.report_path,
            program=self.program,
            framework=self.framework_spec,
            compare=self.earlier.path if self.earlier else None,
        )

    def _run(self) -> int:
        started = self._open()
        if isinstance(started, int):
            return started
        response, resuming = started
        self.response = response
        self._find_earlier(response, resuming)
        questionnaire = Questionnaire(
            self.framework,
            response,
            self.prompt,
            self.save,
            clock=self.clock,
            today=self._today,
            earlier=self._follow_up() if not resuming else None,
        )
        self._intro(questionnaire, resuming)
        if not resuming:
            self.save()  # at once: a folder we cannot write to is found before any answer
        outcome = questionnaire.run(
            questionnaire.resume_index() if resuming else 0, new=not resuming
        )
        if outcome is not Outcome.COMPLETED:
            say = self.prompt.say
            say()
            stopped = "Saved" if outcome is Outcome.QUIT else "Stopped and saved"
            say(f"{stopped}: {questionnaire.progress_text}, in {self.path}.")
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
        return self._complete(response, fresh)

    def _complete(
        self, response: Response, fresh: Callable[[], Response]
    ) -> tuple[Response, bool] | int:
        """The answers file holds a finished self-check: a new file beside it, replace it,
        or keep it (and say how to write its report)."""
        from lpc_assess.questionnaire.earlier import Found

        assert response.completed is not None
        say = self.prompt.say
        when = response.completed.strftime("%Y-%m-%d %H:%M")
        new = next_free(self.path)
        say(f"{self.path} holds a self-check completed on {when}.")
        say(f"  n  start a new self-check in {new} (the report compares the two)", wrap=False)
        say(f"  r  start again in {self.path}, replacing it", wrap=False)
        say("  k  keep it as it is and stop")
        while True:
            try:
                reply = self.prompt.ask("New, replace or keep? [N/r/k] ").strip().lower()
            except EOFError:
                _error(
                    f"{self.path} was kept as it is (no answer to 'new, replace or keep?'). "
                    f"To start a new self-check, run: {self.resume(new)}"
                )
                return EXIT_FAILED
            if reply in _NEW:
                if self.earlier is None:
                    self.earlier = Found(self.path, response)
                self.path = new
                if self.report is None:
                    self.report_path = default_report_path(new)
                self.command = self.resume()
                return fresh(), False
            if reply in _REPLACE:
                if self.earlier is not None and _same(self.earlier.path, self.path):
                    say("That is the self-check to follow up: choose n (a new one) or k.")
                    continue
                return fresh(), False
            if reply in _KEEP:
                earlier, self.earlier = self.earlier, None  # its report, as it was written
                say(f"{self.path} is unchanged.")
                say("To write its report, run: " + self._report_command(), wrap=False)
                self.earlier = earlier
                return EXIT_OK
            say("Please answer n (a new self-check), r (replace it) or k (keep it).")

    def _find_earlier(self, response: Response, resuming: bool) -> None:
        """The self-check this one follows: --previous, else (resuming) the one the file
        followed up, else the newest completed one beside the answers."""
        from lpc_assess.diagnostics import InputError
        from lpc_assess.model.answers import load_answers
        from lpc_assess.questionnaire.earlier import Found, newest_completed, resolve_source

        if self.earlier is not None:
            return
        source = response.previous_pledge.source if response.previous_pledge else None
        if resuming and source:
            path = resolve_source(source, self.path)
            try:
                earlier, _ = load_answers(path, self.framework)
            except (InputError, OSError):
                _error(f"{path}: the earlier self-check cannot be read; no comparison this time")
                return
            self.earlier = Found(path, earlier)
            return
        self.earlier = newest_completed(self.path, self.framework)

    def _follow_up(self) -> EarlierSelfCheck | None:
        from lpc_assess.questionnaire.earlier import source_of
        from lpc_assess.questionnaire.pledge import EarlierSelfCheck

        if self.earlier is None:
            return None
        return EarlierSelfCheck(
            shown_as=str(self.earlier.path),
            source=source_of(self.earlier.path, self.path),
            completed=self.earlier.response.completed,
            pledge=self.earlier.response.pledge,
        )

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
                f"Resuming: {questionnaire.progress_text}.",
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
            score = score_response(self.framework, self.response.answers)
            say()
            say("Your results", style="bold")
            for line in summary_lines(score):
                say(line)
            text = self._render(score, fmt)
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
        return self._reminder()

    def _render(self, score: ResponseScore, fmt: str) -> str:
        """The report, compared with the earlier self-check when there is one."""
        from lpc_assess.reports.person import render_person

        assert self.response is not None
        if self.earlier is None:
            return render_person(self.framework, self.response, score, fmt)
        from lpc_assess.commands.report import earlier_label
        from lpc_assess.scoring.person import compare_scores, score_response

        earlier_score = score_response(self.framework, self.earlier.response.answers)
        return render_person(
            self.framework,
            self.response,
            score,
            fmt,
            comparison=compare_scores(score, earlier_score),
            earlier=str(self.earlier.path),
            earlier_score=earlier_score,
            earlier_label=earlier_label(self.earlier.response, self.earlier.path),
        )

    def _reminder(self) -> int:
        """After a pledge: `<answers stem>-pledge.ics`, an all-day event on its date."""
        from lpc_assess.model.pledge import date_words
        from lpc_assess.writers.calendar import calendar_path, write_pledge_calendar

        assert self.response is not None
        pledge = self.response.pledge
        path = calendar_path(self.path)
        if pledge is None:
            # A reminder of a pledge these answers no longer hold would call people back
            # to something they did not promise: it goes (a regular file only).
            if path.is_file() and not path.is_symlink():
                with contextlib.suppress(OSError):
                    path.unlink()
                    self.prompt.say(f"The earlier reminder {path} was removed: no pledge now.")
            return EXIT_OK
        if os.path.realpath(path) == os.path.realpath(self.report_path):
            _error(f"{path}: the calendar reminder would replace the report; it was not written")
            return EXIT_FAILED
        on = pledge.by_when or self._today() + REMINDER_AFTER
        command = retake_command(self.framework_spec, self.path, program=self.anywhere)
        try:
            with interrupts_deferred():
                write_pledge_calendar(
                    path, pledge, on=on, answers=self.path, command=command, stamp=self.clock()
                )
        except OSError as exc:
            _error(f"{path}: the calendar reminder could not be written: {exc.strerror or exc}")
            return EXIT_FAILED
        say = self.prompt.say
        say(
            f"A reminder to look back at your pledge, on {date_words(on)}: {path} "
            "(open it with your calendar to add it)."
        )
        return EXIT_OK


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


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
