"""The one place that puts every lab's stack into an App, shared by app.py and the tests."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from stacks.billing_alarm import BillingAlarmStack
from stacks.config import StageConfig
from stacks.queue_worker import QueueWorkerStack
from stacks.three_tier import ThreeTierStack


def build_app(app: cdk.App, config: StageConfig) -> dict[str, cdk.Stack]:
    """Adds one stack per lab to `app`; returns them by stack id.

    Stack ids carry no stage name: a learner deploys one stage per account, and
    a stable id keeps `cdk deploy <id>` the same in the README for both stages.
    """
    billing_region = config.billing_alarm.region
    stacks: list[cdk.Stack] = [
        ThreeTierStack(
            app,
            "ThreeTier",
            config=config.three_tier,
            protect_data=config.protect_data,
            description="CloudOps CDK Labs: three-tier VPC, ALB -> EC2 Auto Scaling -> RDS MySQL (guide 002 'VPC')",
        ),
        QueueWorkerStack(
            app,
            "QueueWorker",
            config=config.queue_worker,
            protect_data=config.protect_data,
            description="CloudOps CDK Labs: queue worker, SQS -> Lambda -> DynamoDB (guide 000 'Lambda/SQS')",
        ),
        BillingAlarmStack(
            app,
            "BillingAlarm",
            config=config.billing_alarm,
            env=cdk.Environment(region=billing_region),
            description="CloudOps CDK Labs: billing alarm (guide 002 'Set up billing alarm')",
        ),
    ]
    for stack in stacks:
        cdk.Tags.of(stack).add("Project", "cloudops-cdk-labs")
        cdk.Tags.of(stack).add("Stage", config.stage)
    return {stack.node.id: stack for stack in stacks}


def nag_packs() -> list[Any]:
    """The cdk-nag rule packs every lab must pass."""
    return [AwsSolutionsChecks(), ServerlessChecks()]


def add_nag_checks(app: cdk.App) -> None:
    """Registers cdk-nag so that synth fails on any unacknowledged finding."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
