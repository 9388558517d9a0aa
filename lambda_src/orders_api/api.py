"""The routes of the orders API on Powertools' REST resolver, and how every refusal looks.

    POST   /orders                  {user_id, amount} -> 201 the order (status "pending")
    GET    /orders?user_id=&limit=&next_token=        -> 200 a page, newest first
    GET    /orders/{order_id}                          -> 200 the order, or 404
    PATCH  /orders/{order_id}       {status}           -> 200 the order, or 409 (see logic.TRANSITIONS)
    DELETE /orders/{order_id}                          -> 204 if pending or cancelled, else 409

The routes are declared in routes.py and registered on the resolver from there. The
resolver routes, answers CORS and turns exceptions into responses; it does not validate
(no enable_validation): each route function checks its request with validation.py, so the
function imports neither pydantic nor Powertools' OpenAPI validation, which cost every
cold start about 90-170 ms of import (see orders_api/__init__.py). A stored item that the
documented Order cannot describe is our bug: logic.to_order refuses it, a 500.

Every refusal is JSON `{"message": ..., "fields": {name: what it must be}}` with a 4xx
status; values sent by the client are never echoed. An unknown route is a 404, a known
route with another method a 405, a body over logic.MAX_BODY_BYTES a 413, a body that is not
`application/json` a 415. A failure on our side is a 5xx without a stack trace (the trace
goes to the log, with the request id the response names).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from orders_api import logic, routes, store, validation

SERVICE = "orders-api"
TABLE_NAME_VARIABLE = "TABLE_NAME"
# Comma-separated origins a browser may call the API from; empty: no CORS headers at all.
CORS_ORIGINS_VARIABLE = "CORS_ALLOW_ORIGINS"
METRICS_NAMESPACE = "CloudOpsLabs/ServerlessApi"
_JSON = "application/json"
_BODY_METHODS = ("POST", "PATCH", "PUT")
_THROTTLED = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})

logger = Logger(service=SERVICE)
# Only botocore (the DynamoDB calls become X-Ray subsegments): patching every library the
# X-Ray SDK knows would import the ones installed (requests, httplib...) on each cold start.
tracer = Tracer(service=SERVICE, patch_modules=("botocore",))
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)


def _cors_from_environment() -> CORSConfig | None:
    origins = [origin.strip() for origin in os.environ.get(CORS_ORIGINS_VARIABLE, "").split(",") if origin.strip()]
    if not origins:
        return None
    return CORSConfig(allow_origin=origins[0], extra_origins=origins[1:], max_age=600)


def _serialize(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"))


cors = _cors_from_environment()
# Routing, CORS, exception handlers and not-found only: requests are checked by
# validation.py, not by Powertools' OpenAPI validation (enable_validation), which imports
# pydantic on every cold start.
app = APIGatewayRestResolver(cors=cors, serializer=lambda body: _serialize(body))


class MissingConfigurationError(RuntimeError):
    """The function was deployed without a setting it needs."""


def now() -> str:
    return logic.timestamp(datetime.now(UTC))


def orders_table() -> store.OrdersTable:
    table_name = os.environ.get(TABLE_NAME_VARIABLE, "").strip()
    if not table_name:
        raise MissingConfigurationError(f"environment variable {TABLE_NAME_VARIABLE} is not set")
    return store.OrdersTable(table_name)


def _order_response(item: Mapping[str, Any], status_code: int = 200) -> Response[Any]:
    return Response(status_code=status_code, content_type=_JSON, body=logic.to_order(item))


def _body() -> Any:
    # _precheck decoded a base64 body: this is the text the client sent.
    return validation.parse_body(app.current_event.body)


def _query() -> dict[str, list[str]]:
    """Every value of each query parameter (API Gateway's multiValueQueryStringParameters)."""
    event = app.current_event
    single = {name: [value] for name, value in event.query_string_parameters.items()}
    return {**single, **event.multi_value_query_string_parameters}


def create_order() -> Response[Any]:
    order = validation.new_order(_body())
    # requestContext.path is the path the client used, with the stage ("/v1/orders").
    base = (app.current_event.get("requestContext") or {}).get("path") or app.current_event.path
    created_at = now()
    item: dict[str, Any] = {
        "order_id": logic.new_order_id(),
        "user_id": order.user_id,
        "amount": order.amount,
        "status": logic.INITIAL_STATUS,
        "created_at": created_at,
        "updated_at": created_at,
    }
    orders_table().create(item)
    tracer.put_annotation("order_id", item["order_id"])
    metrics.add_metric(name="OrdersCreated", unit=MetricUnit.Count, value=1)
    response = _order_response(item, 201)
    response.headers["Location"] = f"{base.rstrip('/')}/{item['order_id']}"
    return response


def list_orders() -> Response[Any]:
    query = validation.list_query(_query())
    start_key = logic.decode_page_token(query.next_token, query.user_id) if query.next_token is not None else None
    page = orders_table().list_for_user(query.user_id, limit=query.limit, start_key=start_key)
    body = {
        "orders": [logic.to_order(item) for item in page.items],
        "next_token": logic.encode_page_token(page.next_key) if page.next_key else None,
    }
    return Response(status_code=200, content_type=_JSON, body=body)


def get_order(order_id: str) -> Response[Any]:
    validation.order_id(order_id)
    tracer.put_annotation("order_id", order_id)
    item = orders_table().get(order_id)
    if item is None:
        raise logic.order_not_found()
    return _order_response(item)


def change_status(order_id: str) -> Response[Any]:
    change = validation.status_change(order_id, _body())
    tracer.put_annotation("order_id", order_id)
    table = orders_table()
    sources = logic.TRANSITIONS.get(change.status, ())
    if not sources:
        # No order may move to this status (e.g. back to pending): nothing to write, but the
        # answer still depends on whether the order exists.
        item = table.get(order_id)
        if item is None:
            raise logic.order_not_found()
        raise logic.transition_refused(item["status"], change.status)
    try:
        item = table.change_status(order_id, change.status, allowed_from=sources, now=now())
    except logic.ApiError as refusal:
        if refusal.status == 409:
            metrics.add_metric(name="StatusChangesRefused", unit=MetricUnit.Count, value=1)
        raise
    metrics.add_metric(name="StatusChanges", unit=MetricUnit.Count, value=1)
    return _order_response(item)


def delete_order(order_id: str) -> Response[Any]:
    validation.order_id(order_id)
    tracer.put_annotation("order_id", order_id)
    orders_table().delete(order_id, deletable=logic.DELETABLE)
    return Response(status_code=204, content_type=None, body=None)


def _path_pattern(path: str) -> str:
    """The paths a route answers, as a regular expression: /orders/{order_id} is
    /orders/[^/]+, with trailing slashes as the REST resolver takes them (/orders/ is /orders)."""
    return re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "/*"


def _register_routes() -> dict[str, tuple[str, ...]]:
    """Each route of routes.ROUTES on the resolver; returns the methods each path pattern answers."""
    functions: dict[str, Callable[..., Response[Any]]] = {
        function.__name__: function for function in (create_order, list_orders, get_order, change_status, delete_order)
    }
    if set(functions) != {route.function for route in routes.ROUTES}:
        raise RuntimeError("routes.ROUTES and api.py's route functions differ")
    methods: dict[str, tuple[str, ...]] = {}
    for route in routes.ROUTES:
        # Powertools writes /orders/{order_id} as /orders/<order_id>.
        app.route(route.path.replace("{", "<").replace("}", ">"), route.method)(functions[route.function])
        pattern = _path_pattern(route.path)
        methods[pattern] = tuple(sorted({*methods.get(pattern, ()), route.method}))
    return methods


# Which methods each path answers: a known path with another method is a 405, not a 404.
ROUTE_METHODS: Mapping[str, tuple[str, ...]] = _register_routes()


def _refusal(error: logic.ApiError, headers: Mapping[str, str] | None = None) -> Response[Any]:
    return Response(status_code=error.status, content_type=_JSON, body=error.body(), headers=dict(headers or {}))


@app.exception_handler(logic.ApiError)
def _api_error(error: logic.ApiError) -> Response[Any]:
    return _refusal(error)


@app.not_found
def _no_route(_: NotFoundError) -> Response[Any]:
    allowed = allowed_methods(app.current_event.path)
    method = app.current_event.http_method.upper()
    if not allowed:
        return _refusal(logic.ApiError(404, "no such route", {"path": "/orders or /orders/{order_id}"}))
    if method in allowed:
        # /orders/{order_id} with characters the router does not take in a path parameter
        # (a quote, a backslash): the same refusal as any other malformed order id.
        return _refusal(
            logic.ApiError(400, "invalid request: order_id", {"order_id": "must be " + logic.RULES["order_id"]})
        )
    message = f"{method} is not allowed here; allowed: {', '.join(allowed)}"
    refusal = logic.ApiError(405, message, {"method": "one of " + ", ".join(allowed)})
    return _refusal(refusal, {"Allow": ", ".join(allowed)})


@app.exception_handler(ClientError)
def _aws_error(error: ClientError) -> Response[Any]:
    code = error.response.get("Error", {}).get("Code", "")
    if code in _THROTTLED:
        logger.warning("DynamoDB throttled the request", extra={"code": code})
        refusal = logic.ApiError(503, "the table is busy; retry in a moment")
        return _refusal(refusal, {"Retry-After": "1"})
    return _internal_error(error)


@app.exception_handler(Exception)
def _internal_error(error: Exception) -> Response[Any]:
    # BotoCoreError (timeouts), MissingConfigurationError, bugs: logged with the trace, answered without.
    logger.exception("request failed", extra={"error_type": type(error).__name__})
    request_id = app.current_event.request_context.request_id or "unknown"
    status = 503 if isinstance(error, BotoCoreError) else 500
    return _refusal(logic.ApiError(status, f"internal error; request id {request_id}"))


def allowed_methods(path: str) -> tuple[str, ...]:
    for pattern, methods in ROUTE_METHODS.items():
        if re.fullmatch(pattern, path):
            return methods
    return ()


def resolve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Checks what must be refused before the body is parsed, then lets the resolver route."""
    refusal = _precheck(event)
    if refusal is not None:
        return _early_response(event, refusal)
    return app.resolve(event, context)


def _precheck(event: dict[str, Any]) -> logic.ApiError | None:
    body = event.get("body")
    if body is None or body == "":
        return None
    if not isinstance(body, str):
        return logic.ApiError(400, "the body must be text", {"body": logic.RULES["body"]})
    too_large = logic.ApiError(
        413, f"the body is larger than {logic.MAX_BODY_BYTES} bytes", {"body": f"at most {logic.MAX_BODY_BYTES} bytes"}
    )
    if event.get("isBase64Encoded"):
        # API Gateway sends text bodies as text; decode a base64 one here, where a bad one is
        # a 400, instead of letting the resolver fail on it with a 500.
        if len(body) > 2 * logic.MAX_BODY_BYTES:
            return too_large
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return logic.ApiError(400, "the body is not UTF-8 text", {"body": logic.RULES["body"]})
        event["body"], event["isBase64Encoded"] = body, False
    if len(body) > logic.MAX_BODY_BYTES or len(body.encode("utf-8", errors="surrogatepass")) > logic.MAX_BODY_BYTES:
        return too_large
    if str(event.get("httpMethod", "")).upper() in _BODY_METHODS:
        content_type = _header(event, "content-type")
        if content_type and content_type.split(";")[0].strip().lower() != _JSON:
            return logic.ApiError(415, f"the body must be {_JSON}", {"content-type": _JSON})
    return None


def _header(event: Mapping[str, Any], name: str) -> str:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return ""


def _early_response(event: Mapping[str, Any], refusal: logic.ApiError) -> dict[str, Any]:
    # The same shape as the resolver's responses (multiValueHeaders), CORS headers included.
    headers = {"Content-Type": _JSON}
    if cors is not None:
        headers.update(cors.to_dict(_header(event, "origin") or None))
    return {
        "statusCode": refusal.status,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "body": _serialize(refusal.body()),
        "isBase64Encoded": False,
    }
