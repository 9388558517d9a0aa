"""The lab's bucket: originals under images/, thumbnails under thumbnails/, with its access logs."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

# Guide 002 "Lifecycle": "Expire incomplete multipart uploads after 7 days".
ABORT_MULTIPART_DAYS = 7


class ImagesBucket(Construct):
    """A private bucket for uploads and their thumbnails.

    Defaults:
    - all public access blocked, ACLs disabled (bucket owner enforced), TLS-only with
      TLS 1.2 at least, SSE-S3 encryption (no key to pay for or to grant);
    - lifecycle: originals under `source_prefix` move to `storage_class` after
      `transition_days` (guide 002: Standard-IA at day 30); incomplete multipart
      uploads are aborted after 7 days; with `previous_versions_days`, versioning is on
      and overwritten or deleted objects are kept that long, then expire;
    - its notifications configured by CDK's handler under `notifications_handler_role`;
    - server access logs to a second private bucket (`access_logs`) that expires them;
    - `protect_data`: retained on `cdk destroy`; otherwise emptied and deleted with the stack.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source_prefix: str,
        notifications_handler_role: iam.IRole,
        storage_class: s3.StorageClass,
        transition_days: int,
        previous_versions_days: int | None,
        access_log_retention_days: int,
        protect_data: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        removal = cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY

        self.access_logs = _private_bucket(
            self,
            "AccessLogs",
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(access_log_retention_days))],
            removal_policy=removal,
            auto_delete_objects=not protect_data,
        )

        versioned = previous_versions_days is not None
        rules = [
            s3.LifecycleRule(
                id="OriginalsToCheaperStorage",
                prefix=source_prefix,
                transitions=[
                    s3.Transition(storage_class=storage_class, transition_after=cdk.Duration.days(transition_days))
                ],
            ),
            s3.LifecycleRule(
                id="AbortIncompleteUploads",
                abort_incomplete_multipart_upload_after=cdk.Duration.days(ABORT_MULTIPART_DAYS),
            ),
        ]
        if previous_versions_days is not None:
            rules.append(
                s3.LifecycleRule(
                    id="ExpirePreviousVersions",
                    noncurrent_version_expiration=cdk.Duration.days(previous_versions_days),
                    expired_object_delete_marker=True,
                )
            )
        self.bucket = _private_bucket(
            self,
            "Bucket",
            versioned=versioned,
            lifecycle_rules=rules,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="images-bucket/",
            notifications_handler_role=notifications_handler_role,
            removal_policy=removal,
            auto_delete_objects=not protect_data,
        )


def _private_bucket(scope: Construct, construct_id: str, **kwargs: Any) -> s3.Bucket:
    """What both buckets share: private, ACLs off, TLS 1.2+ only, SSE-S3."""
    return s3.Bucket(
        scope,
        construct_id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        **kwargs,
    )
