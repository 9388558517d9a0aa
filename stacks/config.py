"""Stage configuration: read once from `cdk.json` context into frozen dataclasses.

`cdk.json` holds one block per stage under `stages`; `-c stage=NAME` picks one
(default: `sandbox`). Every key is required, unknown keys are rejected, and each
value is checked for type and range here, before any construct exists, so that a
bad value stops the synth with one line (`ConfigError`) instead of a jsii trace.

Stacks and components receive these typed objects; they never read context or
the environment themselves.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

DEFAULT_STAGE = "sandbox"
REPO_ROOT = Path(__file__).resolve().parent.parent
CDK_JSON = REPO_ROOT / "cdk.json"

# Values CloudWatch Logs accepts for RetentionInDays (a log group rejects others at deploy).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827)

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
# family[generation][attributes].size, e.g. t3.micro, t4g.small, m7i-flex.large, c6gn.16xlarge
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d+xlarge)$")
_ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
# AWS: set an SQS event source's visibility timeout to at least 6x the function timeout.
VISIBILITY_TIMEOUT_FACTOR = 6


class ConfigError(Exception):
    """A bad configuration value; its message is the one line the user sees."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        shown = json.dumps(value) if _json_safe(value) else repr(value)
        super().__init__(f"invalid configuration: {key} = {shown}: {allowed}")
        self.key = key


