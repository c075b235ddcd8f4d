"""`new framework`: a framework folder to start from, that passes `validate --strict`.

Either a copy of an existing framework (`--from`; ids kept, title marked as a
copy) or a minimal one-theme example. The JSON Schemas go into `DIR/schemas/`
and every YAML file's `# yaml-language-server: $schema=...` modeline points at
them with a relative path, so an editor checks the files as they are typed
(docs/framework-format.md, "Editor support").
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lpc_assess.diagnostics import Diagnostic, InputError
from lpc_assess.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from lpc_assess.inputs.documents import display_path, parse_yaml, read_text
from lpc_assess.model.framework import Framework
from lpc_assess.model.framework_check import check_framework
from lpc_assess.model.lookup import framework_file
from lpc_assess.model.schema import KINDS, schema_text
from lpc_assess.writers.files import atomic_write, inside, slugify

SCHEMA_FOLDER = "schemas"
COPY_MARK = " (copy)"

# The modeline the YAML language server reads; only in the comments that open a file.
_MODELINE = re.compile(r"^(#\s*yaml-language-server:\s*\$schema=)(\S*)(.*)$")


@dataclass
class NewFramework:
    """What `new framework` did: the files written, what to tell the user, the exit code."""

    exit_code: int
    written: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def new_framework(folder: Path, source: str | None) -> NewFramework:
    """Create a framework in `folder` (new, or empty): a copy of `source`, or an example."""
    refusal = _refuse_folder(folder)
    if refusal is not None:
        return NewFramework(EXIT_USAGE, messages=[refusal])
    if source is None:
        files = _example_files(folder)
        done = f"created {display_path(folder)}: a one-theme example framework"
    else:
        try:
            original = _source_framework(source)
        except InputError as exc:
            return NewFramework(EXIT_FAILED, messages=[d.text() for d in exc.diagnostics])
        files = _copied_files(original, folder)
        done = (
            f"created {display_path(folder)}: a copy of {original.id!r} "
            f"(ids kept; change `id:` in framework.yaml to tell the two apart)"
        )
    files.update({Path(SCHEMA_FOLDER) / f"{kind}.schema.json": schema_text(kind) for kind in KINDS})
    result = NewFramework(EXIT_OK)
    try:
        for relative, text in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, text, private=False)
            result.written.append(target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        result.messages.append(f"{display_path(folder)}: cannot write: {reason}")
        result.exit_code = EXIT_FAILED
        return result
    problems = check_framework(folder).diagnostics
    result.messages.append(done)
    result.messages.extend(d.text() for d in problems)
    if any(d.severity == "error" for d in problems):
        result.exit_code = EXIT_FAILED
    elif problems:
        result.messages.append(
            f"{len(problems)} warning(s), copied as they were; "
            "`validate --strict` counts them as errors"
        )
    result.messages.append(f"check it with: lpc-assess validate {display_path(folder)} --strict")
    return result


def _refuse_folder(folder: Path) -> str | None:
    """Why `folder` cannot take a new framework, or None: it must be new or empty."""
    shown = display_path(folder)
    if folder.exists() and not folder.is_dir():
        return f"{shown} exists and is not a folder: give a new or empty folder"
    if folder.is_dir():
        try:
            empty = next(folder.iterdir(), None) is None
        except OSError as exc:
            return f"{shown}: cannot read: {exc.strerror or exc}"
        if not empty:
            return f"{shown} is not empty: give a new or empty folder"
    return None


def _source_framework(spec: str) -> Framework:
    """The framework `--from` names, resolved as `--framework` is; InputError if it has errors."""
    check = check_framework(framework_file(spec))
    if check.framework is None:
        errors: list[Diagnostic] = [d for d in check.diagnostics if d.severity == "error"]
        raise InputError(errors)
    return check.framework


def _schema_reference(folder: Path, relative: Path, kind: str) -> str:
    """The path from the file `folder/relative` to the `kind` schema in `folder/schemas`."""
    start = os.path.normpath(folder / relative.parent)
    schema = os.path.normpath(folder / SCHEMA_FOLDER / f"{kind}.schema.json")
    return os.path.relpath(schema, start).replace(os.sep, "/")


def with_modeline(text: str, reference: str) -> str:
    """`text` with its `$schema` modeline pointing at `reference` (added if it had none)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break  # the modeline belongs to the comments that open the file
        match = _MODELINE.match(line.rstrip("\r\n"))
        if match:
            ending = line[len(line.rstrip("\r\n")) :]
            lines[i] = f"{match.group(1)}{reference}{match.group(3)}{ending}"
            return "".join(lines)
    return f"# yaml-language-server: $schema={reference}\n{text}"


