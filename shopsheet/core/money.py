"""Money in whole cents: amounts shared out so the parts add up to the whole, exactly."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable


def cents(amount: object) -> int:
    """An amount (`89.9`, `"¥89.90"` already read as a number, a Decimal) as whole cents."""
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def total_cents(*amounts: Iterable) -> int:
    """Every non-blank amount of `amounts` (columns of numbers or Decimals) added up exactly,
    in whole cents."""
    return sum(cents(a) for column in amounts for a in column
               if a is not None and a == a and str(a).strip() != "")


def shared(total: int, weights: list[int]) -> list[int]:
    """`total` cents shared in proportion to `weights` (largest remainder): the shares add up
    to `total` exactly; equal shares when every weight is 0."""
    if not weights:
        return []
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    exact = [total * w for w in weights]
    shares = [e // whole for e in exact]
    left = total - sum(shares)
    for i in sorted(range(len(weights)), key=lambda i: (-(exact[i] % whole), i))[:left]:
        shares[i] += 1
    return shares
