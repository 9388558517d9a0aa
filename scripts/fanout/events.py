"""Order events as the fanout lab publishes them, and how to read them back from a queue.

Each event is a JSON body (order_id, event_type, amount, ...) plus the message attribute
`event_type`: SNS filters on attributes without parsing the body, and since 2022 can also
filter on the body itself (analytics does; see stacks/fanout/filters.py).
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from stacks.fanout.filters import EVENT_TYPE_ATTRIBUTE, EVENT_TYPES, destinations

# Amounts around the analytics threshold (100), so a sample exercises both sides of it.
SAMPLE_AMOUNTS = (12.5, 40.0, 99.99, 100.0, 180.25, 740.0)


@dataclass(frozen=True)
class OrderEvent:
    order_id: str
    event_type: str
    amount: float
    occurred_at: str
    currency: str = "USD"

    def body(self) -> str:
        return json.dumps(
            {
                "order_id": self.order_id,
                "event_type": self.event_type,
                "amount": self.amount,
                "currency": self.currency,
                "occurred_at": self.occurred_at,
            }
        )

    def attributes(self) -> dict[str, tuple[str, str]]:
        """The message attributes as {name: (DataType, value)}."""
        return {EVENT_TYPE_ATTRIBUTE: ("String", self.event_type)}

    def publish_entry(self, entry_id: str) -> dict[str, Any]:
        """One entry of SNS PublishBatch."""
        return {
            "Id": entry_id,
            "Message": self.body(),
            "MessageAttributes": {
                name: {"DataType": data_type, "StringValue": value}
                for name, (data_type, value) in self.attributes().items()
            },
        }

    def destinations(self) -> tuple[str, ...]:
        """The queues the lab's filter policies send this event to."""
        return destinations(attributes=self.attributes(), body=self.body())

    def label(self) -> str:
        return f"{self.order_id} {self.event_type} {self.amount:.2f} {self.currency}"


def sample_events(count: int, rng: random.Random, now: datetime, prefix: str = "order") -> list[OrderEvent]:
    """`count` events cycling through every event type and amount, in a shuffled order."""
    pairs = [(event_type, amount) for event_type in EVENT_TYPES for amount in SAMPLE_AMOUNTS]
    rng.shuffle(pairs)
    stamp = now.replace(microsecond=0).isoformat()
    events = []
    for i in range(count):
        event_type, amount = pairs[i % len(pairs)]
        events.append(OrderEvent(f"{prefix}-{i + 1:04d}", event_type, amount, occurred_at=stamp))
    return events


class NotAnOrderEventError(ValueError):
    """A queue message that does not hold an order event (someone published something else)."""


def event_from_message(body: str, *, raw: bool) -> OrderEvent:
    """The event in an SQS message body: the SNS envelope's Message, or the body itself with raw delivery."""
    text = body
    if not raw:
        try:
            text = json.loads(body)["Message"]
        except (ValueError, KeyError, TypeError) as error:
            raise NotAnOrderEventError(f"not an SNS notification: {body[:60]!r}") from error
    try:
        return event_from_document(json.loads(text))
    except (ValueError, KeyError, TypeError) as error:
        raise NotAnOrderEventError(f"not an order event: {str(text)[:60]!r}") from error


def event_from_document(document: Mapping[str, Any]) -> OrderEvent:
    amount = document["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise TypeError("amount is not a number")
    return OrderEvent(
        order_id=str(document["order_id"]),
        event_type=str(document["event_type"]),
        amount=float(amount),
        occurred_at=str(document["occurred_at"]),
        currency=str(document.get("currency", "USD")),
    )
