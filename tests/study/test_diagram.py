"""make diagram: the committed pages are the templates' diagrams, and the diagrams say what the templates say."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scripts import generated_blocks
from scripts.study import diagram
from scripts.study.cfn import matches
from scripts.study.cross_stack import StackReference, stack_references
from scripts.study.graph import Drawing, build
from stacks.labs import LABS, Lab, lab_named
from tests.harness import SynthesizedStage


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_committed_guide_holds_the_diagrams_of_the_current_templates(
    lab: Lab, sandbox: SynthesizedStage, prod: SynthesizedStage
) -> None:
    # Only the generated block is compared: the guide's hand-written text is not the diagram's business.
    stages = {stage.name: stage for stage in (sandbox, prod)}
    expected = diagram.block(lab, lambda stage, stack_id: stages[stage].template_json(stack_id))
    path = diagram.path_of(lab)
    committed = generated_blocks.read(path.read_text(), diagram.BLOCK, where=lab.guide_page)
    assert committed == expected, f"{path.name} does not match the {lab.stack_id} templates: run make diagram"


def edges(drawing: Drawing) -> set[tuple[str, str, str, bool]]:
    return {(edge.source, edge.target, edge.label, edge.flow) for edge in drawing.edges}


def key_of(drawing: Drawing, name: str) -> str:
    """The node of the resource whose logical ID, less CDK's hash, is `name`."""
    found = [key for key in drawing.nodes if matches(key, name)]
    assert len(found) == 1, (name, found)
    return found[0]


def test_three_tier_shows_the_security_group_chain_routes_and_placement(sandbox: SynthesizedStage) -> None:
    drawing = build("three-tier", sandbox.template_json("ThreeTier"))
    alb_sg, app_sg, db_sg = (
        key_of(drawing, name) for name in ("LoadBalancerSecurityGroup", "AppSecurityGroup", "DatabaseSecurityGroup")
    )
    found = edges(drawing)
    assert ("internet", alb_sg, "tcp 80", True) in found
    assert (alb_sg, app_sg, "tcp 80", True) in found
    assert (app_sg, db_sg, "tcp 3306", True) in found
    nat = key_of(drawing, "VpcPublicSubnet1NatInstance")
    app_subnets = [key for key in drawing.nodes if key.startswith("VpcPrivateAppSubnet")]
    assert {(subnet, nat, "0.0.0.0/0", True) for subnet in app_subnets} <= found
    # Nodes sit in the group of the subnets they name: the NAT instance in one AZ, the DB across the tier.
    assert drawing.groups[drawing.nodes[nat].group or ""].label == "AZ 1"
    database = drawing.nodes[key_of(drawing, "Database")]
    assert database.group is not None
    assert drawing.groups[database.group].label == "PrivateDb subnets (isolated)"
    assert "+ RDS::DBSubnetGroup" in database.lines
    # The isolated subnets route nowhere.
    db_subnets = {key for key in drawing.nodes if key.startswith("VpcPrivateDbSubnet")}
    assert not [edge for edge in drawing.edges if edge.source in db_subnets and edge.flow]


def test_prod_puts_a_nat_gateway_in_each_public_az(prod: SynthesizedStage) -> None:
    drawing = build("three-tier", prod.template_json("ThreeTier"))
    gateways = [node for node in drawing.nodes.values() if node.title == "NAT gateway"]
    assert sorted(drawing.groups[node.group or ""].label for node in gateways) == ["AZ 1", "AZ 2"]
    assert all("+ EC2::EIP" in node.lines for node in gateways)


def test_queue_worker_shows_the_event_source_the_dead_letter_queue_and_the_alarms(
    sandbox: SynthesizedStage,
) -> None:
    drawing = build("queue-worker", sandbox.template_json("QueueWorker"))
    queue, dlq, worker, topic = (
        key_of(drawing, name) for name in ("WorkQueue", "WorkQueueDeadLetterQueue", "Worker", "AlertsTopic")
    )
    found = edges(drawing)
    assert (queue, worker, "event source mapping, batch 10", True) in found
    assert (queue, dlq, "dead letters after 3 receives", True) in found
    alarms = [key for key, node in drawing.nodes.items() if node.title == "CloudWatch alarm"]
    assert len(alarms) == 3
    assert {(alarm, topic, "ALARM", True) for alarm in alarms} <= found
    assert (worker, key_of(drawing, "ReadingsTable"), "TABLE_NAME", False) in found


