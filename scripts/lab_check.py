"""Checks a LAB=... before `make synth LAB=` or `make test LAB=` starts: one line listing the labs if wrong.

    python -m scripts.lab_check queue-worker     # exit 0, prints nothing
    python -m scripts.lab_check queue_worker     # exit 2: error: unknown lab 'queue_worker': must be one of ...

It imports only the lab registry (no CDK, no Node), so a typo costs a tenth of a second, not a synth.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from stacks.labs import LABS, labs_named


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "lab", nargs="?", default="", help="a lab's name as in the labs table (comma-separated: several)"
    )
    args = parser.parse_args(argv)
    if not args.lab:
        print(
            f"error: no lab given: name one with LAB=<lab> (one of {', '.join(lab.name for lab in LABS)})",
            file=sys.stderr,
        )
        return 2
    try:
        labs_named(args.lab)
    except LookupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
