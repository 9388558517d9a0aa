"""s3-events lab: the issue's infrastructure bullets, one assertion each, in both stages."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scripts.s3_events import common
from stacks.components.powertools_layer import POWERTOOLS_VERSION
from stacks.config import ConfigError, load_stage_config, parse_section
from stacks.s3_events import stack as s3_events_stack
from stacks.s3_events.config import S3EventsConfig
from tests.harness import SynthesizedStage, resources_of_type, stage_context
from thumbnailer import settings

STACK = "S3Events"
BUCKET_ID = "ImagesBucket4B6DB8E1"


def only(template: dict[str, Any], resource_type: str, *, containing: str = "") -> tuple[str, dict[str, Any]]:
    found = {lid: r for lid, r in resources_of_type(template, resource_type).items() if containing in lid}
    assert len(found) == 1, f"expected one {resource_type} {containing}, found {sorted(found)}"
    return next(iter(found.items()))


def section(stage: SynthesizedStage) -> S3EventsConfig:
    return stage.config.section(S3EventsConfig)


def thumbnailer(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return only(template, "AWS::Lambda::Function", containing="ThumbnailerFunction")


def thumbnailer_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    _, policy = only(template, "AWS::IAM::Policy", containing="ThumbnailerRole")
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def actions_of(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def objects_under(prefix: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [{"Fn::GetAtt": [BUCKET_ID, "Arn"]}, f"/{prefix}*"]]}


# --- Bucket ------------------------------------------------------------------------------------
def test_bucket_is_private_sse_s3_and_logs_access(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    props = template["Resources"][BUCKET_ID]["Properties"]
    assert props["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]
    logs_id, _ = only(template, "AWS::S3::Bucket", containing="AccessLogs")
    assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs_id}


def test_both_buckets_deny_requests_without_tls_1_2(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    for policy in resources_of_type(template, "AWS::S3::BucketPolicy").values():
        denies = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
        assert {json.dumps(s["Condition"], sort_keys=True) for s in denies} == {
            '{"Bool": {"aws:SecureTransport": "false"}}',
            '{"NumericLessThan": {"s3:TlsVersion": 1.2}}',
        }
        assert all(s["Principal"] == {"AWS": "*"} and s["Action"] == "s3:*" for s in denies)
    assert len(resources_of_type(template, "AWS::S3::BucketPolicy")) == 2


def test_originals_move_to_the_configured_class_after_the_configured_days(each_stage: SynthesizedStage) -> None:
    config = section(each_stage)
    rules = each_stage.template_json(STACK)["Resources"][BUCKET_ID]["Properties"]["LifecycleConfiguration"]["Rules"]
    by_id = {rule["Id"]: rule for rule in rules}
    assert by_id["OriginalsToCheaperStorage"] == {
        "Id": "OriginalsToCheaperStorage",
        "Prefix": "images/",
        "Status": "Enabled",
        "Transitions": [
            {"StorageClass": config.originals_storage_class, "TransitionInDays": config.originals_transition_days}
        ],
    }
    assert by_id["AbortIncompleteUploads"]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}


def test_bucket_logical_id_is_pinned(each_stage: SynthesizedStage) -> None:
    """A changed logical id would replace the bucket and lose the learner's images."""
    assert only(each_stage.template_json(STACK), "AWS::S3::Bucket", containing="ImagesBucket")[0] == BUCKET_ID


def test_sandbox_empties_and_deletes_both_buckets(sandbox: SynthesizedStage) -> None:
    template = sandbox.template_json(STACK)
    buckets = resources_of_type(template, "AWS::S3::Bucket")
    assert {r["DeletionPolicy"] for r in buckets.values()} == {"Delete"}
    emptied = {
        r["Properties"]["BucketName"]["Ref"]
        for r in resources_of_type(template, "Custom::S3AutoDeleteObjects").values()
    }
    assert emptied == set(buckets)
    assert "VersioningConfiguration" not in template["Resources"][BUCKET_ID]["Properties"]


