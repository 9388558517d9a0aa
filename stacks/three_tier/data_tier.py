"""The data tier: RDS MySQL in the isolated DB subnets."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.three_tier.config import ThreeTierConfig
from stacks.three_tier.network import PRIVATE_APP, PRIVATE_DB
from stacks.three_tier.security_groups import DB_PORT

DB_ADMIN_USER = "admin"
SECRET_ROTATION_DAYS = 30


class DataTier:
    """RDS MySQL 8.4: encrypted gp3, not public, generated credentials in Secrets Manager.

    Multi-AZ when configured; `protect_data` (prod) adds deletion protection, keeps the
    automated backups, takes a final snapshot on delete and keeps the secret. A building
    block of ThreeTierStack that adds its resources to `scope` itself (see network.Network).
    """

    def __init__(
        self,
        scope: Construct,
        *,
        config: ThreeTierConfig,
        vpc: ec2.IVpc,
        security_group: ec2.SecurityGroup,
        protect_data: bool,
    ) -> None:
        self.database = rds.DatabaseInstance(
            scope,
            "Database",
            # MySQL 8.4 (the current LTS) at the newest minor this CDK release knows. A CDK
            # upgrade moves it; in between, auto minor upgrades keep the instance patched
            # (CloudFormation leaves an unchanged EngineVersion alone). The major version
            # alone ("8.4") is valid for RDS but not for CloudFormation's schema check.
            engine=rds.DatabaseInstanceEngine.mysql(version=rds.MysqlEngineVersion.VER_8_4_10),
            instance_type=ec2.InstanceType(config.db_instance_type),
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_group_name=PRIVATE_DB),
            security_groups=[security_group],
            port=DB_PORT,
            credentials=rds.Credentials.from_generated_secret(DB_ADMIN_USER),
            multi_az=config.db_multi_az,
            allocated_storage=config.db_allocated_storage_gib,
            storage_type=rds.StorageType.GP3,
            storage_encrypted=True,
            publicly_accessible=False,
            iam_authentication=True,
            auto_minor_version_upgrade=True,
            allow_major_version_upgrade=False,
            backup_retention=cdk.Duration.days(config.db_backup_retention_days),
            # Backups: prod keeps them (and a final snapshot) when the instance goes.
            delete_automated_backups=not protect_data,
            deletion_protection=protect_data,
            removal_policy=cdk.RemovalPolicy.SNAPSHOT if protect_data else cdk.RemovalPolicy.DESTROY,
        )
        # `database.secret` is the secret's attachment to the instance (it adds the host and
        # port); the Secret resource itself is the construct's "Secret" child.
        secret = self.database.secret
        generated_secret = self.database.node.find_child("Secret")
        assert secret is not None
        assert isinstance(generated_secret, secretsmanager.Secret)
        self.secret = secret
        # Prod keeps the secret too: a restored snapshot still has this password.
        generated_secret.apply_removal_policy(cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY)
        # Secrets Manager's hosted rotation Lambda (the service creates it at deploy) runs in
        # the app subnets with its own group: HTTPS out to the Secrets Manager API, MySQL to the DB.
        rotation_sg = ec2.SecurityGroup(
            scope,
            "SecretRotationSecurityGroup",
            vpc=vpc,
            description="Secret rotation function: HTTPS to Secrets Manager, MySQL to the database",
            allow_all_outbound=False,
        )
        rotation_sg.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to the Secrets Manager API")
        rotation_sg.add_egress_rule(security_group, ec2.Port.tcp(DB_PORT), "MySQL to the database")
        security_group.add_ingress_rule(rotation_sg, ec2.Port.tcp(DB_PORT), "MySQL from the secret rotation")
        secret.add_rotation_schedule(
            "Rotation",
            hosted_rotation=secretsmanager.HostedRotation.mysql_single_user(
                vpc=vpc,
                vpc_subnets=ec2.SubnetSelection(subnet_group_name=PRIVATE_APP),
                security_groups=[rotation_sg],
            ),
            automatically_after=cdk.Duration.days(SECRET_ROTATION_DAYS),
        )
        self._acknowledge(config, protect_data)

    def _acknowledge(self, config: ThreeTierConfig, protect_data: bool) -> None:
        if not config.db_multi_az:
            acknowledge(
                self.database,
                "AwsSolutions-RDS3",
                "Sandbox stage only: a single-AZ instance halves the lab's DB cost; the prod stage "
                "sets db_multi_az true, with a standby in the second AZ as in the guide's diagram.",
            )
        if not protect_data:
            acknowledge(
                self.database,
                "AwsSolutions-RDS10",
                "Sandbox stage only: cdk destroy must delete the lab database; deletion protection "
                "would block it. The prod stage turns deletion protection on.",
            )
        acknowledge(
            self.database,
            "AwsSolutions-RDS11",
            "The guide's MySQL port 3306 is kept so the lab matches it; the database sits in "
            "isolated subnets and only the app and rotation security groups may reach that port.",
        )
