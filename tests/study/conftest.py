"""Helpers for the study tools' tests: the lab's templates from the session-synthesized stages."""

from __future__ import annotations

import io

import pytest
from rich.console import Console


@pytest.fixture
def console() -> Console:
    """A wide console that writes to memory, without colours, for asserting on the text."""
    return Console(file=io.StringIO(), width=200, color_system=None)


def printed(console: Console) -> str:
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()
