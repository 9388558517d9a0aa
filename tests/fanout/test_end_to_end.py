"""End to end against moto's SNS and SQS, which apply the subscriptions' filter policies:
a mixed set of order events goes to exactly the queues LABS.md §6 names."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from typing import Any

from scripts.fanout.events import OrderEvent, event_from_message, sample_events
from scripts.fanout.publish_events import publish
from stacks.fanout.filters import ROUTES, TOPIC_OUTPUT
from tests.fanout.moto_deployment import Deployment, drain

STAMP = "2024-05-01T12:00:00+00:00"
PLACED_SMALL = OrderEvent("o-1", "order_placed", 40.0, STAMP)
PLACED_LARGE = OrderEvent("o-2", "order_placed", 250.0, STAMP)
PAID_SMALL = OrderEvent("o-3", "order_paid", 40.0, STAMP)
PAID_AT_THRESHOLD = OrderEvent("o-4", "order_paid", 100.0, STAMP)
PAID_JUST_BELOW = OrderEvent("o-5", "order_paid", 99.99, STAMP)
CANCELLED_SMALL = OrderEvent("o-6", "order_cancelled", 12.5, STAMP)
SHIPPED_LARGE = OrderEvent("o-7", "order_shipped", 740.0, STAMP)
MIXED = [PLACED_SMALL, PLACED_LARGE, PAID_SMALL, PAID_AT_THRESHOLD, PAID_JUST_BELOW, CANCELLED_SMALL, SHIPPED_LARGE]


def order_ids(session: Any, deployment: Deployment, queue: str) -> list[str]:
    route = next(route for route in ROUTES if route.queue == queue)
    messages = drain(session, deployment.outputs[route.output])
    return sorted(event_from_message(m["Body"], raw=route.raw_message_delivery).order_id for m in messages)


def test_each_queue_receives_exactly_the_events_its_filter_admits(session: Any, deployed: Deployment) -> None:
    # When the mixed set is published to the topic
    published = publish(session.client("sns"), deployed.outputs[TOPIC_OUTPUT], MIXED)
    # Then billing has all seven, shipping the three paid orders (attribute filter),
    # analytics the three of 100 or more (body filter, inclusive bound)
    assert published == 7
    assert order_ids(session, deployed, "billing") == ["o-1", "o-2", "o-3", "o-4", "o-5", "o-6", "o-7"]
    assert order_ids(session, deployed, "shipping") == ["o-3", "o-4", "o-5"]
    assert order_ids(session, deployed, "analytics") == ["o-2", "o-4", "o-7"]


def test_an_event_no_filtered_queue_wants_is_still_kept_by_billing(session: Any, deployed: Deployment) -> None:
    # Given events that neither shipping nor analytics admits (not paid, under 100)
    publish(session.client("sns"), deployed.outputs[TOPIC_OUTPUT], [PLACED_SMALL, CANCELLED_SMALL])
    # Then they are accounted for: in billing, and nowhere else
    assert order_ids(session, deployed, "billing") == ["o-1", "o-6"]
    assert order_ids(session, deployed, "shipping") == []
    assert order_ids(session, deployed, "analytics") == []


def test_analytics_gets_the_raw_event_and_billing_the_envelope_with_attributes(
    session: Any, deployed: Deployment
) -> None:
    publish(session.client("sns"), deployed.outputs[TOPIC_OUTPUT], [PAID_AT_THRESHOLD])
    billing = drain(session, deployed.outputs["BillingQueueUrl"])
    analytics = drain(session, deployed.outputs["AnalyticsQueueUrl"])
    # Raw message delivery: the body is the published event itself
    assert [json.loads(m["Body"]) for m in analytics] == [json.loads(PAID_AT_THRESHOLD.body())]
    # Without it: an SNS envelope carrying the body as a string and the attribute that shipping filters on
    envelope = json.loads(billing[0]["Body"])
    assert envelope["Type"] == "Notification"
    assert envelope["TopicArn"] == deployed.outputs[TOPIC_OUTPUT]
    assert envelope["Message"] == PAID_AT_THRESHOLD.body()
    assert envelope["MessageAttributes"]["event_type"] == {"Type": "String", "Value": "order_paid"}


def test_a_message_that_is_not_an_order_event_reaches_billing_only(session: Any, deployed: Deployment) -> None:
    # Given something published without attributes and with a body that is not JSON
    session.client("sns").publish(TopicArn=deployed.outputs[TOPIC_OUTPUT], Message="hello")
    # Then billing keeps it (no filter) and both filtered queues drop it
    billing = drain(session, deployed.outputs["BillingQueueUrl"])
    assert [json.loads(m["Body"])["Message"] for m in billing] == ["hello"]
    assert drain(session, deployed.outputs["ShippingQueueUrl"]) == []
    assert drain(session, deployed.outputs["AnalyticsQueueUrl"]) == []


def test_the_routing_model_agrees_with_moto_on_every_sample_event(session: Any, deployed: Deployment) -> None:
    # Given every event type at every sample amount (24 events, both sides of each filter)
    events = sample_events(24, random.Random(3), datetime(2024, 5, 1, tzinfo=UTC))
    assert {(e.event_type, e.amount) for e in events} == {
        (t, a)
        for t in ("order_placed", "order_paid", "order_shipped", "order_cancelled")
        for a in (12.5, 40.0, 99.99, 100.0, 180.25, 740.0)
    }
    publish(session.client("sns"), deployed.outputs[TOPIC_OUTPUT], events)
    # Then where SNS (moto) delivered each event is where `admits` says it goes,
    # so the scripts and verify can predict destinations from filters.py
    delivered: dict[str, set[str]] = {e.order_id: set() for e in events}
    for route in ROUTES:
        for order_id in order_ids(session, deployed, route.queue):
            delivered[order_id].add(route.queue)
    assert delivered == {e.order_id: set(e.destinations()) for e in events}
    # And the sample exercises every combination of queues the filters allow
    assert {frozenset(queues) for queues in delivered.values()} == {
        frozenset({"billing"}),
        frozenset({"billing", "shipping"}),
        frozenset({"billing", "analytics"}),
        frozenset({"billing", "shipping", "analytics"}),
    }
