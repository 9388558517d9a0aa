"""A lab's monthly cost lines in one stage of cdk.json, from its cost model (stacks/<package>/cost.py)."""

from __future__ import annotations

from stacks.config import cdk_json_context, load_stage_config
from stacks.cost_model import Line
from stacks.labs import Lab


def monthly_lines(lab: Lab, stage: str) -> list[Line]:
    """The same lines as `python -m scripts.cost --lab <lab> --stage <stage>`; ConfigError for a bad stage."""
    config = load_stage_config({**cdk_json_context(), "stage": stage})
    return lab.cost_lines(config.sections[lab.package])
