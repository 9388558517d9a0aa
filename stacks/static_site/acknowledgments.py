"""cdk-nag findings on the static site that do not apply, each on the one construct it names."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3_deployment as s3deploy

from stacks.components.acknowledge import acknowledge


def acknowledge_distribution(distribution: cloudfront.Distribution, *, has_certificate: bool) -> None:
    acknowledge(
        distribution,
        "AwsSolutions-CFR1",
        "The lab's page is public on purpose and serves no country-specific content, so no geo "
        "restriction applies; CloudFront's geo restriction stays available if a learner needs one.",
    )
    acknowledge(
        distribution,
        "AwsSolutions-CFR2",
        "The site is static files with no forms, scripts or backend to attack; a WAF web ACL costs "
        "5 USD a month plus 1 USD per rule, more than the rest of the lab, for no protected surface.",
    )
    if not has_certificate:
        acknowledge(
            distribution,
            "AwsSolutions-CFR4",
            "Without a custom domain the distribution uses the *.cloudfront.net certificate, whose "
            "security policy CloudFront fixes at TLSv1 whatever the template says; configuring "
            "static_site.domain_name and certificate_arn switches to TLSv1.2_2021 (asserted in the tests).",
        )


def acknowledge_deployment(deployment: s3deploy.BucketDeployment, role: iam.Role) -> None:
    """BucketDeployment's provider function: CDK owns its code and runtime; the stack writes its grants."""
    policy = role.node.find_child("DefaultPolicy")
    for finding, reason in (
        (
            "AwsSolutions-IAM5[Action::s3:GetBucket*]",
            "The site bucket's read-write grant (Bucket.grant_read_write, as BucketDeployment grants it); "
            "CDK writes its read actions as this group, on the site bucket only.",
        ),
        (
            "AwsSolutions-IAM5[Action::s3:GetObject*]",
            "CDK's grant action group for reading objects, on the site bucket only; the CDK asset bucket "
            "is readable only for the one zipped site/ object, with s3:GetObject.",
        ),
        (
            "AwsSolutions-IAM5[Action::s3:List*]",
            "CDK's grant action group for listing, which pruning needs to find files deleted from site/; "
            "on the site bucket only.",
        ),
        (
            "AwsSolutions-IAM5[Action::s3:Abort*]",
            "CDK's grant action group for aborting multipart uploads of large files into the site bucket only.",
        ),
        (
            "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
            "Pruning removes files deleted from site/, and retain_on_delete=False empties the site bucket "
            "at destroy; the grant names the site bucket only.",
        ),
        (
            "AwsSolutions-IAM5[Resource::<SiteBucket397A1860.Arn>/*]",
            "The deployment writes every file of site/ under any key of the site bucket; it is that bucket only.",
        ),
    ):
        acknowledge(policy, finding, reason)
    # CDK makes the function a stack-level singleton named after a hash of its settings.
    handler = next(
        child
        for child in cdk.Stack.of(deployment).node.children
        if child.node.id.startswith("Custom::CDKBucketDeployment")
    )
    cfn_function = handler.node.default_child
    assert cfn_function is not None
    for finding, reason in (
        (
            "AwsSolutions-L1",
            "CDK pins the runtime of its BucketDeployment provider function with its bundled code "
            "(python3.13 in aws-cdk-lib 2.275.0); it moves with CDK upgrades, not with this repository.",
        ),
        (
            "Serverless-LambdaLatestVersion",
            "CDK pins the runtime of its BucketDeployment provider function with its bundled code; it "
            "moves with CDK upgrades, not with this repository.",
        ),
        (
            "Serverless-LambdaDLQ",
            "CloudFormation invokes the provider asynchronously with a pre-signed callback URL, and CDK's "
            "handler answers FAILED on any error, so the stack update fails and rolls back visibly; an event "
            "kept in a dead-letter queue could only be replayed against a deployment that has already ended.",
        ),
        (
            "Serverless-LambdaTracing",
            "A deploy-time copy run once per deployment by CloudFormation; its own log group records "
            "each run, and X-Ray traces would add cost without a request path to follow.",
        ),
    ):
        acknowledge(cfn_function, finding, reason)
