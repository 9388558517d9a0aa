"""Rewrites the README's generated tables in place: the labs table and the configuration tables.

    python -m scripts.readme_tables           # rewrite README.md
    python -m scripts.readme_tables --check   # exit 1 if README.md is not current

Both come from the code (the lab registry, the config sections and cdk.json), so after
adding a lab or a key this is the one command to run; tests/test_readme.py checks them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from scripts import config_reference, labs_table
from scripts.stack_outputs import OneLineParser
from stacks.config import REPO_ROOT

README = REPO_ROOT / "README.md"
# The labs table: from its header row to the first blank line.
LABS_TABLE = re.compile(r"^\| Lab \| Stack id \|.*?\n(?=\n)", re.S | re.M)
# The configuration tables: from the protect_data table to the last lab section's table.
CONFIG_TABLES = re.compile(r"^\| key \| .*?\n\| `protect_data` \|.*?\n(?=\n## )", re.S | re.M)


def current(text: str) -> str:
    """`text` with both generated blocks replaced by what the code says now."""
    if not LABS_TABLE.search(text) or not CONFIG_TABLES.search(text):
        raise ValueError("README.md lost the labs table or the configuration tables: restore their headers")
    text = LABS_TABLE.sub(lambda _: labs_table.table() + "\n", text, count=1)
    return CONFIG_TABLES.sub(lambda _: config_reference.reference() + "\n", text, count=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when README.md is not current")
    args = parser.parse_args(argv)
    text = README.read_text()
    try:
        updated = current(text)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.check:
        if updated != text:
            print(
                "error: README.md's generated tables are out of date: run python -m scripts.readme_tables",
                file=sys.stderr,
            )
            return 1
        return 0
    README.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
