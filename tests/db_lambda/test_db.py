"""db.Database against a real MariaDB: the SQL, the reused connection, reconnects, timeouts, TLS."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pymysql
import pytest

from db_lambda import db
from stacks.config import REPO_ROOT
from stacks.db_lambda.pymysql_layer import CA_BUNDLE_NAME
from tests.db_lambda.conftest import APP_USER, DATABASE, all_users, app_connection_ids, kill_app_connections
from tests.db_lambda.mariadb import MariaDB


def test_a_user_round_trips_and_the_table_is_created_on_first_use(database: db.Database, mariadb: MariaDB) -> None:
    # Given a database without the users table
    before = datetime.now(UTC) - timedelta(seconds=5)
    # When a user is added and read back by id
    added = database.add_user("Ravi", "ravi@example.com")
    found = database.get_user(added.user_id)
    # Then both are the stored row, with a UTC creation time
    assert found == added
    assert (added.name, added.email) == ("Ravi", "ravi@example.com")
    assert before <= added.created_at <= datetime.now(UTC) + timedelta(seconds=5)
    assert all_users(mariadb) == [(added.user_id, "Ravi", "ravi@example.com")]


def test_names_beyond_the_basic_multilingual_plane_are_stored_intact(database: db.Database) -> None:
    # Given a name with accents, CJK and a 4-byte emoji (utf8mb4, not MySQL's 3-byte utf8)
    name = "Zoë 張偉 🚀"
    # When it is stored and read back
    added = database.add_user(name, "zoe@example.com")
    # Then it is the same text
    assert database.get_user(added.user_id) == added
    assert added.name == name


def test_an_injection_attempt_is_stored_as_data_and_finds_nothing(database: db.Database, mariadb: MariaDB) -> None:
    # Given one user, and values written to break out of a quoted string
    database.add_user("Ravi", "ravi@example.com")
    hostile_name = "x'); DROP TABLE users; --"
    # When the hostile value is stored and used as a filter, with a tautology too
    stored = database.add_user(hostile_name, "bobby@example.com")
    tautology = database.list_users(limit=10, name="' OR '1'='1")
    # Then the table still exists, the value is stored verbatim, and the tautology matches no row
    assert [row[1] for row in all_users(mariadb)] == ["Ravi", hostile_name]
    assert database.list_users(limit=10, name=hostile_name) == [stored]
    assert tautology == []


def test_a_second_user_with_the_same_email_is_refused(database: db.Database) -> None:
    # Given a user
    database.add_user("Ravi", "ravi@example.com")
    # When another one is added with the same email
    # Then the unique key refuses it
    with pytest.raises(db.DuplicateEmailError, match="exists already"):
        database.add_user("Other Ravi", "ravi@example.com")


def test_list_users_is_limited_and_ordered_and_a_missing_user_is_none(database: db.Database) -> None:
    # Given three users
    ids = [database.add_user(f"User {n}", f"user{n}@example.com").user_id for n in range(3)]
    # When two are listed and an unknown id is read
    listed = database.list_users(limit=2)
    # Then the first two come back, and the unknown id is None
    assert [user.user_id for user in listed] == ids[:2]
    assert database.get_user(max(ids) + 1000) is None


def test_the_connection_is_made_once_and_reused(database: db.Database, mariadb: MariaDB) -> None:
    # Given a first query (the connection is made lazily, here)
    assert app_connection_ids(mariadb) == []
    database.add_user("Ravi", "ravi@example.com")
    first = app_connection_ids(mariadb)
    # When more queries follow
    database.list_users(limit=5)
    database.get_user(1)
    # Then they ran on the same server-side connection
    assert len(first) == 1
    assert app_connection_ids(mariadb) == first
    assert database.connections_made == 1


def test_a_connection_killed_server_side_is_made_again_on_next_use(database: db.Database, mariadb: MariaDB) -> None:
    # Given a connection in use, then killed by the server (KILL <id>, as a failover or idle timeout does)
    added = database.add_user("Ravi", "ravi@example.com")
    killed = kill_app_connections(mariadb)
    # When the next query runs
    found = database.get_user(added.user_id)
    # Then it succeeds on a new connection
    assert found == added
    assert len(killed) == 1
    assert app_connection_ids(mariadb) not in ([], killed)
    assert database.connections_made == 2


def test_rows_written_elsewhere_are_visible_on_the_reused_connection(database: db.Database, mariadb: MariaDB) -> None:
    # Given a reused connection that has read the table once (with autocommit off, this would pin a snapshot)
    database.add_user("Ravi", "ravi@example.com")
    assert len(database.list_users(limit=10)) == 1
    # When another client adds a row
    with mariadb.root(DATABASE) as root, root.cursor() as cursor:
        cursor.execute("INSERT INTO users (name, email, created_at) VALUES ('Asha', 'asha@example.com', NOW())")
    # Then the reused connection sees it
    assert [user.name for user in database.list_users(limit=10)] == ["Ravi", "Asha"]


def test_a_rotated_password_is_fetched_again_once(
    settings: db.ConnectionSettings, mariadb: MariaDB, app_user: db.Credentials
) -> None:
    # Given credentials whose cached password is stale: the server's password was rotated
    new = dataclasses.replace(app_user, password="rotated-" + app_user.password)
    with mariadb.root() as root, root.cursor() as cursor:
        cursor.execute(f"ALTER USER '{APP_USER}'@'127.0.0.1' IDENTIFIED BY %s", (new.password,))
    asked: list[bool] = []

    def credentials(refresh: bool) -> db.Credentials:
        asked.append(refresh)
        return new if refresh else app_user

    database = db.Database(settings, credentials)
    # When the first query runs
    try:
        database.add_user("Ravi", "ravi@example.com")
    finally:
        database.close()
    # Then the secret was read from cache, refused, and read afresh exactly once
    assert asked == [False, True]


def test_a_wrong_password_is_a_one_line_error_without_the_password(
    settings: db.ConnectionSettings, app_user: db.Credentials
) -> None:
    # Given credentials the server refuses, even after a refresh
    wrong = dataclasses.replace(app_user, password="not-the-password-" + "x" * 8)
    database = db.Database(settings, lambda refresh: wrong)
    # When a query runs
    with pytest.raises(db.DatabaseUnavailableError) as raised:
        database.list_users(limit=1)
    # Then the error says access was denied, on one line, and does not show the password
    message = str(raised.value)
    assert "(1045) Access denied for user 'app'" in message
    assert "\n" not in message
    assert wrong.password not in message
    assert wrong.password not in repr(wrong)


def test_the_connection_is_encrypted(database: db.Database) -> None:
    # Given the function's connection (the server also refuses unencrypted TCP logins)
    connection = database.connection()
    # When the session's TLS status is read
    with connection.cursor() as cursor:
        cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_version'")
        row = cursor.fetchone()
    # Then it is TLS 1.2 or newer
    assert row is not None
    assert row[1] in ("TLSv1.2", "TLSv1.3")


def test_the_rds_ca_bundle_refuses_a_server_whose_certificate_it_does_not_trust(
    settings: db.ConnectionSettings, app_user: db.Credentials
) -> None:
    # Given the CA bundle the layer ships (RDS and Amazon roots), and a server whose
    # certificate comes from the tests' own CA: a database that is not the one AWS certified
    bundle = REPO_ROOT / "build" / "pymysql-layer" / CA_BUNDLE_NAME
    database = db.Database(dataclasses.replace(settings, ca_file=str(bundle)), lambda refresh: app_user)
    # When it connects
    # Then it refuses the server
    with pytest.raises(
        db.DatabaseUnavailableError, match=r"cannot connect to 127\.0\.0\.1:\d+: .*CERTIFICATE_VERIFY_FAILED"
    ):
        database.list_users(limit=1)


def test_a_slow_query_hits_the_read_timeout(settings: db.ConnectionSettings, app_user: db.Credentials) -> None:
    # Given a connection with a short read timeout
    connection = db.open_connection(dataclasses.replace(settings, read_timeout_s=0.5), app_user)
    started = time.monotonic()
    # When a query takes longer than that
    # Then the client gives up after about the timeout, not when the query ends
    try:
        with pytest.raises(pymysql.err.OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT SLEEP(5)")
    finally:
        connection.close()
    assert time.monotonic() - started < 3


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (a hung database)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.fixture
def unreachable_port() -> Iterator[int]:
    """A port whose connects hang, as to a host whose packets are dropped: a full accept queue.

    Linux drops a SYN to a listener whose backlog is full, and a backlog of 0 is full after one
    connection that nobody accepts. Loopback only.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname(), timeout=1)
    yield listener.getsockname()[1]
    filler.close()
    listener.close()


