"""handler.lambda_handler end to end: moto's Secrets Manager -> pymysql -> a real MariaDB."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from db_lambda import db, handler
from tests.db_lambda.conftest import APP_USER, REGION, all_users, app_connection_ids, kill_app_connections
from tests.db_lambda.mariadb import MariaDB


def invoke(event: Any, context: LambdaContext) -> tuple[int, Any]:
    response = handler.lambda_handler(event, context)
    return response["statusCode"], json.loads(response["body"])


def test_a_write_then_a_read_round_trips(deployed: db.ConnectionSettings, context: LambdaContext) -> None:
    # Given the deployed function's environment and secret
    # When a user is added, then read back by its id, then listed
    status, added = invoke({"action": "add_user", "name": "Ravi", "email": "ravi@example.com"}, context)
    read_status, read = invoke({"action": "get_user", "user_id": added["user_id"]}, context)
    list_status, listed = invoke({"action": "list_users"}, context)
    # Then the write is 201 and the reads return the same user
    assert (status, read_status, list_status) == (201, 200, 200)
    assert read == added
    assert listed == {"users": [added]}
    assert added["name"] == "Ravi"
    assert added["created_at"].endswith("Z")


def test_invocations_reuse_one_connection_until_the_server_drops_it(
    deployed: db.ConnectionSettings, context: LambdaContext, fresh_database: MariaDB
) -> None:
    # Given two invocations in one execution environment
    _, added = invoke({"action": "add_user", "name": "Ravi", "email": "ravi@example.com"}, context)
    invoke({"action": "list_users"}, context)
    first = app_connection_ids(fresh_database)
    # When the server kills that connection (KILL <id>) and the function is invoked again
    kill_app_connections(fresh_database)
    status, read = invoke({"action": "get_user", "user_id": added["user_id"]}, context)
    # Then the first two shared one connection, and the third still works, on a new one
    assert len(first) == 1
    assert (status, read) == (200, added)
    assert app_connection_ids(fresh_database) not in ([], first)
    assert handler.database().connections_made == 2


def test_a_rotated_password_is_picked_up_from_the_secret(
    deployed: db.ConnectionSettings, context: LambdaContext, fresh_database: MariaDB, secret_arn: str
) -> None:
    # Given a warm function whose cached password RDS then rotated (server and secret), dropping connections
    assert invoke({"action": "list_users"}, context)[0] == 200
    new_password = "rotated-password-0123456789"
    with fresh_database.root() as root, root.cursor() as cursor:
        cursor.execute(f"ALTER USER '{APP_USER}'@'127.0.0.1' IDENTIFIED BY %s", (new_password,))
    secrets_client = boto3.client("secretsmanager", region_name=REGION)
    secrets_client.put_secret_value(
        SecretId=secret_arn, SecretString=json.dumps({"username": APP_USER, "password": new_password})
    )
    kill_app_connections(fresh_database)
    # When it is invoked again
    status, body = invoke({"action": "list_users"}, context)
    # Then it reconnects with the new password
    assert (status, body) == (200, {"users": []})


def test_an_injection_attempt_through_the_event_is_stored_as_data(
    deployed: db.ConnectionSettings, context: LambdaContext, fresh_database: MariaDB
) -> None:
    # Given a user, and an event whose name tries to end the statement and drop the table
    invoke({"action": "add_user", "name": "Ravi", "email": "ravi@example.com"}, context)
    hostile = "Robert'); DROP TABLE users; --"
    # When it is added, and a tautology is used as a filter
    status, _ = invoke({"action": "add_user", "name": hostile, "email": "bobby@example.com"}, context)
    _, found = invoke({"action": "list_users", "name": "x' OR '1'='1"}, context)
    # Then the table holds both names verbatim and the tautology finds nothing
    assert status == 201
    assert [row[1] for row in all_users(fresh_database)] == ["Ravi", hostile]
    assert found == {"users": []}


def test_an_unknown_user_is_a_404(deployed: db.ConnectionSettings, context: LambdaContext) -> None:
    assert invoke({"action": "get_user", "user_id": 999}, context) == (404, {"message": "no user with user_id 999"})


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"action": "get_user", "user_id": "999"}, "user_id must be an integer, not a string"),
        ({"action": "nope"}, "action must be one of: add_user, get_user, list_users"),
        ("list_users", "the event must be a JSON object with an 'action'"),
    ],
)
def test_a_bad_request_is_a_400_before_any_secret_or_database_call(
    context: LambdaContext, event: Any, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a function with no settings at all (touching the secret or database would raise)
    for variable in (handler.HOST_VARIABLE, handler.NAME_VARIABLE, handler.SECRET_VARIABLE):
        monkeypatch.delenv(variable, raising=False)
    handler.database.cache_clear()
    # When it gets a bad event
    # Then it answers 400 naming the problem
    assert invoke(event, context) == (400, {"message": message})


def test_a_duplicate_email_is_a_409(deployed: db.ConnectionSettings, context: LambdaContext) -> None:
    # Given a user
    invoke({"action": "add_user", "name": "Ravi", "email": "ravi@example.com"}, context)
    # When another is added with the same email in other case
    # Then it is a conflict
    assert invoke({"action": "add_user", "name": "R", "email": "RAVI@example.com"}, context) == (
        409,
        {"message": "a user with this email exists already"},
    )


def test_an_unreachable_database_is_a_503_that_does_not_leak_the_reason(
    deployed: db.ConnectionSettings,
    context: LambdaContext,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a function pointed at a port where no database listens
    monkeypatch.setenv(handler.PORT_VARIABLE, "1")
    handler.database.cache_clear()
    # When it is invoked
    status, body = invoke({"action": "list_users"}, context)
    # Then the caller gets a generic 503 and the log has the reason
    assert (status, body) == (503, {"message": "the database is unavailable; try again later"})
    reasons = [str(getattr(record, "reason", "")) for record in caplog.records]
    assert any(reason.startswith("cannot connect to 127.0.0.1:1: (2003)") for reason in reasons)


def test_an_unreadable_secret_is_a_503(
    deployed: db.ConnectionSettings, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a function whose secret does not exist
    monkeypatch.setenv(handler.SECRET_VARIABLE, "rds!gone")
    handler.database.cache_clear()
    # When it is invoked
    # Then it answers 503
    assert invoke({"action": "list_users"}, context)[0] == 503


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DB_HOST", "", "environment variable(s) not set: DB_HOST"),
        ("DB_PORT", "33o6", "DB_PORT must be a port number 1-65535, not '33o6'"),
        (
            "DB_CA_FILE",
            "/nonexistent/ca.pem",
            "DB_CA_FILE='/nonexistent/ca.pem' is not a file: the RDS CA bundle ships in the pymysql layer "
            "as /opt/rds-ca-bundle.pem (make pymysql-layer builds it)",
        ),
    ],
)
def test_a_missing_or_bad_setting_is_a_one_line_configuration_error(variable: str, value: str, message: str) -> None:
    environ = {"DB_HOST": "db", "DB_NAME": "myapp", "DB_SECRET_ARN": "arn", variable: value}
    with pytest.raises(handler.MissingConfigurationError) as raised:
        handler.load_settings(environ)
    assert str(raised.value) == message
