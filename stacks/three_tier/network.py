"""The guide's VPC: subnets on its address plan, NAT, endpoints, flow logs and the public NACL."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.log_retention import log_retention
from stacks.three_tier.address_plan import GuideAddressPlan
from stacks.three_tier.boot_scripts import NAT_COMMANDS
from stacks.three_tier.config import AZ_COUNT, ROOT_VOLUME_GIB, ThreeTierConfig
from stacks.three_tier.public_subnet_acl import PublicSubnetAcl

# Subnet groups and the third octet of their first /24 (the guide's diagram: 1/2, 11/12, 21/22).
PUBLIC = "Public"
PRIVATE_APP = "PrivateApp"
PRIVATE_DB = "PrivateDb"
GUIDE_GROUP_OCTETS = {PUBLIC: 1, PRIVATE_APP: 11, PRIVATE_DB: 21}
# How long CloudFormation waits for a NAT instance to report that it forwards (ISO 8601).
NAT_READY_TIMEOUT = "PT15M"


class Network:
    """VPC 10.0.0.0/16 in 2 AZs with the guide's public / private-app / private-db /24s.

    - Internet gateway for the public subnets; the app subnets reach the internet through
      one hardened NAT instance (`nat_type` "instance") or a NAT gateway with an Elastic IP
      per AZ ("gateway"); the DB subnets are isolated (no route out at all).
    - Free gateway endpoints for S3 and DynamoDB on the app route tables.
    - Flow logs of all traffic to a log group with explicit retention (`keep` decides
      whether it outlives the stack).
    - The guide's NACL table on the public subnets; the default security group emptied.
    - A NAT instance boots with a retrying, self-checking script and CloudFormation waits
      for its signal, so a NAT that does not forward fails the deploy (boot_scripts.py).

    A building block of ThreeTierStack, not a Construct: it adds its resources to `scope`
    directly, so their construct paths, and so their logical IDs, are those they had
    when the stack was one class (a test pins them).
    """

    def __init__(self, scope: Construct, *, config: ThreeTierConfig, keep: cdk.RemovalPolicy) -> None:
        self.address_plan = GuideAddressPlan(config.vpc_cidr, group_octets=GUIDE_GROUP_OCTETS)
        nat_provider = _nat_provider(config)
        self.vpc = ec2.Vpc(
            scope,
            "Vpc",
            ip_addresses=self.address_plan,
            max_azs=AZ_COUNT,
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
        self.vpc.add_gateway_endpoint("S3Endpoint", service=ec2.GatewayVpcEndpointAwsService.S3, subnets=[app_subnets])
        self.vpc.add_gateway_endpoint(
            "DynamoDbEndpoint", service=ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets=[app_subnets]
        )

        flow_log_group = logs.LogGroup(
            scope, "FlowLogGroup", retention=log_retention(config.log_retention_days), removal_policy=keep
        )
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_log_group),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )

        PublicSubnetAcl(scope, "PublicSubnetAcl", vpc=self.vpc, subnets=ec2.SubnetSelection(subnet_group_name=PUBLIC))

        if isinstance(nat_provider, ec2.NatInstanceProviderV2):
            self._harden_nat_instances(nat_provider)
            self._wait_for_forwarding(nat_provider)

    def _harden_nat_instances(self, nat_provider: ec2.NatInstanceProviderV2) -> None:
        """What NatInstanceProviderV2 leaves open: who may use the NAT, IMDSv1, an unencrypted root."""
        # Only the app subnets may send traffic through the NAT, and only HTTPS (package
        # repositories and the Session Manager / Secrets Manager APIs).
        for cidr in self.address_plan.cidrs_for(PRIVATE_APP, AZ_COUNT):
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

    def _wait_for_forwarding(self, nat_provider: ec2.NatInstanceProviderV2) -> None:
        """CloudFormation waits until each NAT instance reports that it forwards (boot_scripts.NAT_COMMANDS)."""
        for instance in nat_provider.gateway_instances:
            instance.user_data.add_signal_on_exit_command(instance)
            cfn_instance = instance.node.default_child
            assert isinstance(cfn_instance, ec2.CfnInstance)
            cfn_instance.cfn_options.creation_policy = cdk.CfnCreationPolicy(
                resource_signal=cdk.CfnResourceSignal(count=1, timeout=NAT_READY_TIMEOUT)
            )


def _nat_provider(config: ThreeTierConfig) -> ec2.NatProvider:
    if config.nat_type == "instance":
        assert config.nat_instance_type is not None  # the config's cross-field check guarantees it
        nat_type = ec2.InstanceType(config.nat_instance_type)
        # NatProvider.instance_v2 (current AL2023 from its public SSM parameter; no AMI
        # lookup) instead of a NAT gateway: about 7 USD a month with its public IPv4
        # instead of about 37 (python -m scripts.cost). OUTBOUND_ONLY: the default
        # would open the NAT to the whole internet; _harden_nat_instances admits the app subnets.
        # Our own user data instead of CDK's single, unchecked `yum install` (boot_scripts.py).
        user_data = ec2.UserData.for_linux()
        user_data.add_commands(*NAT_COMMANDS)
        return ec2.NatProvider.instance_v2(
            instance_type=nat_type,
            machine_image=amazon_linux_2023(nat_type),
            default_allowed_traffic=ec2.NatTrafficDirection.OUTBOUND_ONLY,
            user_data=user_data,
        )
    # One NAT gateway with an Elastic IP per AZ (nat_count 2): an AZ outage does
    # not cut the other AZ's app subnets off the internet.
    return ec2.NatProvider.gateway()


def amazon_linux_2023(instance_type: ec2.InstanceType) -> ec2.IMachineImage:
    """Current AL2023 from AWS's public SSM parameter, for the instance type's CPU (no AMI lookup)."""
    cpu = (
        ec2.AmazonLinuxCpuType.ARM_64
        if instance_type.architecture == ec2.InstanceArchitecture.ARM_64
        else ec2.AmazonLinuxCpuType.X86_64
    )
    return ec2.MachineImage.latest_amazon_linux2023(cpu_type=cpu)
