"""make ci-role: the lab preflight's checks, then cdk deploy of CloudOpsCiRole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from scripts.sandbox import ci_role
from stacks.app_builder import build_ci_role
from stacks.ci_role.config import CiRoleSettings
from stacks.config import cdk_json_context
from tests.sandbox.conftest import REGION
from tests.sandbox.deployed import bootstrap
from tests.sandbox.test_deploy import FakeCdk

REPOSITORY = ["--repository", "alice/labs-fork"]


@pytest.fixture(scope="module")
def ci_role_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("ci-role-assembly")
    app = cdk.App(context=cdk_json_context(), outdir=str(outdir), builtin_cloud_formation_validation=False)
    build_ci_role(app, CiRoleSettings(repository="alice/labs-fork"))
    app.synth()
    return outdir


def test_deploy_runs_the_preflight_then_deploys_the_role(
    aws: Any, ci_role_assembly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bootstrap(aws, REGION)
    cdk_cli = FakeCdk()
    argv = ["deploy", *REPOSITORY, "--assembly", str(ci_role_assembly)]
    assert ci_role.main(argv, session=aws, runner=cdk_cli) == 0
    context = ["-c", "ci_role_repository=alice/labs-fork", "-c", "ci_role_branch=main"]
    assert cdk_cli.commands == [["npx", "cdk", "deploy", "CloudOpsCiRole", *context, "--require-approval", "never"]]
    out = capsys.readouterr().out
    assert "ok    CDK bootstrap" in out


def test_an_unbootstrapped_region_deploys_nothing(
    aws: Any, ci_role_assembly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cdk_cli = FakeCdk()
    assert ci_role.main(["deploy", *REPOSITORY, "--assembly", str(ci_role_assembly)], session=aws, runner=cdk_cli) == 1
    assert cdk_cli.commands == []
    assert "not bootstrapped for the CDK" in capsys.readouterr().out


def test_destroy_removes_the_role_stack() -> None:
    cdk_cli = FakeCdk()
    argv = [
        "destroy",
        *REPOSITORY,
        "--oidc-provider-arn",
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    ]
    assert ci_role.main(argv, runner=cdk_cli) == 0
    [command] = cdk_cli.commands
    assert command[:5] == ["npx", "cdk", "destroy", "CloudOpsCiRole", "--force"]
    assert (
        "ci_role_oidc_provider_arn=arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        in command
    )


def test_a_bad_repository_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        ci_role.main(["deploy", "--repository", "just-a-name"], runner=FakeCdk())
    assert exited.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "ci_role_repository" in line
    assert "owner/name" in line
