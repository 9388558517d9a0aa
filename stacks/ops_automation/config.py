"""Configuration section `ops_automation` of each stage in cdk.json."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import EmailAddress, LogRetentionDays
from stacks.ops_automation.dst import skipped_run

# EventBridge Scheduler's cron: cron(minutes hours day-of-month month day-of-week year),
# where exactly one of day-of-month and day-of-week is "?".
# Every chore's function; the stack and the cost model both read it (not a setting: chores are small).
CHORE_MEMORY_MB = 256
_CRON = re.compile(r"^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$")
# An IANA zone name (Europe/Berlin, America/Argentina/Buenos_Aires) or UTC; Scheduler checks it exists.
_TIME_ZONE = re.compile(r"^(UTC|[A-Z][A-Za-z]+(/[A-Za-z0-9_+-]+){1,2})$")


def _cron(value: str) -> str:
    match = _CRON.match(value)
    if match is None:
        raise ValueError(
            "must be an EventBridge Scheduler cron expression with 6 fields, like cron(0 4 * * ? *) (04:00 daily)"
        )
    if (match.group(3) == "?") == (match.group(5) == "?"):
        raise ValueError("must have '?' in exactly one of day-of-month and day-of-week, like cron(0 20 ? * MON-FRI *)")
    return value


def _time_zone(value: str) -> str:
    if not _TIME_ZONE.match(value):
        raise ValueError("must be an IANA time zone name like Europe/Berlin or America/New_York, or UTC")
    return value


CronExpression = Annotated[str, AfterValidator(_cron)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]


class OpsAutomationConfig(LabSection):
    """Lab 8: EventBridge Scheduler -> one Lambda function per chore (guide 002 boto3 scripts)."""

    time_zone: TimeZoneName = Field(description="IANA time zone of every schedule (Scheduler follows its DST)")
    snapshot_schedule: CronExpression = Field(description="when the volumes tagged Backup=true are snapshotted")
    cleanup_schedule: CronExpression = Field(
        description="when AutoCreated=true snapshots older than retention_days are deleted"
    )
    stop_instances_schedule: CronExpression | None = Field(
        default=None, description="when running instances tagged Schedule=office-hours are stopped; null: no such chore"
    )
    retention_days: int = Field(
        ge=1, le=3650, description="age in days after which the lab's snapshots go (the guide: 30)"
    )
    dry_run: bool = Field(description="true: the chores only report what they would do (EC2 DryRun calls)")
    alarm_email: EmailAddress | None = Field(
        default=None, description="e-mail for the daily reports and alarms; null: no subscriber (synth warns)"
    )
    log_retention_days: LogRetentionDays = Field(description="days of function logs")

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {
        "stop_instances_schedule": "cron(0 20 ? * MON-FRI *)",
        "alarm_email": "ops@example.com",
    }
    ALL_OPTIONS_EXEMPT: ClassVar[Mapping[str, str]] = {
        "dry_run": "the shipped stages gate both values: sandbox true, prod false",
    }

    @model_validator(mode="after")
    def _no_run_in_a_daylight_saving_gap(self) -> OpsAutomationConfig:
        # Scheduler skips a run whose time does not exist that day (see dst.py): this year and the next.
        this_year = date.today().year
        for field in ("snapshot_schedule", "cleanup_schedule", "stop_instances_schedule"):
            cron = getattr(self, field)
            if cron is None or (skipped := skipped_run(self.time_zone, cron, range(this_year, this_year + 2))) is None:
                continue
            time, day = skipped
            raise FieldError(
                field,
                cron,
                f"runs at {time}, which does not exist in {self.time_zone} on {day.isoformat()} (clocks spring "
                "forward) and EventBridge Scheduler skips that run: choose a time outside the daylight saving gap",
            )
        return self
