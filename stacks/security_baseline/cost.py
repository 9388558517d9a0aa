"""Monthly cost of the security-baseline lab for one stage's configuration, with the arithmetic.

python -m scripts.cost --lab security-baseline [--stage prod]

Most of this lab's cost follows the account's activity, not the stack: the lines assume
a quiet sandbox account (about 100,000 management events a month) and say so.
"""

from __future__ import annotations

from stacks.cost_model import CUSTOM_METRIC_MONTH, Line, alarms, alert_topic_key, monthly
from stacks.security_baseline.config import SecurityBaselineConfig
from stacks.security_baseline.filters import FILTERS

EVENTS_PER_MONTH = 100_000  # management events of a quiet sandbox account (assumed)
EVENT_KB = 1.5  # a CloudTrail record, about
CLOUDTRAIL_FIRST_COPY = 0.00  # the first copy of management events is free; S3 storage is billed
LOGS_INGEST_GB = 0.50  # CloudWatch Logs ingestion per GB
S3_STANDARD_GB_MONTH = 0.023
# Foundational detection only: the detector names every paid protection plan DISABLED
# (findings.PAID_PROTECTION_PLANS), so S3 data events, EKS, EBS malware scans, RDS and Lambda are not priced.
GUARDDUTY_PER_MILLION_EVENTS = 4.00  # CloudTrail management event analysis (after the 30-day trial)
GUARDDUTY_FLOW_DNS_GB = 1.00  # VPC flow log and DNS analysis, first 500 GB
ASSUMED_FLOW_DNS_GB = 0.1
SECURITY_HUB_PER_CHECK = 0.0010  # first 100,000 security checks a month
ASSUMED_CHECKS = 3_000  # default standards on a small account
CONFIG_PER_ITEM = 0.003  # per configuration item recorded
ASSUMED_CONFIG_ITEMS = 300

CLOUDTRAIL_ADDITIONAL_COPY_PER_100K = 2.00  # a second trail's copy of management events
# AWS Config records every change; three-tier's prod schedule starts and stops 2 servers on weekdays,
# about 4 configuration items each (instance, network interface, volume, security group relation).
ASG_ITEMS_PER_MONTH = 2 * 2 * 4 * 22

NOT_COUNTED = (
    "Assumed: a quiet account (100,000 management events a month, 0.1 GB of flow and DNS logs, 300 Config items, "
    "3,000 Security Hub checks); GuardDuty and Security Hub are free for their first 30 days; Access Analyzer's "
    "external access analysis is free; Config rules Security Hub enables cost 0.001 USD per evaluation. "
    "A second trail: in an account that already has one (an organization or Control Tower trail), this trail's "
    f"copy of management events is a paid one, {CLOUDTRAIL_ADDITIONAL_COPY_PER_100K:.2f} USD per 100,000: "
    f"{EVENTS_PER_MONTH / 100_000:g} x {CLOUDTRAIL_ADDITIONAL_COPY_PER_100K:.2f} USD = "
    f"{EVENTS_PER_MONTH / 100_000 * CLOUDTRAIL_ADDITIONAL_COPY_PER_100K:.2f} a month more "
    "at the assumed 100,000 events. "
    f"The {len(FILTERS)} CIS metric filters publish custom metrics, {CUSTOM_METRIC_MONTH:.2f} USD per metric-month "
    "prorated by the hours a metric gets data (only when an event matches): at most "
    f"{len(FILTERS)} x {CUSTOM_METRIC_MONTH:.2f} USD = {len(FILTERS) * CUSTOM_METRIC_MONTH:.2f} a month, free within "
    "the account's first 10 custom metrics. "
    "With aws_config on, Config records what other labs change: three-tier's prod weekday scaling alone is about "
    f"2 servers x 2 x 4 items x 22 days = {ASG_ITEMS_PER_MONTH} items x {CONFIG_PER_ITEM} USD = "
    f"{ASG_ITEMS_PER_MONTH * CONFIG_PER_ITEM:.2f} a month more."
)


def monthly_lines(config: SecurityBaselineConfig) -> list[Line]:
    log_gb = EVENTS_PER_MONTH * EVENT_KB / 1_000_000
    lines = [
        alarms("(4 CIS, 2 on the remediation)", 6),
        alert_topic_key(),
        monthly("CloudTrail management events, first copy", EVENTS_PER_MONTH, "event", CLOUDTRAIL_FIRST_COPY),
        Line(
            "CloudWatch Logs ingestion of the trail",
            f"{log_gb:g} GB x {LOGS_INGEST_GB:.2f} USD",
            log_gb * LOGS_INGEST_GB,
        ),
        Line(
            "S3 storage of trail log files (a month's)",
            f"{log_gb:g} GB x {S3_STANDARD_GB_MONTH} USD",
            log_gb * S3_STANDARD_GB_MONTH,
        ),
    ]
    if config.guardduty_detector == "create":
        lines.append(
            Line(
                "GuardDuty (events + flow/DNS logs)",
                f"0.1M x {GUARDDUTY_PER_MILLION_EVENTS:.2f} + {ASSUMED_FLOW_DNS_GB:g} GB x {GUARDDUTY_FLOW_DNS_GB:.2f}",
                EVENTS_PER_MONTH / 1_000_000 * GUARDDUTY_PER_MILLION_EVENTS
                + ASSUMED_FLOW_DNS_GB * GUARDDUTY_FLOW_DNS_GB,
            )
        )
    opt_in = _opt_in_lines()
    if config.security_hub:
        lines.append(opt_in["security_hub"])
    if config.aws_config:
        lines.append(opt_in["aws_config"])
    return lines


def usage_lines(config: SecurityBaselineConfig, duration_ms: float) -> tuple[str, list[Line]]:
    """What the two opt-in flags add when switched on (whether or not this stage has them)."""
    del config, duration_ms  # the same for every stage; no Lambda usage model here
    return "Opt-in flags, per month when switched on:", list(_opt_in_lines().values())


def _opt_in_lines() -> dict[str, Line]:
    return {
        "security_hub": monthly("security_hub: Security Hub checks", ASSUMED_CHECKS, "check", SECURITY_HUB_PER_CHECK),
        "aws_config": monthly("aws_config: Config items recorded", ASSUMED_CONFIG_ITEMS, "item", CONFIG_PER_ITEM),
    }