def test_billing_alarm_budget_notifies_the_topic(sandbox: SynthesizedStage) -> None:
    drawing = build("billing-alarm", sandbox.template_json("BillingAlarm"))
    budget, topic = key_of(drawing, "MonthlyCostBudget"), key_of(drawing, "BillingAlertsTopic")
    assert (budget, topic, "actual > 80%, actual > 100%, forecasted > 100%", True) in edges(drawing)


def test_cdk_plumbing_and_policies_are_in_the_note_not_drawn(sandbox: SynthesizedStage) -> None:
    drawing = build("three-tier", sandbox.template_json("ThreeTier"))
    note = "\n".join(drawing.note)
    for logical_id, resource in sandbox.template_json("ThreeTier")["Resources"].items():
        kind = resource["Type"]
        if (
            kind.startswith("Custom::")
            or kind in ("AWS::IAM::Policy", "AWS::S3::BucketPolicy")
            or logical_id.startswith("Custom")
        ):
            assert logical_id in note
            assert logical_id not in drawing.nodes
    assert "BootstrapVersion" in note


EDGE_KINDS = frozenset(
    {
        "AWS::EC2::Route",
        "AWS::EC2::RouteTable",
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::Lambda::EventSourceMapping",
        "AWS::SNS::Subscription",
    }
)


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_resource_is_a_node_folded_into_one_an_edge_or_in_the_note(
    lab: Lab, each_stage: SynthesizedStage
) -> None:
    for stack_id in lab.stack_ids:
        template = each_stage.template_json(stack_id)
        drawing = build(lab.name, template)
        drawn = set(drawing.nodes) | {child for node in drawing.nodes.values() for child in node.folded}
        written = "\n".join(drawing.note) + "\n".join(group.label for group in drawing.groups.values())
        lost = [
            logical_id
            for logical_id, resource in template["Resources"].items()
            if logical_id not in drawn and logical_id not in written and resource["Type"] not in EDGE_KINDS
        ]
        assert lost == [], stack_id


