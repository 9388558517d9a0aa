"""Prints the configuration reference from the labs' config sections and cdk.json.

    python -m scripts.config_reference

One table for the stage-level keys, then one per lab of the registry: each key, its
value in every stage of cdk.json, and what it sets (the `description` of its pydantic
`Field`). `python -m scripts.readme_tables` writes the whole reference into
docs/configuration.md and each lab's table into its guide (docs/labs/<lab>.md), between
markers; tests/test_readme.py checks both, so the documented defaults cannot drift.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from scripts.stack_outputs import OneLineParser
from stacks.config import StageConfig, cdk_json_context, load_stage_config, stage_names
from stacks.labs import LABS, Lab


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


def _stage_configs() -> tuple[list[str], dict[str, StageConfig]]:
    context = cdk_json_context()
    stages = stage_names(context)
    return stages, {stage: load_stage_config({**context, "stage": stage}) for stage in stages}


def _lab_table(lab: Lab, stages: list[str], configs: dict[str, StageConfig]) -> str:
    fields = lab.config_type().model_fields
    rows = [
        (name, [getattr(configs[s].sections[lab.package], name) for s in stages], field.description or "")
        for name, field in fields.items()
    ]
    return _table(stages, rows)


def lab_reference(lab: Lab) -> str:
    """One lab's keys: its section of cdk.json in every stage."""
    stages, configs = _stage_configs()
    return _lab_table(lab, stages, configs)


def reference() -> str:
    stages, configs = _stage_configs()
    protect_doc = "keep stateful data on destroy (RETAIN/SNAPSHOT, deletion protection)"
    blocks = [_table(stages, [("protect_data", [configs[s].protect_data for s in stages], protect_doc)])]
    blocks += [f"`{lab.package}`:\n\n" + _lab_table(lab, stages, configs) for lab in LABS]
    return "\n\n".join(blocks)


def main(argv: Sequence[str] | None = None) -> int:
    OneLineParser(description=__doc__.split("\n")[0]).parse_args(argv)
    print(reference())
    return 0


if __name__ == "__main__":
    sys.exit(main())
