"""The routing data (stacks/fanout/filters.py) says what LABS.md §6 asks, and `admits`
evaluates it as SNS does for the cases this lab relies on."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from stacks.fanout.filters import ROUTES, UnsupportedFilterError, admits, destinations, route_named

PAID = {"event_type": ("String", "order_paid")}
PLACED = {"event_type": ("String", "order_placed")}


def body(**fields: object) -> str:
    return json.dumps(fields)


def test_billing_takes_every_event_through_the_sns_envelope() -> None:
    billing = route_named("billing")
    assert billing.filter_policy is None
    assert billing.raw_message_delivery is False
    assert billing.subscription_attributes() == {"RawMessageDelivery": "false"}


def test_shipping_filters_on_the_event_type_attribute() -> None:
    shipping = route_named("shipping")
    assert shipping.subscription_attributes() == {
        "RawMessageDelivery": "false",
        "FilterPolicy": '{"event_type": ["order_paid"]}',
        "FilterPolicyScope": "MessageAttributes",
    }


def test_analytics_filters_on_the_body_amount_and_gets_the_raw_body() -> None:
    analytics = route_named("analytics")
    assert analytics.subscription_attributes() == {
        "RawMessageDelivery": "true",
        "FilterPolicy": '{"amount": [{"numeric": [">=", 100]}]}',
        "FilterPolicyScope": "MessageBody",
    }


def test_each_queue_has_its_own_stack_output() -> None:
    assert [(route.queue, route.output) for route in ROUTES] == [
        ("billing", "BillingQueueUrl"),
        ("shipping", "ShippingQueueUrl"),
        ("analytics", "AnalyticsQueueUrl"),
    ]


def test_an_unknown_queue_is_a_one_line_error_naming_the_queues() -> None:
    with pytest.raises(LookupError, match=r"^no queue 'orders': the fanout lab has billing, shipping, analytics$"):
        route_named("orders")


@pytest.mark.parametrize(
    ("attributes", "message", "expected"),
    [
        (PLACED, body(amount=40), ("billing",)),
        (PLACED, body(amount=250), ("billing", "analytics")),
        (PAID, body(amount=40), ("billing", "shipping")),
        (PAID, body(amount=100), ("billing", "shipping", "analytics")),  # the bound is inclusive
        (PAID, body(amount=99.99), ("billing", "shipping")),
        ({}, body(amount=500), ("billing", "analytics")),  # no attribute: shipping's filter cannot match
        ({"event_type": ("String", "ORDER_PAID")}, body(amount=1), ("billing",)),  # exact, case-sensitive
        ({"event_type": ("Number", "1")}, body(amount=1), ("billing",)),  # a number never equals a string value
        (PLACED, body(amount="150"), ("billing",)),  # a string amount is not numeric to SNS
        (PLACED, body(amount=True), ("billing",)),  # nor is a boolean
        (PLACED, body(total=150), ("billing",)),  # no amount key at all
        (PLACED, "150", ("billing",)),  # a body that is JSON but not an object
        (PLACED, "not JSON", ("billing",)),
    ],
)
def test_admits_matches_sns_semantics_for_this_lab(
    attributes: dict[str, tuple[str, str]], message: str, expected: tuple[str, ...]
) -> None:
    assert destinations(attributes=attributes, body=message) == expected


@pytest.mark.parametrize(
    ("policy", "scope", "message"),
    [
        ({"amount": [{"prefix": "1"}]}, "MessageBody", body(amount=1)),
        ({"amount": [{"numeric": ["!=", 1]}]}, "MessageBody", body(amount=1)),
        ({"amount": [{"numeric": [">=", 1, "<"]}]}, "MessageBody", body(amount=1)),
        ({"order": {"amount": [1]}}, "MessageBody", body(order={"amount": 1})),
        ({"event_type": [None]}, "MessageAttributes", body()),
    ],
)
def test_a_filter_feature_admits_does_not_know_is_an_error_not_a_guess(
    policy: dict[str, object], scope: str, message: str
) -> None:
    # Given a route whose policy uses something beyond exact strings and numeric ranges
    route = replace(route_named("analytics"), filter_policy=policy, scope=scope)  # type: ignore[arg-type]
    # Then evaluating it fails loudly rather than predicting a wrong destination
    with pytest.raises(UnsupportedFilterError):
        admits(route, attributes={"event_type": ("String", "order_paid")}, body=message)


def test_a_numeric_range_needs_every_bound() -> None:
    route = replace(route_named("analytics"), filter_policy={"amount": [{"numeric": [">", 10, "<=", 20]}]})
    assert [admits(route, attributes={}, body=body(amount=a)) for a in (10, 10.5, 20, 20.01)] == [
        False,
        True,
        True,
        False,
    ]
