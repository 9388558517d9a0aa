"""Serves the orders API on 127.0.0.1 against an in-memory DynamoDB (moto): the lab, offline.

    make api-local                                        # http://127.0.0.1:3000
    python -m scripts.serverless_api.local_api --port 8080

The same `lambda_handler` that runs in Lambda answers every request: each HTTP request is
turned into the event API Gateway's REST proxy integration sends (guide 002 "API Gateway
Proxy Integration"), and the handler's proxy response back into HTTP. No Docker (SAM local
needs it), no AWS account, no network: moto keeps the table in this process's memory, so
stopping the server forgets every order.

Like one Lambda instance, the server handles one request at a time (Powertools' resolver
keeps the current request in module state).
"""

from __future__ import annotations

import base64
import contextlib
import http
import ipaddress
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from scripts.serverless_api.orders_table import create_orders_table
from scripts.stack_outputs import OneLineParser, ScriptError, run

LAMBDA_SRC = Path(__file__).resolve().parents[2] / "lambda_src"
TABLE_NAME = "LocalOrders"
REGION = "us-east-1"
STAGE = "local"
# API Gateway's own payload limit: above it, API Gateway answers 413 before Lambda runs.
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class LocalContext:
    """The Lambda context attributes Powertools reads."""

    aws_request_id: str
    function_name: str = "orders-api-local"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:123456789012:function:orders-api-local"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def proxy_event(environ: dict[str, Any], body: bytes, request_id: str) -> dict[str, Any]:
    """The REST API proxy integration's event for one WSGI request (payload format 1.0)."""
    # PEP 3333 hands the path over as latin-1; the client sent UTF-8 (after percent-decoding).
    path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", errors="replace") or "/"
    method = environ["REQUEST_METHOD"].upper()
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    headers: dict[str, list[str]] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.setdefault(key[5:].replace("_", "-").title(), []).append(value)
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers.setdefault(key.replace("_", "-").title(), []).append(environ[key])
    try:
        text, encoded = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode("ascii"), True
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": {name: values[-1] for name, values in headers.items()} or None,
        "multiValueHeaders": headers or None,
        # API Gateway passes the last value of a repeated parameter in queryStringParameters.
        "queryStringParameters": {name: values[-1] for name, values in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": path,
            "stage": STAGE,
            "requestId": request_id,
            "identity": {"sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1")},
        },
        "body": text if body else None,
        "isBase64Encoded": encoded,
    }


class LocalApi:
    """A WSGI application that runs a Lambda proxy handler for each request."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._one_at_a_time = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request_id = str(uuid.uuid4())
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_PAYLOAD_BYTES:
            return _reply(start_response, 413, {"Content-Type": "application/json"}, b'{"message":"Request Too Long"}')
        body = environ["wsgi.input"].read(length) if length else b""
        event = proxy_event(environ, body, request_id)
        with self._one_at_a_time:
            response = self._handler(event, LocalContext(aws_request_id=request_id))
        headers = {name: str(value) for name, value in (response.get("headers") or {}).items()}
        for name, values in (response.get("multiValueHeaders") or {}).items():
            headers[name] = ", ".join(str(value) for value in values)
        payload = response.get("body") or ""
        data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode("utf-8")
        return _reply(start_response, int(response["statusCode"]), headers, data)


def _reply(start_response: StartResponse, status: int, headers: dict[str, str], data: bytes) -> list[bytes]:
    phrase = http.HTTPStatus(status).phrase if status in http.HTTPStatus._value2member_map_ else ""
    start_response(f"{status} {phrase}".strip(), [*headers.items(), ("Content-Length", str(len(data)))])
    return [data]


@contextlib.contextmanager
def in_memory_backend(table_name: str = TABLE_NAME) -> Iterator[None]:
    """moto's DynamoDB with the lab's table, and the environment the function has in Lambda.

    Credentials are fake and any profile or endpoint is unset: nothing can reach AWS.
    """
    from moto import mock_aws

    saved = dict(os.environ)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        TABLE_NAME=table_name,
    )
    try:
        with mock_aws():
            import boto3

            create_orders_table(boto3.client("dynamodb", region_name=REGION), table_name)
            store = load_store()
            store.default_client.cache_clear()  # a client made before the mock would not see it
            try:
                yield
            finally:
                store.default_client.cache_clear()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _lambda_src_on_path() -> None:
    if str(LAMBDA_SRC) not in sys.path:
        sys.path.insert(0, str(LAMBDA_SRC))


def load_handler() -> Handler:
    """The Lambda entry point, imported as Lambda imports it (lambda_src is the asset root)."""
    _lambda_src_on_path()
    from orders_api import handler

    return handler.lambda_handler


def load_store() -> Any:
    _lambda_src_on_path()
    from orders_api import store

    return store


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def make_local_server(host: str, port: int, app: LocalApi, *, quiet: bool = False) -> WSGIServer:
    handler_class = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(host, port, app, server_class=_Server, handler_class=handler_class)


def _loopback(host: str) -> str:
    try:
        if host == "localhost" or ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise ScriptError(
        f"--host {host} is not a loopback address: the local API has no authentication, "
        "so it listens only on 127.0.0.1, ::1 or localhost"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description="Serve the orders API on 127.0.0.1 against an in-memory DynamoDB (moto).")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=3000, help="port (default 3000; 0 picks a free one)")
    parser.add_argument("--quiet", action="store_true", help="do not print a line per request")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    host = _loopback(args.host)
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")  # no EMF lines on the console
    with in_memory_backend():
        app = LocalApi(load_handler())
        try:
            server = make_local_server(host, args.port, app, quiet=args.quiet)
        except OSError as error:
            raise ScriptError(f"cannot listen on {host}:{args.port}: {error.strerror} (try --port 0)") from None
        url = f"http://{host}:{server.server_port}"
        print(f"orders API on {url} (in-memory table {TABLE_NAME}; Ctrl-C stops and forgets every order)", flush=True)
        example = """'{"user_id":"user-42","amount":25.5}'"""
        print(f"  try: curl -s {url}/orders -H 'content-type: application/json' -d {example}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
