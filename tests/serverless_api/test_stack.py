"""serverless-api lab: LABS.md §4's infrastructure bullets, one assertion each, in both stages."""

from __future__ import annotations

import copy
import json
from typing import Any

import aws_cdk as cdk
import pytest

from orders_api import store
from scripts.serverless_api.orders_table import USER_INDEX as MOTO_TABLE_INDEX
from stacks.app_builder import nag_packs
from stacks.components.powertools_layer import POWERTOOLS_VERSION
from stacks.config import ConfigError, load_stage_config
from stacks.labs import lab_named
from stacks.serverless_api import stack as stack_module
from stacks.serverless_api.config import ServerlessApiConfig
from stacks.serverless_api.rest_api import STAGE_NAME
from tests.harness import SynthesizedStage, resources_of_type, stage_context

STACK = "ServerlessApi"


def only(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def settings(stage: SynthesizedStage) -> ServerlessApiConfig:
    return stage.config.section(ServerlessApiConfig)


def stage_props(template: dict[str, Any]) -> dict[str, Any]:
    return only(template, "AWS::ApiGateway::Stage")[1]["Properties"]


def methods(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: r["Properties"] for lid, r in resources_of_type(template, "AWS::ApiGateway::Method").items()}


def function(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    function_id, resource = only(template, "AWS::Lambda::Function")
    return function_id, resource["Properties"]


# --- API Gateway -------------------------------------------------------------------------------
def test_the_api_is_regional_and_proxies_every_path_and_method_to_the_function(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    _, api = only(template, "AWS::ApiGateway::RestApi")
    assert api["Properties"]["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    function_id, _ = function(template)
    (proxy_id,) = [lid for lid, r in resources_of_type(template, "AWS::ApiGateway::Resource").items()]
    assert resources_of_type(template, "AWS::ApiGateway::Resource")[proxy_id]["Properties"]["PathPart"] == "{proxy+}"
    anys = [props for props in methods(template).values() if props["HttpMethod"] == "ANY"]
    assert len(anys) == 2  # / and /{proxy+}
    for props in anys:
        integration = props["Integration"]
        assert integration["Type"] == "AWS_PROXY"
        assert integration["IntegrationHttpMethod"] == "POST"
        assert function_id in json.dumps(integration["Uri"])


def test_the_stage_throttles_as_configured(each_stage: SynthesizedStage) -> None:
    [method_settings] = stage_props(each_stage.template_json(STACK))["MethodSettings"]
    assert method_settings["ThrottlingRateLimit"] == settings(each_stage).throttle_rate_per_second
    assert method_settings["ThrottlingBurstLimit"] == settings(each_stage).throttle_burst


def test_the_sandbox_stage_has_the_guides_throttle(sandbox: SynthesizedStage) -> None:
    [method_settings] = stage_props(sandbox.template_json(STACK))["MethodSettings"]
    assert (method_settings["ThrottlingRateLimit"], method_settings["ThrottlingBurstLimit"]) == (10, 20)


def test_the_stage_is_traced_and_logs_errors_without_request_bodies(each_stage: SynthesizedStage) -> None:
    props = stage_props(each_stage.template_json(STACK))
    assert props["StageName"] == STAGE_NAME
    assert props["TracingEnabled"] is True
    [method_settings] = props["MethodSettings"]
    assert method_settings["LoggingLevel"] == "ERROR"
    assert method_settings["DataTraceEnabled"] is False


def test_access_logs_are_json_lines_in_a_group_with_retention(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    access = stage_props(template)["AccessLogSetting"]
    fields = json.loads(access["Format"])
    assert {"requestId", "ip", "status", "responseLatency", "integrationLatency", "errorMessage"} <= set(fields)
    (group_id,) = [
        part["Ref"]
        for part in access["DestinationArn"]["Fn::Join"][1]
        if isinstance(part, dict) and "Ref" in part and part["Ref"].startswith("OrdersApiAccessLogs")
    ]
    group = template["Resources"][group_id]
    assert group["Properties"]["RetentionInDays"] == settings(each_stage).log_retention_days


def test_execution_logs_go_to_a_group_the_stack_owns_before_api_gateway_makes_one(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    (execution_id,) = [lid for lid in groups if lid.startswith("OrdersApiExecutionLogs")]
    name = groups[execution_id]["Properties"]["LogGroupName"]["Fn::Join"][1]
    api_id, _ = only(template, "AWS::ApiGateway::RestApi")
    assert name == ["API-Gateway-Execution-Logs_", {"Ref": api_id}, f"/{STAGE_NAME}"]
    assert groups[execution_id]["Properties"]["RetentionInDays"] == settings(each_stage).log_retention_days
    stage_id, stage = only(template, "AWS::ApiGateway::Stage")
    assert execution_id in stage["DependsOn"], f"{stage_id} could log before its group exists"


def test_the_account_logging_role_is_set_and_kept_only_in_prod(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    _, account = only(template, "AWS::ApiGateway::Account")
    role_id = account["Properties"]["CloudWatchRoleArn"]["Fn::GetAtt"][0]
    role = template["Resources"][role_id]
    expected = "Retain" if each_stage.config.protect_data else "Delete"
    assert role.get("DeletionPolicy", "Delete") == expected


# --- Function ----------------------------------------------------------------------------------
def test_the_function_runs_python_314_on_arm64_with_tracing_and_the_powertools_layer(
    each_stage: SynthesizedStage,
) -> None:
    template = each_stage.template_json(STACK)
    _, props = function(template)
    assert props["Runtime"] == "python3.14"
    assert props["Architectures"] == ["arm64"]
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["Handler"] == "orders_api.handler.lambda_handler"
    assert props["MemorySize"] == settings(each_stage).function_memory_mb
    assert props["Timeout"] == settings(each_stage).function_timeout_seconds
    [layer] = props["Layers"]
    parameter = template["Parameters"][layer["Ref"]]
    assert parameter["Default"] == f"/aws/service/powertools/python/arm64/python3.14/{POWERTOOLS_VERSION}"


def test_the_function_knows_its_table_and_cors_origins(all_options: SynthesizedStage) -> None:
    template = all_options.template_json(STACK)
    table_id, _ = only(template, "AWS::DynamoDB::GlobalTable")
    environment = function(template)[1]["Environment"]["Variables"]
    assert environment["TABLE_NAME"] == {"Ref": table_id}
    assert environment["CORS_ALLOW_ORIGINS"] == ",".join(settings(all_options).cors_allow_origins)


def test_the_role_may_use_four_item_actions_on_the_table_and_query_the_index_only(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    table_id, _ = only(template, "AWS::DynamoDB::GlobalTable")
    statements = [
        statement
        for policy in resources_of_type(template, "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if any(str(action).startswith("dynamodb:") for action in _actions(statement))
    ]
    by_actions = {tuple(sorted(_actions(statement))): statement["Resource"] for statement in statements}
    assert by_actions == {
        ("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"): {
            "Fn::GetAtt": [table_id, "Arn"]
        },
        ("dynamodb:Query",): {"Fn::Join": ["", [{"Fn::GetAtt": [table_id, "Arn"]}, f"/index/{USER_INDEX}"]]},
    }


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


USER_INDEX = stack_module.USER_INDEX


def test_the_index_name_is_the_one_the_code_queries() -> None:
    assert USER_INDEX == store.USER_INDEX == MOTO_TABLE_INDEX


# --- Table -------------------------------------------------------------------------------------
def test_the_orders_table_has_the_guides_key_and_the_by_user_index(each_stage: SynthesizedStage) -> None:
    table_id, table = only(each_stage.template_json(STACK), "AWS::DynamoDB::GlobalTable")
    assert table_id.startswith("OrdersTable")  # a changed logical id would replace the table
    props = table["Properties"]
    assert props["KeySchema"] == [{"AttributeName": "order_id", "KeyType": "HASH"}]
    [index] = props["GlobalSecondaryIndexes"]
    assert index["IndexName"] == USER_INDEX
    assert index["KeySchema"] == [
        {"AttributeName": "user_id", "KeyType": "HASH"},
        {"AttributeName": "created_at", "KeyType": "RANGE"},
    ]
    assert index["Projection"] == {"ProjectionType": "ALL"}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    # The AWS-managed key (aws/dynamodb): no key id, no monthly key fee
    assert props["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}
    [replica] = props["Replicas"]
    assert replica["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_the_table_is_kept_in_prod_and_destroyed_in_the_sandbox(each_stage: SynthesizedStage) -> None:
    _, table = only(each_stage.template_json(STACK), "AWS::DynamoDB::GlobalTable")
    protect = each_stage.config.protect_data
    assert table.get("DeletionPolicy", "Delete") == ("Retain" if protect else "Delete")
    [replica] = table["Properties"]["Replicas"]
    assert replica.get("DeletionProtectionEnabled", False) is protect


# --- Alarms ------------------------------------------------------------------------------------
def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: r["Properties"] for lid, r in resources_of_type(template, "AWS::CloudWatch::Alarm").items()}


def test_three_alarms_reach_the_alert_topic(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    topic_id, _ = only(template, "AWS::SNS::Topic")
    found = alarms(template)
    assert sorted(lid.rstrip("0123456789ABCDEF") for lid in found) == [
        "LatencyAlarm",
        "ServerErrorsAlarm",
        "ThrottledRequestsAlarm",
    ]
    for props in found.values():
        assert props["AlarmActions"] == [{"Ref": topic_id}]
        assert props["TreatMissingData"] == "notBreaching"


def test_any_5xx_raises_the_server_errors_alarm(each_stage: SynthesizedStage) -> None:
    (props,) = [p for lid, p in alarms(each_stage.template_json(STACK)).items() if lid.startswith("ServerErrors")]
    assert (props["Namespace"], props["MetricName"], props["Statistic"]) == ("AWS/ApiGateway", "5XXError", "Sum")
    assert {d["Name"] for d in props["Dimensions"]} == {"ApiName", "Stage"}
    assert (props["Threshold"], props["ComparisonOperator"]) == (0, "GreaterThanThreshold")


def test_the_api_alarms_watch_an_api_name_no_other_stack_has(each_stage: SynthesizedStage) -> None:
    """REST API metrics are keyed by ApiName and Stage, not by the API's id
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html):
    CDK's default name "Api" would mix in every other REST API called "Api" with a stage of that name."""
    template = each_stage.template_json(STACK)
    _, api = only(template, "AWS::ApiGateway::RestApi")
    assert api["Properties"]["Name"] == f"{STACK}-Orders"  # a stack name is unique in its account and region
    for logical_id, props in alarms(template).items():
        if props.get("Namespace") == "AWS/ApiGateway":
            [api_name] = [d["Value"] for d in props["Dimensions"] if d["Name"] == "ApiName"]
            assert api_name == f"{STACK}-Orders", logical_id


def test_the_latency_alarm_watches_p99_at_the_configured_threshold(each_stage: SynthesizedStage) -> None:
    (props,) = [p for lid, p in alarms(each_stage.template_json(STACK)).items() if lid.startswith("Latency")]
    assert (props["MetricName"], props["ExtendedStatistic"]) == ("Latency", "p99")
    assert props["Threshold"] == settings(each_stage).p99_latency_alarm_ms


def test_throttled_requests_are_counted_from_the_access_logs(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    _, metric_filter = only(template, "AWS::Logs::MetricFilter")
    props = metric_filter["Properties"]
    assert props["FilterPattern"] == '{ $.status = "429" }'
    assert props["LogGroupName"]["Ref"].startswith("OrdersApiAccessLogs")
    [transformation] = props["MetricTransformations"]
    (alarm,) = [p for lid, p in alarms(template).items() if lid.startswith("ThrottledRequests")]
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        transformation["MetricNamespace"],
        transformation["MetricName"],
    )


# --- Options: CORS, API key, WAF ---------------------------------------------------------------
def test_without_origins_there_is_no_cors_preflight(each_stage: SynthesizedStage) -> None:
    assert settings(each_stage).cors_allow_origins == ()
    assert [p for p in methods(each_stage.template_json(STACK)).values() if p["HttpMethod"] == "OPTIONS"] == []


def test_cors_preflight_answers_the_configured_origins_without_a_key(all_options: SynthesizedStage) -> None:
    options = [p for p in methods(all_options.template_json(STACK)).values() if p["HttpMethod"] == "OPTIONS"]
    assert len(options) == 2
    for props in options:
        assert props.get("ApiKeyRequired", False) is False
        origin_header = props["Integration"]["IntegrationResponses"][0]["ResponseParameters"][
            "method.response.header.Access-Control-Allow-Origin"
        ]
        assert origin_header == f"'{settings(all_options).cors_allow_origins[0]}'"


def test_by_default_no_key_is_needed(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    assert all(not p.get("ApiKeyRequired", False) for p in methods(template).values())
    assert resources_of_type(template, "AWS::ApiGateway::ApiKey") == {}
    assert "ApiKeyId" not in template["Outputs"]


def test_with_api_key_every_method_needs_it_and_the_usage_plan_limits_each_key(all_options: SynthesizedStage) -> None:
    template = all_options.template_json(STACK)
    config = settings(all_options)
    assert all(p["ApiKeyRequired"] for p in methods(template).values() if p["HttpMethod"] == "ANY")
    _, plan = only(template, "AWS::ApiGateway::UsagePlan")
    assert plan["Properties"]["Throttle"] == {
        "RateLimit": config.throttle_rate_per_second,
        "BurstLimit": config.throttle_burst,
    }
    assert plan["Properties"]["Quota"] == {"Limit": config.api_key_daily_quota, "Period": "DAY"}
    key_id, _ = only(template, "AWS::ApiGateway::ApiKey")
    _, link = only(template, "AWS::ApiGateway::UsagePlanKey")
    assert link["Properties"]["KeyId"] == {"Ref": key_id}
    assert template["Outputs"]["ApiKeyId"]["Value"] == {"Ref": key_id}


def test_the_sandbox_has_no_waf(sandbox: SynthesizedStage) -> None:
    template = sandbox.template_json(STACK)
    assert resources_of_type(template, "AWS::WAFv2::WebACL") == {}
    assert "WebAclArn" not in template["Outputs"]


def test_prod_puts_the_guides_waf_rules_in_front_of_the_stage(prod: SynthesizedStage) -> None:
    template = prod.template_json(STACK)
    acl_id, acl = only(template, "AWS::WAFv2::WebACL")
    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    rules = {rule["Name"]: rule for rule in props["Rules"]}
    assert rules["RateLimitPerIp"]["Action"] == {"Block": {}}
    assert rules["RateLimitPerIp"]["Statement"]["RateBasedStatement"] == {
        "AggregateKeyType": "IP",
        "Limit": 2000,
        "EvaluationWindowSec": 300,
    }
    for group in ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"):
        assert rules[group]["Statement"]["ManagedRuleGroupStatement"] == {"VendorName": "AWS", "Name": group}
        assert rules[group]["OverrideAction"] == {"None": {}}
    _, association = only(template, "AWS::WAFv2::WebACLAssociation")
    stage_id, _ = only(template, "AWS::ApiGateway::Stage")
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    assert stage_id in json.dumps(association["Properties"]["ResourceArn"])


def test_outputs_name_the_url_the_table_and_the_logs(each_stage: SynthesizedStage) -> None:
    outputs = each_stage.template_json(STACK)["Outputs"]
    assert {"ApiUrl", "TableName", "FunctionLogGroup", "AccessLogGroup"} <= set(outputs)
    stage_id, stage = only(each_stage.template_json(STACK), "AWS::ApiGateway::Stage")
    assert {"Ref": stage_id} in outputs["ApiUrl"]["Value"]["Fn::Join"][1]
    assert stage["Properties"]["StageName"] == STAGE_NAME


# --- Configuration -----------------------------------------------------------------------------
def context_with(stage: str, **changes: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context(stage))
    context["stages"][stage]["serverless_api"].update(changes)
    return context


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"throttle_burst": 5}, "serverless_api.throttle_burst = 5: must be at least throttle_rate_per_second (10)"),
        ({"api_key_daily_quota": 100}, "serverless_api.api_key_daily_quota = 100: needs api_key: true"),
        ({"cors_allow_origins": ["https://app.example.com/path"]}, "each origin must be https://host"),
        ({"cors_allow_origins": ["*"]}, "each origin must be https://host"),
        ({"function_timeout_seconds": 30}, "serverless_api.function_timeout_seconds = 30"),
        ({"waf": "yes"}, "serverless_api.waf"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_key(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_stage_config(context_with("sandbox", **changes))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_every_flag_off_in_prod_synthesizes_clean() -> None:
    """The one combination the four gated variants do not synthesize: no account role, no CORS,
    no key, WAF on (prod without the sandbox's defaults): this lab's stack alone, through cdk-nag."""
    context = context_with("prod", account_logging_role=False)
    config = load_stage_config(context)
    app = cdk.App(context=context, builtin_cloud_formation_validation=False)
    lab = lab_named("serverless-api")
    stack = lab.stack_type()(app, lab.stack_id, config=config.sections[lab.package], protect_data=True)
    assembly = app.synth()
    template = assembly.get_stack_by_name(stack.stack_name).template
    assert resources_of_type(template, "AWS::ApiGateway::Account") == {}
    assert len(resources_of_type(template, "AWS::WAFv2::WebACL")) == 1
    findings = [
        f"{violation.rule_name} at {resource.construct_path}"
        for pack in nag_packs()
        for violation in pack.validate_scope(app).violations
        for resource in violation.violating_resources
    ]
    assert findings == []
