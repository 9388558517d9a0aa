"""A retained bucket keeps its policy: applied to every stack, like provider_logs.py.

`RemovalPolicy.RETAIN` on an `s3.Bucket` marks the bucket only; its `AWS::S3::BucketPolicy`
keeps the default Delete, so a prod `cdk destroy` keeps the bucket and deletes its policy:
the kept bucket loses its TLS-only deny, a log bucket stops admitting
`logging.s3.amazonaws.com`, a trail bucket stops admitting CloudTrail. CloudFormation
deletes every resource whose DeletionPolicy is not Retain
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html),
so the policy of a retained bucket is retained too.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3


def retain_policies_of_retained_buckets(stack: cdk.Stack) -> None:
    """Gives the policy of every bucket in `stack` that CloudFormation retains the same removal policy."""
    for construct in stack.node.find_all():
        if not isinstance(construct, s3.Bucket) or construct.policy is None:
            continue
        bucket = construct.node.default_child
        assert isinstance(bucket, s3.CfnBucket)
        if bucket.cfn_options.deletion_policy == cdk.CfnDeletionPolicy.RETAIN:
            construct.policy.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
