"""The guide's network ACL for public subnets, made to work with its stateless nature."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from stacks.components.acknowledge import acknowledge

# Ephemeral (client) ports. Linux uses 32768-60999, Windows 49152-65535, the NAT
# gateway and ELB 1024-65535: the guide's 1024-65535 covers them all.
EPHEMERAL_PORTS = (1024, 65535)


class PublicSubnetAcl(Construct):
    """Network ACL on the public subnets, after guide 002's NACL table.

    A NACL is stateless: a reply is a separate packet that must be allowed on its
    own, in the other direction. The guide lists only inbound rules; a custom NACL
    denies everything not listed, so outbound rules are added here or nothing works.

    Inbound (the guide's rules, same numbers):
    - 100 TCP 80 from anywhere: HTTP to the ALB, and the app subnets' HTTP the NAT forwards.
    - 110 TCP 443 from anywhere: HTTPS to the ALB, and the app subnets' HTTPS the NAT forwards.
    - 120 TCP 1024-65535 from anywhere: replies to connections that the ALB (to its
      targets), the NAT (to the internet) and the NAT instance opened.
    - 130 ICMP type 3 code 4 from anywhere: "fragmentation needed", so path MTU
      discovery works between 9001-byte VPC frames and 1500-byte internet paths.
    - The guide's rule 200 (SSH 22 from 1.2.3.4/32) is left out on purpose: nothing
      in this lab listens on 22 (Session Manager replaces SSH), so it would only be an
      open door in the table.
    - "*" deny all: implicit in every NACL.

    Outbound:
    - 100 TCP 80 and 110 TCP 443 to anywhere: the ALB to its targets (port 80) and
      the NAT to the internet.
    - 120 TCP 1024-65535 to anywhere: the ALB's replies to clients and the NAT's
      replies back to the app instances.

    Security groups remain the real access control; the NACL is the guide's second
    layer and a study aid. Traffic to the Amazon DNS resolver, instance metadata and
    the Time Sync Service is never filtered by a NACL.
    """

    def __init__(self, scope: Construct, construct_id: str, *, vpc: ec2.IVpc, subnets: ec2.SubnetSelection) -> None:
        super().__init__(scope, construct_id)

        self.acl = ec2.NetworkAcl(self, "Acl", vpc=vpc, subnet_selection=subnets)
        anywhere = ec2.AclCidr.any_ipv4()
        ephemeral = ec2.AclTraffic.tcp_port_range(*EPHEMERAL_PORTS)
        rules: list[tuple[str, int, ec2.AclTraffic, ec2.TrafficDirection]] = [
            ("InboundHttp", 100, ec2.AclTraffic.tcp_port(80), ec2.TrafficDirection.INGRESS),
            ("InboundHttps", 110, ec2.AclTraffic.tcp_port(443), ec2.TrafficDirection.INGRESS),
            ("InboundEphemeral", 120, ephemeral, ec2.TrafficDirection.INGRESS),
            ("InboundPathMtu", 130, ec2.AclTraffic.icmp(type=3, code=4), ec2.TrafficDirection.INGRESS),
            ("OutboundHttp", 100, ec2.AclTraffic.tcp_port(80), ec2.TrafficDirection.EGRESS),
            ("OutboundHttps", 110, ec2.AclTraffic.tcp_port(443), ec2.TrafficDirection.EGRESS),
            ("OutboundEphemeral", 120, ephemeral, ec2.TrafficDirection.EGRESS),
        ]
        for entry_id, number, traffic, direction in rules:
            self.acl.add_entry(
                entry_id,
                rule_number=number,
                cidr=anywhere,
                traffic=traffic,
                direction=direction,
                rule_action=ec2.Action.ALLOW,
            )
        acknowledge(
            self.acl,
            "AwsSolutions-VPC3",
            "The guide teaches NACLs next to security groups, so the lab reproduces its public "
            "subnet table as a study aid; the security groups stay the real access control.",
        )
