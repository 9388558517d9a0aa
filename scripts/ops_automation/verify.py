"""`verify` for the ops-automation lab: the chores are scheduled, and the snapshot chore
works in this account without changing anything.

- The snapshot function is invoked with {"dry_run": true} (the input can force a dry run,
  never lift one): EC2 answers its DryRun calls, so a clean summary proves that the
  function can list the Backup=true volumes and would be allowed to snapshot them, while
  no snapshot is made.
- Every schedule in the stack's outputs (keys ending in "ScheduleName") exists, is
  enabled, and has a time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scripts.ops_automation.run_chore import invoke_chore
from scripts.sandbox.checks import CheckResult, Waiter, check

SNAPSHOT_FUNCTION_OUTPUT = "SnapshotFunctionName"
SCHEDULE_OUTPUT_SUFFIX = "ScheduleName"
SCHEDULE_GROUP_OUTPUT = "ScheduleGroupName"
DEFAULT_SCHEDULE_GROUP = "default"


def run_checks(session: Any, outputs: dict[str, str], stage: str, wait: Waiter) -> list[CheckResult]:
    results = [check("snapshot function: dry run is clean", lambda: snapshot_dry_run(session, outputs))]
    schedules = sorted(key for key in outputs if key.endswith(SCHEDULE_OUTPUT_SUFFIX))
    if not schedules:
        results.append(CheckResult("schedules", False, f"the stack has no output ending in {SCHEDULE_OUTPUT_SUFFIX}"))
    group = outputs.get(SCHEDULE_GROUP_OUTPUT, DEFAULT_SCHEDULE_GROUP)
    for key in schedules:
        results.append(check(f"schedule {key}: enabled", _schedule_check(session, outputs[key], group)))
    return results


def _schedule_check(session: Any, name: str, group: str) -> Callable[[], str]:
    return lambda: schedule_enabled(session, name, group)


def snapshot_dry_run(session: Any, outputs: dict[str, str]) -> str:
    if SNAPSHOT_FUNCTION_OUTPUT not in outputs:
        raise AssertionError(f"the stack has no output {SNAPSHOT_FUNCTION_OUTPUT}")
    summary = invoke_chore(session, outputs[SNAPSHOT_FUNCTION_OUTPUT], dry_run=True)
    if summary["chore"] != "snapshot":
        raise AssertionError(f"the function ran the {summary['chore']} chore, not snapshot")
    if summary.get("dry_run") is not True:
        raise AssertionError("the function did not run as a dry run")
    failures = summary.get("failures") or []
    if failures:
        first = failures[0]
        raise AssertionError(f"{len(failures)} failure(s), first: {first.get('item')}: {first.get('detail')}")
    counts = summary["counts"]
    return (
        f"{summary.get('date')}: would snapshot {counts['done']} volume(s) tagged Backup=true, "
        f"{counts['skipped']} already done today, no failures"
    )


def schedule_enabled(session: Any, name: str, group: str) -> str:
    schedule = session.client("scheduler").get_schedule(Name=name, GroupName=group)
    if schedule.get("State") != "ENABLED":
        raise AssertionError(f"schedule {name} is {schedule.get('State')}, not ENABLED")
    zone = schedule.get("ScheduleExpressionTimezone")
    if not zone:
        raise AssertionError(f"schedule {name} has no time zone (it would run in UTC)")
    target = schedule.get("Target", {}).get("Arn", "")
    return f"{schedule.get('ScheduleExpression')} ({zone}) -> {target.rsplit(':', 1)[-1]}"