def test_prod_retains_the_buckets_and_keeps_previous_versions(prod: SynthesizedStage) -> None:
    template = prod.template_json(STACK)
    assert {r["DeletionPolicy"] for r in resources_of_type(template, "AWS::S3::Bucket").values()} == {"Retain"}
    assert resources_of_type(template, "Custom::S3AutoDeleteObjects") == {}
    props = template["Resources"][BUCKET_ID]["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    (rule,) = [r for r in props["LifecycleConfiguration"]["Rules"] if r["Id"] == "ExpirePreviousVersions"]
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": section(prod).previous_versions_days}
    assert rule["ExpiredObjectDeleteMarker"] is True


# --- Notification and permissions: no recursion, by filter and by permission --------------------
def notifications_handler(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The logical id of CDK's bucket-notifications handler function, and its role."""
    (function_id,) = [
        i
        for i, r in template["Resources"].items()
        if r["Type"] == "AWS::Lambda::Function" and i.startswith("BucketNotificationsHandler")
    ]
    role_id = template["Resources"][function_id]["Properties"]["Role"]["Fn::GetAtt"][0]
    return function_id, template["Resources"][role_id] | {"Id": role_id}


def test_the_notifications_handler_may_configure_this_bucket_and_write_its_own_logs_only(
    each_variant: SynthesizedStage,
) -> None:
    template = each_variant.template_json(STACK)
    function_id, role = notifications_handler(template)
    # No AWSLambdaBasicExecutionRole (CreateLogGroup and writes to every log group of the account)
    assert "ManagedPolicyArns" not in role["Properties"]
    # Its only inline policy is provider_logs' deny: a run after the group is deleted cannot make it again.
    [inline] = role["Properties"]["Policies"]
    assert inline["PolicyDocument"]["Statement"] == [
        {"Effect": "Deny", "Action": "logs:CreateLogGroup", "Resource": "*"}
    ]
    statements = sorted(
        (
            statement
            for policy in resources_of_type(template, "AWS::IAM::Policy").values()
            if {"Ref": role["Id"]} in policy["Properties"].get("Roles", [])
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        ),
        key=lambda statement: str(statement["Action"]),
    )
    own_group_streams = {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":logs:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":log-group:/aws/lambda/",
                {"Ref": function_id},
                ":*",
            ],
        ]
    }
    assert [(s["Effect"], s["Action"], s["Resource"]) for s in statements] == [
        ("Allow", ["logs:CreateLogStream", "logs:PutLogEvents"], own_group_streams),
        ("Allow", "s3:PutBucketNotification", {"Fn::GetAtt": [BUCKET_ID, "Arn"]}),
    ]
    # The group it writes is one the stack owns and deletes
    groups = [
        g
        for g in resources_of_type(template, "AWS::Logs::LogGroup").values()
        if g["Properties"].get("LogGroupName") == {"Fn::Join": ["", ["/aws/lambda/", {"Ref": function_id}]]}
    ]
    assert len(groups) == 1


