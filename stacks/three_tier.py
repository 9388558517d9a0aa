"""Lab 1: VPC with ALB -> EC2 Auto Scaling -> RDS MySQL (guide 002 "VPC", 001 3-tier, 003, 004)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import region_info
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.guide_address_plan import GuideAddressPlan
from stacks.components.log_retention import log_retention
from stacks.components.public_subnet_acl import PublicSubnetAcl
from stacks.config import THREE_TIER_AZ_COUNT, ThreeTierConfig

# Subnet groups and the third octet of their first /24 (the guide's diagram: 1/2, 11/12, 21/22).
PUBLIC = "Public"
PRIVATE_APP = "PrivateApp"
PRIVATE_DB = "PrivateDb"
GUIDE_GROUP_OCTETS = {PUBLIC: 1, PRIVATE_APP: 11, PRIVATE_DB: 21}

WEB_PORT = 80
# The guide's MySQL port. Moving it would hide nothing: only the app security group
# may reach it, and a port scan from the internet cannot reach the isolated subnets.
DB_PORT = 3306
DB_ADMIN_USER = "admin"
# The guide's scheduled scaling (002 "Scheduled Scaling"): up at 08:00 and down at 20:00
# India Standard Time, Monday to Friday. Change the time zone to your own.
SCHEDULE_TIME_ZONE = "Asia/Kolkata"
ALB_LOG_PREFIX = "alb"
ROOT_VOLUME_GIB = 8  # the AL2023 AMI's own root size
SECRET_ROTATION_DAYS = 30

# User data: a web server that names the instance, read through IMDSv2 (a session
# token first), unlike the guide's IMDSv1 `curl http://169.254.169.254/...`.
WEB_SERVER_COMMANDS = [
    "set -euo pipefail",
    "dnf install -y httpd",
    'TOKEN=$(curl -sS -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
    'imds() { curl -sS -H "X-aws-ec2-metadata-token: ${TOKEN}" "http://169.254.169.254/latest/meta-data/$1"; }',
    "INSTANCE_ID=$(imds instance-id)",
    "AZ=$(imds placement/availability-zone)",
    "PRIVATE_IP=$(imds local-ipv4)",
    "cat > /var/www/html/index.html <<EOF",
    "<!doctype html><title>CloudOps CDK Labs: three-tier</title>",
    "<h1>Hello from ${INSTANCE_ID}</h1>",
    "<p>Availability Zone ${AZ}, private address ${PRIVATE_IP}, behind the Application Load Balancer.</p>",
    "EOF",
    "systemctl enable --now httpd",
]


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
        self._config = config
        self._protect_data = protect_data
        # Stateful resources: RETAIN in prod, DESTROY in the sandbox.
        self._keep_or_destroy = cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY

        self.address_plan = GuideAddressPlan(config.vpc_cidr, group_octets=GUIDE_GROUP_OCTETS)
        self.vpc = self._network()
        self.alb_security_group, self.app_security_group, self.db_security_group = self._security_groups()
        self.database = self._database()
        self.web_servers = self._web_servers()
        self.load_balancer = self._load_balancer()

        scheme = "https" if config.certificate_arn else "http"
        cdk.CfnOutput(
            self,
            "SiteUrl",
            value=f"{scheme}://{self.load_balancer.load_balancer_dns_name}",
            description="Open this in a browser: each reload may name another instance",
        )
        cdk.CfnOutput(self, "DatabaseEndpoint", value=self.database.db_instance_endpoint_address)
        cdk.CfnOutput(
            self,
            "DatabaseSecretArn",
            value=self.database_secret.secret_arn,
            description="Secrets Manager secret holding the DB admin user and password",
        )

    # -- Network: the guide's VPC diagram ---------------------------------------------
    def _network(self) -> ec2.Vpc:
        config = self._config
        nat_provider: ec2.NatProvider
        if config.nat_type == "instance":
            assert config.nat_instance_type is not None  # config.check_together guarantees it
            nat_type = ec2.InstanceType(config.nat_instance_type)
            # NatProvider.instance_v2 (current AL2023 from its public SSM parameter; no AMI
            # lookup) instead of a NAT gateway: about 7 USD a month with its public IPv4
            # instead of about 37 (scripts/cost_three_tier.py). OUTBOUND_ONLY: the default
            # would open the NAT to the whole internet; _harden_nat_instances admits the app subnets.
            nat_provider = ec2.NatProvider.instance_v2(
                instance_type=nat_type,
                machine_image=_amazon_linux_2023(nat_type),
                default_allowed_traffic=ec2.NatTrafficDirection.OUTBOUND_ONLY,
            )
        else:
            # One NAT gateway with an Elastic IP per AZ (nat_count 2): an AZ outage does
            # not cut the other AZ's app subnets off the internet.
            nat_provider = ec2.NatProvider.gateway()

        vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=self.address_plan,
            max_azs=THREE_TIER_AZ_COUNT,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            nat_gateway_provider=nat_provider,
            nat_gateways=config.nat_count,
            subnet_configuration=[
                ec2.SubnetConfiguration(name=PUBLIC, subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
                ec2.SubnetConfiguration(name=PRIVATE_APP, subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=24),
                # Isolated: no route to a NAT or the internet gateway at all.
                ec2.SubnetConfiguration(name=PRIVATE_DB, subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24),
            ],
            # Empties the default security group (a CDK custom resource): nothing should use it.
            restrict_default_security_group=True,
        )
        app_subnets = ec2.SubnetSelection(subnet_group_name=PRIVATE_APP)
        # Gateway endpoints are free and keep S3 (including the AL2023 package
        # repositories) and DynamoDB traffic off the NAT.
        vpc.add_gateway_endpoint("S3Endpoint", service=ec2.GatewayVpcEndpointAwsService.S3, subnets=[app_subnets])
        vpc.add_gateway_endpoint(
            "DynamoDbEndpoint", service=ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets=[app_subnets]
        )

        flow_log_group = logs.LogGroup(
            self,
            "FlowLogGroup",
            retention=log_retention(self._config.log_retention_days),
            removal_policy=self._keep_or_destroy,
        )
        vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_log_group),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )

        PublicSubnetAcl(self, "PublicSubnetAcl", vpc=vpc, subnets=ec2.SubnetSelection(subnet_group_name=PUBLIC))

        if isinstance(nat_provider, ec2.NatInstanceProviderV2):
            self._harden_nat_instances(nat_provider)
        return vpc

    def _harden_nat_instances(self, nat_provider: ec2.NatInstanceProviderV2) -> None:
        """What NatInstanceProviderV2 leaves open: who may use the NAT, IMDSv1, an unencrypted root."""
        # Only the app subnets may send traffic through the NAT, and only HTTPS (package
        # repositories and the Session Manager / Secrets Manager APIs).
        for cidr in self.address_plan.cidrs_for(PRIVATE_APP, THREE_TIER_AZ_COUNT):
            nat_provider.connections.allow_from(
                ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), f"HTTPS from the app subnet {cidr} to the internet"
            )
        for instance in nat_provider.gateway_instances:
            cdk.Aspects.of(instance).add(ec2.InstanceRequireImdsv2Aspect())
            cfn_instance = instance.node.default_child
            assert isinstance(cfn_instance, ec2.CfnInstance)
            cfn_instance.block_device_mappings = [
                ec2.CfnInstance.BlockDeviceMappingProperty(
                    device_name="/dev/xvda",
                    ebs=ec2.CfnInstance.EbsProperty(
                        encrypted=True, volume_type="gp3", volume_size=ROOT_VOLUME_GIB, delete_on_termination=True
                    ),
                )
            ]
            acknowledge(
                instance,
                "AwsSolutions-EC28",
                "The sandbox's single NAT instance needs no 1-minute detailed monitoring "
                "(an extra 2 USD a month on a 3 USD instance); 5-minute basic metrics suffice for a lab.",
            )
            acknowledge(
                instance,
                "AwsSolutions-EC29",
                "The sandbox NAT instance must go away with cdk destroy; termination protection "
                "would block that, and losing it only pauses outbound traffic until redeploy.",
            )

    def _security_groups(self) -> tuple[ec2.SecurityGroup, ec2.SecurityGroup, ec2.SecurityGroup]:
        """ALB (80/443 from anywhere) -> app (web port from the ALB group) -> DB (3306 from the app group)."""
        alb_sg = ec2.SecurityGroup(
            self,
            "LoadBalancerSecurityGroup",
            vpc=self.vpc,
            description="Internet-facing ALB: HTTP/HTTPS from anywhere, out only to the app servers",
            allow_all_outbound=False,
        )
        acknowledge(
            alb_sg,
            "AwsSolutions-EC23",
            "This is the public website's internet-facing load balancer: it must accept HTTP and "
            "HTTPS from any address; every other tier only admits the group in front of it.",
        )
        app_sg = ec2.SecurityGroup(
            self,
            "AppSecurityGroup",
            vpc=self.vpc,
            description="Web servers: web port from the ALB group only; no SSH (Session Manager instead)",
            allow_all_outbound=False,
        )
        # HTTPS out: package repositories and the SSM / Secrets Manager APIs (via the NAT or the S3 endpoint).
        app_sg.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to AWS APIs and package repositories")
        db_sg = ec2.SecurityGroup(
            self,
            "DatabaseSecurityGroup",
            vpc=self.vpc,
            description="MySQL: port 3306 from the app group only",
            allow_all_outbound=False,
        )
        db_sg.add_ingress_rule(app_sg, ec2.Port.tcp(DB_PORT), "MySQL from the app servers")
        app_sg.add_egress_rule(db_sg, ec2.Port.tcp(DB_PORT), "MySQL to the database")
        return alb_sg, app_sg, db_sg

    # -- Data tier ----------------------------------------------------------------------
    def _database(self) -> rds.DatabaseInstance:
        config = self._config
        database = rds.DatabaseInstance(
            self,
            "Database",
            # MySQL 8.4 (the current LTS) at the newest minor this CDK release knows. A CDK
            # upgrade moves it; in between, auto minor upgrades keep the instance patched
            # (CloudFormation leaves an unchanged EngineVersion alone). The major version
            # alone ("8.4") is valid for RDS but not for CloudFormation's schema check.
            engine=rds.DatabaseInstanceEngine.mysql(version=rds.MysqlEngineVersion.VER_8_4_10),
            instance_type=ec2.InstanceType(config.db_instance_type),
            vpc=self.vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_group_name=PRIVATE_DB),
            security_groups=[self.db_security_group],
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
            delete_automated_backups=not self._protect_data,
            deletion_protection=self._protect_data,
            removal_policy=cdk.RemovalPolicy.SNAPSHOT if self._protect_data else cdk.RemovalPolicy.DESTROY,
        )
        # `database.secret` is the secret's attachment to the instance (it adds the host and
        # port); the Secret resource itself is the construct's "Secret" child.
        secret = database.secret
        generated_secret = database.node.find_child("Secret")
        assert secret is not None
        assert isinstance(generated_secret, secretsmanager.Secret)
        self.database_secret = secret
        # Prod keeps the secret too: a restored snapshot still has this password.
        generated_secret.apply_removal_policy(self._keep_or_destroy)
        # Secrets Manager's hosted rotation Lambda (the service creates it at deploy) runs in
        # the app subnets with its own group: HTTPS out to the Secrets Manager API, MySQL to the DB.
        rotation_sg = ec2.SecurityGroup(
            self,
            "SecretRotationSecurityGroup",
            vpc=self.vpc,
            description="Secret rotation function: HTTPS to Secrets Manager, MySQL to the database",
            allow_all_outbound=False,
        )
        rotation_sg.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to the Secrets Manager API")
        rotation_sg.add_egress_rule(self.db_security_group, ec2.Port.tcp(DB_PORT), "MySQL to the database")
        self.db_security_group.add_ingress_rule(rotation_sg, ec2.Port.tcp(DB_PORT), "MySQL from the secret rotation")
        secret.add_rotation_schedule(
            "Rotation",
            hosted_rotation=secretsmanager.HostedRotation.mysql_single_user(
                vpc=self.vpc,
                vpc_subnets=ec2.SubnetSelection(subnet_group_name=PRIVATE_APP),
                security_groups=[rotation_sg],
            ),
            automatically_after=cdk.Duration.days(SECRET_ROTATION_DAYS),
        )

        if not config.db_multi_az:
            acknowledge(
                database,
                "AwsSolutions-RDS3",
                "Sandbox stage only: a single-AZ instance halves the lab's DB cost; the prod stage "
                "sets db_multi_az true, with a standby in the second AZ as in the guide's diagram.",
            )
        if not self._protect_data:
            acknowledge(
                database,
                "AwsSolutions-RDS10",
                "Sandbox stage only: cdk destroy must delete the lab database; deletion protection "
                "would block it. The prod stage turns deletion protection on.",
            )
        acknowledge(
            database,
            "AwsSolutions-RDS11",
            "The guide's MySQL port 3306 is kept so the lab matches it; the database sits in "
            "isolated subnets and only the app and rotation security groups may reach that port.",
        )
        return database

    # -- App tier -----------------------------------------------------------------------
    def _web_servers(self) -> autoscaling.AutoScalingGroup:
        config = self._config
        instance_type = ec2.InstanceType(config.instance_type)
        # Session Manager instead of SSH and a bastion: no open port 22, no key pairs to
        # leak or rotate, IAM decides who may connect, and CloudTrail records each session.
        role = iam.Role(
            self,
            "WebServerRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description="Web servers: Session Manager access only",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMManagedInstanceCore")],
        )
        acknowledge(
            role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]",
            "AmazonSSMManagedInstanceCore is AWS's maintained minimum for Session Manager, the "
            "lab's replacement for SSH; a hand-copied policy would drift from the agent's needs.",
        )
        user_data = ec2.UserData.for_linux()
        user_data.add_commands(*WEB_SERVER_COMMANDS)
        launch_template = ec2.LaunchTemplate(
            self,
            "WebServerTemplate",
            instance_type=instance_type,
            machine_image=_amazon_linux_2023(instance_type),
            role=role,
            security_group=self.app_security_group,
            user_data=user_data,
            require_imdsv2=True,
            http_put_response_hop_limit=1,
            block_devices=[
                ec2.BlockDevice(
                    device_name="/dev/xvda",
                    volume=ec2.BlockDeviceVolume.ebs(
                        ROOT_VOLUME_GIB,
                        encrypted=True,
                        volume_type=ec2.EbsDeviceVolumeType.GP3,
                        delete_on_termination=True,
                    ),
                )
            ],
        )
        group = autoscaling.AutoScalingGroup(
            self,
            "WebServers",
            vpc=self.vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_group_name=PRIVATE_APP),
            launch_template=launch_template,
            min_capacity=config.asg_min_capacity,
            max_capacity=config.asg_max_capacity,
            # ELB health checks: an instance whose web server stops answering is replaced,
            # not only one whose EC2 status checks fail.
            health_checks=autoscaling.HealthChecks.with_additional_checks(
                additional_types=[autoscaling.AdditionalHealthCheckType.ELB],
                grace_period=cdk.Duration.minutes(5),
            ),
            cooldown=cdk.Duration.minutes(5),
            default_instance_warmup=cdk.Duration.minutes(3),
            # A changed launch template replaces instances a batch at a time.
            update_policy=autoscaling.UpdatePolicy.rolling_update(),
        )
        # The guide's "most common" policy: keep average CPU near the target.
        group.scale_on_cpu_utilization("CpuTargetTracking", target_utilization_percent=config.target_cpu_percent)
        if config.scheduled_scaling:
            group.scale_on_schedule(
                "ScaleUpWeekdayMornings",
                schedule=autoscaling.Schedule.cron(week_day="MON-FRI", hour="8", minute="0"),
                time_zone=SCHEDULE_TIME_ZONE,
                min_capacity=config.busy_min_capacity,
            )
            group.scale_on_schedule(
                "ScaleDownWeekdayEvenings",
                schedule=autoscaling.Schedule.cron(week_day="MON-FRI", hour="20", minute="0"),
                time_zone=SCHEDULE_TIME_ZONE,
                min_capacity=config.asg_min_capacity,
            )
        acknowledge(
            group,
            "AwsSolutions-AS3",
            "The lab has no operator on call to receive scaling notifications; every launch and "
            "termination is listed in the group's activity history, which the README shows.",
        )
        return group

    # -- Web tier -----------------------------------------------------------------------
    def _load_balancer(self) -> elbv2.ApplicationLoadBalancer:
        config = self._config
        alb = elbv2.ApplicationLoadBalancer(
            self,
            "LoadBalancer",
            vpc=self.vpc,
            internet_facing=True,
            vpc_subnets=ec2.SubnetSelection(subnet_group_name=PUBLIC),
            security_group=self.alb_security_group,
            drop_invalid_header_fields=True,
        )
        self._log_access(alb)

        if config.certificate_arn:
            listener = alb.add_listener(
                "HttpsListener",
                port=443,
                protocol=elbv2.ApplicationProtocol.HTTPS,
                # No ssl_policy: the usePostQuantumTlsPolicy feature flag picks AWS's current
                # recommended TLS 1.2/1.3 policy.
                certificates=[elbv2.ListenerCertificate.from_arn(config.certificate_arn)],
                open=True,
            )
            alb.add_redirect(source_port=80, target_port=443)
        else:
            # No certificate configured: HTTP only (the README says so and how to add one).
            listener = alb.add_listener("HttpListener", port=80, protocol=elbv2.ApplicationProtocol.HTTP, open=True)
        listener.add_targets(
            "WebServers",
            port=WEB_PORT,
            protocol=elbv2.ApplicationProtocol.HTTP,
            targets=[self.web_servers],
            health_check=elbv2.HealthCheck(
                path="/", healthy_http_codes="200", interval=cdk.Duration.seconds(30), healthy_threshold_count=2
            ),
            deregistration_delay=cdk.Duration.seconds(30),
        )
        return alb

    def _log_access(self, alb: elbv2.ApplicationLoadBalancer) -> None:
        """Access logs to an SSE-S3, TLS-only bucket (ALB log delivery supports only SSE-S3)."""
        bucket = s3.Bucket(
            self,
            "AccessLogBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(self._config.log_retention_days))],
            removal_policy=self._keep_or_destroy,
            auto_delete_objects=not self._protect_data,
        )
        acknowledge(
            bucket,
            "AwsSolutions-S1",
            "This bucket holds only the ALB's access logs; logging access to a log bucket needs "
            "yet another bucket and repeats the question, so its own access is left to CloudTrail.",
        )
        # alb.log_access_logs() needs a concrete region and this stack is environment-agnostic,
        # so the policy is written here, for every region. See _elb_log_writers.
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowAlbLogDelivery",
                principals=self._elb_log_writers(),
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{ALB_LOG_PREFIX}/AWSLogs/{cdk.Aws.ACCOUNT_ID}/*")],
            )
        )
        alb.set_attribute("access_logs.s3.enabled", "true")
        alb.set_attribute("access_logs.s3.bucket", bucket.bucket_name)
        alb.set_attribute("access_logs.s3.prefix", ALB_LOG_PREFIX)
        # The ALB checks that it may write when logging is switched on: policy first.
        assert bucket.policy is not None
        alb.node.add_dependency(bucket.policy)

    def _elb_log_writers(self) -> list[iam.IPrincipal]:
        """Who writes ALB access logs: it depends on the region, known only at deploy time.

        Regions older than August 2022 (us-east-1, ap-south-1 ...) deliver from a per-region
        ELB account; newer ones from the log delivery service principal. The account comes
        from a mapping of CDK's region facts; where a region has none, the condition drops it.
        """
        accounts = cdk.CfnMapping(
            self,
            "ElbLogDeliveryAccounts",
            mapping={
                region.name: {"account": region.elbv2_account or "none"} for region in region_info.RegionInfo.regions
            },
        )
        account = accounts.find_in_map(cdk.Aws.REGION, "account")
        has_account = cdk.CfnCondition(
            self,
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


def _amazon_linux_2023(instance_type: ec2.InstanceType) -> ec2.IMachineImage:
    """Current AL2023 from AWS's public SSM parameter, for the instance type's CPU (no AMI lookup)."""
    cpu = (
        ec2.AmazonLinuxCpuType.ARM_64
        if instance_type.architecture == ec2.InstanceArchitecture.ARM_64
        else ec2.AmazonLinuxCpuType.X86_64
    )
    return ec2.MachineImage.latest_amazon_linux2023(cpu_type=cpu)
