"""Verify a deployed db-lambda lab: the function writes a user to RDS and reads it back.

Run by the sandbox loop (`run_checks`, the contract in scripts/sandbox/checks.py) or alone:

    python -m scripts.db_lambda.verify [--stack DbLambda] [--stage sandbox]

With the DbLambda stack's outputs (FunctionName, DbInstanceId, DbSecretArn, and DbProxyName
when the stage has RDS Proxy) it checks that:
- the DB instance is available, encrypted and not publicly accessible;
- the secret is the one RDS manages for that instance (verify never reads its value);
- in prod, the proxy is available and requires TLS;
- `aws lambda invoke` with add_user, then get_user, returns the same user: the function got
  its password from Secrets Manager (through the interface endpoint: there is no NAT) and
  ran its SQL on the database. The user is named after the run (verify-<hex>@example.com)
  and stays in the table: the function has no delete action.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scripts.aws_session import NO_REGION, aws_session
from scripts.sandbox.checks import CheckResult, Waiter, check
from scripts.sandbox.rds_secret import secret_status_problem
from scripts.stack_outputs import OneLineParser, ScriptError, run, stack_outputs
from stacks.labs import lab_named

STACK = lab_named("db-lambda").stack_id
INSTANCE_TIMEOUT_S = 600  # a stopped or modifying sandbox instance takes minutes to come back
# A cold start in the VPC, the secret and the first connection take seconds; a database still
# starting answers 503 meanwhile, so verify asks again for a while.
FUNCTION_TIMEOUT_S = 120


def run_checks(session: Any, outputs: dict[str, str], stage: str, wait: Waiter) -> list[CheckResult]:
    trial = Trial(session, outputs, wait)
    checks = [
        check("database instance is available, encrypted, private", trial.instance_available),
        check("secret is the instance's RDS-managed secret", trial.secret_managed_by_rds),
    ]
    if "DbProxyName" in outputs:
        checks.append(check("RDS Proxy is available and requires TLS", trial.proxy_available))
    checks.append(check("function writes a user, then reads it back", trial.round_trip))
    return checks


@dataclass
class Trial:
    """One pass over the deployed lab; each method is one check."""

    session: Any
    outputs: dict[str, str]
    wait: Waiter

    def instance_available(self) -> str:
        rds = self.session.client("rds")
        identifier = self._output("DbInstanceId")

        def available() -> dict[str, Any] | None:
            instance: dict[str, Any] = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
            return instance if instance["DBInstanceStatus"] == "available" else None

        instance = self.wait.until(f"DB instance {identifier} available", available, timeout_s=INSTANCE_TIMEOUT_S)
        if not instance.get("StorageEncrypted"):
            raise AssertionError(f"{identifier} is not encrypted")
        if instance.get("PubliclyAccessible"):
            raise AssertionError(f"{identifier} is publicly accessible")
        return f"{identifier}: {instance['Engine']} {instance['EngineVersion']} on {instance['DBInstanceClass']}"

    def secret_managed_by_rds(self) -> str:
        rds = self.session.client("rds")
        identifier = self._output("DbInstanceId")
        secret_arn = self._output("DbSecretArn")
        instance = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
        managed = instance.get("MasterUserSecret") or {}
        if managed.get("SecretArn") != secret_arn:
            raise AssertionError(f"{identifier}'s master user secret is {managed.get('SecretArn')}, not {secret_arn}")
        problem = secret_status_problem(managed.get("SecretStatus"))
        if problem is not None:
            raise AssertionError(problem)
        described = self.session.client("secretsmanager").describe_secret(SecretId=secret_arn)
        if described.get("OwningService") != "rds":
            raise AssertionError(f"{described['Name']} is owned by {described.get('OwningService')}, not rds")
        return f"{described['Name']}: managed by RDS for {identifier}, {managed['SecretStatus']}"

    def proxy_available(self) -> str:
        name = self._output("DbProxyName")
        proxy = self.session.client("rds").describe_db_proxies(DBProxyName=name)["DBProxies"][0]
        if proxy["Status"] != "available":
            raise AssertionError(f"proxy {name} is {proxy['Status']}")
        if not proxy.get("RequireTLS"):
            raise AssertionError(f"proxy {name} does not require TLS")
        return f"{name}: available at {proxy['Endpoint']}, TLS required"

    def round_trip(self) -> str:
        function = self._output("FunctionName")
        client = self.session.client("lambda")
        email = f"verify-{uuid.uuid4().hex[:12]}@example.com"

        def added() -> dict[str, Any] | None:
            status, body = invoke(client, function, {"action": "add_user", "name": "verify", "email": email})
            if status == 503:  # the database or the secret not reachable yet: ask again
                return None
            if status != 201:
                raise AssertionError(f"add_user answered {status}: {body.get('message', body)}")
            return body

        user = self.wait.until(f"{function} to add a user", added, timeout_s=FUNCTION_TIMEOUT_S, every_s=10)
        status, read = invoke(client, function, {"action": "get_user", "user_id": user["user_id"]})
        if status != 200:
            raise AssertionError(f"get_user answered {status}: {read.get('message', read)}")
        if read != user:
            raise AssertionError(f"get_user returned {read}, not the user added: {user}")
        return f"{function}: user {user['user_id']} ({email}) written and read back"

    def _output(self, key: str) -> str:
        if key not in self.outputs:
            raise AssertionError(f"the stack has no output {key}: is it the db-lambda lab's stack?")
        return self.outputs[key]


def invoke(client: Any, function: str, event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """One synchronous invocation; returns the response's statusCode and decoded body."""
    response = client.invoke(FunctionName=function, Payload=json.dumps(event).encode())
    payload = json.loads(response["Payload"].read() or b"null")
    if response.get("FunctionError"):
        detail = (
            payload if not isinstance(payload, dict) else f"{payload.get('errorType')}: {payload.get('errorMessage')}"
        )
        raise AssertionError(f"{function} failed: {detail}")
    if not isinstance(payload, dict) or "statusCode" not in payload:
        raise AssertionError(f"{function} returned {str(payload)[:200]}, not a response")
    body = json.loads(payload.get("body") or "{}")
    return int(payload["statusCode"]), body if isinstance(body, dict) else {"body": body}


def main(argv: Sequence[str] | None = None, *, session: Any = None, wait: Waiter | None = None) -> int:
    parser = OneLineParser(prog="python -m scripts.db_lambda.verify", description=__doc__.splitlines()[0])
    parser.add_argument("--stack", default=STACK, help=f"the lab's stack name (default {STACK})")
    parser.add_argument("--stage", default="sandbox", choices=("sandbox", "prod"), help="the deployed stage")
    args = parser.parse_args(argv)
    session = session or aws_session()
    if session.region_name is None:
        raise ScriptError(NO_REGION)
    results = run_checks(session, stack_outputs(session, args.stack), args.stage, wait or Waiter())
    for result in results:
        print(f"{'PASS' if result.passed else 'FAIL'}  {result.name}: {result.detail}")
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(run(main, None))
