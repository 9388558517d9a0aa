"""The only module that talks to AWS: the Orders table and its by-user index in DynamoDB.

Table (the guide's `Orders`): partition key `order_id`. Index `ByUser`: partition key
`user_id`, sort key `created_at`, all attributes projected, for "a user's orders, newest
first" without a Scan.

Every change of an existing order is one conditional write: DynamoDB checks the current
status and writes in one step, so two concurrent PATCHes cannot both succeed (a
read-then-write would let both read "pending" and both write). When the condition fails,
`ReturnValuesOnConditionCheckFailure` returns the item as it is, which tells a missing
order (404) from one in the wrong status (409) without a second read.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

from orders_api import logic

USER_INDEX = "ByUser"
# Well inside API Gateway's 29 s: a slow DynamoDB call fails the request instead of hanging it.
_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=3, retries={"mode": "standard", "total_max_attempts": 3})


@functools.cache
def default_client() -> Any:
    """Created on first use, not at import: importing the handler needs no credentials or region.

    botocore, not boto3: boto3 would add its own import time (it loads s3transfer) to every
    cold start, for nothing this module uses.
    """
    return _session().create_client("dynamodb", config=_CLIENT_CONFIG)


@functools.cache
def _session() -> Any:
    # One session per process: it caches the service model, so a second client (tests make
    # one per test) costs a few milliseconds instead of reloading the model from disk.
    return botocore.session.get_session()


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_key: dict[str, str] | None


class OrdersTable:
    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table_name = table_name
        self.client = client if client is not None else default_client()

    def create(self, item: Mapping[str, Any]) -> None:
        # A fresh UUID never collides in practice; the condition makes sure it never overwrites.
        self.client.put_item(
            TableName=self.table_name,
            Item=_to_attributes(item),
            ConditionExpression="attribute_not_exists(order_id)",
        )

    def get(self, order_id: str) -> dict[str, Any] | None:
        response = self.client.get_item(TableName=self.table_name, Key=_key(order_id), ConsistentRead=True)
        return _from_attributes(response["Item"]) if "Item" in response else None

    def list_for_user(self, user_id: str, *, limit: int, start_key: Mapping[str, str] | None) -> Page:
        """One page of a user's orders, newest first.

        Asks for one item more than the page: if it comes, there is a next page, and the token
        points after the page's last item. (DynamoDB's own LastEvaluatedKey is also set when
        the page happens to end exactly at the last item, which would cost the caller an
        empty extra page.)
        """
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": USER_INDEX,
            "KeyConditionExpression": "user_id = :user_id",
            "ExpressionAttributeValues": {":user_id": {"S": user_id}},
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        if start_key is not None:
            request["ExclusiveStartKey"] = _to_attributes(start_key)
        items: list[dict[str, Any]] = []
        while True:
            response = self.client.query(**request)
            items += [_from_attributes(item) for item in response["Items"]]
            # A Query stops at 1 MB of data read even when fewer than Limit items matched, and
            # says so only with LastEvaluatedKey: an empty or short response with that key is
            # not the end of the user's orders. Go on from there for the items still missing.
            # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
            if len(items) > limit or "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
            request["Limit"] = limit + 1 - len(items)
        if len(items) <= limit:
            return Page(items, None)
        last = items[limit - 1]
        return Page(items[:limit], {name: last[name] for name in ("user_id", "created_at", "order_id")})

    def change_status(self, order_id: str, target: str, *, allowed_from: Iterable[str], now: str) -> dict[str, Any]:
        """Moves the order to `target` if its status is one of `allowed_from`; returns the new item."""
        sources = list(allowed_from)
        values = {f":from{index}": status for index, status in enumerate(sources)}
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=_key(order_id),
                UpdateExpression="SET #status = :target, updated_at = :now",
                ConditionExpression=f"#status IN ({', '.join(values)})",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=_to_attributes({**values, ":target": target, ":now": now}),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            current = _failed_condition_item(error)
            raise logic.transition_refused(current["status"], target) from None
        return _from_attributes(response["Attributes"])

    def delete(self, order_id: str, *, deletable: Iterable[str]) -> None:
        values = {f":status{index}": status for index, status in enumerate(deletable)}
        try:
            self.client.delete_item(
                TableName=self.table_name,
                Key=_key(order_id),
                ConditionExpression=f"#status IN ({', '.join(values)})",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=_to_attributes(values),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            current = _failed_condition_item(error)
            raise logic.deletion_refused(current["status"]) from None


def _failed_condition_item(error: ClientError) -> dict[str, Any]:
    """The item as it was when a condition failed; 404 if there is none; re-raises other errors."""
    if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
        raise error
    item = error.response.get("Item")
    if not item:
        raise logic.order_not_found() from None
    return _from_attributes(item)


def _key(order_id: str) -> dict[str, dict[str, str]]:
    return {"order_id": {"S": order_id}}


def _to_attributes(values: Mapping[str, Any]) -> dict[str, Any]:
    """DynamoDB's typed form of the two kinds of value an order has: strings and exact numbers."""
    typed: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            typed[name] = {"S": value}
        elif isinstance(value, Decimal) and value.is_finite():
            typed[name] = {"N": str(value)}
        else:
            raise TypeError(f"{name}: only str and finite Decimal values are stored, not {type(value).__name__}")
    return typed


def _from_attributes(item: Mapping[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = {}
    for name, typed in item.items():
        ((kind, value),) = typed.items()
        if kind not in ("S", "N"):
            raise TypeError(f"{name}: unexpected DynamoDB type {kind}")
        plain[name] = Decimal(value) if kind == "N" else value
    return plain
