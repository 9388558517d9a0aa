"""Every alarm and customer-managed key a lab's template holds is priced in its cost model.

Both bill by the month whether or not anything happens, so a lab that adds one and forgets
its cost line would under-state the idle cost a learner reads before deploying.
"""

from __future__ import annotations

from typing import Any

import pytest

from scripts import cost
from stacks.cost_model import (
    CLOUDWATCH_STANDARD_ALARM_MONTH,
    CUSTOM_METRIC_MONTH,
    KMS_KEY_MONTH,
    KMS_ROTATION_NOTE,
    LOGS_STORAGE_GB_MONTH,
    LOGS_VENDED_INGEST_GB,
)
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


def _count(template: dict[str, Any], resource_type: str, **properties: Any) -> int:
    return sum(
        1
        for resource in template["Resources"].values()
        if resource["Type"] == resource_type
        and all(resource.get("Properties", {}).get(key) == value for key, value in properties.items())
    )


def lab_template(stage: SynthesizedStage, lab: Lab) -> dict[str, Any]:
    """The resources of all the lab's stacks as one template (a multi-region lab's cost model prices them all)."""
    resources = {
        f"{stack_id}/{logical_id}": resource
        for stack_id in lab.stack_ids
        for logical_id, resource in stage.template_json(stack_id)["Resources"].items()
    }
    return {"Resources": resources}


# Costs a template causes that its resources' own lines do not show: each lab's cost report must state
# them with their arithmetic (NOT_COUNTED, or the shared note scripts.cost adds), as the issue-25 review asked.
@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_costs_outside_the_lines_are_stated_with_their_arithmetic(lab: Lab, each_variant: SynthesizedStage) -> None:
    template = lab_template(each_variant, lab)
    not_counted: str = lab.module("cost").NOT_COUNTED
    # Target tracking makes two CloudWatch alarms of its own, which the template does not hold
    # (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html).
    if policies := _count(template, "AWS::AutoScaling::ScalingPolicy", PolicyType="TargetTrackingScaling"):
        assert f"({2 * policies} x {CLOUDWATCH_STANDARD_ALARM_MONTH:.2f} USD = " in not_counted
    # A metric filter publishes a custom metric (https://aws.amazon.com/cloudwatch/pricing/).
    if filters := _count(template, "AWS::Logs::MetricFilter"):
        assert f"{filters} x {CUSTOM_METRIC_MONTH:.2f} USD" in not_counted
    # VPC flow logs to CloudWatch Logs are vended logs, billed per GB ingested and stored.
    if _count(template, "AWS::EC2::FlowLog"):
        assert "VPC flow logs" in not_counted
        assert f"GB x {LOGS_VENDED_INGEST_GB:.2f} USD = " in not_counted
        assert f"GB x {LOGS_STORAGE_GB_MONTH:.2f} USD = " in not_counted
    # Only the first copy of management events is free; an account with an organization or Control Tower
    # trail pays for this one (https://aws.amazon.com/cloudtrail/pricing/).
    if _count(template, "AWS::CloudTrail::Trail"):
        assert "2.00 USD per 100,000" in not_counted
    # A Config recorder records every change in the region, other labs' scaling included.
    if _count(template, "AWS::Config::ConfigurationRecorder"):
        assert "Config records what other labs change" in not_counted


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_a_rotated_key_s_growing_price_is_stated(lab: Lab, each_stage: SynthesizedStage) -> None:
    """Each of a rotated key's first two yearly rotations adds 1 USD a month (https://aws.amazon.com/kms/pricing/)."""
    rotated = _count(lab_template(each_stage, lab), "AWS::KMS::Key", EnableKeyRotation=True)
    assert (KMS_ROTATION_NOTE in cost.report(lab, each_stage.name, duration_ms=200)) == (rotated > 0)
