"""Monthly cost of the three-tier lab for one stage's configuration, from a dated price table.

    python -m scripts.cost --lab three-tier [--stage prod]

The stage shapes (instance types, counts, NAT kind, Multi-AZ, storage) come from
cdk.json through stacks.config, so the numbers follow the configuration. Prices are
list prices: check them before you rely on them.
"""

from __future__ import annotations

from stacks.cost_model import (
    CLOUDWATCH_STANDARD_ALARM_MONTH,
    HOURS_PER_MONTH,
    LOGS_STORAGE_GB_MONTH,
    LOGS_VENDED_INGEST_GB,
    Line,
    PriceMissingError,
    hourly,
    monthly,
)
from stacks.three_tier.config import AZ_COUNT, ROOT_VOLUME_GIB, ThreeTierConfig

# ---------------------------------------------------------------------------------------
# Price table: AWS us-east-1 (N. Virginia), on-demand, Linux, USD, list prices.
# Compiled on 2026-11-22 from AWS's published pricing pages as the author last knew them;
# the build machine has no network, so they were not re-fetched that day. Verify at
# https://aws.amazon.com/{ec2,rds/mysql,elasticloadbalancing,vpc,ebs,secrets-manager}/pricing/
# ---------------------------------------------------------------------------------------
NAT_GATEWAY_HOUR = 0.045  # plus 0.045 per GB processed (usage, not counted below)
PUBLIC_IPV4_HOUR = 0.005  # every public IPv4 address: EIPs, a NAT instance's, each ALB node's
ALB_HOUR = 0.0225  # plus 0.008 per LCU-hour (usage; an idle lab uses a fraction of one)
EBS_GP3_GB_MONTH = 0.08
RDS_GP3_GB_MONTH = {False: 0.115, True: 0.23}  # single-AZ, Multi-AZ
SECRET_MONTH = 0.40
EC2_HOUR = {
    "t4g.nano": 0.0042,
    "t4g.micro": 0.0084,
    "t4g.small": 0.0168,
    "t3.nano": 0.0052,
    "t3.micro": 0.0104,
    "t3.small": 0.0208,
    "t3.medium": 0.0416,
}
# RDS for MySQL, (single-AZ, Multi-AZ) per hour.
RDS_MYSQL_HOUR = {
    "t4g.micro": (0.016, 0.032),
    "t4g.small": (0.032, 0.064),
    "t3.micro": (0.017, 0.034),
    "t3.small": (0.034, 0.068),
    "t3.medium": (0.068, 0.136),
}

# Scheduled scaling: 08:00-20:00 on weekdays = 12 h x 5 days x 52 weeks / 12 months.
BUSY_HOURS_PER_MONTH = 12 * 5 * 52 / 12


def price_of(table: dict[str, float], instance_type: str, what: str) -> float:
    if instance_type not in table:
        raise PriceMissingError(
            f"no {what} price for {instance_type} in stacks/three_tier/cost.py; add it (with its source)"
        )
    return table[instance_type]


def monthly_lines(config: ThreeTierConfig) -> list[Line]:
    lines: list[Line] = []
    if config.nat_type == "gateway":
        lines.append(hourly("NAT gateway", config.nat_count, NAT_GATEWAY_HOUR))
        lines.append(hourly("NAT gateway Elastic IP (public IPv4)", config.nat_count, PUBLIC_IPV4_HOUR))
    else:
        assert config.nat_instance_type is not None
        nat_price = price_of(EC2_HOUR, config.nat_instance_type, "EC2")
        lines.append(hourly(f"NAT instance {config.nat_instance_type}", 1, nat_price))
        lines.append(monthly("NAT instance root volume gp3", ROOT_VOLUME_GIB, "GB-month", EBS_GP3_GB_MONTH))
        lines.append(hourly("NAT instance public IPv4", 1, PUBLIC_IPV4_HOUR))

    lines.append(hourly("Application Load Balancer", 1, ALB_HOUR))
    lines.append(hourly("ALB public IPv4 (one per AZ)", AZ_COUNT, PUBLIC_IPV4_HOUR))

    web_price = price_of(EC2_HOUR, config.instance_type, "EC2")
    servers = config.asg_min_capacity
    lines.append(hourly(f"Web servers {config.instance_type} (ASG minimum)", servers, web_price))
    volume_months = float(servers)
    if config.scheduled_scaling:
        extra = config.busy_min_capacity - config.asg_min_capacity
        lines.append(
            hourly(f"Extra web servers, weekdays 08-20 ({extra})", extra, web_price, hours=BUSY_HOURS_PER_MONTH)
        )
        volume_months += extra * BUSY_HOURS_PER_MONTH / HOURS_PER_MONTH
    lines.append(
        monthly("Web server root volumes gp3", round(volume_months * ROOT_VOLUME_GIB, 2), "GB-month", EBS_GP3_GB_MONTH)
    )

    single, multi = RDS_MYSQL_HOUR.get(config.db_instance_type) or (None, None)
    if single is None or multi is None:
        raise PriceMissingError(f"no RDS price for db.{config.db_instance_type} in stacks/three_tier/cost.py; add it")
    shape = "Multi-AZ" if config.db_multi_az else "single-AZ"
    lines.append(hourly(f"RDS MySQL db.{config.db_instance_type} {shape}", 1, multi if config.db_multi_az else single))
    lines.append(
        monthly(
            f"RDS gp3 storage {shape}",
            config.db_allocated_storage_gib,
            "GB-month",
            RDS_GP3_GB_MONTH[config.db_multi_az],
        )
    )
    lines.append(monthly("Secrets Manager secret (DB credentials)", 1, "secret", SECRET_MONTH))
    return lines


# Made outside the template: target tracking creates its own two alarms (high and low), which
# CloudFormation does not list (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html).
TARGET_TRACKING_ALARMS = 2
# VPC flow logs of an idle lab, assumed: ALB health checks dominate (2 nodes x 2 a minute per server,
# each a new flow, seen on both ENIs), about 1,000,000 records a month of about 150 bytes.
FLOW_LOG_GB = 1_000_000 * 150 / 1e9

NOT_COUNTED = (
    f"Not in the lines: the {TARGET_TRACKING_ALARMS} CloudWatch alarms Auto Scaling creates for the CPU target\n"
    f"tracking policy, outside the template ({TARGET_TRACKING_ALARMS} x {CLOUDWATCH_STANDARD_ALARM_MONTH:.2f} USD = "
    f"{TARGET_TRACKING_ALARMS * CLOUDWATCH_STANDARD_ALARM_MONTH:.2f} a month; free within the first 10 alarms);\n"
    f"VPC flow logs, assumed {FLOW_LOG_GB:g} GB a month (1,000,000 records x 150 bytes):\n"
    f"ingestion {FLOW_LOG_GB:g} GB x {LOGS_VENDED_INGEST_GB:.2f} USD = {FLOW_LOG_GB * LOGS_VENDED_INGEST_GB:.3f}, "
    f"storage at most {FLOW_LOG_GB:g} GB x {LOGS_STORAGE_GB_MONTH:.2f} USD = {FLOW_LOG_GB * LOGS_STORAGE_GB_MONTH:.3f} "
    "a month.\n"
    "Not counted (usage-based): NAT gateway data processing (0.045 USD/GB), ALB LCUs (0.008 USD/LCU-h),\n"
    "data transfer out, S3 log storage, RDS backup\n"
    "storage beyond the DB size, t3 unlimited CPU credits."
)
