"""The Orders table's key schema and index, for moto stand-ins of the deployed table.

The stack defines the real table (a test checks it matches); the handler tests, the local
API and the benchmark create a moto table with this same shape.
"""

from __future__ import annotations

from typing import Any

USER_INDEX = "ByUser"  # the name lambda_src/orders_api/store.py queries (a test checks they agree)
KEY_SCHEMA = [{"AttributeName": "order_id", "KeyType": "HASH"}]
USER_INDEX_KEY_SCHEMA = [
    {"AttributeName": "user_id", "KeyType": "HASH"},
    {"AttributeName": "created_at", "KeyType": "RANGE"},
]
ATTRIBUTE_DEFINITIONS = [
    {"AttributeName": name, "AttributeType": "S"} for name in ("order_id", "user_id", "created_at")
]


def create_orders_table(dynamodb_client: Any, name: str) -> str:
    """Creates an on-demand table shaped like the lab's, index included; returns its name."""
    dynamodb_client.create_table(
        TableName=name,
        KeySchema=KEY_SCHEMA,
        AttributeDefinitions=ATTRIBUTE_DEFINITIONS,
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {"IndexName": USER_INDEX, "KeySchema": USER_INDEX_KEY_SCHEMA, "Projection": {"ProjectionType": "ALL"}}
        ],
    )
    return name
