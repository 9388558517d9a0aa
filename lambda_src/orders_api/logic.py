"""Pure rules of the orders API: statuses and transitions, ids, timestamps, page tokens, errors.

No AWS, no environment, no I/O: everything here is testable with plain values.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

STATUSES = ("pending", "paid", "shipped", "cancelled")
INITIAL_STATUS = "pending"
# The guide's life cycle: pending -> paid -> shipped, pending -> cancelled. Keyed by the
# target status: the statuses an order may be in for the change to be allowed. DynamoDB
# checks this in the write itself (a condition), so two concurrent changes cannot both win.
TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "paid": ("pending",),
    "shipped": ("paid",),
    "cancelled": ("pending",),
}
# An order that was paid for is kept (it may be shipped); one that never was may go.
DELETABLE = ("pending", "cancelled")

# An order is about 200 bytes of JSON; a body far larger is not an order, and parsing it
# would only cost memory and time. API Gateway's own limit (10 MB) is far above this.
MAX_BODY_BYTES = 4096
MAX_AMOUNT = Decimal(1_000_000)
AMOUNT_DECIMALS = 2
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_TOKEN_CHARS = 512

# Unanchored: pydantic anchors them for the models, `fullmatch` here.
# [0-9a-f] and [A-Za-z0-9], not \d or \w: those also match non-ASCII digits and letters.
ORDER_ID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
USER_ID_PATTERN = r"[A-Za-z0-9._@-]{1,64}"
_TIMESTAMP_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z"

# What each input must be: the one sentence an error names for a field, never its value.
RULES: Mapping[str, str] = {
    "user_id": "a string of 1 to 64 characters A-Z a-z 0-9 . _ @ -",
    "amount": f"a JSON number greater than 0 and at most {MAX_AMOUNT}, with at most {AMOUNT_DECIMALS} decimals",
    "status": "one of " + ", ".join(STATUSES),
    "order_id": "an order id as returned by POST /orders (a lowercase UUID)",
    "limit": f"a whole number from 1 to {MAX_PAGE_SIZE}",
    "next_token": "the next_token of the previous page, unchanged, for the same user_id",
    "body": "a JSON object",
}
# Input keys are attacker-chosen: an error names at most this many, each cut to this length.
MAX_NAMED_FIELDS = 5
MAX_FIELD_NAME_CHARS = 40


class ApiError(Exception):
    """A request the API refuses: an HTTP status, a one-line message and the offending fields."""

    def __init__(self, status: int, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})

    def body(self) -> dict[str, Any]:
        return {"message": self.message, "fields": self.fields}


def new_order_id() -> str:
    return str(uuid.uuid4())


def timestamp(moment: datetime) -> str:
    """Fixed-width UTC time with microseconds: sorts lexicographically in time order (the index's sort key)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def transition_refused(current: str, target: str) -> ApiError:
    allowed = [status for status, sources in TRANSITIONS.items() if current in sources]
    return ApiError(
        409,
        f"an order that is {current} cannot become {target}",
        {"status": "allowed from " + current + ": " + (", ".join(allowed) if allowed else "none")},
    )


def deletion_refused(current: str) -> ApiError:
    return ApiError(
        409,
        f"an order that is {current} cannot be deleted",
        {"order_id": "only orders that are " + " or ".join(DELETABLE) + " can be deleted"},
    )


def order_not_found() -> ApiError:
    return ApiError(404, "no order with this order_id", {"order_id": "not found"})


def encode_page_token(key: Mapping[str, str]) -> str:
    """An opaque token for the page after the item with this key (order_id, user_id, created_at)."""
    raw = json.dumps([key["user_id"], key["created_at"], key["order_id"]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_page_token(token: str, user_id: str) -> dict[str, str]:
    """The ExclusiveStartKey a token stands for; a 400 ApiError for anything this API did not issue.

    The token is bound to the user_id of the query: DynamoDB would reject a start key from
    another partition with a ValidationException, which must be the client's 400, not a 500.
    """
    refused = ApiError(400, "next_token is not valid", {"next_token": RULES["next_token"]})
    if len(token) > MAX_TOKEN_CHARS:
        raise refused
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        raise refused from None
    if not (isinstance(values, list) and len(values) == 3 and all(isinstance(value, str) for value in values)):
        raise refused
    token_user, created_at, order_id = values
    if (
        token_user != user_id
        or not re.fullmatch(_TIMESTAMP_PATTERN, created_at)
        or not re.fullmatch(ORDER_ID_PATTERN, order_id)
    ):
        raise refused
    return {"user_id": token_user, "created_at": created_at, "order_id": order_id}


class StoredOrderError(RuntimeError):
    """A stored item the API cannot answer as an order: our bug, a 500 (never a 4xx blaming the client)."""


def to_order(item: Mapping[str, Any]) -> dict[str, Any]:
    """The API's view of a stored item. Amounts are stored as exact decimals and sent as JSON
    numbers: at most 2 decimals and at most a million, so a float holds them exactly enough
    that its shortest representation is the stored value.

    The item is checked against what the API documents (models.Order): an order the
    document cannot describe is refused with StoredOrderError, naming the attributes only.
    """
    wrong = [name for name, is_valid in _ORDER_ATTRIBUTES.items() if not is_valid(item.get(name))]
    if wrong:
        raise StoredOrderError("the stored order has unexpected " + ", ".join(wrong))
    # The documented order of the fields (models.Order), as the README's examples show them.
    return {
        "order_id": item["order_id"],
        "user_id": item["user_id"],
        "amount": float(item["amount"]),
        "status": item["status"],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def _matches(pattern: str) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and re.fullmatch(pattern, value) is not None


_ORDER_ATTRIBUTES: Mapping[str, Callable[[Any], bool]] = {
    "order_id": _matches(ORDER_ID_PATTERN),
    "user_id": _matches(USER_ID_PATTERN),
    "amount": lambda value: isinstance(value, Decimal) and value.is_finite() and 0 < value <= MAX_AMOUNT,
    "status": lambda value: value in STATUSES,
    "created_at": _matches(_TIMESTAMP_PATTERN),
    "updated_at": _matches(_TIMESTAMP_PATTERN),
}


def parse_json(text: str | bytes | bytearray) -> Any:
    """json.loads for request bodies, which are always JSON objects here.

    Numbers become exact Decimals (10.1 is 10.1, not 10.0999...). NaN, Infinity and nesting
    too deep for the parser become JSONDecodeError, which the validation layer answers with a
    400. Any other top-level value (an array, a string) is a 400 here: Powertools would
    otherwise take the first element of an array as the body.
    """
    document = text if isinstance(text, str) else bytes(text).decode("utf-8", errors="replace")
    try:
        value = json.loads(document, parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as error:
        raise json.JSONDecodeError(f"not acceptable JSON ({type(error).__name__})", document, 0) from None
    if value is not None and not isinstance(value, dict):
        raise ApiError(400, "the body must be a JSON object", {"body": RULES["body"]})
    return value


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which are not JSON.
    raise ValueError(f"{name} is not JSON")


def invalid_request(problems: Iterable[tuple[str, str]]) -> ApiError:
    """A 400 naming the offending fields, each with what it must be: (name, rule) pairs in the
    order to name them. At most MAX_NAMED_FIELDS names, each cut to MAX_FIELD_NAME_CHARS
    (names are input too: an unknown field's name is the client's)."""
    fields: dict[str, str] = {}
    for name, rule in problems:
        fields[_clip(name)] = rule
        if len(fields) >= MAX_NAMED_FIELDS:
            break
    names = ", ".join(fields)
    return ApiError(400, f"invalid request: {names}" if names else "invalid request", fields)


def _clip(name: str) -> str:
    return name if len(name) <= MAX_FIELD_NAME_CHARS else name[: MAX_FIELD_NAME_CHARS - 3] + "..."
