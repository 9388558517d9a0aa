"""A Waiter wait whose timeout message also says what was last seen ("last: HTTP 502")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from scripts.sandbox.checks import Waiter, WaitTimeout

T = TypeVar("T")


def until(
    wait: Waiter,
    what: str,
    probe: Callable[[], T | None],
    *,
    timeout_s: float,
    every_s: float,
    last: Callable[[], str],
) -> T:
    """`wait.until(...)`; on a timeout, the WaitTimeout names the last observation too."""
    try:
        return wait.until(what, probe, timeout_s=timeout_s, every_s=every_s)
    except WaitTimeout as error:
        raise WaitTimeout(f"{error} (last: {last()})") from None
