"""`verify` for the fanout lab: one probe event of each kind through the deployed topic,
then each queue must hold exactly the probes its subscription's filter policy admits.

The probes cover both filters from both sides (shipping: order_paid or not; analytics:
amount >= 100 or not) and one event that only billing wants. Probes carry this run's id
in their order ids; the checks delete them.

SQS has no peek: every receive of a learner's message would count toward its
maxReceiveCount and, after a few verify polls, move it to the dead-letter queue
(scripts/fanout/receives.py). So verify runs only on empty queues: when a queue holds
messages it publishes nothing and says how to empty them. A message that arrives anyway
(SQS's counts are approximate) is received once and kept hidden until verify is done,
not put back at once to be received again at the next poll.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scripts.fanout.events import NotAnOrderEventError, OrderEvent, event_from_message
from scripts.fanout.publish_events import publish
from scripts.fanout.receives import max_receive_count, messages_held
from scripts.sandbox.checks import CheckResult, Waiter, WaitTimeout, check
from stacks.fanout.filters import ROUTES, TOPIC_OUTPUT, Route

# (event_type, amount): paid large, paid small, placed large, cancelled small (billing only).
PROBES = (("order_paid", 250.0), ("order_paid", 20.0), ("order_placed", 150.0), ("order_cancelled", 5.0))
PROBE_PREFIX = "verify-"
MAX_VISIBILITY_S = 12 * 60 * 60  # SQS's longest visibility timeout


def probe_events(run_id: str, now: datetime) -> list[OrderEvent]:
    stamp = now.replace(microsecond=0).isoformat()
    return [
        OrderEvent(f"{PROBE_PREFIX}{run_id}-{i + 1}", event_type, amount, occurred_at=stamp)
        for i, (event_type, amount) in enumerate(PROBES)
    ]


def describe(events: set[OrderEvent] | list[OrderEvent]) -> str:
    return ", ".join(f"{e.event_type} {e.amount:g}" for e in sorted(events, key=lambda e: e.order_id)) or "none"


class QueueProbe:
    """Collects this run's probes from one queue; deletes old probes, hides other messages until verify ends."""

    def __init__(self, sqs: Any, url: str, route: Route, run_id: str, poll_s: int, hide_s: int = 30) -> None:
        self._sqs, self._url, self._route, self._poll_s = sqs, url, route, poll_s
        self._hide_s = hide_s
        self._mine = f"{PROBE_PREFIX}{run_id}-"
        self.received: set[OrderEvent] = set()

    def receive_once(self) -> None:
        response = self._sqs.receive_message(
            QueueUrl=self._url, MaxNumberOfMessages=10, WaitTimeSeconds=self._poll_s, VisibilityTimeout=30
        )
        for message in response.get("Messages", []):
            try:
                event: OrderEvent | None = event_from_message(message["Body"], raw=self._route.raw_message_delivery)
            except NotAnOrderEventError:
                event = None
            if event is not None and event.order_id.startswith(PROBE_PREFIX):
                if event.order_id.startswith(self._mine):
                    self.received.add(event)
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
            else:
                # Not ours: this receive counted toward its maxReceiveCount already. Put back at
                # once, the next poll would receive it again (and again): hidden until verify ends,
                # it costs one receive per run.
                self._sqs.change_message_visibility(
                    QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=self._hide_s
                )


def queue_check(
    route: Route, probe: QueueProbe, expected: set[OrderEvent], wait: Waiter, timeout_s: float
) -> Callable[[], str]:
    def action() -> str:
        def arrived() -> set[OrderEvent] | None:
            probe.receive_once()
            return probe.received if expected <= probe.received else None

        with contextlib.suppress(WaitTimeout):  # what is missing is reported below
            wait.until(f"{route.queue} queue: {len(expected)} probe(s)", arrived, timeout_s=timeout_s, every_s=5)
        # One more receive: a probe the filter should have dropped arrives with the others.
        probe.receive_once()
        missing, extra = expected - probe.received, probe.received - expected
        problems = []
        if missing:
            problems.append(f"missing after {timeout_s:.0f} s: {describe(missing)}")
        if extra:
            problems.append(f"not admitted by its filter: {describe(extra)}")
        if problems:
            raise AssertionError("; ".join(problems))
        return f"received exactly what its filter admits: {describe(expected)}"

    return action


def run_checks(
    session: Any, outputs: dict[str, str], stage: str, wait: Waiter, *, timeout_s: float = 120, poll_s: int = 5
) -> list[CheckResult]:
    """Publishes one probe per kind, then checks each queue (see the module docstring).

    `stage` does not change what is checked: both stages route the same way.
    """
    run_id = uuid.uuid4().hex[:8]
    probes = probe_events(run_id, datetime.now(UTC))
    sqs = session.client("sqs")

    def publish_to_empty_queues() -> str:
        if TOPIC_OUTPUT not in outputs:
            raise LookupError(f"the stack has no output {TOPIC_OUTPUT}")
        refuse_queues_holding_messages(sqs, outputs)
        return publish_probes(session, outputs, probes)

    results = [check("the topic accepts one probe event of each kind", publish_to_empty_queues)]
    if not results[0].passed:
        return results
    # Hidden for the rest of the run: every queue's wait, and the last receive of each.
    hide_s = int(len(ROUTES) * (timeout_s + poll_s + 5))
    for route in ROUTES:
        expected = {event for event in probes if route.queue in event.destinations()}
        if route.output not in outputs:
            results.append(CheckResult(f"{route.queue} queue", False, f"the stack has no output {route.output}"))
            continue
        probe = QueueProbe(sqs, outputs[route.output], route, run_id, poll_s, hide_s=min(hide_s, MAX_VISIBILITY_S))
        results.append(check(f"{route.queue} queue", queue_check(route, probe, expected, wait, timeout_s)))
    return results


def refuse_queues_holding_messages(sqs: Any, outputs: dict[str, str]) -> None:
    """Raises (one line, what to do) when a queue holds messages verify's receives would use up."""
    for route in ROUTES:
        url = outputs.get(route.output)
        if url is None:
            continue
        held = messages_held(sqs, url)
        if held:
            limit = max_receive_count(sqs, url)
            after = f"after {limit} receives " if limit else ""
            raise AssertionError(
                f"the {route.queue} queue holds {held} message(s): verify's receives would count toward their "
                f"maxReceiveCount and move them to the dead-letter queue {after}(SQS has no peek); empty the "
                "queues first (python -m scripts.fanout.read_queues reads and deletes them), then verify"
            )


def publish_probes(session: Any, outputs: dict[str, str], probes: list[OrderEvent]) -> str:
    if TOPIC_OUTPUT not in outputs:
        raise LookupError(f"the stack has no output {TOPIC_OUTPUT}")
    published = publish(session.client("sns"), outputs[TOPIC_OUTPUT], probes)
    return f"published {published} probes: {describe(probes)}"
