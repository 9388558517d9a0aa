"""Reading a CloudFormation template: references between resources, names, what `cdk destroy` does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# CDK ends a logical ID with 8 hex digits of its construct path's hash ("FlowLogGroup3E25AA51").
HASH_SUFFIX = re.compile(r"^(?P<name>.+?)(?P<hash>[0-9A-F]{8})$")
SUB_NAME = re.compile(r"\$\{(?P<name>[A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")
# Keys that only carry a reference further down; an edge's label is the nearest meaningful key above.
CARRIER_KEYS = frozenset({"Arn", "Ref", "Value", "Variables", "Id", "Name"})


@dataclass(frozen=True)
class Reference:
    """`source` names `target` (Ref, Fn::GetAtt or Fn::Sub) at `path` within its properties."""

    source: str
    target: str
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        """The property that holds the reference, e.g. "TargetGroupARNs" or "TABLE_NAME"."""
        keys = [key for key in self.path if not key.startswith("Fn::") and key not in CARRIER_KEYS]
        if any(key in ("PolicyDocument", "Policies", "KeyPolicy") for key in keys):
            return "policy"
        return keys[-1] if keys else "Ref"


def base_name(logical_id: str) -> str:
    """The logical ID without CDK's hash suffix: "FlowLogGroup3E25AA51" -> "FlowLogGroup"."""
    match = HASH_SUFFIX.match(logical_id)
    return match.group("name") if match else logical_id


def matches(logical_id: str, pattern: str) -> bool:
    """`pattern` is a logical ID without its hash ("FlowLogGroup"), or a prefix ending in "*"."""
    if pattern.endswith("*"):
        return logical_id.startswith(pattern[:-1])
    return logical_id == pattern or base_name(logical_id) == pattern


def short_type(resource_type: str) -> str:
    """ "AWS::EC2::VPC" -> "EC2::VPC"."""
    return resource_type.removeprefix("AWS::")


def resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = template.get("Resources", {})
    return found


def properties(resource: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = resource.get("Properties", {})
    return found


def references(template: dict[str, Any], source: str) -> list[Reference]:
    """Every resource that `source`'s properties name, with where (DependsOn is not a reference)."""
    names = set(resources(template))
    found = []
    for target, path in _walk(properties(resources(template)[source]), ()):
        if target in names and target != source:
            found.append(Reference(source, target, path))
    return found


def targets(value: Any, names: set[str]) -> list[str]:
    """The resources a property value names, in order, each once."""
    seen: list[str] = []
    for target, _ in _walk(value, ()):
        if target in names and target not in seen:
            seen.append(target)
    return seen


def _walk(value: Any, path: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...]]]:
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            yield value["Ref"], path
            return
        if set(value) == {"Fn::GetAtt"}:
            attribute = value["Fn::GetAtt"]
            name = attribute[0] if isinstance(attribute, list) else str(attribute).split(".")[0]
            yield str(name), path
            return
        if set(value) == {"Fn::Sub"}:
            sub = value["Fn::Sub"]
            text, variables = (sub[0], sub[1]) if isinstance(sub, list) else (sub, {})
            for match in SUB_NAME.finditer(str(text)):
                if match.group("name") not in variables:
                    yield match.group("name"), path
            yield from _walk(variables, path)
            return
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)


def literal(value: Any) -> str | None:
    """A scalar property as text, or None when it is computed at deploy (Ref, Fn::...)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def on_destroy(template: dict[str, Any], logical_id: str, *, billed: bool = True) -> str:
    """What `cdk destroy` does to the resource, from its DeletionPolicy and a few type rules.

    `billed` is False for a type that costs nothing while it exists (an IAM role): kept is then free.
    """
    resource = resources(template)[logical_id]
    policy = resource.get("DeletionPolicy", "Delete")
    props = properties(resource)
    if policy in ("Retain", "RetainExceptOnCreate"):
        outcome = "retained (kept, still billed)" if billed else "retained (kept; free)"
    elif policy == "Snapshot":
        outcome = "snapshot kept, then deleted"
    elif resource["Type"] == "AWS::KMS::Key":
        outcome = f"scheduled for deletion in {props.get('PendingWindowInDays', 30)} days"
    elif resource["Type"] == "AWS::S3::Bucket":
        emptied = any(
            other["Type"] == "Custom::S3AutoDeleteObjects" and logical_id in targets(properties(other), {logical_id})
            for other in resources(template).values()
        )
        outcome = "emptied, then deleted" if emptied else "deleted if empty (else the delete fails)"
    else:
        outcome = "deleted"
    if _deletion_protected(props):
        if policy in ("Retain", "RetainExceptOnCreate"):
            outcome += "; deletion protection on"
        else:
            # A protected resource cannot be deleted (RDS: "The database can't be deleted when deletion
            # protection is enabled", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html):
            # CloudFormation's delete fails, so a Snapshot policy takes no snapshot and keeps nothing safe.
            then = "a final snapshot is kept" if policy == "Snapshot" else "it is deleted"
            outcome = (
                "delete fails while deletion protection is on (stack DELETE_FAILED, still running and billed); "
                f"turn protection off and destroy again: {then}"
            )
    return outcome


def _deletion_protected(props: dict[str, Any]) -> bool:
    if props.get("DeletionProtection") is True or props.get("DeletionProtectionEnabled") is True:
        return True
    replicas = props.get("Replicas")
    return isinstance(replicas, list) and any(
        isinstance(replica, dict) and replica.get("DeletionProtectionEnabled") is True for replica in replicas
    )
