"""What the CI role may do besides assuming the CDK bootstrap roles: what the sandbox
loop's own calls need (preflight, verify, drift, leftovers).

`cdk deploy`, `cdk drift` and `cdk destroy` act through the bootstrap roles
(cdk-hnb659fds-deploy-role-..., -file-publishing-role-..., -lookup-role-...), which the
CLI assumes itself; this role needs only sts:AssumeRole on them. Everything below is
called by scripts/ directly. tests/ci_role/test_permissions.py reads every boto3 call
of the loop's scripts and fails when one of them maps to an action missing here.
"""

from __future__ import annotations

# Reads: inventories and states. They run on "*" because leftovers looks for anything
# the project left in any region, and most of these actions take no resource or take
# the resources of the whole account (Describe*/List* calls).
READ_ACTIONS: tuple[str, ...] = (
    "acm:DescribeCertificate",
    "apigateway:GET",
    "cloudformation:DescribeStacks",
    "cloudformation:ListStackResources",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudwatch:DescribeAlarms",
    "config:DescribeConfigurationRecorders",
    "config:DescribeDeliveryChannels",
    "dynamodb:DescribeContinuousBackups",
    "dynamodb:DescribeTable",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInstanceTypeOfferings",
    "ec2:DescribeInstances",
    "ec2:DescribeNatGateways",
    "ec2:DescribeSnapshots",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVolumes",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTargetHealth",
    "events:DescribeRule",
    "events:ListTargetsByRule",
    "guardduty:GetDetector",
    "guardduty:ListDetectors",
    "kms:DescribeKey",
    "kms:ListKeys",
    "kms:ListResourceTags",
    "logs:DescribeLogGroups",
    "logs:DescribeMetricFilters",
    "logs:TestMetricFilter",
    "rds:DescribeDBInstanceAutomatedBackups",
    "rds:DescribeDBInstances",
    "rds:DescribeDBProxies",
    "rds:DescribeDBSnapshots",
    "rds:DescribeOrderableDBInstanceOptions",
    "route53:GetHealthCheckStatus",  # multi-region-failover's verify: is the primary's health check healthy
    "scheduler:GetSchedule",
    "secretsmanager:DescribeSecret",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
    "sqs:GetQueueAttributes",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "tag:GetResources",
)

# What verify does to a deployed lab (send a test message, invoke, upload a test image)
# and the data it reads back. Only on resources tagged Project=cloudops-cdk-labs: SQS, SNS,
# Lambda and DynamoDB authorize on aws:ResourceTag (Service Authorization Reference,
# "Condition keys" of each service).
TAGGED_ACTIONS: tuple[str, ...] = (
    "dynamodb:GetItem",
    "lambda:InvokeFunction",
    "sns:Publish",
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
)

# S3 object actions do not see bucket tags, so they are limited by name instead: a bucket
# CloudFormation names for a stack starts with the stack name, lower-cased ("Name type",
# AWS CloudFormation User Guide: the stack name, the logical ID and a unique suffix).
BUCKET_OBJECT_ACTIONS: tuple[str, ...] = ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:PutObject")
BUCKET_ACTIONS: tuple[str, ...] = ("s3:ListBucket", "s3:ListBucketVersions")
# Log data: only the labs' own function log groups (Lambda names a function
# <stack name>-<logical id>-<suffix>, and its log group is /aws/lambda/<function name>).
LOG_READ_ACTIONS: tuple[str, ...] = ("logs:FilterLogEvents",)

# "No permissions are required to perform this operation" (AWS STS API Reference, GetCallerIdentity).
NEED_NO_PERMISSION: frozenset[str] = frozenset({"sts:GetCallerIdentity"})

# botocore operation names that IAM authorizes under another action name.
OPERATION_ACTIONS: dict[str, str] = {
    "apigateway:GetApiKey": "apigateway:GET",
    "apigateway:GetResources": "apigateway:GET",
    "apigateway:GetRestApis": "apigateway:GET",
    "lambda:Invoke": "lambda:InvokeFunction",
    "s3:DeleteObjects": "s3:DeleteObject",
    "s3:ListObjectVersions": "s3:ListBucketVersions",
    "s3:HeadObject": "s3:GetObject",
    "s3:HeadBucket": "s3:ListBucket",
    "s3:ListObjectsV2": "s3:ListBucket",
    "sns:PublishBatch": "sns:Publish",
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
    "sqs:SendMessageBatch": "sqs:SendMessage",
}
# boto3 client name -> IAM service prefix, where they differ.
SERVICE_PREFIXES: dict[str, str] = {"elbv2": "elasticloadbalancing", "resourcegroupstaggingapi": "tag"}


# Calls that need a second action with some arguments: s3-events verify deletes object versions
# and delete markers (DeleteObject with VersionId needs s3:DeleteObjectVersion, Amazon S3 User
# Guide, "Deleting object versions from a versioning-enabled bucket").
ALSO_NEEDED: dict[str, tuple[str, ...]] = {"s3:DeleteObject": ("s3:DeleteObjectVersion",)}


def iam_actions(client_name: str, operation: str) -> tuple[str, ...]:
    """The IAM actions that authorize a boto3 call: ("elbv2", "DescribeLoadBalancers") -> ..."""
    action = f"{SERVICE_PREFIXES.get(client_name, client_name)}:{operation}"
    action = OPERATION_ACTIONS.get(action, action)
    return (action, *ALSO_NEEDED.get(action, ()))


def granted_actions() -> frozenset[str]:
    return frozenset(READ_ACTIONS + TAGGED_ACTIONS + BUCKET_OBJECT_ACTIONS + BUCKET_ACTIONS + LOG_READ_ACTIONS)
