"""The labs the sandbox loop knows: name, stack id, package, pinned region, monthly cost.

This is a stand-in with the interface of the lab registry, `stacks.labs` (`Lab`, `LABS`,
`lab_named`), which arrives with the one-package-per-lab layout; when it does, this module
reads `stacks.labs.LABS` instead of holding its own table. Every sandbox command looks
labs up here and nowhere else, so that change touches this file only.
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.cost_model import Line
from stacks.config import cdk_json_context, load_stage_config

# Every resource of every lab carries this tag (stacks/app_builder.py).
PROJECT_TAG = ("Project", "cloudops-cdk-labs")


@dataclass(frozen=True)
class Lab:
    """One lab: `name` is what LAB=... takes, `package` names its scripts/<package>/ folder."""

    name: str
    stack_id: str
    package: str
    title: str
    guide: tuple[str, ...]
    region: str | None  # pinned region, None = the caller's region

    def cost_lines(self, stage: str) -> list[Line]:
        """Monthly cost lines of this lab in `stage` (an idle month where usage decides)."""
        config = load_stage_config({**cdk_json_context(), "stage": stage})
        # Imported here: only prod preflights need prices.
        if self.package == "three_tier":
            from scripts import cost_three_tier

            return cost_three_tier.lines_for(config.three_tier)
        if self.package == "queue_worker":
            from scripts import cost_queue_worker

            return cost_queue_worker.idle_month()
        from scripts import cost_billing_alarm

        return cost_billing_alarm.lines_for(len(config.billing_alarm.alarm_thresholds_usd))


LABS: tuple[Lab, ...] = (
    Lab(
        name="three-tier",
        stack_id="ThreeTier",
        package="three_tier",
        title="VPC with ALB -> EC2 Auto Scaling -> RDS MySQL",
        guide=("002 VPC", "001 Expert: 3-tier"),
        region=None,
    ),
    Lab(
        name="queue-worker",
        stack_id="QueueWorker",
        package="queue_worker",
        title="SQS -> Lambda -> DynamoDB",
        guide=("000 v3 Amazon SQS", "000 v2 DynamoDB"),
        region=None,
    ),
    Lab(
        name="billing-alarm",
        stack_id="BillingAlarm",
        package="billing_alarm",
        title="CloudWatch billing alarm + SNS e-mail",
        guide=("002 Set up billing alarm",),
        region="us-east-1",
    ),
)


def lab_named(name: str) -> Lab:
    """The lab called `name`; LookupError with a one-line message listing the names allowed."""
    for lab in LABS:
        if lab.name == name:
            return lab
    allowed = ", ".join(lab.name for lab in LABS)
    raise LookupError(f"unknown lab {name!r}: LAB must be one of {allowed}")
