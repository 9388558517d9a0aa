"""Security baseline lab: the trail, its bucket policy, the CIS alarms, GuardDuty and the remediation."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from stacks.config import ConfigError, load_stage_config
from stacks.security_baseline.config import SecurityBaselineConfig
from stacks.security_baseline.filters import FILTERS, METRIC_NAMESPACE
from tests.harness import SynthesizedStage, resources_of_type, stage_context

STACK = "SecurityBaseline"
# Stateful resources: a changed logical id would replace them (and lose their contents).
PINNED = {
    "AuditTrailTrailBucket1CFE0AA4": "AWS::S3::Bucket",
    "AuditTrailAccessLogsC856A1A5": "AWS::S3::Bucket",
    "AuditTrailTrailLogsD91C2C71": "AWS::Logs::LogGroup",
    "AuditTrailC93518EF": "AWS::CloudTrail::Trail",
    "FindingsDetector494F660B": "AWS::GuardDuty::Detector",
}


def resource(template: dict[str, Any], resource_type: str, prefix: str) -> tuple[str, dict[str, Any]]:
    found = {k: v for k, v in resources_of_type(template, resource_type).items() if k.startswith(prefix)}
    assert len(found) == 1, f"expected one {resource_type} {prefix}*, found {sorted(found)}"
    return next(iter(found.items()))


def section(stage: SynthesizedStage) -> SecurityBaselineConfig:
    return stage.config.section(SecurityBaselineConfig)


def bucket_statements(template: dict[str, Any], bucket_id: str) -> list[dict[str, Any]]:
    policies = [
        p
        for p in resources_of_type(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    assert len(policies) == 1
    found: list[dict[str, Any]] = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    return found


def role_statements(template: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    _, policy = resource(template, "AWS::IAM::Policy", prefix)
    found: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return found


def trail_arn_of(trail: dict[str, Any]) -> dict[str, Any]:
    """The ARN the bucket policy must name: arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME."""
    [prefix, region] = trail["Properties"]["TrailName"]["Fn::Join"][1]
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":cloudtrail:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                f":trail/{prefix}",
                region,
            ],
        ]
    }


# --- The trail ----------------------------------------------------------------------------------
def test_the_trail_is_multi_region_validated_and_logging(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    _, trail = resource(template, "AWS::CloudTrail::Trail", "AuditTrail")
    props = trail["Properties"]
    assert (props["IsMultiRegionTrail"], props["EnableLogFileValidation"]) == (True, True)
    assert (props["IncludeGlobalServiceEvents"], props["IsLogging"]) == (True, True)
    bucket_id, _ = resource(template, "AWS::S3::Bucket", "AuditTrailTrailBucket")
    group_id, _ = resource(template, "AWS::Logs::LogGroup", "AuditTrailTrailLogs")
    assert props["S3BucketName"] == {"Ref": bucket_id}
    assert props["CloudWatchLogsLogGroupArn"] == {"Fn::GetAtt": [group_id, "Arn"]}


def test_the_bucket_admits_cloudtrail_only_for_this_trail(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    _, trail = resource(template, "AWS::CloudTrail::Trail", "AuditTrail")
    bucket_id, _ = resource(template, "AWS::S3::Bucket", "AuditTrailTrailBucket")
    cloudtrail = [
        s
        for s in bucket_statements(template, bucket_id)
        if s.get("Principal") == {"Service": "cloudtrail.amazonaws.com"}
    ]
    assert sorted(s["Action"] for s in cloudtrail) == ["s3:GetBucketAcl", "s3:PutObject"]
    for statement in cloudtrail:
        assert statement["Condition"]["StringEquals"]["aws:SourceArn"] == trail_arn_of(trail)
    [write] = [s for s in cloudtrail if s["Action"] == "s3:PutObject"]
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"


def test_the_cloudwatch_logs_role_has_the_trust_aws_documents(each_stage: SynthesizedStage) -> None:
    """CloudTrail checks the role when it creates the trail (InvalidCloudWatchLogsRoleArnException); AWS
    documents the plain service trust for it and no aws:SourceArn that CloudTrail would send
    (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html)."""
    template = each_stage.template_json(STACK)
    _, trail = resource(template, "AWS::CloudTrail::Trail", "AuditTrail")
    role_id, role = resource(template, "AWS::IAM::Role", "AuditTrailTrailLogsRole")
    [trust] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust == {
        "Action": "sts:AssumeRole",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
    }
    assert trail["Properties"]["CloudWatchLogsRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}


def test_the_trail_name_carries_the_region(each_stage: SynthesizedStage) -> None:
    """A multi-region trail has a shadow trail under its name in every region
    (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html): the same
    stack deployed in a second region of the account needs another name."""
    _, trail = resource(each_stage.template_json(STACK), "AWS::CloudTrail::Trail", "AuditTrail")
    assert {"Ref": "AWS::Region"} in trail["Properties"]["TrailName"]["Fn::Join"][1]


def test_the_trail_bucket_is_private_encrypted_tls_only_and_logged(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    bucket_id, bucket = resource(template, "AWS::S3::Bucket", "AuditTrailTrailBucket")
    logs_id, _ = resource(template, "AWS::S3::Bucket", "AuditTrailAccessLogs")
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    [rule] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs_id}
    [deny] = [s for s in bucket_statements(template, bucket_id) if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_trail_files_follow_the_configured_lifecycle(each_variant: SynthesizedStage) -> None:
    config = section(each_variant)
    _, bucket = resource(each_variant.template_json(STACK), "AWS::S3::Bucket", "AuditTrailTrailBucket")
    [rule] = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == config.log_expiration_days
    expected = (
        [{"StorageClass": "GLACIER", "TransitionInDays": config.log_transition_to_glacier_days}]
        if config.log_transition_to_glacier_days
        else None
    )
    assert rule.get("Transitions") == expected


def test_the_logs_copy_keeps_the_configured_days(each_stage: SynthesizedStage) -> None:
    _, group = resource(each_stage.template_json(STACK), "AWS::Logs::LogGroup", "AuditTrailTrailLogs")
    assert group["Properties"]["RetentionInDays"] == section(each_stage).trail_log_retention_days


def test_stateful_logical_ids_are_pinned(each_stage: SynthesizedStage) -> None:
    resources = each_stage.template_json(STACK)["Resources"]
    assert {logical_id: resources[logical_id]["Type"] for logical_id in PINNED if logical_id in resources} == PINNED


def test_prod_keeps_the_logs_and_the_detector(prod: SynthesizedStage) -> None:
    resources = prod.template_json(STACK)["Resources"]
    kept = {logical_id: resources[logical_id].get("DeletionPolicy") for logical_id in PINNED}
    assert kept == {**dict.fromkeys(PINNED, "Retain"), "AuditTrailC93518EF": None}


def test_the_sandbox_empties_and_deletes_the_buckets(sandbox: SynthesizedStage) -> None:
    template = sandbox.template_json(STACK)
    auto_delete = resources_of_type(template, "Custom::S3AutoDeleteObjects").values()
    assert sorted(r["Properties"]["BucketName"]["Ref"] for r in auto_delete) == [
        "AuditTrailAccessLogsC856A1A5",
        "AuditTrailTrailBucket1CFE0AA4",
    ]


# --- CIS metric filters and alarms -------------------------------------------------------------
def test_the_four_cis_filters_read_the_trail_log_group(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    group_id, _ = resource(template, "AWS::Logs::LogGroup", "AuditTrailTrailLogs")
    filters = resources_of_type(template, "AWS::Logs::MetricFilter").values()
    found = {f["Properties"]["MetricTransformations"][0]["MetricName"]: f["Properties"] for f in filters}
    assert sorted(found) == sorted(f.metric_name for f in FILTERS)
    for metric_filter in FILTERS:
        props = found[metric_filter.metric_name]
        assert props["FilterPattern"] == metric_filter.pattern
        assert props["LogGroupName"] == {"Ref": group_id}
        assert props["MetricTransformations"] == [
            {"MetricName": metric_filter.metric_name, "MetricNamespace": METRIC_NAMESPACE, "MetricValue": "1"}
        ]


def test_each_filter_alarms_on_one_match_in_five_minutes_to_the_topic(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    topic_id, _ = resource(template, "AWS::SNS::Topic", "AlertsTopic")
    for metric_filter in FILTERS:
        _, alarm = resource(template, "AWS::CloudWatch::Alarm", f"CisAlarms{metric_filter.key}Alarm")
        props = alarm["Properties"]
        assert (props["Namespace"], props["MetricName"]) == (METRIC_NAMESPACE, metric_filter.metric_name)
        assert (props["Statistic"], props["Period"], props["EvaluationPeriods"]) == ("Sum", 300, 1)
        assert (props["Threshold"], props["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")
        assert props["TreatMissingData"] == "notBreaching"
        assert props["AlarmActions"] == [{"Ref": topic_id}]


# --- GuardDuty, the rules and the remediation --------------------------------------------------
def test_the_detector_is_created_or_the_existing_one_is_used(each_variant: SynthesizedStage) -> None:
    config = section(each_variant)
    template = each_variant.template_json(STACK)
    detectors = resources_of_type(template, "AWS::GuardDuty::Detector")
    output = template["Outputs"]["DetectorId"]["Value"]
    if config.guardduty_detector == "create":
        [(detector_id, detector)] = detectors.items()
        assert detector["Properties"]["Enable"] is True
        assert output == {"Ref": detector_id}
    else:
        # A second detector cannot be created in an account that has one: nothing to create.
        assert detectors == {}
        assert output == config.existing_detector_id


# Every optional GuardDuty feature CreateDetector accepts, but EKS_RUNTIME_MONITORING, which may not be named
# beside RUNTIME_MONITORING (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html).
GUARDDUTY_OPTIONAL_FEATURES = {
    "S3_DATA_EVENTS",
    "EKS_AUDIT_LOGS",
    "EBS_MALWARE_PROTECTION",
    "RDS_LOGIN_EVENTS",
    "LAMBDA_NETWORK_LOGS",
    "RUNTIME_MONITORING",
}


def test_the_detector_runs_foundational_detection_only(each_stage: SynthesizedStage) -> None:
    """Without `Features`, CreateDetector turns on every optional protection plan but Runtime Monitoring
    (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html), each billed on
    its own; the cost model prices the foundational sources only, so each plan is named DISABLED."""
    [detector] = resources_of_type(each_stage.template_json(STACK), "AWS::GuardDuty::Detector").values()
    features = {f["Name"]: f["Status"] for f in detector["Properties"]["Features"]}
    assert features == dict.fromkeys(GUARDDUTY_OPTIONAL_FEATURES, "DISABLED")
    assert "DataSources" not in detector["Properties"]


def test_findings_of_severity_7_and_above_reach_the_topic(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    topic_id, _ = resource(template, "AWS::SNS::Topic", "AlertsTopic")
    queue_id, _ = resource(template, "AWS::SQS::Queue", "FindingsUndeliveredEvents")
    _, rule = resource(template, "AWS::Events::Rule", "FindingsHighSeverityRule")
    assert rule["Properties"]["EventPattern"] == {
        "source": ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        "detail": {"severity": [{"numeric": [">=", 7]}]},
    }
    [target] = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Ref": topic_id}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue_id, "Arn"]}}


def test_eventbridge_publishes_through_a_role_of_this_account_only(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    topic_id, _ = resource(template, "AWS::SNS::Topic", "AlertsTopic")
    role_id, role = resource(template, "AWS::IAM::Role", "FindingsPublisherRole")
    _, rule = resource(template, "AWS::Events::Rule", "FindingsHighSeverityRule")
    assert rule["Properties"]["Targets"][0]["RoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    [trust] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    publish = [
        s for s in role_statements(template, "FindingsPublisherRoleDefaultPolicy") if s["Action"] == "sns:Publish"
    ]
    assert publish == [{"Action": "sns:Publish", "Effect": "Allow", "Resource": {"Ref": topic_id}}]
    # No service may publish to the topic without a condition naming this account.
    [policy] = resources_of_type(template, "AWS::SNS::TopicPolicy").values()
    allows = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert allows
    assert all(s["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"} for s in allows)


def test_the_guides_finding_type_triggers_the_remediation(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    function_id, _ = resource(template, "AWS::Lambda::Function", "FindingsRemediation")
    _, rule = resource(template, "AWS::Events::Rule", "FindingsCredentialExfiltrationRule")
    assert rule["Properties"]["EventPattern"]["detail"] == {
        "type": [{"prefix": "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration."}]
    }
    [target] = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}
    assert "DeadLetterConfig" in target


def test_remediation_is_a_dry_run_without_iam_write_unless_enforced(each_variant: SynthesizedStage) -> None:
    enforce = section(each_variant).remediation == "enforce"
    template = each_variant.template_json(STACK)
    _, function = resource(template, "AWS::Lambda::Function", "FindingsRemediation")
    role_id, _ = resource(template, "AWS::IAM::Role", "FindingsRemediationRole")
    assert function["Properties"]["Environment"]["Variables"]["DRY_RUN"] == ("false" if enforce else "true")
    statements = role_statements(template, "FindingsRemediationRoleDefaultPolicy")
    writes = [s for s in statements if s["Action"] == "iam:PutRolePolicy"]
    if not enforce:
        assert writes == []
        return
    by_sid = {statement["Sid"]: statement for statement in writes}
    assert set(by_sid) == {
        "DenyOlderSessionsOfRolesTaggedRemediable",
        "NeverEditItsOwnRole",
        "NeverEditBootstrapOrAdministratorRoles",
    }
    # Only roles a learner tagged remediable: the ARN pattern is role/*, the tag is the scope.
    allow = by_sid["DenyOlderSessionsOfRolesTaggedRemediable"]
    assert allow["Effect"] == "Allow"
    assert role_arn_names(allow["Resource"]) == ["*"]
    assert allow["Condition"] == {"StringEquals": {"aws:ResourceTag/GuardDutyRemediable": "true"}}
    # It may never edit its own role, whatever a finding says.
    own = by_sid["NeverEditItsOwnRole"]
    assert (own["Effect"], own["Resource"]) == ("Deny", {"Fn::GetAtt": [role_id, "Arn"]})
    # Nor the CDK bootstrap roles or an administrator role, even if someone tags them.
    protected = by_sid["NeverEditBootstrapOrAdministratorRoles"]
    assert (protected["Effect"], "Condition" in protected) == ("Deny", False)
    assert set(role_arn_names(protected["Resource"])) >= {
        "cdk-hnb659fds-*",
        "aws-reserved/*",
        "*AWSReservedSSO_*",
        "OrganizationAccountAccessRole",
        "*Admin*",
    }
    # Nothing else in the role's policy writes to IAM (no TagRole: it cannot make a role remediable).
    iam_writes = [
        s for s in statements if any(a.startswith("iam:") and a != "iam:GetInstanceProfile" for a in actions_of(s))
    ]
    assert iam_writes == writes


def actions_of(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def role_arn_names(resource: Any) -> list[str]:
    """The role names (after 'role/') of arn:PARTITION:iam::ACCOUNT:role/<name> joins, one or many."""
    resources = resource if isinstance(resource, list) else [resource]
    names = []
    for arn in resources:
        parts = arn["Fn::Join"][1]
        assert (parts[0], parts[2]) == ("arn:", ":iam::"), arn
        assert parts[-1].startswith(":role/"), arn
        names.append(parts[-1].removeprefix(":role/"))
    return names


def test_shipped_stages_leave_remediation_off(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    assert section(sandbox).remediation == "dry-run"
    assert section(prod).remediation == "dry-run"


# --- Optional services and outputs --------------------------------------------------------------
def test_access_analyzer_by_flag_and_the_paid_services_only_when_opted_in(each_variant: SynthesizedStage) -> None:
    config = section(each_variant)
    template = each_variant.template_json(STACK)
    counts = {
        kind: len(resources_of_type(template, kind))
        for kind in ("AWS::AccessAnalyzer::Analyzer", "AWS::SecurityHub::Hub", "AWS::Config::ConfigurationRecorder")
    }
    assert counts == {
        "AWS::AccessAnalyzer::Analyzer": int(config.access_analyzer),
        "AWS::SecurityHub::Hub": int(config.security_hub),
        "AWS::Config::ConfigurationRecorder": int(config.aws_config),
    }


def test_shipped_stages_opt_out_of_the_paid_services(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    for stage in (sandbox, prod):
        assert (section(stage).security_hub, section(stage).aws_config) == (False, False)


def test_config_delivers_to_the_trail_bucket_only_for_this_account(all_options: SynthesizedStage) -> None:
    template = all_options.template_json(STACK)
    bucket_id, _ = resource(template, "AWS::S3::Bucket", "AuditTrailTrailBucket")
    config = [
        s for s in bucket_statements(template, bucket_id) if s.get("Principal") == {"Service": "config.amazonaws.com"}
    ]
    assert len(config) == 2
    assert all(s["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"} for s in config)


def test_the_config_channel_waits_for_the_bucket_policy_and_not_for_the_recorder(
    all_options: SynthesizedStage,
) -> None:
    """CloudFormation starts the recorder as soon as a delivery channel is available, and
    PutDeliveryChannel needs a recorder: a channel that waits for the recorder fails with
    NoAvailableDeliveryChannelException (aws-cdk #9001, https://github.com/aws/aws-cdk/issues/9001;
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-config-configurationrecorder.html).
    The two are created side by side, as AWS's sample template does; the channel after its bucket policy."""
    template = all_options.template_json(STACK)
    recorder_id, recorder = resource(template, "AWS::Config::ConfigurationRecorder", "ConfigRecorder")
    channel_id, channel = resource(template, "AWS::Config::DeliveryChannel", "ConfigRecorder")
    bucket_id, _ = resource(template, "AWS::S3::Bucket", "AuditTrailTrailBucket")
    [policy_id] = [
        k
        for k, p in resources_of_type(template, "AWS::S3::BucketPolicy").items()
        if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    assert channel.get("DependsOn") == [policy_id]
    assert channel_id not in recorder.get("DependsOn", [])
    assert recorder_id not in json.dumps(channel)


def test_outputs_are_what_verify_reads(each_variant: SynthesizedStage) -> None:
    outputs = each_variant.template_json(STACK)["Outputs"]
    assert set(outputs) == {
        "TrailArn",
        "TrailBucketName",
        "TrailLogGroupName",
        "DetectorId",
        "AlertTopicArn",
        "AlarmNames",
        "FindingsRuleName",
        "RemediationFunctionName",
        "RemediationLogGroupName",
    }
    joined = outputs["AlarmNames"]["Value"]["Fn::Join"]
    assert joined[0] == ","
    assert len(joined[1]) == len(FILTERS)


# --- Configuration errors -----------------------------------------------------------------------
def sandbox_context_with(**change: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context("sandbox"))
    context["stages"]["sandbox"]["security_baseline"].update(change)
    return context


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"guardduty_detector": "existing"},
            'existing_detector_id = null: is required when guardduty_detector is "existing"',
        ),
        (
            {"existing_detector_id": "12abc34d567e8fa901bc2d34e56789f0"},
            'existing_detector_id = "12abc34d567e8fa901bc2d34e56789f0": must be null when guardduty_detector is',
        ),
        (
            {"guardduty_detector": "existing", "existing_detector_id": "detector-1"},
            'existing_detector_id = "detector-1": must be a GuardDuty detector id (32 hex characters',
        ),
        ({"guardduty_detector": "reuse"}, 'guardduty_detector = "reuse": must be one of'),
        ({"remediation": "on"}, 'remediation = "on": must be one of'),
        (
            {"log_transition_to_glacier_days": 30},
            "log_transition_to_glacier_days = 30: must be less than log_expiration_days (30)",
        ),
        ({"log_expiration_days": 0}, "log_expiration_days = 0: must be between 1 and 3650"),
        ({"security_hub": "yes"}, 'security_hub = "yes": must be true or false'),
    ],
)
def test_bad_configuration_stops_with_one_line(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_stage_config(sandbox_context_with(**change))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"invalid configuration: stages.sandbox.security_baseline.{message}"), text


def test_the_template_names_no_trail_arn_it_cannot_know(each_stage: SynthesizedStage) -> None:
    # The bucket policy names the trail by a fixed name; the trail must carry exactly that name.
    template = each_stage.template_json(STACK)
    _, trail = resource(template, "AWS::CloudTrail::Trail", "AuditTrail")
    assert trail["Properties"]["TrailName"] == {"Fn::Join": ["", [f"{STACK}-Trail-", {"Ref": "AWS::Region"}]]}
    assert json.dumps(template).count(f':trail/{STACK}-Trail-", {{"Ref": "AWS::Region"}}') >= 2
