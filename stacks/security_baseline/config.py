"""Configuration section `security_baseline` of each stage in cdk.json."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import EmailAddress, LogRetentionDays

_DETECTOR_ID = re.compile(r"^[0-9a-f]{32}$")


def _detector_id(value: str) -> str:
    if not _DETECTOR_ID.match(value):
        raise ValueError("must be a GuardDuty detector id (32 hex characters: aws guardduty list-detectors), or null")
    return value


DetectorId = Annotated[str, AfterValidator(_detector_id)]


class SecurityBaselineConfig(LabSection):
    """Lab 9: CloudTrail with CIS metric alarms, GuardDuty findings -> SNS and remediation.

    An account has at most one GuardDuty detector per region: "create" makes one (and
    the stack owns it), "existing" uses the account's own, named by its id.
    """

    guardduty_detector: Literal["create", "existing"] = Field(
        description='"create": the stack makes the detector; "existing": use the one the account already has'
    )
    existing_detector_id: DetectorId | None = Field(
        default=None, description='the existing detector\'s id, required with "existing" (verify checks it)'
    )
    remediation: Literal["dry-run", "enforce"] = Field(
        description='"dry-run": the function only logs the deny policy it would attach; "enforce": attaches it'
    )
    trail_log_retention_days: LogRetentionDays = Field(description="days of the trail's copy in CloudWatch Logs")
    log_transition_to_glacier_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="move trail log files to S3 Glacier Flexible Retrieval after; null: never",
    )
    log_expiration_days: int = Field(ge=1, le=3650, description="delete trail log files from the bucket after")
    access_analyzer: bool = Field(description="an IAM Access Analyzer for the account (external access: free)")
    security_hub: bool = Field(
        description="opt-in: enable Security Hub with its default standards (cost: see the lab's guide)"
    )
    aws_config: bool = Field(description="opt-in: an AWS Config recorder of all resources (cost: see the lab's guide)")
    alarm_email: EmailAddress | None = Field(
        default=None, description="e-mail for the alarms and findings; null: no subscriber (synth warns)"
    )
    log_retention_days: LogRetentionDays = Field(description="days of the remediation function's logs")

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {
        "guardduty_detector": "existing",
        "existing_detector_id": "12abc34d567e8fa901bc2d34e56789f0",
        "remediation": "enforce",
        "log_transition_to_glacier_days": 14,
        "access_analyzer": True,
        "security_hub": True,
        "aws_config": True,
        "alarm_email": "security@example.com",
    }

    @model_validator(mode="after")
    def _fits_together(self) -> SecurityBaselineConfig:
        if self.guardduty_detector == "existing" and self.existing_detector_id is None:
            raise FieldError(
                "existing_detector_id",
                None,
                'is required when guardduty_detector is "existing" (aws guardduty list-detectors prints it)',
            )
        if self.guardduty_detector == "create" and self.existing_detector_id is not None:
            raise FieldError(
                "existing_detector_id",
                self.existing_detector_id,
                'must be null when guardduty_detector is "create" (the stack makes its own detector)',
            )
        transition = self.log_transition_to_glacier_days
        if transition is not None and transition >= self.log_expiration_days:
            raise FieldError(
                "log_transition_to_glacier_days",
                transition,
                f"must be less than log_expiration_days ({self.log_expiration_days}): files expire before they move",
            )
        return self
