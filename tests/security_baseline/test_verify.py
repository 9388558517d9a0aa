"""The security-baseline verify step against a moto 'deployment' of the lab's resources.

moto covers CloudTrail (trail settings, logging status), GuardDuty (detector status),
SNS, CloudWatch alarms, CloudWatch Logs metric filters and EventBridge rules. It does not
implement Logs' TestMetricFilter: here a hook answers that one call, by default with the
offline evaluator's verdicts (what CloudWatch is expected to say), so these tests cover
the check's plumbing and its verdicts, not CloudWatch's evaluator itself; that
comparison happens only in a real account.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from scripts.sandbox.checks import CheckResult, Waiter
from scripts.security_baseline.filter_pattern import compile_pattern
from scripts.security_baseline.verify import alarms_notify, findings_rule, run_checks
from stacks.security_baseline.filters import FILTERS, METRIC_NAMESPACE
from tests.security_baseline.conftest import REGION

ACCOUNT = "123456789012"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "x"}, "Action": "*"}]}
FINDINGS_PATTERN = {
    "source": ["aws.guardduty"],
    "detail-type": ["GuardDuty Finding"],
    "detail": {"severity": [{"numeric": [">=", 7]}]},
}

Verdict = Callable[[str, list[str]], list[int]]


def evaluator_verdict(pattern: str, messages: list[str]) -> list[int]:
    compiled = compile_pattern(pattern)
    return [number for number, message in enumerate(messages, start=1) if compiled.matches(message)]


class CloudWatchStandIn:
    """Answers CloudWatch Logs' TestMetricFilter (which moto lacks) with `verdict`."""

    def __init__(self, session: Any) -> None:
        self.verdict: Verdict = evaluator_verdict
        self.calls = 0
        session.events.register("before-call.cloudwatch-logs.TestMetricFilter", self._answer)

    def _answer(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        self.calls += 1
        request = json.loads(params["body"])
        messages = request["logEventMessages"]
        numbers = self.verdict(request["filterPattern"], messages)
        matches = [{"eventNumber": n, "eventMessage": messages[n - 1], "extractedValues": {}} for n in numbers]
        return SimpleNamespace(status_code=200, headers={}), {"matches": matches}


@pytest.fixture
def session(aws: None) -> Any:
    return boto3.Session(region_name=REGION)


@pytest.fixture
def cloudwatch(session: Any) -> CloudWatchStandIn:
    return CloudWatchStandIn(session)


@pytest.fixture
def deployed(session: Any, cloudwatch: CloudWatchStandIn) -> dict[str, str]:
    """What the stack deploys, made with the APIs; returns the stack's outputs."""
    s3, logs, iam = session.client("s3"), session.client("logs"), session.client("iam")
    s3.create_bucket(Bucket="securitybaseline-trailbucket")
    logs.create_log_group(logGroupName="SecurityBaseline-TrailLogs")
    log_group_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:SecurityBaseline-TrailLogs:*"
    role = iam.create_role(RoleName="trail-to-logs", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    cloudtrail = session.client("cloudtrail")
    trail = cloudtrail.create_trail(
        Name="SecurityBaseline-Trail",
        S3BucketName="securitybaseline-trailbucket",
        IsMultiRegionTrail=True,
        IncludeGlobalServiceEvents=True,
        EnableLogFileValidation=True,
        CloudWatchLogsLogGroupArn=log_group_arn,
        CloudWatchLogsRoleArn=role,
    )
    cloudtrail.start_logging(Name=trail["TrailARN"])
    detector = session.client("guardduty").create_detector(Enable=True)["DetectorId"]
    topic = session.client("sns").create_topic(Name="SecurityAlerts")["TopicArn"]
    alarm_names = []
    for metric_filter in FILTERS:
        transformation = {
            "metricName": metric_filter.metric_name,
            "metricNamespace": METRIC_NAMESPACE,
            "metricValue": "1",
        }
        logs.put_metric_filter(
            logGroupName="SecurityBaseline-TrailLogs",
            filterName=f"SecurityBaseline-{metric_filter.key}",
            filterPattern=metric_filter.pattern,
            metricTransformations=[transformation],
        )
        name = f"SecurityBaseline-{metric_filter.key}Alarm"
        session.client("cloudwatch").put_metric_alarm(
            AlarmName=name,
            MetricName=metric_filter.metric_name,
            Namespace=METRIC_NAMESPACE,
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            TreatMissingData="notBreaching",
            AlarmActions=[topic],
        )
        alarm_names.append(name)
    events = session.client("events")
    events.put_rule(Name="SecurityBaseline-Findings", EventPattern=json.dumps(FINDINGS_PATTERN), State="ENABLED")
    events.put_targets(Rule="SecurityBaseline-Findings", Targets=[{"Id": "AlertTopic", "Arn": topic}])
    return {
        "TrailArn": trail["TrailARN"],
        "TrailLogGroupName": "SecurityBaseline-TrailLogs",
        "DetectorId": detector,
        "AlertTopicArn": topic,
        "AlarmNames": ",".join(alarm_names),
        "FindingsRuleName": "SecurityBaseline-Findings",
    }


def verify(session: Any, outputs: dict[str, str]) -> dict[str, CheckResult]:
    return {result.name: result for result in run_checks(session, outputs, "sandbox", Waiter(out=io.StringIO()))}


def failures(results: dict[str, CheckResult]) -> dict[str, str]:
    return {name: result.detail for name, result in results.items() if not result.passed}


def test_a_complete_baseline_passes_every_check(
    session: Any, deployed: dict[str, str], cloudwatch: CloudWatchStandIn
) -> None:
    results = verify(session, deployed)

    assert failures(results) == {}
    assert len(results) == 7
    assert results["metric filters: CloudWatch counts the samples"].detail == (
        "22 sample records counted as the tests expect"
    )
    assert cloudwatch.calls == 4


def test_a_single_region_trail_without_validation_fails(session: Any, deployed: dict[str, str]) -> None:
    session.client("cloudtrail").update_trail(
        Name=deployed["TrailArn"], IsMultiRegionTrail=False, EnableLogFileValidation=False
    )
    assert failures(verify(session, deployed)) == {
        "trail: logging, multi-region, validated": "AssertionError: the trail lacks multi-region, log file validation"
    }


def test_a_stopped_trail_fails(session: Any, deployed: dict[str, str]) -> None:
    session.client("cloudtrail").stop_logging(Name=deployed["TrailArn"])
    assert failures(verify(session, deployed)) == {
        "trail: logging, multi-region, validated": "AssertionError: the trail is not logging"
    }


def test_a_disabled_detector_fails(session: Any, deployed: dict[str, str]) -> None:
    session.client("guardduty").update_detector(DetectorId=deployed["DetectorId"], Enable=False)
    assert failures(verify(session, deployed)) == {
        "GuardDuty detector: enabled": f"AssertionError: detector {deployed['DetectorId']} is DISABLED"
    }


def test_a_missing_alarm_and_a_silent_alarm_fail(session: Any, deployed: dict[str, str]) -> None:
    alarms = session.client("cloudwatch")
    alarms.delete_alarms(AlarmNames=["SecurityBaseline-RootAccountUsageAlarm"])
    assert (
        "no alarm on RootAccountUsage"
        in failures(verify(session, deployed))["alarms: the four CIS alarms notify the topic"]
    )

    alarm = alarms.describe_alarms(AlarmNames=["SecurityBaseline-IamPolicyChangesAlarm"])["MetricAlarms"][0]
    alarms.put_metric_alarm(
        **{key: alarm[key] for key in ("AlarmName", "MetricName", "Namespace", "Statistic", "Period")},
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[],
    )
    alarms.put_metric_alarm(
        AlarmName="SecurityBaseline-RootAccountUsageAlarm",
        MetricName="RootAccountUsage",
        Namespace=METRIC_NAMESPACE,
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[deployed["AlertTopicArn"]],
    )
    assert failures(verify(session, deployed)) == {
        "alarms: the four CIS alarms notify the topic": (
            "AssertionError: alarm(s) that do not notify the alert topic: IamPolicyChanges"
        )
    }


def test_a_changed_pattern_fails(session: Any, deployed: dict[str, str]) -> None:
    session.client("logs").put_metric_filter(
        logGroupName="SecurityBaseline-TrailLogs",
        filterName="SecurityBaseline-ConsoleSignInWithoutMfa",
        filterPattern='{ $.eventName = "ConsoleLogin" }',
        metricTransformations=[
            {"metricName": "ConsoleSignInWithoutMfa", "metricNamespace": METRIC_NAMESPACE, "metricValue": "1"}
        ],
    )
    assert failures(verify(session, deployed)) == {
        "metric filters: the CIS patterns": (
            "AssertionError: missing or different pattern on SecurityBaseline-TrailLogs: ConsoleSignInWithoutMfa"
        )
    }


def test_cloudwatch_disagreeing_with_the_evaluator_fails_naming_the_sample(
    session: Any, deployed: dict[str, str], cloudwatch: CloudWatchStandIn
) -> None:
    # Given CloudWatch would also count a missing field as "!= Yes" (one of the evaluator's choices)
    def lenient(pattern: str, messages: list[str]) -> list[int]:
        if "MFAUsed" not in pattern:
            return evaluator_verdict(pattern, messages)
        return [
            n for n, m in enumerate(messages, start=1) if '"eventName":"ConsoleLogin"' in m or "GetCallerIdentity" in m
        ]

    cloudwatch.verdict = lenient

    assert failures(verify(session, deployed)) == {
        "metric filters: CloudWatch counts the samples": (
            "AssertionError: 2 disagreement(s), first: ConsoleSignInWithoutMfa counts 'an IAM user signs in with MFA'"
        )
    }


def test_a_rule_for_every_finding_or_to_another_target_fails(session: Any, deployed: dict[str, str]) -> None:
    events = session.client("events")
    events.put_rule(Name="SecurityBaseline-Findings", EventPattern=json.dumps({"source": ["aws.guardduty"]}))
    assert failures(verify(session, deployed)) == {
        "findings rule: severity >= 7 to the topic": (
            "AssertionError: rule SecurityBaseline-Findings does not match GuardDuty findings of severity >= 7"
        )
    }
    events.put_rule(Name="SecurityBaseline-Findings", EventPattern=json.dumps(FINDINGS_PATTERN))
    events.remove_targets(Rule="SecurityBaseline-Findings", Ids=["AlertTopic"])
    assert failures(verify(session, deployed)) == {
        "findings rule: severity >= 7 to the topic": (
            "AssertionError: rule SecurityBaseline-Findings does not target the alert topic"
        )
    }


def test_missing_outputs_fail_each_check_with_the_output_name(session: Any, cloudwatch: CloudWatchStandIn) -> None:
    results = verify(session, {})
    assert failures(results) == {
        "trail: logging, multi-region, validated": "AssertionError: the stack has no output TrailArn",
        "GuardDuty detector: enabled": "AssertionError: the stack has no output DetectorId",
        "alert topic: exists": "AssertionError: the stack has no output AlertTopicArn",
        "alarms: the four CIS alarms notify the topic": "AssertionError: the stack has no output AlarmNames",
        "metric filters: the CIS patterns": "AssertionError: the stack has no output TrailLogGroupName",
        "findings rule: severity >= 7 to the topic": "AssertionError: the stack has no output FindingsRuleName",
    }


class StubbedClients:
    """A session whose clients are the given (Stubber-driven) ones: moto never pages short."""

    def __init__(self, **clients: Any) -> None:
        self._clients = clients

    def client(self, name: str) -> Any:
        return self._clients[name]


def test_alarms_and_rule_targets_on_later_pages_are_found() -> None:
    # DescribeAlarms and ListTargetsByRule answer in pages with a NextToken; the alarms and the
    # topic target on the second page count as much as those on the first:
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
    # https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:SecurityAlerts"
    cloudwatch = boto3.client("cloudwatch", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    events = boto3.client("events", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    names = [f"SecurityBaseline-{f.key}Alarm" for f in FILTERS]
    alarms = [
        {"AlarmName": name, "MetricName": f.metric_name, "Namespace": METRIC_NAMESPACE, "AlarmActions": [topic]}
        for name, f in zip(names, FILTERS, strict=True)
    ]
    half = len(alarms) // 2
    rule_arn = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/SecurityBaseline-Findings"
    with Stubber(cloudwatch) as alarm_stub, Stubber(events) as event_stub:
        alarm_stub.add_response("describe_alarms", {"MetricAlarms": alarms[:half], "NextToken": "2"})
        alarm_stub.add_response(
            "describe_alarms", {"MetricAlarms": alarms[half:]}, {"AlarmNames": names, "NextToken": "2"}
        )
        event_stub.add_response(
            "describe_rule",
            {
                "Name": "SecurityBaseline-Findings",
                "Arn": rule_arn,
                "State": "ENABLED",
                "EventPattern": json.dumps(FINDINGS_PATTERN),
            },
        )
        other = {"Id": "Other", "Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:other"}
        event_stub.add_response("list_targets_by_rule", {"Targets": [other], "NextToken": "2"})
        event_stub.add_response(
            "list_targets_by_rule",
            {"Targets": [{"Id": "AlertTopic", "Arn": topic}]},
            {"Rule": "SecurityBaseline-Findings", "NextToken": "2"},
        )
        session = StubbedClients(cloudwatch=cloudwatch, events=events)
        assert alarms_notify(session, names, topic).count(" ") >= len(FILTERS)
        assert (
            findings_rule(session, "SecurityBaseline-Findings", topic) == "SecurityBaseline-Findings -> SecurityAlerts"
        )
        alarm_stub.assert_no_pending_responses()
        event_stub.assert_no_pending_responses()
