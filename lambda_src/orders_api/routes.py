"""The orders API's routes, declared once, as plain data.

api.py registers each route's function on Powertools' resolver from this table (and answers
a known path with another method with a 405 from it); scripts/serverless_api/openapi.py
builds docs/serverless-api/openapi.json from it, offline, with the request and response
models of models.py, which are named here by their class names only: the function imports
neither pydantic nor models.py (see orders_api/__init__.py, the import budget).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from orders_api import logic


class Answer(NamedTuple):
    """A documented response: what it means and the models.py class of its JSON body (None: no body)."""

    description: str
    model: str | None = "Error"


class Route(NamedTuple):
    method: str
    # OpenAPI's form: /orders/{order_id}. Each {name} is a path parameter: models.PathParameters.
    path: str
    # api.py's function that answers it; also the operationId.
    function: str
    summary: str
    status: int  # the success status
    answers: Mapping[int, Answer]  # the success one included; every route may also answer EVERY_ROUTE
    description: str | None = None
    body: str | None = None  # the models.py class of the request body
    query: str | None = None  # the models.py class whose fields are the query parameters

    @property
    def path_parameters(self) -> tuple[str, ...]:
        return tuple(re.findall(r"\{(\w+)\}", self.path))


INVALID = Answer("invalid input")
NOT_FOUND = Answer("no such order")
CONFLICT = Answer("not allowed in the order's current status")
# Refused before routing (api._precheck), on the routes that take a body.
TOO_LARGE = Answer(f"body over {logic.MAX_BODY_BYTES} bytes")
NOT_JSON = Answer("body not application/json")
EVERY_ROUTE: Mapping[int, Answer] = {
    500: Answer("internal error: logged with the request id the message names; no details"),
}

ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/orders",
        "create_order",
        summary="Create an order",
        status=201,
        body="NewOrder",
        answers={201: Answer("the new order", "Order"), 400: INVALID, 413: TOO_LARGE, 415: NOT_JSON},
    ),
    Route(
        "GET",
        "/orders",
        "list_orders",
        summary="List a user's orders, newest first",
        status=200,
        query="ListQuery",
        answers={200: Answer("one page", "OrderPage"), 400: INVALID},
    ),
    Route(
        "GET",
        "/orders/{order_id}",
        "get_order",
        summary="Get an order",
        status=200,
        answers={200: Answer("the order", "Order"), 400: INVALID, 404: NOT_FOUND},
    ),
    Route(
        "PATCH",
        "/orders/{order_id}",
        "change_status",
        summary="Change an order's status",
        description="pending -> paid -> shipped, pending -> cancelled; anything else is a 409.",
        status=200,
        body="StatusChange",
        answers={
            200: Answer("the changed order", "Order"),
            400: INVALID,
            404: NOT_FOUND,
            409: CONFLICT,
            413: TOO_LARGE,
            415: NOT_JSON,
        },
    ),
    Route(
        "DELETE",
        "/orders/{order_id}",
        "delete_order",
        summary="Delete a pending or cancelled order",
        status=204,
        answers={204: Answer("deleted", None), 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    ),
)
