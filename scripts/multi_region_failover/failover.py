"""The failover drill: switch the primary region "down", watch Route 53 fail over, switch it back.

    python -m scripts.multi_region_failover.failover [--stage prod] [--down primary|none] [--timeout 600]
    make failover LAB=multi-region-failover [DOWN=primary|none]

--down primary (default): sets the primary's SSM "down" switch to true (its /health answers
503), waits until the zone's own name servers answer with the secondary ALB, sets it back
to false and waits until they answer with the primary again; prints how long each switch
took. Expect about interval x threshold (30 s x 3) plus Route 53's propagation for each.
--down none: only switches both regions up and waits for the primary (after an interrupted drill).

Reads the DNS stack (MultiRegionFailover) in the primary region from cdk.json's stage; the
standard AWS settings (AWS_PROFILE ...) choose the account. Exit 0 when every wait ended in
time, 1 otherwise (2 for a bad argument).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from scripts.aws_session import aws_session
from scripts.multi_region_failover.deployment import Deployment, answered_role
from scripts.multi_region_failover.dns_query import DnsError, Resolver, SystemResolver
from scripts.sandbox.checks import Waiter, WaitTimeout
from scripts.sandbox.verify import home_region
from scripts.stack_outputs import OneLineParser, ScriptError, run, stack_outputs
from stacks.config import stage_names
from stacks.labs import lab_named

LAB = lab_named("multi-region-failover")
DOWN_CHOICES = ("primary", "none")


def set_switch(session: Any, deployment: Deployment, role: str, down: bool) -> None:
    ssm = session.client("ssm", region_name=deployment.regions[role])
    ssm.put_parameter(Name=deployment.down_parameter, Value="true" if down else "false", Overwrite=True)


class Drill:
    """The drill's steps; every wait uses `wait`, every duration `clock`: tests run in no real time."""

    def __init__(
        self,
        session: Any,
        deployment: Deployment,
        *,
        zone: Resolver,
        public: Resolver,
        wait: Waiter,
        clock: Callable[[], float],
        out: TextIO,
        timeout_s: float,
        every_s: float = 10,
    ) -> None:
        self.session, self.deployment = session, deployment
        self.zone, self.public, self.wait, self.clock, self.out = zone, public, wait, clock, out
        self.timeout_s, self.every_s = timeout_s, every_s

    def answered(self) -> str | None:
        try:
            return answered_role(self.deployment, self.zone, self.public)
        except DnsError as error:  # one lost UDP answer is no reason to stop a drill
            print(f"  (no answer this time: {error})", file=self.out)
            return None

    def until_answer(self, role: str) -> float:
        """Waits until the zone answers with `role`; returns the seconds it took."""
        started = self.clock()
        region = self.deployment.regions[role]
        self.wait.until(
            f"{self.deployment.record} to answer with the {role} ({region})",
            lambda: role if self.answered() == role else None,
            timeout_s=self.timeout_s,
            every_s=self.every_s,
        )
        return self.clock() - started

    def fail_over_and_back(self) -> dict[str, float]:
        primary = self.deployment.regions["primary"]
        secondary = self.deployment.regions["secondary"]
        print(f"Switching {primary} down (its /health answers 503)", file=self.out)
        set_switch(self.session, self.deployment, "primary", True)
        took = {"failover": self.until_answer("secondary")}
        print(f"Failover to {secondary} took {took['failover']:.0f} s", file=self.out)
        print(f"Switching {primary} up again", file=self.out)
        set_switch(self.session, self.deployment, "primary", False)
        took["recovery"] = self.until_answer("primary")
        print(f"Recovery to {primary} took {took['recovery']:.0f} s", file=self.out)
        return took

    def restore(self) -> dict[str, float]:
        for role in ("primary", "secondary"):
            set_switch(self.session, self.deployment, role, False)
        print("Both regions switched up", file=self.out)
        took = {"recovery": self.until_answer("primary")}
        print(
            f"The zone answers with {self.deployment.regions['primary']} after {took['recovery']:.0f} s", file=self.out
        )
        return took


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.multi_region_failover.failover", description=__doc__.splitlines()[0])
    parser.add_argument("--lab", default=LAB.name, help=f"the lab (only {LAB.name} has a failover drill)")
    parser.add_argument("--stage", default="sandbox", help="stage block of cdk.json (default: sandbox)")
    parser.add_argument("--down", default="primary", help="primary (the drill, default) or none (switch all up)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds each wait may take (default 600)")
    args = parser.parse_args(argv)
    if args.lab != LAB.name:
        parser.error(f"--lab {args.lab!r}: only {LAB.name} has a failover drill")
    if args.stage not in stage_names():
        parser.error(
            f"unknown stage {args.stage!r}: must be one of {', '.join(stage_names())} (the blocks of cdk.json)"
        )
    if args.down not in DOWN_CHOICES:
        parser.error(f"--down {args.down!r}: must be one of {', '.join(DOWN_CHOICES)}")
    if args.timeout <= 0:
        parser.error(f"--timeout {args.timeout:g}: must be a positive number of seconds")
    return args


def main(
    argv: Sequence[str] | None = None,
    *,
    session: Any = None,
    zone: Resolver | None = None,
    public: Resolver | None = None,
    wait: Waiter | None = None,
    clock: Callable[[], float] = time.monotonic,
    out: TextIO = sys.stdout,
) -> int:
    args = parse_args(argv)
    session = session or aws_session(home_region(LAB, args.stage))
    deployment = Deployment.from_outputs(stack_outputs(session, LAB.stack_id))
    drill = Drill(
        session,
        deployment,
        zone=zone or deployment.zone_resolver(),
        public=public or SystemResolver(),
        wait=wait or Waiter(clock=clock),
        clock=clock,
        out=out,
        timeout_s=args.timeout,
    )
    print(f"Failover drill: {deployment.record}, asking {', '.join(deployment.name_servers)}", file=out)
    try:
        drill.fail_over_and_back() if args.down == "primary" else drill.restore()
    except WaitTimeout as error:
        switch = f"make failover LAB={LAB.name} DOWN=none"
        raise ScriptError(f"{error} (the switch may still be down: {switch} switches both regions up)") from None
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
