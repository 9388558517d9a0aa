"""The fanout lab's routing, as data: which queue receives which order event.

One place for the three subscriptions' filter policies, in the JSON that SNS itself
reads. The stack builds its subscriptions from them (a test checks that the template
holds exactly these policies), the moto tests subscribe with them, and the learner
scripts and `verify` use `admits` to say where an event should go.

It lives in the lab's stack package because the stack is what deploys these policies;
it imports nothing from the CDK or boto3 (like stacks/config.py), so the learner scripts
and the tests import it without starting jsii.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Scope = Literal["MessageAttributes", "MessageBody"]

TOPIC_OUTPUT = "TopicArn"
# The message attribute every published event carries; shipping filters on it.
EVENT_TYPE_ATTRIBUTE = "event_type"
EVENT_TYPES = ("order_placed", "order_paid", "order_shipped", "order_cancelled")
# The guide's "e.g. amount >= 100": analytics studies the larger orders only.
ANALYTICS_MIN_AMOUNT = 100


@dataclass(frozen=True)
class Route:
    """One queue subscribed to the topic, and what its subscription lets through."""

    queue: str
    output: str  # the stack output holding the queue's URL
    filter_policy: Mapping[str, Any] | None  # None: every event
    scope: Scope
    raw_message_delivery: bool
    why: str

    def subscription_attributes(self) -> dict[str, str]:
        """The subscription's attributes as SNS's Subscribe API takes them."""
        attributes = {"RawMessageDelivery": str(self.raw_message_delivery).lower()}
        if self.filter_policy is not None:
            attributes["FilterPolicy"] = json.dumps(self.filter_policy)
            attributes["FilterPolicyScope"] = self.scope
        return attributes


ROUTES: tuple[Route, ...] = (
    Route(
        queue="billing",
        output="BillingQueueUrl",
        filter_policy=None,
        scope="MessageAttributes",
        raw_message_delivery=False,
        why="billing keeps a ledger of every event, so its subscription has no filter",
    ),
    Route(
        queue="shipping",
        output="ShippingQueueUrl",
        filter_policy={EVENT_TYPE_ATTRIBUTE: ["order_paid"]},
        scope="MessageAttributes",
        raw_message_delivery=False,
        why="shipping acts only on paid orders; SNS drops the rest before they cost a receive",
    ),
    Route(
        queue="analytics",
        output="AnalyticsQueueUrl",
        filter_policy={"amount": [{"numeric": [">=", ANALYTICS_MIN_AMOUNT]}]},
        scope="MessageBody",
        raw_message_delivery=True,
        why="analytics studies large orders: a filter on the body's amount, and the raw body without the SNS envelope",
    ),
)


def route_named(queue: str) -> Route:
    for route in ROUTES:
        if route.queue == queue:
            return route
    raise LookupError(f"no queue {queue!r}: the fanout lab has {', '.join(r.queue for r in ROUTES)}")


class UnsupportedFilterError(ValueError):
    """A filter policy uses an operator that `admits` does not evaluate."""


_NUMERIC_OPERATORS = {
    "=": lambda value, bound: value == bound,
    ">": lambda value, bound: value > bound,
    ">=": lambda value, bound: value >= bound,
    "<": lambda value, bound: value < bound,
    "<=": lambda value, bound: value <= bound,
}


def _matches_numeric(conditions: Sequence[Any], value: float) -> bool:
    if len(conditions) % 2:
        raise UnsupportedFilterError(f"numeric condition {list(conditions)} is not operator/number pairs")
    for operator, bound in zip(conditions[::2], conditions[1::2], strict=True):
        if operator not in _NUMERIC_OPERATORS:
            raise UnsupportedFilterError(f"numeric operator {operator!r} (allowed: {', '.join(_NUMERIC_OPERATORS)})")
        if not _NUMERIC_OPERATORS[operator](value, bound):
            return False
    return True


def _matches(allowed: Sequence[Any], value: Any, *, number: bool) -> bool:
    """True when `value` matches one of the policy's allowed values (SNS ORs them).

    `number` says whether the value is numeric to SNS: a JSON number in the body, or an
    attribute of DataType Number. A string never matches a numeric condition.
    """
    for condition in allowed:
        if isinstance(condition, Mapping):
            if set(condition) != {"numeric"}:
                raise UnsupportedFilterError(
                    f"filter operator {sorted(condition)} (this lab uses exact values and numeric)"
                )
            if number and _matches_numeric(condition["numeric"], float(value)):
                return True
        elif isinstance(condition, str):
            if not number and value == condition:
                return True
        else:
            raise UnsupportedFilterError(f"filter value {condition!r} (this lab uses strings and numeric conditions)")
    return False


def admits(route: Route, *, attributes: Mapping[str, tuple[str, str]], body: str) -> bool:
    """Whether SNS delivers a message to this route's queue, for the filter features this lab uses.

    `attributes` are the message attributes as {name: (DataType, value)}; `body` is the
    message as published. Every key of the policy must match (SNS ANDs them).
    """
    policy = route.filter_policy
    if policy is None:
        return True
    if route.scope == "MessageAttributes":
        for name, allowed in policy.items():
            if name not in attributes:
                return False
            data_type, value = attributes[name]
            if not _matches(allowed, value, number=data_type == "Number"):
                return False
        return True
    try:
        document = json.loads(body)
    except ValueError:
        return False  # SNS drops a body that is not JSON for a body-scoped policy
    if not isinstance(document, dict):
        return False
    for name, allowed in policy.items():
        if isinstance(allowed, Mapping):
            raise UnsupportedFilterError(f"nested body filter on {name!r} (this lab filters top-level keys)")
        if name not in document:
            return False
        value = document[name]
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not _matches(allowed, value, number=is_number):
            return False
    return True


def destinations(*, attributes: Mapping[str, tuple[str, str]], body: str) -> tuple[str, ...]:
    """The queues a message reaches, in ROUTES order."""
    return tuple(route.queue for route in ROUTES if admits(route, attributes=attributes, body=body))
