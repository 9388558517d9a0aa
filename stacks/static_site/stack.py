"""Lab 5: S3 + CloudFront with Origin Access Control (guide 001 "Easy: host a static website", 002 CloudFront)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.log_retention import log_retention
from stacks.config import REPO_ROOT
from stacks.static_site.acknowledgments import acknowledge_deployment, acknowledge_distribution
from stacks.static_site.config import StaticSiteConfig
from stacks.static_site.distribution import SiteDistribution

SITE_DIR = REPO_ROOT / "site"
S3_LOG_PREFIX = "s3/"


class StaticSiteStack(cdk.Stack):
    """A private bucket served only through CloudFront, with the repository's site/ deployed into it.

    Builds:
    - `SiteBucket`: all public access blocked, SSE-S3, TLS-only, ACLs off; readable only by
      the distribution (Origin Access Control). It holds nothing but a copy of site/, which
      every deploy writes again, so no stage keeps it: `cdk destroy` removes it (the
      deployment deletes its files first).
    - `Distribution` (distribution.py): OAC, HTTPS redirect, security headers, page and
      asset cache policies, the 404 page, price class and optional custom domain from config.
    - `DeploySite`: BucketDeployment of site/ with one invalidation of `/*` per deploy (one
      path: the first 1,000 invalidation paths a month are free). Its provider function logs
      to `DeploymentLogs`, a log group this stack owns (retention; removed in the sandbox). Its
      role reads only the zipped site/ (`SiteFiles`) of the CDK asset bucket, writes the site
      bucket and invalidates only this distribution.
    - `AccessLogBucket`: CloudFront standard logs and, in prod, the site bucket's S3 server
      access logs (the direct requests that got 403 show there), both free apart from storage
      at lab scale, expired after `access_log_days`; kept in prod. The sandbox empties it only
      after the distribution is deleted, and has no S3 server access logs (they arrive hours
      late and would refill it after the emptying).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StaticSiteConfig,
        protect_data: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        keep = cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY

        retention = log_retention(config.log_retention_days)
        access_logs = self._access_log_bucket(config.access_log_days, keep)
        bucket = s3.Bucket(
            self,
            "SiteBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            # Prod only: S3 delivers server access logs late, best effort (hours), so in the sandbox they
            # would refill the log bucket after `cdk destroy` empties it (BucketNotEmpty, aws-cdk #21776;
            # https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html#LogDeliveryBestEffort).
            # No ordering helps: the log bucket's policy names this bucket, so it outlives the emptying.
            server_access_logs_bucket=access_logs if protect_data else None,
            server_access_logs_prefix=S3_LOG_PREFIX if protect_data else None,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        if not protect_data:
            acknowledge(
                bucket,
                "AwsSolutions-S1",
                "Sandbox only: S3 delivers server access logs hours late, so they would refill the log bucket after "
                "cdk destroy empties it and fail the destroy; CloudFront's logs still show every request.",
            )
        site = SiteDistribution(self, "Site", bucket=bucket, config=config, log_bucket=access_logs)

        self._deploy(bucket, site.distribution, retention, keep)
        self._empty_log_bucket_last(access_logs, writer=site.distribution)
        acknowledge_distribution(site.distribution, has_certificate=config.certificate_arn is not None)

        url = f"https://{config.domain_name or site.distribution.distribution_domain_name}/"
        cdk.CfnOutput(self, "SiteUrl", value=url, description="The site, over HTTPS")
        cdk.CfnOutput(
            self,
            "BucketRegionalDomainName",
            value=bucket.bucket_regional_domain_name,
            description="The bucket's own address: a direct request answers 403",
        )
        cdk.CfnOutput(
            self,
            "DistributionDomainName",
            value=site.distribution.distribution_domain_name,
            description="CloudFront's name for the site (point a custom domain's CNAME or alias here)",
        )
        cdk.CfnOutput(
            self,
            "DistributionId",
            value=site.distribution.distribution_id,
            description="For aws cloudfront create-invalidation and the CloudFront console",
        )

    def _access_log_bucket(self, days: int, keep: cdk.RemovalPolicy) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "AccessLogBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            # CloudFront's standard logs support SSE-S3 only, and arrive through a bucket ACL
            # grant to its log delivery account: ACLs stay enabled, the owner keeps every object.
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(days))],
            removal_policy=keep,
            auto_delete_objects=keep == cdk.RemovalPolicy.DESTROY,
        )
        if keep == cdk.RemovalPolicy.DESTROY:
            # cdk-nag counts a bucket that receives another bucket's S3 access logs as logged; the
            # sandbox sends it none (see SiteBucket), so here S1 is a finding again.
            acknowledge(
                bucket,
                "AwsSolutions-S1",
                "Sandbox only: this bucket holds CloudFront's standard logs and is emptied and deleted by cdk "
                "destroy; logging its own access would need one more bucket that destroy must also empty.",
            )
        return bucket

    @staticmethod
    def _empty_log_bucket_last(access_logs: s3.Bucket, writer: Construct) -> None:
        """In the sandbox, empty the log bucket only after the distribution is gone.

        CloudFront delivers standard logs through the bucket's ACL grant until the distribution
        is deleted, so a log bucket emptied at the start of `cdk destroy` fills again and the
        destroy fails with BucketNotEmpty (aws-cdk #16332, https://github.com/aws/aws-cdk/issues/16332).
        CloudFormation deletes a resource before the ones it depends on: the distribution
        depending on the emptying custom resource puts the emptying after the distribution.
        """
        emptying = access_logs.node.try_find_child("AutoDeleteObjectsCustomResource")
        if emptying is None:  # prod: the log bucket is retained, nothing empties it
            return
        writer.node.add_dependency(emptying)

    def _deploy(
        self,
        bucket: s3.IBucket,
        distribution: cloudfront.IDistribution,
        retention: logs.RetentionDays,
        keep: cdk.RemovalPolicy,
    ) -> None:
        """site/ into the bucket, then one invalidation, by CDK's provider function with its own logs and role."""
        deployment_logs = logs.LogGroup(self, "DeploymentLogs", retention=retention, removal_policy=keep)
        # The zipped site/, staged as a CDK asset: its key (<content hash>.zip) is known at synth.
        site_files = s3_assets.Asset(self, "SiteFiles", path=str(SITE_DIR))
        # The role holds only what the deployment does, written here: BucketDeployment's own grants
        # would read the whole CDK bootstrap bucket (every stack's templates and Lambda code of the
        # account and region) and invalidate any distribution (cloudfront:*Invalidation on *). So
        # the construct gets the role without policy updates, which drops those grants.
        role = iam.Role(
            self,
            "DeploymentRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Static site deployment: copy site/ into the bucket, invalidate the distribution",
        )
        deployment_logs.grant_write(role)
        role.add_to_policy(
            iam.PolicyStatement(
                sid="ReadTheZippedSiteOnly",
                actions=["s3:GetObject"],
                resources=[site_files.bucket.arn_for_objects(site_files.s3_object_key)],
            )
        )
        # The copy into the site bucket: what BucketDeployment grants itself (bucket.grant_read_write).
        bucket.grant_read_write(role)
        # CreateInvalidation and GetInvalidation take a distribution ARN (Service Authorization Reference,
        # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html).
        role.add_to_policy(
            iam.PolicyStatement(
                sid="InvalidateThisDistributionOnly",
                actions=["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"],
                resources=[distribution.distribution_arn],
            )
        )
        deployment = s3deploy.BucketDeployment(
            self,
            "DeploySite",
            sources=[s3deploy.Source.bucket(site_files.bucket, site_files.s3_object_key)],
            destination_bucket=bucket,
            distribution=distribution,
            distribution_paths=["/*"],
            prune=True,
            # Delete the site's files when the stack goes, so the bucket is empty and can go too.
            retain_on_delete=False,
            log_group=deployment_logs,
            role=role.without_policy_updates(),
        )
        acknowledge_deployment(deployment, role)
