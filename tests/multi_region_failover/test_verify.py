"""scripts/multi_region_failover/verify.py against moto (Route 53, SSM, DynamoDB) and the World
stand-ins (DNS answers, both ALBs, replication): passes as deployed, fails one check per fault."""

from __future__ import annotations

import io
from typing import Any

import boto3
import pytest

from scripts.multi_region_failover import verify
from scripts.sandbox.checks import CheckResult, Waiter
from stacks.multi_region_failover import names
from tests.multi_region_failover.conftest import PRIMARY, SECONDARY
from tests.multi_region_failover.world import PublicResolver, World

NAMES = (
    "the primary region answers with its name",
    "the secondary region answers with its name",
    "the primary's health check is healthy",
    "the zone's name servers answer with the primary",
    "the counter is replicated to the secondary",
)


def run(outputs: dict[str, str], world: World, **overrides: Any) -> list[CheckResult]:
    wait = Waiter(out=io.StringIO(), clock=world.clock, sleep=world.sleep)
    kwargs: dict[str, Any] = {
        "http_get": world.http_get,
        "zone_resolver": world.zone,
        "public_resolver": PublicResolver(),
        "timeout_s": 60,
    }
    return verify.run_checks(boto3.Session(region_name=PRIMARY), outputs, "sandbox", wait, **{**kwargs, **overrides})


def failed(results: list[CheckResult]) -> dict[str, str]:
    return {result.name: result.detail for result in results if not result.passed}


def test_a_working_deployment_passes_every_check(deployed: dict[str, str]) -> None:
    results = run(deployed, World())
    assert [result.name for result in results] == list(NAMES)
    assert failed(results) == {}
    details = {result.name: result.detail for result in results}
    assert details[NAMES[0]] == f"200 from {PRIMARY}, visit 1"
    assert details[NAMES[3]].endswith(f"the primary ALB ({PRIMARY})")
    # Two visits through the primary (the first check's and the counter check's own); the stand-in
    # replicates one way only, so the secondary's own visit is overwritten (last writer wins).
    assert details[NAMES[4]] == f"visits = 2 in the {SECONDARY} replica (primary wrote 2)"


def test_a_region_answering_with_another_name_fails_its_check(deployed: dict[str, str]) -> None:
    world = World()
    swapped = {**deployed, names.OUTPUT_SECONDARY_REGION: "eu-central-1"}
    # The stand-in serves each ALB from the region it really is in; the outputs now expect another.
    assert NAMES[1] in failed(run(swapped, world))


def test_a_zone_answering_with_the_secondary_fails_within_the_bound(deployed: dict[str, str]) -> None:
    world = World(primary_healthy=False)  # Route 53 has failed over and the switch keeps it down
    boto3.client("ssm", region_name=PRIMARY).put_parameter(Name=names.DOWN_PARAMETER, Value="true", Overwrite=True)
    problems = failed(run(deployed, world))
    assert problems[NAMES[3]].startswith("WaitTimeout: the zone's name servers to answer")
    assert world.now <= 60 + 10


def test_a_counter_that_never_replicates_fails(deployed: dict[str, str]) -> None:
    problems = failed(run(deployed, World(replicate_on_sleep=False)))
    assert list(problems) == [NAMES[4]]
    assert "visit counter (2)" in problems[NAMES[4]]


def test_an_unhealthy_health_check_fails(deployed: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    # moto reports every health check as passing; AWS reports one observation per checker.
    observations = [{"StatusReport": {"Status": "Failure: HTTP Status Code 503, Service Unavailable."}}] * 8
    monkeypatch.setattr(
        verify, "health_check_healthy", lambda session, deployment: verify.judge_observations(observations)
    )
    assert failed(run(deployed, World()))[NAMES[2]] == "AssertionError: 0 of 8 health checkers report success"


def test_the_health_check_judgement_follows_route_53s_18_percent_rule() -> None:
    def observed(passing: int, of: int) -> list[dict[str, Any]]:
        statuses = ["Success: HTTP Status Code 200, OK."] * passing + ["Failure: timeout"] * (of - passing)
        return [{"StatusReport": {"Status": status}} for status in statuses]

    assert verify.judge_observations(observed(2, 10)) == "2 of 10 health checkers report success"
    with pytest.raises(AssertionError):
        verify.judge_observations(observed(1, 10))
    with pytest.raises(AssertionError):
        verify.judge_observations([])


def test_missing_outputs_fail_every_check_with_one_line(deployed: dict[str, str]) -> None:
    del deployed[names.OUTPUT_NAME_SERVERS]
    problems = failed(run(deployed, World()))
    assert list(problems) == list(NAMES)
    assert all("no output NameServers" in detail for detail in problems.values())
