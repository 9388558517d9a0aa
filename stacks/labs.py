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
# Where a stack of a multi-region lab runs: its section's `<role>_region`, except the global
# part (Route 53 is a global service; its stack still needs a home), which runs in the primary region.
STACK_ROLES = ("primary", "secondary", "global")


@dataclass(frozen=True)
class LabStack:
    """One stack of a lab made of several: its id, its class and the region role it runs in.

    The region itself is not here: it comes from the stage's section (`primary_region`,
    `secondary_region`), so a learner moves the lab with cdk.json alone.
    """

    stack_id: str  # `cdk deploy <id>`
    stack_class: str  # class name in stacks/<package>/stack.py
    role: str  # one of STACK_ROLES

    @property
    def region_key(self) -> str:
        """The section field that names this stack's region."""
        return "primary_region" if self.role == "global" else f"{self.role}_region"


@dataclass(frozen=True)
class Lab:
    """One lab: its names, its guide sections and where its code lives."""

    name: str  # "queue-worker": make LAB=..., README anchor, the `Lab` tag
    stack_id: str  # "QueueWorker": `cdk deploy QueueWorker`, no stage in it
    package: str  # "queue_worker": stacks/<package>/, its cdk.json section, scripts/ and tests/ folders
    stack_class: str  # class name in stacks/<package>/stack.py
    config_class: str  # class name in stacks/<package>/config.py
    title: str  # the architecture in one line, as the README's labs table shows it
    practises: str  # what a learner practises in it, one line of the README's labs table
    guide: tuple[str, ...]  # the study guide sections it reproduces
    description: str  # the stack's CloudFormation description
    region: str | None = None  # a region the lab must be deployed in; None: any
    # Why `make rehearse` (the local emulator, scripts/rehearse/) cannot run the lab; "" when it can.
    # tests/rehearse/test_registry.py checks the resource types named here against the emulator.
    rehearsal_gap: str = ""
    # A lab of several stacks (one per region and a global part) lists them in deploy order;
    # `stack_id` is then its front-door stack (the one `verify` reads) and must be one of them.
    stacks: tuple[LabStack, ...] = ()

    def __post_init__(self) -> None:
        if self.stacks and self.stack_id not in self.stack_ids:
            raise ValueError(f"{self.name}: stack_id {self.stack_id} is not one of its stacks")
        unknown = [stack.role for stack in self.stacks if stack.role not in STACK_ROLES]
        if unknown:
            raise ValueError(f"{self.name}: stack role {unknown[0]!r} must be one of " + ", ".join(STACK_ROLES))

    @property
    def stack_specs(self) -> tuple[LabStack, ...]:
        """Every stack of the lab in deploy order (destroy: the reverse); one for most labs."""
        return self.stacks or (LabStack(self.stack_id, self.stack_class, "primary"),)

    @property
    def stack_ids(self) -> tuple[str, ...]:
        """Every stack id of the lab, in deploy order: what the gates iterate."""
        return tuple(stack.stack_id for stack in self.stack_specs)

    def stack_regions(self, section: LabSection) -> dict[str, str | None]:
        """Stack id -> the region it is synthesized for (None: environment-agnostic)."""
        if not self.stacks:
            return {self.stack_id: self.region}
        return {stack.stack_id: str(getattr(section, stack.region_key)) for stack in self.stacks}

    def regions(self, section: LabSection) -> tuple[str, ...]:
        """The distinct pinned regions the lab needs (bootstrap, leftovers), in deploy order."""
        return tuple(dict.fromkeys(region for region in self.stack_regions(section).values() if region))

    @property
    def guide_page(self) -> str:
        """The lab's guide, relative to the repository root: docs/labs/<name>.md."""
        return f"docs/labs/{self.name}.md"

    def module(self, name: str) -> ModuleType:
        """stacks/<package>/<name>.py, imported on first use."""
        return importlib.import_module(f"stacks.{self.package}.{name}")

    def config_type(self) -> type[LabSection]:
        kind: type[LabSection] = getattr(self.module("config"), self.config_class)
        return kind

    def stack_type(self, stack_class: str | None = None) -> Any:
        return getattr(self.module("stack"), stack_class or self.stack_class)

    def cost_lines(self, section: LabSection) -> list[Line]:
        """The lab's monthly cost for one stage's section, from stacks/<package>/cost.py."""
        lines: list[Line] = self.module("cost").monthly_lines(section)
        return lines