def test_a_host_that_drops_packets_hits_the_connect_timeout(
    settings: db.ConnectionSettings, app_user: db.Credentials, unreachable_port: int
) -> None:
    # Given a database port whose TCP connects never complete, and a short connect timeout
    target = dataclasses.replace(settings, port=unreachable_port, connect_timeout_s=0.5)
    database = db.Database(target, lambda refresh: app_user)
    started = time.monotonic()
    # When a query runs
    # Then it fails after about the connect timeout (not the read timeout) with a one-line reason
    with pytest.raises(db.DatabaseUnavailableError, match=f"cannot connect to 127.0.0.1:{unreachable_port}"):
        database.list_users(limit=1)
    assert time.monotonic() - started < 3


def test_a_server_that_never_answers_the_handshake_hits_the_read_timeout(
    settings: db.ConnectionSettings, app_user: db.Credentials, silent_server: int
) -> None:
    # Given a database that accepts TCP but never speaks MySQL, and a short read timeout
    # (pymysql bounds the handshake by the read timeout, not the connect timeout)
    target = dataclasses.replace(settings, port=silent_server, read_timeout_s=0.5)
    database = db.Database(target, lambda refresh: app_user)
    started = time.monotonic()
    # When a query runs
    # Then it fails after about the read timeout with a one-line reason
    with pytest.raises(db.DatabaseUnavailableError, match=f"cannot connect to 127.0.0.1:{silent_server}"):
        database.list_users(limit=1)
    assert time.monotonic() - started < 3
