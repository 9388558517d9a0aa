"""Monthly cost of the db-lambda lab for one stage's configuration, from a dated price table.

    python -m scripts.cost --lab db-lambda [--stage prod]

The stage's shape (instance class, Multi-AZ, storage, proxy) comes from cdk.json through
stacks.config. What it avoids: a NAT gateway for the function to reach Secrets Manager
(0.045 USD/h, about 32.85 USD a month, plus 0.045 USD/GB) costs more than the endpoint.
"""

from __future__ import annotations

from stacks.cost_model import LOGS_STORAGE_GB_MONTH, LOGS_VENDED_INGEST_GB, Line, PriceMissingError, hourly, monthly
from stacks.db_lambda.config import AZ_COUNT, DbLambdaConfig

# ---------------------------------------------------------------------------------------
# Price table: AWS us-east-1 (N. Virginia), on-demand, USD, list prices. Compiled on
# 2026-11-22 from AWS's published pricing pages as the author last knew them; the build
# machine has no network, so they were not re-fetched that day. Verify at
# https://aws.amazon.com/{rds/mysql,rds/proxy,privatelink,secrets-manager}/pricing/
# ---------------------------------------------------------------------------------------
RDS_GP3_GB_MONTH = {False: 0.115, True: 0.23}  # single-AZ, Multi-AZ
# RDS for MySQL, (single-AZ, Multi-AZ) per hour.
RDS_MYSQL_HOUR = {
    "t4g.micro": (0.016, 0.032),
    "t4g.small": (0.032, 0.064),
    "t4g.medium": (0.065, 0.130),
    "t3.micro": (0.017, 0.034),
    "t3.small": (0.034, 0.068),
    "t3.medium": (0.068, 0.136),
}
# vCPUs of each class: RDS Proxy bills per vCPU of the instance behind it, at least 2.
VCPUS = {"t4g.micro": 2, "t4g.small": 2, "t4g.medium": 2, "t3.micro": 2, "t3.small": 2, "t3.medium": 2}
RDS_PROXY_VCPU_HOUR = 0.015
PROXY_MIN_VCPUS = 2
INTERFACE_ENDPOINT_AZ_HOUR = 0.01  # per endpoint per AZ, plus 0.01 per GB processed (usage)
SECRET_MONTH = 0.40

FLOW_LOG_GB = 100_000 * 150 / 1e9  # flow log records of an idle lab VPC (assumed) x bytes per record

NOT_COUNTED = (
    "Not counted (usage-based): Lambda requests and duration (0.20 USD per million, arm64 GB-s),\n"
    "endpoint data processing (0.01 USD/GB), Secrets Manager API calls (0.05 USD per 10,000: one per\n"
    "cold start), CloudWatch Logs ingestion (function and flow logs, 0.50 USD/GB), RDS backup storage\n"
    "beyond the DB size. RDS Proxy's Multi-AZ billing is assumed to count the writer's vCPUs only.\n"
    f"VPC flow logs of the idle VPC, assumed {FLOW_LOG_GB:g} GB a month (100,000 records x 150 bytes: the function's "
    f"connections and the endpoint's): ingestion {FLOW_LOG_GB:g} GB x {LOGS_VENDED_INGEST_GB:.2f} USD = "
    f"{FLOW_LOG_GB * LOGS_VENDED_INGEST_GB:.4f}, storage at most {FLOW_LOG_GB:g} GB x "
    f"{LOGS_STORAGE_GB_MONTH:.2f} USD = {FLOW_LOG_GB * LOGS_STORAGE_GB_MONTH:.4f} a month: "
    "left out of the lines as below a cent."
)


def monthly_lines(config: DbLambdaConfig) -> list[Line]:
    instance = config.db_instance_type
    single, multi = RDS_MYSQL_HOUR.get(instance) or (None, None)
    if single is None or multi is None or instance not in VCPUS:
        raise PriceMissingError(f"no RDS price for db.{instance} in stacks/db_lambda/cost.py; add it (with its source)")
    shape = "Multi-AZ" if config.db_multi_az else "single-AZ"
    lines = [
        hourly(f"RDS MySQL db.{instance} {shape}", 1, multi if config.db_multi_az else single),
        monthly(
            f"RDS gp3 storage {shape}",
            config.db_allocated_storage_gib,
            "GB-month",
            RDS_GP3_GB_MONTH[config.db_multi_az],
        ),
        hourly(
            f"Secrets Manager endpoint ({config.endpoint_azs} of {AZ_COUNT} AZs)",
            config.endpoint_azs,
            INTERFACE_ENDPOINT_AZ_HOUR,
        ),
        monthly("Secrets Manager secret (RDS-managed)", 1, "secret", SECRET_MONTH),
    ]
    if config.rds_proxy:
        vcpus = max(PROXY_MIN_VCPUS, VCPUS[instance])
        lines.append(hourly(f"RDS Proxy ({vcpus} vCPUs of db.{instance})", vcpus, RDS_PROXY_VCPU_HOUR))
    lines.append(Line("Lambda at idle", "no invocations, no charge", 0.0))
    return lines
