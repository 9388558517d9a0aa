"""Verify a deployed three-tier lab: the site, its healthy targets, the database and its secret.

Run by `make verify LAB=three-tier` (scripts/sandbox/verify.py) with the ThreeTier
stack's outputs (SiteUrl, DatabaseEndpoint, DatabaseSecretArn):
- the site answers 200 with a web server's page ("Hello from i-...") within 5 minutes
  (new instances need 2-3 minutes to pass the load balancer's health checks);
- in prod, two different instances answer (the guide's two AZs);
- the target group has healthy targets (two in prod);
- the database is available, and the DatabaseSecretArn output is the secret RDS manages
  for that database (active or rotating, not scheduled for deletion; its value is never read).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from scripts.sandbox.checks import CheckResult, Waiter, check
from scripts.sandbox.rds_secret import secret_status_problem
from scripts.sandbox.waits import until
from stacks.labs import PROJECT_TAG

LAB = "three-tier"
PROD_STAGE = "prod"
# The guide's shape: one web server per AZ in two AZs; the sandbox runs one.
DISTINCT_INSTANCES_IN_PROD = 2
# The web servers' user data writes this heading (stacks/three_tier.py, WEB_SERVER_COMMANDS).
INSTANCE_PAGE = re.compile(r"Hello from (i-[0-9a-f]+)")
SITE_TIMEOUT_S = 300
TARGETS_TIMEOUT_S = 300
DATABASE_TIMEOUT_S = 600
SECOND_INSTANCE_TIMEOUT_S = 120
REQUEST_TIMEOUT_S = 5
MAX_PAGE_BYTES = 65536


def run_checks(session: Any, outputs: dict[str, str], stage: str, wait: Waiter) -> list[CheckResult]:
    instances = DISTINCT_INSTANCES_IN_PROD if stage == PROD_STAGE else 1
    site = Site(_output(outputs, "SiteUrl"))
    results = [check("site answers 200 with an instance's page", lambda: site.answers(wait))]
    if instances > 1:
        results.append(
            check(f"{instances} different instances answer", lambda: site.distinct_instances(wait, instances))
        )
    results += [
        check("target group has healthy targets", lambda: healthy_targets(session, stage, wait, instances)),
        check("database is available", lambda: database_available(session, outputs, wait)),
        check("database secret exists and is this database's", lambda: secret_of_database(session, outputs)),
    ]
    return results


class Site:
    """The load balancer's URL and the instances seen answering it."""

    def __init__(self, url: str, fetch: Callable[[str], tuple[int, str]] | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"SiteUrl {url!r} is not an http(s) URL")
        self.url = url
        self._fetch = fetch or fetch_page
        self.seen: list[str] = []
        self.last = "no answer yet"

    def probe(self) -> str | None:
        """One request: the instance id on a 200 page, else None (and `last` says what came back)."""
        try:
            status, body = self._fetch(self.url)
        except (urllib.error.URLError, OSError) as error:
            self.last = f"{type(error).__name__}: {getattr(error, 'reason', error)}"
            return None
        match = INSTANCE_PAGE.search(body)
        if status != 200 or match is None:
            self.last = f"HTTP {status}" + ("" if match else ", not an instance's page")
            return None
        if match.group(1) not in self.seen:
            self.seen.append(match.group(1))
        return match.group(1)

    def answers(self, wait: Waiter) -> str:
        instance = until(
            wait, f"{self.url} to answer 200", self.probe, timeout_s=SITE_TIMEOUT_S, every_s=10, last=lambda: self.last
        )
        return f"HTTP 200 from {self.url}, page of {instance}"

    def distinct_instances(self, wait: Waiter, count: int) -> str:
        def enough() -> list[str] | None:
            self.probe()
            return self.seen if len(self.seen) >= count else None

        seen = until(
            wait,
            f"{count} different instances to answer",
            enough,
            timeout_s=SECOND_INSTANCE_TIMEOUT_S,
            every_s=2,
            last=self._seen,
        )
        return "answered by " + ", ".join(seen)

    def _seen(self) -> str:
        return "only " + (", ".join(self.seen) or "none") + f" answered; last: {self.last}"


def fetch_page(url: str) -> tuple[int, str]:
    """GET `url`; (status, body) for any HTTP answer, an exception when nothing answers."""
    request = urllib.request.Request(url, headers={"User-Agent": "cloudops-cdk-labs-verify"})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
            return int(response.status), response.read(MAX_PAGE_BYTES).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return int(error.code), ""


