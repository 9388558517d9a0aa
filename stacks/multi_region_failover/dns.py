"""The global part: a public hosted zone, a health check on the primary, failover alias records."""

from __future__ import annotations

import aws_cdk as cdk
import jsii
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from constructs import Construct

from stacks.multi_region_failover.config import MultiRegionFailoverConfig

HEALTH_PATH = "/health"


@jsii.implements(route53_targets.IAliasRecordTargetProps)
class _EvaluateTargetHealth:
    """Alias targets that also answer for the ALB's own health (its targets' health checks).

    Route 53 requires EvaluateTargetHealth on failover alias records (CDK refuses the record
    otherwise): then a region whose ALB has no healthy target fails over too, even if it is the
    secondary, and the PRIMARY's health check adds the guide's 30 s x 3 rule on top.
    """

    @property
    def evaluate_target_health(self) -> bool:
        return True

    @property
    def hosted_zone_id(self) -> str | None:
        return None  # the ALB's own canonical hosted zone (LoadBalancerTarget's default)


class FailoverRecords:
    """The guide's worked example: PRIMARY -> the primary ALB with a health check; SECONDARY -> the other.

    - Zone: a public hosted zone for `zone_name`. Nobody needs to own the name: Route 53
      answers for it on the zone's own four name servers, which is whom verify asks.
    - Health check: HTTP (HTTPS with a certificate) GET of /health on the primary ALB's DNS
      name every `health_check_interval_seconds` (the guide: 10 or 30; 30 is the standard
      price), unhealthy after `health_check_failure_threshold` failures in a row (the guide: 3),
      healthy again after as many successes, so recovery is automatic.
    - Records: two alias A records with the same name, failover PRIMARY and SECONDARY. Alias
      records (the guide: "works for root domain, free queries, use instead of CNAME for AWS
      resources") have no TTL of their own: Route 53 answers with the ALB record's 60 s.
      The guide's TTL advice (short before a change, long once stable) applies to the
      non-alias records a learner adds here; failover itself needs short TTLs so that
      resolvers come back for the new answer, which the alias' 60 s gives.
    """

    def __init__(
        self,
        scope: Construct,
        *,
        config: MultiRegionFailoverConfig,
        primary: elbv2.IApplicationLoadBalancer,
        secondary: elbv2.IApplicationLoadBalancer,
        https: bool,
    ) -> None:
        self.zone = route53.PublicHostedZone(
            scope,
            "Zone",
            zone_name=config.zone_name,
            comment="CloudOps CDK Labs multi-region-failover: answers on its own name servers, no registration needed",
        )
        self.health_check = route53.HealthCheck(
            scope,
            "PrimaryHealthCheck",
            type=route53.HealthCheckType.HTTPS if https else route53.HealthCheckType.HTTP,
            fqdn=primary.load_balancer_dns_name,
            port=443 if https else 80,
            resource_path=HEALTH_PATH,
            request_interval=cdk.Duration.seconds(config.health_check_interval_seconds),
            failure_threshold=config.health_check_failure_threshold,
        )
        route53.ARecord(
            scope,
            "PrimaryRecord",
            zone=self.zone,
            record_name=config.record_name,
            target=route53.RecordTarget.from_alias(
                route53_targets.LoadBalancerTarget(primary, _EvaluateTargetHealth())
            ),
            failover=route53.Failover.PRIMARY,
            set_identifier=f"primary-{config.primary_region}",
            health_check=self.health_check,
        )
        route53.ARecord(
            scope,
            "SecondaryRecord",
            zone=self.zone,
            record_name=config.record_name,
            target=route53.RecordTarget.from_alias(
                route53_targets.LoadBalancerTarget(secondary, _EvaluateTargetHealth())
            ),
            failover=route53.Failover.SECONDARY,
            set_identifier=f"secondary-{config.secondary_region}",
        )