def test_notification_is_object_created_under_images_ending_jpg(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    function_id, _ = thumbnailer(template)
    _, notifications = only(template, "Custom::S3BucketNotifications")
    assert notifications["Properties"]["BucketName"] == {"Ref": BUCKET_ID}
    assert notifications["Properties"]["NotificationConfiguration"] == {
        "LambdaFunctionConfigurations": [
            {
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {
                    "Key": {
                        "FilterRules": [{"Name": "suffix", "Value": ".jpg"}, {"Name": "prefix", "Value": "images/"}]
                    }
                },
                "LambdaFunctionArn": {"Fn::GetAtt": [function_id, "Arn"]},
            }
        ]
    }


def test_function_may_only_read_images_and_write_thumbnails(each_stage: SynthesizedStage) -> None:
    statements = thumbnailer_statements(each_stage.template_json(STACK))
    s3_statements = [
        {"Action": s["Action"], "Resource": s["Resource"]}
        for s in statements
        if any(action.startswith("s3:") for action in actions_of(s))
    ]
    assert s3_statements == [
        {"Action": "s3:GetObject", "Resource": objects_under("images/")},
        {"Action": "s3:PutObject", "Resource": objects_under("thumbnails/")},
    ]
    # The write folder is outside the notification's prefix: a thumbnail cannot trigger the function.
    assert not "thumbnails/".startswith("images/")
    assert all(s["Effect"] == "Allow" and "Condition" not in s for s in statements)


def test_function_role_has_no_managed_policies_and_only_x_ray_needs_resource_star(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    _, role = only(template, "AWS::IAM::Role", containing="ThumbnailerRole")
    assert "ManagedPolicyArns" not in role["Properties"]
    star = [s for s in thumbnailer_statements(template) if s["Resource"] == "*"]
    assert [sorted(actions_of(s)) for s in star] == [["xray:PutTelemetryRecords", "xray:PutTraceSegments"]]


def test_only_this_bucket_in_this_account_may_invoke_the_function(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    function_id, _ = thumbnailer(template)
    _, permission = only(template, "AWS::Lambda::Permission")
    assert permission["Properties"] == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Fn::GetAtt": [function_id, "Arn"]},
        "Principal": "s3.amazonaws.com",
        "SourceAccount": {"Ref": "AWS::AccountId"},
        "SourceArn": {"Fn::GetAtt": [BUCKET_ID, "Arn"]},
    }


# --- Function -----------------------------------------------------------------------------------
def test_function_runs_python_3_14_on_arm64_with_pillow_and_powertools_layers(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    props = thumbnailer(template)[1]["Properties"]
    assert (props["Runtime"], props["Architectures"], props["Handler"]) == (
        "python3.14",
        ["arm64"],
        "thumbnailer.handler.lambda_handler",
    )
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["MemorySize"] == section(each_stage).function_memory_mb
    assert props["Timeout"] == section(each_stage).function_timeout_seconds
    pillow_id, pillow = only(template, "AWS::Lambda::LayerVersion")
    assert pillow["Properties"]["CompatibleRuntimes"] == ["python3.14"]
    assert pillow["Properties"]["CompatibleArchitectures"] == ["arm64"]
    powertools = template["Parameters"][props["Layers"][1]["Ref"]]
    assert props["Layers"][0] == {"Ref": pillow_id}
    assert powertools["Default"] == f"/aws/service/powertools/python/arm64/python3.14/{POWERTOOLS_VERSION}"


def test_the_layer_asset_is_pillow_built_for_arm64_python_3_14(sandbox: SynthesizedStage) -> None:
    template = sandbox.template_json(STACK)
    _, layer = only(template, "AWS::Lambda::LayerVersion")
    asset_id = layer["Properties"]["Content"]["S3Key"].removesuffix(".zip")
    manifest = json.loads((Path(sandbox.outdir) / f"{STACK}.assets.json").read_text())
    asset = Path(sandbox.outdir) / manifest["files"][asset_id]["source"]["path"]
    assert (asset / "python" / "PIL" / "_imaging.cpython-314-aarch64-linux-gnu.so").is_file()
    assert not list(asset.rglob("*x86_64*"))


def test_function_environment_carries_the_stage_settings(each_stage: SynthesizedStage) -> None:
    config = section(each_stage)
    variables = thumbnailer(each_stage.template_json(STACK))[1]["Properties"]["Environment"]["Variables"]
    # What the function will read from it (lambda_src/thumbnailer/settings.py) is the stage's configuration.
    assert settings.from_environment(variables) == settings.Settings(
        sizes=config.thumbnail_sizes,
        max_pixels=config.max_image_megapixels * 1_000_000,
        max_side=config.max_image_side_px,
        max_bytes=config.max_upload_mb * 1024 * 1024,
        quality=config.jpeg_quality,
        source_prefix="images/",
        thumbnail_prefix="thumbnails/",
    )


@pytest.mark.parametrize("limit", ["low", "high"])
def test_every_configurable_value_is_one_the_function_accepts(limit: str) -> None:
    # Given a section at the lower or the upper end of every field
    attribute = "ge" if limit == "low" else "le"

    def bound(name: str) -> int:
        metadata = S3EventsConfig.model_fields[name].metadata
        return next(int(getattr(m, attribute)) for m in metadata if getattr(m, attribute, None) is not None)

    raw = stage_context("sandbox")["stages"]["sandbox"]["s3_events"] | {
        name: bound(name) for name in ("jpeg_quality", "max_image_megapixels", "max_image_side_px", "max_upload_mb")
    }
    raw |= {"thumbnail_sizes": [16] if limit == "low" else [4096, *range(100, 107)], "function_memory_mb": 10240}
    config = parse_section(S3EventsConfig, raw, "stages.sandbox.s3_events")
    # Then the environment the stack gives the function passes the function's own checks
    assert settings.from_environment(s3_events_stack.function_environment(config)).quality == config.jpeg_quality


def test_failed_events_go_to_an_encrypted_queue_after_bounded_retries(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    config = section(each_stage)
    function_id, _ = thumbnailer(template)
    queue_id, queue = only(template, "AWS::SQS::Queue", containing="FailedEvents")
    _, invoke_config = only(template, "AWS::Lambda::EventInvokeConfig")
    assert invoke_config["Properties"] == {
        "FunctionName": {"Ref": function_id},
        "Qualifier": "$LATEST",
        "MaximumRetryAttempts": config.retry_attempts,
        "MaximumEventAgeInSeconds": config.max_event_age_seconds,
        "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": [queue_id, "Arn"]}}},
    }
    assert config.retry_attempts <= 2
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    (policy,) = resources_of_type(template, "AWS::SQS::QueuePolicy").values()
    (deny,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_an_alarm_on_failed_events_notifies_the_encrypted_alert_topic(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    topic_id, topic = only(template, "AWS::SNS::Topic")
    assert "KmsMasterKeyId" in topic["Properties"]
    queue_id, _ = only(template, "AWS::SQS::Queue", containing="FailedEvents")
    _, alarm = only(template, "AWS::CloudWatch::Alarm")
    props = alarm["Properties"]
    assert (props["Namespace"], props["MetricName"], props["Threshold"]) == (
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        0,
    )
    assert props["ComparisonOperator"] == "GreaterThanThreshold"
    assert props["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue_id, "QueueName"]}}]
    assert props["AlarmActions"] == [{"Ref": topic_id}]


# --- Logs: every function's log group belongs to the stack ---------------------------------------
def test_every_function_logs_to_a_group_the_stack_owns_with_retention(each_stage: SynthesizedStage) -> None:
    """CDK's provider functions (notifications; auto-delete in the sandbox) included: STYLE.md's deploy-time trap."""
    template = each_stage.template_json(STACK)
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    assert all(g["DeletionPolicy"] == "Delete" and "RetentionInDays" in g["Properties"] for g in groups.values())
    # Groups named after a function: Lambda's default /aws/lambda/<name>, created by the stack instead.
    by_name = {
        json.dumps(g["Properties"]["LogGroupName"], sort_keys=True): lid
        for lid, g in groups.items()
        if "LogGroupName" in g["Properties"]
    }
    functions = resources_of_type(template, "AWS::Lambda::Function")
    assert len(functions) == (2 if each_stage.config.protect_data else 3)
    for function_id, function in functions.items():
        own = function["Properties"].get("LoggingConfig", {}).get("LogGroup", {}).get("Ref")
        default = json.dumps({"Fn::Join": ["", ["/aws/lambda/", {"Ref": function_id}]]}, sort_keys=True)
        assert own in groups or default in by_name, f"{function_id} logs to a group the stack does not own"
    # A custom resource runs its provider on create and delete: the groups must exist first and go last.
    for custom in [r for r in template["Resources"].values() if r["Type"].startswith("Custom::")]:
        assert set(by_name.values()) <= set(custom.get("DependsOn", []))


def test_thumbnailer_logs_keep_the_configured_days(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    own = thumbnailer(template)[1]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    assert template["Resources"][own]["Properties"]["RetentionInDays"] == section(each_stage).log_retention_days


# --- Outputs and wiring ------------------------------------------------------------------------------
def test_outputs_are_what_the_learner_tools_read(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    queue_id, _ = only(template, "AWS::SQS::Queue", containing="FailedEvents")
    outputs = {name: output["Value"] for name, output in template["Outputs"].items()}
    assert outputs["BucketName"] == {"Ref": BUCKET_ID}
    assert outputs["ThumbnailSizes"] == ",".join(str(s) for s in section(each_stage).thumbnail_sizes)
    assert outputs["FailedEventsQueueUrl"] == {"Ref": queue_id}
    assert "FunctionLogGroup" in outputs


def test_the_learner_tools_use_the_stack_s_prefixes_and_name() -> None:
    assert (common.SOURCE_PREFIX, common.THUMBNAIL_PREFIX, common.SUFFIX) == (
        s3_events_stack.SOURCE_PREFIX,
        s3_events_stack.THUMBNAIL_PREFIX,
        s3_events_stack.SUFFIX,
    )
    assert common.STACK_NAME == STACK


def test_stack_is_environment_agnostic(each_stage: SynthesizedStage) -> None:
    assert each_stage.stacks[STACK].environment == "aws://unknown-account/unknown-region"


# --- Configuration errors ----------------------------------------------------------------------
def sandbox_context_with(**changes: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context("sandbox"))
    context["stages"]["sandbox"]["s3_events"].update(changes)
    return context


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"thumbnail_sizes": []}, "stages.sandbox.s3_events.thumbnail_sizes = []: must be a list of 1 to 8 items"),
        ({"thumbnail_sizes": [128, 128]}, "stages.sandbox.s3_events.thumbnail_sizes = [128, 128]: must not repeat"),
        ({"thumbnail_sizes": [128, 8]}, "stages.sandbox.s3_events.thumbnail_sizes[1] = 8: must be between 16 and 4096"),
        ({"thumbnail_sizes": [128.5]}, "stages.sandbox.s3_events.thumbnail_sizes[0] = 128.5: must be a whole number"),
        ({"jpeg_quality": 100}, "stages.sandbox.s3_events.jpeg_quality = 100: must be between 1 and 95"),
        ({"retry_attempts": 3}, "stages.sandbox.s3_events.retry_attempts = 3: must be between 0 and 2"),
        ({"max_event_age_seconds": 30}, "stages.sandbox.s3_events.max_event_age_seconds = 30: must be between 60"),
        (
            {"originals_storage_class": "GLACIER"},
            'stages.sandbox.s3_events.originals_storage_class = "GLACIER": must be one of "STANDARD_IA"',
        ),
        (
            {"originals_transition_days": 7},
            "stages.sandbox.s3_events.originals_transition_days = 7: must be at least 30 for STANDARD_IA",
        ),
        (
            {"max_image_megapixels": 200, "function_memory_mb": 512},
            "stages.sandbox.s3_events.function_memory_mb = 512: must be at least 828 to decode a 200 MP image",
        ),
        ({"previous_versions_days": 0}, "stages.sandbox.s3_events.previous_versions_days = 0: must be between 1"),
        ({"alarm_email": "ops"}, 'stages.sandbox.s3_events.alarm_email = "ops": must be an e-mail address'),
        ({"log_retention_days": 10}, "stages.sandbox.s3_events.log_retention_days = 10: must be one of 1, 3"),
        ({"thumbnail_size": [128]}, "stages.sandbox.s3_events.thumbnail_size = [128]: unknown key"),
    ],
)
def test_bad_configuration_stops_with_one_line(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_stage_config(sandbox_context_with(**change))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"invalid configuration: {message}"), text


def test_glacier_instant_retrieval_may_move_originals_at_once() -> None:
    config = load_stage_config(
        sandbox_context_with(originals_storage_class="GLACIER_IR", originals_transition_days=0)
    ).section(S3EventsConfig)
    assert (config.originals_storage_class, config.originals_transition_days) == ("GLACIER_IR", 0)
