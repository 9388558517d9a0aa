"""The sandbox loop, rehearsed against a private local emulator: no account, no cost.

    python -m scripts.rehearse.run --lab fanout     # make rehearse LAB=fanout
    python -m scripts.rehearse.run                  # every lab the emulator can run

Starts MiniStack on 127.0.0.1 (scripts/rehearse/emulator.py), bootstraps it with the
pinned CDK CLI, then runs each lab's real loop with the project's own commands:
`make deploy`, `make verify`, `make destroy`, `make leftovers`, on the rehearsal stage
(cdk.json `rehearsal`: the sandbox shape, shorter waits). The only differences from a
real account are the endpoint and the workarounds in scripts/rehearse/workarounds.py.
Prints one table (step, result, time); exit code 0 when every step passed. A step that
fails shows its output's tail, the stack's failed events and the emulator's log tail;
when the emulator itself stopped answering, one line says so.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from scripts.rehearse import workarounds
from scripts.rehearse.emulator import ACCOUNT, REGION, ROOT, Emulator
from scripts.stack_outputs import OneLineParser, ScriptError, run
from stacks.labs import LABS, Lab, lab_named
from stacks.rehearsal_stage import rehearsal_stage

Clock = Callable[[], float]


@dataclass(frozen=True)
class Step:
    name: str
    passed: bool
    seconds: float
    detail: str = ""


def rehearsable() -> list[Lab]:
    return [lab for lab in LABS if not lab.rehearsal_gap]


def pick_labs(names: Sequence[str]) -> list[Lab]:
    """The named labs (each must be rehearsable), or every rehearsable one."""
    if not names:
        return rehearsable()
    labs = [lab_named(name) for name in names]
    for lab in labs:
        if lab.rehearsal_gap:
            allowed = ", ".join(item.name for item in rehearsable())
            raise ScriptError(f"{lab.name} cannot be rehearsed: {lab.rehearsal_gap}; rehearsable: {allowed}")
    return labs


def render(steps: Sequence[Step]) -> str:
    width = max(len("step"), *(len(step.name) for step in steps))
    rows = [f"  {'step':<{width}}  result  time"]
    rows += [
        f"  {step.name:<{width}}  {'PASS' if step.passed else 'FAIL':<6}  {step.seconds:5.1f} s"
        + (f"  {step.detail}" if step.detail else "")
        for step in steps
    ]
    return "\n".join(rows)


def failed_events(session: Any, stack_id: str, limit: int = 5) -> list[str]:
    """The stack's latest *_FAILED events, oldest first: why CloudFormation gave up."""
    try:
        pages = session.client("cloudformation").get_paginator("describe_stack_events")
        events = [event for page in pages.paginate(StackName=stack_id) for event in page["StackEvents"]]
    except Exception:
        return []
    failed = [e for e in events if str(e.get("ResourceStatus", "")).endswith("_FAILED")][:limit]
    return [
        f"{e['LogicalResourceId']} {e['ResourceStatus']}: {e.get('ResourceStatusReason', '')}" for e in reversed(failed)
    ]


