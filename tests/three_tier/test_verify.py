"""scripts/three_tier/verify.py against moto and a local web server standing in for the load balancer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from scripts.three_tier import verify
from stacks.three_tier.boot_scripts import WEB_SERVER_COMMANDS
from tests.sandbox.fakes import FakeTime, local_site, moto_session, page

REGION = "eu-west-1"
ANY_IMAGE = "ami-12c6146b"  # moto does not check it
SITE_CHECK = "site answers 200 with an instance's page"
TWO_INSTANCES = "2 different instances answer"
TARGETS = "target group has healthy targets"
DATABASE = "database is available"
SECRET = "database secret exists and is this database's"


@dataclass
class Deployed:
    session: Any
    instances: list[str]
    outputs: dict[str, str]


@pytest.fixture
def session(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # moto's default AMI catalogue takes seconds per test to load; verify never reads it.
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    with mock_aws():
        yield moto_session(REGION)


def deploy_lab(session: Any, stage: str, *, instances: int = 2, secret_arn: str | None = None) -> Deployed:
    """What the ThreeTier stack creates, as far as verify looks: tagged target group, DB, its secret."""
    ec2 = session.client("ec2")
    reservation = ec2.run_instances(ImageId=ANY_IMAGE, MinCount=instances, MaxCount=instances, InstanceType="t3.micro")
    instance_ids = [instance["InstanceId"] for instance in reservation["Instances"]]
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    elbv2 = session.client("elbv2")
    target_group = elbv2.create_target_group(
        Name="ThreeTier-WebServers",
        Protocol="HTTP",
        Port=80,
        VpcId=vpc,
        TargetType="instance",
        Tags=[
            {"Key": "Project", "Value": "cloudops-cdk-labs"},
            {"Key": "Lab", "Value": "three-tier"},
            {"Key": "Stage", "Value": stage},
        ],
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.register_targets(TargetGroupArn=target_group, Targets=[{"Id": i, "Port": 80} for i in instance_ids])
    # RDS-managed credentials, as the stack configures them: RDS creates and rotates the secret.
    database = session.client("rds").create_db_instance(
        DBInstanceIdentifier="threetier-database",
        DBInstanceClass="db.t3.micro",
        Engine="mysql",
        EngineVersion="8.4.10",
        AllocatedStorage=20,
        MasterUsername="admin",
        ManageMasterUserPassword=True,
    )["DBInstance"]
    outputs = {
        "DatabaseEndpoint": database["Endpoint"]["Address"],
        "DatabaseSecretArn": secret_arn or database["MasterUserSecret"]["SecretArn"],
    }
    return Deployed(session, instance_ids, outputs)


def run(deployed: Deployed, url: str, stage: str, time: FakeTime | None = None) -> dict[str, Any]:
    outputs = {**deployed.outputs, "SiteUrl": url}
    results = verify.run_checks(deployed.session, outputs, stage, (time or FakeTime()).waiter())
    return {result.name: result for result in results}


def test_a_working_sandbox_passes_every_check(session: Any) -> None:
    deployed = deploy_lab(session, "sandbox", instances=1)
    [instance] = deployed.instances
    with local_site([(200, page(instance))]) as (url, requests):
        results = run(deployed, url, "sandbox")
    assert list(results) == [SITE_CHECK, TARGETS, DATABASE, SECRET], "sandbox: no two-instance check"
    assert all(result.passed for result in results.values()), results
    assert results[SITE_CHECK].detail == f"HTTP 200 from {url}, page of {instance}"
    assert results[TARGETS].detail == f"1 healthy: {instance}"
    assert results[DATABASE].detail == "threetier-database available (mysql 8.4.10, single-AZ)"
    assert results[SECRET].detail.startswith("rds!db-")
    assert "managed by RDS" in results[SECRET].detail
    assert "P@55w0rd" not in str(results), "the password is never shown"
    assert requests == ["/"]


def test_prod_needs_two_different_instances_to_answer(session: Any) -> None:
    deployed = deploy_lab(session, "prod")
    first, second = deployed.instances
    with local_site([(200, page(first)), (200, page(first)), (200, page(second))]) as (url, _):
        results = run(deployed, url, "prod")
    assert results[TWO_INSTANCES].passed, results[TWO_INSTANCES].detail
    assert results[TWO_INSTANCES].detail == f"answered by {first}, {second}"
    assert results[TARGETS].detail == f"2 healthy: {', '.join(sorted(deployed.instances))}"


def test_prod_answered_by_one_instance_only_fails_after_its_timeout(session: Any) -> None:
    deployed = deploy_lab(session, "prod")
    time = FakeTime()
    with local_site([(200, page(deployed.instances[0]))]) as (url, _):
        result = run(deployed, url, "prod", time)[TWO_INSTANCES]
    assert not result.passed
    assert result.detail == (
        f"WaitTimeout: 2 different instances to answer: not done after 120 s "
        f"(last: only {deployed.instances[0]} answered; last: no answer yet)"
    )


def test_a_site_that_starts_with_502_passes_once_it_answers_and_shows_progress(session: Any) -> None:
    deployed = deploy_lab(session, "sandbox", instances=1)
    time = FakeTime()
    with local_site([(502, "Bad Gateway"), (502, "Bad Gateway"), (200, page(deployed.instances[0]))]) as (url, _):
        result = run(deployed, url, "sandbox", time)[SITE_CHECK]
    assert result.passed, result.detail
    progress = time.out.getvalue().splitlines()
    assert progress[0] == f"  waiting for {url} to answer 200: 0 s of at most 300 s"
    assert progress[1] == f"  waiting for {url} to answer 200: 10 s of at most 300 s"
    assert progress[2] == f"  {url} to answer 200: done after 20 s"


def test_a_site_that_never_answers_200_fails_with_what_it_last_answered(session: Any) -> None:
    deployed = deploy_lab(session, "sandbox", instances=1)
    time = FakeTime()
    with local_site([(503, "Service Unavailable")]) as (url, requests):
        result = run(deployed, url, "sandbox", time)[SITE_CHECK]
    assert not result.passed
    assert result.detail == (
        f"WaitTimeout: {url} to answer 200: not done after 300 s (last: HTTP 503, not an instance's page)"
    )
    assert len(requests) == 31, "one request every 10 s for 300 s, plus the first"


def test_a_200_that_is_not_an_instance_s_page_fails(session: Any) -> None:
    deployed = deploy_lab(session, "sandbox", instances=1)
    with local_site([(200, "<h1>It works!</h1>")]) as (url, _):
        result = run(deployed, url, "sandbox")[SITE_CHECK]
    assert not result.passed
    assert "(last: HTTP 200, not an instance's page)" in result.detail


def test_nothing_listening_fails_with_the_connection_error(session: Any) -> None:
    deployed = deploy_lab(session, "sandbox", instances=1)
    with local_site([(200, "")]) as (url, _):
        pass  # the server is shut down again: nothing listens on its port
    result = run(deployed, url, "sandbox")[SITE_CHECK]
    assert not result.passed
    assert "(last: URLError: [Errno 111] Connection refused)" in result.detail


def test_a_stopped_instance_is_not_a_healthy_target(session: Any) -> None:
    deployed = deploy_lab(session, "prod")
    session.client("ec2").stop_instances(InstanceIds=[deployed.instances[1]])
    with local_site([(200, page(deployed.instances[0]))]) as (url, _):
        result = run(deployed, url, "prod")[TARGETS]
    assert not result.passed
    assert f"{deployed.instances[1]} unused" in result.detail
    assert "not done after 300 s" in result.detail


def test_no_target_group_of_the_stage_fails(session: Any) -> None:
    deployed = deploy_lab(session, "prod", instances=1)
    with local_site([(200, page(deployed.instances[0]))]) as (url, _):
        result = run(deployed, url, "sandbox")[TARGETS]
    assert not result.passed
    assert result.detail == "AssertionError: no target group tagged Lab=three-tier, Stage=sandbox in eu-west-1"


def test_a_stopped_database_fails_with_its_status(session: Any) -> None:
    deployed = deploy_lab(session, "sandbox", instances=1)
    session.client("rds").stop_db_instance(DBInstanceIdentifier="threetier-database")
    with local_site([(200, page(deployed.instances[0]))]) as (url, _):
        result = run(deployed, url, "sandbox")[DATABASE]
    assert not result.passed
    assert result.detail == "WaitTimeout: the database to be available: not done after 600 s (last: stopped)"


def test_a_secret_that_is_not_the_database_s_fails(session: Any) -> None:
    other = session.client("secretsmanager").create_secret(Name="copied-by-hand", SecretString="{}")["ARN"]
    deployed = deploy_lab(session, "sandbox", instances=1, secret_arn=other)
    with local_site([(200, page(deployed.instances[0]))]) as (url, _):
        result = run(deployed, url, "sandbox")[SECRET]
    assert not result.passed
    assert result.detail.startswith("AssertionError: threetier-database's secret is arn:aws:secretsmanager:")
    assert result.detail.endswith(f"not the output's {other}")


def test_a_deleted_secret_fails(session: Any) -> None:
    deployed = deploy_lab(session, "sandbox", instances=1)
    session.client("secretsmanager").delete_secret(SecretId=deployed.outputs["DatabaseSecretArn"])
    with local_site([(200, page(deployed.instances[0]))]) as (url, _):
        result = run(deployed, url, "sandbox")[SECRET]
    assert not result.passed
    assert "is scheduled for deletion" in result.detail


def test_a_missing_output_fails_its_checks_without_an_exception(session: Any) -> None:
    deployed = deploy_lab(session, "sandbox", instances=1)
    deployed.outputs.pop("DatabaseSecretArn")
    with local_site([(200, page(deployed.instances[0]))]) as (url, _):
        results = run(deployed, url, "sandbox")
    assert results[SECRET].detail == (
        "AssertionError: the stack has no output DatabaseSecretArn: is it the three-tier lab's stack?"
    )
    assert results[SITE_CHECK].passed


def test_the_web_servers_page_is_what_verify_looks_for() -> None:
    # The user data's heredoc, with the instance id the shell would put in
    start = WEB_SERVER_COMMANDS.index("cat > /var/www/html/index.html <<EOF") + 1
    end = WEB_SERVER_COMMANDS.index("EOF")
    html = "\n".join(WEB_SERVER_COMMANDS[start:end]).replace("${INSTANCE_ID}", "i-0123456789abcdef0")
    match = verify.INSTANCE_PAGE.search(html)
    assert match is not None
    assert match.group(1) == "i-0123456789abcdef0"