def test_mermaid_text_is_well_formed(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    for stage in (sandbox, prod):
        for lab, stack_id in [(each, stack_id) for each in LABS for stack_id in each.stack_ids]:
            text = diagram.mermaid(build(lab.name, stage.template_json(stack_id)))
            opened = len(re.findall(r"^\s*subgraph ", text, re.MULTILINE))
            assert opened == len(re.findall(r"^\s*end$", text, re.MULTILINE))
            for line in text.splitlines()[1:]:
                # Each label is quoted once, with Mermaid's entity codes for quotes and angle brackets.
                assert line.count('"') % 2 == 0, line
                labels = [label.replace("<br/>", "") for label in re.findall(r'"([^"]*)"', line)]
                assert not [label for label in labels if set(label) & set("<>|")], line


# -- the flow rules on hand-made templates: the kinds of resources the next labs bring ----------
def template(**resources: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"Resources": {name: {"Type": kind, "Properties": props} for name, (kind, props) in resources.items()}}


def ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def arn(name: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [name, "Arn"]}


def test_a_subscription_with_a_filter_goes_from_topic_to_queue_and_email_to_a_subscriber() -> None:
    drawing = build(
        "fanout",
        template(
            Topic=("AWS::SNS::Topic", {}),
            Queue=("AWS::SQS::Queue", {}),
            ToQueue=(
                "AWS::SNS::Subscription",
                {
                    "TopicArn": ref("Topic"),
                    "Endpoint": arn("Queue"),
                    "Protocol": "sqs",
                    "FilterPolicy": {"event_type": ["order_paid"]},
                    "RawMessageDelivery": True,
                },
            ),
            ToMail=(
                "AWS::SNS::Subscription",
                {"TopicArn": ref("Topic"), "Endpoint": "me@example.com", "Protocol": "email"},
            ),
        ),
    )
    assert edges(drawing) == {
        ("Topic", "Queue", "sqs, filtered, raw", True),
        ("Topic", "subscriber_email", "email", True),
    }
    assert drawing.nodes["subscriber_email"].tier == "external"


def test_bucket_notifications_set_by_cdk_are_drawn_from_bucket_to_function() -> None:
    config = {
        "LambdaFunctionConfigurations": [
            {
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {
                    "Key": {
                        "FilterRules": [{"Name": "prefix", "Value": "images/"}, {"Name": "suffix", "Value": ".jpg"}]
                    }
                },
                "LambdaFunctionArn": arn("Resize"),
            }
        ]
    }
    drawing = build(
        "s3-events",
        template(
            Uploads=("AWS::S3::Bucket", {}),
            Resize=("AWS::Lambda::Function", {}),
            Notifications=(
                "Custom::S3BucketNotifications",
                {"BucketName": ref("Uploads"), "NotificationConfiguration": config},
            ),
        ),
    )
    assert ("Uploads", "Resize", "s3:ObjectCreated:* prefix images/ suffix .jpg", True) in edges(drawing)
    assert "Notifications" not in drawing.nodes


def test_rules_targets_and_invoke_destinations_are_flows() -> None:
    drawing = build(
        "ops-automation",
        template(
            Nightly=(
                "AWS::Events::Rule",
                {"ScheduleExpression": "cron(0 2 * * ? *)", "Targets": [{"Arn": arn("Chore"), "Id": "1"}]},
            ),
            Chore=("AWS::Lambda::Function", {}),
            Failures=("AWS::SQS::Queue", {}),
            Async=(
                "AWS::Lambda::EventInvokeConfig",
                {
                    "FunctionName": ref("Chore"),
                    "Qualifier": "$LATEST",
                    "DestinationConfig": {"OnFailure": {"Destination": arn("Failures")}},
                },
            ),
        ),
    )
    assert ("Nightly", "Chore", "cron(0 2 * * ? *)", True) in edges(drawing)
    assert ("Chore", "Failures", "on failure", True) in edges(drawing)
    assert drawing.nodes["Chore"].lines[-1] == "+ Lambda::EventInvokeConfig"


def test_a_resource_naming_subnets_of_two_tiers_sits_in_the_vpc_and_points_at_each_tier() -> None:
    def subnet(name: str, index: int) -> tuple[str, dict[str, Any]]:
        tags = [{"Key": "aws-cdk:subnet-name", "Value": name}, {"Key": "aws-cdk:subnet-type", "Value": "Isolated"}]
        az = {"Fn::Select": [index, {"Fn::GetAZs": ""}]}
        return (
            "AWS::EC2::Subnet",
            {"VpcId": ref("Vpc"), "Tags": tags, "AvailabilityZone": az, "CidrBlock": f"10.0.{index}.0/24"},
        )

    drawing = build(
        "db-lambda",
        template(
            Vpc=("AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16"}),
            AppSubnet=subnet("App", 0),
            DbSubnet=subnet("Db", 1),
            Endpoint=(
                "AWS::EC2::VPCEndpoint",
                {"VpcId": ref("Vpc"), "SubnetIds": [ref("AppSubnet"), ref("DbSubnet")], "VpcEndpointType": "Interface"},
            ),
        ),
    )
    assert drawing.nodes["Endpoint"].group == "vpc_Vpc"
    assert {("Endpoint", "tier_Vpc_App", "subnets", False), ("Endpoint", "tier_Vpc_Db", "subnets", False)} <= edges(
        drawing
    )
    assert 'n_Endpoint -.->|"subnets"| tier_Vpc_App' in diagram.mermaid(drawing)


def test_a_resource_naming_itself_draws_no_edge() -> None:
    built = build(
        "three-tier", template(Queue=("AWS::SQS::Queue", {"RedrivePolicy": {"deadLetterTargetArn": arn("Queue")}}))
    )
    assert built.edges == []


def test_the_block_says_how_to_read_it_and_holds_one_diagram_per_stage() -> None:
    lab = lab_named("billing-alarm")
    block = diagram.block(lab, lambda stage, stack_id: template(Topic=("AWS::SNS::Topic", {})))
    assert block.startswith("<!-- Written by `make diagram`")
    assert diagram.HOW_TO_READ in block
    assert block.count("```mermaid") == 2
    assert re.findall(r"^### Stage: (\w+)$", block, re.MULTILINE) == ["sandbox", "prod"]


def test_a_lab_of_several_stacks_has_one_diagram_per_stage_with_a_box_per_stack() -> None:
    lab = lab_named("multi-region-failover")
    asked: list[tuple[str, str]] = []

    def template_of(stage: str, stack_id: str) -> dict[str, Any]:
        asked.append((stage, stack_id))
        return template(Topic=("AWS::SNS::Topic", {}))

    regions = {"MultiRegionFailoverPrimary": "eu-central-1", "MultiRegionFailoverSecondary": "us-west-2"}
    block = diagram.block(lab, template_of, lambda stage: {**regions, "MultiRegionFailover": "eu-central-1"})
    assert block.count("```mermaid") == 2
    assert diagram.HOW_TO_READ_STACKS in block
    # The same logical ID in every stack: the prefixes keep the three nodes apart.
    assert re.findall(r"^    (\w+)\[", block, re.MULTILINE)[:3] == [
        "primary_n_Topic",
        "secondary_n_Topic",
        "global_n_Topic",
    ]
    assert re.findall(r'^  subgraph (\w+)\["(.+)"\]$', block, re.MULTILINE)[:3] == [
        ("stack_primary", "eu-central-1 (primary)"),
        ("stack_secondary", "us-west-2 (secondary)"),
        ("stack_global", "global (DNS, eu-central-1)"),
    ]
    assert asked == [(stage, stack_id) for stage in ("sandbox", "prod") for stack_id in lab.stack_ids]


