"""The scores CSV's percents: at most two decimals, half up, no float noise."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lpc_assess.writers.scores import percent_cell


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (55.00000000000001, "55"),
        (66.66666666666666, "66.67"),
        (33.333333333333336, "33.33"),
        (62.125, "62.13"),  # a half: up, as by hand (binary 62.125 is exact)
        (62.5, "62.5"),
        (2.675, "2.68"),  # binary 2.675 is a hair below; by hand (its shortest form) it is up
        (0.0, "0"),
        (100.0, "100"),
        (0.004, "0"),
        (0.005, "0.01"),
        (99.995, "100"),
        (None, ""),
    ],
)
def test_percent_cell(value: float | None, text: str) -> None:
    assert percent_cell(value) == text


def by_hand(value: float) -> str:
    """Half up at two decimals, from the shortest decimal form, with exact fractions."""
    exact = Fraction(repr(value))
    hundredths = (exact * 100 + Fraction(1, 2)).__floor__()
    whole, part = divmod(hundredths, 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".")


@given(st.integers(min_value=0, max_value=10_000_000).map(lambda n: n / 100_000))
def test_percent_cell_agrees_with_exact_fractions(value: float) -> None:
    assert percent_cell(value) == by_hand(value)
