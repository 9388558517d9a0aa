"""make verify's runner: the stack's outputs in, the lab's checks run, a table and an exit code out."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scripts.sandbox import verify
from scripts.sandbox.checks import CheckResult
from scripts.stack_outputs import run
from tests.billing_alarm.test_verify import deploy_lab
from tests.sandbox.deployed import create_stack
from tests.sandbox.fakes import FakeTime, moto_session

REPO_ROOT = Path(__file__).resolve().parents[2]
BILLING_REGION = "us-east-1"


def cells(line: str) -> list[str]:
    """A table row's columns: name, PASS/FAIL, detail."""
    return re.split(r"\s{2,}", line.strip(), maxsplit=2)


def deploy_billing_alarm(session: Any, *, email: str | None) -> None:
    topic = deploy_lab(session, email=email)
    create_stack(session, BILLING_REGION, "BillingAlarm", outputs={"AlertTopicArn": topic})


def test_a_working_lab_prints_a_table_of_passed_checks_and_exits_zero(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    deploy_billing_alarm(aws, email="me@example.com")
    session = moto_session(BILLING_REGION)
    assert verify.main(["--lab", "billing-alarm"], session=session, wait=FakeTime().waiter()) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Verifying billing-alarm (BillingAlarm in us-east-1), stage sandbox"
    assert lines[1].split() == ["check", "result", "detail"]
    name, result, detail = cells(lines[2])
    assert (name, result) == ("billing alarm in us-east-1 notifies the topic", "PASS")
    assert detail.startswith("BillingAlarm-ChargesAbove10Usd-1 > 10 USD")
    assert cells(lines[3]) == ["e-mail subscription confirmed", "PASS", "confirmed: me@example.com"]
    assert lines[-2] == "2 of 2 checks passed"
    assert lines[-1] == "drift: never checked from this clone (make drift LAB=billing-alarm STAGE=sandbox)"


def test_a_failing_check_exits_one(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    deploy_billing_alarm(aws, email=None)
    session = moto_session(BILLING_REGION)
    assert verify.main(["--lab", "billing-alarm"], session=session, wait=FakeTime().waiter()) == 1
    out = capsys.readouterr().out
    [row] = [cells(line) for line in out.splitlines() if "e-mail" in line]
    assert row[:2] == ["e-mail subscription confirmed", "FAIL"]
    assert row[2].startswith("AssertionError: no e-mail subscription")
    assert out.splitlines()[-2] == "1 of 2 checks passed"


def test_a_lab_not_deployed_is_one_line_saying_how_to_deploy_it(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    session = moto_session(BILLING_REGION)
    code = run(lambda argv: verify.main(argv, session=session), ["--lab", "billing-alarm", "--stage", "prod"])
    assert code == 1
    assert capsys.readouterr().err == (
        "error: stack BillingAlarm not found in us-east-1: deploy it first (make deploy LAB=billing-alarm STAGE=prod)\n"
    )


def test_the_table_aligns_names_and_shows_pass_or_fail() -> None:
    table = verify.render([CheckResult("short", True, "fine"), CheckResult("a longer check", False, "broken")])
    assert table.splitlines() == [
        "  check           result  detail",
        "  short           PASS    fine",
        "  a longer check  FAIL    broken",
    ]


def test_as_a_process_it_finds_the_pinned_region_s_stack_through_aws_endpoint_url(
    moto_server: tuple[str, Any],
) -> None:
    # Given the lab deployed in us-east-1 behind a moto server, and a default region elsewhere
    deploy_billing_alarm(moto_server[1], email="me@example.com")
    result = subprocess.run(
        [sys.executable, "-m", "scripts.sandbox.verify", "--lab", "billing-alarm"],
        cwd=REPO_ROOT,
        env={**os.environ, "AWS_DEFAULT_REGION": "eu-west-1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 of 2 checks passed" in result.stdout
