"""`make api-local`: the handler on 127.0.0.1 over real HTTP, against an in-memory table."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scripts.serverless_api import local_api

REPO = Path(__file__).resolve().parents[2]


def request(
    address: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any, dict[str, str]]:
    connection = http.client.HTTPConnection(address, timeout=30)
    data = body if isinstance(body, bytes | str) or body is None else json.dumps(body)
    sent = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=data, headers={**sent, **(headers or {})})
    response = connection.getresponse()
    raw = response.read()
    connection.close()
    return response.status, json.loads(raw) if raw else None, dict(response.getheaders())


def test_a_learner_session_over_http(server: str) -> None:
    # POST, GET, list, PATCH, DELETE refused, 404: what the README's curl session shows
    status, order, headers = request(server, "POST", "/orders", {"user_id": "user-42", "amount": 25.5})
    assert status == 201
    assert headers["Location"] == f"/orders/{order['order_id']}"
    assert request(server, "GET", f"/orders/{order['order_id']}")[:2] == (200, order)
    status, page, _ = request(server, "GET", "/orders?user_id=user-42&limit=5")
    assert (status, [item["order_id"] for item in page["orders"]]) == (200, [order["order_id"]])
    status, paid, _ = request(server, "PATCH", f"/orders/{order['order_id']}", {"status": "paid"})
    assert (status, paid["status"]) == (200, "paid")
    assert request(server, "DELETE", f"/orders/{order['order_id']}")[0] == 409
    assert request(server, "GET", "/orders/0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e")[0] == 404


def test_query_strings_and_percent_encoding_reach_the_handler_decoded(server: str) -> None:
    request(server, "POST", "/orders", {"user_id": "a.b@c", "amount": 1})
    status, page, _ = request(server, "GET", "/orders?user_id=a.b%40c&limit=1")
    assert (status, page["orders"][0]["user_id"]) == (200, "a.b@c")


def test_a_body_that_is_not_utf8_is_a_400(server: str) -> None:
    status, body, _ = request(server, "POST", "/orders", b"\xff\xfe{}")
    assert (status, list(body["fields"])) == (400, ["body"])


def test_a_body_over_api_gateways_limit_is_refused_unread(server: str) -> None:
    # A Content-Length over 10 MB is answered 413 before a byte of the body is read
    connection = http.client.HTTPConnection(server, timeout=30)
    connection.putrequest("POST", "/orders")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(local_api.MAX_PAYLOAD_BYTES + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_the_event_has_the_proxy_integration_shape() -> None:
    environ = {
        "REQUEST_METHOD": "get",
        "PATH_INFO": "/orders/caf\xc3\xa9",  # UTF-8 bytes as PEP 3333 hands them over (latin-1)
        "QUERY_STRING": "user_id=a&user_id=b&limit=",
        "HTTP_X_FORWARDED_FOR": "198.51.100.7",
        "CONTENT_TYPE": "application/json",
        "REMOTE_ADDR": "127.0.0.1",
    }
    event = local_api.proxy_event(environ, b"", "req-1")
    assert event["httpMethod"] == "GET"
    assert event["path"] == "/orders/café"
    assert event["queryStringParameters"] == {"user_id": "b", "limit": ""}
    assert event["multiValueQueryStringParameters"] == {"user_id": ["a", "b"], "limit": [""]}
    assert event["headers"] == {"X-Forwarded-For": "198.51.100.7", "Content-Type": "application/json"}
    assert event["requestContext"]["requestId"] == "req-1"
    assert event["body"] is None
    assert event["isBase64Encoded"] is False


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.serverless_api.local_api", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_says_what_it_does() -> None:
    result = run_script("--help")
    assert result.returncode == 0
    assert "in-memory DynamoDB" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--host", "0.0.0.0"), "error: --host 0.0.0.0 is not a loopback address"),
        (("--host", "192.168.1.5"), "error: --host 192.168.1.5 is not a loopback address"),
        (("--port", "70000"), "error: --port must be between 0 and 65535"),
        (("--port", "x"), "error: argument --port: invalid int value"),
    ],
)
def test_bad_arguments_are_one_line_errors(args: tuple[str, ...], message: str) -> None:
    result = run_script(*args)
    assert result.returncode in (1, 2)
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
