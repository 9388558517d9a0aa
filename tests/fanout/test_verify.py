"""scripts/fanout/verify.py against moto: passes on the lab as deployed, and each miswiring
fails the check of the queue it affects, with a detail that says what went wrong."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from scripts.fanout import verify
from scripts.fanout.events import OrderEvent
from scripts.fanout.publish_events import publish
from scripts.sandbox.checks import CheckResult, Waiter
from stacks.fanout.filters import ROUTES, TOPIC_OUTPUT
from tests.fanout.moto_deployment import Deployment, deploy, drain


class FakeTime:
    """A clock that moves only when the Waiter sleeps: timeouts pass in no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def run(session: Any, outputs: dict[str, str]) -> list[CheckResult]:
    time = FakeTime()
    waiter = Waiter(out=io.StringIO(), clock=time.clock, sleep=time.sleep)
    return verify.run_checks(session, outputs, "sandbox", waiter, timeout_s=30, poll_s=0)


def by_name(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {result.name: result for result in results}


def test_every_check_passes_on_the_lab_as_deployed(session: Any, deployed: Deployment) -> None:
    results = by_name(run(session, deployed.outputs))
    assert list(results) == [
        "the topic accepts one probe event of each kind",
        "billing queue",
        "shipping queue",
        "analytics queue",
    ]
    assert all(result.passed for result in results.values()), results
    assert results["billing queue"].detail == (
        "received exactly what its filter admits: order_paid 250, order_paid 20, order_placed 150, order_cancelled 5"
    )
    assert results["shipping queue"].detail == "received exactly what its filter admits: order_paid 250, order_paid 20"
    assert results["analytics queue"].detail == (
        "received exactly what its filter admits: order_paid 250, order_placed 150"
    )


def test_the_probes_are_removed_and_nothing_is_left_behind(session: Any, deployed: Deployment) -> None:
    assert all(result.passed for result in run(session, deployed.outputs))
    for route in ROUTES:
        assert drain(session, deployed.outputs[route.output]) == []


def test_a_learners_messages_are_not_received_verify_says_to_empty_the_queues(
    session: Any, deployed: Deployment
) -> None:
    # SQS has no peek: every receive counts toward maxReceiveCount, even when the message is put
    # back at once, and a count above it moves the message to the dead-letter queue
    # (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
    # Given a learner's own event waiting in billing
    publish(session.client("sns"), deployed.outputs[TOPIC_OUTPUT], [OrderEvent("mine", "order_placed", 5.0, "x")])
    # When verify runs
    [result] = run(session, deployed.outputs)
    # Then it publishes and receives nothing, and says why and what to do, in one line
    assert not result.passed
    assert result.detail == (
        "AssertionError: the billing queue holds 1 message(s): verify's receives would count toward their "
        "maxReceiveCount and move them to the dead-letter queue after 5 receives (SQS has no peek); empty the "
        "queues first (python -m scripts.fanout.read_queues reads and deletes them), then verify"
    )
    # And the learner's event was never received: this is its first receive
    sqs = session.client("sqs")
    [message] = sqs.receive_message(
        QueueUrl=deployed.outputs["BillingQueueUrl"], MessageSystemAttributeNames=["ApproximateReceiveCount"]
    )["Messages"]
    assert "mine" in message["Body"]
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"


def test_a_message_that_is_not_a_probe_is_received_once_per_run_not_at_every_poll(
    session: Any, deployed: Deployment
) -> None:
    # A message that arrives after the check (SQS's counts are approximate) is hidden until verify
    # ends: put back at once, each of verify's polls would spend another of its receives.
    url = deployed.outputs["BillingQueueUrl"]
    sqs = session.client("sqs")
    sqs.send_message(QueueUrl=url, MessageBody='{"order_id": "mine"}')
    probe = verify.QueueProbe(sqs, url, ROUTES[0], "run", poll_s=0, hide_s=600)
    for _ in range(3):
        probe.receive_once()
    # Then it is still in the queue, hidden (received once), not visible for the next poll
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    assert (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]) == ("0", "1")


def test_a_filter_that_lets_too_much_through_fails_that_queue_only(session: Any) -> None:
    # Given shipping subscribed without its filter policy
    routes = tuple(replace(r, filter_policy=None) if r.queue == "shipping" else r for r in ROUTES)
    results = by_name(run(session, deploy(session, routes).outputs))
    # Then the shipping check names the probes its filter should have dropped
    assert not results["shipping queue"].passed
    assert results["shipping queue"].detail == (
        "AssertionError: not admitted by its filter: order_placed 150, order_cancelled 5"
    )
    assert results["billing queue"].passed
    assert results["analytics queue"].passed


def test_a_filter_on_the_wrong_scope_fails_with_what_is_missing(session: Any) -> None:
    # Given analytics' body filter applied to the attributes (there is no amount attribute)
    routes = tuple(replace(r, scope="MessageAttributes") if r.queue == "analytics" else r for r in ROUTES)
    results = by_name(run(session, deploy(session, routes).outputs))
    # Then analytics times out waiting and says which probes never came
    assert not results["analytics queue"].passed
    assert results["analytics queue"].detail == ("AssertionError: missing after 30 s: order_paid 250, order_placed 150")


def test_a_queue_without_a_subscription_fails_after_the_timeout(session: Any) -> None:
    deployment = deploy(session, subscribe=lambda route: route.queue != "billing")
    results = by_name(run(session, deployment.outputs))
    assert results["billing queue"].detail.startswith("AssertionError: missing after 30 s: order_paid 250")
    assert results["shipping queue"].passed


def test_missing_outputs_fail_with_the_output_s_name(session: Any) -> None:
    outputs = deploy(session).outputs
    # A missing queue output fails that queue's check
    without_shipping = {k: v for k, v in outputs.items() if k != "ShippingQueueUrl"}
    results = by_name(run(session, without_shipping))
    assert results["shipping queue"] == CheckResult("shipping queue", False, "the stack has no output ShippingQueueUrl")
    assert results["analytics queue"].passed
    # Without the topic nothing can be published, and that is the one result
    assert run(session, {k: v for k, v in outputs.items() if k != TOPIC_OUTPUT}) == [
        CheckResult(
            "the topic accepts one probe event of each kind", False, "LookupError: the stack has no output TopicArn"
        )
    ]
