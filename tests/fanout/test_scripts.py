"""The learner scripts against moto: publish_events finds the topic from the stack outputs,
read_queues shows which queue received which event; bad input is one line."""

from __future__ import annotations

import re
from typing import Any

import pytest

from scripts.fanout import publish_events, read_queues
from scripts.fanout.events import OrderEvent
from scripts.fanout.publish_events import publish
from scripts.stack_outputs import run
from stacks.fanout.filters import TOPIC_OUTPUT
from tests.fanout.moto_deployment import Deployment, create_stack, deploy, drain

STAMP = "2024-05-01T12:00:00+00:00"


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.strip()


def test_the_publisher_sends_a_sample_that_exercises_every_route(
    session: Any, deployed: Deployment, capsys: pytest.CaptureFixture[str]
) -> None:
    # When the publisher sends 30 events (three PublishBatch calls, one partial)
    assert publish_events.main(["--count", "30", "--seed", "7"], session=session) == 0
    out = capsys.readouterr().out.splitlines()
    # Then it prints one line per event with its expected queues, and a total
    assert out[-1] == f"published 30 event(s) to {deployed.outputs[TOPIC_OUTPUT]}"
    predicted = dict(line.rsplit(" -> ", 1) for line in out[:-1])
    assert len(predicted) == 30
    # And billing holds all 30, the others exactly the events printed for them
    for queue, output in (("billing", "BillingQueueUrl"), ("shipping", "ShippingQueueUrl")):
        bodies = drain(session, deployed.outputs[output])
        printed = [label for label, queues in predicted.items() if queue in queues.split(", ")]
        assert len(bodies) == len(printed) > 0
    assert sum("analytics" in queues for queues in predicted.values()) == len(
        drain(session, deployed.outputs["AnalyticsQueueUrl"])
    )


def test_the_publisher_sends_one_chosen_event(
    session: Any, deployed: Deployment, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish_events.main(["--event-type", "order_paid", "--amount", "120"], session=session) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert re.fullmatch(r"order-[0-9a-f]{6}-0001 order_paid 120\.00 USD +-> billing, shipping, analytics", line)
    assert len(drain(session, deployed.outputs["ShippingQueueUrl"])) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--count", "0"], "error: --count must be between 1 and 500, not 0"),
        (["--amount", "5"], "error: --event-type and --amount go together (one event), or leave both out"),
        (["--event-type", "order_paid"], "error: --event-type and --amount go together"),
        (["--event-type", "order_lost", "--amount", "5"], "error: argument --event-type: invalid choice: 'order_lost'"),
        (["--event-type", "order_paid", "--amount", "0"], "error: argument --amount: must be a number of USD above 0"),
        (["--event-type", "order_paid", "--amount", "1.234"], "error: argument --amount: must be a number of USD"),
        (["--event-type", "order_paid", "--amount", "ten"], "error: argument --amount: must be a number of USD"),
    ],
)
def test_bad_publisher_arguments_give_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        publish_events.main(argv)
    assert exited.value.code == 2
    assert one_line_error(capsys).startswith(message)


