"""Bad configuration stops the synth with one line naming the key, the value and what is allowed."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stacks.billing_alarm.config import BillingAlarmConfig
from stacks.config import REPO_ROOT, ConfigError, StageConfig, load_stage_config
from tests.harness import STAGES, stage_context


def sandbox_context_with(path: str, value: Any) -> dict[str, Any]:
    """The sandbox context with one dotted key under stages.sandbox set (or deleted, for ...)."""
    context = copy.deepcopy(stage_context("sandbox"))
    *parents, leaf = path.split(".")
    block = context["stages"]["sandbox"]
    for parent in parents:
        block = block[parent]
    if value is ...:
        del block[leaf]
    else:
        block[leaf] = value
    return context


@pytest.mark.parametrize("stage", STAGES)
def test_shipped_stages_load(stage: str) -> None:
    config = load_stage_config(stage_context(stage))
    assert isinstance(config, StageConfig)
    assert config.stage == stage
    assert config.protect_data is (stage == "prod")


def test_stage_defaults_to_sandbox() -> None:
    context = stage_context("sandbox")
    del context["stage"]
    assert load_stage_config(context).stage == "sandbox"


def test_unknown_stage_names_the_allowed_ones() -> None:
    context = stage_context("sandbox")
    context["stage"] = "staging"
    with pytest.raises(ConfigError) as error:
        load_stage_config(context)
    assert str(error.value) == (
        'invalid configuration: stage = "staging": must be one of local, prod, sandbox (set with -c stage=NAME)'
    )


BAD_VALUES = [
    # (dotted key under stages.sandbox, bad value, expected message fragment)
    ("three_tier.nat_count", ..., "stages.sandbox.three_tier.nat_count = null: is missing; this block needs:"),
    ("three_tier.nat_counts", 1, "nat_counts = 1: unknown key; did you mean nat_count? allowed keys: vpc_cidr,"),
    ("three_tier.logging", True, "three_tier.logging = true: unknown key; allowed keys: vpc_cidr,"),
    ("protect_data", "yes", 'stages.sandbox.protect_data = "yes": must be true or false'),
    ("three_tier.asg_max_capacity", "2", 'three_tier.asg_max_capacity = "2": must be a whole number'),
    ("three_tier.asg_max_capacity", True, "three_tier.asg_max_capacity = true: must be a whole number"),
    ("three_tier.asg_max_capacity", 2.5, "three_tier.asg_max_capacity = 2.5: must be a whole number"),
    ("three_tier.scheduled_scaling", 1, "three_tier.scheduled_scaling = 1: must be true or false"),
    ("three_tier.vpc_cidr", "8.8.0.0/16", "must be a private IPv4 CIDR (10/8, 172.16/12 or 192.168/16)"),
    ("three_tier.vpc_cidr", "10.0.0.0/8", "with a /16-/16 prefix"),
    ("three_tier.vpc_cidr", "10.0.1.0/16", "and no host bits set"),
    ("three_tier.vpc_cidr", "not-a-cidr", 'vpc_cidr = "not-a-cidr": must be a private IPv4 CIDR'),
    ("three_tier.instance_type", "t3micro", 'instance_type = "t3micro": must be an EC2 instance type like t3.micro'),
    ("three_tier.db_instance_type", "db.t3.micro", "no 'db.' prefix"),
    ("three_tier.nat_type", "gatway", 'nat_type = "gatway": must be one of "instance", "gateway"'),
    ("three_tier.log_retention_days", 10, "log_retention_days = 10: must be one of 1, 3, 5, 7, 14, 30"),
    ("three_tier.certificate_arn", "arn:aws:acm:xx", "must be an ACM certificate ARN"),
    ("billing_alarm.alarm_thresholds_usd", [-5], "alarm_thresholds_usd[0] = -5: must be between 1 and 100000"),
    ("billing_alarm.alarm_thresholds_usd", [], "alarm_thresholds_usd = []: must be a list of 1 to 10 items"),
    ("billing_alarm.alarm_thresholds_usd", [10, 10], "must not repeat an item"),
    ("billing_alarm.alarm_thresholds_usd", 10, "alarm_thresholds_usd = 10: must be a list of numbers"),
    ("billing_alarm.alarm_thresholds_usd", ["10"], 'alarm_thresholds_usd[0] = "10": must be a number'),
    ("billing_alarm.monthly_budget_usd", -1, "monthly_budget_usd = -1: must be between 1 and 100000"),
    ("billing_alarm.alarm_email", "ops@", 'alarm_email = "ops@": must be an e-mail address like ops@example.com'),
    ("billing_alarm.alarm_email", "a b@example.com", "must be an e-mail address"),
    ("billing_alarm.region", "eu-west-1", "must be us-east-1: AWS publishes billing metrics"),
    ("billing_alarm.region", "mars", 'region = "mars": must be an AWS region name like us-east-1'),
    ("queue_worker", [], "stages.sandbox.queue_worker = []: must be an object"),
]


@pytest.mark.parametrize(("key", "value", "expected"), BAD_VALUES, ids=[f"{k}={v!r}" for k, v, _ in BAD_VALUES])
def test_bad_value_is_one_clear_line(key: str, value: Any, expected: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_stage_config(sandbox_context_with(key, value))
    message = str(error.value)
    assert expected in message
    assert message.startswith("invalid configuration: stages.sandbox.")
    assert "\n" not in message


def test_a_misspelled_key_is_unknown_not_missing_and_the_closest_key_is_named() -> None:
    context = sandbox_context_with("three_tier.asg_max_capacity", ...)
    context["stages"]["sandbox"]["three_tier"]["asg_max_capacty"] = 2
    with pytest.raises(ConfigError) as error:
        load_stage_config(context)
    assert str(error.value).startswith(
        "invalid configuration: stages.sandbox.three_tier.asg_max_capacty = 2: "
        "unknown key; did you mean asg_max_capacity? allowed keys: vpc_cidr, "
    )


def test_a_misspelled_section_is_named_without_printing_its_block() -> None:
    context = copy.deepcopy(stage_context("sandbox"))
    block = context["stages"]["sandbox"]
    block["three_teir"] = block.pop("three_tier")
    with pytest.raises(ConfigError) as error:
        load_stage_config(context)
    message = str(error.value)
    assert message.startswith(
        "invalid configuration: stages.sandbox.three_teir = {...}: unknown key; did you mean three_tier? "
        "allowed keys: protect_data, three_tier, "
    )
    assert "vpc_cidr" not in message, "the block's JSON is not printed into the line"


def test_optional_key_may_be_absent_because_the_cli_drops_nulls() -> None:
    config = load_stage_config(sandbox_context_with("billing_alarm.alarm_email", ...))
    assert config.section(BillingAlarmConfig).alarm_email is None


def test_thresholds_are_read_as_a_tuple_of_numbers() -> None:
    config = load_stage_config(sandbox_context_with("billing_alarm.alarm_thresholds_usd", [5, 12.5]))
    assert config.section(BillingAlarmConfig).alarm_thresholds_usd == (5.0, 12.5)


def test_app_exits_1_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    """What `make synth` shows: the CLI runs app.py with the context in CDK_CONTEXT_JSON."""
    context = sandbox_context_with("three_tier.asg_min_capacity", "one")
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(context), "CDK_OUTDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        'error: invalid configuration: stages.sandbox.three_tier.asg_min_capacity = "one": must be a whole number'
    ]
    assert "Traceback" not in result.stdout


def app_command() -> str:
    """The command cdk.json gives the CDK CLI to run the app."""
    command: str = json.loads((REPO_ROOT / "cdk.json").read_text())["app"]
    return command


def python_without_cdk(tmp_path: Path) -> Path:
    """A bin folder whose python3 has no site-packages: the system Python of a fresh clone."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python3 = bin_dir / "python3"
    python3.write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n')
    python3.chmod(0o755)
    return bin_dir


