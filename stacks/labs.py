"""The lab registry: each lab is declared once, here; everything else enumerates `LABS`.

The app builder, the config loader, the cost command, the README's labs table, the
sandbox loop and the test gates all read this tuple. Adding a lab is one entry here
plus its folder (see CONTRIBUTING.md).

Modules are named, not imported: importing the registry costs nothing (no CDK, no
pydantic), so scripts that only need a lab's name or region stay fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stacks.config import LabSection
    from stacks.cost_model import Line

PROJECT_TAG = "cloudops-cdk-labs"


@dataclass(frozen=True)
class Lab:
    """One lab: its names, its guide sections and where its code lives."""

    name: str  # "queue-worker": make LAB=..., README anchor, the `Lab` tag
    stack_id: str  # "QueueWorker": `cdk deploy QueueWorker`, no stage in it
    package: str  # "queue_worker": stacks/<package>/, its cdk.json section, scripts/ and tests/ folders
    stack_class: str  # class name in stacks/<package>/stack.py
    config_class: str  # class name in stacks/<package>/config.py
    title: str  # the architecture in one line, as the README's labs table shows it
    guide: tuple[str, ...]  # the study guide sections it reproduces
    description: str  # the stack's CloudFormation description
    region: str | None = None  # a region the lab must be deployed in; None: any

    @property
    def readme_anchor(self) -> str:
        return f"lab-{self.name}"

    def module(self, name: str) -> ModuleType:
        """stacks/<package>/<name>.py, imported on first use."""
        return importlib.import_module(f"stacks.{self.package}.{name}")

    def config_type(self) -> type[LabSection]:
        kind: type[LabSection] = getattr(self.module("config"), self.config_class)
        return kind

    def stack_type(self) -> Any:
        return getattr(self.module("stack"), self.stack_class)

    def cost_lines(self, section: LabSection) -> list[Line]:
        """The lab's monthly cost for one stage's section, from stacks/<package>/cost.py."""
        lines: list[Line] = self.module("cost").monthly_lines(section)
        return lines


LABS: tuple[Lab, ...] = (
    Lab(
        name="three-tier",
        stack_id="ThreeTier",
        package="three_tier",
        stack_class="ThreeTierStack",
        config_class="ThreeTierConfig",
        title="VPC with ALB -> EC2 Auto Scaling -> RDS MySQL",
        guide=("002 'VPC'", "001 'Expert: VPC-based 3-tier architecture'", "003 'Networking'"),
        description="CloudOps CDK Labs: three-tier VPC, ALB -> EC2 Auto Scaling -> RDS MySQL (guide 002 'VPC')",
    ),
    Lab(
        name="queue-worker",
        stack_id="QueueWorker",
        package="queue_worker",
        stack_class="QueueWorkerStack",
        config_class="QueueWorkerConfig",
        title="SQS -> Lambda -> DynamoDB",
        guide=("000 'Lambda/SQS'", "000 v2 'DynamoDB'", "003 'Amazon SQS'"),
        description="CloudOps CDK Labs: queue worker, SQS -> Lambda -> DynamoDB (guide 000 'Lambda/SQS')",
    ),
    Lab(
        name="serverless-api",
        stack_id="ServerlessApi",
        package="serverless_api",
        stack_class="ServerlessApiStack",
        config_class="ServerlessApiConfig",
        title="API Gateway REST -> Lambda -> DynamoDB, with WAF, API key and OpenAPI",
        guide=(
            "001 'Intermediate: serverless REST API'",
            "002 'API Gateway Proxy Integration'",
            "002 'X-Ray', 'WAF'",
        ),
        description="CloudOps CDK Labs: serverless API, API Gateway REST -> Lambda -> DynamoDB (guide 001)",
    ),
    Lab(
        name="billing-alarm",
        stack_id="BillingAlarm",
        package="billing_alarm",
        stack_class="BillingAlarmStack",
        config_class="BillingAlarmConfig",
        title="CloudWatch billing alarm + SNS e-mail, with an AWS Budgets budget",
        guide=("002 'Set up billing alarm'",),
        description="CloudOps CDK Labs: billing alarm (guide 002 'Set up billing alarm')",
        region="us-east-1",
    ),
    Lab(
        name="static-site",
        stack_id="StaticSite",
        package="static_site",
        stack_class="StaticSiteStack",
        config_class="StaticSiteConfig",
        title="S3 + CloudFront with Origin Access Control",
        guide=("001 'Easy: host a static website on S3 + CloudFront'", "002 'CloudFront'"),
        description="CloudOps CDK Labs: static site, private S3 bucket behind CloudFront with OAC (guide 001 'Easy')",
    ),
    Lab(
        name="fanout",
        stack_id="Fanout",
        package="fanout",
        stack_class="FanoutStack",
        config_class="FanoutConfig",
        title="SNS topic -> SQS queues with filter policies",
        guide=("000 'SNS decouples microservices and enables fan-out'", "002 'SQS: fan-out'"),
        description="CloudOps CDK Labs: fan-out, SNS topic -> three SQS queues with filter policies (guide 002 'SQS')",
    ),
    Lab(
        name="db-lambda",
        stack_id="DbLambda",
        package="db_lambda",
        stack_class="DbLambdaStack",
        config_class="DbLambdaConfig",
        title="Lambda -> IAM role -> Secrets Manager -> RDS MySQL, in isolated subnets",
        guide=("000 v2 'Lambda -> IAM Role -> Secrets Manager -> RDS'", "002 pymysql handler"),
        description="CloudOps CDK Labs: db-lambda, Lambda -> Secrets Manager -> RDS MySQL with pymysql (guide 000 v2)",
    ),
    Lab(
        name="ops-automation",
        stack_id="OpsAutomation",
        package="ops_automation",
        stack_class="OpsAutomationStack",
        config_class="OpsAutomationConfig",
        title="EventBridge Scheduler -> Lambda chores: EBS snapshots, cleanup, office-hours stop",
        guide=("002 'Boto3' scripts", "002 'Lambda event sources'"),
        description="CloudOps CDK Labs: ops automation, EventBridge Scheduler -> Lambda chores (guide 002 boto3)",
    ),
    Lab(
        name="security-baseline",
        stack_id="SecurityBaseline",
        package="security_baseline",
        stack_class="SecurityBaselineStack",
        config_class="SecurityBaselineConfig",
        title="CloudTrail + CIS metric alarms, GuardDuty -> EventBridge -> SNS / remediation Lambda",
        guide=("002 'CloudTrail'", "002 'GuardDuty' auto-remediation", "002 'Security Hub', 'Config'"),
        description="CloudOps CDK Labs: security baseline, CloudTrail, GuardDuty, EventBridge (guide 002 security)",
    ),
    Lab(
        name="s3-events",
        stack_id="S3Events",
        package="s3_events",
        stack_class="S3EventsStack",
        config_class="S3EventsConfig",
        title="S3 upload under images/ -> Lambda (Pillow) -> thumbnails/",
        guide=("002 'S3 Event Notifications'", "002 'Lifecycle policies'"),
        description="CloudOps CDK Labs: S3 event notifications, images/ -> Lambda -> thumbnails/ (guide 002)",
    ),
)


def lab_named(name: str) -> Lab:
    """The lab called `name` (as in the README's labs table)."""
    for lab in LABS:
        if lab.name == name:
            return lab
    raise LookupError(f"unknown lab {name!r}: must be one of " + ", ".join(lab.name for lab in LABS))


def labs_named(names: str) -> tuple[Lab, ...]:
    """The labs of a comma-separated list of names (`make synth LAB=...`, `-c labs=...`), in registry order.

    An unknown or empty name is a LookupError whose message is one line listing the labs.
    """
    wanted = [name.strip() for name in names.split(",")]
    chosen = {lab_named(name).name for name in wanted}
    return tuple(lab for lab in LABS if lab.name in chosen)
