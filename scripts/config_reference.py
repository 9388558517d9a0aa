"""Prints README's configuration tables from the labs' config sections and cdk.json.

    python -m scripts.config_reference

One table for the stage-level keys, then one per lab of the registry: each key, its
value in every stage of cdk.json, and what it sets (the `description` of its pydantic
`Field`). tests/test_readme.py checks that the README holds exactly this output, so
the documented defaults cannot drift.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from scripts.stack_outputs import OneLineParser
from stacks.config import cdk_json_context, load_stage_config, stage_names
from stacks.labs import LABS


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        value = [int(v) if isinstance(v, float) and v.is_integer() else v for v in value]
    return f"`{json.dumps(value)}`"


def _table(stages: list[str], rows: list[tuple[str, list[Any], str]]) -> str:
    lines = ["| key | " + " | ".join(stages) + " | what it sets |", "|" + " --- |" * (len(stages) + 2)]
    lines += [f"| `{key}` | " + " | ".join(_shown(v) for v in values) + f" | {doc} |" for key, values, doc in rows]
    return "\n".join(lines)


def reference() -> str:
    context = cdk_json_context()
    stages = stage_names(context)
    configs = {stage: load_stage_config({**context, "stage": stage}) for stage in stages}
    protect_doc = "keep stateful data on destroy (RETAIN/SNAPSHOT, deletion protection)"
    blocks = [_table(stages, [("protect_data", [configs[s].protect_data for s in stages], protect_doc)])]
    for lab in LABS:
        fields = lab.config_type().model_fields
        rows = [
            (name, [getattr(configs[s].sections[lab.package], name) for s in stages], field.description or "")
            for name, field in fields.items()
        ]
        blocks.append(f"`{lab.package}`:\n\n" + _table(stages, rows))
    return "\n\n".join(blocks)


def main(argv: Sequence[str] | None = None) -> int:
    OneLineParser(description=__doc__.split("\n")[0]).parse_args(argv)
    print(reference())
    return 0


if __name__ == "__main__":
    sys.exit(main())
