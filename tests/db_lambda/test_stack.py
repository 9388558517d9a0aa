"""DB Lambda lab: the specification's infrastructure bullets, one assertion each, in both stages."""

from __future__ import annotations

from typing import Any

from stacks.db_lambda.config import FUNCTION_WORST_CASE_SECONDS, DbLambdaConfig
from tests.harness import SynthesizedStage, resources_of_type

STACK = "DbLambda"
SECRET_ARN = {"Fn::GetAtt": ["DatabaseB269D8BB", "MasterUserSecret.SecretArn"]}
# CDK's placeholder egress rule on a group with allow_all_outbound=False and no egress rule.
DISALLOW_ALL = {"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252,
                "IpProtocol": "icmp", "ToPort": 86}  # fmt: skip


def template(stage: SynthesizedStage) -> dict[str, Any]:
    return stage.template_json(STACK)


def only(stage: SynthesizedStage, resource_type: str) -> tuple[str, dict[str, Any]]:
    found = resources_of_type(template(stage), resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def group_id(stage: SynthesizedStage, description_start: str) -> dict[str, Any]:
    """The GetAtt of the security group whose description starts with `description_start`."""
    (logical_id,) = [
        lid
        for lid, group in resources_of_type(template(stage), "AWS::EC2::SecurityGroup").items()
        if group["Properties"]["GroupDescription"].startswith(description_start)
    ]
    return {"Fn::GetAtt": [logical_id, "GroupId"]}


def rules(stage: SynthesizedStage, resource_type: str, peer_key: str) -> list[tuple[str, str, Any]]:
    """(group, peer group, port) of every ingress or egress rule resource, sorted; a duplicate shows twice
    (EC2 rejects a duplicate rule at deploy, whatever its description)."""
    found = []
    for rule in resources_of_type(template(stage), resource_type).values():
        props = rule["Properties"]
        assert props["IpProtocol"] == "tcp"
        assert props["FromPort"] == props["ToPort"]
        port = props["FromPort"] if isinstance(props["FromPort"], int) else 3306  # the DB's Endpoint.Port
        found.append((props["GroupId"]["Fn::GetAtt"][0], props[peer_key]["Fn::GetAtt"][0], port))
    return sorted(found)


def function_props(stage: SynthesizedStage) -> dict[str, Any]:
    return only(stage, "AWS::Lambda::Function")[1]["Properties"]


def isolated_subnets(stage: SynthesizedStage) -> list[dict[str, str]]:
    return [{"Ref": lid} for lid in sorted(resources_of_type(template(stage), "AWS::EC2::Subnet"))]


# --- Network: isolated subnets only, no NAT, the Secrets Manager interface endpoint -----------
def test_no_nat_no_internet_gateway_and_no_route_out(each_stage: SynthesizedStage) -> None:
    types = {resource["Type"] for resource in template(each_stage)["Resources"].values()}
    assert not types & {"AWS::EC2::NatGateway", "AWS::EC2::InternetGateway", "AWS::EC2::EIP", "AWS::EC2::Instance"}
    assert resources_of_type(template(each_stage), "AWS::EC2::Route") == {}


def test_two_isolated_subnets_in_two_zones_that_give_no_public_ips(each_stage: SynthesizedStage) -> None:
    subnets = resources_of_type(template(each_stage), "AWS::EC2::Subnet").values()
    assert len(subnets) == 2
    assert {subnet["Properties"]["MapPublicIpOnLaunch"] for subnet in subnets} == {False}
    assert len({str(subnet["Properties"]["AvailabilityZone"]) for subnet in subnets}) == 2


def test_secrets_manager_is_reached_through_an_interface_endpoint_with_private_dns(
    each_stage: SynthesizedStage,
) -> None:
    _, endpoint = only(each_stage, "AWS::EC2::VPCEndpoint")
    props = endpoint["Properties"]
    assert props["VpcEndpointType"] == "Interface"
    assert props["ServiceName"] == {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".secretsmanager"]]}
    assert props["PrivateDnsEnabled"] is True
    # prod: one interface per AZ; sandbox: one interface, reached across zones from the other AZ
    assert props["SubnetIds"] == isolated_subnets(each_stage)[: 2 if each_stage.name == "prod" else 1]
    assert props["SecurityGroupIds"] == [group_id(each_stage, "Secrets Manager endpoint")]


