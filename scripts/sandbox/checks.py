"""What every lab's `verify` step returns, and how it waits: the contract between the
sandbox loop (`make verify LAB=...`) and each lab's `scripts/<lab>/verify.py`.

A lab's verify module exposes one function:

    def run_checks(session: boto3.Session, outputs: dict[str, str], stage: str, wait: Waiter)
        -> list[CheckResult]

`outputs` are the deployed stack's CloudFormation outputs. Each check proves one thing
in the account ("the site answers 200 with an instance's page"); a failing check is a
result with `passed=False` and a one-line `detail`, never an exception.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class CheckResult:
    """One verified property of a deployed lab."""

    name: str
    passed: bool
    detail: str


class WaitTimeout(Exception):  # noqa: N818 - the name the labs' verify modules catch
    """A condition did not hold within its timeout; the message says what was awaited."""


class Waiter:
    """Polls a condition with visible progress: what it waits for, elapsed time, the timeout.

    `clock` and `sleep` are injectable so that tests run in no real time.
    """

    def __init__(
        self,
        *,
        out: TextIO = sys.stderr,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._out = out
        self._clock = clock
        self._sleep = sleep

    def until(self, what: str, probe: Callable[[], T | None], *, timeout_s: float, every_s: float = 10) -> T:
        """Calls `probe` until it returns something other than None; returns that value.

        Raises WaitTimeout (naming `what` and the timeout) when `timeout_s` passes first.
        """
        started = self._clock()
        while True:
            value = probe()
            elapsed = self._clock() - started
            if value is not None:
                print(f"  {what}: done after {elapsed:.0f} s", file=self._out)
                return value
            if elapsed >= timeout_s:
                raise WaitTimeout(f"{what}: not done after {timeout_s:.0f} s")
            print(f"  waiting for {what}: {elapsed:.0f} s of at most {timeout_s:.0f} s", file=self._out)
            self._sleep(every_s)


def check(name: str, action: Callable[[], str]) -> CheckResult:
    """Runs one check: `action` returns a detail when it passes and raises when it fails.

    Any exception (an assertion, a timeout, an AWS error) becomes a failed result with its
    message as the detail, so one failing check does not hide the others.
    """
    try:
        detail = action()
    except Exception as error:
        return CheckResult(name, False, f"{type(error).__name__}: {error}".splitlines()[0])
    return CheckResult(name, True, detail)
