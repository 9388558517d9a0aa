"""Log groups for the Lambda functions CDK adds on its own (custom resource providers).

CDK's provider functions (S3 auto-delete, the default security group's restriction, ...)
log to `/aws/lambda/<function name>`, a group Lambda creates on first use: CloudFormation
does not own it, so it has no retention and survives `cdk destroy`, a small but endless
leftover. Here the stack owns that group: created before any custom resource runs,
with retention, and deleted with the stack after the last custom resource has run.
"""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

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
    # Each custom resource runs its provider on create and on delete: the log group must
    # exist before the first run and go only after the last, so they depend on it.
    for resource in resources:
        if CUSTOM_RESOURCE_TYPE.match(resource.cfn_resource_type):
            for group in groups:
                resource.node.add_dependency(group)
    return groups


def _has_log_group(function: cdk.CfnResource) -> bool:
    if isinstance(function, lambda_.CfnFunction):
        return function.logging_config is not None
    return False