def no_provisioner(*resource_types: str) -> str:
    """A rehearsal gap: resource types the emulator cannot create (it fails the stack on them)."""
    return "the emulator has no provisioner for " + ", ".join(resource_types)


LABS: tuple[Lab, ...] = (
    Lab(
        name="three-tier",
        stack_id="ThreeTier",
        package="three_tier",
        stack_class="ThreeTierStack",
        config_class="ThreeTierConfig",
        title="VPC with ALB -> EC2 Auto Scaling -> RDS MySQL",
        practises=(
            "Subnets and route tables, NAT, security groups chained by reference, "
            "an Auto Scaling group behind an ALB, Multi-AZ RDS, Session Manager instead of SSH"
        ),
        guide=("002 'VPC'", "001 'Expert: VPC-based 3-tier architecture'", "003 'Networking'"),
        description="CloudOps CDK Labs: three-tier VPC, ALB -> EC2 Auto Scaling -> RDS MySQL (guide 002 'VPC')",
        rehearsal_gap=no_provisioner(
            "AWS::EC2::FlowLog",
            "AWS::EC2::Instance",
            "AWS::EC2::NetworkAcl",
            "AWS::EC2::NetworkAclEntry",
            "AWS::EC2::SecurityGroupEgress",
            "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::SubnetNetworkAclAssociation",
        ),
    ),
    Lab(
        name="queue-worker",
        stack_id="QueueWorker",
        package="queue_worker",
        stack_class="QueueWorkerStack",
        config_class="QueueWorkerConfig",
        title="SQS -> Lambda -> DynamoDB",
        practises=(
            "An SQS event source with partial batch failures, a dead-letter queue and its redrive, "
            "DynamoDB keys and Query vs Scan, alarms on a queue"
        ),
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
        practises=(
            "Lambda proxy integration, stage throttling, WAF rate-based rules, "
            "API keys and usage plans, access logs and X-Ray traces"
        ),
        guide=(
            "001 'Intermediate: serverless REST API'",
            "002 'API Gateway Proxy Integration'",
            "002 'X-Ray', 'WAF'",
        ),
        description="CloudOps CDK Labs: serverless API, API Gateway REST -> Lambda -> DynamoDB (guide 001)",
        rehearsal_gap="its ApiUrl output is the AWS host name, and the emulator fails on DELETE's empty 204 answer "
        "(6 of 7 checks pass by hand)",
    ),
    Lab(
        name="billing-alarm",
        stack_id="BillingAlarm",
        package="billing_alarm",
        stack_class="BillingAlarmStack",
        config_class="BillingAlarmConfig",
        title="CloudWatch billing alarm + SNS e-mail, with an AWS Budgets budget",
        practises=(
            "A billing alarm in us-east-1, an AWS Budgets budget, "
            "an encrypted SNS topic that CloudWatch and Budgets may publish to"
        ),
        guide=("002 'Set up billing alarm'",),
        description="CloudOps CDK Labs: billing alarm (guide 002 'Set up billing alarm')",
        region="us-east-1",
        rehearsal_gap=no_provisioner("AWS::Budgets::Budget"),
    ),
    Lab(
        name="static-site",
        stack_id="StaticSite",
        package="static_site",
        stack_class="StaticSiteStack",
        config_class="StaticSiteConfig",
        title="S3 + CloudFront with Origin Access Control",
        practises=(
            "A private bucket behind CloudFront with Origin Access Control, "
            "cache TTLs and invalidations, security headers"
        ),
        guide=("001 'Easy: host a static website on S3 + CloudFront'", "002 'CloudFront'"),
        description="CloudOps CDK Labs: static site, private S3 bucket behind CloudFront with OAC (guide 001 'Easy')",
        rehearsal_gap="the emulator drops bucket tags, so CDK's S3 auto-delete custom resource fails on delete",
    ),
    Lab(
        name="fanout",
        stack_id="Fanout",
        package="fanout",
        stack_class="FanoutStack",
        config_class="FanoutConfig",
        title="SNS topic -> SQS queues with filter policies",
        practises=(
            "SNS fan-out to SQS, attribute and message-body filter policies, "
            "raw message delivery, two kinds of dead-letter queue"
        ),
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
        practises=(
            "A Lambda function in isolated subnets, an interface endpoint, "
            "an RDS-managed secret, RDS Proxy, connection reuse and SQL parameters"
        ),
        guide=("000 v2 'Lambda -> IAM Role -> Secrets Manager -> RDS'", "002 pymysql handler"),
        description="CloudOps CDK Labs: db-lambda, Lambda -> Secrets Manager -> RDS MySQL with pymysql (guide 000 v2)",
        rehearsal_gap=no_provisioner(
            "AWS::EC2::FlowLog", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::SecurityGroupIngress"
        ),
    ),
    Lab(
        name="ops-automation",
        stack_id="OpsAutomation",
        package="ops_automation",
        stack_class="OpsAutomationStack",
        config_class="OpsAutomationConfig",
        title="EventBridge Scheduler -> Lambda chores: EBS snapshots, cleanup, office-hours stop",
        practises=(
            "EventBridge Scheduler with a time zone, boto3 paginators, "
            "tag-scoped IAM conditions, dry runs, EBS snapshot housekeeping"
        ),
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
        practises=(
            "CloudTrail with log file validation, CIS metric filters and alarms, "
            "GuardDuty findings through EventBridge, automated remediation"
        ),
        guide=("002 'CloudTrail'", "002 'GuardDuty' auto-remediation", "002 'Security Hub', 'Config'"),
        description="CloudOps CDK Labs: security baseline, CloudTrail, GuardDuty, EventBridge (guide 002 security)",
        rehearsal_gap=no_provisioner(
            "AWS::AccessAnalyzer::Analyzer", "AWS::CloudTrail::Trail", "AWS::GuardDuty::Detector"
        ),
    ),
    Lab(
        name="s3-events",
        stack_id="S3Events",
        package="s3_events",
        stack_class="S3EventsStack",
        config_class="S3EventsConfig",
        title="S3 upload under images/ -> Lambda (Pillow) -> thumbnails/",
        practises=(
            "S3 event notifications with prefix and suffix filters, "
            "asynchronous invocation retries and an on-failure destination, lifecycle rules"
        ),
        guide=("002 'S3 Event Notifications'", "002 'Lifecycle policies'"),
        description="CloudOps CDK Labs: S3 event notifications, images/ -> Lambda -> thumbnails/ (guide 002)",
        rehearsal_gap="the emulator drops bucket tags (CDK's S3 auto-delete custom resource fails on delete), "
        "and Pillow's arm64 layer cannot load on the emulator's host Python",
    ),
    Lab(
        name="multi-region-failover",
        stack_id="MultiRegionFailover",
        package="multi_region_failover",
        stack_class="FailoverDnsStack",
        config_class="MultiRegionFailoverConfig",
        title="Route 53 failover records + health check -> an ALB + Lambda in each of two regions",
        practises=(
            "Route 53 failover routing with a health check, alias records, a stack per region, "
            "a DynamoDB global table, a failover drill"
        ),
        guide=(
            "001 'Black Belt: multi-region failover'",
            "002 'Route 53' routing policies, health checks, Alias records",
        ),
        description="CloudOps CDK Labs: multi-region failover, Route 53 failover records, two regions (guide 002)",
        rehearsal_gap=no_provisioner("AWS::EC2::FlowLog", "AWS::Route53::HealthCheck")
        + "; and the emulator is one region, where the lab needs two",
        stacks=(
            LabStack("MultiRegionFailoverPrimary", "PrimaryRegionStack", "primary"),
            LabStack("MultiRegionFailoverSecondary", "SecondaryRegionStack", "secondary"),
            LabStack("MultiRegionFailover", "FailoverDnsStack", "global"),
        ),
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
