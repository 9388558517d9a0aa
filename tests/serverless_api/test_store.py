"""orders_api.store against moto: conditional writes under real threads, the index query."""

from __future__ import annotations

import functools
import threading
from decimal import Decimal
from typing import Any

import pytest

from orders_api import logic, store
from tests.serverless_api.conftest import TABLE, dynamodb

AT = "2026-05-01T12:00:00.000000Z"


def new_order(table: store.OrdersTable, user_id: str = "alice", created_at: str = AT) -> str:
    order_id = logic.new_order_id()
    table.create(
        {
            "order_id": order_id,
            "user_id": user_id,
            "amount": Decimal("1.50"),
            "status": "pending",
            "created_at": created_at,
            "updated_at": created_at,
        }
    )
    return order_id


@pytest.fixture
def orders(table: str) -> store.OrdersTable:
    return store.OrdersTable(table, client=dynamodb())


@pytest.fixture
def atomic_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB applies a conditional write to an item atomically; moto checks and writes in
    two Python steps, which another thread can come between. One lock around moto's writes
    gives these tests DynamoDB's guarantee, and no more: the handler still decides nothing
    outside the write."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()
    for name in ("update_item", "delete_item", "put_item"):
        original = getattr(DynamoDBBackend, name)

        @functools.wraps(original)
        def locked(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return _original(*args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)


@pytest.mark.usefixtures("atomic_items")
def test_of_two_concurrent_changes_from_pending_exactly_one_wins(orders: store.OrdersTable) -> None:
    # Given pending orders, and for each two changes (paid, cancelled) started at the same moment
    for _ in range(20):
        order_id = new_order(orders)
        start = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def change(
            target: str,
            order_id: str = order_id,
            start: threading.Barrier = start,
            outcomes: dict[str, str] = outcomes,
        ) -> None:
            table = store.OrdersTable(TABLE, client=dynamodb())  # another instance, its own client
            start.wait()
            try:
                table.change_status(order_id, target, allowed_from=["pending"], now=AT)
                outcomes[target] = "won"
            except logic.ApiError as refusal:
                outcomes[target] = str(refusal.status)

        threads = [threading.Thread(target=change, args=(target,)) for target in ("paid", "cancelled")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        # Then exactly one won, the other got 409, and the order has the winner's status
        assert sorted(outcomes.values()) == ["409", "won"]
        winner = next(target for target, outcome in outcomes.items() if outcome == "won")
        assert orders.get(order_id)["status"] == winner  # type: ignore[index]


def test_a_refused_change_reports_the_current_status_without_a_second_read(orders: store.OrdersTable) -> None:
    order_id = new_order(orders)
    orders.change_status(order_id, "cancelled", allowed_from=["pending"], now=AT)
    calls: list[str] = []
    orders.client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    with pytest.raises(logic.ApiError) as refused:
        orders.change_status(order_id, "paid", allowed_from=["pending"], now=AT)
    assert refused.value.message == "an order that is cancelled cannot become paid"
    assert calls == ["UpdateItem"]


def test_a_change_of_a_missing_order_is_404_and_creates_nothing(orders: store.OrdersTable) -> None:
    missing = logic.new_order_id()
    with pytest.raises(logic.ApiError) as refused:
        orders.change_status(missing, "paid", allowed_from=["pending"], now=AT)
    assert refused.value.status == 404
    assert orders.get(missing) is None


def test_create_never_overwrites_an_order(orders: store.OrdersTable) -> None:
    order_id = new_order(orders)
    orders.change_status(order_id, "paid", allowed_from=["pending"], now=AT)
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="ConditionalCheckFailed"):
        orders.create({"order_id": order_id, "user_id": "mallory", "amount": Decimal(1), "status": "pending"})
    assert orders.get(order_id)["user_id"] == "alice"  # type: ignore[index]


def test_the_index_query_reads_one_user_newest_first(orders: store.OrdersTable) -> None:
    older = new_order(orders, created_at="2026-05-01T12:00:00.000000Z")
    newer = new_order(orders, created_at="2026-05-01T12:00:01.000000Z")
    new_order(orders, user_id="bob")
    page = orders.list_for_user("alice", limit=10, start_key=None)
    assert [item["order_id"] for item in page.items] == [newer, older]
    assert page.next_key is None
    assert page.items[0]["amount"] == Decimal("1.50")


def test_only_strings_and_finite_decimals_are_stored(orders: store.OrdersTable) -> None:
    with pytest.raises(TypeError):
        orders.create({"order_id": logic.new_order_id(), "amount": 1.5})
    with pytest.raises(TypeError):
        orders.create({"order_id": logic.new_order_id(), "amount": Decimal("NaN")})


def test_the_index_name_is_the_one_the_test_table_has() -> None:
    from scripts.serverless_api.orders_table import USER_INDEX

    assert store.USER_INDEX == USER_INDEX
