"""Rewrites the generated tables of the README and the docs, between their markers.

    python -m scripts.readme_tables           # rewrite them
    python -m scripts.readme_tables --check   # exit 1 if one is not current

What it writes, each between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`
(scripts/generated_blocks.py; the text around the markers is never touched):
- README.md, `labs-table`: the labs table, from the lab registry (scripts/labs_table.py);
- docs/configuration.md, `config-reference`: every key of every stage (scripts/config_reference.py);
- docs/labs/<lab>.md, `config`: the lab's own keys, and `cost`: what `python -m scripts.cost
  --lab <lab>` prints for every stage.

All of it comes from the code (the registry, the config sections, cdk.json, the cost
models), so after adding a lab, a key or a price this is the one command to run (with
`make diagram` for the diagrams); tests/test_readme.py checks every block.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from scripts import config_reference, cost, labs_table
from scripts.generated_blocks import MarkerError, rewrite
from scripts.stack_outputs import OneLineParser
from stacks.config import REPO_ROOT, stage_names
from stacks.labs import LABS, Lab

README = REPO_ROOT / "README.md"
CONFIGURATION = REPO_ROOT / "docs" / "configuration.md"
# The duration the cost blocks are priced at: the cost command's default.
COST_DURATION_MS = 200


def cost_block(lab: Lab) -> str:
    """`python -m scripts.cost --lab <lab>` as it prints, in a code block."""
    printed = "\n\n".join(cost.report(lab, stage, duration_ms=COST_DURATION_MS) for stage in stage_names())
    return f"```text\n{printed}\n```"


def expected() -> dict[Path, dict[str, str]]:
    """Every generated block this command owns, by file and block name."""
    blocks: dict[Path, dict[str, str]] = {
        README: {"labs-table": labs_table.table()},
        CONFIGURATION: {"config-reference": config_reference.reference()},
    }
    for lab in LABS:
        blocks[REPO_ROOT / lab.guide_page] = {"config": config_reference.lab_reference(lab), "cost": cost_block(lab)}
    return blocks


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a block is not current")
    args = parser.parse_args(argv)
    try:
        stale = [
            str(path.relative_to(REPO_ROOT))
            for path, blocks in expected().items()
            if rewrite(path, blocks, root=REPO_ROOT, check=args.check)
        ]
    except MarkerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.check and stale:
        print(f"error: out of date: {', '.join(stale)}: run python -m scripts.readme_tables", file=sys.stderr)
        return 1
    print(("updated: " + ", ".join(stale)) if stale else "every generated table is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
