"""Local HTTPS stand-ins for the static-site verify tests: a 'distribution' serving site/
as CloudFront is configured to, and a 'bucket' that refuses direct requests. Both listen on
127.0.0.1 only, with a throwaway self-signed certificate the tests trust explicitly."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SITE = Path(__file__).resolve().parents[2] / "site"
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files in `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


@dataclass
class Behaviour:
    """What the stand-in answers; each test changes one thing to break one check."""

    pages: dict[str, bytes] = field(default_factory=dict)  # path -> body; default: the files of site/
    headers: dict[str, str] = field(default_factory=lambda: dict(SECURITY_HEADERS))
    missing_status: int = 404  # CloudFront's custom error response turns S3's 403 into this
    missing_body: bytes | None = None  # default: site/404.html
    always: int | None = None  # answer every request with this status (the bucket: 403)
    requests: list[str] = field(default_factory=list)


def _handler(behaviour: Behaviour) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            behaviour.requests.append(self.path)
            if behaviour.always is not None:
                self._answer(behaviour.always, b"<Error><Code>AccessDenied</Code></Error>", {})
                return
            path = "/index.html" if self.path == "/" else self.path
            if path in behaviour.pages:
                self._answer(200, behaviour.pages[path], behaviour.headers)
            elif not behaviour.pages and (SITE / path.lstrip("/")).is_file() and ".." not in path:
                self._answer(200, (SITE / path.lstrip("/")).read_bytes(), behaviour.headers)
            else:
                body = (
                    behaviour.missing_body if behaviour.missing_body is not None else (SITE / "404.html").read_bytes()
                )
                self._answer(behaviour.missing_status, body, behaviour.headers)

        def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def https_server(behaviour: Behaviour, cert_file: Path, key_file: Path) -> Iterator[str]:
    """Serves `behaviour` over HTTPS on 127.0.0.1; yields 'host:port'."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(behaviour))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    # A short poll interval: shutdown() waits for one poll, once per test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
