"""Monthly cost of the security-baseline lab for one stage's configuration, with the arithmetic.

python -m scripts.cost --lab security-baseline [--stage prod]

Most of this lab's cost follows the account's activity, not the stack: the lines assume
a quiet sandbox account (about 100,000 management events a month) and say so.
"""

from __future__ import annotations

from stacks.cost_model import Line, alarms, alert_topic_key, monthly
from stacks.security_baseline.config import SecurityBaselineConfig

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

NOT_COUNTED = (
    "Assumed: a quiet account (100,000 management events a month, 0.1 GB of flow and DNS logs, 300 Config items, "
    "3,000 Security Hub checks); GuardDuty and Security Hub are free for their first 30 days; Access Analyzer's "
    "external access analysis is free; Config rules Security Hub enables cost 0.001 USD per evaluation."
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