def _json_safe(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------
# Value checks. Each returns None when the value is fine, else what is allowed.
# ---------------------------------------------------------------------------
Check = Callable[[Any], "str | None"]


def between(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        return None if low <= value <= high else f"must be between {low} and {high}"

    return check


def one_of(*allowed: Any) -> Check:
    def check(value: Any) -> str | None:
        return None if value in allowed else "must be one of " + ", ".join(json.dumps(a) for a in allowed)

    return check


def each(inner: Check, *, min_items: int = 1, max_items: int = 10) -> Check:
    def check(values: Any) -> str | None:
        if not min_items <= len(values) <= max_items:
            return f"must be a list of {min_items} to {max_items} items"
        for item in values:
            problem = inner(item)
            if problem:
                return f"every item {problem}"
        if len(set(values)) != len(values):
            return "must not repeat an item"
        return None

    return check


def email_address(value: Any) -> str | None:
    return None if _EMAIL.match(value) else "must be an e-mail address like ops@example.com, or null"


def instance_type_name(value: Any) -> str | None:
    if _INSTANCE_TYPE.match(value):
        return None
    return "must be an EC2 instance type like t3.micro or t4g.small (family.size, no 'db.' prefix)"


def acm_certificate_arn(value: Any) -> str | None:
    if _ACM_ARN.match(value):
        return None
    return "must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/UUID), or null for HTTP only"


def region_name(value: Any) -> str | None:
    return None if _REGION.match(value) else "must be an AWS region name like us-east-1"


def private_cidr(min_prefix: int, max_prefix: int) -> Check:
    allowed = f"must be a private IPv4 CIDR (10/8, 172.16/12 or 192.168/16) with a /{min_prefix}-/{max_prefix} prefix"

    def check(value: Any) -> str | None:
        try:
            network = ipaddress.ip_network(value, strict=True)
        except ValueError:
            return allowed + " and no host bits set"
        private = any(
            network.subnet_of(ipaddress.ip_network(block))  # type: ignore[arg-type]
            for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
            if network.version == 4
        )
        if not private or not min_prefix <= network.prefixlen <= max_prefix:
            return allowed
        return None

    return check


def setting(check: Check | None = None, *, doc: str) -> Any:
    """Declares a config field: `check` validates its value after the type check; `doc`
    says what it sets (README's configuration tables are generated from it)."""
    return dataclasses.field(metadata={"check": check, "doc": doc})


# ---------------------------------------------------------------------------
# One section per lab. Field names are the keys in cdk.json.
# ---------------------------------------------------------------------------
# The three-tier lab spans this many Availability Zones (the guide's diagram: AZ a and AZ b).
THREE_TIER_AZ_COUNT = 2


def nat_count_per_az(value: Any) -> str | None:
    if 1 <= value <= THREE_TIER_AZ_COUNT:
        return None
    return f"must be 1 to {THREE_TIER_AZ_COUNT}: at most one NAT per Availability Zone, and this lab uses 2 AZs"


@dataclass(frozen=True)
class ThreeTierConfig:
    """Lab 1: VPC with ALB -> EC2 Auto Scaling -> RDS MySQL.

    `nat_instance_type` is the NAT instance's type when `nat_type` is "instance"
    (a Graviton t4g.nano is the cheapest that routes a lab's traffic) and must be
    null (or absent) when `nat_type` is "gateway".
    """

    vpc_cidr: str = setting(
        private_cidr(16, 16), doc="VPC range, a private /16; subnets get the guide's .1/.2, .11/.12, .21/.22 /24s"
    )
    nat_type: str = setting(
        one_of("instance", "gateway"),
        doc='`"instance"`: one cheap NAT instance; `"gateway"`: NAT gateways with Elastic IPs',
    )
    nat_count: int = setting(nat_count_per_az, doc="NATs for the app subnets, at most one per AZ (the lab uses 2 AZs)")
    nat_instance_type: str | None = setting(
        instance_type_name, doc='NAT instance type; null when `nat_type` is `"gateway"`'
    )
    instance_type: str = setting(instance_type_name, doc="web server instance type")
    asg_min_capacity: int = setting(between(0, 10), doc="Auto Scaling group minimum")
    asg_max_capacity: int = setting(between(1, 10), doc="Auto Scaling group maximum")
    target_cpu_percent: int = setting(between(10, 90), doc="target tracking on average CPU (the guide: 50)")
    scheduled_scaling: bool = setting(doc="the guide's weekday schedule: a higher minimum 08:00-20:00")
    certificate_arn: str | None = setting(
        acm_certificate_arn, doc="ACM certificate: HTTPS + HTTP->HTTPS redirect; null: HTTP only"
    )
    db_instance_type: str = setting(instance_type_name, doc="RDS instance class, without the `db.` prefix")
    db_multi_az: bool = setting(doc="a standby in the second AZ")
    db_allocated_storage_gib: int = setting(between(20, 1000), doc="gp3 database storage")
    db_backup_retention_days: int = setting(between(1, 35), doc="days of automated backups")
    log_retention_days: int = setting(one_of(*LOG_RETENTION_DAYS), doc="days of VPC flow logs and ALB access logs")

    @property
    def busy_min_capacity(self) -> int:
        """Weekday-daytime minimum for scheduled scaling: twice the minimum, within max (prod: 2 -> 4)."""
        return min(max(1, 2 * self.asg_min_capacity), self.asg_max_capacity)

    def check_together(self, path: str) -> None:
        if self.asg_min_capacity > self.asg_max_capacity:
            raise ConfigError(
                f"{path}.asg_min_capacity",
                self.asg_min_capacity,
                f"must not exceed asg_max_capacity ({self.asg_max_capacity})",
            )
        if self.nat_type == "instance" and self.nat_count != 1:
            raise ConfigError(f"{path}.nat_count", self.nat_count, 'must be 1 when nat_type is "instance"')
        if self.nat_type == "instance" and self.nat_instance_type is None:
            raise ConfigError(
                f"{path}.nat_instance_type",
                None,
                'must be an EC2 instance type like t4g.nano when nat_type is "instance"',
            )
        if self.nat_type == "gateway" and self.nat_instance_type is not None:
            raise ConfigError(
                f"{path}.nat_instance_type",
                self.nat_instance_type,
                'must be null when nat_type is "gateway" (a NAT gateway has no instance type)',
            )


@dataclass(frozen=True)
class QueueWorkerConfig:
    """Lab 2: SQS -> Lambda -> DynamoDB.

    The queue's visibility timeout is derived, not configured: 6x the function timeout
    plus the batching window (AWS's guidance for SQS event sources), so the two cannot
    drift apart.
    """

    function_timeout_seconds: int = setting(
        between(3, 120), doc="function timeout; visibility timeout = 6x this + batching window"
    )
    function_memory_mb: int = setting(between(128, 3008), doc="function memory")
    batch_size: int = setting(between(1, 100), doc="messages per invocation")
    max_batching_window_seconds: int = setting(between(0, 300), doc="how long the event source gathers a batch")
    max_receive_count: int = setting(between(1, 10), doc="receives before a message goes to the dead-letter queue")
    oldest_message_age_alarm_seconds: int = setting(
        between(60, 86400), doc="alarm when the oldest message is older (must outlast a bad message's retries)"
    )
    alarm_email: str | None = setting(email_address, doc="e-mail for the alarms; null: no subscriber (synth warns)")
    log_retention_days: int = setting(one_of(*LOG_RETENTION_DAYS), doc="days of function logs")

    @property
    def visibility_timeout_seconds(self) -> int:
        return VISIBILITY_TIMEOUT_FACTOR * self.function_timeout_seconds + self.max_batching_window_seconds

    def check_together(self, path: str) -> None:
        # Lambda's SQS event source rejects batches above 10 without a batching window.
        if self.batch_size > 10 and self.max_batching_window_seconds < 1:
            raise ConfigError(
                f"{path}.max_batching_window_seconds",
                self.max_batching_window_seconds,
                "must be at least 1 when batch_size is above 10 (an SQS event source rule)",
            )
        # A bad message stays on the queue for max_receive_count visibility timeouts before SQS
        # dead-letters it; the age alarm must not fire for that (the DLQ alarm does), only when
        # the worker falls behind.
        retried_for = self.max_receive_count * self.visibility_timeout_seconds
        if self.oldest_message_age_alarm_seconds <= retried_for:
            raise ConfigError(
                f"{path}.oldest_message_age_alarm_seconds",
                self.oldest_message_age_alarm_seconds,
                f"must exceed max_receive_count x the queue's visibility timeout ({self.max_receive_count} x "
                f"{self.visibility_timeout_seconds} s = {retried_for} s; the visibility timeout is "
                f"{VISIBILITY_TIMEOUT_FACTOR} x function_timeout_seconds + max_batching_window_seconds)",
            )


@dataclass(frozen=True)
class BillingAlarmConfig:
    """Lab 3: CloudWatch billing alarm and AWS Budgets budget, in us-east-1."""

    region: str = setting(region_name, doc="must be us-east-1 (billing metrics exist only there)")
    alarm_email: str | None = setting(
        email_address, doc="e-mail for the alarms and budget; null: no subscriber (synth warns)"
    )
    alarm_thresholds_usd: tuple[float, ...] = setting(
        each(between(1, 100_000)), doc="one EstimatedCharges alarm per amount (the guide: 10)"
    )
    monthly_budget_usd: float = setting(between(1, 100_000), doc="AWS Budgets monthly cost budget")

    def check_together(self, path: str) -> None:
        if self.region != "us-east-1":
            raise ConfigError(
                f"{path}.region",
                self.region,
                "must be us-east-1: AWS publishes billing metrics (AWS/Billing EstimatedCharges) only there",
            )


@dataclass(frozen=True)
class StageConfig:
    """Everything one stage configures. `protect_data` is the sandbox/prod switch for stateful resources."""

    stage: str
    protect_data: bool
    three_tier: ThreeTierConfig
    queue_worker: QueueWorkerConfig
    billing_alarm: BillingAlarmConfig


_SECTIONS: dict[str, type] = {
    "three_tier": ThreeTierConfig,
    "queue_worker": QueueWorkerConfig,
    "billing_alarm": BillingAlarmConfig,
}

# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------
T = TypeVar("T")


def cdk_json_context() -> dict[str, Any]:
    """The `context` block of cdk.json (feature flags and stages), for tests and scripts.

    app.py does not call this: the CDK CLI reads cdk.json and passes its context in.
    """
    context: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    return context


def load_stage_config(context: Mapping[str, Any]) -> StageConfig:
    """Builds the StageConfig for the stage named by context["stage"] (default sandbox)."""
    stages = context.get("stages")
    if not isinstance(stages, Mapping) or not stages:
        raise ConfigError("stages", stages, "cdk.json context must hold a 'stages' object with one block per stage")
    stage = context.get("stage", DEFAULT_STAGE)
    if stage not in stages:
        raise ConfigError("stage", stage, "must be one of " + ", ".join(sorted(stages)) + " (set with -c stage=NAME)")
    path = f"stages.{stage}"
    block = stages[stage]
    if not isinstance(block, Mapping):
        raise ConfigError(path, block, "must be an object")
    _require_exact_keys(path, block, ["protect_data", *_SECTIONS])
    protect_data = _typed(f"{path}.protect_data", block["protect_data"], bool)
    sections: dict[str, Any] = {
        name: _parse_section(cls, block[name], f"{path}.{name}") for name, cls in _SECTIONS.items()
    }
    return StageConfig(stage=stage, protect_data=protect_data, **sections)


def _require_exact_keys(
    path: str, raw: Mapping[str, Any], expected: list[str], optional: frozenset[str] = frozenset()
) -> None:
    unknown = sorted(set(raw) - set(expected))
    if unknown:
        raise ConfigError(f"{path}.{unknown[0]}", raw[unknown[0]], "unknown key; allowed keys: " + ", ".join(expected))
    missing = [key for key in expected if key not in raw and key not in optional]
    if missing:
        raise ConfigError(f"{path}.{missing[0]}", None, "is missing; this block needs: " + ", ".join(expected))


def _parse_section(cls: type[T], raw: Any, path: str) -> T:
    if not isinstance(raw, Mapping):
        raise ConfigError(path, raw, "must be an object")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    # The CDK CLI drops null values from cdk.json context, so an optional key may be absent.
    optional = frozenset(f.name for f in fields if _allows_none(hints[f.name]))
    _require_exact_keys(path, raw, [f.name for f in fields], optional)
    values: dict[str, Any] = {}
    for f in fields:
        key = f"{path}.{f.name}"
        value = _typed(key, raw.get(f.name), hints[f.name])
        check = f.metadata.get("check")
        problem = check(value) if check is not None and value is not None else None
        if problem:
            raise ConfigError(key, raw.get(f.name), problem)
        values[f.name] = value
    section = cls(**values)
    check_together = getattr(section, "check_together", None)
    if check_together is not None:
        check_together(path)
    return section


def _allows_none(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


def _typed(key: str, value: Any, hint: Any) -> Any:
    """Checks `value` against a field's annotation; converts JSON lists to tuples."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        (inner,) = [o for o in options if o is not type(None)]
        return _typed(key, value, inner)
    if origin is tuple:
        (item_type, _ellipsis) = typing.get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(key, value, f"must be a list of {_PLURAL_TYPE_NAMES[item_type]}")
        return tuple(_typed(f"{key}[{i}]", item, item_type) for i, item in enumerate(value))
    # bool is a subclass of int in Python; JSON true must not pass as a number.
    ok = isinstance(value, hint) and not (hint is not bool and isinstance(value, bool))
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not ok:
        raise ConfigError(key, value, f"must be {_type_name(hint)}")
    return value


_PLURAL_TYPE_NAMES = {int: "whole numbers", float: "numbers", str: "strings"}


def _type_name(hint: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}.get(hint, str(hint))
