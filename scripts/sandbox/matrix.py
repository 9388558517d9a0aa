"""The labs a sandbox workflow run deploys, as a GitHub Actions output line.

    python -m scripts.sandbox.matrix all            # labs=["three-tier", "queue-worker", ...]
    python -m scripts.sandbox.matrix queue-worker   # labs=["queue-worker"]

Reads only the registry (stacks/labs.py: no CDK, no AWS), so the workflow's first job
needs no set-up. An unknown name is one line listing the names.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import NoReturn

from stacks.labs import LABS, lab_named


def labs_for(choice: str) -> list[str]:
    if choice.strip() in {"", "all"}:
        return [lab.name for lab in LABS]
    return [lab_named(choice.strip()).name]


class _OneLine(argparse.ArgumentParser):
    """scripts.stack_outputs.OneLineParser's behaviour; that module imports botocore, which
    the runner's bare Python (the plan job sets nothing up) does not have."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _OneLine(
        prog="python -m scripts.sandbox.matrix",
        description=__doc__.splitlines()[0],
        epilog="labs: " + ", ".join(lab.name for lab in LABS),
    )
    parser.add_argument("lab", help="a lab's name, or all")
    args = parser.parse_args(argv)
    try:
        names = labs_for(args.lab)
    except LookupError as error:
        parser.error(str(error))
    print(f"labs={json.dumps(names)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
