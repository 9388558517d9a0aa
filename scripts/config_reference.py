"""Prints README's configuration tables from stacks/config.py and cdk.json.

    python -m scripts.config_reference

One table per lab section: each key, its value in every stage of cdk.json, and
what it sets (the `doc` of its `setting`). tests/test_readme.py checks that the
README holds exactly this output, so the documented defaults cannot drift.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

from stacks.config import StageConfig, cdk_json_context, load_stage_config


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
    stages = sorted(context["stages"], key=lambda name: (name != "sandbox", name))
    configs = {stage: load_stage_config({**context, "stage": stage}) for stage in stages}
    protect_doc = "keep stateful data on destroy (RETAIN/SNAPSHOT, deletion protection)"
    blocks = [_table(stages, [("protect_data", [configs[s].protect_data for s in stages], protect_doc)])]
    for section in dataclasses.fields(StageConfig):
        if section.name in ("stage", "protect_data"):
            continue
        fields = dataclasses.fields(getattr(configs[stages[0]], section.name))
        rows = [
            (f.name, [getattr(getattr(configs[s], section.name), f.name) for s in stages], f.metadata["doc"])
            for f in fields
        ]
        blocks.append(f"`{section.name}`:\n\n" + _table(stages, rows))
    return "\n\n".join(blocks)


def main() -> int:
    print(reference())
    return 0


if __name__ == "__main__":
    sys.exit(main())