def test_the_app_command_runs_the_venv_s_python_when_python3_on_path_has_no_cdk(tmp_path: Path) -> None:
    # Given a PATH without the venv, whose python3 has no CDK packages (`npx cdk synth` before the venv is on PATH)
    context = sandbox_context_with("three_tier.asg_min_capacity", "one")
    env = {
        "HOME": str(tmp_path),
        "PATH": f"{python_without_cdk(tmp_path)}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "CDK_CONTEXT_JSON": json.dumps(context),
        "CDK_OUTDIR": str(tmp_path / "cdk.out"),
    }
    # When the CLI runs the app command
    result = subprocess.run(
        ["sh", "-c", app_command()], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    # Then the app ran in the venv: it got as far as reading the configuration (one line, no traceback)
    assert result.stderr.strip().splitlines() == [
        'error: invalid configuration: stages.sandbox.three_tier.asg_min_capacity = "one": must be a whole number'
    ]
    assert result.returncode == 1


def test_without_a_venv_the_app_says_in_one_line_to_run_make_synth(tmp_path: Path) -> None:
    # Given a checkout where `make synth` has not run yet: app.py with no .venv beside it
    (tmp_path / "app.py").write_text((REPO_ROOT / "app.py").read_text())
    result = subprocess.run(
        [sys.executable, "-S", "app.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ")
    assert "has no CDK packages: run `make synth` first" in line


def test_the_rehearsal_stage_is_the_sandbox_with_shorter_waits() -> None:
    from stacks.config import cdk_json_context, load_stage_config, stage_names
    from stacks.rehearsal_stage import loop_stage_names, rehearsal_stage

    context = cdk_json_context()
    local = load_stage_config({**context, "stage": rehearsal_stage(context)})
    sandbox = load_stage_config({**context, "stage": "sandbox"})
    overrides = context["rehearsal"]["overrides"]
    for package, section in sandbox.sections.items():
        expected = {**section.model_dump(), **overrides.get(package, {})}
        assert local.sections[package].model_dump() == expected, package
    assert local.protect_data is False
    # The learner's stages (study tools, gates, docs) stay two; the loop accepts the third.
    assert stage_names() == ["sandbox", "prod"]
    assert loop_stage_names() == ["sandbox", "prod", "local"]


def test_queue_worker_s_dead_letter_path_fits_in_two_minutes_when_rehearsed() -> None:
    from stacks.config import cdk_json_context, load_stage_config

    section = load_stage_config({**cdk_json_context(), "stage": "local"}).sections["queue_worker"]
    # A poison message is received max_receive_count times, one visibility timeout apart.
    assert section.max_receive_count * section.visibility_timeout_seconds < 120  # type: ignore[attr-defined]