def target_groups(session: Any, stage: str) -> list[str]:
    """The lab's target groups, by the tags every lab resource carries."""
    tagging = session.client("resourcegroupstaggingapi")
    filters = [
        {"Key": "Project", "Values": [PROJECT_TAG]},
        {"Key": "Lab", "Values": [LAB]},
        {"Key": "Stage", "Values": [stage]},
    ]
    pages = tagging.get_paginator("get_resources").paginate(
        TagFilters=filters, ResourceTypeFilters=["elasticloadbalancing:targetgroup"]
    )
    return [mapping["ResourceARN"] for page in pages for mapping in page["ResourceTagMappingList"]]


def healthy_targets(session: Any, stage: str, wait: Waiter, required: int) -> str:
    arns = target_groups(session, stage)
    if not arns:
        raise AssertionError(f"no target group tagged Lab={LAB}, Stage={stage} in {session.region_name}")
    elbv2 = session.client("elbv2")
    states: dict[str, str] = {}

    def enough() -> list[str] | None:
        states.clear()
        for arn in arns:
            for target in elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]:
                states[target["Target"]["Id"]] = target["TargetHealth"]["State"]
        healthy = sorted(target for target, state in states.items() if state == "healthy")
        return healthy if len(healthy) >= required else None

    def last() -> str:
        return ", ".join(f"{target} {state}" for target, state in sorted(states.items())) or "no targets registered"

    healthy = until(wait, f"{required} healthy target(s)", enough, timeout_s=TARGETS_TIMEOUT_S, every_s=15, last=last)
    return f"{len(healthy)} healthy: " + ", ".join(healthy)


def database_instance(session: Any, outputs: dict[str, str]) -> dict[str, Any] | None:
    """The RDS instance behind the DatabaseEndpoint output, or None."""
    endpoint = _output(outputs, "DatabaseEndpoint")
    for page in session.client("rds").get_paginator("describe_db_instances").paginate():
        for instance in page["DBInstances"]:
            if instance.get("Endpoint", {}).get("Address") == endpoint:
                return dict(instance)
    return None


def database_available(session: Any, outputs: dict[str, str], wait: Waiter) -> str:
    status = {"value": "not found"}

    def available() -> dict[str, Any] | None:
        instance = database_instance(session, outputs)
        if instance is not None:
            status["value"] = instance["DBInstanceStatus"]
        return instance if status["value"] == "available" else None

    instance = until(
        wait,
        "the database to be available",
        available,
        timeout_s=DATABASE_TIMEOUT_S,
        every_s=30,
        last=lambda: status["value"],
    )
    shape = "Multi-AZ" if instance.get("MultiAZ") else "single-AZ"
    return f"{instance['DBInstanceIdentifier']} available ({instance['Engine']} {instance['EngineVersion']}, {shape})"


def secret_of_database(session: Any, outputs: dict[str, str]) -> str:
    """The output's secret is the one RDS manages for this database, and it is usable (the value is never read)."""
    arn = _output(outputs, "DatabaseSecretArn")
    instance = database_instance(session, outputs)
    if instance is None:
        raise AssertionError(f"no database answers to {outputs['DatabaseEndpoint']}")
    managed = instance.get("MasterUserSecret") or {}
    if managed.get("SecretArn") != arn:
        owner = managed.get("SecretArn", "none: the password is not managed by RDS")
        raise AssertionError(f"{instance['DBInstanceIdentifier']}'s secret is {owner}, not the output's {arn}")
    problem = secret_status_problem(managed.get("SecretStatus"))
    if problem is not None:
        raise AssertionError(problem)
    described = session.client("secretsmanager").describe_secret(SecretId=arn)
    if described.get("DeletedDate"):
        raise AssertionError(f"secret {described['Name']} is scheduled for deletion")
    rotation = "rotation on" if described.get("RotationEnabled") else "rotation off"
    return f"{described['Name']}: managed by RDS, {managed.get('SecretStatus')}, {rotation} (value not read)"


def _output(outputs: dict[str, str], key: str) -> str:
    if key not in outputs:
        raise AssertionError(f"the stack has no output {key}: is it the three-tier lab's stack?")
    return outputs[key]
