"""Log retention: cdk.json says days, CDK wants its RetentionDays enum."""

from __future__ import annotations

from aws_cdk import aws_logs as logs

from stacks.config_types import LOG_RETENTION_DAYS

# Every value config.LOG_RETENTION_DAYS allows (the ones CloudWatch Logs accepts).
_RETENTION_BY_DAYS = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
}
assert set(_RETENTION_BY_DAYS) == set(LOG_RETENTION_DAYS), "config and enum table must list the same days"


def log_retention(days: int) -> logs.RetentionDays:
    """The enum member for a retention that config has already validated."""
    return _RETENTION_BY_DAYS[days]
