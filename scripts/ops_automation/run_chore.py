"""Run one of the ops-automation lab's chores now and print its report.

    python -m scripts.ops_automation.run_chore --chore snapshot          # a dry run: changes nothing
    python -m scripts.ops_automation.run_chore --chore cleanup --live    # acts, if the stage has dry_run false

The function comes from the OpsAutomation stack's outputs. Without --live the input is
{"dry_run": true}, which every chore obeys; with --live the stage's own dry_run setting
decides (a function deployed as a dry run stays one).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from scripts.aws_session import aws_session
from scripts.stack_outputs import OneLineParser, ScriptError, run, stack_outputs

CHORE_OUTPUTS = {
    "snapshot": "SnapshotFunctionName",
    "cleanup": "CleanupFunctionName",
    "stop-instances": "StopInstancesFunctionName",
}


def invoke_chore(session: Any, function_name: str, *, dry_run: bool) -> dict[str, Any]:
    """The chore's summary (see lambda_src/ops_chores/logic.py Summary.to_dict); ScriptError if it failed."""
    response = session.client("lambda").invoke(
        FunctionName=function_name,
        InvocationType="RequestResponse",
        Payload=json.dumps({"dry_run": True} if dry_run else {}).encode(),
    )
    payload = response["Payload"].read().decode("utf-8", errors="replace")
    if response.get("FunctionError"):
        raise ScriptError(f"the function failed: {_error_message(payload)}")
    try:
        summary = json.loads(payload)
    except ValueError:
        summary = None
    if not isinstance(summary, dict) or "counts" not in summary or "chore" not in summary:
        raise ScriptError(f"the function returned no chore summary: {payload[:120]}")
    return summary


def report(summary: dict[str, Any]) -> str:
    """The summary as the e-mail report reads: a headline, then failures, done, skipped."""
    counts = summary["counts"]
    mode = " (dry run)" if summary.get("dry_run") else ""
    lines = [
        f"{summary['chore']} {summary.get('date')}: {counts['done']} done, {counts['skipped']} skipped, "
        f"{counts['failed']} failed{mode}"
    ]
    for title, key in (("Failed", "failures"), ("Done", "done"), ("Skipped", "skipped")):
        for item in summary.get(key, []):
            lines.append(f"  {title.lower():7} {item['item']}: {item['detail']}")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chore", required=True, choices=sorted(CHORE_OUTPUTS), help="which chore to run")
    parser.add_argument("--live", action="store_true", help="do not force a dry run (the stage's dry_run decides)")
    parser.add_argument("--stack-name", default="OpsAutomation", help="the lab's stack (default OpsAutomation)")
    parser.add_argument("--region", help="AWS region of the stack (default: your AWS CLI configuration)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    session = aws_session(args.region)
    outputs = stack_outputs(session, args.stack_name)
    key = CHORE_OUTPUTS[args.chore]
    if key not in outputs:
        if args.chore == "stop-instances":
            raise ScriptError("this stage has no stop-instances chore (ops_automation.stop_instances_schedule is null)")
        raise ScriptError(f"stack {args.stack_name} has no output {key}: is it the ops-automation lab's stack?")
    summary = invoke_chore(session, outputs[key], dry_run=not args.live)
    print(report(summary))
    return 1 if summary["counts"]["failed"] else 0


def _error_message(payload: str) -> str:
    try:
        error = json.loads(payload)
    except ValueError:
        return payload[:200]
    if isinstance(error, dict):
        return f"{error.get('errorType', 'Error')}: {error.get('errorMessage', '')}"[:200]
    return payload[:200]


if __name__ == "__main__":
    raise SystemExit(run(main, None))
