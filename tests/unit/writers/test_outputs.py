"""The scores file's cells: the column-at-once path neutralises and quotes as `csv_cell` does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lpc_assess.writers.scores import _safe_cells, csv_cell

# No NUL: CSV exports with one are refused before any row is read.
_CELL = st.text(alphabet=list('ab1 =+-@\t\r\n",.\u00e9'), max_size=6)


@settings(max_examples=500, deadline=None)
@given(cells=st.lists(_CELL, max_size=12))
def test_a_column_of_cells_is_made_safe_cell_by_cell(cells: list[str]) -> None:
    assert _safe_cells(cells) == [csv_cell(cell) for cell in cells]


def test_only_the_cells_that_need_it_change() -> None:
    cells = ["alex", "=cmd()", "Smith, Alex", "-3", "", "@x", 'say "hi"', "ok"]
    assert _safe_cells(cells) == [
        "alex",
        "'=cmd()",
        '"Smith, Alex"',
        "-3",
        "",
        "'@x",
        '"say ""hi"""',
        "ok",
    ]


def test_the_terminal_table_rounds_halves_up_as_the_reports_do() -> None:
    """56.25 shows as 56.3 in the terminal table, as in every report (not 56.2)."""
    from lpc_assess.writers.summary import _fixed

    assert _fixed(56.25, 1) == "56.3"
    assert _fixed(62.25, 1) == "62.3"
    assert _fixed(2.675, 2) == "2.68"  # binary 2.67499..., shown from its decimal form
    assert _fixed(3.5, 2) == "3.50"
    assert _fixed(-0.04, 1) == "0.0"
    assert _fixed(None) == "-"
