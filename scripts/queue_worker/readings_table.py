"""The readings table's key schema, for moto stand-ins of the deployed table.

The stack (stacks/queue_worker.py) defines the real table; the handler tests, the
script tests and the benchmark create a moto table with this same schema.
"""

from __future__ import annotations

from typing import Any

KEY_SCHEMA = [
    {"AttributeName": "Zipcode", "KeyType": "HASH"},
    {"AttributeName": "ObservedAt", "KeyType": "RANGE"},
]
ATTRIBUTE_DEFINITIONS = [
    {"AttributeName": "Zipcode", "AttributeType": "S"},
    {"AttributeName": "ObservedAt", "AttributeType": "S"},
]


def create_readings_table(dynamodb_client: Any, name: str) -> str:
    """Creates an on-demand table shaped like the lab's; returns its name."""
    dynamodb_client.create_table(
        TableName=name,
        KeySchema=KEY_SCHEMA,
        AttributeDefinitions=ATTRIBUTE_DEFINITIONS,
        BillingMode="PAY_PER_REQUEST",
    )
    return name
