"""Every route of the orders API through lambda_handler, against moto's DynamoDB."""

from __future__ import annotations

import itertools
import json
import warnings
from decimal import Decimal
from typing import Any

import pytest

from orders_api import api
from tests.serverless_api.conftest import STAGE_PATH, TABLE, Call, create, dynamodb, stored


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """api.now() returns 2026-05-01T12:00:00.000000Z, then one second later on each call."""
    seconds = itertools.count()
    issued: list[str] = []

    def tick() -> str:
        moment = next(seconds)
        issued.append(f"2026-05-01T12:{moment // 60:02d}:{moment % 60:02d}.000000Z")
        return issued[-1]

    monkeypatch.setattr(api, "now", tick)
    return issued


def test_post_creates_a_pending_order_that_get_returns(call: Call, clock: list[str]) -> None:
    # When an order is posted
    reply = call("POST", "/orders", body={"user_id": "user-42", "amount": 25.5})
    # Then it is created pending, with an id, a creation time and the exact amount
    assert reply.status == 201
    order = reply.body
    assert order["user_id"] == "user-42"
    assert order["amount"] == 25.5
    assert order["status"] == "pending"
    assert order["created_at"] == order["updated_at"] == "2026-05-01T12:00:00.000000Z"
    assert reply.headers["Location"] == f"{STAGE_PATH}/orders/{order['order_id']}"
    # And DynamoDB holds the amount as an exact number (the guide's Decimal), not a float
    assert stored(order["order_id"])["amount"] == {"N": "25.5"}  # type: ignore[index]
    # And GET returns the same order
    fetched = call("GET", f"/orders/{order['order_id']}")
    assert (fetched.status, fetched.body) == (200, order)


def test_amounts_keep_their_two_decimals_exactly(call: Call) -> None:
    # 0.1 + 0.2 style values must not become 0.30000000000000004 anywhere
    order = create(call, amount=0.29)
    assert stored(order["order_id"])["amount"] == {"N": "0.29"}  # type: ignore[index]
    assert call("GET", f"/orders/{order['order_id']}").raw_body.count('"amount":0.29,') == 1


def test_get_of_an_unknown_order_is_404(call: Call) -> None:
    reply = call("GET", "/orders/0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e")
    assert reply.status == 404
    assert reply.body == {"message": "no order with this order_id", "fields": {"order_id": "not found"}}


def test_listing_pages_through_a_users_orders_newest_first(call: Call, clock: list[str]) -> None:
    # Given seven orders of one user and two of another, created one second apart
    mine = [create(call, "alice", amount=index + 1)["order_id"] for index in range(7)]
    create(call, "bob")
    create(call, "bob")
    # When the list is read three at a time, following next_token
    pages: list[list[str]] = []
    token: str | None = None
    while True:
        query = {"user_id": "alice", "limit": "3", **({"next_token": token} if token else {})}
        reply = call("GET", "/orders", query=query)
        assert reply.status == 200, reply.body
        pages.append([order["order_id"] for order in reply.body["orders"]])
        token = reply.body["next_token"]
        if token is None:
            break
    # Then every order of that user comes exactly once, newest first, and no one else's
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [order_id for page in pages for order_id in page] == list(reversed(mine))


def test_a_page_that_ends_at_the_last_order_says_there_is_no_next_page(call: Call, clock: list[str]) -> None:
    for _ in range(6):
        create(call, "alice")
    first = call("GET", "/orders", query={"user_id": "alice", "limit": "3"})
    second = call("GET", "/orders", query={"user_id": "alice", "limit": "3", "next_token": first.body["next_token"]})
    assert len(second.body["orders"]) == 3
    assert second.body["next_token"] is None


def test_the_default_page_is_twenty_orders(call: Call, clock: list[str]) -> None:
    for _ in range(21):
        create(call, "alice")
    reply = call("GET", "/orders", query={"user_id": "alice"})
    assert len(reply.body["orders"]) == 20
    assert reply.body["next_token"] is not None


def test_a_user_without_orders_gets_an_empty_last_page(call: Call) -> None:
    reply = call("GET", "/orders", query={"user_id": "nobody"})
    assert (reply.status, reply.body) == (200, {"orders": [], "next_token": None})


def test_a_next_token_only_works_for_the_user_it_was_issued_for(call: Call, clock: list[str]) -> None:
    for _ in range(3):
        create(call, "alice")
    token = call("GET", "/orders", query={"user_id": "alice", "limit": "1"}).body["next_token"]
    reply = call("GET", "/orders", query={"user_id": "bob", "limit": "1", "next_token": token})
    assert reply.status == 400
    assert list(reply.body["fields"]) == ["next_token"]


