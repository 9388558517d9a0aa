"""OrdersTable.list_for_user follows LastEvaluatedKey when DynamoDB cuts a Query short.

A single Query returns at most 1 MB of data, then stops with a LastEvaluatedKey even when
fewer than Limit items matched; only a response without LastEvaluatedKey is the end
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html).
moto never cuts a page short, so a scripted client plays DynamoDB here.
"""

from __future__ import annotations

from typing import Any

from orders_api.store import OrdersTable


def order(number: int) -> dict[str, Any]:
    created = f"2026-05-01T12:00:{59 - number:02d}Z"  # newest first
    return {
        "order_id": {"S": f"order-{number}"},
        "user_id": {"S": "user-42"},
        "created_at": {"S": created},
        "status": {"S": "pending"},
        "amount": {"N": "25.5"},
    }


def key_of(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in ("order_id", "user_id", "created_at")}


class ShortPagesClient:
    """Answers each Query with at most `per_response` items and a LastEvaluatedKey while more remain."""

    def __init__(self, items: list[dict[str, Any]], per_response: int) -> None:
        self.items = items
        self.per_response = per_response
        self.requests: list[dict[str, Any]] = []

    def query(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        start = 0
        if "ExclusiveStartKey" in request:
            start = [key_of(item) for item in self.items].index(request["ExclusiveStartKey"]) + 1
        count = min(self.per_response, request["Limit"])
        page = self.items[start : start + count]
        response: dict[str, Any] = {"Items": page, "Count": len(page)}
        if start + count < len(self.items):
            response["LastEvaluatedKey"] = key_of(self.items[start + count - 1])
        return response


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["order_id"] for item in items]


def test_a_page_cut_short_by_the_1_mb_limit_is_completed_from_last_evaluated_key() -> None:
    # Given 7 orders, and a DynamoDB that returns 2 per Query (as if each were ~400 KB)
    client = ShortPagesClient([order(number) for number in range(7)], per_response=2)

    # When a page of 5 is asked for
    page = OrdersTable("Orders", client=client).list_for_user("user-42", limit=5, start_key=None)

    # Then the page holds 5 orders, and the token points after the fifth
    assert ids(page.items) == [f"order-{number}" for number in range(5)]
    assert page.next_key == {"user_id": "user-42", "created_at": "2026-05-01T12:00:55Z", "order_id": "order-4"}
    # and each follow-up Query started where the previous one stopped, asking only for what was missing
    assert [request.get("ExclusiveStartKey") for request in client.requests] == [
        None,
        key_of(order(1)),
        key_of(order(3)),
    ]
    assert [request["Limit"] for request in client.requests] == [6, 4, 2]


def test_a_short_response_with_last_evaluated_key_is_not_taken_for_the_last_page() -> None:
    # Given 3 orders returned one per Query
    client = ShortPagesClient([order(number) for number in range(3)], per_response=1)

    # When a page of 10 is asked for
    page = OrdersTable("Orders", client=client).list_for_user("user-42", limit=10, start_key=None)

    # Then all 3 come back, and there is no next page
    assert ids(page.items) == ["order-0", "order-1", "order-2"]
    assert page.next_key is None
    assert len(client.requests) == 3


def test_an_empty_response_with_last_evaluated_key_is_followed() -> None:
    # DynamoDB can return no items and a LastEvaluatedKey (the 1 MB read held nothing to return).
    items = [order(number) for number in range(2)]
    responses = [
        {"Items": [], "Count": 0, "LastEvaluatedKey": key_of(items[0])},
        {"Items": items[1:], "Count": 1},
    ]

    class Scripted:
        def __init__(self) -> None:
            self.requests: list[dict[str, Any]] = []

        def query(self, **request: Any) -> dict[str, Any]:
            self.requests.append(request)
            return responses[len(self.requests) - 1]

    page = OrdersTable("Orders", client=Scripted()).list_for_user("user-42", limit=5, start_key=None)

    assert ids(page.items) == ["order-1"]
    assert page.next_key is None