def test_a_missing_stack_is_one_line_with_what_to_do(session: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(lambda argv: publish_events.main(argv, session=session), [])
    assert code == 1
    assert one_line_error(capsys).startswith("error: stack Fanout not found in us-east-1: deploy it first")


def test_another_lab_s_stack_is_named_as_the_wrong_one(session: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # Given a stack called Fanout without the fanout lab's outputs
    create_stack(session, {"QueueUrl": "https://example.invalid/q"})
    assert run(lambda argv: publish_events.main(argv, session=session), []) == 1
    assert one_line_error(capsys) == "error: stack Fanout has no output TopicArn: is it the fanout lab's stack?"
    assert run(lambda argv: read_queues.main(argv, session=session), ["--wait", "0"]) == 1
    assert one_line_error(capsys) == (
        "error: stack Fanout has no output BillingQueueUrl, ShippingQueueUrl, AnalyticsQueueUrl: "
        "is it the fanout lab's stack?"
    )


def test_the_reader_shows_which_queue_received_which_event(
    session: Any, deployed: Deployment, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a paid large order, a cancelled small one, and a message that is no order event
    sns = session.client("sns")
    events = [OrderEvent("o-1", "order_paid", 250.0, STAMP), OrderEvent("o-2", "order_cancelled", 5.0, STAMP)]
    publish(sns, deployed.outputs[TOPIC_OUTPUT], events)
    sns.publish(TopicArn=deployed.outputs[TOPIC_OUTPUT], Message="hello")
    # When the reader runs
    assert read_queues.main(["--wait", "0"], session=session) == 0
    lines = capsys.readouterr().out.splitlines()
    # Then each event's row marks the queues it reached; the stray message is named, not dropped
    assert lines == [
        "event                          billing   shipping   analytics",
        "o-1 order_paid 250.00 USD         x          x          x",
        "o-2 order_cancelled 5.00 USD      x          -          -      no filtered queue wants it: billing only",
        "billing: not an order event: 'hello'",
        "2 event(s), 1 in billing only; messages read: billing 3, shipping 1, analytics 1",
    ]
    # And the queues are empty afterwards (the reader deletes what it shows)
    assert drain(session, deployed.outputs["BillingQueueUrl"]) == []


def test_the_reader_keeps_messages_when_asked(
    session: Any, deployed: Deployment, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(session.client("sns"), deployed.outputs[TOPIC_OUTPUT], [OrderEvent("o-1", "order_paid", 5.0, STAMP)])
    assert read_queues.main(["--keep", "--wait", "0"], session=session) == 0
    assert "o-1 order_paid 5.00 USD" in capsys.readouterr().out
    # The message is only hidden for a while, not deleted
    sqs = session.client("sqs")
    attributes = sqs.get_queue_attributes(
        QueueUrl=deployed.outputs["BillingQueueUrl"], AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "1"


def test_keeping_says_what_each_read_costs_the_messages(
    session: Any, deployed: Deployment, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQS has no peek: a --keep read is a receive, and receives count toward maxReceiveCount (5 in
    # this deployment); past it the next receive moves the message to the dead-letter queue
    # (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
    publish(session.client("sns"), deployed.outputs[TOPIC_OUTPUT], [OrderEvent("o-1", "order_paid", 5.0, STAMP)])
    sqs = session.client("sqs")
    url = deployed.outputs["BillingQueueUrl"]
    for _ in range(4):  # four earlier receives, each put back at once
        [message] = sqs.receive_message(QueueUrl=url)["Messages"]
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    assert read_queues.main(["--keep", "--wait", "0"], session=session) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        "billing: kept 1 message(s), received 5-5 of maxReceiveCount 5 times (each read counts, --keep too); "
        "1 will move to its dead-letter queue on the next receive"
    ) in lines
    assert any(line.startswith("shipping: kept 1 message(s), received 1-1 of maxReceiveCount 5") for line in lines)


def test_the_reader_flags_an_event_in_a_queue_its_filter_does_not_admit(
    session: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a miswired deployment: shipping subscribed without its filter
    from dataclasses import replace

    from stacks.fanout.filters import ROUTES

    routes = tuple(replace(r, filter_policy=None) if r.queue == "shipping" else r for r in ROUTES)
    deployment = deploy(session, routes)
    create_stack(session, deployment.outputs)
    publish(session.client("sns"), deployment.outputs[TOPIC_OUTPUT], [OrderEvent("o-1", "order_placed", 5.0, STAMP)])
    # When the reader runs, then it says which filter let the event through wrongly
    assert read_queues.main(["--wait", "0"], session=session) == 0
    out = capsys.readouterr().out
    assert "NOT admitted by the filter of shipping" in out
    assert out.splitlines()[-1] == "1 event(s) reached a queue whose filter policy does not admit them"


def test_the_reader_on_empty_queues_says_how_to_fill_them(
    session: Any, deployed: Deployment, capsys: pytest.CaptureFixture[str]
) -> None:
    assert read_queues.main(["--wait", "0"], session=session) == 0
    assert (
        capsys.readouterr().out == "no order events in the queues (publish some with scripts.fanout.publish_events)\n"
    )


def test_a_bad_wait_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        read_queues.main(["--wait", "21"])
    assert (
        one_line_error(capsys) == "error: --wait must be between 0 and 20 (SQS's long-poll limit), not 21 (see --help)"
    )


@pytest.mark.parametrize("module", [publish_events, read_queues])
def test_both_scripts_explain_themselves(module: Any, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        module.main(["--help"])
    assert exited.value.code == 0
    assert "--stack-name" in capsys.readouterr().out
