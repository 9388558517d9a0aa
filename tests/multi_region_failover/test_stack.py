"""Multi-region-failover lab: the issue's infrastructure bullets, one assertion each, in both stages."""

from __future__ import annotations

from typing import Any

import pytest

from stacks.labs import lab_named
from stacks.multi_region_failover import names
from tests.harness import SynthesizedStage, resources_of_type

LAB = lab_named("multi-region-failover")
PRIMARY_STACK, SECONDARY_STACK, DNS_STACK = LAB.stack_ids
REGIONAL = (PRIMARY_STACK, SECONDARY_STACK)


def only(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    props: dict[str, Any] = next(iter(found.values()))["Properties"]
    return props


def records(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Failover role -> the record set's properties."""
    return {
        r["Properties"]["Failover"]: r["Properties"]
        for r in resources_of_type(template, "AWS::Route53::RecordSet").values()
    }


# --- The registry and the regions ----------------------------------------------------------------
def test_three_stacks_in_deploy_order_each_in_its_configured_region(each_stage: SynthesizedStage) -> None:
    assert LAB.stack_ids == ("MultiRegionFailoverPrimary", "MultiRegionFailoverSecondary", "MultiRegionFailover")
    regions = {stack_id: each_stage.stacks[stack_id].region for stack_id in LAB.stack_ids}
    assert regions == {PRIMARY_STACK: "us-east-1", SECONDARY_STACK: "eu-west-1", DNS_STACK: "us-east-1"}
    dependencies = {
        s.node.id: sorted(d.node.id for d in s.dependencies) for s in map(each_stage.stacks.get, LAB.stack_ids) if s
    }
    assert dependencies == {PRIMARY_STACK: [], SECONDARY_STACK: [PRIMARY_STACK], DNS_STACK: sorted(REGIONAL)}


# --- Each region ----------------------------------------------------------------------------------
@pytest.mark.parametrize("stack_id", REGIONAL)
def test_a_small_public_vpc_without_nat(stack_id: str, each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(stack_id)
    subnets = resources_of_type(template, "AWS::EC2::Subnet").values()
    assert len(subnets) == 2
    assert all(subnet["Properties"]["MapPublicIpOnLaunch"] is True for subnet in subnets)
    assert resources_of_type(template, "AWS::EC2::NatGateway") == {}
    assert resources_of_type(template, "AWS::EC2::Instance") == {}


@pytest.mark.parametrize("stack_id", REGIONAL)
def test_an_internet_facing_alb_on_http_with_access_logs(stack_id: str, each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(stack_id)
    alb = only(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    assert alb["Scheme"] == "internet-facing"
    attributes = {a["Key"]: a["Value"] for a in alb["LoadBalancerAttributes"]}
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    listener = only(template, "AWS::ElasticLoadBalancingV2::Listener")
    assert (listener["Port"], listener["Protocol"]) == (80, "HTTP")


@pytest.mark.parametrize("stack_id", REGIONAL)
def test_https_with_a_certificate(stack_id: str, all_options: SynthesizedStage) -> None:
    listeners = resources_of_type(all_options.template_json(stack_id), "AWS::ElasticLoadBalancingV2::Listener")
    by_port = {one["Properties"]["Port"]: one["Properties"] for one in listeners.values()}
    assert by_port[443]["Protocol"] == "HTTPS"
    assert by_port[80]["DefaultActions"][0]["Type"] == "redirect"


@pytest.mark.parametrize("stack_id", REGIONAL)
def test_a_python_314_arm64_lambda_target_reading_the_down_switch(stack_id: str, each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(stack_id)
    (function,) = [
        f["Properties"]
        for lid, f in resources_of_type(template, "AWS::Lambda::Function").items()
        if lid.startswith("SiteFunction")
    ]
    assert (function["Runtime"], function["Architectures"]) == ("python3.14", ["arm64"])
    environment = function["Environment"]["Variables"]
    assert environment["DOWN_PARAMETER"] == names.DOWN_PARAMETER
    # The primary names its own table (a Ref, which is the table's name); the secondary its replica.
    tables = list(resources_of_type(template, "AWS::DynamoDB::GlobalTable"))
    assert environment["TABLE_NAME"] == ({"Ref": tables[0]} if tables else names.TABLE_NAME)
    switch = only(template, "AWS::SSM::Parameter")
    assert (switch["Name"], switch["Value"]) == (names.DOWN_PARAMETER, "false")
    group = only(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert group["TargetType"] == "lambda"
    assert (group["HealthCheckEnabled"], group["HealthCheckPath"]) == (True, "/health")


@pytest.mark.parametrize("stack_id", REGIONAL)
def test_the_function_may_read_its_switch_and_count_in_its_regions_table_only(
    stack_id: str, sandbox: SynthesizedStage
) -> None:
    template = sandbox.template_json(stack_id)
    (policy,) = [
        p for lid, p in resources_of_type(template, "AWS::IAM::Policy").items() if lid.startswith("SiteFunctionRole")
    ]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    by_action = {str(s["Action"]): s["Resource"] for s in statements}
    assert set(by_action) >= {"ssm:GetParameter", "['dynamodb:GetItem', 'dynamodb:UpdateItem']"}
    table_arn = by_action["['dynamodb:GetItem', 'dynamodb:UpdateItem']"]
    if stack_id == PRIMARY_STACK:
        assert table_arn == {
            "Fn::GetAtt": [next(iter(resources_of_type(template, "AWS::DynamoDB::GlobalTable"))), "Arn"]
        }
    else:
        assert "eu-west-1" in str(table_arn)
        assert names.TABLE_NAME in str(table_arn)


@pytest.mark.parametrize("stack_id", REGIONAL)
def test_alarms_on_target_5xx_and_unhealthy_notify_the_regions_alert_topic(
    stack_id: str, each_stage: SynthesizedStage
) -> None:
    template = each_stage.template_json(stack_id)
    alarms = {
        a["Properties"]["MetricName"]: a["Properties"]
        for a in resources_of_type(template, "AWS::CloudWatch::Alarm").values()
    }
    assert set(alarms) == {"HTTPCode_Target_5XX_Count", "UnHealthyHostCount"}
    (topic_id,) = resources_of_type(template, "AWS::SNS::Topic")
    assert all(alarm["AlarmActions"] == [{"Ref": topic_id}] for alarm in alarms.values())


# --- Data -------------------------------------------------------------------------------------------
def test_a_global_table_with_its_replica_in_the_secondary_region(each_stage: SynthesizedStage) -> None:
    table = only(each_stage.template_json(PRIMARY_STACK), "AWS::DynamoDB::GlobalTable")
    assert table["TableName"] == names.TABLE_NAME
    assert sorted(replica["Region"] for replica in table["Replicas"]) == ["eu-west-1", "us-east-1"]
    assert resources_of_type(each_stage.template_json(SECONDARY_STACK), "AWS::DynamoDB::GlobalTable") == {}


def test_prod_protects_the_table_and_the_sandbox_destroys_it(each_stage: SynthesizedStage) -> None:
    (resource,) = resources_of_type(each_stage.template_json(PRIMARY_STACK), "AWS::DynamoDB::GlobalTable").values()
    protect = each_stage.config.protect_data
    assert resource["DeletionPolicy"] == ("Retain" if protect else "Delete")
    assert all(r.get("DeletionProtectionEnabled", False) is protect for r in resource["Properties"]["Replicas"])


# --- DNS ------------------------------------------------------------------------------------------
def test_a_public_hosted_zone_for_the_configured_name(each_stage: SynthesizedStage) -> None:
    zone = only(each_stage.template_json(DNS_STACK), "AWS::Route53::HostedZone")
    assert zone["Name"] == "failover-lab.example.com."


def test_the_primary_health_check_is_the_guides(each_stage: SynthesizedStage) -> None:
    config = only(each_stage.template_json(DNS_STACK), "AWS::Route53::HealthCheck")["HealthCheckConfig"]
    assert config["Type"] == "HTTP"
    assert (config["Port"], config["ResourcePath"]) == (80, "/health")
    assert (config["RequestInterval"], config["FailureThreshold"]) == (30, 3)
    # The primary ALB's DNS name, read from its stack at deploy (same region, still a weak reference).
    reference = config["FullyQualifiedDomainName"]["Fn::GetStackOutput"]
    assert (reference["StackName"], reference["Region"]) == (PRIMARY_STACK, "us-east-1")


def test_https_health_check_with_a_certificate(all_options: SynthesizedStage) -> None:
    config = only(all_options.template_json(DNS_STACK), "AWS::Route53::HealthCheck")["HealthCheckConfig"]
    assert (config["Type"], config["Port"]) == ("HTTPS", 443)


def test_failover_alias_records_primary_with_the_health_check_secondary_without(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(DNS_STACK)
    found = records(template)
    assert set(found) == {"PRIMARY", "SECONDARY"}
    (health_check_id,) = resources_of_type(template, "AWS::Route53::HealthCheck")
    assert found["PRIMARY"]["HealthCheckId"] == {"Ref": health_check_id}
    assert "HealthCheckId" not in found["SECONDARY"]
    for role, stack_id, region in (
        ("PRIMARY", PRIMARY_STACK, "us-east-1"),
        ("SECONDARY", SECONDARY_STACK, "eu-west-1"),
    ):
        record = found[role]
        assert (record["Name"], record["Type"]) == ("www.failover-lab.example.com.", "A")
        assert "TTL" not in record  # an alias answers with its target's TTL
        target = record["AliasTarget"]
        assert target["EvaluateTargetHealth"] is True
        # The alias names the region's own ALB, read across regions at deploy (no custom resource).
        for reference in (target["HostedZoneId"], target["DNSName"]["Fn::Join"][1][1]):
            assert reference["Fn::GetStackOutput"]["StackName"] == stack_id
            assert reference["Fn::GetStackOutput"]["Region"] == region


def test_no_custom_resource_carries_the_cross_region_references(each_stage: SynthesizedStage) -> None:
    for stack_id in LAB.stack_ids:
        types = {r["Type"] for r in each_stage.template_json(stack_id)["Resources"].values()}
        assert not any("CrossRegion" in kind for kind in types), stack_id


def test_the_dns_stack_outputs_what_verify_and_the_drill_read(each_stage: SynthesizedStage) -> None:
    outputs = each_stage.template_json(DNS_STACK)["Outputs"]
    wanted = [value for key, value in vars(names).items() if key.startswith("OUTPUT_")]
    assert sorted(set(wanted) - set(outputs)) == []
    assert outputs[names.OUTPUT_PRIMARY_REGION]["Value"] == "us-east-1"
    assert outputs[names.OUTPUT_RECORD]["Value"] == "www.failover-lab.example.com"
