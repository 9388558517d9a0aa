"""The CI role: who may assume it (one repository and branch) and what it may do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from stacks.app_builder import build_ci_role, nag_packs
from stacks.ci_role.config import CiRoleSettings
from stacks.ci_role.stack import STACK_ID
from stacks.config import cdk_json_context
from tests.harness import resources_of_type

EXISTING_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


def synthesize(settings: CiRoleSettings, outdir: Path) -> tuple[cdk.App, dict[str, Any]]:
    app = cdk.App(context=cdk_json_context(), outdir=str(outdir), builtin_cloud_formation_validation=False)
    build_ci_role(app, settings)
    app.synth()
    return app, json.loads((outdir / f"{STACK_ID}.template.json").read_text())


@pytest.fixture(scope="module")
def created(tmp_path_factory: pytest.TempPathFactory) -> tuple[cdk.App, dict[str, Any]]:
    return synthesize(CiRoleSettings(repository="alice/labs-fork"), tmp_path_factory.mktemp("ci-role"))


def statements(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    [policy] = resources_of_type(template, "AWS::IAM::ManagedPolicy").values()
    return {statement["Sid"]: statement for statement in policy["Properties"]["PolicyDocument"]["Statement"]}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_only_the_repository_branch_can_assume_the_role(created: tuple[cdk.App, dict[str, Any]]) -> None:
    # GitHub's OIDC guide for AWS: StringEquals on aud (sts.amazonaws.com) and sub; a
    # wildcard in sub would let any branch (or any repository matching it) assume the role.
    _, template = created
    [role] = resources_of_type(template, "AWS::IAM::Role").values()
    [trust] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:alice/labs-fork:ref:refs/heads/main",
        }
    }
    [provider_id] = resources_of_type(template, "AWS::IAM::OIDCProvider")
    assert trust["Principal"] == {"Federated": {"Ref": provider_id}}
    assert role["Properties"]["MaxSessionDuration"] == 3600


def test_an_existing_provider_is_used_not_created(tmp_path: Path) -> None:
    settings = CiRoleSettings(repository="alice/labs-fork", branch="study", oidc_provider_arn=EXISTING_PROVIDER)
    _, template = synthesize(settings, tmp_path)
    assert resources_of_type(template, "AWS::IAM::OIDCProvider") == {}
    [role] = resources_of_type(template, "AWS::IAM::Role").values()
    [trust] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Federated": EXISTING_PROVIDER}
    assert trust["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] == (
        "repo:alice/labs-fork:ref:refs/heads/study"
    )


def test_it_assumes_only_the_cdk_bootstrap_roles(created: tuple[cdk.App, dict[str, Any]]) -> None:
    _, template = created
    assume = statements(template)["AssumeCdkBootstrapRoles"]
    assert sorted(as_list(assume["Action"])) == ["sts:AssumeRole", "sts:TagSession"]
    [resource] = as_list(assume["Resource"])
    assert json.dumps(resource).endswith(':role/cdk-hnb659fds-*"]]}')
    for sid, statement in statements(template).items():
        if sid != "AssumeCdkBootstrapRoles":
            assert not any(action.startswith(("sts:", "iam:")) for action in as_list(statement["Action"])), sid


def test_data_plane_actions_need_the_project_tag(created: tuple[cdk.App, dict[str, Any]]) -> None:
    _, template = created
    tagged = statements(template)["ExerciseTaggedLabs"]
    assert tagged["Condition"] == {"StringEquals": {"aws:ResourceTag/Project": "cloudops-cdk-labs"}}
    assert "sqs:SendMessage" in tagged["Action"]
    reads = statements(template)["ReadLoopState"]
    # Everything on "*" without a condition only reads state: no write verb among them.
    verbs = ("Describe", "Get", "List", "TestMetricFilter", "GET")
    assert all(action.split(":")[1].startswith(verbs) for action in reads["Action"]), reads["Action"]


def test_s3_and_log_data_only_of_the_labs_own_resources(created: tuple[cdk.App, dict[str, Any]]) -> None:
    _, template = created
    objects = statements(template)["LabBucketObjects"]
    rendered = json.dumps(objects["Resource"])
    assert ":s3:::s3events-*/*" in rendered
    assert ":s3:::*" not in rendered
    logs = json.dumps(statements(template)["LabFunctionLogs"]["Resource"])
    assert "log-group:/aws/lambda/QueueWorker-*" in logs


def test_passes_cdk_nag(created: tuple[cdk.App, dict[str, Any]]) -> None:
    app, _ = created
    findings = [
        f"{violation.rule_name} at {resource.construct_path}"
        for pack in nag_packs()
        for violation in pack.validate_scope(app).violations
        for resource in violation.violating_resources
    ]
    assert findings == []
