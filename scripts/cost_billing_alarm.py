"""Monthly cost of the billing-alarm lab, with the arithmetic.

python scripts/cost_billing_alarm.py [--stage sandbox|prod]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scripts.cost_model import Line, render
from stacks.config import ConfigError, cdk_json_context, load_stage_config

CLOUDWATCH_STANDARD_ALARM_MONTH = 0.10  # per standard-resolution alarm metric; first 10 alarms free
KMS_KEY_MONTH = 1.00  # per customer-managed key, prorated hourly
SNS_EMAIL_PER_100K = 2.00  # after the first 1,000 e-mail deliveries a month, which are free
# AWS documents the first two budgets of an account as free; it has charged 0.02 USD a day
# for each budget beyond those. Check the Budgets pricing page if the account has others.
BUDGET_WITHIN_FIRST_TWO = 0.00


def lines_for(alarm_count: int, emails_per_month: int = 10) -> list[Line]:
    return [
        Line(
            "CloudWatch alarms on EstimatedCharges",
            alarm_count,
            "alarm-months",
            CLOUDWATCH_STANDARD_ALARM_MONTH,
            "0 within the always-free 10 alarms",
        ),
        Line("KMS customer-managed key (topic encryption)", 1, "key-months", KMS_KEY_MONTH, "the one fixed cost"),
        Line(
            "SNS e-mail deliveries",
            emails_per_month / 100_000,
            "100k e-mails",
            SNS_EMAIL_PER_100K,
            "0 within the free 1,000 a month",
        ),
        Line(
            "AWS Budgets monthly cost budget",
            1,
            "budgets",
            BUDGET_WITHIN_FIRST_TWO,
            "free as one of the first two budgets",
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Monthly cost of the billing-alarm lab.")
    parser.add_argument("--stage", default="sandbox", help="stage block of cdk.json (default: sandbox)")
    args = parser.parse_args(argv)
    context = {**cdk_json_context(), "stage": args.stage}
    try:
        config = load_stage_config(context)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    thresholds = config.billing_alarm.alarm_thresholds_usd
    print(render(f"billing-alarm, stage {args.stage}: {len(thresholds)} alarm(s)", lines_for(len(thresholds))))
    print("  Without free tier the alarms add 0.10 USD each; the KMS key is the cost you see on the bill.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
