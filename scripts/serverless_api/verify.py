"""The serverless-api lab's `verify` step: the deployed orders API works end to end.

Over HTTPS against the stack's `ApiUrl` output (with the API key from `ApiKeyId` when the
stage requires one), as one throwaway user:
1. POST /orders creates a pending order (201);
2. GET /orders/{id} returns it;
3. GET /orders?user_id= lists it (asked again for up to 30 s: the index lags the write);
4. PATCH /orders/{id} cancels it (200), and a second change from cancelled is refused (409);
5. GET of an unknown order id is a 404 with the API's JSON error;
6. DELETE /orders/{id} removes the cancelled order (204), leaving the table as it was.

Contract: scripts/sandbox/checks.py (`run_checks(session, outputs, stage, wait)`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any

from scripts.sandbox.checks import CheckResult, Waiter, check
from scripts.sandbox.waits import until

UNKNOWN_ORDER_ID = "0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e"
REQUEST_TIMEOUT_SECONDS = 15
# A new stage, its WAF association and the function's role can take a minute to settle.
READY_TIMEOUT_SECONDS = 180
# GET /orders?user_id= queries the ByUser global secondary index, and every read of a GSI is
# eventually consistent: an order just written may be missing from it for a moment
# (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html).
# So the list is asked again, for a bounded time, before it counts as wrong.
LISTED_TIMEOUT_SECONDS = 30
LISTED_EVERY_SECONDS = 2


class Api:
    """JSON over HTTP to the deployed stage; answers (status, decoded body) for any status."""

    def __init__(self, base_url: str, api_key: str | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Accept": "application/json", "User-Agent": "cloudops-cdk-labs-verify"}
        if api_key is not None:
            self.headers["x-api-key"] = api_key

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None
        headers = dict(self.headers)
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw[:200].decode("utf-8", errors="replace")


def api_key_value(session: Any, outputs: dict[str, str]) -> str | None:
    key_id = outputs.get("ApiKeyId")
    if key_id is None:
        return None
    value: str = session.client("apigateway").get_api_key(apiKey=key_id, includeValue=True)["value"]
    return value


def _expect(status: int, body: Any, wanted: int, what: str) -> None:
    if status != wanted:
        raise AssertionError(f"{what}: expected {wanted}, got {status} {json.dumps(body)[:160]}")


def run_checks(session: Any, outputs: dict[str, str], stage: str, wait: Waiter) -> list[CheckResult]:
    del stage  # the same checks hold in both stages
    if "ApiUrl" not in outputs:
        return [
            CheckResult("the stack has an ApiUrl output", False, "no ApiUrl output: is it the ServerlessApi stack?")
        ]
    api = Api(outputs["ApiUrl"], api_key_value(session, outputs))
    user_id = f"verify-{uuid.uuid4().hex[:12]}"
    order: dict[str, Any] = {}

    def ready() -> str:
        def probe() -> int | None:
            try:
                status, _ = api.call("GET", f"/orders?user_id={user_id}")
            except OSError:
                return None
            return status if status == 200 else None

        wait.until("the orders API to answer 200", probe, timeout_s=READY_TIMEOUT_SECONDS)
        return f"{api.base_url} answers"

    def create() -> str:
        status, body = api.call("POST", "/orders", {"user_id": user_id, "amount": 12.34})
        _expect(status, body, 201, "POST /orders")
        if body.get("status") != "pending" or body.get("amount") != 12.34:
            raise AssertionError(f"POST /orders returned {json.dumps(body)[:160]}")
        order.update(body)
        return f"order {body['order_id']} is pending"

    def read() -> str:
        status, body = api.call("GET", f"/orders/{_order_id(order)}")
        _expect(status, body, 200, "GET /orders/{id}")
        if body != order:
            raise AssertionError(f"GET returned {json.dumps(body)[:160]}, not the order POST created")
        return "the order reads back unchanged"

    def listed() -> str:
        wanted = [_order_id(order)]
        seen: list[Any] = []

        def probe() -> bool | None:
            status, body = api.call("GET", f"/orders?user_id={user_id}&limit=5")
            _expect(status, body, 200, "GET /orders")
            seen[:] = [item["order_id"] for item in body["orders"]]
            return True if seen == wanted else None

        until(
            wait,
            "the by-user index to list the new order",
            probe,
            timeout_s=LISTED_TIMEOUT_SECONDS,
            every_s=LISTED_EVERY_SECONDS,
            last=lambda: f"the user's list is {seen}, expected only {wanted[0]}",
        )
        return "the by-user index lists it"

    def change() -> str:
        status, body = api.call("PATCH", f"/orders/{_order_id(order)}", {"status": "cancelled"})
        _expect(status, body, 200, "PATCH pending -> cancelled")
        status, body = api.call("PATCH", f"/orders/{_order_id(order)}", {"status": "paid"})
        _expect(status, body, 409, "PATCH cancelled -> paid")
        return "pending -> cancelled allowed, cancelled -> paid refused with 409"

    def unknown() -> str:
        status, body = api.call("GET", f"/orders/{UNKNOWN_ORDER_ID}")
        _expect(status, body, 404, "GET of an unknown order")
        if not isinstance(body, dict) or set(body) != {"message", "fields"}:
            raise AssertionError(f"the 404 is not the API's JSON error: {json.dumps(body)[:160]}")
        return "404 with the API's JSON error"

    def delete() -> str:
        status, body = api.call("DELETE", f"/orders/{_order_id(order)}")
        _expect(status, body, 204, "DELETE of the cancelled order")
        status, body = api.call("GET", f"/orders/{_order_id(order)}")
        _expect(status, body, 404, "GET after DELETE")
        return "the test order is gone"

    results = [check("the API answers", ready)]
    if not results[0].passed:
        return results
    for name, action in (
        ("POST /orders creates a pending order", create),
        ("GET /orders/{id} returns it", read),
        ("GET /orders?user_id= lists it", listed),
        ("PATCH follows the life cycle", change),
        ("an unknown order id is a 404", unknown),
        ("DELETE removes the cancelled order", delete),
    ):
        results.append(check(name, action))
    return results


def _order_id(order: dict[str, Any]) -> str:
    if "order_id" not in order:
        raise AssertionError("no order to check: POST /orders failed")
    order_id: str = order["order_id"]
    return order_id
