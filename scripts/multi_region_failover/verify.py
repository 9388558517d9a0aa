"""`verify` for the multi-region-failover lab: both regions serve, Route 53 sends traffic to the
primary, and the visit counter follows to the secondary.

Checks, each independent of the others' outcome:
- the primary ALB answers / with the primary region's name (and a visit count);
- the secondary ALB answers / with the secondary region's name;
- the primary's Route 53 health check is healthy (most health checkers report success);
- the zone's own name servers answer the record with the primary ALB's addresses;
- the counter item written through the primary reaches the table's replica in the secondary.

`outputs` are the DNS stack's (MultiRegionFailover, in the primary region): it repeats
everything the checks need from the regional stacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scripts.multi_region_failover.deployment import Deployment, HttpGet, answered_role, http_get_json
from scripts.multi_region_failover.dns_query import Resolver, SystemResolver
from scripts.sandbox.checks import CheckResult, Waiter, check

COUNTER_KEY = "visits"
HEALTHY_SHARE = 0.18


def region_answers(deployment: Deployment, role: str, http_get: HttpGet) -> tuple[str, int]:
    """GET / on the role's ALB: (detail, visit count); raises unless it names its own region."""
    status, body = http_get(deployment.url(role))
    expected = deployment.regions[role]
    if status != 200 or body.get("region") != expected:
        raise AssertionError(f"{deployment.url(role)} answered {status} {body}, expected 200 from {expected}")
    visits = int(body.get("visits", 0))
    return f"200 from {expected}, visit {visits}", visits


def health_check_healthy(session: Any, deployment: Deployment) -> str:
    # Route 53's health check API is global; its endpoint is in us-east-1.
    route53 = session.client("route53", region_name="us-east-1")
    status = route53.get_health_check_status(HealthCheckId=deployment.health_check_id)
    return judge_observations(status["HealthCheckObservations"])


def judge_observations(observations: list[dict[str, Any]]) -> str:
    """Healthy as Route 53 judges it: more than 18% of its health checkers report success.

    https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
    """
    passing = [o for o in observations if o["StatusReport"]["Status"].startswith("Success")]
    detail = f"{len(passing)} of {len(observations)} health checkers report success"
    if not observations or len(passing) / len(observations) <= HEALTHY_SHARE:
        raise AssertionError(detail)
    return detail


def replicated_visits(session: Any, deployment: Deployment) -> int:
    dynamodb = session.client("dynamodb", region_name=deployment.regions["secondary"])
    item = dynamodb.get_item(TableName=deployment.table, Key={"pk": {"S": COUNTER_KEY}}).get("Item")
    return int(item["visits"]["N"]) if item else 0


def run_checks(
    session: Any,
    outputs: dict[str, str],
    stage: str,
    wait: Waiter,
    *,
    http_get: HttpGet = http_get_json,
    zone_resolver: Callable[[Deployment], Resolver] = Deployment.zone_resolver,
    public_resolver: Resolver | None = None,
    timeout_s: float = 180,
) -> list[CheckResult]:
    """The five checks of the module docstring. `stage` is unused: the checks are the same in both."""
    del stage
    public = public_resolver or SystemResolver()

    def deployment() -> Deployment:
        return Deployment.from_outputs(outputs)

    def primary_answers() -> str:
        return region_answers(deployment(), "primary", http_get)[0]

    def zone_answers_primary() -> str:
        found = deployment()
        zone = zone_resolver(found)
        role = wait.until(
            f"the zone's name servers to answer {found.record} with the primary",
            lambda: "primary" if answered_role(found, zone, public) == "primary" else None,
            timeout_s=timeout_s,
            every_s=10,
        )
        return f"{found.record} -> the {role} ALB ({found.regions[role]})"

    def counter_replicated() -> str:
        found = deployment()
        # A visit through the primary now, after the secondary's own visit above: the replica
        # reaches this count only with the primary's writes, not with its own.
        _, target = region_answers(found, "primary", http_get)
        count = wait.until(
            f"the visit counter ({target}) in {found.regions['secondary']}",
            lambda: (lambda n: n if n >= target else None)(replicated_visits(session, found)),
            timeout_s=timeout_s,
            every_s=2,
        )
        return f"visits = {count} in the {found.regions['secondary']} replica (primary wrote {target})"

    checks: list[tuple[str, Callable[[], str]]] = [
        ("the primary region answers with its name", primary_answers),
        ("the secondary region answers with its name", lambda: region_answers(deployment(), "secondary", http_get)[0]),
        ("the primary's health check is healthy", lambda: health_check_healthy(session, deployment())),
        ("the zone's name servers answer with the primary", zone_answers_primary),
        ("the counter is replicated to the secondary", counter_replicated),
    ]
    return [check(name, action) for name, action in checks]
