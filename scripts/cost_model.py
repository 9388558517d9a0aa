"""Shared arithmetic for the labs' monthly cost estimates (scripts/cost_*.py).

Each lab's script lists priced lines; this module multiplies, sums and prints
them with the price table's date and region, so every cost figure in the README
comes from a command and shows its working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HOURS_PER_MONTH = 730  # AWS pricing pages use 730 hours per month.
PRICE_REGION = "us-east-1"
# List prices (on-demand, before free tier and taxes) as the authors last reviewed them.
# This repository cannot fetch prices: check the AWS pricing pages before relying on them.
PRICES_REVIEWED = "2026-11-22"


@dataclass(frozen=True)
class Line:
    """One billed item: quantity x unit price per month."""

    item: str
    quantity: float
    unit: str
    unit_price_usd: float
    note: str = ""

    @property
    def monthly_usd(self) -> float:
        return self.quantity * self.unit_price_usd


def total(lines: Sequence[Line]) -> float:
    return sum(line.monthly_usd for line in lines)


def render(title: str, lines: Sequence[Line]) -> str:
    rows = [f"{title} ({PRICE_REGION} list prices reviewed {PRICES_REVIEWED})"]
    for line in lines:
        rows.append(
            f"  {line.item:44s} {line.quantity:>10,.2f} {line.unit:14s} x {line.unit_price_usd:>9.4f} USD"
            f" = {line.monthly_usd:>8.2f} USD" + (f"  ({line.note})" if line.note else "")
        )
    rows.append(f"  {'total per month':44s} {'':>10s} {'':14s}   {'':>9s}     = {total(lines):>8.2f} USD")
    return "\n".join(rows)
