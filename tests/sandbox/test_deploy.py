"""deploy = preflight, then cdk deploy of the lab's stack; destroy = cdk destroy --force, then leftovers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from scripts.sandbox import deploy, destroy
from tests.harness import SynthesizedStage
from tests.sandbox.conftest import REGION
from tests.sandbox.deployed import bootstrap, create_stack


class FakeCdk:
    """Records the commands instead of running them; each returns `code`."""

    def __init__(self, code: int = 0) -> None:
        self.commands: list[list[str]] = []
        self.code = code

    def __call__(self, command: Sequence[str]) -> int:
        self.commands.append(list(command))
        return self.code


def test_deploy_runs_the_preflight_then_cdk_deploy_of_the_lab_s_stack(
    aws: Any, sandbox: SynthesizedStage, capsys: pytest.CaptureFixture[str]
) -> None:
    bootstrap(aws, REGION)
    cdk = FakeCdk()
    code = deploy.main(["deploy", "--lab", "queue-worker", "--assembly", str(sandbox.outdir)], session=aws, runner=cdk)
    assert code == 0
    assert cdk.commands == [["npx", "cdk", "deploy", "QueueWorker", "-c", "stage=sandbox"]]
    assert "preflight passed" in capsys.readouterr().out


def test_yes_also_skips_cdk_s_approval_prompt(aws: Any, sandbox: SynthesizedStage) -> None:
    bootstrap(aws, REGION)
    cdk = FakeCdk()
    args = ["deploy", "--lab", "three-tier", "--stage", "prod", "--yes", "--assembly", str(sandbox.outdir)]
    assert deploy.main(args, session=aws, runner=cdk) == 0
    assert cdk.commands == [["npx", "cdk", "deploy", "ThreeTier", "-c", "stage=prod", "--require-approval", "never"]]


def test_a_failed_preflight_deploys_nothing(
    aws: Any, sandbox: SynthesizedStage, capsys: pytest.CaptureFixture[str]
) -> None:
    cdk = FakeCdk()  # no bootstrap in this account
    code = deploy.main(["deploy", "--lab", "queue-worker", "--assembly", str(sandbox.outdir)], session=aws, runner=cdk)
    assert code == 1
    assert cdk.commands == []
    assert "not deploying QueueWorker: fix the preflight problems first" in capsys.readouterr().err


def test_without_an_assembly_the_preflight_synthesizes_the_stage_first(
    aws: Any, sandbox: SynthesizedStage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given a working directory whose cdk.out the (fake) synth fills with the sandbox assembly
    bootstrap(aws, REGION)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cdk.out").symlink_to(sandbox.outdir)
    cdk = FakeCdk()
    assert deploy.main(["deploy", "--lab", "queue-worker", "--stage", "sandbox"], session=aws, runner=cdk) == 0
    assert cdk.commands[0] == ["npx", "cdk", "synth", "--quiet", "-c", "stage=sandbox"]
    assert cdk.commands[1][:4] == ["npx", "cdk", "deploy", "QueueWorker"]


def test_a_failed_synth_is_one_line(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from scripts.stack_outputs import run

    bootstrap(aws, REGION)
    code = run(lambda argv: deploy.main(argv, session=aws, runner=FakeCdk(code=1)), ["deploy", "--lab", "queue-worker"])
    assert code == 1
    assert capsys.readouterr().err == (
        "error: cdk synth failed for stage sandbox: fix the error above, then run the preflight again\n"
    )


def test_destroy_runs_cdk_destroy_then_lists_the_leftovers(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    cdk = FakeCdk()
    assert deploy.main(["destroy", "--lab", "three-tier"], session=aws, runner=cdk) == 0
    assert cdk.commands == [["npx", "cdk", "destroy", "ThreeTier", "--force", "-c", "stage=sandbox"]]
    assert "Nothing of cloudops-cdk-labs is left" in capsys.readouterr().out


def test_destroy_fails_while_something_billable_is_left(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # Given cdk destroy "succeeded" but the stack is still there (as if another stage's)
    create_stack(aws, REGION, "ThreeTier", tags={"Project": "cloudops-cdk-labs", "Stage": "sandbox"})
    assert deploy.main(["destroy", "--lab", "three-tier"], session=aws, runner=FakeCdk()) == 1
    assert "still deployed" in capsys.readouterr().out


def test_a_failed_cdk_destroy_still_lists_the_leftovers(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert deploy.main(["destroy", "--lab", "billing-alarm"], session=aws, runner=FakeCdk(code=3)) == 3
    captured = capsys.readouterr()
    assert "cdk destroy of BillingAlarm failed (exit code 3); what is left:" in captured.err
    assert "Leftovers of cloudops-cdk-labs (stage sandbox)" in captured.out


def test_a_bad_lab_or_command_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        deploy.main(["deploy", "--lab", "QueueWorker"])
    assert raised.value.code == 2
    assert capsys.readouterr().err.startswith("error: unknown lab 'QueueWorker': must be one of three-tier")
    with pytest.raises(SystemExit):
        deploy.main(["redeploy", "--lab", "queue-worker"])
    assert capsys.readouterr().err.count("\n") == 1


def test_the_destroy_command_the_readme_names_destroys_then_lists_the_leftovers(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # `python -m scripts.sandbox.<command> --help` in the README covers destroy too
    cdk = FakeCdk()
    assert destroy.main(["--lab", "three-tier", "--stage", "prod"], session=aws, runner=cdk) == 0
    assert cdk.commands == [["npx", "cdk", "destroy", "ThreeTier", "--force", "-c", "stage=prod"]]
    assert "Leftovers of cloudops-cdk-labs (stage prod)" in capsys.readouterr().out


def test_destroy_s_verdict_is_its_own_lab_s(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # Given another lab of the stage is still deployed (found by the rehearsal: make destroy
    # LAB=fanout failed because queue-worker was up), the destroy of fanout still passes.
    create_stack(aws, REGION, "QueueWorker", tags={"Project": "cloudops-cdk-labs", "Stage": "sandbox"})
    assert deploy.main(["destroy", "--lab", "fanout"], session=aws, runner=FakeCdk()) == 0
    out = capsys.readouterr().out
    assert "QueueWorker" in out  # shown, for information
    assert "1 billable item(s) above belong to other labs (shown for information)." in out
    assert out.splitlines()[-1] == "fanout: nothing billable left."


def test_destroy_fails_when_its_own_lab_left_something(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    create_stack(aws, REGION, "QueueWorker", tags={"Project": "cloudops-cdk-labs", "Stage": "sandbox"})
    assert deploy.main(["destroy", "--lab", "queue-worker"], session=aws, runner=FakeCdk()) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "queue-worker: 1 billable item(s) left."


def test_deploy_passes_cloudformation_parameters(aws: Any, sandbox: SynthesizedStage) -> None:
    bootstrap(aws, REGION)
    cdk = FakeCdk()
    argv = ["deploy", "--lab", "fanout", "--assembly", str(sandbox.outdir), "--parameter", "Layer=/mine"]
    assert deploy.main(argv, session=aws, runner=cdk) == 0
    assert cdk.commands == [["npx", "cdk", "deploy", "Fanout", "-c", "stage=sandbox", "--parameters", "Layer=/mine"]]