# Reaching each status from a new (pending) order.
PATH_TO = {"pending": [], "paid": ["paid"], "shipped": ["paid", "shipped"], "cancelled": ["cancelled"]}
# The guide's life cycle, written out: pending -> paid -> shipped, pending -> cancelled.
ALLOWED = {("pending", "paid"), ("paid", "shipped"), ("pending", "cancelled")}
STATUSES = ("pending", "paid", "shipped", "cancelled")


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_every_status_change_is_allowed_or_refused_as_the_life_cycle_says(
    call: Call, clock: list[str], current: str, target: str
) -> None:
    # Given an order in `current`
    order_id = create(call)["order_id"]
    for status in PATH_TO[current]:
        assert call("PATCH", f"/orders/{order_id}", body={"status": status}).status == 200
    before = stored(order_id)
    # When it is asked to become `target`
    reply = call("PATCH", f"/orders/{order_id}", body={"status": target})
    # Then the change happens if the life cycle allows it, else 409 and nothing changes
    if (current, target) in ALLOWED:
        assert reply.status == 200
        assert reply.body["status"] == target
        assert reply.body["updated_at"] > reply.body["created_at"]
        assert stored(order_id)["status"] == {"S": target}  # type: ignore[index]
    else:
        assert reply.status == 409
        assert reply.body["message"] == f"an order that is {current} cannot become {target}"
        assert list(reply.body["fields"]) == ["status"]
        assert stored(order_id) == before


@pytest.mark.parametrize("target", STATUSES)
def test_patch_of_an_unknown_order_is_404(call: Call, target: str) -> None:
    reply = call("PATCH", "/orders/0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e", body={"status": target})
    assert reply.status == 404
    assert stored("0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e") is None


@pytest.mark.parametrize(
    ("current", "deleted"), [("pending", True), ("cancelled", True), ("paid", False), ("shipped", False)]
)
def test_delete_removes_pending_and_cancelled_orders_only(call: Call, current: str, deleted: bool) -> None:
    order_id = create(call)["order_id"]
    for status in PATH_TO[current]:
        call("PATCH", f"/orders/{order_id}", body={"status": status})
    reply = call("DELETE", f"/orders/{order_id}")
    if deleted:
        assert (reply.status, reply.raw_body) == (204, "")
        assert stored(order_id) is None
        assert call("GET", f"/orders/{order_id}").status == 404
    else:
        assert reply.status == 409
        assert reply.body["message"] == f"an order that is {current} cannot be deleted"
        assert stored(order_id)["status"] == {"S": current}  # type: ignore[index]


def test_delete_of_an_unknown_order_is_404(call: Call) -> None:
    assert call("DELETE", "/orders/0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e").status == 404


def test_a_status_change_is_one_conditional_write_with_no_read_before_it(call: Call) -> None:
    # Given a pending order, and a record of the DynamoDB calls the handler makes
    order_id = create(call)["order_id"]
    from orders_api import store

    calls: list[tuple[str, dict[str, Any]]] = []
    store.default_client().meta.events.register(
        "provide-client-params.dynamodb.*", lambda params, model, **_: calls.append((model.name, params))
    )
    # When it is paid
    assert call("PATCH", f"/orders/{order_id}", body={"status": "paid"}).status == 200
    # Then the handler made one call: an UpdateItem whose condition is the allowed status
    assert [name for name, _ in calls] == ["UpdateItem"]
    params = calls[0][1]
    assert params["ConditionExpression"] == "#status IN (:from0)"
    assert params["ExpressionAttributeValues"][":from0"] == {"S": "pending"}


def test_of_two_concurrent_changes_from_pending_exactly_one_wins(call: Call) -> None:
    # Given a pending order
    order_id = create(call)["order_id"]
    from orders_api import store

    # And another instance's PATCH (cancelled) that lands after this PATCH (paid) was
    # decided but before its write reaches DynamoDB: the window a read-then-write loses in
    other_instance = store.OrdersTable(TABLE, client=dynamodb())
    other_results: list[dict[str, Any]] = []

    def race(**_: Any) -> None:
        if not other_results:
            other_results.append(
                other_instance.change_status(
                    order_id, "cancelled", allowed_from=["pending"], now="2026-05-01T12:00:05.000000Z"
                )
            )

    store.default_client().meta.events.register("before-call.dynamodb.UpdateItem", race)
    # When this PATCH is sent
    reply = call("PATCH", f"/orders/{order_id}", body={"status": "paid"})
    # Then the other change won, this one is refused with the status it lost to, and the
    # order is cancelled (not paid after being cancelled)
    assert other_results[0]["status"] == "cancelled"
    assert reply.status == 409
    assert reply.body["message"] == "an order that is cancelled cannot become paid"
    assert stored(order_id)["status"] == {"S": "cancelled"}  # type: ignore[index]


def test_a_write_emits_a_metric_and_a_read_emits_nothing(call: Call, capsys: pytest.CaptureFixture[str]) -> None:
    # When an order is created, an EMF line with the OrdersCreated metric is printed
    create(call)
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert [metric["Name"] for line in emitted for metric in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]] == [
        "OrdersCreated"
    ]
    # When orders are only read, nothing is flushed and Powertools does not warn about it
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call("GET", "/orders", query={"user_id": "user-42"})
    assert [str(warning.message) for warning in caught] == []
    assert '"_aws"' not in capsys.readouterr().out


def test_amounts_are_read_back_as_exact_decimals(call: Call) -> None:
    order = create(call, amount=999999.99)
    assert stored(order["order_id"])["amount"] == {"N": "999999.99"}  # type: ignore[index]
    assert Decimal(str(order["amount"])) == Decimal("999999.99")