def test_the_function_runs_in_the_isolated_subnets_with_its_own_group(each_stage: SynthesizedStage) -> None:
    assert function_props(each_stage)["VpcConfig"] == {
        "SecurityGroupIds": [group_id(each_stage, "The function")],
        "SubnetIds": isolated_subnets(each_stage),
    }


# --- Security groups chained by reference ------------------------------------------------------
def test_security_groups_chain_by_reference_and_open_nothing_to_a_cidr(each_stage: SynthesizedStage) -> None:
    # Given the groups: function -> endpoint (443); function -> database, or function -> proxy -> database
    function = group_id(each_stage, "The function")["Fn::GetAtt"][0]
    endpoint = group_id(each_stage, "Secrets Manager endpoint")["Fn::GetAtt"][0]
    database = group_id(each_stage, "MySQL")["Fn::GetAtt"][0]
    hops = [(function, database)]
    if each_stage.name == "prod":
        proxy = group_id(each_stage, "RDS Proxy")["Fn::GetAtt"][0]
        hops = [(function, proxy), (proxy, database)]
    # Then every rule names a group, and these are all the rules there are
    assert rules(each_stage, "AWS::EC2::SecurityGroupIngress", "SourceSecurityGroupId") == sorted(
        [(endpoint, function, 443), *((server, client, 3306) for client, server in hops)]
    )
    assert rules(each_stage, "AWS::EC2::SecurityGroupEgress", "DestinationSecurityGroupId") == sorted(
        [(function, endpoint, 443), *((client, server, 3306) for client, server in hops)]
    )
    for group in resources_of_type(template(each_stage), "AWS::EC2::SecurityGroup").values():
        assert "SecurityGroupIngress" not in group["Properties"]
        assert group["Properties"].get("SecurityGroupEgress", [DISALLOW_ALL]) == [DISALLOW_ALL]


# --- The database: RDS MySQL 8.4 with an RDS-managed secret, no rotation function -------------
def test_mysql_84_with_the_rds_managed_master_secret(each_stage: SynthesizedStage) -> None:
    logical_id, database = only(each_stage, "AWS::RDS::DBInstance")
    props = database["Properties"]
    assert logical_id == "DatabaseB269D8BB", "a new logical id would replace the database"
    assert (props["Engine"], props["EngineVersion"][:4]) == ("mysql", "8.4.")
    assert props["ManageMasterUserPassword"] is True
    assert "MasterUserPassword" not in props
    assert props["DBName"] == "myapp"
    assert props["StorageEncrypted"] is True
    assert props["PubliclyAccessible"] is False
    assert props["VPCSecurityGroups"] == [group_id(each_stage, "MySQL")]


def test_no_cdk_secret_no_rotation_function_and_no_transform(each_stage: SynthesizedStage) -> None:
    # The RDS-managed secret is RDS's: hosted rotation would add a transform and a python3.10 function.
    assert resources_of_type(template(each_stage), "AWS::SecretsManager::Secret") == {}
    assert resources_of_type(template(each_stage), "AWS::SecretsManager::RotationSchedule") == {}
    assert "Transform" not in template(each_stage)


def test_prod_protects_the_database_and_the_sandbox_destroys_it(each_stage: SynthesizedStage) -> None:
    _, database = only(each_stage, "AWS::RDS::DBInstance")
    config = each_stage.config.section(DbLambdaConfig)
    prod = each_stage.name == "prod"
    assert database["Properties"]["DeletionProtection"] is prod
    assert database["DeletionPolicy"] == ("Snapshot" if prod else "Delete")
    assert database["Properties"]["MultiAZ"] is config.db_multi_az
    assert database["Properties"]["BackupRetentionPeriod"] == config.db_backup_retention_days


def test_the_sandbox_leaves_nothing_behind(sandbox: SynthesizedStage) -> None:
    kept = {
        logical_id: resource["DeletionPolicy"]
        for logical_id, resource in template(sandbox)["Resources"].items()
        if resource.get("DeletionPolicy", "Delete") != "Delete"
    }
    assert kept == {}


