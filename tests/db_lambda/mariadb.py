"""A private MariaDB server for the db-lambda tests: its own data dir, socket and port, gone afterwards.

It runs as the current user from Debian's `mariadb-server` package (`make mariadb`), with
real authentication (no --skip-grant-tables) and TLS from a throw-away CA, and it requires
TLS on TCP, as RDS can: a client that does not encrypt cannot log in. Root logs in over the
unix socket without a password (the tests' admin); the application user logs in over TCP on
127.0.0.1 with a password, as the function does with RDS.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pymysql
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pymysql.connections import Connection
from pymysql.cursors import Cursor

INSTALL_HINT = "run `make mariadb` (or: sudo apt-get install -y --no-install-recommends mariadb-server)"
# Debian installs the server in /usr/sbin, which is not on a normal user's PATH.
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
_STARTUP_TIMEOUT_S = 60.0
_PORT_ATTEMPTS = 3
_CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)


class MariaDBUnavailableError(RuntimeError):
    """MariaDB is not installed or would not start; the message is one line and says what to do."""


@dataclass
class Timings:
    install_db_s: float = 0.0
    server_s: float = 0.0

    @property
    def total_s(self) -> float:
        return self.install_db_s + self.server_s


@dataclass
class MariaDB:
    """A running server: connect as root over `socket`, as applications over 127.0.0.1:`port` with TLS."""

    base: Path
    port: int
    version: str
    ca_file: Path
    process: subprocess.Popen[bytes]
    timings: Timings = field(default_factory=Timings)

    host = "127.0.0.1"

    @property
    def socket(self) -> Path:
        return self.base / "mysqld.sock"

    def root(self, database: str | None = None) -> Connection[Cursor]:
        return pymysql.connect(
            unix_socket=str(self.socket), user="root", database=database, autocommit=True, charset="utf8mb4"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: mariadbd shuts down cleanly
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.base, ignore_errors=True)


def find_binary(*names: str) -> str:
    for name in names:
        path = shutil.which(name, path=_SEARCH_PATH)
        if path:
            return path
    raise MariaDBUnavailableError(f"MariaDB is not installed ({names[0]} not found): {INSTALL_HINT}")


def start() -> MariaDB:
    """Initializes a data dir and starts mariadbd on it; raises MariaDBUnavailableError."""
    mariadbd = find_binary("mariadbd", "mysqld")
    install_db = find_binary("mariadb-install-db", "mysql_install_db")
    # In memory where the machine has /dev/shm: mariadb-install-db's many fsyncs take 2-3 s
    # there and 5-7 s on a busy disk. The unix socket path must stay under 108 bytes.
    parent = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    base = Path(tempfile.mkdtemp(prefix="db-lambda-mariadb-", dir=parent))
    try:
        return _start(mariadbd, install_db, base)
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise


def _start(mariadbd: str, install_db: str, base: Path) -> MariaDB:
    timings = Timings()
    # mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
    user = ["--user=root"] if os.geteuid() == 0 else []
    common = ["--no-defaults", f"--datadir={base / 'data'}", "--innodb-log-file-size=4M", *user]
    started = time.monotonic()
    installed = subprocess.run(
        [install_db, *common, "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    timings.install_db_s = time.monotonic() - started
    if installed.returncode != 0:
        raise MariaDBUnavailableError(f"mariadb-install-db failed: {_last_line(installed.stderr + installed.stdout)}")
    ca_file = write_certificates(base, LOOPBACK_NAMES)
    version = subprocess.run([mariadbd, "--version"], capture_output=True, text=True, check=True).stdout.split()[2]
    for _attempt in range(_PORT_ATTEMPTS):
        port = _free_port()
        started = time.monotonic()
        process = subprocess.Popen(
            [
                mariadbd,
                *common,
                f"--socket={base / 'mysqld.sock'}",
                f"--port={port}",
                "--bind-address=127.0.0.1",
                f"--pid-file={base / 'mysqld.pid'}",
                f"--log-error={base / 'error.log'}",
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M",
                f"--ssl-ca={ca_file}",
                f"--ssl-cert={base / 'server.pem'}",
                f"--ssl-key={base / 'server.key'}",
                "--require-secure-transport=ON",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = MariaDB(base=base, port=port, version=version, ca_file=ca_file, process=process, timings=timings)
        if _wait_until_ready(server):
            timings.server_s = time.monotonic() - started
            return server
        server.process.kill()
        server.process.wait(timeout=10)
        log = (base / "error.log").read_text(errors="replace") if (base / "error.log").exists() else ""
        if "Address already in use" not in log:  # another process took the port between probe and bind
            raise MariaDBUnavailableError(f"mariadbd did not start: {_last_line(log) or 'no log'}")
    raise MariaDBUnavailableError(f"mariadbd found no free port in {_PORT_ATTEMPTS} attempts")


def _wait_until_ready(server: MariaDB) -> bool:
    deadline = time.monotonic() + _STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            server.root().close()
            return True
        except pymysql.err.OperationalError:
            time.sleep(0.05)
    return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_certificates(base: Path, names: Sequence[x509.GeneralName], *, ca_name: str = "db-lambda test CA") -> Path:
    """A throw-away CA and a server certificate for `names` (ca.pem, server.pem, server.key in
    `base`); returns the CA's file."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ca_name)])
    ca = (
        x509.CertificateBuilder()
        .subject_name(issuer)
        .issuer_name(issuer)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .add_extension(_CA_KEY_USAGE, critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    first = names[0].value
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, str(first))]))
        .issuer_name(issuer)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(list(names)), critical=False)
        # Python 3.13's default context verifies strictly (VERIFY_X509_STRICT): it wants this.
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (base / "ca.pem").write_bytes(ca.public_bytes(pem))
    (base / "server.pem").write_bytes(server.public_bytes(pem))
    key_file = base / "server.key"
    key_file.write_bytes(server_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_file.chmod(0o600)
    return base / "ca.pem"


LOOPBACK_NAMES: tuple[x509.GeneralName, ...] = (
    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    x509.DNSName("localhost"),
)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
