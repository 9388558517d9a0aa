"""Pure rules of the chores: settings, the run's date, snapshot tags and age, the summary.

No AWS, no environment, no clock: everything is passed in, so every rule is testable
with plain values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

# The guide's tags (snapshot_volume: AutoCreated=true and the date) plus the source volume,
# which makes "already snapshotted today?" one tag query.
BACKUP_TAG = ("Backup", "true")
SCHEDULE_TAG = ("Schedule", "office-hours")
AUTO_CREATED_TAG = ("AutoCreated", "true")
DATE_TAG = "Date"
SOURCE_VOLUME_TAG = "SourceVolume"
DEFAULT_RETENTION_DAYS = 30  # the guide's cleanup_old_snapshots(days=30)
MAX_RETENTION_DAYS = 3650
# EC2 allows 50 tags per resource; the guide's three come on top of the owner's.
MAX_OWNER_TAGS = 47
# SNS refuses a subject over 100 characters.
MAX_SUBJECT = 100
SERVICE = "ops-automation"

_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")
_TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}")


class ConfigurationError(ValueError):
    """The function's environment is wrong; the message names the variable and what is allowed."""


class InvalidEventError(ValueError):
    """The invocation's input is not what the schedule sends; the message says which field."""


@dataclass(frozen=True)
class Settings:
    """The function's environment, validated."""

    dry_run: bool = True
    retention_days: int = DEFAULT_RETENTION_DAYS
    alert_topic_arn: str | None = None
    # The stack's own tags (Project, Stage, Lab), put on every snapshot too: the snapshots
    # outlive the stack, and `make leftovers` finds what is left by the Project tag.
    owner_tags: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        return cls(
            dry_run=_flag(env, "DRY_RUN", default=True),
            retention_days=_retention_days(env.get("RETENTION_DAYS", "").strip()),
            alert_topic_arn=_topic_arn(env.get("ALERT_TOPIC_ARN", "").strip()),
            owner_tags=_owner_tags(env.get("OWNER_TAGS", "").strip()),
        )


@dataclass(frozen=True)
class Run:
    """One invocation: whether it may change anything, and the moment it stands for."""

    dry_run: bool
    now: datetime

    @property
    def day(self) -> date:
        """The date tag: the UTC date of the scheduled time.

        UTC, not the schedule's time zone: the date must not move with daylight saving,
        and a retry of the same scheduled run (same scheduled time) gets the same date
        even when it happens after midnight.
        """
        return self.now.astimezone(UTC).date()


def parse_run(event: Any, settings: Settings, now: datetime) -> Run:
    """The run described by `event`: {"dry_run": true} forces a dry run (it never turns one off);
    {"scheduled_time": "2024-05-01T02:00:00Z"} (EventBridge Scheduler's <aws.scheduler.scheduled-time>)
    is the moment the run stands for. Other keys are ignored (a console test event works)."""
    if event is None:
        event = {}
    if not isinstance(event, dict):
        raise InvalidEventError(f"the input must be a JSON object, not {type(event).__name__}")
    forced = event.get("dry_run", False)
    if not isinstance(forced, bool):
        raise InvalidEventError("dry_run must be true or false")
    moment = now
    scheduled = event.get("scheduled_time")
    if scheduled is not None:
        moment = _scheduled_time(scheduled)
    return Run(dry_run=settings.dry_run or forced, now=moment)


def snapshot_tags(volume_id: str, day: date, owner_tags: Mapping[str, str] | None = None) -> dict[str, str]:
    """The guide's tags, the source volume and the owner's tags (which never replace the guide's)."""
    guide = {AUTO_CREATED_TAG[0]: AUTO_CREATED_TAG[1], DATE_TAG: day.isoformat(), SOURCE_VOLUME_TAG: volume_id}
    return {**(owner_tags or {}), **guide}


def snapshot_description(volume_id: str, day: date) -> str:
    return f"Auto backup of {volume_id} on {day.isoformat()} ({SERVICE})"


