"""Configuration section `billing_alarm` of each stage in cdk.json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import EmailAddress, RegionName, amounts

# AWS publishes billing metrics (AWS/Billing EstimatedCharges) only in this region.
BILLING_REGION = "us-east-1"


class BillingAlarmConfig(LabSection):
    """Lab 3: CloudWatch billing alarm and AWS Budgets budget, in us-east-1."""

    region: RegionName = Field(description="must be us-east-1 (billing metrics exist only there)")
    alarm_email: EmailAddress | None = Field(
        default=None, description="e-mail for the alarms and budget; null: no subscriber (synth warns)"
    )
    alarm_thresholds_usd: amounts(1, 100_000, max_items=10) = Field(  # type: ignore[valid-type]
        description="one EstimatedCharges alarm per amount (the guide: 10)"
    )
    monthly_budget_usd: float = Field(ge=1, le=100_000, description="AWS Budgets monthly cost budget")

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {"alarm_email": "billing@example.com"}

    @model_validator(mode="after")
    def _in_the_billing_region(self) -> BillingAlarmConfig:
        if self.region != BILLING_REGION:
            raise FieldError(
                "region",
                self.region,
                f"must be {BILLING_REGION}: AWS publishes billing metrics (AWS/Billing EstimatedCharges) only there",
            )
        return self
