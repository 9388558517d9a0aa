"""The CloudFormation resource types the pinned emulator can create, checked in.

    .venv-rehearse/bin/python -m scripts.rehearse.resource_types > scripts/rehearse/emulator_resource_types.txt

Run with the emulator's own interpreter (it imports MiniStack's CloudFormation engine).
tests/rehearse/test_registry.py compares the registry's rehearsal gaps with this list, and
this list with the installed emulator, so a newer release that supports a lab's types
shows up as a failing test whose fix is one line in stacks/labs.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

CHECKED_IN = Path(__file__).with_name("emulator_resource_types.txt")


def installed_types() -> list[str]:
    from ministack.services.cloudformation.provisioners import _RESOURCE_HANDLERS  # the emulator's venv only

    return sorted(_RESOURCE_HANDLERS)


def checked_in_types() -> frozenset[str]:
    return frozenset(line for line in CHECKED_IN.read_text().splitlines() if line and not line.startswith("#"))


def supported(resource_type: str, types: frozenset[str]) -> bool:
    """Custom resources run through the engine's custom-resource path; CDK metadata is a no-op."""
    return resource_type in types or resource_type.startswith("Custom::") or resource_type == "AWS::CDK::Metadata"


def main(argv: list[str] | None = None) -> int:
    # Plain argparse: this runs on the emulator's interpreter, which has none of our packages.
    parser = argparse.ArgumentParser(
        prog="python -m scripts.rehearse.resource_types", description=__doc__.splitlines()[0]
    )
    parser.epilog = "Prints the list to standard output; run it with .venv-rehearse/bin/python."
    parser.parse_args(argv)
    print("# MiniStack's CloudFormation provisioners (python -m scripts.rehearse.resource_types)")
    print("\n".join(installed_types()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
