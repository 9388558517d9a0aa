"""One table of every lab's monthly cost in every stage, from the labs' cost models.

    python -m scripts.study.cost_table
    make cost

Each figure is the total of the lab's cost lines for that stage (stacks/<lab>/cost.py,
sizes from cdk.json), rounded to the cent as `python -m scripts.cost` prints it: what the
lab costs deployed and idle, before usage. The "every lab" row adds the figures as
printed, so the column sums to its total.
`python -m scripts.cost --lab <lab>` prints the lines, their arithmetic and what is not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from scripts.stack_outputs import OneLineParser, ScriptError, run
from scripts.study.explain import cost_lines
from scripts.study.tables import output_console, print_table
from stacks.config import ConfigError, stage_names
from stacks.cost_model import PRICE_REGION, PRICES_REVIEWED, PriceMissingError, total
from stacks.labs import LABS, Lab


@dataclass(frozen=True)
class CostTable:
    stages: list[str]
    rows: list[tuple[Lab, list[Decimal]]]  # a lab and its monthly total in each stage, to the cent

    def totals(self) -> list[Decimal]:
        """Each stage's sum of the labs' figures as printed (exact: cents, not floats)."""
        return [sum((costs[index] for _, costs in self.rows), Decimal("0.00")) for index in range(len(self.stages))]


def cents(usd: float) -> Decimal:
    """A lab's total to the cent, as `python -m scripts.cost` prints it (`f"{usd:.2f}"`)."""
    return Decimal(f"{usd:.2f}")


def cost_table(labs: Sequence[Lab] = LABS) -> CostTable:
    stages = stage_names()
    try:
        rows = [(lab, [cents(total(cost_lines(lab, stage))) for stage in stages]) for lab in labs]
    except (ConfigError, PriceMissingError) as error:
        raise ScriptError(str(error)) from None
    return CostTable(stages=stages, rows=rows)


def render(console: Console, result: CostTable) -> None:
    table = Table(
        title=f"Monthly cost per lab and stage, USD: {PRICE_REGION} on-demand list prices as of {PRICES_REVIEWED}",
        title_justify="left",
        caption="Deployed and idle, before usage (requests, data, logs); each lab rounded to the cent, "
        "'every lab' is the sum of the figures above. "
        "The lines and what is not counted: python -m scripts.cost --lab <lab> [--stage <stage>]",
        caption_justify="left",
    )
    table.add_column("Lab")
    table.add_column("Stack id")
    for stage in result.stages:
        table.add_column(stage, justify="right")
    for lab, costs in result.rows:
        table.add_row(lab.name, lab.stack_id, *(str(cost) for cost in costs))
    table.add_section()
    table.add_row("every lab", "", *(str(cost) for cost in result.totals()), style="bold")
    print_table(console, table)


def main(argv: Sequence[str] | None = None) -> int:
    OneLineParser(description=__doc__.split("\n")[0]).parse_args(argv)
    render(output_console(), cost_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
