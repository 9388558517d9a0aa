"""One region's site: a small public VPC, an internet-facing ALB and a Lambda target."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_elasticloadbalancingv2_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.alarm import notify_when_above
from stacks.components.alert_topic import AlertTopic
from stacks.components.log_retention import log_retention
from stacks.components.python_function import python_function
from stacks.multi_region_failover.config import MultiRegionFailoverConfig
from stacks.multi_region_failover.names import DOWN_PARAMETER, HANDLER

VPC_CIDR = {"primary": "10.20.0.0/16", "secondary": "10.21.0.0/16"}  # distinct, should they ever be peered
ALB_LOG_PREFIX = "alb"
ALARM_PERIOD = cdk.Duration.minutes(1)


class RegionSite:
    """The guide's per-region half: VPC (two public subnets, no NAT) -> ALB -> Lambda.

    A building block of the regional stacks that adds its resources to `scope` itself.
    - VPC: two AZs, public subnets only (an ALB needs two AZs; the function runs outside
      the VPC, so nothing needs a NAT), flow logs to a log group with retention.
    - ALB: internet-facing, HTTP 80, or HTTPS 443 (with an 80 -> 443 redirect) when the
      region's certificate is configured; invalid header fields dropped; access logs to an
      SSE-S3, TLS-only bucket (ALB log delivery is free, only the few KB stored cost).
    - Lambda target (Python 3.14, arm64): `/` answers its region and the visit count,
      `/health` 200 or 503 while the SSM parameter DOWN_PARAMETER says "true".
    - Alarms on the region's alert topic: target 5XX answers, unhealthy target.
    """

    def __init__(
        self,
        scope: Construct,
        *,
        role: str,
        config: MultiRegionFailoverConfig,
        table: dynamodb.ITableV2,
        certificate_arn: str | None,
        keep: cdk.RemovalPolicy,
    ) -> None:
        self.vpc = ec2.Vpc(
            scope,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(VPC_CIDR[role]),
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24)
            ],
        )
        flow_logs = logs.LogGroup(
            scope,
            "FlowLogGroup",
            retention=log_retention(config.log_retention_days),
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
            traffic_type=ec2.FlowLogTrafficType.REJECT,  # the cheapest useful kind: what the SG refused
        )

        # The switch the drill flips; the function reads it at run time, so failing over needs no deploy.
        self.down_switch = ssm.StringParameter(
            scope,
            "DownSwitch",
            parameter_name=DOWN_PARAMETER,
            string_value="false",
            description="'true' makes this region's /health answer 503, so Route 53 fails over (make failover)",
        )
        function = python_function(
            scope,
            log_group_id="SiteFunctionLogGroup",
            role_id="SiteFunctionRole",
            function_id="SiteFunction",
            package="failover_site",
            handler=HANDLER,
            role_description="The failover site's function: read the down switch, count visits in the global table",
            description="Answers / with its region and the visit count, /health with 200 or 503 (down switch)",
            log_retention=log_retention(config.log_retention_days),
            timeout=cdk.Duration.seconds(5),
            memory_size=config.function_memory_mb,
            environment={
                "DOWN_PARAMETER": DOWN_PARAMETER,
                "DOWN_CACHE_SECONDS": str(config.down_switch_cache_seconds),
                "TABLE_NAME": table.table_name,
                "POWERTOOLS_SERVICE_NAME": "failover-site",
            },
            statements=[
                iam.PolicyStatement(actions=["ssm:GetParameter"], resources=[self.down_switch.parameter_arn]),
                # The one counter item: an atomic ADD and a read, on this region's replica only.
                iam.PolicyStatement(actions=["dynamodb:UpdateItem", "dynamodb:GetItem"], resources=[table.table_arn]),
            ],
        )
        self.function = function.function
        acknowledge(
            function.role.node.find_child("DefaultPolicy"),
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active "
            "tracing needs Resource *; every other statement names its parameter, table or log group.",
        )
        acknowledge(
            self.function.node.default_child,  # type: ignore[arg-type]
            "Serverless-LambdaDLQ",
            "The load balancer invokes the function synchronously and returns its error to the client; a "
            "function dead-letter queue only receives failed asynchronous invocations, which never happen here.",
        )

        self.security_group = ec2.SecurityGroup(
            scope, "LoadBalancerSecurityGroup", vpc=self.vpc, description="The public ALB: HTTP/HTTPS from anywhere"
        )
        acknowledge(
            self.security_group,
            "AwsSolutions-EC23",
            "This is the public site's internet-facing load balancer, and Route 53's health checkers call it "
            "from addresses all over the world: its listeners open port 80 to any address, and 443 too when "
            "the region's certificate is set (80 then only redirects to HTTPS).",
        )
        self.load_balancer = elbv2.ApplicationLoadBalancer(
            scope,
            "LoadBalancer",
            vpc=self.vpc,
            internet_facing=True,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            security_group=self.security_group,
            drop_invalid_header_fields=True,
        )
        self._log_access(scope, config.access_log_days, keep)
        if certificate_arn:
            listener = self.load_balancer.add_listener(
                "HttpsListener",
                port=443,
                protocol=elbv2.ApplicationProtocol.HTTPS,
                certificates=[elbv2.ListenerCertificate.from_arn(certificate_arn)],
                open=True,
            )
            self.load_balancer.add_redirect(source_port=80, target_port=443)
        else:
            listener = self.load_balancer.add_listener(
                "HttpListener", port=80, protocol=elbv2.ApplicationProtocol.HTTP, open=True
            )
        self.target_group = listener.add_targets(
            "Site",
            targets=[targets.LambdaTarget(self.function)],
            # Off by default for Lambda targets; on, the ALB's own view feeds the unhealthy alarm.
            health_check=elbv2.HealthCheck(
                enabled=True, path="/health", interval=cdk.Duration.seconds(35), healthy_http_codes="200"
            ),
        )
        self._alarms(scope, config.alarm_email)

    def _log_access(self, scope: Construct, retention_days: int, keep: cdk.RemovalPolicy) -> None:
        bucket = s3.Bucket(
            scope,
            "AccessLogBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,  # ALB log delivery supports only SSE-S3
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
        # The stack has a concrete region, so CDK writes the region's log delivery principal itself.
        self.load_balancer.log_access_logs(bucket, ALB_LOG_PREFIX)

    def _alarms(self, scope: Construct, email: str | None) -> None:
        alerts = AlertTopic(
            scope,
            "Alerts",
            display_name="multi-region-failover alarms",
            email=email,
        )
        self.alert_topic = alerts.topic
        notify_when_above(
            scope,
            "Target5xxAlarm",
            metric=self.load_balancer.metrics.http_code_target(
                elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=ALARM_PERIOD, statistic=cloudwatch.Stats.SUM
            ),
            topic=alerts.topic,
            description="The region's function answered 5XX through the load balancer (503s from /health count)",
        )
        notify_when_above(
            scope,
            "UnhealthyTargetAlarm",
            metric=self.target_group.metrics.unhealthy_host_count(
                period=ALARM_PERIOD, statistic=cloudwatch.Stats.MAXIMUM
            ),
            topic=alerts.topic,
            description="The load balancer sees this region's function as unhealthy (down switch on, or failing)",
        )
