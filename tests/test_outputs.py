"""Every stack output says what it is: learners read them in `cdk deploy` and the console."""

from __future__ import annotations

from stacks.labs import LABS
from tests.harness import SynthesizedStage


def test_every_output_has_a_description(each_variant: SynthesizedStage) -> None:
    missing = [
        f"{lab.stack_id}.{name}"
        for lab in LABS
        for name, output in each_variant.template_json(lab.stack_id).get("Outputs", {}).items()
        if not output.get("Description")
    ]
    assert missing == []
