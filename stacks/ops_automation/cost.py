"""Monthly cost of the ops-automation lab for one stage's configuration, with the arithmetic.

python -m scripts.cost --lab ops-automation [--stage prod]
"""

from __future__ import annotations

from stacks.cost_model import Line, alarms, alert_topic_key, lambda_arm64
from stacks.ops_automation.config import CHORE_MEMORY_MB, OpsAutomationConfig

# EventBridge Scheduler: 14 million invocations a month free, then 1.00 USD per million.
SCHEDULER_PER_MILLION = 1.00
ASSUMED_SECONDS_PER_RUN = 10  # a few pages of Describe calls and a handful of snapshots at lab scale
RUNS_PER_MONTH = 31  # each chore runs once a day

NOT_COUNTED = (
    "Not counted: the EBS snapshots themselves (0.05 USD per GB-month of changed blocks, the learner's volumes "
    "decide), and the free tiers (the first 10 alarms, 1M Lambda requests, 14M Scheduler invocations)."
)


def monthly_lines(config: OpsAutomationConfig) -> list[Line]:
    chores = 2 + (config.stop_instances_schedule is not None)
    runs = chores * RUNS_PER_MONTH
    return [
        alarms("on the chores' errors (one each)", chores),
        alert_topic_key(),
        Line(
            f"Scheduler invocations ({runs} a month)",
            f"{runs} x {SCHEDULER_PER_MILLION:.2f} USD / 1,000,000",
            runs * SCHEDULER_PER_MILLION / 1_000_000,
        ),
        *lambda_arm64(runs, ASSUMED_SECONDS_PER_RUN * 1000, CHORE_MEMORY_MB),
    ]
