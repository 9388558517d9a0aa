"""Lab 1: VPC with ALB -> EC2 Auto Scaling -> RDS MySQL (guide 002 "VPC", 001 3-tier, 003, 004)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from stacks.three_tier.app_tier import AppTier
from stacks.three_tier.config import ThreeTierConfig
from stacks.three_tier.data_tier import DataTier
from stacks.three_tier.network import Network
from stacks.three_tier.security_groups import TierSecurityGroups
from stacks.three_tier.web_tier import WebTier


class ThreeTierStack(cdk.Stack):
    """The guide's three-tier VPC: internet -> ALB (public) -> EC2 Auto Scaling (private-app) -> RDS (private-db).

    Secure defaults: security groups chained by reference (ALB -> app -> DB), no SSH
    anywhere (Session Manager instead of a bastion), IMDSv2 only, encrypted EBS, RDS
    and log bucket, TLS-only bucket policy, DB in isolated subnets with generated and
    rotated credentials, VPC flow logs with explicit retention.

    `protect_data` is the stage switch: False (sandbox) destroys everything on
    `cdk destroy`; True (prod) keeps the database (final snapshot, deletion
    protection), its secret, the access-log bucket and the flow logs.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: ThreeTierConfig,
        protect_data: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # Stateful resources: RETAIN in prod, DESTROY in the sandbox.
        keep = cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY

        self.network = Network(self, config=config, keep=keep)
        vpc = self.network.vpc
        self.security_groups = TierSecurityGroups(self, vpc=vpc)
        self.data_tier = DataTier(
            self, config=config, vpc=vpc, security_group=self.security_groups.database, protect_data=protect_data
        )
        self.app_tier = AppTier(self, config=config, vpc=vpc, security_group=self.security_groups.app)
        self.web_tier = WebTier(
            self,
            config=config,
            vpc=vpc,
            security_group=self.security_groups.load_balancer,
            targets=self.app_tier.group,
            keep=keep,
        )

        scheme = "https" if config.certificate_arn else "http"
        cdk.CfnOutput(
            self,
            "SiteUrl",
            value=f"{scheme}://{self.web_tier.load_balancer.load_balancer_dns_name}",
            description="Open this in a browser: each reload may name another instance",
        )
        cdk.CfnOutput(
            self,
            "DatabaseEndpoint",
            value=self.data_tier.database.db_instance_endpoint_address,
            description="MySQL host name, reachable only from the app servers (port 3306)",
        )
        cdk.CfnOutput(
            self,
            "DatabaseSecretArn",
            value=self.data_tier.secret.secret_arn,
            description="Secrets Manager secret that RDS manages and rotates: the DB admin user and password",
        )
