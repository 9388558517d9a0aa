"""The one place where the learner scripts make their boto3 session: the region as the CDK CLI finds it.

boto3 reads the region from AWS_DEFAULT_REGION and the profile, not from AWS_REGION
(botocore's config provider has no AWS_REGION), while the CDK CLI and the AWS CLI v2
read AWS_REGION first. A learner who sets `export AWS_REGION=eu-west-1`, as the README
says, would deploy there with `npx cdk` and have every script say "no region". So every
script resolves it like the CDK CLI (aws-cdk `AwsCliCompatible.region`: AWS_REGION,
then AWS_DEFAULT_REGION, then the profile's region), after any region the script is
given (a --region flag, or the lab's pinned region). An AWS_PROFILE that names no
profile raises botocore's ProfileNotFound; `scripts.stack_outputs.run` turns it into
the one line of `profile_not_found()`.
"""

from __future__ import annotations

import os

import boto3

NO_REGION = "no AWS region configured: set AWS_REGION (or region in your AWS profile)"


def aws_session(region: str | None = None) -> boto3.Session:
    """A session in `region`, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region."""
    # An empty AWS_REGION counts as unset, as for the CDK CLI (a JavaScript `||`).
    return boto3.Session(region_name=region or os.environ.get("AWS_REGION") or None)


def profile_not_found() -> str:
    """What to do when AWS_PROFILE names a profile the AWS config files do not have (one line)."""
    profile = os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE") or "default"
    config = os.environ.get("AWS_CONFIG_FILE", "~/.aws/config")
    return (
        f"AWS profile {profile!r} (AWS_PROFILE) is not in {config}: create it with "
        f"`aws configure --profile {profile}` (or `aws configure sso`), or set AWS_PROFILE to one that exists"
    )
