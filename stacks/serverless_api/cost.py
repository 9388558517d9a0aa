"""Monthly cost of the serverless-api lab: at idle, and per million requests (us-east-1 list prices).

    python -m scripts.cost --lab serverless-api [--stage prod] [--duration-ms 50]

Prints the arithmetic, line by line, from the dated price table below. The prices are
us-east-1 on-demand list prices WITHOUT the free tier; AWS changes them, so check them on
the pricing pages (https://aws.amazon.com/<service>/pricing/) before quoting.
"""

from __future__ import annotations

from stacks.cost_model import CUSTOM_METRIC_MONTH, PRICES_REVIEWED, Line, alarms, alert_topic_key, lambda_arm64
from stacks.serverless_api.config import ServerlessApiConfig

PRICES_NOTE = (
    f"Prices compiled {PRICES_REVIEWED} from the public us-east-1 list prices, not fetched live, free tier "
    "ignored: check them before you rely on them."
)
# USD, us-east-1.
PRICE = {
    "apigateway_rest_per_million_requests": 3.50,  # first 333 million a month
    "dynamodb_per_million_write_units": 0.625,  # on-demand, standard table class
    "dynamodb_per_million_read_units": 0.125,
    "cloudwatch_custom_metric_per_month": 0.30,
    "logs_ingest_per_gb": 0.50,
    "xray_per_million_traces": 5.00,
    "waf_web_acl_per_month": 5.00,
    "waf_rule_per_month": 1.00,  # each rule or AWS managed rule group (the baseline groups have no extra fee)
    "waf_per_million_requests": 0.60,
}
WAF_RULES = 3  # the rate-based rule and two AWS managed rule groups
# Three from the function's EMF lines (OrdersCreated, StatusChanges, StatusChangesRefused) and
# ThrottledRequests from the access logs: billed once published, whatever the traffic.
CUSTOM_METRICS = 4
ACCESS_LOG_BYTES = 600  # one JSON line per request
FUNCTION_LOG_BYTES = 350  # START, END and REPORT lines; the handler logs only errors
WRITE_SHARE = 0.5  # POST and PATCH; the other half are GETs and list queries of small orders

NOT_COUNTED = (
    "Not counted: data transfer out (0.09 USD/GB after the first 100 GB), DynamoDB storage "
    "(0.25 USD/GB-month, plus 0.20 with point-in-time recovery; a million orders is about 0.4 GB "
    "with the index), execution logs (errors only). "
    + PRICES_NOTE
    + "\nNot in the lines: the ThrottledRequests metric filter's custom metric "
    f"(1 x {CUSTOM_METRIC_MONTH:.2f} USD a month at most, prorated by the hours a 429 is logged; free within the "
    "account's first 10 custom metrics)."
)


def monthly_lines(config: ServerlessApiConfig) -> list[Line]:
    """A deployed month with no requests: what the lab costs just by existing."""
    lines = [
        alert_topic_key(),
        alarms("(5XX, p99 latency, throttling)", 3),
    ]
    if config.waf:
        lines.append(
            Line(
                "AWS WAF web ACL and rules",
                f"1 ACL x ${PRICE['waf_web_acl_per_month']:.2f}"
                f" + {WAF_RULES} rules x ${PRICE['waf_rule_per_month']:.2f}",
                PRICE["waf_web_acl_per_month"] + WAF_RULES * PRICE["waf_rule_per_month"],
            )
        )
    lines.append(Line("API Gateway, Lambda, DynamoDB at idle", "no requests, an empty table", 0.0))
    return lines


def usage_lines(config: ServerlessApiConfig, duration_ms: float) -> tuple[str, list[Line]]:
    """What the first million requests a month adds, with the stage's memory and WAF."""
    title = f"Per million requests (half writes, {duration_ms:g} ms at {config.function_memory_mb} MB):"
    return title, per_million_requests(duration_ms, config.function_memory_mb, waf=config.waf)


def per_million_requests(duration_ms: float, memory_mb: int, *, waf: bool) -> list[Line]:
    requests = 1_000_000
    writes = requests * WRITE_SHARE
    # Every write of an order also writes the ByUser index: two write units.
    write_units = 2 * writes
    reads = requests - writes
    log_gb = requests * (ACCESS_LOG_BYTES + FUNCTION_LOG_BYTES) / 1e9
    lines = [
        Line(
            "API Gateway REST requests",
            f"{requests:,} x ${PRICE['apigateway_rest_per_million_requests']:.2f}/M",
            requests / 1e6 * PRICE["apigateway_rest_per_million_requests"],
        ),
        *lambda_arm64(requests, duration_ms, memory_mb),
        Line(
            "DynamoDB writes (table + index)",
            f"{writes:,.0f} writes x 2 = {write_units:,.0f} WRU x ${PRICE['dynamodb_per_million_write_units']:.3f}/M",
            write_units / 1e6 * PRICE["dynamodb_per_million_write_units"],
        ),
        Line(
            "DynamoDB reads",
            f"{reads:,.0f} reads of < 4 KB = {reads:,.0f} RRU x ${PRICE['dynamodb_per_million_read_units']:.3f}/M",
            reads / 1e6 * PRICE["dynamodb_per_million_read_units"],
        ),
        Line(
            "CloudWatch Logs ingestion",
            f"{requests:,} x {ACCESS_LOG_BYTES + FUNCTION_LOG_BYTES} B = {log_gb:.2f} GB"
            f" x ${PRICE['logs_ingest_per_gb']:.2f}",
            log_gb * PRICE["logs_ingest_per_gb"],
        ),
        Line(
            "Custom metrics (once published)",
            f"{CUSTOM_METRICS} metrics x ${PRICE['cloudwatch_custom_metric_per_month']:.2f}",
            CUSTOM_METRICS * PRICE["cloudwatch_custom_metric_per_month"],
        ),
        Line(
            "X-Ray traces (upper bound: all sampled)",
            f"{requests:,} traces x ${PRICE['xray_per_million_traces']:.2f}/M",
            requests / 1e6 * PRICE["xray_per_million_traces"],
        ),
    ]
    if waf:
        lines.append(
            Line(
                "AWS WAF requests",
                f"{requests:,} x ${PRICE['waf_per_million_requests']:.2f}/M",
                requests / 1e6 * PRICE["waf_per_million_requests"],
            )
        )
    return lines
