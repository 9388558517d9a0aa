"""Lab 1, three-tier: the guide's network, tiers and stage behaviour, read from the synthesized templates."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stacks.three_tier.config import ThreeTierConfig
from tests.harness import SynthesizedStage, resources_of_type

STACK = "ThreeTier"
GUIDE_CIDRS = {
    ("Public", 0): "10.0.1.0/24",
    ("Public", 1): "10.0.2.0/24",
    ("PrivateApp", 0): "10.0.11.0/24",
    ("PrivateApp", 1): "10.0.12.0/24",
    ("PrivateDb", 0): "10.0.21.0/24",
    ("PrivateDb", 1): "10.0.22.0/24",
}
# A changed logical id makes CloudFormation replace the resource: a new VPC, an empty database.
PINNED_LOGICAL_IDS = {
    "Vpc8378EB38": "AWS::EC2::VPC",
    "DatabaseB269D8BB": "AWS::RDS::DBInstance",
    "AccessLogBucketDA470295": "AWS::S3::Bucket",
}
STATEFUL_TYPES = ("AWS::RDS::DBInstance", "AWS::S3::Bucket", "AWS::Logs::LogGroup")
KEEPING_POLICIES = {"Retain", "RetainExceptOnCreate", "Snapshot"}
SSM_CORE = "AmazonSSMManagedInstanceCore"


# ---------------------------------------------------------------------------
# Helpers: read the template by role, not by generated name.
# ---------------------------------------------------------------------------
def tj(stage: SynthesizedStage) -> dict[str, Any]:
    return stage.template_json(STACK)


def ref(logical_id: str) -> dict[str, str]:
    return {"Ref": logical_id}


def group_id(logical_id: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [logical_id, "GroupId"]}


def tag(resource: dict[str, Any], key: str) -> str | None:
    return next((t["Value"] for t in resource["Properties"].get("Tags", []) if t["Key"] == key), None)


def subnets(template: dict[str, Any], group: str) -> dict[int, str]:
    """AZ index -> subnet logical id, for one subnet group."""
    found = {}
    for logical_id, subnet in resources_of_type(template, "AWS::EC2::Subnet").items():
        if tag(subnet, "aws-cdk:subnet-name") == group:
            az_index = subnet["Properties"]["AvailabilityZone"]["Fn::Select"][0]
            found[az_index] = logical_id
    return found


def route_table_of(template: dict[str, Any], subnet_id: str) -> str:
    (table,) = [
        assoc["Properties"]["RouteTableId"]["Ref"]
        for assoc in resources_of_type(template, "AWS::EC2::SubnetRouteTableAssociation").values()
        if assoc["Properties"]["SubnetId"] == ref(subnet_id)
    ]
    return table


def routes_of(template: dict[str, Any], table_id: str) -> list[dict[str, Any]]:
    return [
        route["Properties"]
        for route in resources_of_type(template, "AWS::EC2::Route").values()
        if route["Properties"]["RouteTableId"] == ref(table_id)
    ]


def only(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    (item,) = resources_of_type(template, resource_type).items()
    return item


def security_group(template: dict[str, Any], description_start: str) -> str:
    (logical_id,) = [
        logical_id
        for logical_id, sg in resources_of_type(template, "AWS::EC2::SecurityGroup").items()
        if sg["Properties"]["GroupDescription"].startswith(description_start)
    ]
    return logical_id


def ingress_rules(template: dict[str, Any], sg_id: str) -> list[dict[str, Any]]:
    """Inline and standalone ingress rules of one security group."""
    inline = template["Resources"][sg_id]["Properties"].get("SecurityGroupIngress", [])
    standalone = [
        rule["Properties"]
        for rule in resources_of_type(template, "AWS::EC2::SecurityGroupIngress").values()
        if rule["Properties"]["GroupId"] == group_id(sg_id)
    ]
    return [*inline, *standalone]


def port_triple(rule: dict[str, Any]) -> tuple[str, int, int]:
    return (rule["IpProtocol"], rule["FromPort"], rule["ToPort"])


def web_launch_template(template: dict[str, Any]) -> dict[str, Any]:
    """The web servers' launch template (the sandbox NAT instance has its own, for IMDSv2)."""
    (launch_template,) = [
        resource
        for logical_id, resource in resources_of_type(template, "AWS::EC2::LaunchTemplate").items()
        if logical_id.startswith("WebServerTemplate")
    ]
    return launch_template


