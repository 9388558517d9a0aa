"""What one sandbox workflow run costs: each lab's monthly cost, for the hours it stands.

    python -m scripts.sandbox.run_cost [--stage sandbox] [--hours 1]

A run deploys, verifies and destroys each lab within about an hour (the job's timeout is
two). The cost models price a month of a deployed, idle lab (730 hours); most of it is
billed by the hour or second (instances, load balancer, public IPv4, RDS) or prorated
(KMS keys, alarms), so a run costs about monthly x hours / 730. Usage the verify causes
(a few requests and log lines) is in the free tier or fractions of a cent.
"""

from __future__ import annotations

from collections.abc import Sequence

from scripts.sandbox.lab_cost import monthly_lines
from scripts.stack_outputs import OneLineParser
from stacks.cost_model import HOURS_PER_MONTH, total
from stacks.labs import LABS


def run_cost(stage: str, hours: float) -> list[tuple[str, float]]:
    """(lab, USD for `hours` of it deployed), every lab of the registry."""
    return [(lab.name, total(monthly_lines(lab, stage)) * hours / HOURS_PER_MONTH) for lab in LABS]


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m scripts.sandbox.run_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="sandbox", help="stage block of cdk.json (default: sandbox)")
    parser.add_argument("--hours", type=float, default=1.0, help="how long each lab stands (default: 1)")
    args = parser.parse_args(argv)
    if args.hours <= 0:
        parser.error(f"--hours {args.hours}: must be more than 0")
    costs = run_cost(args.stage, args.hours)
    for name, usd in costs:
        print(f"  {name:<18} {usd:8.3f} USD")
    print(f"  {'every lab':<18} {sum(usd for _, usd in costs):8.3f} USD for {args.hours:g} h of stage {args.stage}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