def with_title(text: str, title: str, shown: str) -> str:
    """The YAML mapping `text` with its top-level `title:` value replaced by `title`.

    Only the value's own characters change, so comments and layout are kept.
    """
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return text
    for key, value in root.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value == "title"):
            continue
        start, end = value.start_mark.index, value.end_mark.index
        for quoted in (json.dumps(title, ensure_ascii=False), json.dumps(title)):
            # A block scalar (`>`, `|`) owns the line break after it; a quoted one does not.
            tail = "\n" if text[start:end].endswith("\n") else ""
            changed = text[:start] + quoted + tail + text[end:]
            try:
                if parse_yaml(changed, shown).data.get("title") == title:
                    return changed
            except InputError:
                continue
    return text


def _copied_files(original: Framework, folder: Path) -> dict[Path, str]:
    """The files of `original`, modelines rewritten for `folder`, its title marked as a copy."""
    assert original.source is not None  # loaded from a file
    source_file = original.source
    shown = display_path(source_file)
    main = Path("framework.yaml")
    text = read_text(source_file)
    entries = parse_yaml(text, shown).data.get("themes", [])
    text = with_title(text, " ".join(original.title.split()) + COPY_MARK, shown)
    files = {main: with_modeline(text, _schema_reference(folder, main, "framework"))}
    for entry in entries:
        if not isinstance(entry, str):
            continue  # an inline theme travels inside framework.yaml
        relative = Path(entry)
        if relative.is_absolute() or not inside(source_file.parent, source_file.parent / entry):
            continue  # validation refused it already
        theme_text = read_text(source_file.parent / entry)
        if relative.suffix.lower() != ".json":
            theme_text = with_modeline(theme_text, _schema_reference(folder, relative, "theme"))
        files[relative] = theme_text
    return files


def _example_files(folder: Path) -> dict[Path, str]:
    """A minimal framework named after `folder`: framework.yaml and one theme file."""
    name = folder.resolve().name
    framework_id = slugify(name, fallback="my-framework", max_length=64)
    words = re.sub(r"[-_\s]+", " ", name).strip()
    title = words[:1].upper() + words[1:] if words else "My framework"
    main = _EXAMPLE_FRAMEWORK.format(
        schema=_schema_reference(folder, Path("framework.yaml"), "framework"),
        id=framework_id,
        title=json.dumps(title, ensure_ascii=False),
    )
    theme = _EXAMPLE_THEME.format(schema=_schema_reference(folder, Path("listening.yaml"), "theme"))
    return {Path("framework.yaml"): main, Path("listening.yaml"): theme}


_EXAMPLE_FRAMEWORK = """\
# yaml-language-server: $schema={schema}
# A framework: its answer scale, its score bands and its themes. Every key is
# described in the lpc-assess documentation (docs/framework-format.md); the
# schemas/ folder lets an editor check these files as you type.
# Check your changes with: lpc-assess validate --strict FOLDER
id: {id}
title: {title}
version: "0.1"
description: >
  One paragraph shown before the questions: what this self-check is for, who
  it is for, and how long it takes.
scale:
  min: 1
  max: 5
  labels: {{1: Not yet, 2: Rarely, 3: Sometimes, 4: Often, 5: Consistently}}
  skip: Not applicable
scoring:
  min_answered: 0.5
bands:
  - {{id: emerging, label: Emerging, from: 0}}
  - {{id: developing, label: Developing, from: 40}}
  - {{id: established, label: Established, from: 60}}
  - {{id: leading, label: Leading, from: 80}}
# One file per theme, next to this one; add more files and list them here.
themes: [listening.yaml]
"""

_EXAMPLE_THEME = """\
# yaml-language-server: $schema={schema}
# A theme: a group of statements scored together. Indicator ids are slugs,
# unique across the whole framework; statements are in the first person.
id: listening
title: Listening
summary: >
  How well you find out what matters to the people you support before
  deciding anything with them.
reflection: When did you last change a plan because of something someone told you?
indicators:
  - id: asks-what-matters
    statement: I ask people what matters to them before I talk about what I can offer.
    help: >
      An optional longer explanation, shown when someone answers '?'.
    actions:
      - In your next three conversations, start with "What matters to you?" and note what changes.
  - id: checks-understanding
    statement: I check that I have understood by saying back what I heard.
    actions:
      - At the end of a conversation, sum up what you heard and ask what you missed.
  - id: makes-time
    statement: I make enough time for people to say everything they want to say.
    actions:
      - Leave a pause after each answer this week before you speak.
"""
