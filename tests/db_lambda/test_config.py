"""The db-lambda config section: bad values stop the synth with one line; constants stay in step."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from db_lambda import db, secrets
from stacks.config import ConfigError, load_stage_config
from stacks.db_lambda import config
from tests.harness import stage_context

KEY = "stages.sandbox.db_lambda"


def sandbox_with(**changes: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context("sandbox"))
    context["stages"]["sandbox"]["db_lambda"].update(changes)
    return context


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"function_timeout_seconds": 30},
            f"invalid configuration: {KEY}.function_timeout_seconds = 30: must be at least 48: the function's "
            "Secrets Manager and MySQL timeouts add up to 43 s in the worst case",
        ),
        (
            {"vpc_cidr": "10.10.0.0/24"},
            f'invalid configuration: {KEY}.vpc_cidr = "10.10.0.0/24": must be a private IPv4 CIDR '
            "(10/8, 172.16/12 or 192.168/16) with a /16-/22 prefix",
        ),
        (
            {"db_instance_type": "db.t4g.micro"},
            f'invalid configuration: {KEY}.db_instance_type = "db.t4g.micro": must be an EC2 instance type like '
            "t3.micro or t4g.small (family.size, no 'db.' prefix)",
        ),
        ({"rds_proxy": "yes"}, f'invalid configuration: {KEY}.rds_proxy = "yes": '),
    ],
)
def test_a_bad_value_is_one_line_naming_the_key(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_stage_config(sandbox_with(**changes))
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_the_worst_case_is_the_sum_of_the_functions_own_timeouts() -> None:
    # Secrets Manager's attempts, then a connect, its handshake (read timeout) and one query.
    settings = db.ConnectionSettings(host="h", database="d")
    from_code = (
        secrets.MAX_ATTEMPTS * (secrets.CONNECT_TIMEOUT_S + secrets.READ_TIMEOUT_S)
        + settings.connect_timeout_s
        + settings.read_timeout_s
        + settings.write_timeout_s
        + settings.read_timeout_s
    )
    assert from_code == config.FUNCTION_WORST_CASE_SECONDS
