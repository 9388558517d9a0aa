"""The region every script uses is the one the CDK CLI uses: AWS_REGION, then AWS_DEFAULT_REGION, then the profile.

boto3 alone ignores AWS_REGION, which the README tells the learner to set
(`export AWS_REGION=eu-west-1`): these tests set the region each of the three ways
and run the sandbox tools as the learner does.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scripts.aws_session import aws_session
from scripts.sandbox import leftovers, preflight, verify
from scripts.stack_outputs import run
from stacks.config import REPO_ROOT
from tests.harness import SynthesizedStage

REGION = "eu-west-1"
REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE")


def set_region_by_aws_region(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_REGION", REGION)


def set_region_by_aws_default_region(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


def set_region_by_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text(f"[profile sandbox]\nregion = {REGION}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "sandbox")


WAYS = [set_region_by_aws_region, set_region_by_aws_default_region, set_region_by_profile]
WAY_IDS = ["AWS_REGION", "AWS_DEFAULT_REGION", "profile"]


@pytest.fixture
def no_region(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No region anywhere: no variable, an empty config file."""
    for name in REGION_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "empty").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "empty"))


@pytest.mark.parametrize("way", WAYS, ids=WAY_IDS)
def test_the_region_is_found_each_way_the_cdk_cli_finds_it(
    way: Callable[[pytest.MonkeyPatch, Path], None], no_region: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    way(monkeypatch, tmp_path)
    assert aws_session().region_name == REGION


def test_aws_region_comes_before_aws_default_region_which_comes_before_the_profile(
    no_region: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_region_by_profile(monkeypatch, tmp_path)  # eu-west-1
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert aws_session().region_name == "eu-central-1"
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    assert aws_session().region_name == "us-west-2"
    # A region the script is given (--region, a lab's pinned region) comes first of all
    assert aws_session("us-east-1").region_name == "us-east-1"


@pytest.mark.parametrize("way", WAYS, ids=WAY_IDS)
def test_leftovers_searches_the_region_set_each_way(
    way: Callable[[pytest.MonkeyPatch, Path], None],
    no_region: None,
    aws: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    way(monkeypatch, tmp_path)
    assert run(leftovers.main, []) == 0
    assert f"(every stage) in {REGION}, us-east-1:" in capsys.readouterr().out


@pytest.mark.parametrize("way", WAYS, ids=WAY_IDS)
def test_verify_looks_in_the_region_set_each_way(
    way: Callable[[pytest.MonkeyPatch, Path], None],
    no_region: None,
    aws: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    way(monkeypatch, tmp_path)
    assert run(verify.main, ["--lab", "queue-worker"]) == 1
    assert f"stack QueueWorker not found in {REGION}: deploy it first" in capsys.readouterr().err


@pytest.mark.parametrize("way", WAYS, ids=WAY_IDS)
def test_preflight_checks_the_region_set_each_way(
    way: Callable[[pytest.MonkeyPatch, Path], None],
    no_region: None,
    aws: Any,
    sandbox: SynthesizedStage,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    way(monkeypatch, tmp_path)
    out = io.StringIO()
    args = preflight.parse_args(["--lab", "queue-worker", "--assembly", str(sandbox.outdir)])
    preflight.preflight_from_args(args, ask=lambda prompt: None, out=out)
    assert f"  ok    region: {REGION}\n" in out.getvalue()


@pytest.mark.parametrize(
    ("tool", "argv"),
    [(leftovers.main, []), (verify.main, ["--lab", "queue-worker"]), (preflight.main, ["--lab", "queue-worker"])],
    ids=["leftovers", "verify", "preflight"],
)
def test_a_profile_that_does_not_exist_is_one_line_saying_what_to_do(
    tool: Callable[[list[str]], int],
    argv: list[str],
    no_region: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "sandbx")
    assert run(tool, argv) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("error: AWS profile 'sandbx' (AWS_PROFILE) is not in ")
    assert "`aws configure --profile sandbx` (or `aws configure sso`), or set AWS_PROFILE to one that exists" in (
        captured.err
    )


def test_no_script_makes_a_session_of_its_own() -> None:
    """Every script that talks to the learner's account goes through scripts/aws_session.py."""
    own = re.compile(r"boto3\.(Session|client|resource)\(")
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "scripts").rglob("*.py")
        if path.name != "aws_session.py" and own.search(path.read_text())
    ]
    # The offline tools make their own client against moto, in a region they set themselves, and
    # the rehearsal against its own emulator, with the emulator's fixed account (never the learner's).
    assert sorted(offenders) == [
        "scripts/queue_worker/bench.py",
        "scripts/rehearse/run.py",
        "scripts/serverless_api/local_api.py",
    ]