def script_text(user_data_base64: Any) -> str:
    """A user data script as text; the tokens CloudFormation fills in (the region) as <Ref>."""
    data = user_data_base64["Fn::Base64"]
    if isinstance(data, str):
        return data
    return "".join(part if isinstance(part, str) else f"<{part['Ref']}>" for part in data["Fn::Join"][1])


def is_provider_log_group(resource: dict[str, Any]) -> bool:
    name = resource["Properties"].get("LogGroupName")
    return isinstance(name, dict) and name.get("Fn::Join", [None, [None]])[1][0] == "/aws/lambda/"


def user_data(stage: SynthesizedStage) -> str:
    template = web_launch_template(tj(stage))
    return script_text(template["Properties"]["LaunchTemplateData"]["UserData"])


# ---------------------------------------------------------------------------
# Network: the guide's diagram
# ---------------------------------------------------------------------------
def test_vpc_uses_the_guide_range_with_dns(each_stage: SynthesizedStage) -> None:
    _, vpc = only(tj(each_stage), "AWS::EC2::VPC")

    assert vpc["Properties"]["CidrBlock"] == "10.0.0.0/16"
    assert vpc["Properties"]["EnableDnsSupport"] is True
    assert vpc["Properties"]["EnableDnsHostnames"] is True


def test_subnets_follow_the_guide_address_plan_per_tier_and_az(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    found = {
        (group, az_index): template["Resources"][subnet_id]["Properties"]["CidrBlock"]
        for group in ("Public", "PrivateApp", "PrivateDb")
        for az_index, subnet_id in subnets(template, group).items()
    }

    assert found == GUIDE_CIDRS
    assert len(resources_of_type(template, "AWS::EC2::Subnet")) == 6


def test_public_route_tables_send_default_route_to_the_internet_gateway(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    igw_id, _ = only(template, "AWS::EC2::InternetGateway")

    for subnet_id in subnets(template, "Public").values():
        routes = routes_of(template, route_table_of(template, subnet_id))
        assert routes == [
            {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": ref(igw_id), "RouteTableId": routes[0]["RouteTableId"]}
        ]


def test_prod_app_subnets_route_to_the_nat_gateway_in_their_own_az(prod: SynthesizedStage) -> None:
    template = tj(prod)
    public = subnets(template, "Public")
    nat_by_subnet = {
        nat["Properties"]["SubnetId"]["Ref"]: logical_id
        for logical_id, nat in resources_of_type(template, "AWS::EC2::NatGateway").items()
    }
    assert len(nat_by_subnet) == 2

    for az_index, app_subnet in subnets(template, "PrivateApp").items():
        (default_route,) = routes_of(template, route_table_of(template, app_subnet))
        assert default_route["DestinationCidrBlock"] == "0.0.0.0/0"
        assert default_route["NatGatewayId"] == ref(nat_by_subnet[public[az_index]])


def test_prod_nat_gateways_each_have_an_elastic_ip(prod: SynthesizedStage) -> None:
    template = tj(prod)
    eips = resources_of_type(template, "AWS::EC2::EIP")

    allocations = [
        n["Properties"]["AllocationId"] for n in resources_of_type(template, "AWS::EC2::NatGateway").values()
    ]
    assert sorted(a["Fn::GetAtt"][0] for a in allocations) == sorted(eips)
    assert not resources_of_type(template, "AWS::EC2::Instance")


def test_sandbox_app_subnets_share_the_single_nat_instance(sandbox: SynthesizedStage) -> None:
    template = tj(sandbox)
    nat_id, nat = only(template, "AWS::EC2::Instance")

    assert nat["Properties"]["SourceDestCheck"] is False
    assert nat["Properties"]["InstanceType"] == sandbox.config.section(ThreeTierConfig).nat_instance_type
    assert nat["Properties"]["SubnetId"] == ref(subnets(template, "Public")[0])
    for app_subnet in subnets(template, "PrivateApp").values():
        (default_route,) = routes_of(template, route_table_of(template, app_subnet))
        assert default_route["DestinationCidrBlock"] == "0.0.0.0/0"
        assert default_route["InstanceId"] == ref(nat_id)
    assert not resources_of_type(template, "AWS::EC2::NatGateway")
    assert not resources_of_type(template, "AWS::EC2::EIP")


def test_sandbox_nat_instance_is_hardened(sandbox: SynthesizedStage) -> None:
    template = tj(sandbox)
    _, nat = only(template, "AWS::EC2::Instance")

    (root,) = nat["Properties"]["BlockDeviceMappings"]
    assert root["Ebs"]["Encrypted"] is True
    assert root["Ebs"]["VolumeType"] == "gp3"
    template_id = nat["Properties"]["LaunchTemplate"]["Version"]["Fn::GetAtt"][0]
    metadata = template["Resources"][template_id]["Properties"]["LaunchTemplateData"]["MetadataOptions"]
    assert metadata["HttpTokens"] == "required"
    # Only the app subnets may use the NAT, only for HTTPS.
    nat_sg = nat["Properties"]["SecurityGroupIds"][0]["Fn::GetAtt"][0]
    rules = ingress_rules(template, nat_sg)
    assert sorted((r["CidrIp"], port_triple(r)) for r in rules) == [
        ("10.0.11.0/24", ("tcp", 443, 443)),
        ("10.0.12.0/24", ("tcp", 443, 443)),
    ]


def test_nat_instance_image_is_current_al2023_from_ssm(sandbox: SynthesizedStage) -> None:
    template = tj(sandbox)
    _, nat = only(template, "AWS::EC2::Instance")
    parameter = template["Parameters"][nat["Properties"]["ImageId"]["Ref"]]

    assert parameter["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    # t4g is Graviton: the arm64 image.
    assert parameter["Default"].startswith("/aws/service/ami-amazon-linux-latest/al2023-ami-")
    assert parameter["Default"].endswith("-arm64")


def test_db_subnets_have_no_route_at_all(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)

    for subnet_id in subnets(template, "PrivateDb").values():
        assert routes_of(template, route_table_of(template, subnet_id)) == []


def test_gateway_endpoints_for_s3_and_dynamodb_sit_on_the_app_route_tables(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    app_tables = sorted(route_table_of(template, s) for s in subnets(template, "PrivateApp").values())
    endpoints = {
        endpoint["Properties"]["ServiceName"]["Fn::Join"][1][-1]: endpoint["Properties"]
        for endpoint in resources_of_type(template, "AWS::EC2::VPCEndpoint").values()
    }

    assert sorted(endpoints) == [".dynamodb", ".s3"]
    for endpoint in endpoints.values():
        assert endpoint["VpcEndpointType"] == "Gateway"
        assert sorted(t["Ref"] for t in endpoint["RouteTableIds"]) == app_tables


def test_flow_logs_capture_all_traffic_with_explicit_retention(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    vpc_id, _ = only(template, "AWS::EC2::VPC")
    _, flow_log = only(template, "AWS::EC2::FlowLog")
    log_group_id = flow_log["Properties"]["LogGroupName"]["Ref"]

    assert flow_log["Properties"]["ResourceId"] == ref(vpc_id)
    assert flow_log["Properties"]["TrafficType"] == "ALL"
    assert flow_log["Properties"]["LogDestinationType"] == "cloud-watch-logs"
    retention = template["Resources"][log_group_id]["Properties"]["RetentionInDays"]
    assert retention == each_stage.config.section(ThreeTierConfig).log_retention_days


def test_public_subnets_carry_the_guide_nacl_with_return_traffic(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    acl_id, _ = only(template, "AWS::EC2::NetworkAcl")
    associated = sorted(
        a["Properties"]["SubnetId"]["Ref"]
        for a in resources_of_type(template, "AWS::EC2::SubnetNetworkAclAssociation").values()
        if a["Properties"]["NetworkAclId"] == ref(acl_id)
    )
    entries = sorted(
        (
            e["Properties"]["Egress"],
            e["Properties"]["RuleNumber"],
            e["Properties"]["Protocol"],
            (e["Properties"]["PortRange"]["From"], e["Properties"]["PortRange"]["To"])
            if "PortRange" in e["Properties"]
            else (e["Properties"]["Icmp"]["Type"], e["Properties"]["Icmp"]["Code"]),
            e["Properties"]["CidrBlock"],
            e["Properties"]["RuleAction"],
        )
        for e in resources_of_type(template, "AWS::EC2::NetworkAclEntry").values()
    )

    assert associated == sorted(subnets(template, "Public").values())
    anywhere = "0.0.0.0/0"
    assert entries == [
        (False, 100, 6, (80, 80), anywhere, "allow"),
        (False, 110, 6, (443, 443), anywhere, "allow"),
        (False, 120, 6, (1024, 65535), anywhere, "allow"),  # replies to the ALB and the NAT
        (False, 130, 1, (3, 4), anywhere, "allow"),  # ICMP fragmentation needed (path MTU)
        (True, 100, 6, (80, 80), anywhere, "allow"),
        (True, 110, 6, (443, 443), anywhere, "allow"),
        (True, 120, 6, (1024, 65535), anywhere, "allow"),  # replies to clients and app instances
    ]


# ---------------------------------------------------------------------------
# Security groups: chained by reference; no SSH anywhere
# ---------------------------------------------------------------------------
def test_alb_accepts_only_http_from_anywhere_without_a_certificate(each_stage: SynthesizedStage) -> None:
    assert each_stage.config.section(ThreeTierConfig).certificate_arn is None
    template = tj(each_stage)
    alb_sg = security_group(template, "Internet-facing ALB")

    rules = ingress_rules(template, alb_sg)
    assert [(r["CidrIp"], port_triple(r)) for r in rules] == [("0.0.0.0/0", ("tcp", 80, 80))]


def test_app_servers_accept_only_the_web_port_from_the_alb_group(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    alb_sg = security_group(template, "Internet-facing ALB")
    app_sg = security_group(template, "Web servers")

    rules = ingress_rules(template, app_sg)
    assert [(r.get("SourceSecurityGroupId"), port_triple(r)) for r in rules] == [(group_id(alb_sg), ("tcp", 80, 80))]
    assert all("CidrIp" not in r for r in rules)


def test_database_accepts_3306_only_from_the_app_group(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    app_sg = security_group(template, "Web servers")
    db_sg = security_group(template, "MySQL")

    rules = ingress_rules(template, db_sg)
    sources = sorted(r["SourceSecurityGroupId"]["Fn::GetAtt"][0] for r in rules)
    assert sources == [app_sg]
    assert {port_triple(r) for r in rules} == {("tcp", 3306, 3306)}
    assert all("CidrIp" not in r for r in rules)


def test_nothing_allows_ssh_or_all_traffic_in(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    every_rule = [
        rule
        for sg_id in resources_of_type(template, "AWS::EC2::SecurityGroup")
        for rule in ingress_rules(template, sg_id)
    ]
    assert every_rule, "the helper found no rules: the test would prove nothing"

    for rule in every_rule:
        assert rule["IpProtocol"] != "-1", rule
        assert not rule["FromPort"] <= 22 <= rule["ToPort"], rule
    for entry in resources_of_type(template, "AWS::EC2::NetworkAclEntry").values():
        ports = entry["Properties"].get("PortRange")
        assert ports is None or not ports["From"] <= 22 <= ports["To"], entry
    launch_template = web_launch_template(template)
    assert "KeyName" not in launch_template["Properties"]["LaunchTemplateData"]


# ---------------------------------------------------------------------------
# App tier: launch template, role, Auto Scaling
# ---------------------------------------------------------------------------
def test_launch_template_requires_imdsv2_and_encrypted_gp3_root(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    launch_template = web_launch_template(template)
    data = launch_template["Properties"]["LaunchTemplateData"]

    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert data["InstanceType"] == each_stage.config.section(ThreeTierConfig).instance_type
    (root,) = data["BlockDeviceMappings"]
    assert root["DeviceName"] == "/dev/xvda"
    assert root["Ebs"] == {"DeleteOnTermination": True, "Encrypted": True, "VolumeSize": 8, "VolumeType": "gp3"}
    image_parameter = template["Parameters"][data["ImageId"]["Ref"]]
    assert image_parameter["Default"].startswith("/aws/service/ami-amazon-linux-latest/al2023-ami-")
    assert image_parameter["Default"].endswith("-x86_64")  # t3 instances


def test_user_data_serves_a_page_naming_the_instance_via_an_imdsv2_token(sandbox: SynthesizedStage) -> None:
    script = user_data(sandbox)

    assert "dnf install -y httpd" in script
    assert 'curl -sS -X PUT "http://169.254.169.254/latest/api/token"' in script
    # Every metadata read carries the token; no IMDSv1-style plain call.
    metadata_calls = [line for line in script.splitlines() if "latest/meta-data" in line]
    assert metadata_calls
    assert all("X-aws-ec2-metadata-token: ${TOKEN}" in line for line in metadata_calls)
    assert "<h1>Hello from ${INSTANCE_ID}</h1>" in script
    assert "systemctl enable --now httpd" in script


def test_instance_role_has_session_manager_access_only(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    launch_template = web_launch_template(template)
    profile_id = launch_template["Properties"]["LaunchTemplateData"]["IamInstanceProfile"]["Arn"]["Fn::GetAtt"][0]
    (role_ref,) = template["Resources"][profile_id]["Properties"]["Roles"]
    role = template["Resources"][role_ref["Ref"]]["Properties"]

    (managed,) = role["ManagedPolicyArns"]
    assert json.dumps(managed).endswith(f':iam::aws:policy/{SSM_CORE}"]]}}')
    assert "Policies" not in role
    attached = [
        p for p in resources_of_type(template, "AWS::IAM::Policy").values() if role_ref in p["Properties"]["Roles"]
    ]
    # Besides Session Manager, only the boot script's "I serve my page" signal, to this stack alone.
    (signal_policy,) = attached
    (statement,) = signal_policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "cloudformation:SignalResource"
    assert statement["Resource"] == {"Ref": "AWS::StackId"}


def test_auto_scaling_group_uses_app_subnets_elb_health_checks_and_cpu_target(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    config = each_stage.config.section(ThreeTierConfig)
    asg_id, asg = only(template, "AWS::AutoScaling::AutoScalingGroup")
    _, target_group = only(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    _, policy = only(template, "AWS::AutoScaling::ScalingPolicy")

    props = asg["Properties"]
    assert sorted(s["Ref"] for s in props["VPCZoneIdentifier"]) == sorted(subnets(template, "PrivateApp").values())
    assert props["HealthCheckType"] == "ELB"
    assert (int(props["MinSize"]), int(props["MaxSize"])) == (config.asg_min_capacity, config.asg_max_capacity)
    assert len(props["TargetGroupARNs"]) == 1
    assert target_group["Properties"]["Port"] == 80
    assert policy["Properties"]["AutoScalingGroupName"] == ref(asg_id)
    assert policy["Properties"]["TargetTrackingConfiguration"] == {
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
        "TargetValue": 50,
    }


def test_prod_runs_at_least_two_web_servers(prod: SynthesizedStage) -> None:
    _, asg = only(tj(prod), "AWS::AutoScaling::AutoScalingGroup")

    assert int(asg["Properties"]["MinSize"]) >= 2


def test_scheduled_scaling_follows_the_guide_in_prod_only(each_stage: SynthesizedStage) -> None:
    actions = sorted(
        (a["Properties"]["Recurrence"], a["Properties"]["MinSize"], a["Properties"]["TimeZone"])
        for a in resources_of_type(tj(each_stage), "AWS::AutoScaling::ScheduledAction").values()
    )

    if each_stage.config.section(ThreeTierConfig).scheduled_scaling:
        # prod: min 2 -> 4 on weekday mornings, back to 2 in the evening (the guide's 4 and 2).
        assert actions == [("0 20 * * MON-FRI", 2, "Asia/Kolkata"), ("0 8 * * MON-FRI", 4, "Asia/Kolkata")]
    else:
        assert actions == []


# ---------------------------------------------------------------------------
# Web tier: ALB, listeners, access logs
# ---------------------------------------------------------------------------
def test_alb_is_internet_facing_in_the_public_subnets_with_access_logs(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    _, alb = only(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    bucket_id, _ = only(template, "AWS::S3::Bucket")
    attributes = {a["Key"]: a["Value"] for a in alb["Properties"]["LoadBalancerAttributes"]}

    assert alb["Properties"]["Scheme"] == "internet-facing"
    assert sorted(s["Ref"] for s in alb["Properties"]["Subnets"]) == sorted(subnets(template, "Public").values())
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["access_logs.s3.bucket"] == ref(bucket_id)
    assert attributes["access_logs.s3.prefix"] == "alb"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"


def test_target_group_health_checks_the_page(each_stage: SynthesizedStage) -> None:
    _, target_group = only(tj(each_stage), "AWS::ElasticLoadBalancingV2::TargetGroup")

    props = target_group["Properties"]
    assert (props["Protocol"], props["HealthCheckPath"], props["Matcher"]) == ("HTTP", "/", {"HttpCode": "200"})


def test_without_certificate_there_is_one_http_listener_forwarding(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    _, listener = only(template, "AWS::ElasticLoadBalancingV2::Listener")
    target_group_id, _ = only(template, "AWS::ElasticLoadBalancingV2::TargetGroup")

    assert (listener["Properties"]["Port"], listener["Properties"]["Protocol"]) == (80, "HTTP")
    assert listener["Properties"]["DefaultActions"] == [{"TargetGroupArn": ref(target_group_id), "Type": "forward"}]
    assert template["Outputs"]["SiteUrl"]["Value"]["Fn::Join"][1][0] == "http://"


def test_access_log_bucket_is_encrypted_private_and_tls_only(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    bucket_id, bucket = only(template, "AWS::S3::Bucket")
    _, policy = only(template, "AWS::S3::BucketPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]

    encryption = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption == [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]  # ALB logs need SSE-S3
    assert all(bucket["Properties"]["PublicAccessBlockConfiguration"].values())
    rules = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert rules == [
        {"ExpirationInDays": each_stage.config.section(ThreeTierConfig).log_retention_days, "Status": "Enabled"}
    ]
    deny_plain = [s for s in statements if s["Effect"] == "Deny"]
    assert deny_plain[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    (delivery,) = [s for s in statements if s.get("Sid") == "AllowAlbLogDelivery"]
    # The service principal (regions since August 2022) and, where the region has one, its ELB
    # account (older regions such as us-east-1), chosen at deploy time from a mapping.
    assert delivery["Principal"]["Service"] == "logdelivery.elasticloadbalancing.amazonaws.com"
    condition, account_arn, otherwise = delivery["Principal"]["AWS"]["Fn::If"]
    assert otherwise == {"Ref": "AWS::NoValue"}
    lookup = {"Fn::FindInMap": ["ElbLogDeliveryAccounts", {"Ref": "AWS::Region"}, "account"]}
    assert lookup in account_arn["Fn::Join"][1]
    assert template["Conditions"][condition] == {"Fn::Not": [{"Fn::Equals": [lookup, "none"]}]}
    accounts = template["Mappings"]["ElbLogDeliveryAccounts"]
    assert accounts["us-east-1"] == {"account": "127311923021"}
    assert accounts["ap-south-1"] == {"account": "718504428378"}  # the guide's region
    assert accounts["mx-central-1"] == {"account": "none"}  # a region with the service principal only
    assert delivery["Action"] == "s3:PutObject"
    assert delivery["Resource"]["Fn::Join"][1][1:3] == ["/alb/AWSLogs/", {"Ref": "AWS::AccountId"}]
    assert delivery["Resource"]["Fn::Join"][1][0] == {"Fn::GetAtt": [bucket_id, "Arn"]}


@pytest.fixture
def with_certificate(all_options: SynthesizedStage) -> dict[str, Any]:
    """ThreeTier of each stage's all-options variant: the one with a certificate ARN configured."""
    return tj(all_options)


def test_with_certificate_https_forwards_and_http_redirects(with_certificate: dict[str, Any]) -> None:
    template = with_certificate
    target_group_id, _ = only(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    listeners = {
        listener["Properties"]["Port"]: listener["Properties"]
        for listener in resources_of_type(template, "AWS::ElasticLoadBalancingV2::Listener").values()
    }

    assert sorted(listeners) == [80, 443]
    https = listeners[443]
    assert https["Protocol"] == "HTTPS"
    assert https["Certificates"] == [{"CertificateArn": ThreeTierConfig.ALL_OPTIONS["certificate_arn"]}]
    assert https["DefaultActions"] == [{"TargetGroupArn": ref(target_group_id), "Type": "forward"}]
    assert listeners[80]["Protocol"] == "HTTP"
    assert listeners[80]["DefaultActions"] == [
        {"RedirectConfig": {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"}, "Type": "redirect"}
    ]
    assert template["Outputs"]["SiteUrl"]["Value"]["Fn::Join"][1][0] == "https://"


def test_with_certificate_alb_accepts_http_and_https_only(with_certificate: dict[str, Any]) -> None:
    alb_sg = security_group(with_certificate, "Internet-facing ALB")

    rules = ingress_rules(with_certificate, alb_sg)
    assert sorted((r["CidrIp"], port_triple(r)) for r in rules) == [
        ("0.0.0.0/0", ("tcp", 80, 80)),
        ("0.0.0.0/0", ("tcp", 443, 443)),
    ]


# ---------------------------------------------------------------------------
# Data tier
# ---------------------------------------------------------------------------
def test_database_is_private_encrypted_mysql_8_with_rds_managed_credentials(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    config = each_stage.config.section(ThreeTierConfig)
    _, db = only(template, "AWS::RDS::DBInstance")
    subnet_group_id, subnet_group = only(template, "AWS::RDS::DBSubnetGroup")
    props = db["Properties"]

    assert props["Engine"] == "mysql"
    assert props["EngineVersion"].startswith("8.4.")
    assert props["PubliclyAccessible"] is False
    assert props["StorageEncrypted"] is True
    assert props["StorageType"] == "gp3"
    assert props["DBInstanceClass"] == f"db.{config.db_instance_type}"
    assert props["AllocatedStorage"] == str(config.db_allocated_storage_gib)
    assert props["BackupRetentionPeriod"] == config.db_backup_retention_days
    assert props["MultiAZ"] is config.db_multi_az
    assert props["DeletionProtection"] is each_stage.config.protect_data
    assert props["Port"] == "3306"
    assert props["VPCSecurityGroups"] == [group_id(security_group(template, "MySQL"))]
    assert props["DBSubnetGroupName"] == ref(subnet_group_id)
    assert sorted(s["Ref"] for s in subnet_group["Properties"]["SubnetIds"]) == sorted(
        subnets(template, "PrivateDb").values()
    )
    # RDS-managed credentials: RDS makes and rotates the secret; the template holds no password.
    assert props["ManageMasterUserPassword"] is True
    assert props["MasterUsername"] == "admin"
    assert "MasterUserPassword" not in props


def test_database_stage_shape(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    _, sandbox_db = only(tj(sandbox), "AWS::RDS::DBInstance")
    _, prod_db = only(tj(prod), "AWS::RDS::DBInstance")

    assert (sandbox_db["Properties"]["MultiAZ"], sandbox_db["Properties"]["DeletionProtection"]) == (False, False)
    assert (prod_db["Properties"]["MultiAZ"], prod_db["Properties"]["DeletionProtection"]) == (True, True)
    assert sandbox_db["DeletionPolicy"] == "Delete"
    assert prod_db["DeletionPolicy"] == "Snapshot"


def test_credentials_need_no_rotation_function_and_no_transform(each_stage: SynthesizedStage) -> None:
    """Hosted rotation deploys a python3.10 function (aws-cdk #37462); RDS-managed credentials need none."""
    template = tj(each_stage)

    assert resources_of_type(template, "AWS::SecretsManager::Secret") == {}
    assert resources_of_type(template, "AWS::SecretsManager::RotationSchedule") == {}
    assert "Transform" not in template
    runtimes = {f["Properties"].get("Runtime") for f in resources_of_type(template, "AWS::Lambda::Function").values()}
    assert not any(runtime and runtime.startswith("python3.1") and runtime < "python3.12" for runtime in runtimes)


# ---------------------------------------------------------------------------
# Outputs, stable ids, what destroy leaves behind
# ---------------------------------------------------------------------------
def test_outputs_name_the_site_the_database_and_its_secret(each_stage: SynthesizedStage) -> None:
    template = tj(each_stage)
    outputs = template["Outputs"]
    alb_id, _ = only(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    db_id, _ = only(template, "AWS::RDS::DBInstance")

    assert outputs["SiteUrl"]["Value"]["Fn::Join"][1][1] == {"Fn::GetAtt": [alb_id, "DNSName"]}
    assert outputs["DatabaseEndpoint"]["Value"] == {"Fn::GetAtt": [db_id, "Endpoint.Address"]}
    # The secret RDS made and rotates for the master user.
    assert outputs["DatabaseSecretArn"]["Value"] == {"Fn::GetAtt": [db_id, "MasterUserSecret.SecretArn"]}


@pytest.mark.parametrize(("logical_id", "resource_type"), PINNED_LOGICAL_IDS.items())
def test_stateful_logical_ids_are_pinned(each_stage: SynthesizedStage, logical_id: str, resource_type: str) -> None:
    resources = tj(each_stage)["Resources"]

    assert logical_id in resources, f"{logical_id} changed: deploying would replace the {resource_type}"
    assert resources[logical_id]["Type"] == resource_type


def test_sandbox_destroy_leaves_nothing_behind(sandbox: SynthesizedStage) -> None:
    template = tj(sandbox)
    kept = {
        logical_id: (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy"))
        for logical_id, resource in template["Resources"].items()
        if {resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")} & KEEPING_POLICIES
    }

    assert kept == {}
    # A bucket with objects cannot be deleted: each one is emptied first.
    emptied = {
        r["Properties"]["BucketName"]["Ref"]
        for r in template["Resources"].values()
        if r["Type"] == "Custom::S3AutoDeleteObjects"
    }
    assert emptied == set(resources_of_type(template, "AWS::S3::Bucket"))


def test_prod_retains_or_snapshots_every_stateful_resource(prod: SynthesizedStage) -> None:
    template = tj(prod)

    for resource_type in STATEFUL_TYPES:
        resources = resources_of_type(template, resource_type)
        assert resources, f"no {resource_type}: the check would prove nothing"
        for logical_id, resource in resources.items():
            if is_provider_log_group(resource):
                continue  # CDK plumbing's logs (components/provider_logs.py) go in every stage
            assert resource.get("DeletionPolicy") in KEEPING_POLICIES, logical_id
            assert resource.get("UpdateReplacePolicy") in KEEPING_POLICIES, logical_id
    assert not [r for r in template["Resources"].values() if r["Type"] == "Custom::S3AutoDeleteObjects"]
