"""scripts/db_lambda/verify.py: moto for RDS and Secrets Manager, a stubbed Lambda client.

moto's Lambda `invoke` runs functions in Docker, which these tests never use. So the Lambda
client is a stub whose `invoke` calls the real handler in-process, the way Lambda would
(JSON in, JSON out, FunctionError on an unhandled exception), and the handler reads the
RDS-managed secret that moto created for the instance and runs its SQL on the private
MariaDB. Everything else verify calls is moto.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from db_lambda import db, handler
from scripts.db_lambda import verify
from scripts.sandbox.checks import CheckResult, Waiter, check
from tests.db_lambda.conftest import REGION, all_users
from tests.db_lambda.mariadb import MariaDB
from tests.harness import fake_lambda_context

FUNCTION = "DbLambda-Function-abc123"
INSTANCE = "dblambda-database"


class StubLambda:
    """`invoke` as Lambda does it, running the handler here; records each event."""

    def __init__(self, respond: Any = None) -> None:
        self.events: list[dict[str, Any]] = []
        self._respond = respond

    def invoke(self, *, FunctionName: str, Payload: bytes) -> dict[str, Any]:  # noqa: N803 - boto3's names
        assert FunctionName == FUNCTION
        event = json.loads(Payload)
        self.events.append(event)
        if self._respond is not None:
            return dict(self._respond(event))
        result = handler.lambda_handler(event, fake_lambda_context("DbLambda-Function", region=REGION))
        return {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(result).encode())}


class Session:
    """A boto3 session on moto, except for the stubbed Lambda client."""

    def __init__(self, stub: StubLambda) -> None:
        self._session = boto3.Session(region_name=REGION)
        self.region_name = REGION
        self.stub = stub

    def client(self, name: str) -> Any:
        return self.stub if name == "lambda" else self._session.client(name)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def wait() -> Waiter:
    clock = FakeClock()
    return Waiter(out=io.StringIO(), clock=clock, sleep=clock.sleep)


@pytest.fixture
def instance_secret_arn(aws: None) -> str:
    """An encrypted private MySQL 8.4 instance with an RDS-managed master secret, in moto."""
    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_instance(
        DBInstanceIdentifier=INSTANCE,
        Engine="mysql",
        EngineVersion="8.4.5",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        ManageMasterUserPassword=True,
        StorageEncrypted=True,
        PubliclyAccessible=False,
        DBName="myapp",
    )
    arn: str = rds.describe_db_instances(DBInstanceIdentifier=INSTANCE)["DBInstances"][0]["MasterUserSecret"][
        "SecretArn"
    ]
    return arn


@pytest.fixture
def deployed_function(
    deployed: db.ConnectionSettings, instance_secret_arn: str, monkeypatch: pytest.MonkeyPatch, fresh_database: MariaDB
) -> Iterator[str]:
    """The handler reading the instance's RDS-managed secret; MariaDB has its master user with that password."""
    value = boto3.client("secretsmanager", region_name=REGION).get_secret_value(SecretId=instance_secret_arn)
    master = json.loads(value["SecretString"])
    with fresh_database.root() as root, root.cursor() as cursor:
        cursor.execute("CREATE USER %s@'127.0.0.1' IDENTIFIED BY %s", (master["username"], master["password"]))
        cursor.execute("GRANT CREATE, SELECT, INSERT ON myapp.* TO %s@'127.0.0.1'", (master["username"],))
    monkeypatch.setenv(handler.SECRET_VARIABLE, instance_secret_arn)
    handler.database.cache_clear()
    yield instance_secret_arn
    handler.database().close()
    with fresh_database.root() as root, root.cursor() as cursor:
        cursor.execute("DROP USER %s@'127.0.0.1'", (master["username"],))


def outputs(secret_arn: str, **extra: str) -> dict[str, str]:
    return {"FunctionName": FUNCTION, "DbInstanceId": INSTANCE, "DbSecretArn": secret_arn, **extra}