def test_the_failover_diagram_boxes_each_region_and_points_the_dns_records_at_both_albs(
    sandbox: SynthesizedStage, prod: SynthesizedStage
) -> None:
    lab = lab_named("multi-region-failover")
    stages = {stage.name: stage for stage in (sandbox, prod)}
    block = diagram.block(lab, lambda stage, stack_id: stages[stage].template_json(stack_id))
    diagrams = re.findall(r"^```mermaid\n(.*?)^```$", block, re.MULTILINE | re.DOTALL)
    assert len(diagrams) == len(stages)
    for stage, text in zip(stages.values(), diagrams, strict=True):
        boxes = re.findall(r'^  subgraph stack_(\w+)\["(.+)"\]$', text, re.MULTILINE)
        assert boxes == [
            ("primary", "us-east-1 (primary)"),
            ("secondary", "eu-west-1 (secondary)"),
            ("global", "global (DNS, us-east-1)"),
        ]
        primary_alb, secondary_alb = (
            f"{role}_n_{key_of(build(lab.name, stage.template_json(stack_id)), 'LoadBalancer')}"
            for role, stack_id in (("primary", lab.stack_ids[0]), ("secondary", lab.stack_ids[1]))
        )
        dns = build(lab.name, stage.template_json("MultiRegionFailover"))
        record, standby, health_check = (
            f"global_n_{key_of(dns, name)}" for name in ("PrimaryRecord", "SecondaryRecord", "PrimaryHealthCheck")
        )
        assert len(re.findall(r"^\s*subgraph ", text, re.MULTILINE)) == len(re.findall(r"^\s*end$", text, re.MULTILINE))
        # Route 53 reads each ALB's DNS name and zone id through Fn::GetStackOutput: one dotted arrow per record.
        lines = text.splitlines()
        assert f'  {record} -.->|"DNSName, HostedZoneId"| {primary_alb}' in lines
        assert f'  {standby} -.->|"DNSName, HostedZoneId"| {secondary_alb}' in lines
        assert f'  {health_check} -.->|"FullyQualifiedDomainName"| {primary_alb}' in lines


def test_cross_stack_references_resolve_the_output_to_the_resource_that_produces_it() -> None:
    producer = template(Alb=("AWS::ElasticLoadBalancingV2::LoadBalancer", {}))
    producer["Outputs"] = {"AlbDns": {"Value": {"Fn::GetAtt": ["Alb", "DNSName"]}}}
    read = {"Fn::GetStackOutput": {"StackName": "Site", "OutputName": "AlbDns", "Region": "eu-west-1"}}
    elsewhere = {"Fn::GetStackOutput": {"StackName": "NotInTheLab", "OutputName": "X", "Region": "eu-west-1"}}
    consumer = template(
        Record=("AWS::Route53::RecordSet", {"AliasTarget": {"DNSName": {"Fn::Join": ["", ["dualstack.", read]]}}}),
        Other=("AWS::Route53::RecordSet", {"AliasTarget": {"DNSName": elsewhere}}),
    )
    assert stack_references({"Site": producer, "Dns": consumer}) == [
        StackReference("Dns", "Record", "Site", "Alb", "DNSName")
    ]


def test_make_diagram_keeps_the_hand_written_text_of_a_guide(tmp_path: Path) -> None:
    lab = lab_named("billing-alarm")
    page = tmp_path / "docs" / "labs" / "billing-alarm.md"
    page.parent.mkdir(parents=True)
    hand_written = "# A guide\n\nA learner's note, edited by hand.\n\n"
    page.write_text(
        f"{hand_written}{generated_blocks.begin('diagram')}\nold\n{generated_blocks.end('diagram')}\nAfter.\n"
    )
    new = diagram.block(lab, lambda stage, stack_id: template(Topic=("AWS::SNS::Topic", {})))
    assert generated_blocks.rewrite(page, {diagram.BLOCK: new}, root=tmp_path, check=False)
    text = page.read_text()
    assert text.startswith(hand_written)
    assert text.endswith(f"{generated_blocks.end('diagram')}\nAfter.\n")
    assert generated_blocks.read(text, "diagram") == new
