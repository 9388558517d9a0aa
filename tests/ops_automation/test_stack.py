"""Ops automation lab: schedules, functions and the tag conditions that scope each chore's IAM."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from stacks.config import ConfigError, load_stage_config
from stacks.labs import PROJECT_TAG
from stacks.ops_automation.config import OpsAutomationConfig
from stacks.ops_automation.dst import skipped_run
from tests.harness import SynthesizedStage, resources_of_type, stage_context

STACK = "OpsAutomation"
HANDLERS = {
    "Snapshot": "ops_chores.handler.snapshot_handler",
    "Cleanup": "ops_chores.handler.cleanup_handler",
    "StopInstances": "ops_chores.handler.stop_instances_handler",
}


def chores_of(stage: SynthesizedStage) -> list[str]:
    config = stage.config.section(OpsAutomationConfig)
    return ["Snapshot", "Cleanup"] + (["StopInstances"] if config.stop_instances_schedule else [])


def resource(template: dict[str, Any], resource_type: str, prefix: str) -> tuple[str, dict[str, Any]]:
    """The one resource of `resource_type` whose logical id starts with `prefix`."""
    found = {k: v for k, v in resources_of_type(template, resource_type).items() if k.startswith(prefix)}
    assert len(found) == 1, f"expected one {resource_type} {prefix}*, found {sorted(found)}"
    return next(iter(found.items()))


def statements(template: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    _, policy = resource(template, "AWS::IAM::Policy", prefix)
    found: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return found


def actions(statement: dict[str, Any]) -> list[str]:
    value = statement["Action"]
    return [value] if isinstance(value, str) else list(value)


def ec2_writes(template: dict[str, Any], chore: str) -> list[dict[str, Any]]:
    return [
        s
        for s in statements(template, f"{chore}Role")
        if any(a.startswith("ec2:") and not a.startswith("ec2:Describe") for a in actions(s))
    ]


def arn_suffix(statement: dict[str, Any]) -> str:
    """The ARN pattern's literal ending, e.g. ':volume/*' or '::snapshot/*'."""
    parts = statement["Resource"]["Fn::Join"][1]
    return str(parts[-1])


# --- Schedules ----------------------------------------------------------------------------------
def test_each_chore_has_a_schedule_in_the_configured_time_zone(each_variant: SynthesizedStage) -> None:
    config = each_variant.config.section(OpsAutomationConfig)
    template = each_variant.template_json(STACK)
    expressions = {
        "Snapshot": config.snapshot_schedule,
        "Cleanup": config.cleanup_schedule,
        "StopInstances": config.stop_instances_schedule,
    }
    schedules = resources_of_type(template, "AWS::Scheduler::Schedule")
    assert len(schedules) == len(chores_of(each_variant))
    for chore in chores_of(each_variant):
        _, schedule = resource(template, "AWS::Scheduler::Schedule", f"{chore}Schedule")
        props = schedule["Properties"]
        function_id, _ = resource(template, "AWS::Lambda::Function", f"{chore}Function")
        assert props["ScheduleExpression"] == expressions[chore]
        assert props["ScheduleExpressionTimezone"] == config.time_zone
        assert props["State"] == "ENABLED"
        assert props["Target"]["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}
        # The scheduled time makes a retried run keep its date (the snapshot chore's idempotency).
        assert json.loads(props["Target"]["Input"]) == {"scheduled_time": "<aws.scheduler.scheduled-time>"}


def test_the_scheduler_role_may_invoke_only_its_own_function(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    for chore in chores_of(each_stage):
        function_id, _ = resource(template, "AWS::Lambda::Function", f"{chore}Function")
        role_id, role = resource(template, "AWS::IAM::Role", f"{chore}SchedulerRole")
        [trust] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
        assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
        assert statements(template, f"{chore}SchedulerRoleDefaultPolicy") == [
            {"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": {"Fn::GetAtt": [function_id, "Arn"]}}
        ]
        _, schedule = resource(template, "AWS::Scheduler::Schedule", f"{chore}Schedule")
        assert schedule["Properties"]["Target"]["RoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}


def test_sandbox_has_no_stop_chore_and_prod_stops_on_weekday_evenings(
    sandbox: SynthesizedStage, prod: SynthesizedStage
) -> None:
    assert chores_of(sandbox) == ["Snapshot", "Cleanup"]
    _, schedule = resource(prod.template_json(STACK), "AWS::Scheduler::Schedule", "StopInstancesSchedule")
    assert schedule["Properties"]["ScheduleExpression"] == "cron(0 20 ? * MON-FRI *)"


# --- Functions ----------------------------------------------------------------------------------
def test_functions_run_the_chores_on_python_3_14_arm64_with_tracing(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    topic_id, _ = resource(template, "AWS::SNS::Topic", "AlertsTopic")
    for chore in chores_of(each_variant):
        _, function = resource(template, "AWS::Lambda::Function", f"{chore}Function")
        props = function["Properties"]
        assert props["Handler"] == HANDLERS[chore]
        assert (props["Runtime"], props["Architectures"], props["TracingConfig"]) == (
            "python3.14",
            ["arm64"],
            {"Mode": "Active"},
        )
        # Failed asynchronous invocations and every run's report go to the alert topic.
        assert props["DeadLetterConfig"] == {"TargetArn": {"Ref": topic_id}}
        assert props["Environment"]["Variables"]["ALERT_TOPIC_ARN"] == {"Ref": topic_id}


def test_dry_run_and_retention_come_from_the_configuration(each_variant: SynthesizedStage) -> None:
    config = each_variant.config.section(OpsAutomationConfig)
    template = each_variant.template_json(STACK)
    for chore in chores_of(each_variant):
        _, function = resource(template, "AWS::Lambda::Function", f"{chore}Function")
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["DRY_RUN"] == ("true" if config.dry_run else "false")
    _, cleanup = resource(template, "AWS::Lambda::Function", "CleanupFunction")
    assert cleanup["Properties"]["Environment"]["Variables"]["RETENTION_DAYS"] == str(config.retention_days)


def test_the_snapshot_chore_tags_its_snapshots_with_the_stacks_owner_tags(each_variant: SynthesizedStage) -> None:
    # The snapshots outlive the stack; `make leftovers` finds EC2 resources by the Project tag
    # (and filters a stage by Stage), so the snapshot function gets the stack's tags to put on them.
    _, function = resource(each_variant.template_json(STACK), "AWS::Lambda::Function", "SnapshotFunction")
    owner = json.loads(function["Properties"]["Environment"]["Variables"]["OWNER_TAGS"])
    assert owner == {"Lab": "ops-automation", "Project": PROJECT_TAG, "Stage": each_variant.config.stage}


def test_the_sandbox_is_a_dry_run_and_prod_acts(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    assert sandbox.config.section(OpsAutomationConfig).dry_run is True
    assert prod.config.section(OpsAutomationConfig).dry_run is False
    assert prod.config.section(OpsAutomationConfig).retention_days == 30  # the guide's days=30


def test_each_function_logs_to_its_own_group_with_the_configured_retention(each_stage: SynthesizedStage) -> None:
    config = each_stage.config.section(OpsAutomationConfig)
    template = each_stage.template_json(STACK)
    for chore in chores_of(each_stage):
        group_id, group = resource(template, "AWS::Logs::LogGroup", f"{chore}Logs")
        _, function = resource(template, "AWS::Lambda::Function", f"{chore}Function")
        assert function["Properties"]["LoggingConfig"]["LogGroup"] == {"Ref": group_id}
        assert group["Properties"]["RetentionInDays"] == config.log_retention_days


# --- IAM: tag conditions ------------------------------------------------------------------------
def test_snapshots_only_of_volumes_tagged_backup_and_only_tagged_autocreated(each_stage: SynthesizedStage) -> None:
    writes = ec2_writes(each_stage.template_json(STACK), "Snapshot")
    by_suffix = {(tuple(actions(s)), arn_suffix(s)): s["Condition"] for s in writes}
    assert by_suffix == {
        (("ec2:CreateSnapshot",), ":volume/*"): {"StringEquals": {"aws:ResourceTag/Backup": "true"}},
        (("ec2:CreateSnapshot",), "::snapshot/*"): {"StringEquals": {"aws:RequestTag/AutoCreated": "true"}},
        (("ec2:CreateTags",), "::snapshot/*"): {"StringEquals": {"ec2:CreateAction": "CreateSnapshot"}},
    }


def test_cleanup_deletes_only_snapshots_tagged_autocreated(each_stage: SynthesizedStage) -> None:
    [delete] = ec2_writes(each_stage.template_json(STACK), "Cleanup")
    assert actions(delete) == ["ec2:DeleteSnapshot"]
    assert arn_suffix(delete) == "::snapshot/*"
    assert delete["Condition"] == {"StringEquals": {"ec2:ResourceTag/AutoCreated": "true"}}


def test_stop_only_instances_tagged_office_hours(prod: SynthesizedStage) -> None:
    [stop] = ec2_writes(prod.template_json(STACK), "StopInstances")
    assert actions(stop) == ["ec2:StopInstances"]
    assert arn_suffix(stop) == ":instance/*"
    assert stop["Condition"] == {"StringEquals": {"aws:ResourceTag/Schedule": "office-hours"}}


def test_no_chore_may_do_more_than_its_own_job(all_options: SynthesizedStage) -> None:
    template = all_options.template_json(STACK)
    granted = {
        chore: sorted({a for s in ec2_writes(template, chore) for a in actions(s)}) for chore in chores_of(all_options)
    }
    assert granted == {
        "Snapshot": ["ec2:CreateSnapshot", "ec2:CreateTags"],
        "Cleanup": ["ec2:DeleteSnapshot"],
        "StopInstances": ["ec2:StopInstances"],
    }
    for chore in chores_of(all_options):
        star = [s for s in statements(template, f"{chore}Role") if s["Resource"] == "*"]
        assert {a for s in star for a in actions(s)} <= {
            "ec2:DescribeVolumes",
            "ec2:DescribeSnapshots",
            "ec2:DescribeInstances",
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
        }


# --- Alarms and outputs -------------------------------------------------------------------------
def test_a_crashing_chore_raises_an_alarm_on_the_alert_topic(each_stage: SynthesizedStage) -> None:
    template = each_stage.template_json(STACK)
    topic_id, _ = resource(template, "AWS::SNS::Topic", "AlertsTopic")
    for chore in chores_of(each_stage):
        function_id, _ = resource(template, "AWS::Lambda::Function", f"{chore}Function")
        _, alarm = resource(template, "AWS::CloudWatch::Alarm", f"{chore}ErrorsAlarm")
        props = alarm["Properties"]
        assert (props["MetricName"], props["Threshold"], props["ComparisonOperator"]) == (
            "Errors",
            0,
            "GreaterThanThreshold",
        )
        assert props["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function_id}}]
        assert props["AlarmActions"] == [{"Ref": topic_id}]


def test_outputs_are_what_verify_reads(each_variant: SynthesizedStage) -> None:
    outputs = each_variant.template_json(STACK)["Outputs"]
    expected = {
        "SnapshotFunctionName",
        "SnapshotScheduleName",
        "CleanupFunctionName",
        "CleanupScheduleName",
        "AlertTopicArn",
    }
    if "StopInstances" in chores_of(each_variant):
        expected |= {"StopInstancesFunctionName", "StopInstancesScheduleName"}
    assert set(outputs) == expected


# --- Configuration errors -----------------------------------------------------------------------
def sandbox_context_with(**section: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context("sandbox"))
    context["stages"]["sandbox"]["ops_automation"].update(section)
    return context


def test_shipped_schedules_run_every_day_of_the_year(each_stage: SynthesizedStage) -> None:
    """EventBridge Scheduler skips a run whose wall-clock time does not exist on the day clocks spring
    forward (Scheduler user guide, daylight saving time:
    https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time):
    02:00-02:59 in Europe/Berlin on the last Sunday of March."""
    config = each_stage.config.section(OpsAutomationConfig)
    years = range(2026, 2036)
    for cron in (config.snapshot_schedule, config.cleanup_schedule, config.stop_instances_schedule):
        if cron is not None:
            assert skipped_run(config.time_zone, cron, years) is None, cron


@pytest.mark.parametrize(
    ("time_zone", "cron", "skipped"),
    [
        ("Europe/Berlin", "cron(30 2 * * ? *)", ("02:30", date(2027, 3, 28))),
        ("America/New_York", "cron(0 2 ? * MON-FRI *)", ("02:00", date(2027, 3, 14))),
        ("America/Havana", "cron(15 0 * * ? *)", ("00:15", date(2027, 3, 14))),  # clocks change at midnight
        ("Europe/Berlin", "cron(0 3 * * ? *)", None),  # 03:00 is the first minute after the gap
        ("Europe/Berlin", "cron(30 2 * 10 ? *)", ("02:30", date(2027, 3, 28))),  # months are not read: strict
        ("UTC", "cron(30 2 * * ? *)", None),
        ("Europe/Berlin", "cron(0 * * * ? *)", None),  # every hour: one skipped run of 24 is the zone's
    ],
)
def test_the_times_a_zone_skips_are_found(time_zone: str, cron: str, skipped: tuple[str, date] | None) -> None:
    assert skipped_run(time_zone, cron, range(2027, 2028)) == skipped


def test_a_schedule_in_the_spring_forward_gap_stops_with_one_line() -> None:
    with pytest.raises(ConfigError) as caught:
        load_stage_config(sandbox_context_with(snapshot_schedule="cron(30 2 * * ? *)"))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(
        'invalid configuration: stages.sandbox.ops_automation.snapshot_schedule = "cron(30 2 * * ? *)": '
        "runs at 02:30, which does not exist in Europe/Berlin on "
    ), text
    assert "EventBridge Scheduler skips that run: choose a time outside the daylight saving gap" in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"snapshot_schedule": "0 2 * * *"},
            'ops_automation.snapshot_schedule = "0 2 * * *": must be an EventBridge Scheduler cron expression',
        ),
        (
            {"cleanup_schedule": "cron(0 2 * * * *)"},
            "ops_automation.cleanup_schedule = \"cron(0 2 * * * *)\": must have '?' in exactly one of",
        ),
        (
            {"stop_instances_schedule": "cron(0 20 ? * ? *)"},
            "ops_automation.stop_instances_schedule = \"cron(0 20 ? * ? *)\": must have '?' in exactly one of",
        ),
        ({"time_zone": "CET+1"}, 'ops_automation.time_zone = "CET+1": must be an IANA time zone name'),
        ({"retention_days": 0}, "ops_automation.retention_days = 0: must be between 1 and 3650"),
        ({"dry_run": "yes"}, 'ops_automation.dry_run = "yes": must be true or false'),
        ({"retention_dayz": 30}, "ops_automation.retention_dayz = 30: unknown key"),
    ],
)
def test_bad_configuration_stops_with_one_line(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_stage_config(sandbox_context_with(**change))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"invalid configuration: stages.sandbox.{message}"), text
