"""moto fixtures for the sandbox loop: an in-process mock, and a moto server for commands run as processes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

from tests.sandbox.fakes import moto_session
from tests.sandbox.published import PublishedFacts, published

REGION = "eu-west-1"


@pytest.fixture
def aws(fake_aws_credentials: None) -> Iterator[Any]:
    """A moto account; the session's default region is eu-west-1 (billing-alarm lives in us-east-1)."""
    with mock_aws():
        yield moto_session(REGION)


@pytest.fixture
def moto_server(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Any]]:
    """A moto server on 127.0.0.1; yields its endpoint and a session that talks to it.

    A command started as a process reaches it through AWS_ENDPOINT_URL, like any AWS tool.
    """
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    try:
        yield endpoint, moto_session(REGION)
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def public_facts() -> Iterator[PublishedFacts]:
    """What a region publishes and moto lacks (tests/sandbox/published.py), on the tests' session:
    every preflight here runs the deploy-day checks."""
    with published(moto_session(REGION)) as facts:
        yield facts
