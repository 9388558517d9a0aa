"""Every IAM statement on Resource "*", in every template of every variant, is on actions that take no resource.

The table (tests/data/actions_without_resource.json) names each such action with its Service
Authorization Reference page, and the few that take a resource but stay on "*" with where and why.
cdk-nag's IAM5 only asks for an acknowledgment; this says whether "*" is the narrowest IAM allows.
"""

from __future__ import annotations

import json
from typing import Any

from stacks.labs import LABS
from tests.harness import TESTS_DIR, SynthesizedStage

TABLE = json.loads((TESTS_DIR / "data" / "actions_without_resource.json").read_text())
WITHOUT_RESOURCE: dict[str, str] = TABLE["actions"]
KEPT_ON_STAR: list[dict[str, Any]] = TABLE["kept_on_star"]["entries"]
IDENTITY_POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")


def identity_statements(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(logical id, statement) of every statement in the template's identity policies and roles' inline policies."""
    found = []
    for logical_id, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] in IDENTITY_POLICY_TYPES:
            documents = [properties["PolicyDocument"]]
        elif resource["Type"] in ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"):
            documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        else:
            continue
        found += [(logical_id, statement) for document in documents for statement in document["Statement"]]
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def actions_on_star(templates: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(stack id, policy logical id, action) for each allowed action of a statement on Resource "*"."""
    return [
        (stack_id, logical_id, action)
        for stack_id, template in templates.items()
        for logical_id, statement in identity_statements(template)
        if statement["Effect"] == "Allow" and "*" in as_list(statement.get("Resource", []))
        for action in as_list(statement["Action"])
    ]


def kept_on_star(stack_id: str, logical_id: str, action: str) -> bool:
    return any(
        entry["stack"] == stack_id and logical_id.startswith(entry["policy"]) and action in entry["actions"]
        for entry in KEPT_ON_STAR
    )


def test_every_action_on_resource_star_takes_no_resource(each_variant: SynthesizedStage) -> None:
    found = actions_on_star({stack_id: each_variant.template_json(stack_id) for stack_id in each_variant.stacks})
    if each_variant.labs == LABS:  # one lab alone (make test LAB=...) may have none
        assert found, "no statement on Resource * at all: is the listing still reading the templates?"
    unexplained = [
        f"{stack_id}/{logical_id}: {action}"
        for stack_id, logical_id, action in found
        if action not in WITHOUT_RESOURCE and not kept_on_star(stack_id, logical_id, action)
    ]
    assert unexplained == [], "scope these to their resources, or add them to the table with a source:\n" + "\n".join(
        unexplained
    )


def test_the_table_holds_no_wildcard_and_names_its_sources() -> None:
    for action, source in WITHOUT_RESOURCE.items():
        assert "*" not in action, action
        assert source.startswith("https://docs.aws.amazon.com/service-authorization/latest/reference/list_"), action
    for entry in KEPT_ON_STAR:
        assert entry["source"].startswith("https://docs.aws.amazon.com/"), entry
        assert not set(entry["actions"]) & set(WITHOUT_RESOURCE), entry
        assert len(entry["why"].split()) >= 8, entry


def test_a_scopable_action_on_star_is_reported() -> None:
    template = {
        "Resources": {
            "RolePolicy": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyDocument": {
                        "Statement": [
                            {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "s3:GetObject"], "Resource": "*"},
                            {"Effect": "Deny", "Action": "iam:*", "Resource": "*"},
                        ]
                    }
                },
            }
        }
    }
    found = actions_on_star({"Lab": template})
    assert found == [("Lab", "RolePolicy", "xray:PutTraceSegments"), ("Lab", "RolePolicy", "s3:GetObject")]
    assert [a for _, _, a in found if a not in WITHOUT_RESOURCE] == ["s3:GetObject"]
