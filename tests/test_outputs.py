"""Every stack output says what it is: learners read them in `cdk deploy` and the console."""

from __future__ import annotations

from stacks.labs import LABS
from tests.harness import SynthesizedStage

# CDK writes one output per weak cross-stack reference (Fn::GetStackOutput reads it from the other
# stack: multi-region-failover's DNS stack reads the ALBs' names) and names it so; it has no
# description to set, and a learner never reads it.
CDK_REFERENCE_OUTPUT = "PublishOutput"


def test_every_output_has_a_description(each_variant: SynthesizedStage) -> None:
    missing = [
        f"{stack_id}.{name}"
        for lab in LABS
        for stack_id in lab.stack_ids
        for name, output in each_variant.template_json(stack_id).get("Outputs", {}).items()
        if not output.get("Description") and not name.startswith(CDK_REFERENCE_OUTPUT)
    ]
    assert missing == []
