"""Fixtures for the db-lambda tests: one private MariaDB for the session, moto for Secrets Manager.

The SQL runs against a real server (MariaDB from Debian's packages), never a mock of pymysql.
When MariaDB is not installed the `mariadb` fixture FAILS (never skips) with a one-line
message saying how to install it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import boto3
import pymysql
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from moto import mock_aws

from db_lambda import db, handler
from db_lambda import secrets as db_secrets
from tests.db_lambda import mariadb as mariadb_server
from tests.harness import fake_lambda_context

REGION = "us-east-1"
DATABASE = "myapp"  # the guide's database name
APP_USER = "app"
_startup_report: list[str] = []


@pytest.fixture(scope="session")
def mariadb() -> Iterator[mariadb_server.MariaDB]:
    """A private MariaDB server with the guide's database and an application user; stopped at the end."""
    try:
        server: mariadb_server.MariaDB | None = mariadb_server.start()
        reason = ""
    except mariadb_server.MariaDBUnavailableError as error:
        server, reason = None, str(error)
    if server is None:  # failed outside the except block, so pytest prints the one line only
        pytest.fail(reason, pytrace=False)
    timings = server.timings
    _startup_report.append(
        f"db_lambda: private MariaDB {server.version} ready in {timings.total_s:.1f} s "
        f"(mariadb-install-db {timings.install_db_s:.1f} s, mariadbd {timings.server_s:.1f} s)"
    )
    try:
        with server.root() as root, root.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_user(mariadb: mariadb_server.MariaDB) -> db.Credentials:
    """A password user with the rights the function needs on `myapp` only (no DROP, no other database)."""
    credentials = db.Credentials(username=APP_USER, password=secrets.token_urlsafe(18))
    with mariadb.root() as root, root.cursor() as cursor:
        cursor.execute(f"CREATE USER '{APP_USER}'@'127.0.0.1' IDENTIFIED BY %s", (credentials.password,))
        cursor.execute(f"GRANT CREATE, SELECT, INSERT ON {DATABASE}.* TO '{APP_USER}'@'127.0.0.1'")
    return credentials


@pytest.fixture
def fresh_database(mariadb: mariadb_server.MariaDB, app_user: db.Credentials) -> Iterator[mariadb_server.MariaDB]:
    """No `users` table yet (the code creates it) and the app user's own password; nothing left open after."""
    with mariadb.root() as root, root.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {DATABASE}.users")
        cursor.execute(f"ALTER USER '{APP_USER}'@'127.0.0.1' IDENTIFIED BY %s", (app_user.password,))
    yield mariadb
    kill_app_connections(mariadb)


@pytest.fixture
def settings(fresh_database: mariadb_server.MariaDB, monkeypatch: pytest.MonkeyPatch) -> db.ConnectionSettings:
    """Settings as the function gets them, with the test CA in place of the RDS CA bundle."""
    return db.ConnectionSettings(
        host=fresh_database.host, port=fresh_database.port, database=DATABASE, ca_file=str(fresh_database.ca_file)
    )


@pytest.fixture
def database(settings: db.ConnectionSettings, app_user: db.Credentials) -> Iterator[db.Database]:
    target = db.Database(settings, lambda refresh: app_user)
    yield target
    target.close()


def app_connection_ids(server: mariadb_server.MariaDB) -> list[int]:
    with server.root() as root, root.cursor() as cursor:
        cursor.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = %s ORDER BY ID", (APP_USER,))
        return [int(row[0]) for row in cursor.fetchall()]


def kill_app_connections(server: mariadb_server.MariaDB) -> list[int]:
    """Server-side KILL of every application connection, as a failover or idle timeout would drop them."""
    ids = app_connection_ids(server)
    with server.root() as root, root.cursor() as cursor:
        for connection_id in ids:
            with suppress(pymysql.err.OperationalError):  # it ended on its own in the meantime
                cursor.execute("KILL %s", (connection_id,))
    return ids


def all_users(server: mariadb_server.MariaDB) -> list[tuple[Any, ...]]:
    """The table's rows as root reads them: (id, name, email)."""
    with server.root(DATABASE) as root, root.cursor() as cursor:
        cursor.execute("SELECT id, name, email FROM users ORDER BY id")
        return list(cursor.fetchall())


# --- the handler: moto's Secrets Manager holds the RDS-managed secret's JSON ---


@pytest.fixture
def context() -> LambdaContext:
    return fake_lambda_context("DbLambda-Function", region=REGION)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    db_secrets.default_client.cache_clear()
    db_secrets.clear_cache()
    with mock_aws():
        yield
    db_secrets.default_client.cache_clear()
    db_secrets.clear_cache()


@pytest.fixture
def secret_arn(aws: None, app_user: db.Credentials) -> str:
    """The RDS-managed secret's shape: username and password only (no host)."""
    client = boto3.client("secretsmanager", region_name=REGION)
    value = json.dumps({"username": app_user.username, "password": app_user.password})
    arn: str = client.create_secret(Name="rds!db-0123", SecretString=value)["ARN"]
    return arn


@pytest.fixture
def deployed(
    settings: db.ConnectionSettings, secret_arn: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[db.ConnectionSettings]:
    """The function's environment as the stack sets it; a fresh execution environment per test."""
    monkeypatch.setenv(handler.HOST_VARIABLE, settings.host)
    monkeypatch.setenv(handler.PORT_VARIABLE, str(settings.port))
    monkeypatch.setenv(handler.NAME_VARIABLE, settings.database)
    monkeypatch.setenv(handler.SECRET_VARIABLE, secret_arn)
    monkeypatch.setenv(handler.CA_FILE_VARIABLE, settings.ca_file)
    handler.database.cache_clear()
    yield settings
    if handler.database.cache_info().currsize:
        handler.database().close()
    handler.database.cache_clear()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _startup_report:
        terminalreporter.write_line(line)
