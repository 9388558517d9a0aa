"""The failover drill (make failover) against moto's SSM and CloudFormation and the World stand-in:
Route 53's answer follows the primary's down switch after 3 probes 30 s apart, in fake time."""

from __future__ import annotations

import io

import boto3
import pytest

from scripts.multi_region_failover import failover
from scripts.sandbox.checks import Waiter
from scripts.stack_outputs import ScriptError
from stacks.multi_region_failover import names
from tests.multi_region_failover.conftest import PRIMARY, SECONDARY
from tests.multi_region_failover.world import PublicResolver, World
from tests.sandbox.deployed import create_stack


@pytest.fixture
def dns_stack(deployed: dict[str, str]) -> dict[str, str]:
    """A CloudFormation stack named like the DNS stack, with its outputs (moto)."""
    create_stack(boto3.Session(), PRIMARY, failover.LAB.stack_id, outputs=deployed)
    return deployed


def switch_value(region: str) -> str:
    value: str = boto3.client("ssm", region_name=region).get_parameter(Name=names.DOWN_PARAMETER)["Parameter"]["Value"]
    return value


def drill(world: World, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = failover.main(
        list(argv),
        session=boto3.Session(region_name=PRIMARY),
        zone=world.zone(),
        public=PublicResolver(),
        wait=Waiter(out=out, clock=world.clock, sleep=world.sleep),
        clock=world.clock,
        out=out,
    )
    return code, out.getvalue()


def test_the_drill_fails_over_and_back_and_says_how_long_each_took(dns_stack: dict[str, str]) -> None:
    world = World()
    code, printed = drill(world, "--lab", "multi-region-failover")
    assert code == 0
    # 3 failed probes 30 s apart, seen at the next 10 s poll: 90 s each way in fake time.
    assert f"Failover to {SECONDARY} took 90 s" in printed
    assert f"Recovery to {PRIMARY} took 90 s" in printed
    assert "waiting for www.failover-lab.example.com to answer with the secondary" in printed  # progress
    assert switch_value(PRIMARY) == "false"  # restored
    assert world.primary_healthy


def test_a_failover_that_never_comes_stops_at_the_bound_and_says_how_to_recover(dns_stack: dict[str, str]) -> None:
    world = World(threshold=1000)  # Route 53 never gives up on the primary
    with pytest.raises(ScriptError, match=r"not done after 120 s .*make failover LAB=multi-region-failover DOWN=none"):
        drill(world, "--timeout", "120")
    assert world.now <= 130
    assert switch_value(PRIMARY) == "true"  # left down: the message says so and how to undo it


def test_down_none_switches_both_regions_up_and_waits_for_the_primary(dns_stack: dict[str, str]) -> None:
    world = World(primary_healthy=False)
    for region in (PRIMARY, SECONDARY):
        boto3.client("ssm", region_name=region).put_parameter(Name=names.DOWN_PARAMETER, Value="true", Overwrite=True)
    code, printed = drill(world, "--down", "none")
    assert code == 0
    assert (switch_value(PRIMARY), switch_value(SECONDARY)) == ("false", "false")
    assert f"The zone answers with {PRIMARY} after 90 s" in printed


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--down", "secondary"], "--down 'secondary': must be one of primary, none"),
        (["--lab", "queue-worker"], "--lab 'queue-worker': only multi-region-failover has a failover drill"),
        (["--stage", "qa"], "unknown stage 'qa': must be one of sandbox, prod (the blocks of cdk.json)"),
        (["--timeout", "0"], "--timeout 0: must be a positive number of seconds"),
    ],
)
def test_bad_arguments_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        failover.parse_args(argv)
    assert exit_.value.code == 2
    assert capsys.readouterr().err == f"error: {message} (see --help)\n"


def test_the_drill_needs_the_deployed_dns_stack(aws: None) -> None:
    with pytest.raises(ScriptError, match="stack MultiRegionFailover not found in us-east-1: deploy it first"):
        drill(World())
