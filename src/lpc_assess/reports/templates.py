"""Rendering: template environments, numbers as text, Markdown escaping, JSON.

The reports (`person_report.py`, `subject_report.py`, the team report in
`outputs.py`) hand the templates plain data (strings, numbers, lists, dicts,
and SVG charts as `Markup`). Input text only ever reaches a template as data,
never as template source, and every template runs in Jinja2's sandbox with
`StrictUndefined`.

Escaping: HTML templates are autoescaped. Markdown has no autoescape of its
own, so the Markdown environment's `finalize` escapes every value a template
prints, unless a filter has already made it safe (`MdSafe`): forgetting a
filter cannot leak markup into the report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from lpc_assess import __version__
from lpc_assess.scoring.rounding import round_half_up

Kind = Literal["html", "md"]
FORMATS = ("md", "html", "json")


def templates_dir() -> Path:
    """The built-in templates: inside the installed package, or at the top of a checkout."""
    packaged = Path(__file__).parents[1] / "_data" / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "reports" / "templates"


# --- numbers as text -----------------------------------------------------------------------


def number_text(value: float | None, digits: int = 1) -> str:
    """A number for people: rounded half up to `digits` decimals; "" for None."""
    return "" if value is None else str(round_half_up(value, digits))


def percent_text(value: float | None) -> str:
    """`70.8%`, or `no score`."""
    return "no score" if value is None else f"{number_text(value)}%"


def change_text(value: float) -> str:
    """A change in percentage points with its sign: `+12.5`, `-4.2`, `0.0`."""
    text = number_text(value)
    return text if text.startswith("-") or text == "0.0" else f"+{text}"


def join_and(items: Sequence[object]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    words = [str(i) for i in items]
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def weight_text(value: float) -> str:
    return f"{value:g}"


def text_bar(percent: float | None, width: int = 20, *, ascii: bool = False) -> str:
    """A bar of `width` characters for a percent: `████████░░░░` (or `####....` in ASCII).

    None gives a bar of spaces-like dots so that columns still line up.
    """
    full_char, empty_char = ("#", ".") if ascii else ("█", "░")
    if percent is None:
        return ("-" if ascii else "·") * width
    filled = int(round_half_up(width * min(max(percent, 0.0), 100.0) / 100, 0))
    return full_char * filled + empty_char * (width - filled)


def date_text(value: dt.datetime | dt.date | None) -> str | None:
    """`22 November 2026`."""
    if value is None:
        return None
    return f"{value.day} {value:%B %Y}"


# --- Markdown escaping ---------------------------------------------------------------------


class MdSafe(str):
    """Text already fit for Markdown: the Markdown environment prints it as it is."""

    __slots__ = ()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What no report may hold: _CONTROL without the carriage return (CRLF line ends stay).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What starts a block only when it begins a line and is followed by a space
# (CommonMark): an ordered-list marker, a bullet, a heading; and setext or
# thematic-break lines made only of `-` or `=`.
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BLOCK_START = re.compile(r"^(?:[-+](?=\s|$)|#{1,6}(?=\s|$)|[-=][-=\s]*$)")


def clean_text(text: str) -> str:
    """Input text without control characters (a terminal escape in a note stays inert)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


def _md_line(line: str) -> str:
    line = _MD_SPECIAL.sub(r"\\\1", line.strip())
    line = _ENTITY.sub(r"\\&", line)
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered.group(1)}\\{line[ordered.end(1) :]}"
    if _BLOCK_START.match(line):
        return "\\" + line
    return line


def md_inline(value: object) -> MdSafe:
    """Escape text for one line of Markdown (a table cell, a heading, a list item).

    Newlines become spaces; `|`, backticks, `*`, `_`, brackets, `<`, `>`, `~`
    and backslashes are escaped, and so is anything that would start a block
    (`#`, `>`, `-`, `+`, `=`, `1.`).
    """
    if isinstance(value, MdSafe):
        return value
    text = " ".join(clean_text("" if value is None else str(value)).split())
    return MdSafe(_md_line(text))


def md_block(value: object, indent: str = "") -> MdSafe:
    """Escape text that may hold several lines; lines are joined by Markdown hard breaks.

    Blank lines are dropped so the text stays one paragraph (and one list
    item or quote); `indent` is put before each continuation line, e.g. `> `.
    """
    if isinstance(value, MdSafe):
        return value
    lines = [line for line in clean_text("" if value is None else str(value)).split("\n")]
    kept = [_md_line(line) for line in lines if line.strip()]
    return MdSafe(("  \n" + indent).join(kept))