def by_name(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {result.name: result for result in results}


def test_every_check_passes_against_a_working_lab(
    deployed_function: str, wait: Waiter, fresh_database: MariaDB
) -> None:
    # Given a deployed sandbox lab (moto RDS + secret, the handler on MariaDB)
    stub = StubLambda()
    # When verify runs
    results = verify.run_checks(Session(stub), outputs(deployed_function), "sandbox", wait)
    # Then every check passes, the function was invoked with a write then a read, and the row exists
    assert [(result.name, result.passed) for result in results] == [
        ("database instance is available, encrypted, private", True),
        ("secret is the instance's RDS-managed secret", True),
        ("function writes a user, then reads it back", True),
    ], results
    assert [event["action"] for event in stub.events] == ["add_user", "get_user"]
    assert [row[2] for row in all_users(fresh_database)] == [stub.events[0]["email"]]
    assert by_name(results)["function writes a user, then reads it back"].detail.startswith(f"{FUNCTION}: user 1 (")


def test_a_secret_that_is_not_the_instances_fails_that_check_only(
    deployed_function: str, wait: Waiter, aws: None
) -> None:
    # Given stack outputs that name some other secret
    other = boto3.client("secretsmanager", region_name=REGION).create_secret(Name="hand-made", SecretString="{}")
    # When verify runs
    results = by_name(verify.run_checks(Session(StubLambda()), outputs(other["ARN"]), "sandbox", wait))
    # Then the secret check fails, saying which secret the instance has, and the others pass
    failed = results["secret is the instance's RDS-managed secret"]
    assert not failed.passed
    assert f"master user secret is {deployed_function}, not {other['ARN']}" in failed.detail
    assert results["function writes a user, then reads it back"].passed


def test_a_function_that_keeps_answering_503_fails_after_the_timeout(instance_secret_arn: str, wait: Waiter) -> None:
    # Given a function whose database never becomes reachable
    def unavailable(event: dict[str, Any]) -> dict[str, Any]:
        body = {"statusCode": 503, "body": json.dumps({"message": "the database is unavailable; try again later"})}
        return {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(body).encode())}

    stub = StubLambda(unavailable)
    # When verify runs (on a fake clock)
    results = by_name(verify.run_checks(Session(stub), outputs(instance_secret_arn), "sandbox", wait))
    # Then the round trip fails with the wait's timeout, after asking every 10 s
    failed = results["function writes a user, then reads it back"]
    assert (failed.passed, failed.detail) == (
        False,
        f"WaitTimeout: {FUNCTION} to add a user: not done after {verify.FUNCTION_TIMEOUT_S} s",
    )
    assert len(stub.events) == verify.FUNCTION_TIMEOUT_S // 10 + 1


def test_an_unhandled_function_error_is_reported_with_its_type_and_message(
    instance_secret_arn: str, wait: Waiter
) -> None:
    # Given a function that crashes (as with a missing environment variable)
    def crash(event: dict[str, Any]) -> dict[str, Any]:
        error = {"errorType": "MissingConfigurationError", "errorMessage": "environment variable(s) not set: DB_HOST"}
        return {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": io.BytesIO(json.dumps(error).encode())}

    # When verify runs
    results = by_name(verify.run_checks(Session(StubLambda(crash)), outputs(instance_secret_arn), "sandbox", wait))
    # Then the round trip fails with the function's error, at once
    assert results["function writes a user, then reads it back"].detail == (
        f"AssertionError: {FUNCTION} failed: MissingConfigurationError: environment variable(s) not set: DB_HOST"
    )


def test_prod_checks_the_proxy(instance_secret_arn: str, wait: Waiter) -> None:
    # Given a prod stack with RDS Proxy, in front of the instance, requiring TLS
    rds = boto3.client("rds", region_name=REGION)
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"][
            "SubnetId"
        ]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    rds.create_db_proxy(
        DBProxyName="dblambda-proxy",
        EngineFamily="MYSQL",
        Auth=[{"AuthScheme": "SECRETS", "SecretArn": instance_secret_arn, "IAMAuth": "DISABLED"}],
        RoleArn="arn:aws:iam::123456789012:role/proxy",
        VpcSubnetIds=subnets,
        RequireTLS=True,
    )
    # When verify runs with the proxy's output
    results = verify.run_checks(
        Session(StubLambda()), outputs(instance_secret_arn, DbProxyName="dblambda-proxy"), "prod", wait
    )
    # Then the proxy is checked too
    proxy = by_name(results)["RDS Proxy is available and requires TLS"]
    assert proxy.passed, proxy.detail
    assert proxy.detail.startswith("dblambda-proxy: available at ")


