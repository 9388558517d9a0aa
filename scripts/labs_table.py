"""Prints the README's labs table from the lab registry (stacks/labs.py).

    python -m scripts.labs_table

tests/test_readme.py checks that the README holds exactly this output.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from scripts.stack_outputs import OneLineParser
from stacks.labs import LABS


def table() -> str:
    rows = [
        "| Lab | Stack id | Architecture | Guide sections | Region | Study page |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    rows += [
        f"| [{lab.name}](#{lab.readme_anchor}) | `{lab.stack_id}` | {lab.title} | {'; '.join(lab.guide)} "
        f"| {lab.region or 'any'} | [diagrams](docs/labs/{lab.name}.md) |"
        for lab in LABS
    ]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    OneLineParser(description=__doc__.split("\n")[0]).parse_args(argv)
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
