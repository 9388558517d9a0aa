"""Offline fixtures for the security-baseline lab: moto, sample events, a fake Lambda context."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID

from tests.harness import fake_lambda_context

REGION = "us-east-1"
EVENTS = Path(__file__).parent / "events"


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return event


@pytest.fixture
def context() -> LambdaContext:
    return fake_lambda_context("SecurityBaseline-Remediation", account=DEFAULT_ACCOUNT_ID)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        yield
