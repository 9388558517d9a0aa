"""Pure rules: which events are remediated, which role they name, and the deny policy.

No AWS, no environment, no clock. Anything that is not a real, current finding of the
guide's type for this account raises IgnoredEventError with the reason, so the handler can
log it and do nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# .OutsideAWS (used from an address outside AWS) and .InsideAWS (from another AWS account).
FINDING_TYPE_PREFIX = "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration."
# The name the IAM console gives the same policy ("Revoke active sessions").
POLICY_NAME = "AWSRevokeOlderSessions"
ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)
INSTANCE_PROFILE_ARN = re.compile(
    r"arn:aws[a-z-]*:iam::(?P<account>[0-9]{12}):instance-profile/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]{1,128})",
    re.ASCII,
)
_TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}")


class IgnoredEventError(ValueError):
    """Not an event this function acts on; the message says why (and never echoes the event)."""


class ConfigurationError(ValueError):
    """The function's environment is wrong; the message names the variable and what is allowed."""


@dataclass(frozen=True)
class Target:
    """The role a finding is about: by name, or through the instance's instance profile."""

    finding_id: str
    finding_type: str
    severity: float
    role_name: str | None = None
    instance_profile_arn: str | None = None


@dataclass(frozen=True)
class Settings:
    dry_run: bool = True
    alert_topic_arn: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        raw = env.get("DRY_RUN", "").strip().lower()
        if raw not in ("", "true", "false"):
            raise ConfigurationError(f"DRY_RUN={raw!r} is not a flag: use true or false")
        topic = env.get("ALERT_TOPIC_ARN", "").strip()
        if topic and not _TOPIC_ARN.fullmatch(topic):
            raise ConfigurationError(f"ALERT_TOPIC_ARN={topic!r} is not an SNS topic ARN")
        # Anything but an explicit "false" is a dry run: remediation is opt-in.
        return cls(dry_run=raw != "false", alert_topic_arn=topic or None)


def parse_finding(event: Any, account_id: str) -> Target:
    """The role to remediate for an EventBridge "GuardDuty Finding" event of the guide's type."""
    if not isinstance(event, dict):
        raise IgnoredEventError(f"the event is not a JSON object but {type(event).__name__}")
    if event.get("source") != "aws.guardduty" or event.get("detail-type") != "GuardDuty Finding":
        raise IgnoredEventError("not a GuardDuty finding event (source aws.guardduty, detail-type GuardDuty Finding)")
    detail = _object(event, "detail")
    finding_type = detail.get("type")
    if not isinstance(finding_type, str) or not finding_type.startswith(FINDING_TYPE_PREFIX):
        raise IgnoredEventError(f"finding type {_short(finding_type)} is not {FINDING_TYPE_PREFIX}*")
    finding_id = detail.get("id")
    if not isinstance(finding_id, str) or not finding_id:
        raise IgnoredEventError("the finding has no id")
    if detail.get("accountId") != account_id:
        # A GuardDuty administrator account also receives its members' findings; their roles
        # are not this function's to change.
        raise IgnoredEventError(f"the finding is for account {_short(detail.get('accountId'))}, not {account_id}")
    service = detail.get("service")
    service = service if isinstance(service, dict) else {}
    if service.get("archived") is True:
        raise IgnoredEventError("the finding is archived")
    if is_sample_finding(service):
        # "Generate sample findings" in the console must not lock out a real role.
        raise IgnoredEventError("the finding is a GuardDuty sample finding")
    severity = detail.get("severity")
    if isinstance(severity, bool) or not isinstance(severity, int | float) or not math.isfinite(severity):
        raise IgnoredEventError("the finding has no numeric severity")
    resource = _object(detail, "resource")
    if resource.get("resourceType") != "AccessKey":
        raise IgnoredEventError(f"resource type {_short(resource.get('resourceType'))} is not AccessKey")
    role_name = _role_from_access_key(resource.get("accessKeyDetails"))
    profile_arn = _instance_profile_arn(resource.get("instanceDetails"), account_id)
    if role_name is None and profile_arn is None:
        raise IgnoredEventError("the finding names no role: no AssumedRole user name and no instance profile")
    return Target(finding_id, finding_type, float(severity), role_name=role_name, instance_profile_arn=profile_arn)


