"""The DB Lambda function's role: which statements use Resource *, and why only those."""

from __future__ import annotations

from typing import Any

from tests.harness import SynthesizedStage, resources_of_type

STACK = "DbLambda"


def function_role_statements(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (function,) = [
        f
        for i, f in resources_of_type(template, "AWS::Lambda::Function").items()
        if i.startswith("Function") and "VpcConfig" in f["Properties"]
    ]
    role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
    (policy,) = [
        p
        for p in resources_of_type(template, "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": role_id}]
    ]
    return {s.get("Sid", ""): s for s in policy["Properties"]["PolicyDocument"]["Statement"]}


def test_only_the_network_interface_statements_use_resource_star(each_variant: SynthesizedStage) -> None:
    statements = function_role_statements(each_variant.template_json(STACK))
    on_star = {sid: sorted(s["Action"]) for sid, s in statements.items() if s["Resource"] == "*"}
    # The Describe calls take no resource; the writes keep * on AWS's Lambda guide's warning
    # (stacks/db_lambda/stack.py, network_interface_statements). Nothing else may join them.
    assert on_star == {
        "DescribeTakesNoResource": ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
        "LambdaManagesTheFunctionsInterfaces": [
            "ec2:AssignPrivateIpAddresses",
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "ec2:UnassignPrivateIpAddresses",
        ],
    }
    assert all("Condition" not in statements[sid] for sid in on_star)
