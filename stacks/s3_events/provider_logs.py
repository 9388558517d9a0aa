"""Log groups for the functions CDK adds to this stack on its own (STYLE.md, deploy-time traps).

S3 auto-delete (sandbox) and the bucket-notification handler are CDK provider functions:
they log to `/aws/lambda/<function name>`, a group Lambda creates on first use, which
CloudFormation does not own: no retention, and it survives `cdk destroy`. Here the stack
creates that group itself, with retention, before any custom resource runs, and deletes
it after the last one (custom resources run their provider on delete too).

The same approach as the shared component being prepared for every lab; when that
component is applied by the app builder, this module goes (two owners of one group
would fail at synth with a duplicate construct id, not silently at deploy).
"""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

CUSTOM_RESOURCE_TYPE = re.compile(r"^(Custom::.+|AWS::CloudFormation::CustomResource)$")
RETENTION = logs.RetentionDays.TWO_WEEKS


def own_provider_log_groups(stack: cdk.Stack) -> list[logs.LogGroup]:
    """Gives every function in `stack` that has no log group of its own one that the stack owns."""
    resources = [c for c in stack.node.find_all() if isinstance(c, cdk.CfnResource)]
    functions = [r for r in resources if r.cfn_resource_type == "AWS::Lambda::Function" and not _has_log_group(r)]
    groups = []
    for function in functions:
        owner = function.node.scope
        assert owner is not None
        groups.append(
            logs.LogGroup(
                stack,
                re.sub(r"[^A-Za-z0-9]", "", owner.node.id) + "Logs",
                log_group_name=cdk.Fn.join("", ["/aws/lambda/", function.ref]),
                retention=RETENTION,
                removal_policy=cdk.RemovalPolicy.DESTROY,
            )
        )
    for resource in resources:
        if CUSTOM_RESOURCE_TYPE.match(resource.cfn_resource_type):
            for group in groups:
                resource.node.add_dependency(group)
    return groups


def _has_log_group(function: cdk.CfnResource) -> bool:
    return isinstance(function, lambda_.CfnFunction) and function.logging_config is not None
