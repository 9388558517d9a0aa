"""`cdk destroy` of the sandbox leaves nothing behind: checked on every lab's template."""

from __future__ import annotations

from typing import Any

from stacks.labs import LABS
from tests.harness import SynthesizedStage, resources_of_type


def owned_log_group_of(function_id: str, function: dict[str, Any], template: dict[str, Any]) -> dict[str, Any] | None:
    """The stack's own log group that a function writes to, or None."""
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    configured = function.get("Properties", {}).get("LoggingConfig", {}).get("LogGroup")
    if isinstance(configured, dict) and configured.get("Ref") in groups:
        return groups[configured["Ref"]]
    default_name = {"Fn::Join": ["", ["/aws/lambda/", {"Ref": function_id}]]}
    return next((g for g in groups.values() if g["Properties"].get("LogGroupName") == default_name), None)


def test_every_function_logs_to_a_group_the_stack_owns_with_retention(each_variant: SynthesizedStage) -> None:
    for stack_id in (stack_id for lab in LABS for stack_id in lab.stack_ids):
        template = each_variant.template_json(stack_id)
        for function_id, function in resources_of_type(template, "AWS::Lambda::Function").items():
            group = owned_log_group_of(function_id, function, template)
            assert group is not None, f"{stack_id}/{function_id} logs to a group CloudFormation does not own"
            assert "RetentionInDays" in group["Properties"], f"{stack_id}/{function_id}: no retention"


def test_the_sandbox_keeps_nothing(sandbox: SynthesizedStage) -> None:
    for stack_id in (stack_id for lab in LABS for stack_id in lab.stack_ids):
        template = sandbox.template_json(stack_id)
        kept = {
            logical_id: resource.get("DeletionPolicy")
            for logical_id, resource in template["Resources"].items()
            if resource.get("DeletionPolicy", "Delete") != "Delete"
            or resource.get("UpdateReplacePolicy", "Delete") != "Delete"
        }
        assert kept == {}, f"{stack_id} keeps resources after cdk destroy in the sandbox"
