"""Empty answers templates: a CSV header, or a YAML answers file to fill in."""

from __future__ import annotations

import csv
import io

from lpc_assess.model.framework import Framework


def blank_csv(framework: Framework) -> str:
    """A header row of `id`, `name` and one column per indicator id, then a row of statements.

    The statements row is there for the person filling it in; `batch` knows it
    and skips it (see csv_export.py).

    A cell a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+`, `-`, `@`)
    is neutralised with a leading `'`, as in the scores file.
    """
    from lpc_assess.writers.scores import neutralise

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["id", "name"]
    statements = ["", ""]
    for theme in framework.themes:
        header += [i.id for i in theme.indicators]
        statements += [i.statement for i in theme.indicators]
        if framework.facets is not None:  # docs/facets.md: `<theme>.<facet>` columns
            from lpc_assess.model.framework import fill

            header += [f"{theme.id}.{item.id}" for item in framework.facets.items]
            statements += [fill(item.prompt, theme.title) for item in framework.facets.items]
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerow([neutralise(cell) for cell in statements])
    return out.getvalue()


def _comment(text: str) -> str:
    """Text fit for one YAML comment line: one line, printable characters only.

    A title or label may span several lines; written as is, its second line
    would stop being a comment and become part of the answers file.
    """
    return "".join(c for c in " ".join(text.split()) if c.isprintable())


def blank_yaml(framework: Framework) -> str:
    """An answers file listing every indicator, unanswered, with the scale in comments."""
    import json

    scale = framework.scale
    labels = ", ".join(f"{k} = {_comment(v)}" for k, v in sorted(scale.labels.items()))
    skip = f", or skip ({_comment(scale.skip)})" if scale.skip else ""
    q = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    title = _comment(framework.title)
    lines = [
        f"# Answers for {title} (version {_comment(framework.version)}).",
        f"# Answer each statement with a number: {labels}{skip}.",
        "# Leave a value empty to leave it unanswered.",
        f"framework: {framework.id}",
        f"framework_version: {q(framework.version)}",
        "respondent:",
        "  id:           # your id, e.g. alex-smith",
        "answers:",
    ]
    for theme in framework.themes:
        lines.append(f"  # {_comment(theme.title)}")
        for indicator in theme.indicators:
            lines.append(f"  # {_comment(indicator.statement)}")
            lines.append(f"  {indicator.id}:")
    lines += _facet_lines(framework)
    lines += ["notes: {}", "pledge:", ""]
    return "\n".join(lines)


def _facet_lines(framework: Framework) -> list[str]:
    """The `facets` part of a blank answers file: every theme's facets, unanswered."""
    from lpc_assess.model.framework import fill

    facets = framework.facets
    if facets is None:
        return []
    scale = facets.scale
    labels = ", ".join(f"{k} = {_comment(v)}" for k, v in sorted(scale.labels.items()))
    skip = f", or skip ({_comment(scale.skip)})" if scale.skip else ""
    lines = [
        "facets:",
        f"  # About each theme as a whole, answer with a number: {labels}{skip}.",
    ]
    for theme in framework.themes:
        lines.append(f"  {theme.id}:")
        for item in facets.items:
            lines.append(f"    # {_comment(fill(item.prompt, theme.title))}")
            lines.append(f"    {item.id}:")
    return lines


def blank_text(framework: Framework, fmt: str) -> str:
    return blank_csv(framework) if fmt == "csv" else blank_yaml(framework)
