"""secrets.get_credentials against moto's Secrets Manager: the RDS-managed secret's shape, caching, errors."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from db_lambda import db, secrets
from tests.db_lambda.conftest import REGION

RDS_SECRET = {"username": "admin", "password": "p@ss'word\"1"}


@pytest.fixture
def client(aws: None) -> Any:
    return boto3.client("secretsmanager", region_name=REGION)


def create(client: Any, value: Any, name: str = "rds!db-0123") -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    arn: str = client.create_secret(Name=name, SecretString=text)["ARN"]
    return arn


def test_the_rds_managed_secret_gives_username_and_password(client: Any) -> None:
    # Given a secret in the shape RDS manages (no host, no port)
    arn = create(client, RDS_SECRET)
    # When the function reads it through its default client
    credentials = secrets.get_credentials(arn)
    # Then it has the username and password
    assert credentials == db.Credentials(username="admin", password="p@ss'word\"1")


def test_older_secret_shapes_with_host_and_port_are_accepted(client: Any) -> None:
    # Given a secret as CDK's generated secrets write it (host, port, engine, dbname too)
    arn = create(client, {**RDS_SECRET, "host": "elsewhere", "port": 3306, "engine": "mysql", "dbname": "x"})
    # When it is read
    # Then only username and password are used (the host comes from the function's environment)
    assert secrets.get_credentials(arn) == db.Credentials("admin", "p@ss'word\"1")


def test_the_secret_is_read_once_and_again_only_when_asked(client: Any) -> None:
    # Given a secret read once, then rotated
    arn = create(client, RDS_SECRET)
    first = secrets.get_credentials(arn)
    client.put_secret_value(SecretId=arn, SecretString=json.dumps({**RDS_SECRET, "password": "new"}))
    # When it is asked for again, then asked for afresh
    cached = secrets.get_credentials(arn)
    refreshed = secrets.get_credentials(arn, refresh=True)
    # Then the cache answered until the refresh, which returns (and caches) the new password
    assert cached == first
    assert refreshed.password == "new"
    assert secrets.get_credentials(arn).password == "new"


def test_a_missing_secret_is_a_one_line_error_with_the_aws_error_code(client: Any) -> None:
    with pytest.raises(secrets.SecretError, match=r"^cannot read secret rds!missing: ResourceNotFoundException$"):
        secrets.get_credentials("rds!missing")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not json", "is not a JSON string"),
        ('["admin", "pw"]', "must be a JSON object with username and password"),
        ({"username": "admin"}, "has no non-empty string field(s): password"),
        ({"username": "", "password": 5}, "has no non-empty string field(s): username, password"),
    ],
)
def test_a_secret_in_another_shape_is_refused_without_showing_its_value(client: Any, value: Any, message: str) -> None:
    # Given a secret that is not a database credential
    arn = create(client, value)
    # When it is read
    with pytest.raises(secrets.SecretError) as raised:
        secrets.get_credentials(arn)
    # Then the error names the problem, not the value
    assert message in str(raised.value)
    assert "admin" not in str(raised.value)