def md_url(value: object) -> MdSafe:
    """A URL for a Markdown link destination: characters that could end it are %-encoded."""
    return MdSafe(quote(clean_text(str(value)).strip(), safe=":/?#@!$&'*+,;=%-._~"))


def _md_finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return md_inline(value)


def _safe_number(func: Any) -> Any:
    """Wrap a number-formatting filter so its output (no input text) is printed as is."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> MdSafe:
        return MdSafe(func(*args, **kwargs))

    return wrapper


# --- environments --------------------------------------------------------------------------


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs; a cache that cannot be used is skipped.

    Compiling the report templates is a good part of a `report` run. Jinja2's
    default folder is private to the user (created 0700, owner checked), and a
    cached entry is keyed by the template's source, so an edited or overriding
    template is never served stale.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _QuietBytecodeCache()
    except (OSError, RuntimeError):
        return None


@functools.lru_cache(maxsize=16)
def _environment(kind: Kind, template_dir: str | None) -> SandboxedEnvironment:
    search = [template_dir] if template_dir else []
    search.append(str(templates_dir()))
    env = SandboxedEnvironment(
        loader=_ConfinedLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=kind == "html",
        finalize=_md_finalize if kind == "md" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        md=md_block,
        md_cell=md_inline,
        md_url=md_url,
        pct=_safe_number(percent_text),
        num=_safe_number(number_text),
        change=_safe_number(change_text),
        text_bar=_safe_number(text_bar),
        join_and=join_and,
    )
    env.globals["generator"] = f"lpc-assess {__version__}"
    return env


def template_environment(kind: Kind, template_dir: Path | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment for `html` or `md` templates.

    Templates are looked up in `template_dir` first (overriding built-in
    templates by file name), then among the built-in templates.
    """
    if kind not in ("html", "md"):
        raise ValueError(f"unknown template kind {kind!r}")
    return _environment(kind, str(template_dir) if template_dir else None)


def render_template(
    kind: Kind, name: str, context: Mapping[str, Any], template_dir: Path | None = None
) -> str:
    """Render template `name` (e.g. `person.html.j2`) with `context`.

    Raises jinja2.TemplateError for a broken or missing template. Whatever a
    template or its data holds, the report has no control character and no
    Unicode bidirectional override or isolate: they are removed from the whole
    text, charts included, so none can make a report read differently from
    what it says ("Trojan Source").
    """
    template = template_environment(kind, template_dir).get_template(name)
    try:
        text = "".join(_within_budget(template.generate(dict(context)), name))
    except RecursionError:
        raise jinja2.TemplateRuntimeError(
            f"{name} includes or calls itself without end (recursion)"
        ) from None
    return _INVISIBLE.sub("", text)


# A report is some hundreds of kilobytes: a template that writes far more, or
# renders for far longer, is running away (a loop in a loop, a template that
# includes itself) and is stopped with an error naming it.
MAX_OUTPUT = 64 << 20  # characters
MAX_SECONDS = 60.0


def _within_budget(parts: Iterator[str], name: str) -> Iterator[str]:
    started = time.monotonic()
    size = 0
    for part in parts:
        size += len(part)
        if size > MAX_OUTPUT:
            raise jinja2.TemplateRuntimeError(
                f"{name} writes more than {MAX_OUTPUT >> 20} MiB: stopped (a runaway loop?)"
            )
        if time.monotonic() - started > MAX_SECONDS:
            raise jinja2.TemplateRuntimeError(
                f"{name} ran for more than {MAX_SECONDS:.0f} s: stopped (a runaway loop?)"
            )
        yield part


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that never follows a link out of its folders.

    A `--template` folder can hold a symbolic link named `person.md.j2` that
    points at any file the user can read; its text would end up in a report.
    """

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        folders = [Path(folder).resolve() for folder in self.searchpath]
        if not any(real.is_relative_to(folder) for folder in folders):
            raise jinja2.TemplateRuntimeError(
                f"{filename} is a link that leads out of the template folder: not followed"
            )
        return source, filename, uptodate


def json_text(data: Any) -> str:
    """JSON text that is also safe to embed in HTML: `<`, `>`, `&` and line separators escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        *((chr(c), f"\\u{c:04x}") for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))),
    ):
        text = text.replace(char, escaped)
    return text + "\n"