# --- RDS Proxy in prod only ---------------------------------------------------------------------
def test_prod_connects_through_rds_proxy_requiring_tls(prod: SynthesizedStage) -> None:
    logical_id, proxy = only(prod, "AWS::RDS::DBProxy")
    props = proxy["Properties"]
    assert props["RequireTLS"] is True
    assert props["EngineFamily"] == "MYSQL"
    assert [auth["SecretArn"] for auth in props["Auth"]] == [SECRET_ARN]
    assert props["VpcSubnetIds"] == isolated_subnets(prod)
    variables = function_props(prod)["Environment"]["Variables"]
    assert variables["DB_HOST"] == {"Fn::GetAtt": [logical_id, "Endpoint"]}
    # The proxy's certificate is an ACM one under the Amazon roots, which the layer's bundle holds.
    assert variables["DB_CA_FILE"] == "/opt/rds-ca-bundle.pem"


def test_the_sandbox_connects_directly_encrypted_and_verified(sandbox: SynthesizedStage) -> None:
    assert resources_of_type(template(sandbox), "AWS::RDS::DBProxy") == {}
    variables = function_props(sandbox)["Environment"]["Variables"]
    assert variables["DB_HOST"] == {"Fn::GetAtt": ["DatabaseB269D8BB", "Endpoint.Address"]}
    # Verified too: the instance's certificate chains to an RDS CA in the layer's bundle.
    assert variables["DB_CA_FILE"] == "/opt/rds-ca-bundle.pem"


# --- The function ----------------------------------------------------------------------------------
def test_the_function_gets_the_secret_arn_and_the_guides_database(each_stage: SynthesizedStage) -> None:
    variables = function_props(each_stage)["Environment"]["Variables"]
    assert variables["DB_SECRET_ARN"] == SECRET_ARN
    assert (variables["DB_NAME"], variables["DB_PORT"]) == ("myapp", "3306")


def test_python_314_on_arm64_with_the_pymysql_layer_from_the_build_folder(each_stage: SynthesizedStage) -> None:
    props = function_props(each_stage)
    assert (props["Runtime"], props["Architectures"], props["Handler"]) == (
        "python3.14",
        ["arm64"],
        "db_lambda.handler.lambda_handler",
    )
    layer_id, layer = only(each_stage, "AWS::Lambda::LayerVersion")
    assert {"Ref": layer_id} in props["Layers"]
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.14"]
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


def test_the_function_logs_to_its_own_group_with_the_stages_retention(each_stage: SynthesizedStage) -> None:
    config = each_stage.config.section(DbLambdaConfig)
    log_group_id = function_props(each_stage)["LoggingConfig"]["LogGroup"]["Ref"]
    log_group = template(each_stage)["Resources"][log_group_id]
    assert log_group["Properties"]["RetentionInDays"] == config.log_retention_days
    assert log_group["DeletionPolicy"] == "Delete"


def test_the_function_outlives_its_own_timeouts(each_stage: SynthesizedStage) -> None:
    assert function_props(each_stage)["Timeout"] > FUNCTION_WORST_CASE_SECONDS


def test_the_function_may_read_that_one_secret_and_nothing_wider(each_stage: SynthesizedStage) -> None:
    role_id = function_props(each_stage)["Role"]["Fn::GetAtt"][0]
    role = template(each_stage)["Resources"][role_id]["Properties"]
    assert "ManagedPolicyArns" not in role
    policies = [
        policy["Properties"]["PolicyDocument"]["Statement"]
        for policy in resources_of_type(template(each_stage), "AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
    ]
    (statements,) = policies
    secret_statements = [s for s in statements if any(a.startswith("secretsmanager:") for a in s["Action"])]
    assert secret_statements == [
        {
            "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            "Effect": "Allow",
            "Resource": SECRET_ARN,
        }
    ]
    wildcard = [s for s in statements if s["Resource"] == "*"]
    assert [action.split(":")[0] for s in wildcard for action in s["Action"]] == ["ec2"] * 6


def test_outputs_name_what_verify_needs(each_stage: SynthesizedStage) -> None:
    outputs = set(template(each_stage)["Outputs"])
    needed = {"FunctionName", "DbInstanceId", "DbSecretArn", "DbEndpoint", "SecretsManagerEndpointId"}
    assert needed <= outputs
    assert ("DbProxyName" in outputs) is (each_stage.name == "prod")
