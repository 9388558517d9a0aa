"""scripts/serverless_api/verify.py against the local API on 127.0.0.1 (the deployed API's stand-in)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from scripts.sandbox.checks import Waiter
from scripts.serverless_api import local_api, verify
from tests.serverless_api.conftest import SESSION, serve


class FakeClock:
    """A Waiter clock that moves only when the Waiter sleeps: waits cost no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def waiter() -> Waiter:
    clock = FakeClock()
    return Waiter(out=io.StringIO(), clock=clock, sleep=clock.sleep)


def test_every_check_passes_against_a_working_api(server: str) -> None:
    results = verify.run_checks(SESSION, {"ApiUrl": f"http://{server}/"}, "sandbox", waiter())
    assert [(result.name, result.passed) for result in results] == [
        ("the API answers", True),
        ("POST /orders creates a pending order", True),
        ("GET /orders/{id} returns it", True),
        ("GET /orders?user_id= lists it", True),
        ("PATCH follows the life cycle", True),
        ("an unknown order id is a 404", True),
        ("DELETE removes the cancelled order", True),
    ], [result.detail for result in results]


class KeyRequired:
    """API Gateway's part when api_key is on: no valid x-api-key, no request reaches the function."""

    def __init__(self, app: local_api.LocalApi, key: str) -> None:
        self.app, self.key = app, key

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("HTTP_X_API_KEY") != self.key:
            start_response("403 Forbidden", [("Content-Type", "application/json")])
            return [b'{"message":"Forbidden"}']
        return self.app(environ, start_response)


@pytest.fixture
def keyed_server(fake_aws_credentials: None) -> Iterator[tuple[str, str]]:
    """The local API behind an API key check; yields (host:port, the key's id in moto)."""
    with local_api.in_memory_backend():
        key = SESSION.client("apigateway").create_api_key(name="lab", enabled=True)
        app = KeyRequired(local_api.LocalApi(local_api.load_handler()), key["value"])
        for address in serve(app):
            yield address, key["id"]


def test_the_api_key_from_the_outputs_is_sent(keyed_server: tuple[str, str]) -> None:
    address, key_id = keyed_server
    outputs = {"ApiUrl": f"http://{address}/", "ApiKeyId": key_id}
    results = verify.run_checks(SESSION, outputs, "prod", waiter())
    assert all(result.passed for result in results), [result.detail for result in results]


def test_an_api_that_never_answers_200_fails_one_check_after_the_timeout(keyed_server: tuple[str, str]) -> None:
    address, _ = keyed_server  # and no key in the outputs: every request is a 403
    results = verify.run_checks(SESSION, {"ApiUrl": f"http://{address}/"}, "sandbox", waiter())
    assert [(result.name, result.passed) for result in results] == [("the API answers", False)]
    assert "not done after 180 s" in results[0].detail


def test_a_broken_route_fails_its_check_and_the_others_still_run(fake_aws_credentials: None) -> None:
    with local_api.in_memory_backend():
        api = local_api.LocalApi(local_api.load_handler())

        def no_delete(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            if environ["REQUEST_METHOD"] == "DELETE":
                start_response("502 Bad Gateway", [("Content-Type", "application/json")])
                return [b'{"message":"Internal server error"}']
            return api(environ, start_response)

        for address in serve(no_delete):
            results = verify.run_checks(SESSION, {"ApiUrl": f"http://{address}/"}, "sandbox", waiter())
    failed = {result.name: result.detail for result in results if not result.passed}
    assert list(failed) == ["DELETE removes the cancelled order"]
    assert failed["DELETE removes the cancelled order"].startswith(
        "AssertionError: DELETE of the cancelled order: expected 204, got 502"
    )


def test_a_stack_without_the_url_output_is_one_failed_check() -> None:
    [result] = verify.run_checks(SESSION, {"TableName": "x"}, "sandbox", waiter())
    assert not result.passed
    assert "no ApiUrl output" in result.detail


def test_an_index_that_lags_behind_the_write_is_asked_again(fake_aws_credentials: None) -> None:
    # Reads of a global secondary index are always eventually consistent: right after the POST,
    # the ByUser index may not list the order yet (moto is always consistent, so this API
    # answers an empty list twice after the POST)
    # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
    with local_api.in_memory_backend():
        api = local_api.LocalApi(local_api.load_handler())
        posted: list[bool] = []
        lagging = {"left": 2}

        def lagging_index(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            if environ["REQUEST_METHOD"] == "POST":
                posted.append(True)
            listing = environ["REQUEST_METHOD"] == "GET" and "user_id=" in environ.get("QUERY_STRING", "")
            if posted and listing and lagging["left"] > 0:
                lagging["left"] -= 1
                start_response("200 OK", [("Content-Type", "application/json")])
                return [b'{"orders": []}']
            return api(environ, start_response)

        for address in serve(lagging_index):
            results = verify.run_checks(SESSION, {"ApiUrl": f"http://{address}/"}, "sandbox", waiter())
    listed = {result.name: result for result in results}["GET /orders?user_id= lists it"]
    assert listed.passed, listed.detail
    assert lagging["left"] == 0


def test_an_index_that_never_lists_the_order_fails_after_a_bounded_wait(fake_aws_credentials: None) -> None:
    with local_api.in_memory_backend():
        api = local_api.LocalApi(local_api.load_handler())

        def empty_index(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            if environ["REQUEST_METHOD"] == "GET" and "user_id=" in environ.get("QUERY_STRING", ""):
                start_response("200 OK", [("Content-Type", "application/json")])
                return [b'{"orders": []}']
            return api(environ, start_response)

        for address in serve(empty_index):
            results = verify.run_checks(SESSION, {"ApiUrl": f"http://{address}/"}, "sandbox", waiter())
    listed = {result.name: result for result in results}["GET /orders?user_id= lists it"]
    assert not listed.passed
    assert f"not done after {verify.LISTED_TIMEOUT_SECONDS} s (last: the user's list is []" in listed.detail
