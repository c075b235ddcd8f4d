"""Everything the tool reads: safe YAML/JSON documents, answers files, CSV exports.

Every file goes through the limits of `documents.py`; spreadsheet sources find
their columns with `columns.py` and decode cells with `cells.py`; `sources.py`
expands the files and folders a command is given.
"""
