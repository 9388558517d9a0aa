"""Test doubles shared by the sandbox loop's tests: a clock that sleeps in no time, an HTTP site."""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3

from scripts.sandbox.checks import Waiter


@functools.cache
def moto_session(region: str) -> boto3.Session:
    """One boto3 session per region for every moto test.

    botocore loads each service's model once per session (the EC2 model alone takes a
    second); tests start their own moto account (mock_aws) and share the session. Its
    credentials are fake, so it cannot reach AWS.
    """
    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region)


class FakeTime:
    """A monotonic clock that `sleep` advances; `on_sleep` runs in each sleep (a worker's tick)."""

    def __init__(self, on_sleep: Callable[[], None] | None = None) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep
        self.out = io.StringIO()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps.append(seconds)
        if self.on_sleep is not None:
            self.on_sleep()

    def waiter(self) -> Waiter:
        return Waiter(out=self.out, clock=self.clock, sleep=self.sleep)


@contextmanager
def local_site(answers: Sequence[tuple[int, str]]) -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 giving `answers` in turn (the last one repeats).

    Yields its URL and the list of paths requested, in order.
    """
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = answers[min(len(requests), len(answers) - 1)]
            requests.append(self.path)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read `requests` instead."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requests
    finally:
        server.shutdown()
        server.server_close()


def page(instance_id: str) -> str:
    return f"<!doctype html><title>three-tier</title><h1>Hello from {instance_id}</h1>"