def tags_of(resource: Mapping[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def created_by_this_lab(snapshot: Mapping[str, Any]) -> bool:
    """AutoCreated=true exactly: a snapshot someone else made (or tagged differently) is never ours."""
    return tags_of(snapshot).get(AUTO_CREATED_TAG[0]) == AUTO_CREATED_TAG[1]


def is_expired(start_time: datetime, now: datetime, retention_days: int) -> bool:
    """Older than the retention: started strictly before now - retention_days."""
    return start_time < now - timedelta(days=retention_days)


@dataclass(frozen=True)
class Item:
    """One volume, snapshot or instance the chore acted on (or would have), or skipped."""

    item: str
    detail: str


@dataclass
class Summary:
    """What one run of a chore did: returned by the function and published to the alert topic."""

    chore: str
    dry_run: bool
    day: date
    done: list[Item] = field(default_factory=list)
    skipped: list[Item] = field(default_factory=list)
    failures: list[Item] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        def items(values: list[Item]) -> list[dict[str, str]]:
            return [{"item": value.item, "detail": value.detail} for value in values]

        return {
            "chore": self.chore,
            "dry_run": self.dry_run,
            "date": self.day.isoformat(),
            "counts": {"done": len(self.done), "skipped": len(self.skipped), "failed": len(self.failures)},
            "done": items(self.done),
            "skipped": items(self.skipped),
            "failures": items(self.failures),
        }

    def subject(self) -> str:
        status = f"{len(self.failures)} FAILED" if self.failures else "ok"
        mode = " (dry run)" if self.dry_run else ""
        text = f"[{SERVICE}] {self.chore} {self.day.isoformat()}: {len(self.done)} done, {status}{mode}"
        return text[:MAX_SUBJECT]

    def message(self) -> str:
        """A plain-text report for e-mail subscribers: failures first, then what was done."""
        lines = [self.subject(), ""]
        sections = (("Failed", self.failures), ("Done", self.done), ("Skipped", self.skipped))
        for title, values in sections:
            if values:
                lines.append(f"{title} ({len(values)}):")
                lines.extend(f"  {value.item}: {value.detail}" for value in values)
                lines.append("")
        if not (self.done or self.skipped or self.failures):
            lines.append("Nothing to do.")
        return "\n".join(lines).rstrip() + "\n"


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a flag: use true or false")


def _retention_days(raw: str) -> int:
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isascii() or not raw.isdigit():
        raise ConfigurationError(f"RETENTION_DAYS={raw!r} is not a whole number of days (1-{MAX_RETENTION_DAYS})")
    days = int(raw)
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise ConfigurationError(f"RETENTION_DAYS={days} is out of range: use 1-{MAX_RETENTION_DAYS}")
    return days


def _owner_tags(raw: str) -> dict[str, str]:
    if not raw:
        return {}
    try:
        tags = json.loads(raw)
    except ValueError:
        tags = None
    if not isinstance(tags, dict) or not all(isinstance(v, str) and isinstance(k, str) for k, v in tags.items()):
        raise ConfigurationError(f'OWNER_TAGS={raw!r} is not a JSON object of strings, e.g. {{"Project": "x"}}')
    if len(tags) > MAX_OWNER_TAGS or any(key.lower().startswith("aws:") for key in tags):
        raise ConfigurationError(
            f"OWNER_TAGS has {len(tags)} tag(s): use at most {MAX_OWNER_TAGS}, none starting with aws: (reserved)"
        )
    return tags


def _topic_arn(raw: str) -> str | None:
    if not raw:
        return None
    if not _TOPIC_ARN.fullmatch(raw):
        raise ConfigurationError(f"ALERT_TOPIC_ARN={raw!r} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)")
    return raw


def _scheduled_time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidEventError("scheduled_time must be an ISO-8601 string")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidEventError("scheduled_time must be an ISO-8601 date and time, e.g. 2024-05-01T02:00:00Z") from None
    if moment.tzinfo is None:
        raise InvalidEventError("scheduled_time must include a time zone (Z or +HH:MM)")
    return moment
