"""Publish order events (with an event_type attribute) to the fanout lab's topic.

    python -m scripts.fanout.publish_events --count 12 --seed 7
    python -m scripts.fanout.publish_events --event-type order_paid --amount 120

The topic comes from the Fanout stack's outputs. Each line printed names the queues
the subscriptions' filter policies should deliver the event to; read them back with
`python -m scripts.fanout.read_queues`.
"""

from __future__ import annotations

import argparse
import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from scripts.aws_session import aws_session
from scripts.fanout.events import OrderEvent, sample_events
from scripts.stack_outputs import OneLineParser, ScriptError, run, stack_outputs
from stacks.fanout.filters import EVENT_TYPES, TOPIC_OUTPUT

MAX_COUNT = 500
MAX_AMOUNT = 1_000_000
SNS_BATCH = 10  # PublishBatch's limit


def topic_arn(outputs: dict[str, str], stack_name: str) -> str:
    if TOPIC_OUTPUT not in outputs:
        raise ScriptError(f"stack {stack_name} has no output {TOPIC_OUTPUT}: is it the fanout lab's stack?")
    return outputs[TOPIC_OUTPUT]


def publish(sns: Any, topic: str, events: Sequence[OrderEvent]) -> int:
    """Publishes in batches of 10; returns how many SNS accepted, or raises naming the first refusal."""
    accepted = 0
    for start in range(0, len(events), SNS_BATCH):
        chunk = events[start : start + SNS_BATCH]
        response = sns.publish_batch(
            TopicArn=topic, PublishBatchRequestEntries=[event.publish_entry(str(i)) for i, event in enumerate(chunk)]
        )
        failed = response.get("Failed", [])
        if failed:
            first = failed[0]
            raise ScriptError(f"SNS refused {len(failed)} event(s): {first.get('Code')}: {first.get('Message', '')}")
        accepted += len(response.get("Successful", []))
    return accepted


def amount(text: str) -> float:
    """An order amount: positive, at most 2 decimals (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= MAX_AMOUNT or round(value, 2) != value:
        raise argparse.ArgumentTypeError(
            f"must be a number of USD above 0 and at most {MAX_AMOUNT} with at most 2 decimals, not {text!r}"
        )
    return value


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=12, help=f"sample events to publish (1-{MAX_COUNT}, default 12)")
    parser.add_argument("--event-type", choices=EVENT_TYPES, help="publish one event of this type (with --amount)")
    parser.add_argument("--amount", type=amount, help="the one event's amount in USD, e.g. 120 or 99.99")
    parser.add_argument("--seed", type=int, help="make the sample's order repeatable")
    parser.add_argument("--stack-name", default="Fanout", help="the lab's stack (default Fanout)")
    parser.add_argument("--region", help="AWS region of the stack (default: your AWS CLI configuration)")
    args = parser.parse_args(argv)
    if (args.event_type is None) != (args.amount is None):
        parser.error("--event-type and --amount go together (one event), or leave both out (a sample)")
    if not 1 <= args.count <= MAX_COUNT:
        parser.error(f"--count must be between 1 and {MAX_COUNT}, not {args.count}")
    return args


def main(argv: Sequence[str] | None = None, session: Any = None) -> int:
    args = parse_args(argv)
    session = session or aws_session(args.region)
    topic = topic_arn(stack_outputs(session, args.stack_name), args.stack_name)
    now = datetime.now(UTC)
    # A run id in the order ids keeps this run's events apart from earlier ones in the queues.
    prefix = f"order-{uuid.uuid4().hex[:6]}"
    if args.event_type:
        stamp = now.replace(microsecond=0).isoformat()
        events = [OrderEvent(f"{prefix}-0001", args.event_type, args.amount, occurred_at=stamp)]
    else:
        events = sample_events(args.count, random.Random(args.seed), now, prefix=prefix)
    published = publish(session.client("sns"), topic, events)
    for event in events:
        print(f"{event.label():<40} -> {', '.join(event.destinations())}")
    print(f"published {published} event(s) to {topic}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
