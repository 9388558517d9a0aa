"""Show which of the fanout lab's queues received which order event.

    python -m scripts.fanout.read_queues            # reads and deletes what it shows
    python -m scripts.fanout.read_queues --keep     # leaves the messages in the queues

The queue URLs come from the Fanout stack's outputs. Billing gets the SNS envelope
around each event, analytics the raw event (raw message delivery): the reader unwraps
both. The table marks each event in the queues it reached, and says where that
differs from what the subscriptions' filter policies admit.

--keep still spends a receive of each message: SQS has no peek, and every receive counts
toward the queue's maxReceiveCount (scripts/fanout/receives.py). The reader says how many
receives each queue's messages have had, and which the next receive moves to the
dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from scripts.aws_session import aws_session
from scripts.fanout.events import NotAnOrderEventError, OrderEvent, event_from_message
from scripts.fanout.receives import RECEIVE_COUNT, max_receive_count, receive_count
from scripts.stack_outputs import OneLineParser, ScriptError, run, stack_outputs
from stacks.fanout.filters import ROUTES, Route

# With --keep, a received message stays hidden this long, then other readers see it again.
KEEP_VISIBILITY_S = 30
MAX_MESSAGES = 1000


@dataclass(frozen=True)
class Received:
    """One message read from one queue: an order event, or a note on why it is not one."""

    queue: str
    message_id: str
    event: OrderEvent | None
    note: str = ""
    receives: int = 1  # SQS's ApproximateReceiveCount, this read included


def queue_urls(outputs: dict[str, str], stack_name: str) -> dict[str, str]:
    missing = [route.output for route in ROUTES if route.output not in outputs]
    if missing:
        raise ScriptError(f"stack {stack_name} has no output {', '.join(missing)}: is it the fanout lab's stack?")
    return {route.queue: outputs[route.output] for route in ROUTES}


def receive_all(
    sqs: Any, queue_url: str, route: Route, *, keep: bool, wait_s: int, limit: int = MAX_MESSAGES
) -> list[Received]:
    """Reads the queue until a receive comes back empty (or `limit` messages), deleting unless `keep`."""
    seen: dict[str, Received] = {}
    while len(seen) < limit:
        request: dict[str, Any] = {
            "QueueUrl": queue_url,
            "MaxNumberOfMessages": 10,
            "WaitTimeSeconds": wait_s,
            "MessageSystemAttributeNames": [RECEIVE_COUNT],
        }
        if keep:
            request["VisibilityTimeout"] = KEEP_VISIBILITY_S
        messages = sqs.receive_message(**request).get("Messages", [])
        if not messages:
            break
        for message in messages:
            seen.setdefault(message["MessageId"], decode(route, message))
            if not keep:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return list(seen.values())


def decode(route: Route, message: dict[str, Any]) -> Received:
    receives = receive_count(message)
    try:
        event = event_from_message(message["Body"], raw=route.raw_message_delivery)
    except NotAnOrderEventError as error:
        return Received(route.queue, message["MessageId"], None, str(error), receives)
    return Received(route.queue, message["MessageId"], event, receives=receives)


def kept_receives(received: Iterable[Received], limits: dict[str, int | None]) -> list[str]:
    """With --keep: per queue, the receives its messages have had of maxReceiveCount, and who is next to go."""
    lines = []
    for route in ROUTES:
        counts = [item.receives for item in received if item.queue == route.queue]
        limit = limits.get(route.queue)
        if not counts or limit is None:
            continue
        last = sum(count >= limit for count in counts)
        line = (
            f"{route.queue}: kept {len(counts)} message(s), received {min(counts)}-{max(counts)} of "
            f"maxReceiveCount {limit} times (each read counts, --keep too)"
        )
        if last:
            line += f"; {last} will move to its dead-letter queue on the next receive"
        lines.append(line)
    return lines


def report(received: Iterable[Received]) -> list[str]:
    """The lines the reader prints: per event, the queues it reached, and any surprise."""
    received = list(received)
    queues = [route.queue for route in ROUTES]
    reached: dict[OrderEvent, set[str]] = {}
    strays: list[str] = []
    for item in received:
        if item.event is None:
            strays.append(f"{item.queue}: {item.note}")
        else:
            reached.setdefault(item.event, set()).add(item.queue)
    if not reached:
        return [*strays, "no order events in the queues (publish some with scripts.fanout.publish_events)"]
    width = max(len(event.label()) for event in reached)
    lines = [f"{'event':<{width}}  " + "  ".join(f"{queue:^9}" for queue in queues)]
    surprises = 0
    billing_only = 0
    for event in sorted(reached, key=lambda e: e.order_id):
        expected = set(event.destinations())
        marks = "  ".join(f"{'x' if queue in reached[event] else '-':^9}" for queue in queues)
        notes = []
        if extra := reached[event] - expected:
            notes.append(f"NOT admitted by the filter of {', '.join(sorted(extra))}")
            surprises += 1
        if missing := expected - reached[event]:
            notes.append(f"not seen in {', '.join(sorted(missing))} (not delivered yet, or read before)")
        if reached[event] == {"billing"} and expected == {"billing"}:
            notes.append("no filtered queue wants it: billing only")
            billing_only += 1
        lines.append(f"{event.label():<{width}}  {marks}  {'; '.join(notes)}".rstrip())
    lines += strays
    counts = ", ".join(f"{queue} {sum(1 for item in received if item.queue == queue)}" for queue in queues)
    lines.append(f"{len(reached)} event(s), {billing_only} in billing only; messages read: {counts}")
    if surprises:
        lines.append(f"{surprises} event(s) reached a queue whose filter policy does not admit them")
    return lines


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the messages in the queues (default: delete); each read still counts toward maxReceiveCount",
    )
    parser.add_argument("--wait", type=int, default=2, help="long-poll seconds per receive (0-20, default 2)")
    parser.add_argument("--stack-name", default="Fanout", help="the lab's stack (default Fanout)")
    parser.add_argument("--region", help="AWS region of the stack (default: your AWS CLI configuration)")
    args = parser.parse_args(argv)
    if not 0 <= args.wait <= 20:
        parser.error(f"--wait must be between 0 and 20 (SQS's long-poll limit), not {args.wait}")
    return args


def main(argv: Sequence[str] | None = None, session: Any = None) -> int:
    args = parse_args(argv)
    session = session or aws_session(args.region)
    urls = queue_urls(stack_outputs(session, args.stack_name), args.stack_name)
    sqs = session.client("sqs")
    received: list[Received] = []
    for route in ROUTES:
        received += receive_all(sqs, urls[route.queue], route, keep=args.keep, wait_s=args.wait)
    for line in report(received):
        print(line)
    if args.keep:
        limits = {route.queue: max_receive_count(sqs, urls[route.queue]) for route in ROUTES}
        for line in kept_receives(received, limits):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
