"""The web tier: the internet-facing Application Load Balancer and its access logs."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import region_info
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.three_tier.config import ThreeTierConfig
from stacks.three_tier.network import PUBLIC
from stacks.three_tier.security_groups import WEB_PORT

ALB_LOG_PREFIX = "alb"


class WebTier:
    """ALB in the public subnets in front of the web servers' target group.

    HTTPS (with an HTTP -> HTTPS redirect) when `certificate_arn` is configured, HTTP
    only otherwise; invalid header fields dropped; health checks on "/"; access logs
    to an SSE-S3, TLS-only bucket with a lifecycle. A building block of ThreeTierStack
    that adds its resources to `scope` itself (see network.Network).
    """

    def __init__(
        self,
        scope: Construct,
        *,
        config: ThreeTierConfig,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        targets: autoscaling.AutoScalingGroup,
        keep: cdk.RemovalPolicy,
    ) -> None:
        self._scope = scope
        self.load_balancer = elbv2.ApplicationLoadBalancer(
            scope,
            "LoadBalancer",
            vpc=vpc,
            internet_facing=True,
            vpc_subnets=ec2.SubnetSelection(subnet_group_name=PUBLIC),
            security_group=security_group,
            drop_invalid_header_fields=True,
        )
        self._log_access(config.log_retention_days, keep)

        if config.certificate_arn:
            listener = self.load_balancer.add_listener(
                "HttpsListener",
                port=443,
                protocol=elbv2.ApplicationProtocol.HTTPS,
                # No ssl_policy: the usePostQuantumTlsPolicy feature flag picks AWS's current
                # recommended TLS 1.2/1.3 policy.
                certificates=[elbv2.ListenerCertificate.from_arn(config.certificate_arn)],
                open=True,
            )
            self.load_balancer.add_redirect(source_port=80, target_port=443)
        else:
            # No certificate configured: HTTP only (the README says so and how to add one).
            listener = self.load_balancer.add_listener(
                "HttpListener", port=80, protocol=elbv2.ApplicationProtocol.HTTP, open=True
            )
        listener.add_targets(
            "WebServers",
            port=WEB_PORT,
            protocol=elbv2.ApplicationProtocol.HTTP,
            targets=[targets],
            health_check=elbv2.HealthCheck(
                path="/", healthy_http_codes="200", interval=cdk.Duration.seconds(30), healthy_threshold_count=2
            ),
            deregistration_delay=cdk.Duration.seconds(30),
        )

    def _log_access(self, retention_days: int, keep: cdk.RemovalPolicy) -> None:
        """Access logs to an SSE-S3, TLS-only bucket (ALB log delivery supports only SSE-S3)."""
        bucket = s3.Bucket(
            self._scope,
            "AccessLogBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(retention_days))],
            removal_policy=keep,
            auto_delete_objects=keep == cdk.RemovalPolicy.DESTROY,
        )
        acknowledge(
            bucket,
            "AwsSolutions-S1",
            "This bucket holds only the ALB's access logs; logging access to a log bucket needs yet another "
            "bucket and repeats the question. Reads of these logs are not recorded: this lab has no trail, "
            "and a management-events trail does not log S3 object reads (data events).",
        )
        # load_balancer.log_access_logs() needs a concrete region and this stack is
        # environment-agnostic, so the policy is written here, for every region. See _elb_log_writers.
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowAlbLogDelivery",
                principals=self._elb_log_writers(),
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{ALB_LOG_PREFIX}/AWSLogs/{cdk.Aws.ACCOUNT_ID}/*")],
            )
        )
        self.load_balancer.set_attribute("access_logs.s3.enabled", "true")
        self.load_balancer.set_attribute("access_logs.s3.bucket", bucket.bucket_name)
        self.load_balancer.set_attribute("access_logs.s3.prefix", ALB_LOG_PREFIX)
        # The ALB checks that it may write when logging is switched on: policy first.
        assert bucket.policy is not None
        self.load_balancer.node.add_dependency(bucket.policy)

    def _elb_log_writers(self) -> list[iam.IPrincipal]:
        """Who writes ALB access logs: it depends on the region, known only at deploy time.

        Regions older than August 2022 (us-east-1, ap-south-1 ...) deliver from a per-region
        ELB account; newer ones from the log delivery service principal. The account comes
        from a mapping of CDK's region facts; where a region has none, the condition drops it.
        """
        accounts = cdk.CfnMapping(
            self._scope,
            "ElbLogDeliveryAccounts",
            mapping={
                region.name: {"account": region.elbv2_account or "none"} for region in region_info.RegionInfo.regions
            },
        )
        account = accounts.find_in_map(cdk.Aws.REGION, "account")
        has_account = cdk.CfnCondition(
            self._scope,
            "RegionHasElbLogDeliveryAccount",
            expression=cdk.Fn.condition_not(cdk.Fn.condition_equals(account, "none")),
        )
        account_arn = f"arn:{cdk.Aws.PARTITION}:iam::{account}:root"
        return [
            iam.ServicePrincipal("logdelivery.elasticloadbalancing.amazonaws.com"),
            iam.ArnPrincipal(
                cdk.Token.as_string(cdk.Fn.condition_if(has_account.logical_id, account_arn, cdk.Aws.NO_VALUE))
            ),
        ]
