"""What each resource of a template is, from the explanation table (explanations.toml).

Lookup, most specific first: the lab's own entry for the logical ID ([labs.<lab>]), then
CDK's own resources by logical ID ([cdk]), then the resource type ([types]). Every type
a template holds needs its [types] line; tests/study/test_explain.py checks every lab
and stage and says the exact line to add.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from scripts.study.cfn import matches

TABLE = Path(__file__).with_name("explanations.toml")
TABLE_NAME = "scripts/study/explanations.toml"
# Display order and titles of the tiers `make explain` groups resources into.
TIERS = {
    "network": "Network",
    "web": "Web",
    "app": "App",
    "data": "Data",
    "messaging": "Messaging",
    "monitoring": "Monitoring",
    "security": "Security / IAM",
    "cdk": "CDK plumbing",
}
COST_WORDS = ("free", "usage-based")
FIELDS = ("tier", "name", "guide", "what", "cost", "unmatched")
REQUIRED = ("tier", "name", "guide", "what", "cost")


class TableError(Exception):
    """explanations.toml has a bad entry; the message names it."""


@dataclass(frozen=True)
class Explanation:
    """One resource explained: its tier, a short name, the guide section, what it does, its cost rule.

    `cost` is "free", "usage-based", or words that find its lines in the lab's cost model
    (case-insensitive parts of a line's item); `unmatched` is shown when none matches.
    """

    tier: str
    name: str
    guide: str
    what: str
    cost: str | tuple[str, ...]
    unmatched: str = "usage-based"

    @property
    def is_cdk(self) -> bool:
        return self.tier == "cdk"


@dataclass(frozen=True)
class Catalog:
    types: Mapping[str, Explanation]
    cdk: Mapping[str, str]  # logical ID (or prefix*) -> why CDK adds it
    labs: Mapping[str, Mapping[str, Mapping[str, Any]]]  # lab -> logical ID (or prefix*) -> fields to override

    def explain(self, lab_name: str, logical_id: str, resource_type: str) -> Explanation | None:
        """The resource's explanation, or None when its type has no [types] line."""
        base = self.types.get(resource_type)
        if base is None:
            return None
        why = _most_specific(self.cdk, logical_id)
        if why is not None:
            base = replace(base, tier="cdk", guide="", what=why, cost="free")
        override = _most_specific(self.labs.get(lab_name, {}), logical_id)
        if override is not None:
            base = replace(base, **_fields(override))
        return base


def _most_specific(table: Mapping[str, Any], logical_id: str) -> Any:
    """The entry for the logical ID itself, else the one of the longest matching prefix."""
    keys = sorted((key for key in table if matches(logical_id, key)), key=lambda key: (key.endswith("*"), -len(key)))
    return table[keys[0]] if keys else None


def _fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    fields = dict(entry)
    if isinstance(fields.get("cost"), list):
        fields["cost"] = tuple(fields["cost"])
    return fields


@cache
def catalog() -> Catalog:
    return parse(tomllib.loads(TABLE.read_text()))


def parse(data: dict[str, Any]) -> Catalog:
    """Checks every entry (a typo is an error naming the entry, not a silent gap) and builds the catalog."""
    types = {}
    for resource_type, entry in data.get("types", {}).items():
        _check(f"[types] {resource_type!r}", entry, REQUIRED)
        types[resource_type] = Explanation(**_fields(entry))
    cdk = data.get("cdk", {})
    for key, why in cdk.items():
        if not isinstance(why, str) or not why:
            raise TableError(f"{TABLE_NAME} [cdk] {key!r}: must be a sentence saying why CDK adds it")
    labs = data.get("labs", {})
    for lab_name, entries in labs.items():
        for key, entry in entries.items():
            _check(f"[labs.{lab_name}] {key!r}", entry, ())
    return Catalog(types=types, cdk=cdk, labs=labs)


def _check(where: str, entry: Any, required: tuple[str, ...]) -> None:
    if not isinstance(entry, dict):
        raise TableError(f"{TABLE_NAME} {where}: must be an inline table {{ tier = ..., what = ... }}")
    unknown = sorted(set(entry) - set(FIELDS))
    missing = [name for name in required if name not in entry]
    if unknown or missing:
        raise TableError(f"{TABLE_NAME} {where}: unknown keys {unknown}, missing keys {missing}; keys: {FIELDS}")
    if "tier" in entry and entry["tier"] not in TIERS:
        raise TableError(f"{TABLE_NAME} {where}: tier {entry['tier']!r} must be one of {', '.join(TIERS)}")
    cost = entry.get("cost")
    valid_cost = cost in COST_WORDS or (isinstance(cost, list) and cost and all(isinstance(w, str) for w in cost))
    if "cost" in entry and not valid_cost:
        raise TableError(f"{TABLE_NAME} {where}: cost must be 'free', 'usage-based' or a list of words")
    if "unmatched" in entry and entry["unmatched"] not in COST_WORDS:
        raise TableError(f"{TABLE_NAME} {where}: unmatched must be 'free' or 'usage-based'")
    for name in ("name", "guide", "what"):
        if name in entry and not isinstance(entry[name], str):
            raise TableError(f"{TABLE_NAME} {where}: {name} must be text")


def missing_line(resource_type: str, guide: tuple[str, ...]) -> str:
    """The one line to add for a type the table does not know, for the test's failure message."""
    return (
        f'"{resource_type}" = {{ tier = "<{"|".join(TIERS)}>", name = "<short name>", '
        f'guide = "<one of: {"; ".join(guide)}>", what = "<what it does, in the guide\'s words>", '
        f'cost = "<free|usage-based, or a list of words of its lines in the lab\'s cost.py>" }}'
    )