def test_a_missing_output_names_the_key(wait: Waiter, aws: None) -> None:
    results = verify.run_checks(Session(StubLambda()), {}, "sandbox", wait)
    assert {result.detail for result in results} == {
        "AssertionError: the stack has no output DbInstanceId: is it the db-lambda lab's stack?",
        "AssertionError: the stack has no output FunctionName: is it the db-lambda lab's stack?",
    }


def test_the_script_prints_pass_or_fail_per_check_and_exits_1_on_a_failure(
    instance_secret_arn: str, wait: Waiter, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a deployed stack whose outputs CloudFormation returns (moto), and a crashing function
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": {}}
    for key, value in outputs(instance_secret_arn).items():
        template["Outputs"][key] = {"Value": value}
    cloudformation.create_stack(StackName="DbLambda", TemplateBody=json.dumps(template))

    def crash(event: dict[str, Any]) -> dict[str, Any]:
        return {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": io.BytesIO(b'{"errorType": "Boom"}')}

    # When the script runs
    code = verify.main([], session=Session(StubLambda(crash)), wait=wait)
    # Then it prints one line per check and exits 1
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert [line.split(":")[0] for line in lines] == [
        "PASS  database instance is available, encrypted, private",
        "PASS  secret is the instance's RDS-managed secret",
        "FAIL  function writes a user, then reads it back",
    ]


def test_the_script_has_help_and_one_line_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        verify.main(["--stage", "dev"])
    # argparse quotes the choices differently from Python 3.12 on: compare the stable parts
    [line] = capsys.readouterr().err.splitlines()
    assert raised.value.code == 2
    assert line.startswith("error: argument --stage: invalid choice: 'dev' (choose from ")
    assert line.endswith(") (see --help)")


class SecretInStatus:
    """The moto RDS client, with the instance's MasterUserSecret in `status` (moto's is always active)."""

    def __init__(self, rds: Any, status: str) -> None:
        self._rds, self._status = rds, status

    def describe_db_instances(self, **kwargs: Any) -> dict[str, Any]:
        described: dict[str, Any] = self._rds.describe_db_instances(**kwargs)
        for instance in described["DBInstances"]:
            instance["MasterUserSecret"]["SecretStatus"] = self._status
        return described


@pytest.mark.parametrize(("status", "passes"), [("rotating", True), ("active", True), ("impaired", False)])
def test_a_secret_rds_is_rotating_passes_and_an_impaired_one_fails(
    instance_secret_arn: str, wait: Waiter, status: str, passes: bool
) -> None:
    # RDS rotates its managed secrets every 7 days: SecretStatus is creating, active, rotating or
    # impaired, and only impaired (RDS cannot reach the secret or its key) is a problem
    # (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_MasterUserSecret.html).
    session = Session(StubLambda())
    moto_client = session.client

    def client(name: str) -> Any:
        return SecretInStatus(moto_client("rds"), status) if name == "rds" else moto_client(name)

    session.client = client  # type: ignore[method-assign]
    trial = verify.Trial(session, outputs(instance_secret_arn), wait)
    result = check("secret", trial.secret_managed_by_rds)
    assert result.passed is passes, result.detail
    if passes:
        assert result.detail.endswith(status)
    else:
        assert "RDS reports the secret as impaired" in result.detail
