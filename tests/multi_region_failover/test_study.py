"""The study tools with a lab of three stacks: make explain reads and explains every one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from scripts.stack_outputs import run
from scripts.study import compare, explain, templates
from stacks.labs import lab_named
from tests.harness import SynthesizedStage

LAB = lab_named("multi-region-failover")


def test_explain_reads_every_stack_from_a_cdk_out_and_the_lab_claims_every_cost_line(
    tmp_path: Path, sandbox: SynthesizedStage, capsys: pytest.CaptureFixture[str]
) -> None:
    for stack_id in LAB.stack_ids:
        (tmp_path / f"{stack_id}.template.json").write_text(json.dumps(sandbox.template_json(stack_id)))
    assert run(explain.main, ["--lab", LAB.name, "--cdk-out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for stack_id in LAB.stack_ids:
        assert f"{LAB.name} ({stack_id}), stage sandbox" in out
    assert "Route 53 health check" in out
    # The ALB lines belong to the regional stacks' rows, the zone's to the DNS stack's: none is left over.
    assert "Cost lines no resource above claims" not in out


def test_the_stage_of_the_dns_stack_is_read_from_route_53s_own_tag_lists(sandbox: SynthesizedStage) -> None:
    # The DNS stack's only tagged resources are the zone (HostedZoneTags) and the health check (HealthCheckTags).
    assert templates.stage_of(sandbox.template_json(LAB.stack_id)) == "sandbox"


def test_compare_renders_each_stack_with_its_own_id(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    console = Console(record=True, width=200)
    for stack_id in LAB.stack_ids:
        result = compare.compare(LAB, "sandbox", "prod", sandbox.template_json(stack_id), prod.template_json(stack_id))
        compare.render(console, result, stack_id=stack_id)
    text = console.export_text()
    for stack_id in LAB.stack_ids:
        assert f"what prod adds or changes against sandbox ({stack_id})" in text
    assert "DeletionProtectionEnabled" in text or "Retain" in text  # prod keeps the global table
