"""`verify` for the security-baseline lab: the trail records, GuardDuty watches, and the
alarms and rule report to the alert topic, in the deployed account.

Checks (each one line, none changes anything in the account):
- the trail is logging, multi-region, with log file validation and CloudWatch Logs delivery;
- the GuardDuty detector is enabled;
- the alert topic exists;
- the four CIS alarms exist, on the lab's metrics, and notify the alert topic;
- the trail's log group carries the four metric filters with the CIS patterns (filters.py);
- CloudWatch itself (TestMetricFilter) counts each pattern's sample records exactly as the
  offline evaluator does: the samples it must count, and none of the others;
- the EventBridge rule sends GuardDuty findings of severity >= 7 to the alert topic.
"""

from __future__ import annotations

import json
from typing import Any

from scripts.sandbox.checks import CheckResult, Waiter, check
from scripts.security_baseline.samples import samples_for
from stacks.security_baseline.filters import FILTERS, METRIC_NAMESPACE

TRAIL_OUTPUT = "TrailArn"
LOG_GROUP_OUTPUT = "TrailLogGroupName"
DETECTOR_OUTPUT = "DetectorId"
TOPIC_OUTPUT = "AlertTopicArn"
ALARMS_OUTPUT = "AlarmNames"  # comma-separated
RULE_OUTPUT = "FindingsRuleName"
MIN_SEVERITY = 7


def run_checks(session: Any, outputs: dict[str, str], stage: str, wait: Waiter) -> list[CheckResult]:
    def output(key: str) -> str:
        if not outputs.get(key):
            raise AssertionError(f"the stack has no output {key}")
        return outputs[key]

    return [
        check("trail: logging, multi-region, validated", lambda: trail_records(session, output(TRAIL_OUTPUT))),
        check("GuardDuty detector: enabled", lambda: detector_enabled(session, output(DETECTOR_OUTPUT))),
        check("alert topic: exists", lambda: topic_exists(session, output(TOPIC_OUTPUT))),
        check(
            "alarms: the four CIS alarms notify the topic",
            lambda: alarms_notify(session, output(ALARMS_OUTPUT).split(","), output(TOPIC_OUTPUT)),
        ),
        check("metric filters: the CIS patterns", lambda: filters_present(session, output(LOG_GROUP_OUTPUT))),
        check("metric filters: CloudWatch counts the samples", lambda: cloudwatch_agrees(session)),
        check(
            "findings rule: severity >= 7 to the topic",
            lambda: findings_rule(session, output(RULE_OUTPUT), output(TOPIC_OUTPUT)),
        ),
    ]


def trail_records(session: Any, trail_arn: str) -> str:
    cloudtrail = session.client("cloudtrail")
    trails = cloudtrail.describe_trails(trailNameList=[trail_arn], includeShadowTrails=False)["trailList"]
    if not trails:
        raise AssertionError(f"no trail {trail_arn}")
    trail = trails[0]
    wanted = {
        "IsMultiRegionTrail": "multi-region",
        "LogFileValidationEnabled": "log file validation",
        "IncludeGlobalServiceEvents": "global service (IAM, sign-in) events",
    }
    missing = [text for key, text in wanted.items() if trail.get(key) is not True]
    if not trail.get("CloudWatchLogsLogGroupArn"):
        missing.append("CloudWatch Logs delivery")
    if missing:
        raise AssertionError("the trail lacks " + ", ".join(missing))
    if not cloudtrail.get_trail_status(Name=trail_arn).get("IsLogging"):
        raise AssertionError("the trail is not logging")
    return f"{trail['Name']} logs all regions to s3://{trail.get('S3BucketName')}, validated"


def detector_enabled(session: Any, detector_id: str) -> str:
    detector = session.client("guardduty").get_detector(DetectorId=detector_id)
    if detector.get("Status") != "ENABLED":
        raise AssertionError(f"detector {detector_id} is {detector.get('Status')}")
    return f"detector {detector_id} enabled, findings every {detector.get('FindingPublishingFrequency', '?')}"


def topic_exists(session: Any, topic_arn: str) -> str:
    attributes = session.client("sns").get_topic_attributes(TopicArn=topic_arn)["Attributes"]
    return f"{topic_arn.rsplit(':', 1)[-1]}: {attributes.get('SubscriptionsConfirmed', '0')} confirmed subscription(s)"


