"""Offline fixtures for the orders API: moto's DynamoDB with the lab's table, and a way to
send the handler the event API Gateway's REST proxy integration would send."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from orders_api import handler, store
from scripts.serverless_api import local_api
from scripts.serverless_api.local_api import LocalContext
from scripts.serverless_api.orders_table import create_orders_table

REGION = "us-east-1"
TABLE = "OrdersTable"
EVENTS = Path(__file__).parent / "events"
STAGE_PATH = "/v1"
# moto resets boto3's default session on every mock start, and a fresh session reloads the
# service model from disk (a quarter of a second a test): the tests share this one.
SESSION = boto3.Session(region_name=REGION)


def dynamodb() -> Any:
    return SESSION.client("dynamodb")


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]
    raw_body: str


Call = Callable[..., Reply]


def proxy_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    base64_body: bool = False,
) -> dict[str, Any]:
    """A recorded REST proxy event (events/rest_proxy_get_order.json), changed to this request."""
    event: dict[str, Any] = copy.deepcopy(json.loads((EVENTS / "rest_proxy_get_order.json").read_text()))
    event["httpMethod"] = event["requestContext"]["httpMethod"] = method
    event["path"] = path
    event["requestContext"]["path"] = STAGE_PATH + path
    event["pathParameters"] = {"proxy": path.lstrip("/")}
    if body is not None and not isinstance(body, str):
        body = json.dumps(body)
    event["body"] = body
    event["isBase64Encoded"] = base64_body
    all_headers = {**event["headers"], **({"Content-Type": "application/json"} if body is not None else {})}
    all_headers.update(headers or {})
    event["headers"] = all_headers
    event["multiValueHeaders"] = {name: [value] for name, value in all_headers.items()}
    event["queryStringParameters"] = query
    event["multiValueQueryStringParameters"] = {name: [value] for name, value in query.items()} if query else None
    return event


def reply_of(response: dict[str, Any]) -> Reply:
    headers = {name: str(value) for name, value in (response.get("headers") or {}).items()}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers[name] = ", ".join(str(value) for value in values)
    raw = response.get("body") or ""
    return Reply(int(response["statusCode"]), json.loads(raw) if raw else None, headers, raw)


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[str]:
    """moto's DynamoDB with the lab's table; the function's environment points at it."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("TABLE_NAME", TABLE)
    store.default_client.cache_clear()
    with mock_aws():
        create_orders_table(dynamodb(), TABLE)
        yield TABLE
    store.default_client.cache_clear()


@pytest.fixture
def call(table: str) -> Call:
    """call("POST", "/orders", body={...}) -> Reply, through lambda_handler."""

    def send(method: str, path: str, **request: Any) -> Reply:
        event = proxy_event(method, path, **request)
        return reply_of(handler.lambda_handler(event, LocalContext(aws_request_id="test-request")))

    return send


def stored(order_id: str) -> dict[str, Any] | None:
    """The item as DynamoDB holds it (typed attribute values), or None."""
    response = dynamodb().get_item(TableName=TABLE, Key={"order_id": {"S": order_id}})
    item: dict[str, Any] | None = response.get("Item")
    return item


def create(call: Call, user_id: str = "user-42", amount: float = 25.5) -> dict[str, Any]:
    reply = call("POST", "/orders", body={"user_id": user_id, "amount": amount})
    assert reply.status == 201, reply.body
    order: dict[str, Any] = reply.body
    return order


def serve(app: Any) -> Iterator[str]:
    """Any WSGI app on a free port of 127.0.0.1, in a thread; yields host:port."""
    httpd = local_api.make_local_server("127.0.0.1", 0, app, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def server(fake_aws_credentials: None) -> Iterator[str]:
    """The local API (`make api-local`) on a free port of 127.0.0.1; yields host:port."""
    with local_api.in_memory_backend():
        yield from serve(local_api.LocalApi(local_api.load_handler()))
