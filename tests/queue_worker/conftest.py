"""Offline fixtures for the queue-worker tests: moto for DynamoDB/SQS, a fake Lambda context,
and a moto 'deployment' of the lab (a CloudFormation stack named QueueWorker with its outputs)
for the learner scripts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from moto import mock_aws

from queue_worker import store
from scripts.queue_worker.readings_table import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA, create_readings_table
from tests.harness import fake_lambda_context

REGION = "us-east-1"


@pytest.fixture
def context() -> LambdaContext:
    # Duck-typed: the handler only reads the attributes above.
    return fake_lambda_context("QueueWorker-Worker", region=REGION)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[None]:
    """Fake credentials and moto; nothing leaves the machine."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    store.default_client.cache_clear()
    with mock_aws():
        yield
    store.default_client.cache_clear()


@pytest.fixture
def table_name(aws: None) -> str:
    """A table with the stack's key schema (Zipcode + ObservedAt)."""
    return create_readings_table(boto3.client("dynamodb", region_name=REGION), "ReadingsTable")


def all_items(table_name: str) -> list[dict[str, Any]]:
    """Every item, as plain strings (a Scan is fine for a test table of a few items)."""
    client = boto3.client("dynamodb", region_name=REGION)
    items = client.scan(TableName=table_name)["Items"]
    return sorted(
        ({name: next(iter(value.values())) for name, value in item.items()} for item in items),
        key=lambda item: (item["Zipcode"], item["ObservedAt"]),
    )


# A stand-in for the deployed stack: the two resources and outputs the scripts read.
TEMPLATE = {
    "Resources": {
        "Queue": {"Type": "AWS::SQS::Queue"},
        "Table": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": KEY_SCHEMA,
                "AttributeDefinitions": ATTRIBUTE_DEFINITIONS,
            },
        },
    },
    "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}, "TableName": {"Value": {"Ref": "Table"}}},
}


@pytest.fixture
def session(fake_aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        yield boto3.Session(region_name=REGION)


@pytest.fixture
def deployed(session: Any) -> dict[str, str]:
    """Creates the stack; returns its outputs."""
    cloudformation = session.client("cloudformation")
    cloudformation.create_stack(StackName="QueueWorker", TemplateBody=json.dumps(TEMPLATE))
    outputs = cloudformation.describe_stacks(StackName="QueueWorker")["Stacks"][0]["Outputs"]
    return {output["OutputKey"]: output["OutputValue"] for output in outputs}
