"""moto for the rehearsal's own calls (the emulator itself is tested in test_emulator.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from tests.sandbox.fakes import moto_session


@pytest.fixture
def aws(fake_aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        yield moto_session("us-east-1")
