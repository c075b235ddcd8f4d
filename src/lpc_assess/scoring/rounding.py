"""Rounding as people do it by hand, for every number the tool shows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, digits: int = 1) -> Decimal:
    """`value` rounded as people do by hand (62.25 -> 62.3), from its shortest decimal form.

    Python's own rounding works on the binary value and rounds halves to even,
    so 62.25 would show as 62.2 and a reader recomputing by hand would differ.
    """
    step = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded
