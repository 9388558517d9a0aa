"""Queue worker lab: the issue's infrastructure bullets, one assertion each, in both stages."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from aws_cdk.assertions import Match

from stacks.components.powertools_layer import POWERTOOLS_VERSION
from stacks.config import ConfigError, load_stage_config
from stacks.queue_worker.config import QueueWorkerConfig
from tests.harness import SynthesizedStage, resources_of_type, stage_context

STACK = "QueueWorker"
FOURTEEN_DAYS_SECONDS = 14 * 24 * 3600


def only(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def queues(template: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(work queue props, dead-letter queue props, DLQ logical id)."""
    found = resources_of_type(template, "AWS::SQS::Queue")
    (work_id,) = [lid for lid, r in found.items() if "RedrivePolicy" in r["Properties"]]
    (dlq_id,) = [lid for lid in found if lid != work_id]
    return found[work_id]["Properties"], found[dlq_id]["Properties"], dlq_id


def function_props(template: dict[str, Any]) -> dict[str, Any]:
    return only(template, "AWS::Lambda::Function")[1]["Properties"]


def worker_policy_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    _, policy = only(template, "AWS::IAM::Policy")
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def actions_of(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


# --- Queue -------------------------------------------------------------------------------------
def test_visibility_timeout_is_at_least_six_times_the_function_timeout(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    work, _, _ = queues(template)
    ratio = work["VisibilityTimeout"] / function_props(template)["Timeout"]
    assert ratio >= 6, f"visibility timeout is only {ratio:.1f}x the function timeout"


def test_dead_letter_queue_after_a_small_receive_count(each_stage: SynthesizedStage) -> None:
    work, _, dlq_id = queues(each_stage.template_json(STACK))
    assert work["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
        "maxReceiveCount": each_stage.config.section(QueueWorkerConfig).max_receive_count,
    }
    assert 1 <= work["RedrivePolicy"]["maxReceiveCount"] <= 5


def test_dead_letter_queue_keeps_messages_for_14_days(each_stage: SynthesizedStage) -> None:
    _, dlq, _ = queues(each_stage.template_json(STACK))
    assert dlq["MessageRetentionPeriod"] == FOURTEEN_DAYS_SECONDS


def test_both_queues_are_encrypted_at_rest(each_stage: SynthesizedStage) -> None:
    work, dlq, _ = queues(each_stage.template_json(STACK))
    assert work["SqsManagedSseEnabled"] is True
    assert dlq["SqsManagedSseEnabled"] is True


def test_both_queues_deny_requests_without_tls(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    policies = resources_of_type(template, "AWS::SQS::QueuePolicy").values()
    protected = set()
    for policy in policies:
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}:
                assert statement["Principal"] == {"AWS": "*"}
                assert statement["Action"] == "sqs:*"
                protected |= {q["Ref"] for q in policy["Properties"]["Queues"]}
    assert protected == set(resources_of_type(template, "AWS::SQS::Queue"))


def test_work_queue_uses_long_polling(each_stage: SynthesizedStage) -> None:
    work, _, _ = queues(each_stage.template_json(STACK))
    assert work["ReceiveMessageWaitTimeSeconds"] == 20


# --- Function and event source -----------------------------------------------------------------
def test_event_source_reports_batch_item_failures_with_the_configured_batching(each_stage: SynthesizedStage) -> None:
    settings = each_stage.config.section(QueueWorkerConfig)
    each_stage.template(STACK).has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "BatchSize": settings.batch_size,
            "MaximumBatchingWindowInSeconds": settings.max_batching_window_seconds,
            "EventSourceArn": {"Fn::GetAtt": [Match.string_like_regexp("^WorkQueue"), "Arn"]},
        },
    )


def test_function_runs_latest_python_on_arm64_with_tracing(each_stage: SynthesizedStage) -> None:
    props = function_props(each_stage.template_json(STACK))
    assert props["Runtime"] == "python3.14"
    assert props["Architectures"] == ["arm64"]
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["Handler"] == "queue_worker.handler.lambda_handler"
    assert props["Timeout"] == each_stage.config.section(QueueWorkerConfig).function_timeout_seconds
    assert props["MemorySize"] == each_stage.config.section(QueueWorkerConfig).function_memory_mb


def test_powertools_comes_from_the_public_layer_pinned_by_version(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    (layer,) = function_props(template)["Layers"]
    # The layer ARN is AWS's public SSM parameter for exactly this release, resolved at deploy
    # time in the stack's region (no lookup at synth, no hand-copied layer number).
    parameter = template["Parameters"][layer["Ref"]]
    assert parameter["Type"] == "AWS::SSM::Parameter::Value<String>"
    assert parameter["Default"] == f"/aws/service/powertools/python/arm64/python3.14/{POWERTOOLS_VERSION}"


def test_layer_pin_matches_the_powertools_version_the_tests_use() -> None:
    from aws_lambda_powertools.shared.version import VERSION

    assert VERSION == POWERTOOLS_VERSION, "bump POWERTOOLS_VERSION with the dev requirement"


def test_function_reads_the_table_name_from_its_environment(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    table_id, _ = only(template, "AWS::DynamoDB::GlobalTable")
    assert function_props(template)["Environment"]["Variables"]["TABLE_NAME"] == {"Ref": table_id}


def test_function_logs_to_its_own_log_group_with_the_configured_retention(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    log_group_id, log_group = only(template, "AWS::Logs::LogGroup")
    assert log_group["Properties"]["RetentionInDays"] == each_stage.config.section(QueueWorkerConfig).log_retention_days
    assert function_props(template)["LoggingConfig"]["LogGroup"] == {"Ref": log_group_id}
    assert log_group["DeletionPolicy"] == "Delete"


# --- Table -------------------------------------------------------------------------------------
def test_table_keys_billing_recovery_and_encryption(each_stage: SynthesizedStage) -> None:
    _, table = only(each_stage.template_json(STACK), "AWS::DynamoDB::GlobalTable")
    props = table["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": "Zipcode", "KeyType": "HASH"},
        {"AttributeName": "ObservedAt", "KeyType": "RANGE"},
    ]
    assert sorted(props["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == [
        {"AttributeName": "ObservedAt", "AttributeType": "S"},
        {"AttributeName": "Zipcode", "AttributeType": "S"},
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}
    (replica,) = props["Replicas"]
    assert replica["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert "TableName" not in props, "no physical names: the generated name reaches the code as TABLE_NAME"


def test_table_logical_id_is_pinned(each_stage: SynthesizedStage) -> None:
    """A changed logical id would replace the table and lose its readings."""
    table_id, _ = only(each_stage.template_json(STACK), "AWS::DynamoDB::GlobalTable")
    assert table_id == "ReadingsTableF7A46ABF"


def test_sandbox_destroys_the_table(sandbox: SynthesizedStage) -> None:
    _, table = only(sandbox.template_json(STACK), "AWS::DynamoDB::GlobalTable")
    assert table["DeletionPolicy"] == "Delete"
    assert table["UpdateReplacePolicy"] == "Delete"
    assert table["Properties"]["Replicas"][0]["DeletionProtectionEnabled"] is False


def test_prod_retains_and_protects_the_table(prod: SynthesizedStage) -> None:
    _, table = only(prod.template_json(STACK), "AWS::DynamoDB::GlobalTable")
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    assert table["Properties"]["Replicas"][0]["DeletionProtectionEnabled"] is True


# --- Permissions -------------------------------------------------------------------------------
def test_function_may_only_batch_write_to_the_table(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    table_id, _ = only(template, "AWS::DynamoDB::GlobalTable")
    dynamodb_statements = [
        s for s in worker_policy_statements(template) if any(a.startswith("dynamodb:") for a in actions_of(s))
    ]
    assert dynamodb_statements == [
        {"Action": "dynamodb:BatchWriteItem", "Effect": "Allow", "Resource": {"Fn::GetAtt": [table_id, "Arn"]}}
    ]
    all_actions = {a for s in worker_policy_statements(template) for a in actions_of(s)}
    forbidden = {a for a in all_actions if re.search(r"Scan|Query|Delete(Item|Table)|GetItem|\*$", a)}
    assert forbidden == set()


def test_function_role_has_no_managed_policies(each_stage: SynthesizedStage) -> None:
    _, role = only(each_stage.template_json(STACK), "AWS::IAM::Role")
    assert "ManagedPolicyArns" not in role["Properties"]


def test_only_x_ray_needs_resource_star(each_stage: SynthesizedStage) -> None:
    star = [s for s in worker_policy_statements(each_stage.template_json(STACK)) if s["Resource"] == "*"]
    assert [sorted(actions_of(s)) for s in star] == [["xray:PutTelemetryRecords", "xray:PutTraceSegments"]]


# --- Alarms and outputs ------------------------------------------------------------------------
def test_three_alarms_notify_the_encrypted_alert_topic(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    topic_id, topic = only(template, "AWS::SNS::Topic")
    assert "KmsMasterKeyId" in topic["Properties"]
    _, _, dlq_id = queues(template)
    alarms = {
        alarm["Properties"]["MetricName"]: alarm["Properties"]
        for alarm in resources_of_type(template, "AWS::CloudWatch::Alarm").values()
    }
    assert set(alarms) == {"ApproximateNumberOfMessagesVisible", "Errors", "ApproximateAgeOfOldestMessage"}
    for props in alarms.values():
        assert props["AlarmActions"] == [{"Ref": topic_id}]
        assert props["ComparisonOperator"] == "GreaterThanThreshold"
    dlq_depth = alarms["ApproximateNumberOfMessagesVisible"]
    assert dlq_depth["Threshold"] == 0
    assert dlq_depth["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq_id, "QueueName"]}}]
    assert alarms["Errors"]["Namespace"] == "AWS/Lambda"
    assert alarms["Errors"]["Threshold"] == 0
    oldest = alarms["ApproximateAgeOfOldestMessage"]
    assert oldest["Threshold"] == each_stage.config.section(QueueWorkerConfig).oldest_message_age_alarm_seconds
    assert oldest["Dimensions"][0]["Value"]["Fn::GetAtt"][0] != dlq_id, "age alarm watches the work queue"


def test_outputs_name_the_queue_dead_letter_queue_and_table(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    work_id = next(
        lid for lid, r in resources_of_type(template, "AWS::SQS::Queue").items() if "RedrivePolicy" in r["Properties"]
    )
    _, _, dlq_id = queues(template)
    table_id, _ = only(template, "AWS::DynamoDB::GlobalTable")
    outputs = {name: output["Value"] for name, output in template["Outputs"].items()}
    assert outputs["QueueUrl"] == {"Ref": work_id}
    assert outputs["DeadLetterQueueUrl"] == {"Ref": dlq_id}
    assert outputs["TableName"] == {"Ref": table_id}


def test_stack_is_environment_agnostic(each_stage: SynthesizedStage) -> None:
    stack = each_stage.stacks[STACK]
    assert stack.environment == "aws://unknown-account/unknown-region"


# --- Configuration errors ----------------------------------------------------------------------
def sandbox_context_with(**queue_worker: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context("sandbox"))
    context["stages"]["sandbox"]["queue_worker"].update(queue_worker)
    return context


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"function_timeout_seconds": 900},
            "stages.sandbox.queue_worker.function_timeout_seconds = 900: must be between 3 and 120",
        ),
        (
            {"function_timeout_seconds": True},
            "stages.sandbox.queue_worker.function_timeout_seconds = true: must be a whole number",
        ),
        ({"max_receive_count": 0}, "stages.sandbox.queue_worker.max_receive_count = 0: must be between 1 and 10"),
        ({"function_memory_mb": 64}, "stages.sandbox.queue_worker.function_memory_mb = 64: must be between 128 and"),
        ({"log_retention_days": 10}, "stages.sandbox.queue_worker.log_retention_days = 10: must be one of 1, 3"),
        ({"alarm_email": "ops"}, 'stages.sandbox.queue_worker.alarm_email = "ops": must be an e-mail address'),
        (
            {"batch_size": 50, "max_batching_window_seconds": 0},
            "stages.sandbox.queue_worker.max_batching_window_seconds = 0: must be at least 1 when batch_size",
        ),
        (
            {"function_timeout_seconds": 60, "oldest_message_age_alarm_seconds": 1000},
            "stages.sandbox.queue_worker.oldest_message_age_alarm_seconds = 1000: must exceed max_receive_count "
            "x the queue's visibility timeout (3 x 361 s = 1083 s;",
        ),
        ({"batch_sise": 10}, "stages.sandbox.queue_worker.batch_sise = 10: unknown key"),
    ],
)
def test_bad_configuration_stops_with_one_line(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_stage_config(sandbox_context_with(**change))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"invalid configuration: {message}"), text


def test_shipped_configuration_derives_the_visibility_timeout() -> None:
    settings = load_stage_config(stage_context("sandbox")).section(QueueWorkerConfig)
    assert settings.visibility_timeout_seconds == (
        6 * settings.function_timeout_seconds + settings.max_batching_window_seconds
    )
