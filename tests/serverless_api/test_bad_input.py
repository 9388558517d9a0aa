"""Bad input gets a JSON 4xx naming what is wrong: never a 5xx, a stack trace or the input echoed."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from orders_api import api, store
from tests.serverless_api.conftest import Call, Reply, create

# Put into the values of bad requests: no response may contain it.
MARK = "Zq7MARK"
KNOWN_ID = "0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e"
LAMBDA_SRC = Path(__file__).resolve().parents[2] / "lambda_src"


def assert_refusal(reply: Reply, status: int, fields: list[str] | None = None) -> None:
    """A JSON refusal: the status, a one-line message, the offending fields; no echo, no trace."""
    assert reply.status == status, reply.raw_body
    assert reply.headers["Content-Type"] == "application/json"
    assert set(reply.body) == {"message", "fields"}
    assert isinstance(reply.body["message"], str)
    assert "\n" not in reply.body["message"]
    assert all(isinstance(value, str) for value in reply.body["fields"].values())
    assert MARK not in reply.raw_body
    assert "Traceback" not in reply.raw_body
    assert ".py" not in reply.raw_body
    if fields is not None:
        assert list(reply.body["fields"]) == fields


def order(**fields: Any) -> dict[str, Any]:
    return {"user_id": "user-42", "amount": 25.5, **fields}


BAD_BODIES: dict[str, tuple[Any, list[str]]] = {
    "malformed JSON": ('{"user_id": "' + MARK + '", "amount": 1', ["body"]),
    "trailing garbage": (json.dumps(order()) + MARK, ["body"]),
    "NaN is not JSON": ('{"user_id": "' + MARK + '", "amount": NaN}', ["body"]),
    "Infinity is not JSON": ('{"user_id": "u", "amount": Infinity}', ["body"]),
    "nested deeper than the parser goes": ("[" * 2000 + "]" * 2000, ["body"]),
    "a 4000-digit number": ('{"user_id": "u", "amount": 1' + "0" * 4000 + "}", ["amount"]),
    "an array": ([order(user_id=MARK)], ["body"]),
    "a string": (json.dumps(MARK), ["body"]),
    "a number": ("42", ["body"]),
    "null": ("null", ["body"]),
    "an empty object": ({}, ["user_id", "amount"]),
    "no amount": ({"user_id": MARK}, ["amount"]),
    "no user_id": ({"amount": 1}, ["user_id"]),
    "user_id a number": (order(user_id=42), ["user_id"]),
    "user_id null": (order(user_id=None), ["user_id"]),
    "user_id empty": (order(user_id=""), ["user_id"]),
    "user_id too long": (order(user_id=MARK * 10), ["user_id"]),
    "user_id with a space": (order(user_id=MARK + " x"), ["user_id"]),
    "user_id not ASCII": (order(user_id=MARK + "ü"), ["user_id"]),
    "user_id with a newline": (order(user_id=MARK + "\n"), ["user_id"]),
    "amount a string": (order(amount="25.50"), ["amount"]),
    "amount a boolean": (order(amount=True), ["amount"]),
    "amount null": (order(amount=None), ["amount"]),
    "amount an object": (order(amount={"value": MARK}), ["amount"]),
    "amount negative": (order(amount=-5), ["amount"]),
    "amount zero": (order(amount=0), ["amount"]),
    "amount with 3 decimals": (order(amount=10.123), ["amount"]),
    "amount tiny": ('{"user_id": "u", "amount": 1e-7}', ["amount"]),
    "amount over the maximum": (order(amount=1_000_000.01), ["amount"]),
    "amount huge": ('{"user_id": "u", "amount": 1e400}', ["amount"]),
    "an unknown field": (order(coupon=MARK), ["coupon"]),
    "everything wrong at once": ({"user_id": 1, "amount": "x", "extra": MARK}, ["user_id", "amount", "extra"]),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
def test_a_bad_order_is_a_400_naming_the_offending_fields(call: Call, case: str) -> None:
    body, fields = BAD_BODIES[case]
    assert_refusal(call("POST", "/orders", body=body), 400, fields)


def test_an_unknown_field_name_is_named_but_never_in_full(call: Call) -> None:
    # A field name is input too: a long one is cut, and only a few are listed
    long_name = "x" * 1000
    body = order(**{long_name: 1}, **{f"extra{index}": index for index in range(20)})
    reply = call("POST", "/orders", body=body)
    assert_refusal(reply, 400)
    assert len(reply.body["fields"]) <= 5
    assert len(reply.raw_body) < 600
    assert long_name not in reply.raw_body


def test_the_allowed_fields_are_named_for_an_unknown_one(call: Call) -> None:
    reply = call("POST", "/orders", body=order(userid="u"))
    assert reply.body["fields"]["userid"] == "unknown field (allowed: user_id, amount)"


def test_a_body_over_the_limit_is_a_413_and_one_at_the_limit_is_accepted(call: Call) -> None:
    compact = json.dumps(order())
    at_limit = compact[:-1] + " " * (4096 - len(compact)) + "}"
    assert len(at_limit.encode()) == 4096
    assert call("POST", "/orders", body=at_limit).status == 201
    assert_refusal(call("POST", "/orders", body=at_limit[:-1] + " }"), 413, ["body"])


def test_a_huge_body_is_refused_before_it_is_parsed(call: Call) -> None:
    # 6 MB of nested arrays: parsing would be slow and deep; the size alone refuses it
    assert_refusal(call("POST", "/orders", body="[" * 6_000_000), 413, ["body"])
    assert_refusal(call("GET", "/orders", body="x" * 5000, query={"user_id": "u"}), 413, ["body"])


def test_multibyte_characters_count_as_bytes_toward_the_limit(call: Call) -> None:
    assert_refusal(call("POST", "/orders", body='{"user_id": "' + "€" * 1400 + '"}'), 413, ["body"])


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_that_is_not_json_by_its_content_type_is_a_415(call: Call, content_type: str) -> None:
    reply = call("POST", "/orders", body=order(), headers={"Content-Type": content_type})
    assert_refusal(reply, 415, ["content-type"])


def test_json_with_a_charset_is_accepted(call: Call) -> None:
    reply = call("POST", "/orders", body=order(), headers={"Content-Type": "application/json; charset=utf-8"})
    assert reply.status == 201


def test_a_base64_body_is_decoded_and_a_bad_one_is_a_400(call: Call) -> None:
    good = base64.b64encode(json.dumps(order()).encode()).decode()
    assert call("POST", "/orders", body=good, base64_body=True).status == 201
    assert_refusal(call("POST", "/orders", body="not base64!" + MARK, base64_body=True), 400, ["body"])
    latin1 = base64.b64encode(b'{"user_id": "\xff"}').decode()
    assert_refusal(call("POST", "/orders", body=latin1, base64_body=True), 400, ["body"])


@pytest.mark.parametrize(
    "order_id",
    [
        "abc",
        "0B7E1B5C-6A7E-4C39-9D7E-2F3A4B5C6D7E",  # uppercase: not the form the API issues
        "0b7e1b5c-6a7e-1c39-9d7e-2f3a4b5c6d7e",  # a version 1 UUID
        "0b7e1b5c6a7e4c399d7e2f3a4b5c6d7e",  # no hyphens
        KNOWN_ID + "0",
        MARK * 3,
        "%00",
    ],
)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_a_bad_order_id_is_a_400(call: Call, method: str, order_id: str) -> None:
    body = {"status": "paid"} if method == "PATCH" else None
    assert_refusal(call(method, f"/orders/{order_id}", body=body), 400, ["order_id"])


@pytest.mark.parametrize(
    "body",
    [
        {"status": "refunded" + MARK},
        {"status": "PAID"},
        {"status": 1},
        {"status": None},
        {},
        {"status": "paid", "x": 1},
    ],
)
def test_a_bad_status_change_is_a_400(call: Call, body: dict[str, Any]) -> None:
    order_id = create(call)["order_id"]
    reply = call("PATCH", f"/orders/{order_id}", body=body)
    assert_refusal(reply, 400)
    assert set(reply.body["fields"]) <= {"status", "x"}


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({}, ["user_id"]),
        ({"user_id": ""}, ["user_id"]),
        ({"user_id": MARK + "/.."}, ["user_id"]),
        ({"user_id": "u", "limit": "0"}, ["limit"]),
        ({"user_id": "u", "limit": "101"}, ["limit"]),
        ({"user_id": "u", "limit": MARK}, ["limit"]),
        ({"user_id": "u", "limit": "2.5"}, ["limit"]),
        ({"user_id": "u", "next_token": MARK}, ["next_token"]),
        ({"user_id": "u", "next_token": "A" * 600}, ["next_token"]),
        ({"user_id": "u", "next_token": base64.urlsafe_b64encode(b'["u","x","y"]').decode()}, ["next_token"]),
        ({"user_id": "u", "next_token": base64.urlsafe_b64encode(b'{"a":1}').decode()}, ["next_token"]),
    ],
)
def test_a_bad_list_query_is_a_400(call: Call, query: dict[str, str], fields: list[str]) -> None:
    assert_refusal(call("GET", "/orders", query=query), 400, fields)


@pytest.mark.parametrize(
    "path", ["/", "/nope", "/orders/" + KNOWN_ID + "/items", "/Orders", "/orders.json", "//orders"]
)
def test_an_unknown_route_is_a_404(call: Call, path: str) -> None:
    reply = call("GET", path)
    assert_refusal(reply, 404, ["path"])


def test_a_trailing_slash_is_the_same_route(call: Call) -> None:
    order_id = create(call)["order_id"]
    assert call("GET", f"/orders/{order_id}/").status == 200
    assert call("GET", "/orders/", query={"user_id": "user-42"}).status == 200
    assert call("PUT", "/orders/").status == 405


@pytest.mark.parametrize("order_id", ['a"b', "a\\b", "a#b"])
def test_an_order_id_the_router_cannot_take_is_a_400_not_a_405(call: Call, order_id: str) -> None:
    assert_refusal(call("GET", f"/orders/{order_id}"), 400, ["order_id"])
    assert_refusal(call("PUT", f"/orders/{order_id}"), 405, ["method"])


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/orders", "GET, POST"),
        ("DELETE", "/orders", "GET, POST"),
        ("PATCH", "/orders", "GET, POST"),
        ("POST", "/orders/" + KNOWN_ID, "DELETE, GET, PATCH"),
        ("PUT", "/orders/" + KNOWN_ID, "DELETE, GET, PATCH"),
        ("HEAD", "/orders/" + KNOWN_ID, "DELETE, GET, PATCH"),
    ],
)
def test_a_known_route_with_another_method_is_a_405_with_allow(
    call: Call, method: str, path: str, allowed: str
) -> None:
    reply = call(method, path)
    assert_refusal(reply, 405, ["method"])
    assert reply.headers["Allow"] == allowed


def test_a_throttled_table_is_a_503_with_retry_after(call: Call, monkeypatch: pytest.MonkeyPatch) -> None:
    def throttled(*_: Any, **__: Any) -> None:
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": MARK}}, "GetItem")

    monkeypatch.setattr(store.OrdersTable, "get", throttled)
    reply = call("GET", f"/orders/{KNOWN_ID}")
    assert_refusal(reply, 503)
    assert reply.headers["Retry-After"] == "1"


def test_an_aws_failure_is_a_500_that_names_the_request_and_nothing_else(
    call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*_: Any, **__: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": MARK}}, "GetItem")

    monkeypatch.setattr(store.OrdersTable, "get", denied)
    log = io.StringIO()
    monkeypatch.setattr(api.logger.registered_handler, "stream", log)
    reply = call("GET", f"/orders/{KNOWN_ID}")
    assert_refusal(reply, 500, [])
    assert reply.body["message"] == "internal error; request id c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    # The details go to the log, with the request id that finds them
    entry = json.loads(log.getvalue().splitlines()[-1])
    assert entry["level"] == "ERROR"
    assert entry["correlation_id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert MARK in entry["exception"]


def test_a_function_deployed_without_its_table_name_answers_500(call: Call, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABLE_NAME")
    assert_refusal(call("GET", f"/orders/{KNOWN_ID}"), 500, [])


def test_a_bug_in_a_response_is_a_500_not_a_400(call: Call, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a stored order the response model cannot describe (an impossible status)
    order_id = create(call)["order_id"]
    monkeypatch.setattr(store.OrdersTable, "get", lambda *_: {**stored_shape(order_id), "status": "lost"})
    # Then the response validation failure is ours: a 500, not a 4xx blaming the client
    assert_refusal(call("GET", f"/orders/{order_id}"), 500, [])


def stored_shape(order_id: str) -> dict[str, Any]:
    from decimal import Decimal

    at = "2026-05-01T12:00:00.000000Z"
    return {
        "order_id": order_id,
        "user_id": "u",
        "amount": Decimal(1),
        "status": "pending",
        "created_at": at,
        "updated_at": at,
    }


def test_cors_headers_come_from_the_configured_origins_only() -> None:
    # In a fresh interpreter: the allowed origins are read when the function starts
    script = """
import json
from orders_api import handler
from scripts.serverless_api.local_api import LocalContext
from tests.serverless_api.conftest import proxy_event
def send(origin, method="GET", path="/orders/bad", body=None):
    event = proxy_event(method, path, body=body, headers={"Origin": origin})
    response = handler.lambda_handler(event, LocalContext(aws_request_id="r"))
    headers = {name: values[0] for name, values in response["multiValueHeaders"].items()}
    return [response["statusCode"], headers.get("Access-Control-Allow-Origin")]
print(json.dumps([
    send("https://app.example.com"),
    send("https://evil.example.net"),
    send("https://app.example.com", "POST", "/orders", "x" * 5000),
    send("https://app.example.com", "OPTIONS", "/orders"),
]))
"""
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": f"{LAMBDA_SRC}:{LAMBDA_SRC.parent}",
        "CORS_ALLOW_ORIGINS": "https://app.example.com, https://admin.example.com",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    allowed, refused, too_large, preflight = json.loads(result.stdout.splitlines()[-1])
    assert allowed == [400, "https://app.example.com"]
    assert refused == [400, None]
    assert too_large == [413, "https://app.example.com"]
    assert preflight == [204, "https://app.example.com"]
