"""The data tier: RDS MySQL 8.4 with an RDS-managed master secret, and RDS Proxy when configured."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.db_lambda.config import DbLambdaConfig
from stacks.db_lambda.network import DB_PORT, Network

DB_ADMIN_USER = "admin"
DB_NAME = "myapp"  # the guide's database (002: database='myapp')
TAG_KEYS = ("Project", "Stage", "Lab")  # what stacks/app_builder.py tags every resource with


class Database:
    """RDS MySQL 8.4 in the isolated subnets: encrypted gp3, not public, RDS-managed credentials.

    `manage_master_user_password`: RDS creates the master user's secret in Secrets Manager
    and rotates it itself (every 7 days by default), with no rotation function to deploy;
    Secrets Manager's hosted rotation would create a python3.10 function through a transform
    (see STYLE.md). The secret holds only username and password: the function gets the
    host from its environment. `protect_data` (prod) adds deletion protection, keeps the
    automated backups and takes a final snapshot; RDS deletes its secret with the instance.

    With `rds_proxy`, RDS Proxy sits in front (TLS required, the secret read by the proxy's
    own role) and `endpoint` is the proxy's; otherwise it is the instance's.
    """

    def __init__(self, scope: Construct, *, config: DbLambdaConfig, network: Network, protect_data: bool) -> None:
        self.instance = rds.DatabaseInstance(
            scope,
            "Database",
            # MySQL 8.4 (the current LTS) at the newest minor this CDK release knows; auto minor
            # upgrades keep it patched in between (CloudFormation leaves an unchanged version alone).
            engine=rds.DatabaseInstanceEngine.mysql(version=rds.MysqlEngineVersion.VER_8_4_10),
            instance_type=ec2.InstanceType(config.db_instance_type),
            vpc=network.vpc,
            vpc_subnets=network.subnets,
            security_groups=[network.database],
            port=DB_PORT,
            manage_master_user_password=True,
            credentials=rds.Credentials.from_username(DB_ADMIN_USER),
            database_name=DB_NAME,
            multi_az=config.db_multi_az,
            allocated_storage=config.db_allocated_storage_gib,
            storage_type=rds.StorageType.GP3,
            storage_encrypted=True,
            publicly_accessible=False,
            auto_minor_version_upgrade=True,
            allow_major_version_upgrade=False,
            backup_retention=cdk.Duration.days(config.db_backup_retention_days),
            delete_automated_backups=not protect_data,
            deletion_protection=protect_data,
            removal_policy=cdk.RemovalPolicy.SNAPSHOT if protect_data else cdk.RemovalPolicy.DESTROY,
        )
        secret = self.instance.secret
        assert secret is not None, "manage_master_user_password gives the instance its secret"
        self.secret: secretsmanager.ISecret = secret
        self.proxy: rds.DatabaseProxy | None = None
        self.endpoint = self.instance.db_instance_endpoint_address
        if config.rds_proxy:
            self.proxy = self._proxy(scope, network)
            self.endpoint = self.proxy.endpoint
        self._acknowledge(config, protect_data)

    def _proxy(self, scope: Construct, network: Network) -> rds.DatabaseProxy:
        proxy_group = ec2.SecurityGroup(
            scope,
            "ProxySecurityGroup",
            vpc=network.vpc,
            description="RDS Proxy: MySQL from the function, MySQL to the database",
            allow_all_outbound=False,
        )
        # ProxyTarget.from_instance adds the proxy -> database MySQL rule pair itself (by reference);
        # a second, identical rule would fail the deploy (EC2 rejects duplicate permissions).
        proxy = rds.DatabaseProxy(
            scope,
            "Proxy",
            proxy_target=rds.ProxyTarget.from_instance(self.instance),
            secrets=[self.secret],
            vpc=network.vpc,
            vpc_subnets=network.subnets,
            security_groups=[proxy_group],
            require_tls=True,
            # The client side as MySQL 8.4 authenticates: pymysql does caching_sha2_password over TLS.
            client_password_auth_type=rds.ClientPasswordAuthType.MYSQL_CACHING_SHA2_PASSWORD,
            debug_logging=False,  # it would log the SQL text, user data included
        )
        # CDK treats the target group as taggable, but AWS::RDS::DBProxyTargetGroup has no Tags
        # property: the app's tags would make the template invalid. The proxy itself is tagged.
        for key in TAG_KEYS:
            cdk.Tags.of(proxy.node.find_child("ProxyTargetGroup")).remove(key)
        return proxy

    def _acknowledge(self, config: DbLambdaConfig, protect_data: bool) -> None:
        if not config.db_multi_az:
            acknowledge(
                self.instance,
                "AwsSolutions-RDS3",
                "Sandbox stage only: a single-AZ instance halves the lab's DB cost; the prod stage "
                "sets db_multi_az true, with a standby in the second AZ.",
            )
        if not protect_data:
            acknowledge(
                self.instance,
                "AwsSolutions-RDS10",
                "Sandbox stage only: cdk destroy must delete the lab database; deletion protection "
                "would block it. The prod stage turns deletion protection on.",
            )
        acknowledge(
            self.instance,
            "AwsSolutions-RDS11",
            "The guide's MySQL port 3306 is kept so the lab matches it; the database sits in "
            "isolated subnets and only the function's or the proxy's security group may reach that port.",
        )
