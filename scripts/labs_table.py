"""Prints the README's labs table from the lab registry (stacks/labs.py).

    python -m scripts.labs_table

`python -m scripts.readme_tables` writes it between the README's `labs-table` markers;
tests/test_readme.py checks that the README holds exactly this output.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from scripts.stack_outputs import OneLineParser
from stacks.labs import LABS


def table() -> str:
    """One row per lab: its guide (docs/labs/<lab>.md), what a learner practises there, its architecture."""
    rows = [
        "| Lab (its guide) | What you practise | Architecture | Stack id | Region |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows += [
        f"| [{lab.name}]({lab.guide_page}) | {lab.practises} | {lab.title} | `{lab.stack_id}` | {lab.region or 'any'} |"
        for lab in LABS
    ]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    OneLineParser(description=__doc__.split("\n")[0]).parse_args(argv)
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
