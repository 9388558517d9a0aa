"""A moto 'deployment' of the lab: a CloudFormation stack named QueueWorker with the lab's outputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from scripts.readings_table import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA

REGION = "us-east-1"
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
