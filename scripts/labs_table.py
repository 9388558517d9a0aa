"""Prints the README's labs table from the lab registry (stacks/labs.py).

    python -m scripts.labs_table

`python -m scripts.readme_tables` writes it between the README's `labs-table` markers;
tests/test_readme.py checks that the README holds exactly this output.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from scripts.stack_outputs import OneLineParser
from stacks.labs import LABS, Lab


def table() -> str:
    """One row per lab: its guide (docs/labs/<lab>.md), what a learner practises there, its architecture."""
    rows = [
        "| Lab (its guide) | What you practise | Architecture | Stack id | Region |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows += [
        f"| [{lab.name}]({lab.guide_page}) | {lab.practises} | {lab.title} | {stack_ids(lab)} | {region(lab)} |"
        for lab in LABS
    ]
    return "\n".join(rows)


def stack_ids(lab: Lab) -> str:
    """Every stack of the lab, in deploy order."""
    return ", ".join(f"`{stack_id}`" for stack_id in lab.stack_ids)


def region(lab: Lab) -> str:
    """Pinned, any, or (a lab of several stacks) each stack's region role, set in the stage's section."""
    if lab.stacks:
        return " + ".join(dict.fromkeys(spec.role for spec in lab.stack_specs if spec.role != "global")) + " (config)"
    return lab.region or "any"


def main(argv: Sequence[str] | None = None) -> int:
    OneLineParser(description=__doc__.split("\n")[0]).parse_args(argv)
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
