"""The audit trail: a multi-region CloudTrail trail to S3 and to CloudWatch Logs."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

CLOUDTRAIL = "cloudtrail.amazonaws.com"


class AuditTrail(Construct):
    """CloudTrail's management events of every region, validated, kept in S3 and in CloudWatch Logs.

    Defaults:
    - Trail: multi-region, global service events (IAM, sign-in) included, log file
      validation on (a signed digest every hour proves files were not changed), logging.
    - `TrailBucket`: all public access blocked, TLS-only, SSE-S3, lifecycle (optional move
      to Glacier, then expiry), server access logs to `AccessLogs`. Its policy admits
      CloudTrail only on behalf of this trail (aws:SourceArn), so another account's trail
      cannot write into it (the confused-deputy problem).
    - `TrailLogs`: the CloudWatch Logs copy that the metric filters read, with retention;
      CloudTrail writes it through its own role, which may write only that group.
    - `protect_data`: both buckets and the log group are retained on destroy (logs are
      evidence); otherwise they are emptied and deleted with the stack.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        trail_log_retention: logs.RetentionDays,
        transition_to_glacier_days: int | None,
        expiration_days: int,
        protect_data: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        removal = cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY

        # The one physical name in this lab: the bucket policy must name the trail's ARN before
        # the trail exists (CloudTrail checks the policy when it creates the trail), and a
        # generated name would only be known afterwards.
        # The region is in it: a multi-region trail has a shadow copy, under its name, in every
        # region, so the same stack in another region of the account would collide with it.
        trail_name = f"{stack.stack_name}-Trail-{stack.region}"
        self.trail_arn = cdk.Arn.format(
            cdk.ArnComponents(service="cloudtrail", resource="trail", resource_name=trail_name), stack
        )
        only_this_trail = {"aws:SourceArn": self.trail_arn}

        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(expiration_days))],
            removal_policy=removal,
            auto_delete_objects=not protect_data,
        )
        transitions = (
            [s3.Transition(storage_class=s3.StorageClass.GLACIER, transition_after=cdk.Duration.days(days))]
            if (days := transition_to_glacier_days) is not None
            else None
        )
        self.bucket = s3.Bucket(
            self,
            "TrailBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="trail-bucket/",
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(expiration_days), transitions=transitions)],
            removal_policy=removal,
            auto_delete_objects=not protect_data,
        )
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSCloudTrailAclCheck",
                principals=[iam.ServicePrincipal(CLOUDTRAIL)],
                actions=["s3:GetBucketAcl"],
                resources=[self.bucket.bucket_arn],
                conditions={"StringEquals": only_this_trail},
            )
        )
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSCloudTrailWrite",
                principals=[iam.ServicePrincipal(CLOUDTRAIL)],
                actions=["s3:PutObject"],
                resources=[self.bucket.arn_for_objects(f"AWSLogs/{stack.account}/*")],
                conditions={"StringEquals": {**only_this_trail, "s3:x-amz-acl": "bucket-owner-full-control"}},
            )
        )

        self.log_group = logs.LogGroup(self, "TrailLogs", retention=trail_log_retention, removal_policy=removal)
        logs_role = iam.Role(
            self,
            "TrailLogsRole",
            # The trust AWS documents for this role: the service, no condition
            # (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html).
            # CloudTrail checks the role when it creates the trail (InvalidCloudWatchLogsRoleArnException), and
            # no page documents an aws:SourceArn it would send; the role may only write this one log group.
            assumed_by=iam.ServicePrincipal(CLOUDTRAIL),
            description="CloudTrail delivers this trail's events to its CloudWatch Logs group",
        )
        self.log_group.grant_write(logs_role)

        self.trail = cloudtrail.CfnTrail(
            self,
            "Trail",
            trail_name=trail_name,
            is_logging=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            s3_bucket_name=self.bucket.bucket_name,
            cloud_watch_logs_log_group_arn=self.log_group.log_group_arn,
            cloud_watch_logs_role_arn=logs_role.role_arn,
        )
        # CloudTrail checks both at creation; only names and ARNs are referenced, so say it.
        policy = self.bucket.policy
        assert policy is not None
        self.trail.node.add_dependency(policy, logs_role)
