"""Configuration section `db_lambda` of each stage in cdk.json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import InstanceTypeName, LogRetentionDays, private_cidr

# The lab's fixed shape, shared by the stack and its cost model: an RDS subnet group and
# RDS Proxy both need subnets in two Availability Zones, and each AZ gets one endpoint interface.
AZ_COUNT = 2
# The function's worst case before it can answer 503, each of its timeouts hit once
# (lambda_src/db_lambda/secrets.py and db.py; tests/db_lambda/test_config.py keeps them in step):
# Secrets Manager, 2 attempts x (2 s connect + 3 s read); the MySQL connect (3 s) and its
# handshake (10 s read timeout); one query (10 s write + 10 s read).
FUNCTION_WORST_CASE_SECONDS = 2 * (2 + 3) + 3 + 10 + 10 + 10


class DbLambdaConfig(LabSection):
    """Lab 10: Lambda -> IAM role -> Secrets Manager -> RDS MySQL, in isolated subnets.

    `rds_proxy` puts RDS Proxy between the function and the database (the guide: "Proxy,
    not RDS endpoint!"): it pools connections across concurrent functions and its public
    ACM certificate lets the function verify the server's identity. Off in the sandbox
    for its cost (it bills per vCPU of the instance, with a minimum).
    """

    vpc_cidr: private_cidr(16, 22) = Field(  # type: ignore[valid-type]
        description="VPC range, a private /16 to /22; the lab cuts two isolated /24 subnets from it"
    )
    db_instance_type: InstanceTypeName = Field(description="RDS instance class, without the `db.` prefix")
    db_multi_az: bool = Field(description="a standby in the second AZ")
    db_allocated_storage_gib: int = Field(ge=20, le=1000, description="gp3 database storage")
    db_backup_retention_days: int = Field(ge=1, le=35, description="days of automated backups")
    endpoint_azs: int = Field(
        ge=1, le=AZ_COUNT, description="AZs with a Secrets Manager endpoint interface (each billed per hour)"
    )
    rds_proxy: bool = Field(description="RDS Proxy in front of the database (the guide's advice; billed per vCPU)")
    function_timeout_seconds: int = Field(
        le=120, description=f"function timeout; at least {FUNCTION_WORST_CASE_SECONDS + 5} (its own timeouts add up)"
    )
    function_memory_mb: int = Field(ge=128, le=3008, description="function memory")
    log_retention_days: LogRetentionDays = Field(description="days of function logs and VPC flow logs")

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {"db_multi_az": True, "rds_proxy": True}

    @model_validator(mode="after")
    def _fits_together(self) -> DbLambdaConfig:
        # The function must outlive its own timeouts, or Lambda kills it before it can answer 503.
        if self.function_timeout_seconds < FUNCTION_WORST_CASE_SECONDS + 5:
            raise FieldError(
                "function_timeout_seconds",
                self.function_timeout_seconds,
                f"must be at least {FUNCTION_WORST_CASE_SECONDS + 5}: the function's Secrets Manager and "
                f"MySQL timeouts add up to {FUNCTION_WORST_CASE_SECONDS} s in the worst case",
            )
        return self
