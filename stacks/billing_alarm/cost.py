"""Monthly cost of the billing-alarm lab for one stage's configuration, with the arithmetic.

python -m scripts.cost --lab billing-alarm [--stage prod]
"""

from __future__ import annotations

from stacks.billing_alarm.config import BillingAlarmConfig
from stacks.cost_model import Line, alarms, alert_topic_key, monthly

SNS_EMAIL_PER_100K = 2.00  # after the first 1,000 e-mail deliveries a month, which are free
# AWS documents the first two budgets of an account as free; it has charged 0.02 USD a day
# for each budget beyond those. Check the Budgets pricing page if the account has others.
BUDGET_WITHIN_FIRST_TWO = 0.00


NOT_COUNTED = "Free tier: the first 10 alarms and 1,000 e-mails a month cost nothing; the KMS key always costs."


def monthly_lines(config: BillingAlarmConfig, emails_per_month: int = 10) -> list[Line]:
    alarm_count = len(config.alarm_thresholds_usd)
    return [
        alarms("on EstimatedCharges", alarm_count),
        alert_topic_key(),
        Line(
            f"SNS e-mail deliveries ({emails_per_month} assumed)",
            f"{emails_per_month} x {SNS_EMAIL_PER_100K:.2f} USD / 100,000",
            emails_per_month * SNS_EMAIL_PER_100K / 100_000,
        ),
        monthly("AWS Budgets cost budget", 1, "budget", BUDGET_WITHIN_FIRST_TWO),
    ]
