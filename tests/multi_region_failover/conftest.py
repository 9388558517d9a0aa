"""Offline fixtures for the multi-region-failover tests: moto in both regions, the lab's table and
switches as the stacks create them, and the DNS stack's outputs as a deployed lab would have them."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from stacks.multi_region_failover import names

PRIMARY, SECONDARY = "us-east-1", "eu-west-1"
PRIMARY_ALB = "MultiR-LoadB-prim-111.us-east-1.elb.amazonaws.com"
SECONDARY_ALB = "MultiR-LoadB-seco-222.eu-west-1.elb.amazonaws.com"
RECORD = "www.failover-lab.example.com"
# The names the stacks give (stacks/multi_region_failover/names.py), for the function's own tests.
DOWN_PARAMETER, TABLE_NAME = names.DOWN_PARAMETER, names.TABLE_NAME


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", PRIMARY)
    with mock_aws():
        yield


@pytest.fixture
def deployed(aws: None) -> dict[str, str]:
    """The table in both regions (moto keeps no replication: each region's is its own), both
    regions' down switches at "false", a health check; returns the DNS stack's outputs."""
    for region in (PRIMARY, SECONDARY):
        boto3.client("dynamodb", region_name=region).create_table(
            TableName=names.TABLE_NAME,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        boto3.client("ssm", region_name=region).put_parameter(Name=names.DOWN_PARAMETER, Value="false", Type="String")
    health_check = boto3.client("route53").create_health_check(
        CallerReference="drill",
        HealthCheckConfig={
            "Type": "HTTP",
            "FullyQualifiedDomainName": PRIMARY_ALB,
            "Port": 80,
            "ResourcePath": "/health",
            "RequestInterval": 30,
            "FailureThreshold": 3,
        },
    )["HealthCheck"]
    return {
        names.OUTPUT_ZONE_ID: "Z0000000000000000000",
        names.OUTPUT_NAME_SERVERS: "ns-1.awsdns-01.org,ns-2.awsdns-02.co.uk",
        names.OUTPUT_RECORD: RECORD,
        names.OUTPUT_HEALTH_CHECK: health_check["Id"],
        names.OUTPUT_SCHEME: "http",
        names.OUTPUT_PRIMARY_REGION: PRIMARY,
        names.OUTPUT_SECONDARY_REGION: SECONDARY,
        names.OUTPUT_PRIMARY_ALB: PRIMARY_ALB,
        names.OUTPUT_SECONDARY_ALB: SECONDARY_ALB,
        names.OUTPUT_DOWN_PARAMETER: names.DOWN_PARAMETER,
        names.OUTPUT_TABLE: names.TABLE_NAME,
    }