def is_sample_finding(service: dict[str, Any]) -> bool:
    """Whether GuardDuty generated the finding as a sample (console or CreateSampleFindings).

    GuardDuty marks samples in `service.additionalInfo` in two shapes, and both occur:
    the API's ServiceAdditionalInfo has only `type` and `value`, where `value` is a JSON
    string (`{"value": "{\"sample\":true}", "type": "default"}`), while EventBridge
    events of samples have carried a top-level `"sample": true` beside them or instead.
    https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ServiceAdditionalInfo.html
    https://docs.aws.amazon.com/guardduty/latest/ug/sample_findings.html
    """
    additional = service.get("additionalInfo")
    if not isinstance(additional, dict):
        return False
    if additional.get("sample") is True:
        return True
    value = additional.get("value")
    if not isinstance(value, str):
        return False
    try:
        decoded = json.loads(value)
    except ValueError:
        return False
    return isinstance(decoded, dict) and decoded.get("sample") is True


def token_issue_cutoff(now: datetime) -> str:
    """`now` in UTC as IAM's ISO 8601 with milliseconds, rounded up to the next millisecond.

    Rounded up, not truncated: a session issued a few microseconds before now must fall
    before the cutoff. (The guide's str(datetime.utcnow().isoformat()) has no time zone,
    and its datetime was never imported.)
    """
    moment = now.astimezone(UTC)
    extra_us = moment.microsecond % 1000
    if extra_us:
        moment += timedelta(microseconds=1000 - extra_us)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def revoke_policy(now: datetime) -> dict[str, Any]:
    """Denies every action to sessions of the role issued before `now` (aws:TokenIssueTime).

    Sessions issued afterwards work again: the instance gets fresh credentials from its
    metadata service within minutes, while stolen copies of the old ones stop working.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "RevokeOlderSessions",
                "Effect": "Deny",
                "Action": ["*"],
                "Resource": ["*"],
                "Condition": {"DateLessThan": {"aws:TokenIssueTime": token_issue_cutoff(now)}},
            }
        ],
    }


def policy_json(policy: dict[str, Any]) -> str:
    return json.dumps(policy, separators=(",", ":"))


def instance_profile_name(arn: str) -> str:
    """The instance profile's name (IAM's GetInstanceProfile takes the name, not the ARN)."""
    match = INSTANCE_PROFILE_ARN.fullmatch(arn)
    if match is None:
        raise IgnoredEventError("the instance profile ARN is malformed")
    return match.group("name")


def _role_from_access_key(details: Any) -> str | None:
    if not isinstance(details, dict) or details.get("userType") != "AssumedRole":
        return None
    name = details.get("userName")
    if not isinstance(name, str) or not ROLE_NAME.fullmatch(name):
        raise IgnoredEventError("accessKeyDetails.userName is not a valid IAM role name")
    return name


def _instance_profile_arn(details: Any, account_id: str) -> str | None:
    if not isinstance(details, dict) or not isinstance(details.get("iamInstanceProfile"), dict):
        return None
    arn = details["iamInstanceProfile"].get("arn")
    if not isinstance(arn, str):
        return None
    match = INSTANCE_PROFILE_ARN.fullmatch(arn)
    if match is None:
        raise IgnoredEventError("instanceDetails.iamInstanceProfile.arn is not an instance profile ARN")
    if match.group("account") != account_id:
        raise IgnoredEventError("the instance profile belongs to another account")
    return arn


def _object(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    if not isinstance(value, dict):
        raise IgnoredEventError(f"the event has no {key} object")
    return value


def _short(value: Any) -> str:
    """A field value for a log line: quoted, at most 80 characters."""
    if value is None:
        return "(missing)"
    text = repr(value) if isinstance(value, str) else type(value).__name__
    return text if len(text) <= 80 else text[:77] + "..."
