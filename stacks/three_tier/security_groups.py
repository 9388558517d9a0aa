"""The guide's security-group chain: internet -> ALB -> app servers -> database, by reference."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from stacks.components.acknowledge import acknowledge

WEB_PORT = 80
# The guide's MySQL port. Moving it would hide nothing: only the app security group
# may reach it, and a port scan from the internet cannot reach the isolated subnets.
DB_PORT = 3306


class TierSecurityGroups:
    """ALB (80/443 from anywhere) -> app (web port from the ALB group) -> DB (3306 from the app group).

    Every rule names the group in front of it, never a CIDR; no group allows SSH
    (Session Manager replaces the guide's bastion). A building block of
    ThreeTierStack that adds its groups to `scope` itself (see network.Network).
    """

    def __init__(self, scope: Construct, *, vpc: ec2.IVpc) -> None:
        self.load_balancer = ec2.SecurityGroup(
            scope,
            "LoadBalancerSecurityGroup",
            vpc=vpc,
            description="Internet-facing ALB: HTTP/HTTPS from anywhere, out only to the app servers",
            allow_all_outbound=False,
        )
        acknowledge(
            self.load_balancer,
            "AwsSolutions-EC23",
            "This is the public website's internet-facing load balancer: its listeners open port 80 to any "
            "address, and 443 too when certificate_arn is set (80 then only redirects to HTTPS); every other "
            "tier only admits the group in front of it.",
        )
        self.app = ec2.SecurityGroup(
            scope,
            "AppSecurityGroup",
            vpc=vpc,
            description="Web servers: web port from the ALB group only; no SSH (Session Manager instead)",
            allow_all_outbound=False,
        )
        # HTTPS out: package repositories and the SSM / Secrets Manager APIs (via the NAT or the S3 endpoint).
        self.app.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to AWS APIs and package repositories")
        self.database = ec2.SecurityGroup(
            scope,
            "DatabaseSecurityGroup",
            vpc=vpc,
            description="MySQL: port 3306 from the app group only",
            allow_all_outbound=False,
        )
        self.database.add_ingress_rule(self.app, ec2.Port.tcp(DB_PORT), "MySQL from the app servers")
        self.app.add_egress_rule(self.database, ec2.Port.tcp(DB_PORT), "MySQL to the database")
