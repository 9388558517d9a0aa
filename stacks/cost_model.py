"""Shared arithmetic for the labs' monthly cost models (stacks/<lab>/cost.py).

Each lab's cost model lists priced lines with the arithmetic spelled out
(`monthly_lines(config)` for one stage's section); this module holds the line type,
the price table's date and region, and the one renderer. `python -m scripts.cost`
prints them, so every cost figure in the README comes from a command and shows its working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HOURS_PER_MONTH = 730  # AWS pricing pages use 730 hours per month.
PRICE_REGION = "us-east-1"
# On-demand list prices (before free tier and taxes) as the authors last reviewed them.
# The build machine cannot fetch prices: check the AWS pricing pages before relying on them.
PRICES_REVIEWED = "2026-11-22"
ARITHMETIC_WIDTH = 32


class PriceMissingError(Exception):
    """A configured size has no price in the lab's table; the message says where to add it."""


@dataclass(frozen=True)
class Line:
    """One billed item per month: what, how it is computed, and the result in USD."""

    item: str
    arithmetic: str
    usd: float


def hourly(item: str, count: float, price: float, hours: float = HOURS_PER_MONTH) -> Line:
    return Line(item, f"{count:g} x {price:.4f} USD/h x {hours:.0f} h", count * price * hours)


def monthly(item: str, quantity: float, unit: str, price: float) -> Line:
    return Line(item, f"{quantity:g} {unit} x {price:.3f} USD", quantity * price)


def total(lines: Sequence[Line]) -> float:
    return sum(line.usd for line in lines)


def render(title: str, lines: Sequence[Line]) -> str:
    """The title, one aligned row per line, and the total."""
    width = max(len(line.item) for line in lines)
    arithmetic = max(ARITHMETIC_WIDTH, *(len(line.arithmetic) for line in lines))
    rows = [title]
    rows += [f"  {line.item:<{width}}  {line.arithmetic:<{arithmetic}} = {line.usd:7.2f} USD" for line in lines]
    rows.append(f"  {'Total per month':<{width}}  {'':<{arithmetic}} = {total(lines):7.2f} USD")
    return "\n".join(rows)
