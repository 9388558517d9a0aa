"""The bootstrap version and region a stack needs, read from a synthesized cloud assembly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scripts.sandbox import assembly
from scripts.stack_outputs import ScriptError
from tests.harness import SynthesizedStage


def test_the_pinned_cdk_needs_bootstrap_version_6_for_every_lab(sandbox: SynthesizedStage) -> None:
    # Given the assembly this CDK (aws-cdk-lib 2.275.0) synthesizes
    manifest = assembly.read_manifest(sandbox.outdir)
    for stack_id in sandbox.stacks:
        needs = assembly.stack_needs(manifest, stack_id)
        # Then each stack needs bootstrap version 6 (the template's CheckBootstrapVersion rule says the same)
        assert needs.bootstrap_version == 6
        assert needs.version_parameter == "/cdk-bootstrap/hnb659fds/version"
        assert needs.qualifier == "hnb659fds"
        rule = sandbox.template_json(stack_id)["Rules"]["CheckBootstrapVersion"]["Assertions"][0]
        assert f"version {needs.bootstrap_version} required" in rule["AssertDescription"]


def test_only_the_billing_alarm_is_pinned_to_a_region(sandbox: SynthesizedStage) -> None:
    manifest = assembly.read_manifest(sandbox.outdir)
    assert assembly.stack_needs(manifest, "BillingAlarm").region == "us-east-1"
    assert assembly.stack_needs(manifest, "QueueWorker").region is None
    assert assembly.stack_needs(manifest, "ThreeTier").region is None


def manifest_with(stack_version: int, asset_version: int) -> dict[str, Any]:
    return {
        "artifacts": {
            "Lab.assets": {
                "type": "cdk:asset-manifest",
                "properties": {"requiresBootstrapStackVersion": asset_version},
            },
            "Lab": {
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region",
                "properties": {
                    "requiresBootstrapStackVersion": stack_version,
                    "bootstrapStackVersionSsmParameter": "/cdk-bootstrap/custom1/version",
                    "additionalDependencies": ["Lab.assets"],
                },
            },
        }
    }


def test_the_highest_requirement_of_the_stack_and_its_assets_wins() -> None:
    needs = assembly.stack_needs(manifest_with(6, 21), "Lab")
    assert needs.bootstrap_version == 21
    assert needs.qualifier == "custom1"
    assert assembly.stack_needs(manifest_with(9, 6), "Lab").bootstrap_version == 9


def test_a_stack_missing_from_the_assembly_says_to_synthesize_again() -> None:
    with pytest.raises(ScriptError, match="no stack Other: synthesize again"):
        assembly.stack_needs(manifest_with(6, 6), "Other")


def test_no_assembly_says_to_synthesize_first(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="run make synth"):
        assembly.read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ScriptError, match="not valid JSON"):
        assembly.read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest_with(6, 6)))
    assert assembly.stack_needs(assembly.read_manifest(tmp_path), "Lab").bootstrap_version == 6
