"""The lab's network: isolated subnets only, a Secrets Manager endpoint, and the security-group chain."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct

from stacks.components.log_retention import log_retention
from stacks.db_lambda.config import AZ_COUNT, DbLambdaConfig

ISOLATED = "Isolated"
DB_PORT = 3306  # the guide's MySQL port
HTTPS = 443


class Network:
    """A VPC with nothing but isolated subnets, and the groups that chain function -> endpoint / database.

    - Two isolated /24 subnets (one per AZ): no internet gateway, no NAT, no route out.
      The function reaches Secrets Manager through an interface endpoint with private DNS,
      so the SDK's default endpoint name resolves to the endpoint's private addresses;
      RDS and RDS Proxy are in the VPC already. Lambda itself ships the function's logs.
    - Security groups by reference, none open to a CIDR: the function's group may send
      HTTPS only to the endpoint's group and MySQL only to the database's (or the proxy's)
      group; each of those admits only the group in front of it.
    - Flow logs of all traffic to a log group with retention, removed with the stack.

    A building block of DbLambdaStack that adds its resources to `scope` itself, so their
    construct paths (and logical IDs) are the stack's own.
    """

    def __init__(self, scope: Construct, *, config: DbLambdaConfig) -> None:
        self.vpc = ec2.Vpc(
            scope,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(config.vpc_cidr),
            max_azs=AZ_COUNT,
            nat_gateways=0,
            enable_dns_support=True,
            enable_dns_hostnames=True,  # both needed for the endpoint's private DNS name
            subnet_configuration=[
                ec2.SubnetConfiguration(name=ISOLATED, subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24)
            ],
            # Nothing in the lab uses the default group. Emptying it would take a CDK custom
            # resource whose function logs to a group that outlives `cdk destroy`.
            restrict_default_security_group=False,
        )
        self.subnets = ec2.SubnetSelection(subnet_group_name=ISOLATED)
        flow_logs = logs.LogGroup(
            scope,
            "FlowLogGroup",
            retention=log_retention(config.log_retention_days),
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )

        self.function = self._group(scope, "FunctionSecurityGroup", "The function: HTTPS to the endpoint, MySQL out")
        self.endpoint = self._group(scope, "EndpointSecurityGroup", "Secrets Manager endpoint: HTTPS from the function")
        self.database = self._group(scope, "DatabaseSecurityGroup", "MySQL: 3306 from the function or the proxy only")
        self.endpoint.add_ingress_rule(self.function, ec2.Port.tcp(HTTPS), "HTTPS from the function")
        self.function.add_egress_rule(self.endpoint, ec2.Port.tcp(HTTPS), "HTTPS to the Secrets Manager endpoint")

        self.secrets_manager_endpoint = self.vpc.add_interface_endpoint(
            "SecretsManagerEndpoint",
            service=ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
            private_dns_enabled=True,
            # One interface per AZ in prod. The sandbox's single one serves both AZs: a call from
            # the other AZ crosses zones (0.01 USD/GB), far less than a second interface's hours.
            subnets=ec2.SubnetSelection(subnets=self.vpc.isolated_subnets[: config.endpoint_azs]),
            security_groups=[self.endpoint],
            open=False,  # not the whole VPC's CIDR: only the function's group (rule above)
        )

    @staticmethod
    def allow_mysql(client: ec2.SecurityGroup, client_name: str, server: ec2.SecurityGroup, server_name: str) -> None:
        """MySQL from `client` to `server`: the server's ingress and the client's egress, by reference."""
        server.add_ingress_rule(client, ec2.Port.tcp(DB_PORT), f"MySQL from {client_name}")
        client.add_egress_rule(server, ec2.Port.tcp(DB_PORT), f"MySQL to {server_name}")

    def _group(self, scope: Construct, construct_id: str, description: str) -> ec2.SecurityGroup:
        return ec2.SecurityGroup(scope, construct_id, vpc=self.vpc, description=description, allow_all_outbound=False)
