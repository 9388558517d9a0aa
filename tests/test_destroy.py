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
    for stack_id in (stack_id for lab in each_variant.labs for stack_id in lab.stack_ids):
        template = each_variant.template_json(stack_id)
        for function_id, function in resources_of_type(template, "AWS::Lambda::Function").items():
            group = owned_log_group_of(function_id, function, template)
            assert group is not None, f"{stack_id}/{function_id} logs to a group CloudFormation does not own"
            assert "RetentionInDays" in group["Properties"], f"{stack_id}/{function_id}: no retention"


def test_the_sandbox_keeps_nothing(sandbox: SynthesizedStage) -> None:
    for stack_id in (stack_id for lab in sandbox.labs for stack_id in lab.stack_ids):
        template = sandbox.template_json(stack_id)
        kept = {
            logical_id: resource.get("DeletionPolicy")
            for logical_id, resource in template["Resources"].items()
            if resource.get("DeletionPolicy", "Delete") != "Delete"
            or resource.get("UpdateReplacePolicy", "Delete") != "Delete"
        }
        assert kept == {}, f"{stack_id} keeps resources after cdk destroy in the sandbox"


def _denies_in_own_policies(role: dict[str, Any], action: str) -> bool:
    statements = [s for policy in role["Properties"].get("Policies", []) for s in policy["PolicyDocument"]["Statement"]]
    return any(s["Effect"] == "Deny" and s["Action"] == action and s["Resource"] == "*" for s in statements)


def test_provider_functions_cannot_recreate_their_log_group_after_destroy(each_variant: SynthesizedStage) -> None:
    """A provider runs on Delete and Lambda delivers its logs asynchronously: a late batch that finds
    /aws/lambda/<provider> gone recreates it with no retention (aws-cdk #31487,
    https://github.com/aws/aws-cdk/issues/31487). AWSLambdaBasicExecutionRole allows
    logs:CreateLogGroup on *, so the role must deny it, in its own inline policy (an explicit deny
    wins: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)."""
    checked = 0
    for stack_id in (stack_id for lab in each_variant.labs for stack_id in lab.stack_ids):
        template = each_variant.template_json(stack_id)
        for function_id, function in resources_of_type(template, "AWS::Lambda::Function").items():
            if "LoggingConfig" in function["Properties"]:
                continue  # a group of its own, named by CloudFormation: Lambda never creates it
            role = template["Resources"][function["Properties"]["Role"]["Fn::GetAtt"][0]]
            assert _denies_in_own_policies(role, "logs:CreateLogGroup"), (
                f"{stack_id}/{function_id} may recreate /aws/lambda/<name> after cdk destroy"
            )
            checked += 1
    if each_variant.labs == LABS:  # a one-lab run (make test LAB=fanout) may have no provider at all
        assert checked > 0


def test_a_retained_bucket_keeps_its_policy(each_variant: SynthesizedStage) -> None:
    """CloudFormation deletes every resource not marked Retain: a retained bucket whose
    AWS::S3::BucketPolicy keeps the default Delete loses its TLS-only deny and its service grants
    on destroy (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html)."""
    for stack_id in (stack_id for lab in each_variant.labs for stack_id in lab.stack_ids):
        template = each_variant.template_json(stack_id)
        buckets = resources_of_type(template, "AWS::S3::Bucket")
        for policy_id, policy in resources_of_type(template, "AWS::S3::BucketPolicy").items():
            bucket = buckets[policy["Properties"]["Bucket"]["Ref"]]
            if bucket.get("DeletionPolicy") == "Retain":
                assert policy.get("DeletionPolicy") == "Retain", f"{stack_id}/{policy_id} goes; its bucket stays"
                assert policy.get("UpdateReplacePolicy") == "Retain", f"{stack_id}/{policy_id}"
