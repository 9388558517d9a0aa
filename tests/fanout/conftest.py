"""Fixtures: moto's AWS in-process, and the fanout lab deployed into it (moto_deployment.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.fanout.moto_deployment import REGION, Deployment, create_stack, deploy


@pytest.fixture
def session(fake_aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        yield boto3.Session(region_name=REGION)


@pytest.fixture
def deployed(session: Any) -> Deployment:
    """The lab as the stack deploys it, with its outputs on a stack named Fanout."""
    deployment = deploy(session)
    create_stack(session, deployment.outputs)
    return deployment
