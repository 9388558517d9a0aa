"""The lab registry: each lab is declared once, here; everything else enumerates `LABS`.

The app builder, the config loader, the cost command, the README's labs table, the
sandbox loop and the test gates all read this tuple. Adding a lab is one entry here
plus its folder (see CONTRIBUTING.md).

Modules are named, not imported: importing the registry costs nothing (no CDK, no
pydantic), so scripts that only need a lab's name or region stay fast.
"""

from __future__ import annotations

from stacks.lab_spec import STACK_ROLES, Lab, LabStack, no_provisioner

__all__ = ["LABS", "PROJECT_TAG", "STACK_ROLES", "Lab", "LabStack", "lab_named", "labs_named", "no_provisioner"]

PROJECT_TAG = "cloudops-cdk-labs"


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
