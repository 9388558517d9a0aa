"""Every alarm and customer-managed key a lab's template holds is priced in its cost model.

Both bill by the month whether or not anything happens, so a lab that adds one and forgets
its cost line would under-state the idle cost a learner reads before deploying.
"""

from __future__ import annotations

import pytest

from stacks.cost_model import CLOUDWATCH_STANDARD_ALARM_MONTH, KMS_KEY_MONTH
from stacks.labs import LABS, Lab
from tests.harness import SynthesizedStage

# The cost model's line for each billed-by-the-month resource type, and its price per resource.
PRICED_MONTHLY = {
    "AWS::CloudWatch::Alarm": ("CloudWatch alarms", CLOUDWATCH_STANDARD_ALARM_MONTH),
    "AWS::KMS::Key": ("KMS customer-managed key", KMS_KEY_MONTH),
}


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
@pytest.mark.parametrize("resource_type", sorted(PRICED_MONTHLY))
def test_the_cost_model_prices_every_one_the_template_holds(
    lab: Lab, resource_type: str, each_variant: SynthesizedStage
) -> None:
    # Every stack of the lab: a multi-region lab's cost model prices both regions.
    resources = [r for stack_id in lab.stack_ids for r in each_variant.template_json(stack_id)["Resources"].values()]
    in_template = sum(1 for resource in resources if resource["Type"] == resource_type)
    item_prefix, price = PRICED_MONTHLY[resource_type]
    lines = lab.cost_lines(each_variant.config.sections[lab.package])
    priced = sum(line.usd for line in lines if line.item.startswith(item_prefix))
    assert priced == pytest.approx(in_template * price), (
        f"{lab.name} ({each_variant.variant}): {in_template} x {resource_type} in the template, "
        f"but its '{item_prefix}' cost lines price {priced / price:g}"
    )
