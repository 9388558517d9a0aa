"""The request and response shapes as pydantic models: what openapi.json documents.

scripts/serverless_api/openapi.py generates the document's schemas from these models
(request and response bodies, the list query's parameters, the path's order_id) and its
operations from routes.py. The function does not import this module: pydantic and
Powertools' OpenAPI validation cost every cold start about 90-170 ms of import (see
orders_api/__init__.py), so the function checks requests with validation.py instead, and
tests/serverless_api/test_contract.py generates requests to check that validation.py accepts
exactly what these models accept.

Requests are strict: a number where a string belongs (or "10" where a number belongs) is
refused, not converted, and unknown fields are refused (a typo must not pass silently).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from orders_api import logic

Status = Literal["pending", "paid", "shipped", "cancelled"]
UserId = Annotated[
    str,
    Field(pattern=f"^{logic.USER_ID_PATTERN}$", description=logic.RULES["user_id"], examples=["user-42"]),
]
OrderId = Annotated[str, Field(pattern=f"^{logic.ORDER_ID_PATTERN}$", description=logic.RULES["order_id"])]
Timestamp = Annotated[
    str, Field(description="UTC, ISO 8601 with microseconds", examples=["2026-05-01T12:00:00.000000Z"])
]
# Request bodies are parsed with every number as an exact Decimal (logic.parse_json), so a
# strict Decimal accepts JSON numbers only. The document says "number": pydantic would also
# advertise a string form, which this API refuses.
Amount = Annotated[
    Decimal,
    Field(gt=0, le=logic.MAX_AMOUNT, decimal_places=logic.AMOUNT_DECIMALS, description=logic.RULES["amount"]),
    WithJsonSchema(
        {"type": "number", "exclusiveMinimum": 0, "maximum": int(logic.MAX_AMOUNT), "multipleOf": 0.01},
        mode="validation",
    ),
]


class NewOrder(BaseModel):
    """POST /orders: the guide's order, user and amount; the API sets the rest."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [{"user_id": "user-42", "amount": 25.5}]}
    )

    user_id: UserId
    amount: Amount


class StatusChange(BaseModel):
    """PATCH /orders/{order_id}: the status to move to."""

    model_config = ConfigDict(extra="forbid", strict=True)

    status: Annotated[Status, Field(description="pending -> paid -> shipped, pending -> cancelled")]


class ListQuery(BaseModel):
    """GET /orders: the query parameters, each sent once; other parameters are ignored.

    A query string is text: limit is a whole number written in ASCII digits ("7", not "7.0").
    """

    model_config = ConfigDict(strict=True)

    user_id: UserId
    limit: Annotated[int, Field(ge=1, le=logic.MAX_PAGE_SIZE, description=logic.RULES["limit"])] = (
        logic.DEFAULT_PAGE_SIZE
    )
    next_token: Annotated[
        str | None, Field(max_length=logic.MAX_TOKEN_CHARS, description=logic.RULES["next_token"])
    ] = None


class PathParameters(BaseModel):
    """The {name} parts of the routes' paths."""

    model_config = ConfigDict(strict=True)

    order_id: OrderId


class Order(BaseModel):
    order_id: OrderId
    user_id: UserId
    amount: Annotated[float, Field(gt=0, le=float(logic.MAX_AMOUNT))]
    status: Status
    created_at: Timestamp
    updated_at: Timestamp


class OrderPage(BaseModel):
    orders: list[Order]
    next_token: Annotated[
        str | None, Field(description="pass as next_token for the next page; null on the last page")
    ] = None


class Error(BaseModel):
    """Every refusal: a one-line message and, per offending field, what it must be (never its value)."""

    message: str
    fields: dict[str, str]
