"""The explanation table: one line per type, lab entries by logical ID, typos are errors."""

from __future__ import annotations

from typing import Any

import pytest

from scripts.study.catalog import TableError, catalog, parse
from scripts.study.cfn import base_name, matches

ENTRY = {"tier": "network", "name": "VPC", "guide": "002 'VPC'", "what": "Your own network.", "cost": "free"}


def test_the_shipped_table_parses() -> None:
    table = catalog()
    assert table.types["AWS::EC2::VPC"].name == "VPC"


def test_logical_ids_match_without_their_hash_or_by_prefix() -> None:
    assert base_name("FlowLogGroup3E25AA51") == "FlowLogGroup"
    assert base_name("MonthlyCostBudget") == "MonthlyCostBudget"
    assert matches("FlowLogGroup3E25AA51", "FlowLogGroup")
    assert not matches("FlowLogGroupPolicy3E25AA51", "FlowLogGroup")
    assert matches("ChargesAbove10Usd6C7F9C3F", "ChargesAbove*")


def test_the_lab_entry_beats_the_cdk_entry_beats_the_type() -> None:
    table = parse(
        {
            "types": {"AWS::IAM::Role": {**ENTRY, "tier": "security", "name": "IAM role"}},
            "cdk": {"Provider*": "CDK's provider."},
            "labs": {"my-lab": {"ProviderRole": {"what": "This lab's own words."}, "Other*": {"tier": "app"}}},
        }
    )
    role = table.explain("my-lab", "WorkerRole12345678", "AWS::IAM::Role")
    assert role is not None
    assert role.tier == "security"
    provider = table.explain("other-lab", "ProviderRoleABCDEF12", "AWS::IAM::Role")
    assert provider is not None
    assert (provider.tier, provider.what) == ("cdk", "CDK's provider.")
    own = table.explain("my-lab", "ProviderRoleABCDEF12", "AWS::IAM::Role")
    assert own is not None
    assert (own.tier, own.what, own.name) == ("cdk", "This lab's own words.", "IAM role")
    assert table.explain("my-lab", "Anything", "AWS::Unknown::Type") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"types": {"AWS::X::Y": {**ENTRY, "tier": "edge"}}}, "tier 'edge' must be one of network, web"),
        ({"types": {"AWS::X::Y": {k: v for k, v in ENTRY.items() if k != "what"}}}, "missing keys \\['what'\\]"),
        ({"types": {"AWS::X::Y": {**ENTRY, "cots": "free"}}}, "unknown keys \\['cots'\\]"),
        ({"types": {"AWS::X::Y": {**ENTRY, "cost": "cheap"}}}, "cost must be 'free', 'usage-based' or a list"),
        ({"cdk": {"Provider*": ""}}, "\\[cdk\\] 'Provider\\*': must be a sentence"),
        ({"labs": {"my-lab": {"Thing": "words"}}}, "\\[labs.my-lab\\] 'Thing': must be an inline table"),
    ],
)
def test_a_bad_entry_names_itself(data: dict[str, Any], message: str) -> None:
    with pytest.raises(TableError, match=message):
        parse(data)