def alarms_notify(session: Any, names: list[str], topic_arn: str) -> str:
    # DescribeAlarms answers in pages of at most MaxRecords (1-100), with a NextToken for the rest
    # (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
    pages = (
        session.client("cloudwatch")
        .get_paginator("describe_alarms")
        .paginate(AlarmNames=[n.strip() for n in names if n.strip()])
    )
    found = {
        alarm["MetricName"]: alarm
        for page in pages
        for alarm in page["MetricAlarms"]
        if alarm.get("Namespace") == METRIC_NAMESPACE
    }
    expected = [f.metric_name for f in FILTERS]
    absent = [name for name in expected if name not in found]
    if absent:
        raise AssertionError("no alarm on " + ", ".join(absent))
    silent = [name for name in expected if topic_arn not in found[name].get("AlarmActions", [])]
    if silent:
        raise AssertionError("alarm(s) that do not notify the alert topic: " + ", ".join(silent))
    states = ", ".join(f"{name} {found[name].get('StateValue', '?')}" for name in expected)
    return states


def filters_present(session: Any, log_group: str) -> str:
    logs = session.client("logs")
    patterns: dict[str, str] = {}
    for page in logs.get_paginator("describe_metric_filters").paginate(logGroupName=log_group):
        for metric_filter in page["metricFilters"]:
            for transformation in metric_filter.get("metricTransformations", []):
                if transformation.get("metricNamespace") == METRIC_NAMESPACE:
                    patterns[transformation["metricName"]] = metric_filter.get("filterPattern", "")
    wrong = [f.key for f in FILTERS if patterns.get(f.metric_name, "").strip() != f.pattern.strip()]
    if wrong:
        raise AssertionError(f"missing or different pattern on {log_group}: " + ", ".join(wrong))
    return f"{len(FILTERS)} filters on {log_group}"


def cloudwatch_agrees(session: Any) -> str:
    """TestMetricFilter with every sample: CloudWatch must count exactly the ones meant to match."""
    logs = session.client("logs")
    disagreements: list[str] = []
    for metric_filter in FILTERS:
        samples = samples_for(metric_filter.key)
        everything = list(samples.matches) + list(samples.does_not_match)
        response = logs.test_metric_filter(
            filterPattern=metric_filter.pattern, logEventMessages=[sample.message for sample in everything]
        )
        counted = {match["eventNumber"] for match in response.get("matches", [])}
        for number, sample in enumerate(everything, start=1):
            meant = number <= len(samples.matches)
            if (number in counted) != meant:
                verb = "misses" if meant else "counts"
                disagreements.append(f"{metric_filter.key} {verb} '{sample.why}'")
    if disagreements:
        raise AssertionError(f"{len(disagreements)} disagreement(s), first: {disagreements[0]}")
    total = sum(len(samples_for(f.key).matches) + len(samples_for(f.key).does_not_match) for f in FILTERS)
    return f"{total} sample records counted as the tests expect"


def findings_rule(session: Any, rule_name: str, topic_arn: str) -> str:
    events = session.client("events")
    rule = events.describe_rule(Name=rule_name)
    if rule.get("State") != "ENABLED":
        raise AssertionError(f"rule {rule_name} is {rule.get('State')}")
    pattern = json.loads(rule.get("EventPattern") or "{}")
    detail = pattern.get("detail") if isinstance(pattern.get("detail"), dict) else {}
    if "aws.guardduty" not in pattern.get("source", []) or {"numeric": [">=", MIN_SEVERITY]} not in detail.get(
        "severity", []
    ):
        raise AssertionError(f"rule {rule_name} does not match GuardDuty findings of severity >= {MIN_SEVERITY}")
    # ListTargetsByRule pages with NextToken like every EventBridge list
    # (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html).
    pages = events.get_paginator("list_targets_by_rule").paginate(Rule=rule_name)
    targets = [target["Arn"] for page in pages for target in page["Targets"]]
    if topic_arn not in targets:
        raise AssertionError(f"rule {rule_name} does not target the alert topic")
    return f"{rule_name} -> {topic_arn.rsplit(':', 1)[-1]}"
