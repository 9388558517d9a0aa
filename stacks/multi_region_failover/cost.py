"""Monthly cost of the multi-region-failover lab at idle (us-east-1 list prices for both regions).

    python -m scripts.cost --lab multi-region-failover [--stage prod]

Both regions are priced at us-east-1 list prices (eu-west-1's ALB and IPv4 prices are
within a few percent): check https://aws.amazon.com/<service>/pricing/ before quoting.
"""

from __future__ import annotations

from stacks.cost_model import (
    HOURS_PER_MONTH,
    KMS_KEY_MONTH,
    LAMBDA_ARM64_PER_GB_SECOND,
    LAMBDA_PER_MILLION_REQUESTS,
    LOGS_STORAGE_GB_MONTH,
    LOGS_VENDED_INGEST_GB,
    PRICES_REVIEWED,
    Line,
    alarms,
    alert_topic_key,
    hourly,
    monthly,
)
from stacks.multi_region_failover.config import MultiRegionFailoverConfig

REGIONS = 2
PRICE = {
    "alb_hour": 0.0225,  # per Application Load Balancer-hour
    "alb_lcu_hour": 0.008,  # per LCU-hour; health checks and a learner's requests stay well under 1 LCU
    "public_ipv4_hour": 0.005,  # per in-use public IPv4 address (an ALB has one per AZ)
    "health_check_aws_endpoint_month": 0.50,  # basic health check of an AWS endpoint (an ALB)
    "health_check_option_month": 1.00,  # each optional feature on an AWS endpoint: HTTPS, fast interval
    "hosted_zone_month": 0.50,  # first 25 hosted zones
    "queries_per_million": 0.40,  # standard queries; alias queries to an ALB are free
    "replicated_write_per_million": 0.625,  # on-demand replicated write request units (global tables)
    "flow_logs_ingest_per_gb": 0.50,
}
AZS = 2
# Route 53 health checkers: AWS runs checkers in several locations (8 regions by default), each
# probing at the interval; AWS does not publish the exact count. Assumed: 16 probes per interval.
CHECKER_PROBES_PER_INTERVAL = 16
ALB_HEALTH_CHECK_INTERVAL_S = 35  # region_site.py: the ALB's own check of its Lambda target
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
INVOCATION_MS = 20  # a /health answer with the switch cached
ALARMS_PER_REGION = 2  # target 5XX, unhealthy target
LCU_HOURS_ASSUMED = 0.05  # per hour at idle: a few health-check requests a second are a tiny share of one LCU

# VPC flow logs of an idle lab, assumed: only REJECT records (region_site.py), the internet's scans of
# two ALB nodes per region, about 100,000 records a month of about 150 bytes, per region.
FLOW_LOG_GB = REGIONS * 100_000 * 150 / 1e9

NOT_COUNTED = (
    f"Prices compiled {PRICES_REVIEWED} (us-east-1 list prices, both regions), not fetched live, free tier "
    "ignored.\n"
    f"VPC flow logs (rejected traffic only), assumed {FLOW_LOG_GB:g} GB a month in both regions "
    f"(2 x 100,000 records x 150 bytes): ingestion {FLOW_LOG_GB:g} GB x {LOGS_VENDED_INGEST_GB:.2f} USD = "
    f"{FLOW_LOG_GB * LOGS_VENDED_INGEST_GB:.3f}, storage at most {FLOW_LOG_GB:g} GB x "
    f"{LOGS_STORAGE_GB_MONTH:.2f} USD = {FLOW_LOG_GB * LOGS_STORAGE_GB_MONTH:.3f} a month.\n"
    "Not counted (usage-based): a learner's own requests and DNS queries, ALB access log storage (KB at lab "
    "scale), the functions of CDK's custom resources (emptying the log buckets, closing the default security "
    "groups), which run only at deploy and destroy, and data transfer."
)


def monthly_lines(config: MultiRegionFailoverConfig) -> list[Line]:
    """A deployed month with no visitors: what the lab costs just by existing."""
    interval = config.health_check_interval_seconds
    options = int(interval == 10) + int(config.primary_certificate_arn is not None)
    checker_probes = SECONDS_PER_MONTH / interval * CHECKER_PROBES_PER_INTERVAL
    alb_probes = REGIONS * SECONDS_PER_MONTH / ALB_HEALTH_CHECK_INTERVAL_S
    invocations = checker_probes + alb_probes
    gb_seconds = invocations * INVOCATION_MS / 1000 * config.function_memory_mb / 1024
    return [
        hourly(f"Application Load Balancers ({REGIONS} regions)", REGIONS, PRICE["alb_hour"]),
        Line(
            "ALB LCUs at idle (assumed)",
            f"{REGIONS} x {LCU_HOURS_ASSUMED} LCU x {PRICE['alb_lcu_hour']} USD/h x {HOURS_PER_MONTH} h",
            REGIONS * LCU_HOURS_ASSUMED * PRICE["alb_lcu_hour"] * HOURS_PER_MONTH,
        ),
        hourly(f"Public IPv4 addresses ({AZS} per ALB)", REGIONS * AZS, PRICE["public_ipv4_hour"]),
        monthly("Route 53 health check (AWS endpoint)", 1, "check", PRICE["health_check_aws_endpoint_month"]),
        monthly("Route 53 health check options (HTTPS, 10 s)", options, "options", PRICE["health_check_option_month"]),
        monthly("Route 53 hosted zone", 1, "zone", PRICE["hosted_zone_month"]),
        Line("Route 53 queries", "alias A queries to an ALB are free; a learner's few others: ~0", 0.0),
        Line(
            "Lambda requests (health checks)",
            f"{invocations:,.0f} probes (Route 53 every {interval} s x {CHECKER_PROBES_PER_INTERVAL}, "
            f"ALB every {ALB_HEALTH_CHECK_INTERVAL_S} s) x ${LAMBDA_PER_MILLION_REQUESTS:.2f}/M",
            invocations / 1e6 * LAMBDA_PER_MILLION_REQUESTS,
        ),
        Line(
            "Lambda duration (arm64)",
            f"{gb_seconds:,.0f} GB-s ({INVOCATION_MS} ms at {config.function_memory_mb} MB) x "
            f"${LAMBDA_ARM64_PER_GB_SECOND}",
            gb_seconds * LAMBDA_ARM64_PER_GB_SECOND,
        ),
        Line(
            "DynamoDB global table replicated writes",
            f"one counter item; per 1,000 visits: 1,000 rWRU x ${PRICE['replicated_write_per_million']}/M",
            0.0,
        ),
        # One alert topic key per region, on the line every lab's key has (scripts/cost.py adds the rotation note).
        monthly(alert_topic_key().item, REGIONS, "keys", KMS_KEY_MONTH),
        alarms(f"(target 5XX, unhealthy target; {REGIONS} regions)", REGIONS * ALARMS_PER_REGION),
    ]