class Rehearsal:
    def __init__(self, emulator: Emulator, out: Any = sys.stdout, clock: Clock = time.monotonic) -> None:
        self.emulator = emulator
        self.env = emulator.environment()
        self.session = boto3.Session(
            aws_access_key_id=ACCOUNT,
            aws_secret_access_key="rehearsal",
            region_name=REGION,
        )
        self.out, self.clock = out, clock
        self.steps: list[Step] = []
        self.stage = rehearsal_stage() or "local"

    def command(self, name: str, command: Sequence[str], stack_id: str | None = None) -> bool:
        print(f"-- {name}: {' '.join(command)}", file=self.out, flush=True)
        started = self.clock()
        log = self.emulator.workdir / f"{name.replace(' ', '-')}.log"
        with log.open("w") as output:
            code = subprocess.run(
                list(command), cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT
            ).returncode
        seconds = self.clock() - started
        if code == 0:
            self.steps.append(Step(name, True, seconds))
            return True
        detail = f"exit {code}"
        if not self.emulator.healthy():
            detail = "the emulator stopped answering (an emulator failure, not the lab's)"
        self.steps.append(Step(name, False, seconds, detail))
        self.explain_failure(log, stack_id)
        return False

    def explain_failure(self, log: Path, stack_id: str | None) -> None:
        tail = log.read_text(errors="replace").splitlines()[-25:]
        print("   output (last lines):", *(f"   | {line}" for line in tail), sep="\n", file=self.out)
        if stack_id is not None:
            for event in failed_events(self.endpoint_session(), stack_id):
                print(f"   failed event: {event}", file=self.out)
        print("   emulator log (last lines):", file=self.out)
        print("\n".join(f"   | {line}" for line in self.emulator.log_tail(15).splitlines()), file=self.out)

    def endpoint_session(self) -> Any:
        return _EndpointSession(self.session, self.emulator.endpoint)

    def bootstrap(self) -> bool:
        return self.command("bootstrap", ["npx", "cdk", "bootstrap", f"aws://{ACCOUNT}/{REGION}"])

    def publish_layer(self) -> bool:
        started = self.clock()
        try:
            arn = workarounds.publish_powertools_layer(self.endpoint_session())
        except Exception as error:
            self.steps.append(
                Step("powertools layer", False, self.clock() - started, f"{type(error).__name__}: {error}")
            )
            return False
        self.steps.append(Step("powertools layer", True, self.clock() - started, arn.rsplit(":", 2)[-2]))
        return True

    def loop(self, lab: Lab) -> None:
        stage = f"STAGE={self.stage}"
        parameters = workarounds.parameter_overrides(self.template(lab))
        deploy = ["make", "deploy", f"LAB={lab.name}", stage, "YES=1"]
        if parameters:
            deploy.append(f"CDK_PARAMETERS={' '.join(parameters)}")
        deployed = self.command(f"{lab.name} deploy", deploy, lab.stack_id)
        if deployed:
            self.command(f"{lab.name} verify", ["make", "verify", f"LAB={lab.name}", stage])
        # A failed deploy or verify still destroys, as in a real account.
        self.command(f"{lab.name} destroy", ["make", "destroy", f"LAB={lab.name}", stage], lab.stack_id)
        self.command(f"{lab.name} leftovers", ["make", "leftovers", stage])

    def template(self, lab: Lab) -> dict[str, Any]:
        """The lab's template for the rehearsal stage (synthesized by the first step that needs it)."""
        path = ROOT / "cdk.out" / f"{lab.stack_id}.template.json"
        if not path.exists() or not self._synthesized:
            subprocess.run(
                ["npx", "cdk", "synth", "--quiet", "-c", f"stage={self.stage}"],
                cwd=ROOT,
                env=self.env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            self._synthesized = True
        template: dict[str, Any] = json.loads(path.read_text())
        return template

    _synthesized = False


class _EndpointSession:
    """A boto3 session whose clients talk to the emulator (AWS_ENDPOINT_URL for our own calls)."""

    def __init__(self, session: Any, endpoint: str) -> None:
        self.session, self.endpoint = session, endpoint

    def client(self, name: str, **kwargs: Any) -> Any:
        return self.session.client(name, endpoint_url=self.endpoint, **kwargs)


def rehearse(labs: Sequence[Lab], emulator: Emulator, out: Any = sys.stdout) -> int:
    rehearsal = Rehearsal(emulator, out)
    print(
        f"Rehearsing {', '.join(lab.name for lab in labs)} on {emulator.endpoint} (stage {rehearsal.stage})", file=out
    )
    if rehearsal.bootstrap() and rehearsal.publish_layer():
        for lab in labs:
            rehearsal.loop(lab)
    print(render(rehearsal.steps), file=out)
    failed = sum(not step.passed for step in rehearsal.steps)
    print(f"{len(rehearsal.steps) - failed} of {len(rehearsal.steps)} steps passed", file=out)
    return 1 if failed else 0


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.rehearse.run", description=__doc__.splitlines()[0])
    parser.add_argument("--lab", action="append", default=[], help="a rehearsable lab (repeatable); default: all")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    labs = pick_labs([name for name in args.lab if name.strip()])
    with Emulator() as emulator:
        return rehearse(labs, emulator)


if __name__ == "__main__":
    raise SystemExit(run(main, None))
