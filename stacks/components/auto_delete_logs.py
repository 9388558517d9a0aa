"""A log group for CDK's S3 auto-delete provider function, owned by the stack.

`auto_delete_objects=True` adds one provider function per stack (a CloudFormation
custom resource that empties the bucket before it is deleted). Lambda creates its log
group, /aws/lambda/<function name>, on first use, with no retention and outside the
stack: it would survive `cdk destroy` (STYLE.md, deploy-time traps). Creating that group
in the stack gives it a retention and removes it with the stack.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3

PROVIDER_ID = "Custom::S3AutoDeleteObjectsCustomResourceProvider"


def own_auto_delete_logs(bucket: s3.Bucket, retention: logs.RetentionDays) -> logs.LogGroup:
    """The provider function's log group, for a bucket built with `auto_delete_objects=True`.

    The bucket's auto-delete custom resource depends on the group, so CloudFormation
    creates the group before the function first runs and, on delete, removes it only
    after the function has emptied the bucket (and written its last lines).
    Call it once per stack; a second auto-deleting bucket only needs the dependency.
    """
    stack = cdk.Stack.of(bucket)
    handler = stack.node.find_child(PROVIDER_ID).node.find_child("Handler")
    assert isinstance(handler, cdk.CfnResource)
    group = logs.LogGroup(
        stack,
        "AutoDeleteObjectsLogs",
        # A physical name on purpose: it must be the one Lambda writes to, from the generated function name.
        log_group_name=cdk.Fn.join("", ["/aws/lambda/", handler.ref]),
        retention=retention,
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    bucket.node.find_child("AutoDeleteObjectsCustomResource").node.add_dependency(group)
    return group
