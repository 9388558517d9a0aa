"""The data tier: RDS MySQL in the isolated DB subnets."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.three_tier.config import ThreeTierConfig
from stacks.three_tier.network import PRIVATE_DB
from stacks.three_tier.security_groups import DB_PORT

DB_ADMIN_USER = "admin"


class DataTier:
    """RDS MySQL 8.4: encrypted gp3, not public, RDS-managed credentials in Secrets Manager.

    Multi-AZ when configured; `protect_data` (prod) adds deletion protection, keeps the
    automated backups and takes a final snapshot on delete. A building
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
            # RDS-managed master credentials: RDS creates the secret and rotates it itself (every
            # 7 days), so no rotation function and no Secrets Manager transform. The hosted
            # rotation it replaces deploys a python3.10 function (aws-cdk #37462), a runtime
            # Lambda stops creating on 2027-02-01.
            manage_master_user_password=True,
            credentials=rds.Credentials.from_username(DB_ADMIN_USER),
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
        # The secret RDS made (its ARN is a GetAtt of the instance). RDS deletes it with the
        # instance; a snapshot restored later gets a new one.
        assert self.database.secret is not None
        self.secret = self.database.secret
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
            "isolated subnets and only the app servers' security group may reach that port.",
        )
