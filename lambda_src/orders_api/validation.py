"""What each request must be, checked in plain Python: no pydantic, no AWS, no I/O.

Each function takes what the request carried (the body as logic.parse_json parsed it, the
query parameters, the path's order_id) and returns the typed request, or raises one 400
logic.ApiError naming every offending field (at most logic.MAX_NAMED_FIELDS) with what it
must be, never its value: the path's order_id first, then the body's fields in the
documented order, then unknown fields as they were sent.

models.py describes the same requests as pydantic models, for openapi.json only: importing
pydantic and Powertools' OpenAPI validation cost every cold start about 90-170 ms (see
orders_api/__init__.py), and these checks need neither. tests/serverless_api/test_contract.py
generates requests and checks that this module accepts exactly what the models accept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from orders_api import logic

Problem = tuple[str, str]  # (field name, what it must be)
Check = Callable[[Any], bool]


# The typed requests are NamedTuples: a frozen dataclass costs about 1 ms to create at import.
class NewOrder(NamedTuple):
    """POST /orders {user_id, amount}."""

    user_id: str
    amount: Decimal


class StatusChange(NamedTuple):
    """PATCH /orders/{order_id} {status}."""

    order_id: str
    status: str


class ListQuery(NamedTuple):
    """GET /orders?user_id=&limit=&next_token=."""

    user_id: str
    limit: int
    next_token: str | None


def is_user_id(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(logic.USER_ID_PATTERN, value) is not None


def is_order_id(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(logic.ORDER_ID_PATTERN, value) is not None


def is_status(value: Any) -> bool:
    return isinstance(value, str) and value in logic.STATUSES


def is_amount(value: Any) -> bool:
    """A JSON number (parse_json makes every number a Decimal; true is no number), finite,
    greater than 0, at most logic.MAX_AMOUNT, with at most logic.AMOUNT_DECIMALS decimals."""
    return (
        isinstance(value, Decimal)
        and value.is_finite()
        and 0 < value <= logic.MAX_AMOUNT
        and decimal_places(value) <= logic.AMOUNT_DECIMALS
    )


def decimal_places(value: Decimal) -> int:
    """The decimals of a finite Decimal's exact value, trailing zeros not counted: 10.100 has 1, 1E+2 none.

    Counted on the digits: Decimal.normalize() would round to the context's 28 digits
    (1.0000000000000000000000000000001 would pass as 1).
    """
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int), "a finite Decimal"  # NaN and infinity have "n", "N" or "F"
    significant = len(digits)
    while significant > 1 and digits[significant - 1] == 0:
        significant -= 1
    return max(0, -(exponent + len(digits) - significant))


def whole_number(text: str, low: int, high: int) -> int | None:
    """The number a query parameter spells in ASCII digits, if it is from low to high; else None.

    "05" is 5; "5.0", "+5", " 5", "1_0", "" and non-ASCII digits are not whole numbers here.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    significant = text.lstrip("0")
    # More digits than `high`: out of range (and never near int()'s 4300-digit limit).
    if len(significant) > len(str(high)):
        return None
    number = int(significant or "0")
    return number if low <= number <= high else None


# The body fields of each route, in the documented models' order, and what each must pass.
NEW_ORDER: Mapping[str, Check] = {"user_id": is_user_id, "amount": is_amount}
STATUS_CHANGE: Mapping[str, Check] = {"status": is_status}


def parse_body(text: str | None) -> Any:
    """The JSON object a body holds, or None for no body (the routes refuse it as missing).

    A body that is not JSON is a 400 of its own, before any field is looked at; JSON that is
    not an object is logic.parse_json's 400.
    """
    if not text:
        return None
    try:
        return logic.parse_json(text)
    except json.JSONDecodeError:
        raise logic.ApiError(400, "the body is not valid JSON", {"body": logic.RULES["body"]}) from None


def new_order(body: Any) -> NewOrder:
    """POST /orders: a body of exactly user_id and amount."""
    _refuse_if_any(body_problems(body, NEW_ORDER))
    return NewOrder(user_id=body["user_id"], amount=body["amount"])


def status_change(order_id: str, body: Any) -> StatusChange:
    """PATCH /orders/{order_id}: the order id, and a body of exactly one status."""
    _refuse_if_any([*order_id_problems(order_id), *body_problems(body, STATUS_CHANGE)])
    return StatusChange(order_id=order_id, status=body["status"])


def order_id(value: str) -> str:
    """GET and DELETE /orders/{order_id}."""
    _refuse_if_any(order_id_problems(value))
    return value


def list_query(parameters: Mapping[str, Sequence[str]]) -> ListQuery:
    """GET /orders: user_id required, limit and next_token optional, other parameters ignored.

    `parameters` maps each name to every value sent for it. A parameter sent twice is
    refused: which of the two was meant?
    """
    problems: list[Problem] = []
    user_id = _only_value(parameters, "user_id")
    if "user_id" not in parameters:
        problems.append(_required("user_id"))
    elif not is_user_id(user_id):
        problems.append(_must_be("user_id"))
    limit: int | None = logic.DEFAULT_PAGE_SIZE
    if "limit" in parameters:
        text = _only_value(parameters, "limit")
        limit = whole_number(text, 1, logic.MAX_PAGE_SIZE) if text is not None else None
        if limit is None:
            problems.append(_must_be("limit"))
    next_token = _only_value(parameters, "next_token")
    if "next_token" in parameters and (next_token is None or len(next_token) > logic.MAX_TOKEN_CHARS):
        problems.append(_must_be("next_token"))
    _refuse_if_any(problems)
    # Refused above otherwise:
    assert user_id is not None
    assert limit is not None
    return ListQuery(user_id=user_id, limit=limit, next_token=next_token)


def order_id_problems(value: Any) -> list[Problem]:
    return [] if is_order_id(value) else [_must_be("order_id")]


def body_problems(body: Any, fields: Mapping[str, Check]) -> Iterator[Problem]:
    """Each missing or invalid field in `fields` order, then each unknown field as sent."""
    if not isinstance(body, dict):
        # logic.parse_json gives objects, or None for JSON null and for no body at all.
        yield "body", ("required: " + logic.RULES["body"]) if body is None else logic.RULES["body"]
        return
    for name, is_valid in fields.items():
        if name not in body:
            yield _required(name)
        elif not is_valid(body[name]):
            yield _must_be(name)
    for name in body:
        if name not in fields:
            yield name, f"unknown field (allowed: {', '.join(fields)})"


def _only_value(parameters: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = parameters.get(name, ())
    return values[0] if len(values) == 1 else None


def _must_be(name: str) -> Problem:
    return name, "must be " + logic.RULES[name]


def _required(name: str) -> Problem:
    return name, "required: " + logic.RULES[name]


def _refuse_if_any(problems: Iterable[Problem]) -> None:
    listed = list(problems)
    if listed:
        raise logic.invalid_request(listed)
