"""Log groups for the Lambda functions CDK adds on its own (custom resource providers).

CDK's provider functions (S3 auto-delete, the default security group's restriction, ...)
log to `/aws/lambda/<function name>`, a group Lambda creates on first use: CloudFormation
does not own it, so it has no retention and survives `cdk destroy`, a small but endless
leftover. Here the stack owns that group: created before any custom resource runs,
with retention, and deleted with the stack after the last custom resource has run.

A provider runs on Delete too, and Lambda delivers its logs asynchronously: a late batch
that finds the group already deleted would recreate it, with no retention and no owner
(aws-cdk #31487, https://github.com/aws/aws-cdk/issues/31487). So each provider's role is
denied logs:CreateLogGroup (the workaround of aws-cdk #11549): the deny sits in the role's
own inline policy, so it lasts as long as the role; an explicit deny overrides the Allow of
AWSLambdaBasicExecutionRole (IAM policy evaluation logic,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
"""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import IConstruct

CUSTOM_RESOURCE_TYPE = re.compile(r"^(Custom::.+|AWS::CloudFormation::CustomResource)$")
RETENTION = logs.RetentionDays.TWO_WEEKS


def own_provider_log_groups(stack: cdk.Stack) -> list[logs.LogGroup]:
    """Gives every function in `stack` without a log group of its own one that the stack owns."""
    resources = [c for c in stack.node.find_all() if isinstance(c, cdk.CfnResource)]
    functions = [r for r in resources if r.cfn_resource_type == "AWS::Lambda::Function" and not _has_log_group(r)]
    groups = []
    for function in functions:
        owner = function.node.scope
        assert owner is not None
        group = logs.LogGroup(
            stack,
            re.sub(r"[^A-Za-z0-9]", "", owner.node.id) + "Logs",
            log_group_name=cdk.Fn.join("", ["/aws/lambda/", function.ref]),
            retention=RETENTION,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        groups.append(group)
        _deny_creating_log_groups(owner)
    # Each custom resource runs its provider on create and on delete: the log group must
    # exist before the first run and go only after the last, so they depend on it.
    for resource in resources:
        if CUSTOM_RESOURCE_TYPE.match(resource.cfn_resource_type):
            for group in groups:
                resource.node.add_dependency(group)
    return groups


DENY_CREATE_LOG_GROUP = {"Effect": "Deny", "Action": "logs:CreateLogGroup", "Resource": "*"}


def _deny_creating_log_groups(owner: IConstruct) -> None:
    """Denies the provider's role logs:CreateLogGroup, in the role's own policy (see the module's docstring)."""
    if isinstance(owner, cdk.CustomResourceProviderBase):
        # CDK's core providers (S3 auto-delete, default security group): a role with an inline policy.
        owner.add_to_role_policy(DENY_CREATE_LOG_GROUP)
        return
    role = owner.node.try_find_child("Role") or _role_handed_to(owner)
    cfn_role = role.node.default_child if isinstance(role, iam.Role) else None
    if not isinstance(cfn_role, iam.CfnRole):
        raise ValueError(f"{owner.node.path}: a provider function whose role this module does not know how to find")
    # An L2 role: its own (inline) policies, not the separate DefaultPolicy, which CloudFormation
    # may delete before the role.
    existing = cfn_role.policies if isinstance(cfn_role.policies, list) else []
    cfn_role.policies = [
        *existing,
        iam.CfnRole.PolicyProperty(
            policy_name="NoLogGroupCreation",
            policy_document={"Version": "2012-10-17", "Statement": [DENY_CREATE_LOG_GROUP]},
        ),
    ]


def _role_handed_to(owner: IConstruct) -> iam.Role | None:
    """The stack's role a provider was handed (s3's `notifications_handler_role`), found by its ARN.

    CDK's BucketNotificationsHandler is internal (no Python class, a plain CfnResource): its
    function's Role property is read from the resource's properties, as CloudFormation gets it.
    """
    function = owner.node.default_child
    if not isinstance(function, cdk.CfnResource):
        return None
    stack = cdk.Stack.of(owner)
    wanted = stack.resolve(function._cfn_properties).get("Role")
    for candidate in stack.node.find_all():
        if isinstance(candidate, iam.Role) and stack.resolve(candidate.role_arn) == wanted:
            return candidate
    return None


def _has_log_group(function: cdk.CfnResource) -> bool:
    if isinstance(function, lambda_.CfnFunction):
        return function.logging_config is not None
    return False
