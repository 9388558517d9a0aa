"""Lab 10: Lambda -> IAM role -> Secrets Manager -> RDS MySQL (guide 000 v2, 002's pymysql handler)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.log_retention import log_retention
from stacks.components.python_function import ARCHITECTURE, RUNTIME, python_function
from stacks.db_lambda.config import DbLambdaConfig
from stacks.db_lambda.database import DB_NAME, Database
from stacks.db_lambda.network import DB_PORT, Network
from stacks.db_lambda.pymysql_layer import CA_BUNDLE_NAME, pymysql_layer

HANDLER = "db_lambda.handler.lambda_handler"


class DbLambdaStack(cdk.Stack):
    """Lambda in isolated subnets -> Secrets Manager (interface endpoint) -> RDS MySQL, no NAT.

    Builds:
    - `Network`: a VPC with two isolated subnets only (no internet gateway, no NAT), a
      Secrets Manager interface endpoint with private DNS, flow logs, and security groups
      chained by reference: function -> endpoint (443), function -> database or proxy (3306).
    - `Database`: RDS MySQL 8.4, encrypted, private, with an RDS-managed master secret
      (RDS rotates it; no rotation function); RDS Proxy in front when `rds_proxy` is set.
    - `Function`: Python 3.14 arm64 in the isolated subnets with the pymysql layer (built
      without Docker) and the Powertools layer, its own log group with retention, and a
      role that may read that one secret, write that one log group and manage its ENIs.
    Outputs: FunctionName, DbInstanceId, DbSecretArn, DbEndpoint, FunctionLogGroup,
    SecretsManagerEndpointId (and DbProxyName with the proxy): what verify and the README use.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DbLambdaConfig,
        protect_data: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        network = Network(self, config=config)
        database = Database(self, config=config, network=network, protect_data=protect_data)
        if database.proxy is not None:
            proxy_group = database.proxy.connections.security_groups[0]
            assert isinstance(proxy_group, cdk.aws_ec2.SecurityGroup)
            network.allow_mysql(network.function, "the function", proxy_group, "the proxy")
        else:
            network.allow_mysql(network.function, "the function", network.database, "the database")

        function = self._function(config, network, database)
        # Read that one secret (GetSecretValue, DescribeSecret), nothing else in Secrets Manager.
        database.secret.grant_read(function)

        outputs = {
            "FunctionName": (function.function_name, "The function: aws lambda invoke it with an action event"),
            "FunctionLogGroup": (function.log_group.log_group_name, "The function's log group (JSON lines)"),
            "DbInstanceId": (database.instance.instance_identifier, "The RDS MySQL instance's identifier"),
            "DbSecretArn": (database.secret.secret_arn, "The secret RDS manages for the master user"),
            "DbEndpoint": (database.endpoint, "What the function connects to: the proxy, or the instance"),
            "SecretsManagerEndpointId": (
                network.secrets_manager_endpoint.vpc_endpoint_id,
                "The Secrets Manager interface endpoint the function reaches it through (no NAT)",
            ),
        }
        if database.proxy is not None:
            outputs["DbProxyName"] = (database.proxy.db_proxy_name, "RDS Proxy in front of the database")
        for name, (value, description) in outputs.items():
            cdk.CfnOutput(self, name, value=value, description=description)

    def _function(self, config: DbLambdaConfig, network: Network, database: Database) -> lambda_.Function:
        built = python_function(
            self,
            log_group_id="FunctionLogs",
            role_id="FunctionRole",
            function_id="Function",
            package="db_lambda",
            handler=HANDLER,
            role_description="DB Lambda: its ENIs in the VPC, its log group, the database's secret",
            log_retention=log_retention(config.log_retention_days),
            timeout=cdk.Duration.seconds(config.function_timeout_seconds),
            memory_size=config.function_memory_mb,
            layers=[pymysql_layer(self, "PyMySQLLayer", runtime=RUNTIME, architecture=ARCHITECTURE)],
            vpc=network.vpc,
            vpc_subnets=network.subnets,
            security_groups=[network.function],
            # No X-Ray: the isolated subnets have no route to it (see the acknowledgment below).
            tracing=lambda_.Tracing.DISABLED,
            environment={
                "DB_HOST": database.endpoint,
                "DB_PORT": str(DB_PORT),
                "DB_NAME": DB_NAME,
                "DB_SECRET_ARN": database.secret.secret_arn,
                # The RDS CA bundle in the pymysql layer (Lambda unpacks layers into /opt): the
                # function verifies the certificate and name of the instance (RDS CA) or of RDS
                # Proxy (an ACM certificate under the Amazon roots, also in the bundle), in every stage.
                "DB_CA_FILE": f"/opt/{CA_BUNDLE_NAME}",
                "POWERTOOLS_SERVICE_NAME": "db-lambda",
                "POWERTOOLS_LOG_LEVEL": "INFO",
            },
        )
        function, role = built.function, built.role
        # Lambda creates and deletes the function's network interfaces in the VPC with this role
        # (what the managed AWSLambdaVPCAccessExecutionRole grants, without its logs:* on every group).
        # https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
        for statement in network_interface_statements():
            role.add_to_principal_policy(statement)
        self._acknowledge(function)
        return function

    @staticmethod
    def _acknowledge(function: lambda_.Function) -> None:
        """cdk-nag findings that do not apply here, each on the one resource it names."""
        assert function.role is not None
        acknowledge(
            function.role.node.find_child("DefaultPolicy"),
            "AwsSolutions-IAM5[Resource::*]",
            "DescribeNetworkInterfaces and DescribeSubnets take no resource. The four interface writes do, but "
            "Lambda makes its interfaces at deploy time under IDs unknown at synth, and AWS's Lambda guide "
            "warns that a DeleteNetworkInterface not on all resource IDs can cut the function off its VPC; "
            "so they keep AWSLambdaVPCAccessExecutionRole's *, which lets the role change any interface in "
            "the account and region.",
        )
        cfn_function = function.node.default_child
        assert cfn_function is not None
        acknowledge(
            cfn_function,
            "Serverless-LambdaDLQ",
            "The function is only invoked synchronously (aws lambda invoke, the verify step); a "
            "dead-letter queue serves asynchronous invocations only, and callers see every error.",
        )
        acknowledge(
            cfn_function,
            "Serverless-LambdaTracing",
            "X-Ray would need its own interface endpoint in these isolated subnets (about 15 USD a "
            "month for two AZs) or a NAT; the lab has neither on purpose, and logs carry each request.",
        )


def network_interface_statements() -> list[iam.PolicyStatement]:
    """The network-interface permissions Lambda's VPC access needs, as AWS's Lambda guide lists them.

    The guide: DescribeNetworkInterfaces "only works if it's allowed on all resources", and
    without all resource IDs for DeleteNetworkInterface "your function may not be able to access
    the VPC" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html). The Hyperplane
    interfaces get their IDs when Lambda creates them, and this repository cannot check a
    narrower policy (a VPC or subnet condition) against Lambda's interface management without a
    deployment, so the writes stay on * as in AWSLambdaVPCAccessExecutionRole.
    """
    return [
        iam.PolicyStatement(
            sid="DescribeTakesNoResource",
            actions=["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
            resources=["*"],
        ),
        iam.PolicyStatement(
            sid="LambdaManagesTheFunctionsInterfaces",
            actions=[
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ],
            resources=["*"],
        ),
    ]
