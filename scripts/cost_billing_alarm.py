"""Monthly cost of the billing-alarm lab, with the arithmetic.

python scripts/cost_billing_alarm.py [--stage sandbox|prod]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scripts.cost_model import PRICE_REGION, PRICES_REVIEWED, Line, monthly, render
from stacks.config import ConfigError, cdk_json_context, load_stage_config

CLOUDWATCH_STANDARD_ALARM_MONTH = 0.10  # per standard-resolution alarm metric; first 10 alarms free
KMS_KEY_MONTH = 1.00  # per customer-managed key, prorated hourly
SNS_EMAIL_PER_100K = 2.00  # after the first 1,000 e-mail deliveries a month, which are free
# AWS documents the first two budgets of an account as free; it has charged 0.02 USD a day
# for each budget beyond those. Check the Budgets pricing page if the account has others.
BUDGET_WITHIN_FIRST_TWO = 0.00


def lines_for(alarm_count: int, emails_per_month: int = 10) -> list[Line]:
    return [
        monthly("CloudWatch alarms on EstimatedCharges", alarm_count, "alarm", CLOUDWATCH_STANDARD_ALARM_MONTH),
        monthly("KMS customer-managed key (topic encryption)", 1, "key", KMS_KEY_MONTH),
        Line(
            f"SNS e-mail deliveries ({emails_per_month} assumed)",
            f"{emails_per_month} x {SNS_EMAIL_PER_100K:.2f} USD / 100,000",
            emails_per_month * SNS_EMAIL_PER_100K / 100_000,
        ),
        monthly("AWS Budgets cost budget", 1, "budget", BUDGET_WITHIN_FIRST_TWO),
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
    title = f"Stage {args.stage} (billing-alarm), {PRICE_REGION} on-demand list prices as of {PRICES_REVIEWED}:"
    print(render(title, lines_for(len(thresholds))))
    print("Free tier: the first 10 alarms and 1,000 e-mails a month cost nothing; the KMS key always costs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
