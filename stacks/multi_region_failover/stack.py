"""Lab 11: Route 53 failover between two regions (guide 002 'Route 53', 001 'Black Belt').

Three stacks, deployed in this order (the registry's, stacks/labs.py):
- `PrimaryRegionStack` (primary_region): the region's site (region_site.RegionSite) and the
  DynamoDB global table, with its replica in the secondary region.
- `SecondaryRegionStack` (secondary_region): the same site, using the table's replica.
- `FailoverDnsStack` (primary_region; Route 53 itself is global): the public hosted zone,
  the primary's health check and the failover alias records (dns.FailoverRecords).

Cross-region references: the DNS stack needs each ALB's DNS name and hosted zone id, and
the secondary's live in another region, where CloudFormation exports (Fn::ImportValue) cannot
reach. cdk.json sets "@aws-cdk/core:defaultCrossStackReferences": "weak", so CDK writes such a
reference as Fn::GetStackOutput, which CloudFormation resolves at deploy, across regions, with
no export and no custom resource (https://docs.aws.amazon.com/AWSCloudFormation/latest/
TemplateReference/intrinsic-function-reference-getstackoutput.html). Nothing is looked up at
synth and no deploy needs parameters. The price of a weak reference: a replaced ALB does not
update the DNS stack by itself; deploying the lab's three stacks in order (make deploy) does.
Rejected: `cross_region_references=True` (two custom-resource Lambda functions and SSM
parameters per region pair, more to audit and to leave behind), and template parameters the
sandbox loop would copy from one stack's outputs to the next deploy (a special case in every
deploy path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from stacks.multi_region_failover import names
from stacks.multi_region_failover.config import MultiRegionFailoverConfig
from stacks.multi_region_failover.dns import FailoverRecords
from stacks.multi_region_failover.region_site import RegionSite


class RegionStack(cdk.Stack):
    """One region's site; the subclasses say which region role it plays."""

    role = "primary"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: MultiRegionFailoverConfig,
        protect_data: bool,
        peers: Mapping[str, cdk.Stack],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        del peers  # a region's site needs nothing from the other stacks
        self.keep = cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY
        table = self.visits_table(config, protect_data)
        certificate = config.primary_certificate_arn if self.role == "primary" else config.secondary_certificate_arn
        self.site = RegionSite(
            self, role=self.role, config=config, table=table, certificate_arn=certificate, keep=self.keep
        )
        cdk.CfnOutput(
            self,
            "LoadBalancerDnsName",
            value=self.site.load_balancer.load_balancer_dns_name,
            description=f"The {self.role} region's ALB: curl http://<this>/ answers with the region's name",
        )
        cdk.CfnOutput(
            self,
            "DownParameterName",
            value=self.site.down_switch.parameter_name,
            description="SSM parameter: 'true' makes this region's /health answer 503 (make failover flips it)",
        )
        cdk.CfnOutput(
            self,
            "FunctionLogGroup",
            value=self.site.function.log_group.log_group_name,
            description="The site function's log group (aws logs tail <this> --follow)",
        )

    def visits_table(self, config: MultiRegionFailoverConfig, protect_data: bool) -> dynamodb.ITableV2:
        raise NotImplementedError


class PrimaryRegionStack(RegionStack):
    """The primary (active) region: its site and the global table with a replica in the secondary."""

    role = "primary"

    def visits_table(self, config: MultiRegionFailoverConfig, protect_data: bool) -> dynamodb.ITableV2:
        # A global table (AWS::DynamoDB::GlobalTable): this region's table and a replica that
        # DynamoDB keeps in step asynchronously (usually within a second), so the visit count
        # follows the traffic when Route 53 fails over. Concurrent writes in both regions are
        # resolved "last writer wins": a counter can lose an increment then (a lab, not a bank).
        table = dynamodb.TableV2(
            self,
            "VisitsTable",
            table_name=names.TABLE_NAME,
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            billing=dynamodb.Billing.on_demand(),
            encryption=dynamodb.TableEncryptionV2.aws_managed_key(),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=protect_data,
            removal_policy=self.keep,
            replicas=[dynamodb.ReplicaTableProps(region=config.secondary_region, deletion_protection=protect_data)],
        )
        cdk.CfnOutput(
            self, "TableName", value=table.table_name, description="The visit counter's global table (both regions)"
        )
        return table


class SecondaryRegionStack(RegionStack):
    """The secondary (passive) region: its site, reading and writing the table's local replica."""

    role = "secondary"

    def visits_table(self, config: MultiRegionFailoverConfig, protect_data: bool) -> dynamodb.ITableV2:
        # The replica the primary stack's global table keeps here: same name, this region's ARN.
        return dynamodb.TableV2.from_table_name(self, "VisitsReplica", names.TABLE_NAME)


class FailoverDnsStack(cdk.Stack):
    """The global part: hosted zone, health check on the primary, failover alias records."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: MultiRegionFailoverConfig,
        protect_data: bool,
        peers: Mapping[str, cdk.Stack],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        del protect_data  # a zone holds no data: recreating it from this template restores it
        primary, secondary = peers["primary"], peers["secondary"]
        assert isinstance(primary, RegionStack)
        assert isinstance(secondary, RegionStack)
        records = FailoverRecords(
            self,
            config=config,
            primary=primary.site.load_balancer,
            secondary=secondary.site.load_balancer,
            https=config.primary_certificate_arn is not None,
        )
        # Everything verify and the drill need, in one stack's outputs (the one `lab.stack_id` names).
        outputs = {
            names.OUTPUT_ZONE_ID: (records.zone.hosted_zone_id, "The public hosted zone"),
            names.OUTPUT_NAME_SERVERS: (
                cdk.Fn.join(",", records.zone.hosted_zone_name_servers or []),
                "The zone's own name servers: dig @<one of these> <RecordName> A",
            ),
            names.OUTPUT_RECORD: (config.record_fqdn, "The failover record (PRIMARY and SECONDARY alias A records)"),
            names.OUTPUT_HEALTH_CHECK: (records.health_check.health_check_id, "The primary's Route 53 health check"),
            names.OUTPUT_SCHEME: ("https" if config.primary_certificate_arn else "http", "How the ALBs are asked"),
            names.OUTPUT_PRIMARY_REGION: (config.primary_region, "Region of the primary (active) site"),
            names.OUTPUT_SECONDARY_REGION: (config.secondary_region, "Region of the secondary (passive) site"),
            names.OUTPUT_PRIMARY_ALB: (primary.site.load_balancer.load_balancer_dns_name, "The primary ALB"),
            names.OUTPUT_SECONDARY_ALB: (secondary.site.load_balancer.load_balancer_dns_name, "The secondary ALB"),
            names.OUTPUT_DOWN_PARAMETER: (names.DOWN_PARAMETER, "Each region's down switch (SSM parameter)"),
            names.OUTPUT_TABLE: (names.TABLE_NAME, "The visit counter's global table"),
        }
        for key, (value, description) in outputs.items():
            cdk.CfnOutput(self, key, value=value, description=description)
